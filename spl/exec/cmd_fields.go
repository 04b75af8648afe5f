package exec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/timefmt"
	"github.com/splharness/splharness/spl/value"
)

// eval f=expr, ...: assignments run left to right; each sees the earlier
// ones; a null result removes the field ([D-eval]).
func (p *planner) compileEval(c *spl.EvalCommand) (stageBuilder, error) {
	type assign struct {
		field string
		ev    eval.Evaluator
	}
	var as []assign
	for _, a := range c.Assignments {
		ev, err := p.ec.CompileAssignment(a.Expr)
		if err != nil {
			return nil, exprError(err)
		}
		as = append(as, assign{fieldName(a.Field), ev})
	}
	return mapStage(func(r *value.Row) {
		for _, a := range as {
			r.Set(a.field, a.ev(r))
		}
	}), nil
}

// rename a AS b: wildcards carry the matched part over ([D-rename]). A
// missing source leaves the destination as it is (UNCONFIRMED;
// docs/semantics.md).
func (p *planner) compileRename(c *spl.RenameCommand) (stageBuilder, error) {
	type pair struct{ from, to string }
	var pairs []pair
	for _, r := range c.Renames {
		from, to := fieldName(r.From), fieldName(r.To)
		if strings.Count(to, "*") > 0 && strings.Count(to, "*") != strings.Count(from, "*") {
			return nil, errorf(r.To.Pos, "rename: %s and %s must have the same number of wildcards", from, to)
		}
		pairs = append(pairs, pair{from, to})
	}
	return mapStage(func(r *value.Row) {
		for _, pr := range pairs {
			if !strings.Contains(pr.from, "*") {
				v := r.Get(pr.from)
				if v.IsNull() || pr.from == pr.to {
					continue
				}
				r.Delete(pr.from)
				r.Set(pr.to, v)
				continue
			}
			for _, name := range matchFields(r, pr.from) {
				caps, ok := wildcardCapture(pr.from, name)
				if !ok {
					continue
				}
				to := fillWildcards(pr.to, caps)
				if to == name {
					continue
				}
				v := r.Get(name)
				r.Delete(name)
				r.Set(to, v)
			}
		}
	}), nil
}

// table f1 f2 w*: a new row with only those fields, in that order.
func (p *planner) compileTable(c *spl.TableCommand) (stageBuilder, error) {
	var names []string
	for _, f := range c.Fields.Items {
		names = append(names, fieldName(f))
	}
	return transformStage(func(r *value.Row) *value.Row { return projectTable(r, names) }), nil
}

// transformStage replaces every row by fn's result.
type transform struct {
	emitter
	fn func(*value.Row) *value.Row
}

func (s *transform) Push(r *value.Row) error { return s.emit(s.fn(r)) }

func transformStage(fn func(*value.Row) *value.Row) stageBuilder {
	return func(next Stage) (Stage, error) { return &transform{emitter: emitter{next: next}, fn: fn}, nil }
}

// fields [+|-] list: keep or remove. fields + keeps _raw and _time unless
// they are removed explicitly (UNCONFIRMED; docs/semantics.md).
func (p *planner) compileFields(c *spl.FieldsCommand) (stageBuilder, error) {
	var names []string
	for _, f := range c.Fields.Items {
		names = append(names, fieldName(f))
	}
	if c.Mode == "-" {
		return mapStage(func(r *value.Row) {
			for _, n := range names {
				for _, m := range matchFields(r, n) {
					r.Delete(m)
				}
			}
		}), nil
	}
	return mapStage(func(r *value.Row) {
		keep := map[string]bool{"_raw": true, "_time": true}
		for _, n := range names {
			for _, m := range matchFields(r, n) {
				keep[m] = true
			}
		}
		for _, n := range r.Names() {
			if !keep[n] {
				r.Delete(n)
			}
		}
	}), nil
}

// projectTable builds table's output row.
func projectTable(r *value.Row, names []string) *value.Row {
	out := value.NewRow(nil)
	for _, n := range names {
		for _, m := range matchFields(r, n) {
			out.Set(m, r.Get(m))
		}
	}
	return out
}

// convert: ctime and friends ([SPL8212 searchbnf convert]; default
// timeformat %m/%d/%Y %H:%M:%S). A missing field is left alone.
func (p *planner) compileConvert(c *spl.ConvertCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	format := o.String("timeformat")
	type conv struct {
		fn        func(value.Value) value.Value
		field, as string
	}
	var convs []conv
	loc := p.ctx.Location
	for _, cv := range c.Conversions.Items {
		var fn func(value.Value) value.Value
		switch cv.Func {
		case "ctime":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					t, ok := value.ParseNumber(s)
					if !ok {
						return s, true
					}
					tm, ok := timefmt.EpochTime(t, loc)
					if !ok {
						return s, true
					}
					return timefmt.Strftime(tm, format), true
				})
			}
		case "mktime":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					t, ok := timefmt.Strptime(s, format, loc)
					if !ok {
						return s, true
					}
					return value.FormatNumber(float64(t.UnixNano()) / 1e9), true
				})
			}
		case "num", "auto":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					if n, ok := value.ParseNumber(strings.ReplaceAll(s, ",", "")); ok {
						return value.FormatNumber(n), true
					}
					return s, cv.Func == "auto"
				})
			}
		case "rmcomma":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) { return strings.ReplaceAll(s, ",", ""), true })
			}
		case "rmunit":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					i := 0
					for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '-' || s[i] == '+') {
						i++
					}
					if i == 0 {
						return s, true
					}
					return s[:i], true
				})
			}
		case "dur2sec":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					if n, ok := durationSeconds(s); ok {
						return value.FormatNumber(n), true
					}
					return s, true
				})
			}
		case "none":
			fn = func(v value.Value) value.Value { return v }
		default:
			return nil, unsupported(cv.Pos, "convert function %s() is not supported by the evaluator", cv.Func)
		}
		as := ""
		if cv.As != nil {
			as = fieldName(cv.As)
		}
		convs = append(convs, conv{fn, fieldName(cv.Field), as})
	}
	return mapStage(func(r *value.Row) {
		for _, cv := range convs {
			for _, name := range matchFields(r, cv.field) {
				v := r.Get(name)
				if v.IsNull() {
					continue
				}
				dest := name
				if cv.as != "" {
					dest = cv.as
				}
				r.Set(dest, cv.fn(v))
			}
		}
	}), nil
}

// eachValue maps every value of v; fn's false drops a value.
func eachValue(v value.Value, fn func(string) (string, bool)) value.Value {
	vals := v.Values()
	out := make([]string, 0, len(vals))
	for _, s := range vals {
		if t, ok := fn(s); ok {
			out = append(out, t)
		}
	}
	return value.MV(out)
}

// durationSeconds reads [D+]HH:MM:SS(.fff).
func durationSeconds(s string) (float64, bool) {
	days := 0.0
	if i := strings.IndexByte(s, '+'); i > 0 {
		d, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, false
		}
		days, s = d, s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, false
	}
	total := 0.0
	for _, part := range parts {
		f, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return 0, false
		}
		total = total*60 + f
	}
	return days*86400 + total, true
}

// fillnull [value=v] [fields]: with fields, they are created where absent;
// without, every field present in some result is filled where absent
// ([D-fillnull]), which needs all results first.
func (p *planner) compileFillnull(c *spl.FillnullCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	text := o.String("value")
	var names []string
	for _, f := range c.Fields.Items {
		names = append(names, fieldName(f))
	}
	fill := value.Str(text)
	if len(names) > 0 {
		return mapStage(func(r *value.Row) {
			for _, n := range names {
				if r.Get(n).IsNull() {
					r.Set(n, fill)
				}
			}
		}), nil
	}
	return func(next Stage) (Stage, error) {
		return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, done: func(rows []*value.Row) []*value.Row {
			seen := map[string]bool{}
			var order []string
			for _, r := range rows {
				for _, n := range r.Names() {
					if !seen[n] {
						seen[n] = true
						order = append(order, n)
					}
				}
			}
			for _, r := range rows {
				for _, n := range order {
					if r.Get(n).IsNull() {
						r.Set(n, fill)
					}
				}
			}
			return rows
		}}, nil
	}, nil
}

// collectStage keeps every row and hands them to done at the end.
type collectStage struct {
	emitter
	rows []*value.Row
	done func([]*value.Row) []*value.Row
	// max caps the rows held (maxresultrows): sort 0 of 10M rows must
	// stop with an error, not take 8 GB.
	max int
	// check, when set, sees every row as it comes: top and eventstats
	// count their groups there against max_groups.
	check func(r *value.Row) error
	// mem is the search's memory budget; held is what the rows charged.
	mem  *memBudget
	held int
}

func (s *collectStage) Push(r *value.Row) error {
	if s.max > 0 && len(s.rows) >= s.max {
		return &LimitError{Limit: "maxresultrows", Msg: fmt.Sprintf("more than %d rows held by one command (limit maxresultrows)", s.max)}
	}
	if s.mem != nil {
		n := rowSize(r)
		s.held += n
		if err := s.mem.charge("rows held by one command", n); err != nil {
			return err
		}
	}
	if s.check != nil {
		if err := s.check(r); err != nil {
			return err
		}
	}
	s.rows = append(s.rows, r)
	return nil
}

// groupCounter returns a check that fails once the rows seen make more
// than max distinct combinations of fields (max_groups).
func groupCounter(command string, pos spl.Pos, fields []string, max int) func(r *value.Row) error {
	seen := map[string]struct{}{}
	return func(r *value.Row) error {
		for _, k := range groupKeys(r, fields) {
			key := joinKey(k)
			if _, ok := seen[key]; !ok {
				if len(seen) >= max {
					return groupsError(pos, command, max)
				}
				seen[strings.Clone(key)] = struct{}{}
			}
		}
		return nil
	}
}

// groupsError is the max_groups error of a command.
func groupsError(pos spl.Pos, command string, max int) error {
	return &LimitError{Pos: pos, Limit: "max_groups", Msg: fmt.Sprintf("%s: more than %d groups (limit max_groups)", command, max)}
}

func (s *collectStage) Flush() error {
	rows := s.done(s.rows)
	s.mem.release(s.held)
	s.held = 0
	for _, r := range rows {
		if err := s.emit(r); err != nil {
			return err
		}
	}
	s.rows = nil
	return s.emitter.Flush()
}
