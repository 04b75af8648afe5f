package exec

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/stats"
	"github.com/splharness/splharness/spl/value"
)

// chart and timechart (Search Reference, "chart" and "timechart"): the
// aggregations of stats, one row per value of the row split (chart's OVER
// field, or timechart's _time bucket) and, with a column split (BY), one
// column per value of it, a series. The choices where the pages are
// silent are in docs/semantics-stats.md ("chart and timechart").
//
// They hold one group of aggregators per row and series: bounded by
// max_groups and charged to the memory budget, as stats.
//
// Descriptors: both transforming; order matters only through the
// functions (first, last, list), as for stats.

// chartSpec is what chart and timechart share once compiled.
type chartSpec struct {
	name     string // chart or timechart
	specs    []*aggSpec
	over     string  // row split field; "" for none
	span     float64 // timechart: the bucket of _time, in seconds
	by       string  // column split field; "" for none
	limit    int     // series kept; 0 keeps all
	bottom   bool    // limit=bottomN: keep the smallest series
	useOther bool
	useNull  bool
	nullStr  string
	otherStr string
	sep      string
	format   string // $AGG$ and $VAL$ placeholders; "" uses sep
	cont     bool   // timechart: empty buckets between the first and last
	// numSpan, for chart, puts the OVER field's numbers in ranges of
	// that width, lo-hi, as bin does; 0 for none.
	numSpan float64
	// per is, for each function, the seconds of a per_second, per_minute,
	// per_hour or per_day (a sum per that time); 0 for the others.
	per []float64
	pos spl.Pos
}

// perUnits are timechart's rate functions and the seconds of their unit.
var perUnits = map[string]float64{"per_second": 1, "per_minute": 60, "per_hour": 3600, "per_day": 86400}

// perUnitAggs turns timechart's per_second(f) ... per_day(f) into sum(f)
// named as written, and says each one's unit (Search Reference,
// "timechart": the sum in a bucket, per unit of time of the bucket's span).
func perUnitAggs(items []*spl.Aggregation, timechart bool) ([]*spl.Aggregation, []float64, error) {
	out := make([]*spl.Aggregation, len(items))
	per := make([]float64, len(items))
	for i, a := range items {
		out[i] = a
		unit, ok := perUnits[a.Func]
		if !ok {
			continue
		}
		if !timechart {
			return nil, nil, errorf(a.Pos, "%s() is a timechart function", a.Func)
		}
		if a.Arg == nil {
			return nil, nil, errorf(a.Pos, "%s needs a field: %s(field)", a.Func, a.Func)
		}
		sum := *a
		sum.Func = "sum"
		if sum.As == nil {
			name := a.Func + "(" + fieldName(a.Arg.Field) + ")"
			if a.Arg.Eval != nil {
				name = spl.Format(a)
			}
			sum.As = &spl.Word{Pos: a.Pos, Raw: spl.Quote(name)}
		}
		out[i], per[i] = &sum, unit
	}
	return out, per, nil
}

func (p *planner) compileChart(c *spl.TimechartCommand) (stageBuilder, error) {
	timechart := c.Kind == "timechart"
	lists := []spl.Options{c.Options, c.After}
	if c.By != nil {
		lists = append(lists, c.By.Options)
	}
	opts, err := p.parseOptions(c, lists...)
	if err != nil {
		return nil, err
	}
	cs, err := newChartSpec(c, opts)
	if err != nil {
		return nil, err
	}
	for _, a := range c.Aggregations.Items {
		if a.Arg != nil && a.Arg.Field != nil && strings.Contains(a.Arg.Field.Text(), "*") {
			return nil, unsupported(a.Pos, "%s: a wildcard field in %s is not supported by the evaluator", c.Kind, spl.Format(a))
		}
	}
	aggs, per, err := perUnitAggs(c.Aggregations.Items, timechart)
	if err != nil {
		return nil, err
	}
	specs, err := p.compileAggs(aggs)
	if err != nil {
		return nil, err
	}
	cs.specs, cs.per = specs, per
	var split []string
	if c.By != nil {
		for _, f := range c.By.Fields {
			split = append(split, fieldName(f))
		}
	}
	if timechart {
		if c.Over != nil {
			return nil, errorf(c.Over.Pos, "timechart has no OVER: its rows are _time buckets")
		}
		if cs.span == 0 {
			return nil, unsupported(c.Pos, "timechart without span= is not supported by the evaluator: Splunk picks the span from the search's time range, which the harness does not have")
		}
		cs.over = "_time"
		if len(split) > 1 {
			return nil, errorf(c.By.Pos, "timechart splits by one field, not %d", len(split))
		}
		if len(split) == 1 {
			cs.by = split[0]
		}
	} else {
		if c.Over != nil {
			cs.over = fieldName(c.Over)
			if len(split) > 1 {
				return nil, errorf(c.By.Pos, "chart ... OVER %s BY takes one field, not %d", cs.over, len(split))
			}
			if len(split) == 1 {
				cs.by = split[0]
			}
		} else {
			switch len(split) {
			case 0:
			case 1:
				cs.over = split[0]
			case 2:
				cs.over, cs.by = split[0], split[1]
			default:
				return nil, errorf(c.By.Pos, "chart BY takes at most two fields (a row split and a column split), not %d", len(split))
			}
		}
	}
	if cs.by != "" && len(specs) > 1 {
		for _, s := range specs {
			if s.expr != nil {
				return nil, unsupported(c.Pos, "%s: several functions with eval() and a column split are not supported by the evaluator", c.Kind)
			}
		}
	}
	maxGroups, mem := p.opts.MaxGroups, p.mem
	return func(next Stage) (Stage, error) {
		return &chartStage{emitter: emitter{next: next}, cs: cs, rows: map[string]*chartRow{}, max: maxGroups, mem: mem}, nil
	}, nil
}

// newChartSpec reads chart's or timechart's options (parsed by the
// descriptor's specs; Search Reference, "chart" and "timechart").
func newChartSpec(c *spl.TimechartCommand, opts options) (*chartSpec, error) {
	cs := &chartSpec{name: c.Kind, useOther: opts.Bool("useother"), useNull: opts.Bool("usenull"),
		nullStr: opts.String("nullstr"), otherStr: opts.String("otherstr"), sep: opts.String("sep"),
		format: opts.String("format"), cont: opts.Bool("cont"), pos: c.Pos}
	if c.Kind == "chart" {
		// chart's cont concerns bins of the OVER field, which are not made
		// here.
		cs.cont = true
	}
	limit := strings.ToLower(opts.String("limit"))
	switch {
	case strings.HasPrefix(limit, "top"):
		limit = limit[3:]
	case strings.HasPrefix(limit, "bottom"):
		limit, cs.bottom = limit[6:], true
	}
	n, err := strconv.Atoi(limit)
	if err != nil || n < 0 {
		w := opts.Word("limit")
		return nil, errorf(w.Pos, "%s: limit=%s is not a count (N, topN or bottomN)", cs.name, w.Raw)
	}
	cs.limit = n
	w := opts.Word("span")
	switch {
	case w == nil:
	case c.Kind == "chart":
		n, isTime, err := parseSpan(w.Text(), false)
		if err != nil {
			return nil, errorf(w.Pos, "chart: %v (a span of the OVER field's numbers)", err)
		}
		if isTime {
			return nil, unsupported(w.Pos, "chart: span=%s with a timescale is not supported by the evaluator (use timechart)", w.Text())
		}
		cs.numSpan = n
	default:
		secs, _, err := parseSpan(w.Text(), true)
		if err != nil {
			return nil, errorf(w.Pos, "timechart: %v", err)
		}
		cs.span = secs
	}
	return cs, nil
}

// chartRow is one row of the result: a value of the row split, and one
// group of aggregators per series ("" without a column split).
type chartRow struct {
	key    string
	t      float64 // timechart: the bucket's start
	series map[string][]stats.Aggregator
}

type chartStage struct {
	emitter
	cs      *chartSpec
	rows    map[string]*chartRow
	groups  int
	max     int
	mem     *memBudget
	charged int
}

func (s *chartStage) Push(r *value.Row) error {
	cs := s.cs
	t := rowTime(r)
	var overs []string
	var bucket float64
	switch {
	case cs.span > 0:
		if math.IsNaN(t) {
			return nil
		}
		bucket = math.Floor(t/cs.span) * cs.span
		overs = []string{strconv.FormatFloat(bucket, 'f', -1, 64)}
	case cs.over != "":
		overs = r.Get(cs.over).Values()
		if len(overs) == 0 {
			return nil // a null row split drops the row, as stats BY does
		}
		if cs.numSpan > 0 {
			overs = append([]string(nil), overs...)
			for i, o := range overs {
				if x, ok := value.ParseNumber(o); ok {
					lo := math.Floor(x/cs.numSpan) * cs.numSpan
					overs[i] = value.FormatNumber(lo) + "-" + value.FormatNumber(lo+cs.numSpan)
				}
			}
		}
	default:
		overs = []string{""}
	}
	series := []string{""}
	if cs.by != "" {
		series = r.Get(cs.by).Values()
		if len(series) == 0 {
			if !cs.useNull {
				return nil
			}
			series = []string{cs.nullStr}
		}
	}
	for _, o := range overs {
		row, ok := s.rows[o]
		if !ok {
			o = strings.Clone(o)
			row = &chartRow{key: o, t: bucket, series: map[string][]stats.Aggregator{}}
			s.rows[o] = row
		}
		for _, sr := range series {
			aggs, ok := row.series[sr]
			if !ok {
				if s.groups >= s.max {
					return groupsError(cs.pos, cs.name, s.max)
				}
				s.groups++
				sr = strings.Clone(sr)
				n := groupSize(o+sr, len(cs.specs))
				s.charged += n
				if err := s.mem.charge(cs.name, n); err != nil {
					return err
				}
				aggs = make([]stats.Aggregator, len(cs.specs))
				for i, sp := range cs.specs {
					aggs[i] = sp.fn.New(sp.param)
				}
				row.series[sr] = aggs
			}
			for i, sp := range cs.specs {
				aggs[i].Add(sp.value(r, sp.field), t)
			}
		}
	}
	return nil
}

func (s *chartStage) Flush() error {
	defer func() { s.mem.release(s.charged); s.charged = 0 }()
	cs := s.cs
	rows := make([]*chartRow, 0, len(s.rows))
	for _, r := range s.rows {
		rows = append(rows, r)
	}
	if cs.span > 0 {
		sort.Slice(rows, func(i, j int) bool { return rows[i].t < rows[j].t })
		if cs.cont && len(rows) > 1 {
			filled, err := s.fillBuckets(rows)
			if err != nil {
				return err
			}
			rows = filled
		}
	} else {
		sort.Slice(rows, func(i, j int) bool { return lessOver(rows[i].key, rows[j].key, cs.numSpan > 0) })
	}
	if cs.over == "" && len(rows) == 0 {
		rows = append(rows, &chartRow{series: map[string][]stats.Aggregator{}})
	}
	kept, other, err := s.series(rows)
	if err != nil {
		return err
	}
	for _, r := range rows {
		out := value.NewRow(nil)
		switch {
		case cs.span > 0:
			out.Set("_time", value.Num(r.t))
		case cs.over != "":
			out.Set(cs.over, value.Str(r.key))
		}
		if cs.by == "" {
			aggs := r.series[""]
			for i, sp := range cs.specs {
				out.Set(sp.name, s.result(sp, aggs, i))
			}
		} else {
			for i, sp := range cs.specs {
				for _, sr := range kept {
					out.Set(s.column(sp, sr), s.result(sp, r.series[sr], i))
				}
				if other != nil {
					v, err := s.otherResult(sp, r, other, i)
					if err != nil {
						return err
					}
					out.Set(s.column(sp, cs.otherStr), v)
				}
			}
		}
		if err := s.emit(out); err != nil {
			return err
		}
	}
	s.rows = nil
	return s.next.Flush()
}

// lessOver orders rows by their OVER value in byte order, as stats orders
// groups; ranges of chart's span= by their lower bound, before any value
// that is not a range.
func lessOver(a, b string, ranges bool) bool {
	if ranges {
		x, okA := rangeStart(a)
		y, okB := rangeStart(b)
		switch {
		case okA && okB && x != y:
			return x < y
		case okA != okB:
			return okA
		}
	}
	return a < b
}

// rangeStart is the lower bound of "lo-hi".
func rangeStart(s string) (float64, bool) {
	for i := 1; i < len(s); i++ {
		if s[i] == '-' {
			return value.ParseNumber(s[:i])
		}
	}
	return 0, false
}

// fillBuckets adds the empty _time buckets between the first and the last
// (timechart cont=true), at most max_groups of them.
func (s *chartStage) fillBuckets(rows []*chartRow) ([]*chartRow, error) {
	first, last := rows[0].t, rows[len(rows)-1].t
	buckets := (last-first)/s.cs.span + 1
	if buckets > float64(s.max) {
		return nil, groupsError(s.cs.pos, s.cs.name, s.max)
	}
	n := int(buckets)
	out := make([]*chartRow, 0, n)
	j := 0
	for k := 0; k < n; k++ {
		t := first + float64(k)*s.cs.span
		if j < len(rows) && rows[j].t <= t {
			out = append(out, rows[j])
			j++
			continue
		}
		out = append(out, &chartRow{t: t, series: map[string][]stats.Aggregator{}})
	}
	return out, nil
}

// series returns the series kept as columns, in name order, and the set
// of those folded into OTHER (nil when there is no OTHER column). With a
// limit, the series kept are those with the largest (bottomN: smallest)
// sum of their first function's values over all rows; ties go to the
// name that sorts first.
func (s *chartStage) series(rows []*chartRow) ([]string, map[string]bool, error) {
	cs := s.cs
	if cs.by == "" {
		return nil, nil, nil
	}
	total := map[string]float64{}
	for _, r := range rows {
		for sr, aggs := range r.series {
			f, _ := aggs[0].Result().Number()
			total[sr] += f
		}
	}
	names := make([]string, 0, len(total))
	for sr := range total {
		names = append(names, sr)
	}
	if cs.limit == 0 || len(names) <= cs.limit {
		sort.Strings(names)
		return names, nil, nil
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := total[names[i]], total[names[j]]
		if a != b {
			return (a > b) != cs.bottom
		}
		return names[i] < names[j]
	})
	kept := append([]string(nil), names[:cs.limit]...)
	sort.Strings(kept)
	if !cs.useOther {
		return kept, nil, nil
	}
	other := map[string]bool{}
	for _, sr := range names[cs.limit:] {
		other[sr] = true
	}
	return kept, other, nil
}

// column names a series' column: the series value alone with one function,
// else "<function>: <value>" (sep, or the format option's $AGG$ and $VAL$).
func (s *chartStage) column(sp *aggSpec, series string) string {
	cs := s.cs
	if len(cs.specs) == 1 && cs.format == "" {
		return series
	}
	if cs.format != "" {
		return strings.NewReplacer("$AGG$", sp.name, "$VAL$", series).Replace(cs.format)
	}
	return sp.name + cs.sep + series
}

// result is one cell: the aggregate of a row's series; a series with no
// rows there is 0 for counts, else null. A per_* function is its sum per
// unit of the span.
func (s *chartStage) result(sp *aggSpec, aggs []stats.Aggregator, i int) value.Value {
	if aggs == nil {
		if countLike(sp) {
			return value.Num(0)
		}
		return value.NullValue
	}
	return s.scale(aggs[i].Result(), i)
}

func (s *chartStage) scale(v value.Value, i int) value.Value {
	unit := s.cs.per[i]
	if unit == 0 || v.IsNull() {
		return v
	}
	f, ok := v.Number()
	if !ok {
		return v
	}
	return value.Num(f * unit / s.cs.span)
}

func countLike(sp *aggSpec) bool {
	switch sp.fn.Name {
	case "count", "dc", "estdc":
		return true
	}
	return false
}

// otherResult aggregates a row's series folded into OTHER by merging
// their aggregators, which order-free functions can do.
func (s *chartStage) otherResult(sp *aggSpec, r *chartRow, other map[string]bool, i int) (value.Value, error) {
	var acc stats.Aggregator
	for sr, aggs := range r.series {
		if !other[sr] {
			continue
		}
		if _, ok := aggs[i].(stats.Merger); !ok {
			return value.NullValue, unsupported(s.cs.pos, "%s: the %s column of %s() is not supported by the evaluator (use useother=f or limit=0)", s.cs.name, s.cs.otherStr, sp.fn.Name)
		}
		if acc == nil {
			acc = sp.fn.New(sp.param)
		}
		acc.(stats.Merger).Merge(aggs[i])
	}
	if acc == nil {
		return s.result(sp, nil, i), nil
	}
	return s.scale(acc.Result(), i), nil
}
