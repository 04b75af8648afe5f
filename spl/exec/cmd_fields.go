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
// ones; a null result removes the field ([D-eval]). A name with {f} in it
// takes f's value there (Search Reference, "eval": "eval {counter} =
// Value" names the new field by the value of counter).
func (p *planner) compileEval(c *spl.EvalCommand) (stageBuilder, error) {
	type assign struct {
		field string
		name  []namePart // set when the name has {f}
		ev    eval.Evaluator
	}
	var as []assign
	for _, a := range c.Assignments {
		ev, err := p.ec.CompileAssignment(a.Expr)
		if err != nil {
			return nil, exprError(err)
		}
		field := fieldName(a.Field)
		as = append(as, assign{field, parseNameTemplate(field), ev})
	}
	return mapStage(func(r *value.Row) {
		for _, a := range as {
			if a.name == nil {
				r.Set(a.field, a.ev(r))
				continue
			}
			if name, ok := fillNameTemplate(a.name, r); ok {
				r.Set(name, a.ev(r))
			}
		}
	}), nil
}

// namePart is a literal part of an eval name template, or (field set) the
// place of a field's value.
type namePart struct {
	text, field string
}

// parseNameTemplate splits a name such as {counter} or a_{b}_c into its
// parts; nil when the name has no {f} (an empty {} is JSON path notation,
// as in resources{}.ARN, and stays literal).
func parseNameTemplate(name string) []namePart {
	var parts []namePart
	found := false
	for name != "" {
		i := strings.IndexByte(name, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(name[i:], '}')
		}
		if i < 0 || j <= 1 {
			if i >= 0 && j == 1 {
				parts = append(parts, namePart{text: name[:i+2]})
				name = name[i+2:]
				continue
			}
			parts = append(parts, namePart{text: name})
			break
		}
		if i > 0 {
			parts = append(parts, namePart{text: name[:i]})
		}
		parts = append(parts, namePart{field: name[i+1 : i+j]})
		found = true
		name = name[i+j+1:]
	}
	if !found {
		return nil
	}
	return parts
}

// fillNameTemplate builds the name for r; ok is false when a named field
// is null, and then nothing is assigned (our choice: the page does not say).
// A multivalue field gives its first value.
func fillNameTemplate(parts []namePart, r *value.Row) (string, bool) {
	var b strings.Builder
	for _, pt := range parts {
		if pt.field == "" {
			b.WriteString(pt.text)
			continue
		}
		v := r.Get(pt.field)
		if v.IsNull() {
			return "", false
		}
		b.WriteString(v.First())
	}
	return b.String(), b.Len() > 0
}

// rename a AS b: wildcards carry the matched part over when both names
// have the same number of them, and a different number is an error
// (Search Reference, "rename"). Renaming an absent field removes the
// destination: "Suppose you rename fieldA to fieldB, but fieldA does not
// exist ... If fieldB does exist, the result of the renaming is that the
// data in fieldB is removed" (the same page).
func (p *planner) compileRename(c *spl.RenameCommand) (stageBuilder, error) {
	type pair struct{ from, to string }
	var pairs []pair
	for _, r := range c.Renames {
		from, to := fieldName(r.From), fieldName(r.To)
		if strings.Count(to, "*") != strings.Count(from, "*") {
			return nil, errorf(r.To.Pos, "rename: wildcard mismatch: %s has %d wildcards and %s has %d; they must have the same number", from, strings.Count(from, "*"), to, strings.Count(to, "*"))
		}
		pairs = append(pairs, pair{from, to})
	}
	return mapStage(func(r *value.Row) {
		for _, pr := range pairs {
			if !strings.Contains(pr.from, "*") {
				if pr.from == pr.to {
					continue
				}
				v := r.Get(pr.from)
				r.Delete(pr.from)
				if v.IsNull() {
					r.Delete(pr.to)
					continue
				}
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

// fields [+|-] list: keep or remove. fields + keeps the listed fields in
// the listed order (Search Reference, "fields": "fields a, b" gives the
// columns a, b), and _raw and _time unless they are removed explicitly
// (UNCONFIRMED; docs/semantics.md).
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
	listed := map[string]bool{}
	for _, n := range names {
		listed[n] = true
	}
	return transformStage(func(r *value.Row) *value.Row {
		out := value.NewRow(nil)
		if !listed["_time"] {
			out.Set("_time", r.Get("_time"))
		}
		for _, n := range names {
			for _, m := range matchFields(r, n) {
				out.Set(m, r.Get(m))
			}
		}
		if !listed["_raw"] {
			out.Set("_raw", r.Get("_raw"))
		}
		return out
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
					if n := numberPrefix(s); n > 0 {
						return s[:n], true
					}
					return s, true
				})
			}
		case "memk":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					if k, ok := memKilobytes(s); ok {
						return value.FormatNumber(k), true
					}
					return s, true
				})
			}
		case "mstime":
			fn = func(v value.Value) value.Value {
				return eachValue(v, func(s string) (string, bool) {
					if n, ok := minutesSeconds(s); ok {
						return value.FormatNumber(n), true
					}
					return s, true
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

// numberPrefix is the length of the number at the start of s (an
// optional sign, digits and one decimal point), 0 when there is none.
func numberPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			if digits == 0 {
				return 0
			}
			return i
		}
	}
	if digits == 0 {
		return 0
	}
	return i
}

// memKilobytes reads memk's input: a positive number with an optional
// k, m or g (kilobytes, megabytes, gigabytes; kilobytes without one) as
// a number of kilobytes (Search Reference, "convert", memk()).
func memKilobytes(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	mult := 1.0
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			s = s[:len(s)-1]
		case 'm', 'M':
			mult, s = 1024, s[:len(s)-1]
		case 'g', 'G':
			mult, s = 1024*1024, s[:len(s)-1]
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

// minutesSeconds reads mstime's [MM:]SS.SSS as seconds (Search
// Reference, "convert", mstime()).
func minutesSeconds(s string) (float64, bool) {
	min := 0.0
	if i := strings.IndexByte(s, ':'); i >= 0 {
		m, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, false
		}
		min, s = m, s[i+1:]
	}
	sec, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return min*60 + sec, true
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
