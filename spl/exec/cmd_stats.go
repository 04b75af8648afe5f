package exec

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/stats"
	"github.com/splharness/splharness/spl/value"
)

// aggSpec is one compiled aggregation.
type aggSpec struct {
	fn    *stats.Func
	param float64
	field string         // aggregated field; may hold wildcards
	expr  eval.Evaluator // eval(...) argument
	name  string         // output name; may hold wildcards when field does
}

func (a *aggSpec) wildcard() bool { return strings.Contains(a.field, "*") }

// value is the aggregated value of a row.
func (a *aggSpec) value(r *value.Row, field string) value.Value {
	switch {
	case a.expr != nil:
		v := a.expr(r)
		// Inside stats, eval(cond) counts where cond is true: a false
		// condition is no value.
		if b, ok := v.Bool(); ok {
			if !b {
				return value.NullValue
			}
			return value.Str("true")
		}
		return v
	case field != "":
		return r.Get(field)
	}
	return value.Str("1") // count without a field counts rows
}

func (p *planner) compileAggs(aggs []*spl.Aggregation) ([]*aggSpec, error) {
	var out []*aggSpec
	for _, a := range aggs {
		fn, param, ok := stats.Lookup(a.Func)
		if !ok {
			return nil, &Error{Pos: a.Pos, Code: diag.UnsupportedFunction, Msg: fmt.Sprintf("stats function %s() is not supported by the evaluator", a.Func)}
		}
		spec := &aggSpec{fn: fn, param: param}
		if a.Arg != nil {
			if a.Arg.Eval != nil {
				ev, err := p.ec.Compile(a.Arg.Eval)
				if err != nil {
					return nil, exprError(err)
				}
				spec.expr = ev
			} else {
				spec.field = fieldName(a.Arg.Field)
			}
		} else if fn.NeedsField {
			return nil, errorf(a.Pos, "%s needs a field: %s(field)", a.Func, a.Func)
		}
		switch {
		case a.As != nil:
			spec.name = fieldName(a.As)
		case a.Arg == nil:
			spec.name = a.Func
		case a.Arg.Field != nil:
			// A quoted field names the column without its quotes:
			// perc95("total bytes") is perc95(total bytes) (Statistical
			// and charting functions).
			spec.name = strings.ToLower(a.Func) + "(" + fieldName(a.Arg.Field) + ")"
		default:
			spec.name = spl.Format(a)
		}
		if strings.Contains(spec.name, "*") && !spec.wildcard() {
			return nil, errorf(a.Pos, "%s: the output name has a wildcard but the field does not", spec.name)
		}
		out = append(out, spec)
	}
	return out, nil
}

// group is the state of one BY combination.
type group struct {
	key    []string
	aggs   []stats.Aggregator            // one per non-wildcard aggSpec
	wild   []map[string]stats.Aggregator // per wildcard aggSpec: matched field → aggregator
	wildOf [][]string                    // matched fields in first-seen order
}

func newGroup(key []string, specs []*aggSpec) *group {
	g := &group{key: key, aggs: make([]stats.Aggregator, len(specs)), wild: make([]map[string]stats.Aggregator, len(specs)), wildOf: make([][]string, len(specs))}
	for i, s := range specs {
		if s.wildcard() {
			g.wild[i] = map[string]stats.Aggregator{}
		} else {
			g.aggs[i] = s.fn.New(s.param)
		}
	}
	return g
}

func (g *group) add(specs []*aggSpec, r *value.Row, t float64) {
	for i, s := range specs {
		g.addSpec(i, s, r, t)
	}
}

// addSpec adds a row to the aggregation of spec i, s.
func (g *group) addSpec(i int, s *aggSpec, r *value.Row, t float64) {
	if !s.wildcard() {
		g.aggs[i].Add(s.value(r, s.field), t)
		return
	}
	for _, f := range matchFields(r, s.field) {
		agg, ok := g.wild[i][f]
		if !ok {
			agg = s.fn.New(s.param)
			f = strings.Clone(f) // a name from the event's text
			g.wild[i][f] = agg
			g.wildOf[i] = append(g.wildOf[i], f)
		}
		agg.Add(r.Get(f), t)
	}
}

// aggReads is how a stats stage reads what a row gives its aggregations:
// each field once, however many functions aggregate it (ESCU's
// `min(_time) max(_time)`, `dc(eventName) values(eventName)`), and _time
// once for the functions that read it and the row's time. A dc() (or
// estdc()) of a field that a values() of the stage also takes keeps no
// set of its own: it counts that values() aggregator's
// (stats.DistinctOf).
type aggReads struct {
	fields []string // the fields read, each once
	ids    []value.Field
	slot   []int // per spec: its field's index in fields; -1 for count, eval() and wildcards
	// counts is, per spec, the index of the values() spec whose set a
	// dc() or estdc() spec counts, -1 for any other spec.
	counts []int
	timeAt int // the index of _time in fields, -1 when it is not one
}

// newAggReads plans the reads of specs.
func newAggReads(specs []*aggSpec) aggReads {
	ar := aggReads{slot: make([]int, len(specs)), counts: make([]int, len(specs)), timeAt: -1}
	index := func(f string) int {
		for i, x := range ar.fields {
			if x == f {
				return i
			}
		}
		ar.fields = append(ar.fields, f)
		return len(ar.fields) - 1
	}
	for i, sp := range specs {
		ar.slot[i], ar.counts[i] = -1, -1
		if sp.expr == nil && sp.field != "" && !sp.wildcard() {
			ar.slot[i] = index(sp.field)
		}
	}
	for i, sp := range specs {
		if ar.slot[i] < 0 || sp.fn.Name != "dc" && sp.fn.Name != "estdc" {
			continue
		}
		for j, o := range specs {
			if ar.slot[j] != ar.slot[i] || o.fn.Name != "values" {
				continue
			}
			if _, ok := stats.DistinctOf(o.fn.New(o.param)); ok {
				ar.counts[i] = j
				break
			}
		}
	}
	for i, f := range ar.fields {
		if f == "_time" {
			ar.timeAt = i
		}
	}
	ar.ids = value.FieldsOf(ar.fields)
	return ar
}

// newGroup is the group of BY values key for the stage's specs, its
// dc() aggregators counting their values() ones' sets.
func (ar *aggReads) newGroup(key []string, specs []*aggSpec) *group {
	g := newGroup(key, specs)
	for i, j := range ar.counts {
		if j >= 0 {
			// newAggReads made sure specs[j] makes a values() aggregator.
			g.aggs[i], _ = stats.DistinctOf(g.aggs[j])
		}
	}
	return g
}

// read sets vals to the row's value of each field, and returns the row's
// time when usesTime (else NaN).
func (ar *aggReads) read(r *value.Row, vals []value.Value, usesTime bool) ([]value.Value, float64) {
	vals = vals[:0]
	for _, f := range ar.ids {
		vals = append(vals, r.GetField(f))
	}
	t := math.NaN()
	if usesTime {
		if ar.timeAt >= 0 {
			if n, ok := vals[ar.timeAt].Number(); ok {
				t = n
			}
		} else {
			t = rowTime(r)
		}
	}
	return vals, t
}

// addRead adds a row to g, given the values ar read of it.
func (g *group) addRead(ar *aggReads, specs []*aggSpec, r *value.Row, vals []value.Value, t float64) {
	for i, s := range specs {
		switch {
		case ar.counts[i] >= 0:
			// Its values() spec takes the value.
		case ar.slot[i] >= 0:
			g.aggs[i].Add(vals[ar.slot[i]], t)
		default:
			g.addSpec(i, s, r, t)
		}
	}
}

// write sets the aggregates on a row.
func (g *group) write(specs []*aggSpec, r *value.Row) {
	for i, s := range specs {
		if !s.wildcard() {
			r.Set(s.name, g.aggs[i].Result())
			continue
		}
		for _, f := range g.wildOf[i] {
			name := s.fn.Name + "(" + f + ")"
			if caps, ok := wildcardCapture(s.field, f); ok && strings.Contains(s.name, "*") {
				name = fillWildcards(s.name, caps)
			} else if !strings.Contains(s.name, "*") && s.name != "" {
				name = s.name
			}
			r.Set(name, g.wild[i][f].Result())
		}
	}
}

// groupKeys returns the BY combinations of a row: none when a BY field is
// null (the row is dropped), one per value for multivalue fields
// (docs/semantics.md, "Commands").
func groupKeys(r *value.Row, by []string) [][]string {
	keys := [][]string{nil}
	for _, f := range by {
		vals := r.Get(f).Values()
		if len(vals) == 0 {
			return nil
		}
		var next [][]string
		for _, k := range keys {
			for _, v := range vals {
				next = append(next, append(append([]string(nil), k...), v))
			}
		}
		keys = next
	}
	return keys
}

func joinKey(k []string) string { return strings.Join(k, "\x00") }

func byFields(b *spl.ByClause) ([]string, error) {
	if b == nil {
		return nil, nil
	}
	if len(b.Options.Items) > 0 {
		return nil, unsupported(b.Options.Items[0].Pos, "option %s inside BY is not supported by the evaluator", b.Options.Items[0].Name)
	}
	var out []string
	for _, f := range b.Fields {
		out = append(out, fieldName(f))
	}
	return out, nil
}

// rowTime is a row's _time, NaN when it has none (stats' earliest and
// latest then rank it oldest).
func rowTime(r *value.Row) float64 {
	t, ok := r.Get("_time").Number()
	if !ok {
		return math.NaN()
	}
	return t
}

// compileStats compiles stats, eventstats and streamstats.
func (p *planner) compileStats(c *spl.StatsCommand) (stageBuilder, error) {
	specs, err := p.compileAggs(c.Aggregations.Items)
	if err != nil {
		return nil, err
	}
	by, err := byFields(c.By)
	if err != nil {
		return nil, err
	}
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	switch c.Kind {
	case "stats":
		filter, err := p.statsFilter(c, specs, by)
		if err != nil {
			return nil, err
		}
		maxGroups := p.opts.MaxGroups
		pos := c.Pos
		usesTime := false
		for _, sp := range specs {
			usesTime = usesTime || sp.fn.UsesTime
		}
		reads, byIDs := newAggReads(specs), value.FieldsOf(by)
		return func(next Stage) (Stage, error) {
			return &statsStage{emitter: emitter{next: next}, specs: specs, by: by, byIDs: byIDs, groups: map[string]*group{}, max: maxGroups, pos: pos, usesTime: usesTime, mem: p.mem, reads: reads, filter: filter}, nil
		}, nil
	case "eventstats":
		allNum := o.Bool("allnum")
		// numeric[i]: with allnum=true, spec i is a numerical statistic,
		// computed only for groups whose every value of its field is a
		// number (Search Reference, "eventstats": allnum).
		numeric := make([]bool, len(specs))
		if allNum {
			for i, sp := range specs {
				if numericalStats[sp.fn.Name] {
					if sp.wildcard() {
						return nil, unsupported(c.Pos, "eventstats allnum=true with wildcard fields is not supported by the evaluator")
					}
					numeric[i] = true
				}
			}
		}
		maxGroups, pos := p.opts.MaxGroups, c.Pos
		return func(next Stage) (Stage, error) {
			return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, check: groupCounter("eventstats", pos, by, maxGroups), done: func(rows []*value.Row) []*value.Row {
				groups := map[string]*group{}
				notNum := map[*group][]bool{}
				for _, r := range rows {
					for _, k := range groupKeys(r, by) {
						g, ok := groups[joinKey(k)]
						if !ok {
							g = newGroup(k, specs)
							groups[joinKey(k)] = g
						}
						if allNum {
							markNonNumeric(notNum, g, specs, numeric, r)
						}
						g.add(specs, r, rowTime(r))
					}
				}
				for _, r := range rows {
					keys := groupKeys(r, by)
					if len(keys) == 1 {
						g := groups[joinKey(keys[0])]
						g.write(specs, r)
						for i, bad := range notNum[g] {
							if bad {
								r.Delete(specs[i].name)
							}
						}
					}
				}
				return rows
			}}, nil
		}, nil
	}
	current, window := o.Bool("current"), o.Int("window")
	if window > maxStreamWindow {
		return nil, &Error{Pos: o.Word("window").Pos, Code: diag.Limit, Msg: fmt.Sprintf("streamstats: window=%d is more than %d (Splunk's max_stream_window)", window, maxStreamWindow)}
	}
	st := &streamStatsStage{resetOnChange: o.Bool("reset_on_change")}
	for name, dst := range map[string]*func(*value.Row) bool{"reset_before": &st.resetBefore, "reset_after": &st.resetAfter} {
		if w := o.Word(name); w != nil {
			cond, err := p.compileOptionCondition(name, w)
			if err != nil {
				return nil, err
			}
			*dst = cond
		}
	}
	if w := o.Word("time_window"); w != nil {
		secs, isTime, err := parseSpan(w.Text(), true)
		if err != nil || !isTime {
			return nil, errorf(w.Pos, "streamstats: time_window must be a time span such as 5m")
		}
		st.timeWindow = secs
	}
	for _, s := range specs {
		if s.wildcard() {
			return nil, unsupported(c.Pos, "streamstats with wildcard fields is not supported by the evaluator")
		}
	}
	maxGroups, pos := p.opts.MaxGroups, c.Pos
	sliding := window > 0 && st.timeWindow == 0
	for _, s := range specs {
		sliding = sliding && s.fn.NewWindow != nil
	}
	opt := *st
	return func(next Stage) (Stage, error) {
		st := opt
		st.specs, st.by, st.current, st.window, st.max, st.pos = specs, by, current, window, maxGroups, pos
		st.groups, st.mem, st.sliding = map[string]*streamGroup{}, p.mem, sliding
		return &streamStage{emitter: emitter{next: next}, fn: st.push}, nil
	}, nil
}

// compileOptionCondition compiles an option whose value is a quoted eval
// expression, as streamstats' reset_before="(count>5)".
func (p *planner) compileOptionCondition(name string, w *spl.Word) (func(*value.Row) bool, error) {
	src := diag.NewSource("", w.Text())
	e, err := spl.ParseExpr(src, spl.Limits{})
	if err != nil {
		var d *diag.Error
		if errors.As(err, &d) {
			return nil, errorf(w.Pos, "%s: %s", name, d.Message)
		}
		return nil, errorf(w.Pos, "%s: %v", name, err)
	}
	cond, err := p.ec.CompileCondition(e)
	if err != nil {
		return nil, errorf(w.Pos, "%s: %v", name, err)
	}
	return cond, nil
}

// numericalStats are the functions allnum=true applies to: those that
// compute over the numeric values only (our reading of "numerical
// statistics"; min and max also order strings, so they are left out).
var numericalStats = map[string]bool{
	"avg": true, "sum": true, "sumsq": true, "stdev": true, "stdevp": true, "var": true, "varp": true,
	"median": true, "perc": true, "exactperc": true, "upperperc": true, "range": true,
}

// markNonNumeric records in notNum which numerical specs of g have seen a
// value of r that is not a number.
func markNonNumeric(notNum map[*group][]bool, g *group, specs []*aggSpec, numeric []bool, r *value.Row) {
	for i, sp := range specs {
		if !numeric[i] {
			continue
		}
		for _, v := range sp.value(r, sp.field).Values() {
			if _, ok := value.ParseNumber(v); !ok {
				if notNum[g] == nil {
					notNum[g] = make([]bool, len(specs))
				}
				notNum[g][i] = true
				break
			}
		}
	}
}

// maxStreamWindow is the largest streamstats window, Splunk's
// max_stream_window ([stats] in limits.conf, default 10000).
const maxStreamWindow = 10000

// streamStatsStage is streamstats' state. Without a window each group
// keeps running aggregates, updated once per row: n rows cost O(n). With a
// window a group keeps the inputs of its last rows (at most window, itself
// at most maxStreamWindow). When every function can take a value back
// (count, dc, estdc, values, min, max, range: stats.Remover) the window
// slides through running aggregates, O(1) per row; otherwise (sum, avg,
// first, list, ...) the group aggregates its window afresh for each row,
// O(window).
type streamStatsStage struct {
	specs   []*aggSpec
	by      []string
	current bool
	window  int
	max     int // max_groups
	pos     spl.Pos
	groups  map[string]*streamGroup
	mem     *memBudget
	sliding bool // every function is a stats.Remover
	// resetOnChange, resetBefore and resetAfter start every group afresh
	// (Search Reference, "streamstats"): when a row's BY values differ from
	// the previous row's that had them all, or when a condition is true on
	// the row before (after) the aggregates are written on it.
	resetOnChange           bool
	lastKey                 string
	haveLast                bool
	resetBefore, resetAfter func(*value.Row) bool
	// timeWindow, in seconds, keeps in a group's window only the rows
	// whose _time is less than that far from the current row's.
	timeWindow float64
}

// reset forgets every group, as if no row had been seen.
func (s *streamStatsStage) reset() {
	for k, g := range s.groups {
		for _, in := range g.rows {
			s.mem.release(in.size)
		}
		s.mem.release(groupSize(k, len(s.specs)))
	}
	s.groups = map[string]*streamGroup{}
}

func (s *streamStatsStage) push(r *value.Row) (bool, error) {
	if s.resetBefore != nil && s.resetBefore(r) {
		s.reset()
	}
	if s.resetOnChange {
		if keys := groupKeys(r, s.by); len(keys) == 1 {
			k := joinKey(keys[0])
			if s.haveLast && k != s.lastKey {
				s.reset()
			}
			s.lastKey, s.haveLast = k, true
		}
	}
	keep, err := s.pushGroup(r)
	if err == nil && s.resetAfter != nil && s.resetAfter(r) {
		s.reset()
	}
	return keep, err
}

// streamGroup is one BY group of streamstats: its running aggregates, or
// with a window the inputs of its last rows, oldest first.
type streamGroup struct {
	key  []string
	agg  *group
	rows []*streamInput
}

// streamInput is what one row gives the aggregations of a window: each
// function's value and the row's _time, read once when the row arrives
// (re-reading them from a copy of the row gave the same, at more cost).
type streamInput struct {
	vals []value.Value
	t    float64
	size int // charged to the memory budget
}

func (s *streamStatsStage) pushGroup(r *value.Row) (bool, error) {
	keys := groupKeys(r, s.by)
	if len(keys) != 1 {
		return true, nil
	}
	k := joinKey(keys[0])
	g, ok := s.groups[k]
	if !ok {
		if len(s.groups) >= s.max {
			return false, &LimitError{Pos: s.pos, Limit: "max_groups", Msg: fmt.Sprintf("streamstats: more than %d groups (limit max_groups)", s.max)}
		}
		if err := s.mem.charge("streamstats", groupSize(k, len(s.specs))); err != nil {
			return false, err
		}
		g = &streamGroup{key: keys[0]}
		switch {
		case s.window == 0 && s.timeWindow == 0:
			g.agg = newGroup(keys[0], s.specs)
		case s.sliding:
			g.agg = &group{key: keys[0], aggs: make([]stats.Aggregator, len(s.specs))}
			for i, sp := range s.specs {
				g.agg.aggs[i] = sp.fn.NewWindow(sp.param)
			}
		}
		s.groups[k] = g
	}
	if s.window == 0 && s.timeWindow == 0 {
		if s.current {
			g.agg.add(s.specs, r, rowTime(r))
			g.agg.write(s.specs, r)
			return true, nil
		}
		// The row's own values are added after the aggregates are written
		// over them: add a copy taken before.
		before := r.Clone()
		g.agg.write(s.specs, r)
		g.agg.add(s.specs, before, rowTime(before))
		return true, nil
	}
	// Read the row's inputs before the aggregates are written over them.
	in := &streamInput{vals: make([]value.Value, len(s.specs)), t: rowTime(r)}
	in.size = 64
	for i, sp := range s.specs {
		in.vals[i] = sp.value(r, sp.field)
		in.size += 64 + in.vals[i].Size()
	}
	if err := s.mem.charge("streamstats", in.size); err != nil {
		return false, err
	}
	if s.sliding {
		s.slide(g, in, r)
		return true, nil
	}
	if s.timeWindow > 0 {
		s.dropOutOfTime(g, in.t)
	}
	rows := g.rows
	if s.current {
		rows = append(rows, in)
		g.rows = rows
	}
	if s.window > 0 && len(rows) > s.window {
		rows = rows[len(rows)-s.window:]
	}
	agg := newGroup(keys[0], s.specs)
	for _, x := range rows {
		for i, a := range agg.aggs {
			a.Add(x.vals[i], x.t)
		}
	}
	if !s.current {
		g.rows = append(g.rows, in)
	}
	if s.window > 0 && len(g.rows) > s.window {
		// Drop the oldest, keeping the backing array from growing without
		// bound: copy down once it is twice the window.
		s.mem.release(g.rows[0].size)
		g.rows = g.rows[1:]
		if cap(g.rows) > 2*s.window {
			g.rows = append([]*streamInput(nil), g.rows...)
		}
	}
	agg.write(s.specs, r)
	return true, nil
}

// dropOutOfTime removes from g's window the rows whose _time is
// timeWindow or more away from t. Rows come in time order (the page
// requires it), so they leave from the front.
func (s *streamStatsStage) dropOutOfTime(g *streamGroup, t float64) {
	n := 0
	for n < len(g.rows) && math.Abs(g.rows[n].t-t) >= s.timeWindow {
		s.mem.release(g.rows[n].size)
		n++
	}
	if n > 0 {
		g.rows = append([]*streamInput(nil), g.rows[n:]...)
	}
}

// slide moves g's window on by one row: the aggregates cover the window
// (with the row itself when current) when they are written on r.
func (s *streamStatsStage) slide(g *streamGroup, in *streamInput, r *value.Row) {
	add := func(x *streamInput) {
		g.rows = append(g.rows, x)
		for i, a := range g.agg.aggs {
			a.Add(x.vals[i], x.t)
		}
		if len(g.rows) > s.window {
			old := g.rows[0]
			for i, a := range g.agg.aggs {
				a.(stats.Remover).Remove(old.vals[i], old.t)
			}
			s.mem.release(old.size)
			g.rows = g.rows[1:]
			if cap(g.rows) > 2*s.window {
				g.rows = append([]*streamInput(nil), g.rows...)
			}
		}
	}
	if s.current {
		add(in)
		g.agg.write(s.specs, r)
		return
	}
	g.agg.write(s.specs, r)
	add(in)
}

// statsStage groups rows and emits one row per group at the end, ordered
// by the BY values (byte order, UNCONFIRMED; docs/semantics.md).
type statsStage struct {
	emitter
	specs  []*aggSpec
	by     []string
	byIDs  []value.Field // by, read by ID (value.Row.GetField); nil to read by name
	groups map[string]*group
	max    int
	pos    spl.Pos
	keyBuf []byte // the joined key of the row being added
	// usesTime is set when a function reads rows' _time; otherwise it is
	// not looked up.
	usesTime bool
	// mem is the search's memory budget; charged what the groups took.
	mem     *memBudget
	charged int
	// get, when set, reads a BY field's value instead of the row's own
	// (tstats: span on _time, fillnull_value).
	get func(r *value.Row, field string) value.Value
	// reads says which fields the functions read; vals holds the row's
	// values of them while it is added.
	reads aggReads
	vals  []value.Value
	// filter, when set, is the condition of the where that follows the
	// stats: a group's row is written whole only when it holds.
	filter *statsFilter
}

// statsFilter is the condition of a where right after a stats, which
// the stats tests on each group's row before it computes the aggregates
// that the condition does not read: ESCU's `stats dc(eventName) ...
// values(src) ... by user | where dc_events > 50` keeps few groups, and
// the sorted values() of the others (thousands of addresses each) would
// be computed for nothing. A row that fails is passed on without them:
// the where drops it all the same (its condition reads the same fields,
// with the same values), and each stage passes on the rows it did.
type statsFilter struct {
	cond func(*value.Row) bool
	read []bool // per spec: the condition reads its output
}

// statsFilter is the filter of stats c, nil unless the next command is a
// where whose condition can be tested twice with the same result and no
// effect (eval.Pure), and each output of the stats has its own name (a
// row without some of them then has the same values in the others).
func (p *planner) statsFilter(c *spl.StatsCommand, specs []*aggSpec, by []string) (*statsFilter, error) {
	w, ok := p.next.(*spl.WhereCommand)
	if !ok || p.after != spl.Command(c) || !eval.Pure(w.Expr) {
		return nil, nil
	}
	names := map[string]bool{}
	for _, f := range by {
		names[f] = true
	}
	for _, sp := range specs {
		if sp.wildcard() || names[sp.name] {
			return nil, nil
		}
		names[sp.name] = true
	}
	reads := map[string]bool{}
	spl.Walk(w.Expr, func(n spl.Node) bool {
		if f, ok := n.(*spl.FieldRef); ok {
			reads[f.Name] = true
		}
		return true
	})
	f := &statsFilter{read: make([]bool, len(specs))}
	some := false
	for i, sp := range specs {
		f.read[i] = reads[sp.name]
		some = some || !f.read[i]
	}
	if !some {
		return nil, nil // nothing to put off
	}
	cond, err := p.ec.CompileCondition(w.Expr)
	if err != nil {
		return nil, nil // the where reports it
	}
	f.cond = cond
	return f, nil
}

// test writes on row, which holds g's BY values, the aggregates the
// filter's condition reads, and reports whether the condition holds.
// When it does not, row is what the stage passes on; when it does, the
// caller writes every aggregate, in their order, on a new row.
func (f *statsFilter) test(g *group, specs []*aggSpec, row *value.Row) bool {
	for i, sp := range specs {
		if f.read[i] {
			row.Set(sp.name, g.aggs[i].Result())
		}
	}
	return f.cond(row)
}

// LimitError is a limit a run hit: which one, and where in the search.
type LimitError struct {
	Pos   spl.Pos
	Limit string
	Msg   string
}

func (e *LimitError) Error() string { return e.Msg }

func (s *statsStage) Push(r *value.Row) error {
	if key, drop, multi := s.simpleKey(r); !multi {
		if drop {
			return nil
		}
		// Every row passes here: an existing group costs no allocation.
		g, ok := s.groups[key]
		if !ok {
			var err error
			if g, err = s.newGroup(key, s.groupKeys(r)[0]); err != nil {
				return err
			}
		}
		var t float64
		s.vals, t = s.reads.read(r, s.vals, s.usesTime)
		g.addRead(&s.reads, s.specs, r, s.vals, t)
		return nil
	}
	keys := s.groupKeys(r)
	if len(keys) == 0 {
		return nil
	}
	var t float64
	s.vals, t = s.reads.read(r, s.vals, s.usesTime)
	for _, k := range keys {
		key := joinKey(k)
		g, ok := s.groups[key]
		if !ok {
			var err error
			if g, err = s.newGroup(key, k); err != nil {
				return err
			}
		}
		g.addRead(&s.reads, s.specs, r, s.vals, t)
	}
	return nil
}

// newGroup adds the group of BY values k, joined as key. Both are copied:
// they are the row's values, which may share the memory of a block of
// input (event.ScanOptions.ShareRaw).
func (s *statsStage) newGroup(key string, k []string) (*group, error) {
	if len(s.groups) >= s.max {
		return nil, groupsError(s.pos, "stats", s.max)
	}
	n := groupSize(key, len(s.specs))
	s.charged += n
	if err := s.mem.charge("stats", n); err != nil {
		return nil, err
	}
	kept := make([]string, len(k))
	for i, v := range k {
		kept[i] = strings.Clone(v)
	}
	g := s.reads.newGroup(kept, s.specs)
	s.groups[strings.Clone(key)] = g
	return g, nil
}

// mergeable reports whether several copies of s, each given part of the
// rows, can be merged into one that gives the same result: every function
// is order free (its aggregator a stats.Merger), and none has wildcards
// or an eval expression (compiled expressions are not run on several
// goroutines).
func (s *statsStage) mergeable() bool {
	for _, sp := range s.specs {
		if sp.wildcard() || sp.expr != nil || !sp.fn.OrderFree {
			return false
		}
	}
	return true
}

// absorb merges the groups of o, a copy of s that saw other rows, into s.
func (s *statsStage) absorb(o *statsStage) error {
	for key, og := range o.groups {
		g, ok := s.groups[key]
		if !ok {
			if len(s.groups) >= s.max {
				return &LimitError{Pos: s.pos, Limit: "max_groups", Msg: fmt.Sprintf("stats: more than %d groups (limit max_groups)", s.max)}
			}
			s.groups[key] = og
			continue
		}
		for i, a := range g.aggs {
			a.(stats.Merger).Merge(og.aggs[i])
		}
	}
	o.groups = nil
	return nil
}

// simpleKey is joinKey of a row's one BY combination when no BY field is
// multivalued (multi is then false), built without allocating: the string is
// only good until the next call. drop reports a null BY field
// (docs/semantics.md, "Commands").
func (s *statsStage) simpleKey(r *value.Row) (key string, drop, multi bool) {
	s.keyBuf = s.keyBuf[:0]
	for i := range s.by {
		v := s.byValue(r, i)
		switch {
		case v.IsNull():
			return "", true, false
		case v.Kind() == value.Multi:
			return "", false, true
		}
		if len(s.by) == 1 {
			return v.String(), false, false
		}
		if i > 0 {
			s.keyBuf = append(s.keyBuf, 0)
		}
		s.keyBuf = append(s.keyBuf, v.String()...)
	}
	return unsafe.String(unsafe.SliceData(s.keyBuf), len(s.keyBuf)), false, false
}

// byValue is a row's value of BY field i.
func (s *statsStage) byValue(r *value.Row, i int) value.Value {
	switch {
	case s.get != nil:
		return s.get(r, s.by[i])
	case s.byIDs != nil:
		return r.GetField(s.byIDs[i])
	}
	return r.Get(s.by[i])
}

// groupKeys is groupKeys of the row's BY values as byValue reads them.
func (s *statsStage) groupKeys(r *value.Row) [][]string {
	if s.get == nil {
		return groupKeys(r, s.by)
	}
	keys := [][]string{nil}
	for _, f := range s.by {
		vals := s.get(r, f).Values()
		if len(vals) == 0 {
			return nil
		}
		var next [][]string
		for _, k := range keys {
			for _, v := range vals {
				next = append(next, append(append([]string(nil), k...), v))
			}
		}
		keys = next
	}
	return keys
}

func (s *statsStage) Flush() error {
	if len(s.by) == 0 && len(s.groups) == 0 {
		// Without BY, stats always returns one row (count=0 on no input).
		s.groups[""] = s.reads.newGroup(nil, s.specs)
	}
	groups := make([]*group, 0, len(s.groups))
	for _, g := range s.groups {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i].key, groups[j].key
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	for _, g := range groups {
		row := s.groupRow(g)
		if s.filter == nil || s.filter.test(g, s.specs, row) {
			if s.filter != nil {
				row = s.groupRow(g)
			}
			g.write(s.specs, row)
		}
		if err := s.emit(row); err != nil {
			return err
		}
	}
	s.groups = nil
	s.mem.release(s.charged)
	s.charged = 0
	return s.emitter.Flush()
}

// groupRow is a new row holding g's BY values.
func (s *statsStage) groupRow(g *group) *value.Row {
	row := value.NewRow(nil)
	for i, f := range s.by {
		row.Set(f, value.Str(g.key[i]))
	}
	return row
}

// top|rare [N] [options] fields [by fields]: the most (least) common value
// combinations with count and percent, at most N (default 10) per group;
// useother=true adds a row for the combinations past the limit, each field
// set to otherstr (default OTHER) (Search Reference, "top", "rare").
func (p *planner) compileTop(c *spl.TopCommand) (stageBuilder, error) {
	limit := 10
	if c.Count != "" {
		limit, _ = strconv.Atoi(c.Count)
	}
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	if o.Has("limit") {
		limit = o.Int("limit")
	}
	countField, percentField := o.String("countfield"), o.String("percentfield")
	showCount, showPerc := o.Bool("showcount"), o.Bool("showperc")
	useOther, otherStr := o.Bool("useother"), o.String("otherstr")
	var fields []string
	for _, f := range c.Fields.Items {
		fields = append(fields, fieldName(f))
	}
	by, err := byFields(c.By)
	if err != nil {
		return nil, err
	}
	rare := c.Kind == "rare"
	type combo struct {
		vals  []string
		count int
		order int
	}
	maxGroups, pos := p.opts.MaxGroups, c.Pos
	return func(next Stage) (Stage, error) {
		return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, check: groupCounter(c.Kind, pos, append(append([]string{}, by...), fields...), maxGroups), done: func(rows []*value.Row) []*value.Row {
			type bucket struct {
				key    []string
				total  int
				combos map[string]*combo
			}
			buckets := map[string]*bucket{}
			var order []string
			n := 0
			for _, r := range rows {
				for _, bk := range groupKeys(r, by) {
					b, ok := buckets[joinKey(bk)]
					if !ok {
						b = &bucket{key: bk, combos: map[string]*combo{}}
						buckets[joinKey(bk)] = b
						order = append(order, joinKey(bk))
					}
					for _, fk := range groupKeys(r, fields) {
						cb, ok := b.combos[joinKey(fk)]
						if !ok {
							cb = &combo{vals: fk, order: n}
							n++
							b.combos[joinKey(fk)] = cb
						}
						cb.count++
						b.total++
					}
				}
			}
			sort.Strings(order)
			var out []*value.Row
			for _, k := range order {
				b := buckets[k]
				list := make([]*combo, 0, len(b.combos))
				for _, cb := range b.combos {
					list = append(list, cb)
				}
				sort.Slice(list, func(i, j int) bool {
					if list[i].count != list[j].count {
						return (list[i].count > list[j].count) != rare
					}
					return list[i].order < list[j].order
				})
				if limit > 0 && len(list) > limit {
					if useOther {
						other := &combo{vals: make([]string, len(fields))}
						for i := range other.vals {
							other.vals[i] = otherStr
						}
						for _, cb := range list[limit:] {
							other.count += cb.count
						}
						list = append(list[:limit:limit], other)
					} else {
						list = list[:limit]
					}
				}
				for _, cb := range list {
					row := value.NewRow(nil)
					for i, f := range by {
						row.Set(f, value.Str(b.key[i]))
					}
					for i, f := range fields {
						row.Set(f, value.Str(cb.vals[i]))
					}
					if showCount {
						row.Set(countField, value.Num(float64(cb.count)))
					}
					if showPerc {
						row.Set(percentField, value.Str(strconv.FormatFloat(100*float64(cb.count)/float64(b.total), 'f', 6, 64)))
					}
					out = append(out, row)
				}
			}
			return out
		}}, nil
	}, nil
}
