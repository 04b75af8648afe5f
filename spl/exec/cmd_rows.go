package exec

import (
	"sort"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// Streaming commands that work on values of one result, or of one result
// and the few before it: strcat, rangemap, filldown, uniq, accum, delta,
// autoregress. Each follows its page of Splunk's Search Reference; the
// choices where a page is silent are in docs/semantics.md ("Commands").
//
// Descriptors: strcat and rangemap are streaming and row by row; filldown,
// uniq, accum, delta and autoregress are streaming but depend on the order
// of the rows (not row by row).

// compileStrcat: `strcat [allrequired=b] source... dest` (Search Reference,
// "strcat"). Quoted sources are literal text; a missing field is empty
// text unless allrequired=t, which leaves dest untouched.
func (p *planner) compileStrcat(c *spl.StrcatCommand) (stageBuilder, error) {
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	allRequired := opts.Bool("allrequired")
	items := c.Fields.Items
	if len(items) < 2 {
		return nil, errorf(c.Pos, "strcat needs at least one source and a destination field")
	}
	dest := items[len(items)-1]
	if dest.IsQuoted() {
		return nil, errorf(dest.Pos, "strcat: the destination %s must be a field name, not a quoted string", dest.Raw)
	}
	type part struct {
		text  string
		field bool
	}
	parts := make([]part, 0, len(items)-1)
	for _, w := range items[:len(items)-1] {
		if w.IsQuoted() {
			parts = append(parts, part{text: w.Text()})
		} else {
			parts = append(parts, part{text: fieldName(w), field: true})
		}
	}
	name := fieldName(dest)
	maxBytes := p.ctx.MaxValueBytes
	if maxBytes <= 0 {
		maxBytes = eval.DefaultMaxValueBytes
	}
	return filterStage(func(r *value.Row) (bool, error) {
		var b strings.Builder
		for _, pt := range parts {
			if !pt.field {
				b.WriteString(pt.text)
				continue
			}
			v := r.Get(pt.text)
			if v.IsNull() {
				if allRequired {
					return true, nil
				}
				continue
			}
			b.WriteString(v.First())
			if b.Len() > maxBytes {
				return false, &LimitError{Limit: "max_value_bytes", Msg: "strcat: the value is longer than " + strconv.Itoa(maxBytes) + " bytes (limit max_value_bytes)"}
			}
		}
		r.Set(name, value.Str(b.String()))
		return true, nil
	}), nil
}

// compileRangemap: `rangemap field=f name=lo-hi ... [default=s]` (Search
// Reference, "rangemap"): range is the name of every range (inclusive)
// the numeric value falls in, in the order written; default (else "None")
// when it falls in none or is not a number.
func (p *planner) compileRangemap(c *spl.RangemapCommand) (stageBuilder, error) {
	type rng struct {
		name   string
		lo, hi float64
	}
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	field, def := opts.Field("field"), opts.String("default")
	var ranges []rng
	for _, o := range opts.Others() {
		lo, hi, ok := parseRange(o.Value.Text())
		if !ok {
			return nil, errorf(o.Value.Pos, "rangemap: %s=%s is not a numeric range such as 1-100", o.Name, o.Value.Raw)
		}
		ranges = append(ranges, rng{name: o.Name, lo: lo, hi: hi})
	}
	if field == "" {
		return nil, errorf(c.Pos, "rangemap needs field=<name>")
	}
	return mapStage(func(r *value.Row) {
		var names []string
		if x, ok := r.Get(field).Number(); ok {
			for _, g := range ranges {
				if x >= g.lo && x <= g.hi {
					names = append(names, g.name)
				}
			}
		}
		if len(names) == 0 {
			r.Set("range", value.Str(def))
			return
		}
		r.Set("range", value.MV(names))
	}), nil
}

// parseRange reads "lo-hi", where each bound may be negative or have a
// fraction: "-10--5", "1.5-2".
func parseRange(s string) (lo, hi float64, ok bool) {
	for i := 1; i < len(s); i++ {
		if s[i] != '-' {
			continue
		}
		a, err1 := strconv.ParseFloat(s[:i], 64)
		b, err2 := strconv.ParseFloat(s[i+1:], 64)
		if err1 == nil && err2 == nil {
			return a, b, true
		}
	}
	return 0, 0, false
}

// compileFilldown: `filldown [fields]` (Search Reference, "filldown"): a
// null field takes the last non-null value it had in an earlier result;
// without fields, every field seen so far.
func (p *planner) compileFilldown(c *spl.FilldownCommand) (stageBuilder, error) {
	var pats []*pattern
	for _, f := range c.Fields.Items {
		pats = append(pats, newPattern(fieldName(f), true))
	}
	matches := func(name string) bool {
		if len(pats) == 0 {
			return true
		}
		for _, pt := range pats {
			if pt.match(name) {
				return true
			}
		}
		return false
	}
	return func(next Stage) (Stage, error) {
		var order []string
		last := map[string]value.Value{}
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			for _, n := range order {
				if r.Get(n).IsNull() {
					r.Set(n, last[n])
				}
			}
			r.Each(func(n string, v value.Value) {
				if !matches(n) {
					return
				}
				if _, seen := last[n]; !seen {
					n = strings.Clone(n)
					order = append(order, n)
				}
				last[n] = v.Clone()
			})
			return true, nil
		}}, nil
	}, nil
}

// compileUniq: `uniq` (Search Reference, "uniq") drops a result identical
// to the one before it: the same fields with the same values.
func (p *planner) compileUniq(*spl.UniqCommand) (stageBuilder, error) {
	return func(next Stage) (Stage, error) {
		prev, have := "", false
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			k := rowKey(r, "")
			keep := !have || k != prev
			prev, have = k, true
			return keep, nil
		}}, nil
	}, nil
}

// rowKey is a text that equals another row's exactly when both have the
// same fields with the same values, leaving out the field skip.
func rowKey(r *value.Row, skip string) string {
	type kv struct {
		name string
		v    value.Value
	}
	var fields []kv
	r.Each(func(n string, v value.Value) {
		if n != skip {
			fields = append(fields, kv{n, v})
		}
	})
	sort.Slice(fields, func(i, j int) bool { return fields[i].name < fields[j].name })
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.name)
		b.WriteByte(0)
		for _, s := range f.v.Values() {
			b.WriteString(s)
			b.WriteByte(1)
		}
		b.WriteByte(0xff)
	}
	return b.String()
}

// compileAccum: `accum field [AS new]` (Search Reference, "accum"): the
// running total of the field's numeric values, on every result where the
// field is a number; others pass unchanged.
func (p *planner) compileAccum(c *spl.AccumCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	out := field
	if c.As != nil {
		out = fieldName(c.As)
	}
	return func(next Stage) (Stage, error) {
		total := 0.0
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			if x, ok := r.Get(field).Number(); ok {
				total += x
				r.Set(out, value.Num(total))
			}
			return true, nil
		}}, nil
	}, nil
}

// compileDelta: `delta field [AS new] [p=N]` (Search Reference, "delta"):
// on a result where the field is a number, its value minus the value of
// the p-th result before it that had a numeric value (default p=1, name
// delta(field)); nothing on the first p such results.
func (p *planner) compileDelta(c *spl.DeltaCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	out := "delta(" + field + ")"
	if c.As != nil {
		out = fieldName(c.As)
	}
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	back := opts.Int("p")
	if back > maxLookBack {
		return nil, errorf(opts.Word("p").Pos, "delta p=%d: at most %d results back", back, maxLookBack)
	}
	return func(next Stage) (Stage, error) {
		ring := make([]float64, back)
		seen := 0
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			x, ok := r.Get(field).Number()
			if !ok {
				return true, nil
			}
			if seen >= back {
				r.Set(out, value.Num(x-ring[seen%back]))
			}
			ring[seen%back] = x
			seen++
			return true, nil
		}}, nil
	}, nil
}

// maxLookBack caps how many results delta and autoregress look back, as
// they hold that many values: autoregress's p is documented up to 10000
// (Search Reference, "autoregress").
const maxLookBack = 10000

// compileAutoregress: `autoregress field [AS new] [p=N | p=M-N]` (Search
// Reference, "autoregress"): copies the field's value of the N-th result
// before into field_pN (or the AS name, with a single p); results too
// early, or whose earlier result lacks the field, get nothing.
func (p *planner) compileAutoregress(c *spl.AutoregressCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	a, b, isRange := strings.Cut(opts.String("p"), "-")
	from, err1 := strconv.Atoi(a)
	to, err2 := from, error(nil)
	if isRange {
		to, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || from < 1 || to < from || to > maxLookBack {
		w := opts.Word("p")
		return nil, errorf(w.Pos, "autoregress p=%s: want a number or a range such as 2-5, from 1 to %d", w.Raw, maxLookBack)
	}
	if c.As != nil && from != to {
		return nil, errorf(c.As.Pos, "autoregress: AS names one field, so p must be a single number")
	}
	names := make([]string, 0, to-from+1)
	for k := from; k <= to; k++ {
		if c.As != nil {
			names = append(names, fieldName(c.As))
		} else {
			names = append(names, field+"_p"+strconv.Itoa(k))
		}
	}
	return func(next Stage) (Stage, error) {
		ring := make([]value.Value, to)
		seen := 0
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			cur := r.Get(field).Clone()
			for k := from; k <= to; k++ {
				if seen >= k {
					if v := ring[(seen-k)%to]; !v.IsNull() {
						r.Set(names[k-from], v)
					}
				}
			}
			ring[seen%to] = cur
			seen++
			return true, nil
		}}, nil
	}, nil
}
