package exec

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// bin|bucket [span=...] field [AS new]: floor values to multiples of the
// span. _time spans (s m h d w) align to epoch multiples in UTC; numeric
// fields become "lo-hi" ranges, as Splunk prints them (docs/semantics.md,
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
	span := o.Word("span")
	if span == nil {
		return nil, unsupported(c.Pos, "bin without span= is not supported by the evaluator")
	}
	isTime := field == "_time"
	seconds, numeric, err := parseSpan(span.Text(), isTime)
	if err != nil {
		return nil, errorf(span.Pos, "bin: %v", err)
	}
	return mapStage(func(r *value.Row) {
		v, ok := r.Get(field).Number()
		if !ok {
			return
		}
		if isTime {
			r.Set(dest, value.Num(math.Floor(v/seconds)*seconds))
			return
		}
		lo := math.Floor(v/numeric) * numeric
		r.Set(dest, value.Str(value.FormatNumber(lo)+"-"+value.FormatNumber(lo+numeric)))
	}), nil
}

// parseSpan reads a span: a time span in seconds for _time (30s, 5m, 1h,
// 1d, 1w), else a plain number.
func parseSpan(s string, isTime bool) (seconds, numeric float64, err error) {
	if !isTime {
		n, ok := value.ParseNumber(s)
		if !ok || n <= 0 {
			return 0, 0, fmt.Errorf("span=%s is not a positive number", s)
		}
		return 0, n, nil
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	n := 1.0
	if i > 0 {
		n, err = strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, 0, fmt.Errorf("span=%s: bad number", s)
		}
	}
	unit := strings.ToLower(s[i:])
	mult := map[string]float64{"": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
		"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
		"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
		"d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800}
	m, ok := mult[unit]
	if !ok || n <= 0 {
		return 0, 0, fmt.Errorf("span=%s: unsupported unit %q", s, unit)
	}
	return n * m, 0, nil
}

// rex [field=_raw] [max_match=N] "regex" (named groups become fields; no
// match leaves them alone) or rex mode=sed "s/re/rep/flags".
func (p *planner) compileRex(c *spl.RexCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	field, maxMatch, mode := o.Field("field"), o.Int("max_match"), strings.ToLower(o.String("mode"))
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
		for _, s := range v.Values() {
			for _, m := range re.FindAllStringSubmatchIndex(s, n) {
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
