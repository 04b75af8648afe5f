package eval

import (
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/timefmt"
	"github.com/splharness/splharness/spl/value"
)

// Multivalue functions. A single value is a one-value list; null is the
// empty list, and null in gives null out.

func init() {
	Register(
		&Function{
			Name: "split", MinArgs: 2, MaxArgs: 2,
			Doc:     "Splits every value at the separator into a multivalue, keeping empty pieces; an empty separator splits into characters.",
			Example: `split("a,b,,c", ",")`, Want: `mv"a|b||c"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call:   splitCall,
		},
		&Function{
			Name: "mvindex", MinArgs: 2, MaxArgs: 3,
			Doc:     "Returns the value at a 0-based index (negative from the end), or the values from start to end inclusive; null if start is out of range.",
			Example: `mvindex(split("a,b,c,d", ","), 1, -2)`, Want: `mv"b|c"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call:   mvindexCall,
		},
		&Function{
			Name: "mvcount", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the number of values: 1 for a single value, null for null.",
			Example: `mvcount(split("a,b,c", ","))`, Want: `Number(3)`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].IsNull() {
					return value.NullValue, nil
				}
				return value.Num(float64(a[0].Len())), nil
			},
		},
		&Function{
			Name: "mvjoin", MinArgs: 2, MaxArgs: 2,
			Doc:     "Joins the values with the separator.",
			Example: `mvjoin(split("a,b,c", ","), ";")`, Want: `"a;b;c"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				if fnAnyNull(a) {
					return value.NullValue, nil
				}
				if a[0].Kind() != value.Multi {
					return value.Str(a[0].String()), nil
				}
				sep := a[1].First()
				n := len(sep) * (len(a[0].Values()) - 1)
				for _, s := range a[0].Values() {
					n += len(s)
				}
				if n > c.maxValueBytes() {
					return value.NullValue, c.tooLong("mvjoin()", n)
				}
				return value.Str(strings.Join(a[0].Values(), sep)), nil
			},
		},
		&Function{
			Name: "mvappend", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns all values of all arguments in order as one multivalue, skipping nulls; null if every argument is null.",
			Example: `mvappend("a", null(), split("b,c", ","))`, Want: `mv"a|b|c"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				n := 0
				for _, v := range a {
					n += v.Len()
				}
				if n > c.maxMVValues() {
					return value.NullValue, c.tooMany("mvappend()", n)
				}
				out := make([]string, 0, n)
				for _, v := range a {
					switch v.Kind() {
					case value.Null:
					case value.Multi:
						out = append(out, v.Values()...)
					default:
						out = append(out, v.String())
					}
				}
				return value.MV(out), nil
			},
		},
		&Function{
			Name: "mvfind", MinArgs: 2, MaxArgs: 2,
			Doc:     "Returns the 0-based index of the first value the regular expression matches, or null.",
			Example: `mvfind(split("ok,err42,err7", ","), "err\d+")`, Want: `Number(1)`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				i, _, err := fnFirstMatch(c, a)
				if i < 0 || err != nil {
					return value.NullValue, err
				}
				return value.Num(float64(i)), nil
			},
		},
		&Function{
			Name: "mvdedup", MinArgs: 1, MaxArgs: 1,
			Doc:     "Removes duplicate values, keeping the first occurrence of each.",
			Example: `mvdedup(split("b,a,b,c,a", ","))`, Want: `mv"b|a|c"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() != value.Multi {
					return a[0], nil
				}
				return value.MV(dedupStrings(a[0].Values())), nil
			},
		},
		&Function{
			Name: "mvsort", MinArgs: 1, MaxArgs: 1,
			Doc:     "Sorts the values lexicographically (byte order: digits, then uppercase, then lowercase).",
			Example: `mvsort(split("b,10,9,B,a", ","))`, Want: `mv"10|9|B|a|b"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() != value.Multi {
					return a[0], nil
				}
				out := append([]string(nil), a[0].Values()...)
				sort.Strings(out)
				return value.MV(out), nil
			},
		},
		&Function{
			Name: "mvzip", MinArgs: 2, MaxArgs: 3,
			Doc:     `Pairs the values of two multivalues position by position, joined by the delimiter (default ","), up to the shorter one.`,
			Example: `mvzip(split("a,b,c", ","), split("1,2", ","), "=")`, Want: `mv"a=1|b=2"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if fnAnyNull(a) {
					return value.NullValue, nil
				}
				delim := ","
				if len(a) == 3 {
					delim = a[2].First()
				}
				var one1, one2 [1]string
				x, y := fnStrings(a[0], &one1), fnStrings(a[1], &one2)
				n := min(len(x), len(y))
				out := make([]string, n)
				for i := range n {
					out[i] = x[i] + delim + y[i]
				}
				return value.MV(out), nil
			},
		},
		&Function{
			Name: "mvrange", MinArgs: 2, MaxArgs: 3,
			Doc:     `Returns the numbers from start up to end (exclusive) by step (default 1; a time span such as "7d" steps by seconds).`,
			Example: `mvrange(1, 11, 2)`, Want: `mv"1|3|5|7|9"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call:   mvrangeCall,
		},
	)
}

func splitCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	sep := a[1].First()
	var one [1]string
	var out []string
	for _, s := range fnStrings(a[0], &one) {
		if sep == "" {
			for _, r := range s {
				out = append(out, string(r))
			}
			continue
		}
		out = append(out, strings.Split(s, sep)...)
	}
	if out == nil {
		// split("", "") has no characters: one empty value.
		out = []string{""}
	}
	return value.MV(out), nil
}

func mvindexCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	var one [1]string
	vals := fnStrings(a[0], &one)
	n := len(vals)
	start, ok := fnInt(a[1])
	if !ok {
		return value.NullValue, errors.New("mvindex: index is not a number")
	}
	if start < 0 {
		start += n
	}
	if start < 0 || start >= n {
		return value.NullValue, nil
	}
	if len(a) == 2 {
		return value.Str(vals[start]), nil
	}
	end, ok := fnInt(a[2])
	if !ok {
		return value.NullValue, errors.New("mvindex: end index is not a number")
	}
	if end < 0 {
		end += n
	}
	if end >= n {
		end = n - 1
	}
	if end < start {
		return value.NullValue, nil
	}
	if end == start {
		return value.Str(vals[start]), nil
	}
	return value.MV(append([]string(nil), vals[start:end+1]...)), nil
}

// dedupStrings returns the distinct strings in first-seen order.
func dedupStrings(vals []string) []string {
	out := make([]string, 0, len(vals))
	if len(vals) <= 16 {
		for _, v := range vals {
			dup := false
			for _, o := range out {
				if o == v {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, v)
			}
		}
		return out
	}
	seen := make(map[string]struct{}, len(vals))
	for _, v := range vals {
		if _, ok := seen[v]; !ok {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	return out
}

func mvrangeCall(c *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	start, ok1 := a[0].Number()
	end, ok2 := a[1].Number()
	if !ok1 || !ok2 {
		return value.NullValue, nil
	}
	step := 1.0
	if len(a) == 3 {
		var ok bool
		if step, ok = a[2].Number(); !ok {
			if step, ok = spanSeconds(a[2].First()); !ok {
				return value.NullValue, errors.New("mvrange: step is not a number or time span")
			}
		}
	}
	if step == 0 || step > 0 && start >= end || step < 0 && start <= end {
		return value.NullValue, nil
	}
	count := (end - start) / step
	if count > float64(c.maxMVValues()) {
		return value.NullValue, c.tooMany("mvrange()", int(min(count, math.MaxInt32)))
	}
	out := make([]string, 0, int(count)+1)
	for i := 0; ; i++ {
		x := start + float64(i)*step
		if step > 0 && x >= end || step < 0 && x <= end {
			break
		}
		out = append(out, value.FormatNumber(x))
	}
	return value.MV(out), nil
}

// spanSeconds reads a time span such as "7d" or "30m" as seconds; units of
// fixed length only (s, m, h, d, w).
func spanSeconds(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	n := 1.0
	if i > 0 {
		var ok bool
		if n, ok = value.ParseNumber(s[:i]); !ok {
			return 0, false
		}
	}
	unit := strings.ToLower(s[i:])
	if unit == "" {
		return 0, false
	}
	switch timefmt.Unit(unit) {
	case "s":
		return n, true
	case "m":
		return n * 60, true
	case "h":
		return n * 3600, true
	case "d":
		return n * 86400, true
	case "w":
		return n * 7 * 86400, true
	}
	return 0, false
}

func init() {
	Register(
		&Function{
			Name: "mvmap", MinArgs: 2, MaxArgs: 2,
			Doc:     "Evaluates the expression once for each value of the multivalue field, the field standing for that value, and returns the results as a multivalue.",
			Example: `mvmap(results, results * 10)`, Want: `null`,
			Source:  "docs/semantics-functions.md; " + srcMV,
			Compile: compileMVMap,
		},
		&Function{
			Name: "mv_to_json_array", MinArgs: 1, MaxArgs: 2,
			Doc:     "Returns the values as a JSON array of strings; with infer_types true, values that are JSON numbers, true, false or null are written unquoted.",
			Example: `mv_to_json_array(split("Buttercup,1,true", ","), true())`, Want: `"[\"Buttercup\",1,true]"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				infer := false
				if len(a) == 2 {
					b, ok := a[1].Bool()
					if !ok {
						return value.NullValue, errors.New("infer_types must be true() or false()")
					}
					infer = b
				}
				if a[0].IsNull() {
					return value.NullValue, nil
				}
				var one [1]string
				var b strings.Builder
				b.WriteByte('[')
				for i, v := range fnStrings(a[0], &one) {
					if i > 0 {
						b.WriteByte(',')
					}
					if infer && fnJSONScalar(v) {
						b.WriteString(v)
						continue
					}
					q, _ := json.Marshal(v)
					b.Write(q)
				}
				b.WriteByte(']')
				return value.Str(b.String()), nil
			},
		},
		&Function{
			Name: "commands", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the commands of a search string, in order, as a multivalue: the first word of each part between pipes outside quotes and subsearches, the part before the first pipe being search.",
			Example: `commands("search foo | stats count | sort count")`, Want: `mv"search|stats|sort"`,
			Source: "docs/semantics-functions.md; " + srcMV,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() != value.String {
					return value.NullValue, nil
				}
				return value.MV(SearchCommands(a[0].String())), nil
			},
		},
	)
}

// fnJSONScalar reports whether s is, exactly, a JSON number, true, false or
// null.
func fnJSONScalar(s string) bool {
	switch s {
	case "true", "false", "null":
		return true
	}
	if s == "" || !(s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

// compileMVMap compiles mvmap(X, expr). The expression is evaluated once
// per value of X, with the field X bound to that value (the other fields of
// the row stay visible), so X must be a field. A null result is dropped; a
// multivalue result adds all its values (docs/semantics-functions.md).
func compileMVMap(c *Compiler, e *spl.Call) (Evaluator, error) {
	field, ok := e.Args[0].(*spl.FieldRef)
	if !ok {
		// Splunk's page shows only a field here; what it does with an
		// expression (a.b is a concatenation) is not documented.
		return nil, &CompileError{Pos: e.Pos, Unsupported: true,
			Msg: "function mvmap() is not supported by the evaluator with an expression as its first argument, only a field"}
	}
	expr, err := c.Compile(e.Args[1])
	if err != nil {
		return nil, err
	}
	name := field.Name
	ctx := c.Ctx
	return func(r *value.Row) value.Value {
		vals := r.Get(name)
		if vals.IsNull() {
			return value.NullValue
		}
		var one [1]string
		in := fnStrings(vals, &one)
		row := r.Clone()
		out := make([]string, 0, len(in))
		for _, v := range in {
			row.Set(name, value.Str(v))
			res := expr(row)
			switch res.Kind() {
			case value.Null:
			case value.Multi:
				out = append(out, res.Values()...)
			default:
				out = append(out, res.String())
			}
		}
		return ctx.checkValue("mvmap()", value.MV(out))
	}, nil
}

// SearchCommands lists the command names of a search string: the first
// word of each part between top-level pipes (outside double quotes and
// [subsearches]). The part before the first pipe is the search command,
// written or implied; an empty one (a search starting with a pipe, as
// "| tstats ...") has no command.
func SearchCommands(q string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\\' && i+1 < len(q):
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case c == '|' && depth == 0:
			parts = append(parts, q[start:i])
			start = i + 1
		}
	}
	parts = append(parts, q[start:])
	var out []string
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		word := f[0]
		if i == 0 {
			// Text before the first pipe is always the search command,
			// whether written (search foo) or implied (foo).
			word = "search"
		}
		out = append(out, word)
	}
	return out
}
