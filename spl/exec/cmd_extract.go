package exec

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// bin|bucket [span=...] [bins=N] [minspan=...] [aligntime=...]
// [start=n] [end=n] field [AS new]: floor values to multiples of the span.
// Time bins are epoch seconds, aligned to epoch multiples in UTC or to
// aligntime; numeric fields become "lo-hi" ranges, as Splunk prints them.
// Without span= the span is chosen from the data so that there are at most
// bins (default 100) bins (Search Reference, "bin"; docs/semantics.md,
// "Commands").
func (p *planner) compileBin(c *spl.BinCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	dest := field
	if c.As != nil {
		dest = fieldName(c.As)
	}
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	span, align := o.Word("span"), o.Word("aligntime")
	bins, minSpan := o.Int("bins"), 0.0
	if w := o.Word("minspan"); w != nil {
		n, _, err := parseSpan(w.Text(), true)
		if err != nil {
			return nil, errorf(w.Pos, "bin: minspan: %v", err)
		}
		minSpan = n
	}
	start, end := math.NaN(), math.NaN()
	for name, dst := range map[string]*float64{"start": &start, "end": &end} {
		if w := o.Word(name); w != nil {
			n, ok := value.ParseNumber(w.Text())
			if !ok {
				return nil, errorf(w.Pos, "bin: %s must be a number", name)
			}
			*dst = n
		}
	}
	var size float64
	isTime := field == "_time"
	if span != nil {
		var err error
		size, isTime, err = parseSpan(span.Text(), isTime)
		if err != nil {
			var u errUnsupportedSpan
			if errors.As(err, &u) {
				return nil, unsupported(span.Pos, "bin: %v", err)
			}
			return nil, errorf(span.Pos, "bin: %v", err)
		}
	}
	offset := 0.0
	if align != nil {
		if !isTime {
			return nil, errorf(align.Pos, "bin: aligntime is valid only for time bins")
		}
		switch t := strings.ToLower(align.Text()); t {
		case "earliest", "latest":
			return nil, unsupported(align.Pos, "bin: aligntime=%s needs the search's time range, which the evaluator does not have", t)
		default:
			at, err := p.resolveTime(align.Text())
			if err != nil {
				return nil, errorf(align.Pos, "bin: aligntime=%s: %v", align.Text(), err)
			}
			offset = at
		}
	}
	put := func(r *value.Row, v, size float64) {
		if isTime {
			// aligntime is ignored for spans in days (the page).
			off := offset
			if math.Mod(size, 86400) == 0 {
				off = 0
			}
			r.Set(dest, value.Num(math.Floor((v-off)/size)*size+off))
			return
		}
		lo := math.Floor(v/size) * size
		r.Set(dest, value.Str(value.FormatNumber(lo)+"-"+value.FormatNumber(lo+size)))
	}
	if span != nil {
		return mapStage(func(r *value.Row) {
			if v, ok := r.Get(field).Number(); ok {
				put(r, v, size)
			}
		}), nil
	}
	return func(next Stage) (Stage, error) {
		return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, done: func(rows []*value.Row) []*value.Row {
			lo, hi := start, end
			for _, r := range rows {
				if v, ok := r.Get(field).Number(); ok {
					if math.IsNaN(lo) || v < lo {
						lo = v
					}
					if math.IsNaN(hi) || v > hi {
						hi = v
					}
				}
			}
			if math.IsNaN(lo) || math.IsNaN(hi) {
				return rows
			}
			size := autoSpan(lo, hi, bins, minSpan, isTime)
			for _, r := range rows {
				if v, ok := r.Get(field).Number(); ok {
					put(r, v, size)
				}
			}
			return rows
		}}, nil
	}, nil
}

// autoTimeSpans are the spans bin chooses from for time without span=
// (our choice; the Search Reference's bin page names only the bins limit).
var autoTimeSpans = []float64{1, 5, 10, 30, 60, 300, 600, 1800, 3600, 86400, 7 * 86400}

// autoSpan is the smallest span at least minSpan that puts lo..hi in at
// most bins bins: a power of ten for numbers, one of autoTimeSpans (then
// doubling weeks) for time.
func autoSpan(lo, hi float64, bins int, minSpan float64, isTime bool) float64 {
	count := func(size float64) float64 { return math.Floor(hi/size) - math.Floor(lo/size) + 1 }
	if isTime {
		for _, s := range autoTimeSpans {
			if s >= minSpan && count(s) <= float64(bins) {
				return s
			}
		}
		s := autoTimeSpans[len(autoTimeSpans)-1]
		for s < minSpan || count(s) > float64(bins) {
			s *= 2
		}
		return s
	}
	s := 1.0 // one value: a bin of width 1 (our choice)
	if hi > lo {
		s = math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(bins))))
	}
	for s < minSpan || count(s) > float64(bins) {
		s *= 10
	}
	return s
}

// spanUnits are bin's timescales in seconds (Search Reference, "bin":
// <timescale> is sec, min, hr, day or subseconds; w is timechart's week).
var spanUnits = map[string]float64{
	"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
	"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
	"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
	"d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800,
	"us": 1e-6, "ms": 1e-3, "cs": 1e-2, "ds": 1e-1,
}

// errUnsupportedSpan is a span Splunk accepts that the evaluator cannot
// bin (months, logarithmic spans).
type errUnsupportedSpan string

func (e errUnsupportedSpan) Error() string { return string(e) }

// parseSpan reads bin's span=<int>[<timescale>]. A span with a timescale
// is a time range whatever the field (Search Reference, "bin": "If
// discretizing based on the _time field or used with a timescale, this is
// treated as a time range"), and so is a bare number on _time; the size is
// then in seconds and the bins are the floored values. A bare number on
// another field is a numeric bin width ("lo-hi" ranges).
func parseSpan(s string, onTime bool) (size float64, isTime bool, err error) {
	if n, ok := value.ParseNumber(s); ok {
		if n <= 0 {
			return 0, false, fmt.Errorf("span=%s is not a positive number", s)
		}
		return n, onTime, nil
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	n := 1.0
	if i > 0 {
		n, err = strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, false, fmt.Errorf("span=%s: bad number", s)
		}
	}
	unit := strings.ToLower(s[i:])
	switch unit {
	case "mon", "month", "months":
		return 0, false, errUnsupportedSpan("span=" + s + ": month spans are not supported by the evaluator")
	}
	if strings.Contains(unit, "log") {
		return 0, false, errUnsupportedSpan("span=" + s + ": log spans are not supported by the evaluator")
	}
	m, ok := spanUnits[unit]
	if !ok || n <= 0 {
		return 0, false, fmt.Errorf("span=%s: unknown timescale %q", s, unit)
	}
	return n * m, true, nil
}

// rex [field=_raw] [max_match=N] [offset_field=f] "regex" (named groups
// become fields; no match leaves them alone; offset_field gets each
// match's zero-based first-last character positions, "0-9", as the Search
// Reference's rex page shows) or rex mode=sed "s/re/rep/flags" (flags: g
// for every match, N for the Nth).
func (p *planner) compileRex(c *spl.RexCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	field, maxMatch, mode := o.Field("field"), o.Int("max_match"), strings.ToLower(o.String("mode"))
	offsetField := o.Field("offset_field")
	text := c.Regex.Text()
	if mode == "sed" {
		fn, err := sedExpression(text, p.ctx)
		if err != nil {
			return nil, errorf(c.Regex.Pos, "rex: %v", err)
		}
		return mapStage(func(r *value.Row) {
			v := r.Get(field)
			if v.IsNull() {
				return
			}
			r.Set(field, eachValue(v, func(s string) (string, bool) { return fn(s), true }))
		}), nil
	}
	re, err := p.ctx.Regexp(text)
	if err != nil {
		return nil, errorf(c.Regex.Pos, "rex: %v", err)
	}
	names := re.SubexpNames()
	return mapStage(func(r *value.Row) {
		v := r.Get(field)
		if v.IsNull() {
			return
		}
		n := maxMatch
		if n == 0 {
			n = -1
		}
		found := map[string][]string{}
		var offsets []string
		for _, s := range v.Values() {
			for _, m := range re.FindAllStringSubmatchIndex(s, n) {
				if offsetField != "" {
					start := utf8.RuneCountInString(s[:m[0]])
					end := start + utf8.RuneCountInString(s[m[0]:m[1]]) - 1
					offsets = append(offsets, strconv.Itoa(start)+"-"+strconv.Itoa(end))
				}
				for g, name := range names {
					if name == "" || m[2*g] < 0 {
						continue
					}
					found[name] = append(found[name], s[m[2*g]:m[2*g+1]])
				}
			}
		}
		for _, name := range names {
			if vals, ok := found[name]; ok {
				r.Set(name, value.MV(vals))
				delete(found, name)
			}
		}
		if offsetField != "" && len(offsets) > 0 {
			r.Set(offsetField, value.MV(offsets))
		}
	}), nil
}

// sedExpression compiles s/re/replacement/flags (flags g or a number) and
// y/from/to/; \1 in the replacement is a group of the match.
func sedExpression(expr string, ctx *eval.Context) (func(string) string, error) {
	if len(expr) < 2 || (expr[0] != 's' && expr[0] != 'y') {
		return nil, fmt.Errorf("sed expression %q must start with s/ or y/", expr)
	}
	delim := expr[1]
	parts := splitSed(expr[2:], delim)
	if len(parts) != 3 {
		return nil, fmt.Errorf("sed expression %q needs three parts", expr)
	}
	if expr[0] == 'y' {
		from, to := []rune(parts[0]), []rune(parts[1])
		if len(from) != len(to) {
			return nil, fmt.Errorf("y/// needs equal lengths")
		}
		return func(s string) string {
			return strings.Map(func(r rune) rune {
				for i, f := range from {
					if f == r {
						return to[i]
					}
				}
				return r
			}, s)
		}, nil
	}
	re, err := ctx.Regexp(parts[0])
	if err != nil {
		return nil, err
	}
	rep := parts[1]
	flags := parts[2]
	if flags == "g" {
		return func(s string) string { out, _ := ctx.Replace(re, s, rep); return out }, nil
	}
	nth := 1
	if flags != "" {
		if nth, err = strconv.Atoi(flags); err != nil || nth < 1 {
			return nil, fmt.Errorf("sed flags %q: want g or a number", flags)
		}
	}
	return func(s string) string {
		ms := re.FindAllStringSubmatchIndex(s, nth)
		if len(ms) < nth {
			return s
		}
		m := ms[nth-1]
		return s[:m[0]] + string(regex.AppendReplacement(nil, rep, s, m)) + s[m[1]:]
	}, nil
}

func splitSed(s string, delim byte) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == delim:
			b.WriteByte(delim)
			i++
		case s[i] == delim:
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(parts, b.String())
}

// RegexpTimeouts lists the regular expressions of the plan whose matches
// on the backtracking engine hit the time limit and so counted as no match
// (docs/regex.md): a verdict of a run that has any is in doubt.
func (pl *Plan) RegexpTimeouts() []regex.Timeout { return pl.ctx.RegexpTimeouts() }

// FunctionErrors lists the eval functions of the plan whose calls failed
// and gave null, for a report.
func (pl *Plan) FunctionErrors() []eval.FunctionError { return pl.ctx.FunctionErrors() }

// RegexBudgetError is the error of a run whose backtracking matches spent
// the search's regex budget (regex_budget_ms), nil otherwise. Later
// matches counted as no match, so the run's results cannot be trusted.
func (pl *Plan) RegexBudgetError() error {
	b := pl.ctx.RegexBudget
	if !b.Exhausted() {
		return nil
	}
	return &LimitError{Limit: "regex_budget_ms", Msg: fmt.Sprintf("regular expressions of the search took more than their budget of %v in all (limit regex_budget_ms); later matches counted as no match", b.Limit())}
}

// regex [field=|field!=]"re": keep results whose field matches (or not).
func (p *planner) compileRegex(c *spl.RegexCommand) (stageBuilder, error) {
	field, negate := "_raw", false
	if c.Field != nil {
		field = fieldName(c.Field)
		negate = c.Op == "!="
	}
	re, err := p.ctx.Regexp(c.Regex.Text())
	if err != nil {
		return nil, errorf(c.Regex.Pos, "regex: %v", err)
	}
	return filterStage(func(r *value.Row) (bool, error) {
		v := r.Get(field)
		if v.IsNull() {
			return false, nil
		}
		for _, s := range v.Values() {
			if re.MatchString(s) {
				return !negate, nil
			}
		}
		return negate, nil
	}), nil
}

// spath [input=f] [output=f] [path=p]: with a path, the value there (an
// object or array as JSON text, {} giving all elements); without, every leaf
// of the input JSON, named as KV_MODE=json names them (docs/semantics.md,
// "Commands").
func (p *planner) compileSpath(c *spl.SpathCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	input, output, path := o.Field("input"), o.Field("output"), o.String("path")
	if c.Path != nil {
		path = c.Path.Text()
	}
	if path == "" {
		return mapStage(func(r *value.Row) {
			v := r.Get(input)
			if v.IsNull() {
				return
			}
			ev := &event.Event{Raw: v.First()}
			event.NewFields(ev, event.Need{All: true}).EachJSON(func(name string, val value.Value) {
				r.Set(name, val)
			})
		}), nil
	}
	if output == "" {
		output = path
	}
	fn, ok := eval.Lookup("spath")
	if !ok || fn.Call == nil {
		return nil, unsupported(c.Pos, "spath with a path needs the spath() eval function")
	}
	ctx := p.ctx
	pathValue := value.Str(path)
	return mapStage(func(r *value.Row) {
		v := r.Get(input)
		if v.IsNull() {
			return
		}
		out, err := fn.Call(ctx, []value.Value{value.Str(v.First()), pathValue})
		if err != nil || out.IsNull() {
			return
		}
		r.Set(output, out)
	}), nil
}

// mvexpand field [limit=N]: one result per value; results without the
// field pass unchanged (UNCONFIRMED; docs/semantics.md).
func (p *planner) compileMvexpand(c *spl.MvexpandCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	limit := o.Int("limit")
	return func(next Stage) (Stage, error) {
		s := &expandStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, pos: c.Pos}
		s.fn = func(r *value.Row) []*value.Row {
			vals := r.Get(field).Values()
			if len(vals) <= 1 {
				return []*value.Row{r}
			}
			if limit > 0 && len(vals) > limit {
				vals = vals[:limit]
			}
			out := make([]*value.Row, len(vals))
			for i, v := range vals {
				c := r.Clone()
				c.Set(field, value.Str(v))
				out[i] = c
			}
			return out
		}
		return s, nil
	}, nil
}

// expandStage emits any number of rows for each input row.
type expandStage struct {
	emitter
	fn func(*value.Row) []*value.Row
	// max caps the rows the stage makes in all (maxresultrows; 0: none),
	// so that an mvexpand of 10^10 rows stops with an error.
	max, made int
	pos       spl.Pos
}

func (s *expandStage) Push(r *value.Row) error {
	out := s.fn(r)
	if s.made += len(out); s.max > 0 && s.made > s.max {
		return &LimitError{Pos: s.pos, Limit: "maxresultrows", Msg: fmt.Sprintf("mvexpand: more than %d rows (limit maxresultrows)", s.max)}
	}
	for _, o := range out {
		if err := s.emit(o); err != nil {
			return err
		}
	}
	return nil
}

// fromjson field [prefix=p]: the top-level keys of a JSON object become
// fields; arrays become multivalues, objects JSON text.
func (p *planner) compileFromjson(c *spl.FromjsonCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	prefix := o.String("prefix")
	return mapStage(func(r *value.Row) {
		v := r.Get(field)
		if v.IsNull() {
			return
		}
		var obj map[string]json.RawMessage
		dec := json.NewDecoder(strings.NewReader(v.First()))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil {
			return
		}
		keys := orderedKeys(v.First())
		for _, k := range keys {
			raw, ok := obj[k]
			if !ok {
				continue
			}
			r.Set(prefix+k, jsonValue(raw))
		}
	}), nil
}

// orderedKeys returns the top-level keys of a JSON object in document
// order (encoding/json maps lose it).
func orderedKeys(s string) []string {
	dec := json.NewDecoder(strings.NewReader(s))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// jsonValue renders a JSON value as a field value.
func jsonValue(raw json.RawMessage) value.Value {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return value.Str("null")
	case strings.HasPrefix(s, `"`):
		var str string
		_ = json.Unmarshal(raw, &str)
		return value.Str(str)
	case strings.HasPrefix(s, "["):
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		var vals []string
		for _, it := range items {
			vals = append(vals, jsonValue(it).First())
		}
		return value.MV(vals)
	}
	return value.Str(s)
}
