package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// Comparison and conditional functions. if, case, coalesce, ifnull,
// mvfilter and searchmatch evaluate their arguments lazily or read them as
// syntax, so their entries have a Compile hook instead of a Call.

func init() {
	Register(
		&Function{
			Name: "if", MinArgs: 3, MaxArgs: 3,
			Doc:     "Returns the second argument if the condition is true, else the third (a null condition counts as false).",
			Example: `if(1==1, "yes", "no")`, Want: `"yes"`,
			Source:  "docs/semantics-functions.md; " + srcCond,
			Compile: compileIf,
		},
		&Function{
			Name: "case", MinArgs: 2, MaxArgs: -1, EvenArgs: true,
			Doc:     "Returns the value after the first true condition of condition/value pairs; null if none is true.",
			Example: `case(1==2, "a", 1==1, "b", true(), "c")`, Want: `"b"`,
			Source:  "docs/semantics-functions.md; " + srcCond,
			Compile: compileCase,
		},
		&Function{
			Name: "coalesce", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the first argument that is not null.",
			Example: `coalesce(null(), "Returned value", null())`, Want: `"Returned value"`,
			Source:  "docs/semantics-functions.md; " + srcCond,
			Compile: compileCoalesce,
		},
		&Function{
			Name: "ifnull", MinArgs: 1, MaxArgs: -1,
			Doc:     "Same as coalesce: the first argument that is not null.",
			Example: `ifnull(null(), "x")`, Want: `"x"`,
			Source:  "docs/semantics-functions.md; " + srcCond,
			Compile: compileCoalesce,
		},
		&Function{
			Name: "mvfilter", MinArgs: 1, MaxArgs: 1,
			Doc:     "Keeps the values of the one field the boolean expression names for which it is true.",
			Example: `mvfilter(match(email, "\.net$"))`, Want: `null`,
			Source:  "docs/semantics-functions.md; " + srcMV,
			Compile: compileMVFilter,
		},
		&Function{
			Name: "searchmatch", MinArgs: 1, MaxArgs: 1, Boolean: true,
			Doc:     "Returns true if the event matches the search-language string.",
			Example: `searchmatch("*")`, Want: `Boolean(true)`,
			Source:  "docs/semantics-functions.md; " + srcCond,
			Compile: compileSearchMatch,
		},
		&Function{
			Name: "like", MinArgs: 2, MaxArgs: 2, Boolean: true,
			Doc:     "Returns true if the whole string matches the SQL-style pattern (% any run, _ one character), case-sensitively.",
			Example: `like("foobar", "foo%")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				return Like(a[0], a[1]), nil
			},
		},
		&Function{
			Name: "match", MinArgs: 2, MaxArgs: 2, Boolean: true,
			Doc:     "Returns true if the regular expression matches anywhere in the string (use ^ and $ to anchor).",
			Example: `match("10.1.2.3", "^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call:   matchCall,
		},
		&Function{
			Name: "cidrmatch", MinArgs: 2, MaxArgs: 2, Boolean: true,
			Doc:     "Returns true if the IP address (IPv4 or IPv6) is in the CIDR subnet; false for anything that is not an IP.",
			Example: `cidrmatch("123.132.32.0/25", "123.132.32.10")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call:   cidrmatchCall,
		},
		&Function{
			Name: "in", MinArgs: 2, MaxArgs: -1, Boolean: true,
			Doc:     "Returns true if the first argument equals one of the others.",
			Example: `in("b", "a", "b", "c")`, Want: `Boolean(true)`,
			Source: srcCond,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].IsNull() {
					return value.NullValue, nil
				}
				for _, v := range a[1:] {
					if b, _ := Compare("=", a[0], v).Bool(); b {
						return value.Boolean(true), nil
					}
				}
				return value.Boolean(false), nil
			},
		},
		&Function{
			Name: "nullif", MinArgs: 2, MaxArgs: 2,
			Doc:     "Returns null if the two arguments are equal, else the first.",
			Example: `nullif("a", "b")`, Want: `"a"`,
			Source: srcCond,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if b, _ := Compare("=", a[0], a[1]).Bool(); b {
					return value.NullValue, nil
				}
				return a[0], nil
			},
		},
		&Function{
			Name: "validate", MinArgs: 2, MaxArgs: -1,
			Doc:     "Takes condition/message pairs and returns the message of the first condition that is not true; null if all are true.",
			Example: `validate(1==1, "first failed", 1==2, "second failed")`, Want: `"second failed"`,
			Source: srcCond,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if len(a)%2 != 0 {
					return value.NullValue, errors.New("validate() takes condition/message pairs")
				}
				for i := 0; i < len(a); i += 2 {
					if b, ok := a[i].Bool(); !ok || !b {
						return a[i+1], nil
					}
				}
				return value.NullValue, nil
			},
		},
		&Function{
			Name: "null", MinArgs: 0, MaxArgs: 0,
			Doc:     "Returns null (assigning it removes the field).",
			Example: `null()`, Want: `null`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call:   func(*Context, []value.Value) (value.Value, error) { return value.NullValue, nil },
		},
		&Function{
			Name: "true", MinArgs: 0, MaxArgs: 0, Boolean: true,
			Doc:     "Returns true (for a default arm of case()).",
			Example: `true()`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call:   func(*Context, []value.Value) (value.Value, error) { return value.Boolean(true), nil },
		},
		&Function{
			Name: "false", MinArgs: 0, MaxArgs: 0, Boolean: true,
			Doc:     "Returns false.",
			Example: `false()`, Want: `Boolean(false)`,
			Source: "docs/semantics-functions.md; " + srcCond,
			Call:   func(*Context, []value.Value) (value.Value, error) { return value.Boolean(false), nil },
		},
	)
}

// compileIf evaluates the condition, then only the branch it picks.
func compileIf(c *Compiler, e *spl.Call) (Evaluator, error) {
	args, err := c.compileAll(e.Args)
	if err != nil {
		return nil, err
	}
	cond, then, els := args[0], args[1], args[2]
	return func(r *value.Row) value.Value {
		if b, ok := cond(r).Bool(); ok && b {
			return then(r)
		}
		return els(r)
	}, nil
}

// compileCase evaluates conditions in order up to the first true one, then
// only its value.
func compileCase(c *Compiler, e *spl.Call) (Evaluator, error) {
	args, err := c.compileAll(e.Args)
	if err != nil {
		return nil, err
	}
	return func(r *value.Row) value.Value {
		for i := 0; i < len(args); i += 2 {
			if b, ok := args[i](r).Bool(); ok && b {
				return args[i+1](r)
			}
		}
		return value.NullValue
	}, nil
}

// compileCoalesce (coalesce, ifnull) evaluates arguments up to the first
// that is not null.
func compileCoalesce(c *Compiler, e *spl.Call) (Evaluator, error) {
	args, err := c.compileAll(e.Args)
	if err != nil {
		return nil, err
	}
	return func(r *value.Row) value.Value {
		for _, a := range args {
			if v := a(r); !v.IsNull() {
				return v
			}
		}
		return value.NullValue
	}, nil
}

// compileMVFilter: mvfilter(expr) keeps the values of the one field expr
// names for which expr is true.
func compileMVFilter(c *Compiler, e *spl.Call) (Evaluator, error) {
	fields := map[string]bool{}
	spl.Walk(e.Args[0], func(n spl.Node) bool {
		if f, ok := n.(*spl.FieldRef); ok {
			fields[f.Name] = true
		}
		return true
	})
	if len(fields) != 1 {
		return nil, &CompileError{Pos: e.Pos, Msg: "mvfilter() needs an expression over exactly one field"}
	}
	var field string
	for f := range fields {
		field = f
	}
	cond, err := c.CompileCondition(e.Args[0])
	if err != nil {
		return nil, err
	}
	return func(r *value.Row) value.Value {
		var keep []string
		for _, v := range r.Get(field).Values() {
			one := value.NewRow(nil)
			one.Set(field, value.Str(v))
			if cond(one) {
				keep = append(keep, v)
			}
		}
		return value.MV(keep)
	}, nil
}

// compileSearchMatch compiles the literal search string once, through
// Options.SearchMatcher.
func compileSearchMatch(c *Compiler, e *spl.Call) (Evaluator, error) {
	lit, ok := e.Args[0].(*spl.StringLit)
	if !ok || c.Opts.SearchMatcher == nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "searchmatch() needs a literal search string"}
	}
	match, err := c.Opts.SearchMatcher(lit.Value())
	if err != nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "searchmatch(): " + err.Error()}
	}
	return func(r *value.Row) value.Value { return value.Boolean(match(r)) }, nil
}

// matchCall: null in gives null out (match() of missing fields is null,
// docs/semantics.md, "eval and where"); a multivalue matches if any value
// does.
func matchCall(c *Context, a []value.Value) (value.Value, error) {
	i, null, err := fnFirstMatch(c, a)
	if null || err != nil {
		return value.NullValue, err
	}
	return value.Boolean(i >= 0), nil
}

// fnFirstMatch finds the first value of a[0] that the regular expression
// a[1] matches: its index, or -1. null says an argument was null.
func fnFirstMatch(c *Context, a []value.Value) (index int, null bool, err error) {
	if fnAnyNull(a) {
		return -1, true, nil
	}
	re, err := c.Regexp(a[1].First())
	if err != nil {
		return -1, false, err
	}
	var one [1]string
	for i, s := range fnStrings(a[0], &one) {
		if re.MatchString(s) {
			return i, false, nil
		}
	}
	return -1, false, nil
}

// cidrmatchCall is always a boolean: a missing or non-IP address, or a
// malformed subnet, does not match.
func cidrmatchCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.Boolean(false), nil
	}
	prefix, ok := ParseCIDR(a[0].First())
	if !ok {
		return value.Boolean(false), nil
	}
	var one [1]string
	for _, s := range fnStrings(a[1], &one) {
		if CIDRContains(prefix, s) {
			return value.Boolean(true), nil
		}
	}
	return value.Boolean(false), nil
}

// ParseCIDR parses a subnet "a.b.c.d/n" or "x::/n"; a bare address is a
// subnet of that one address.
func ParseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// CIDRContains reports whether the address text ip lies in prefix;
// IPv4-mapped IPv6 addresses match IPv4 subnets.
func CIDRContains(prefix netip.Prefix, ip string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return false
	}
	if prefix.Addr().Is4() {
		a = a.Unmap()
	}
	return prefix.Contains(a)
}

func init() {
	Register(&Function{
		Name: "lookup", MinArgs: 2, MaxArgs: 3,
		Doc: "Looks up the input fields of a JSON object in a CSV lookup table and returns the output fields " +
			"(a JSON array of names; all other columns without it) as a JSON object; null when no row matches.",
		Example: `lookup("dnslookup", json_object("clientip", "1.2.3.4"), json_array("clienthost"))`,
		Want:    `"{\"clienthost\":\"www.example.com\"}"`,
		Source:  "docs/semantics-functions.md; " + srcCond,
		Compile: compileLookup,
	})
}

// compileLookup resolves the table, named by a literal string, once at
// compile time (Evaluation functions, lookup); the input object and the
// output array are read on every row. Several matching rows give an
// output its values as a JSON array.
func compileLookup(c *Compiler, e *spl.Call) (Evaluator, error) {
	lit, ok := e.Args[0].(*spl.StringLit)
	if !ok {
		return nil, &CompileError{Pos: e.Pos, Msg: "lookup() needs the table's name as a literal string"}
	}
	if c.Opts.Lookup == nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "lookup() reads lookup tables, which this search has none of"}
	}
	table, err := c.Opts.Lookup(lit.Value())
	if err != nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "lookup(): " + err.Error(), Code: "lookup-undefined"}
	}
	in, err := c.Compile(e.Args[1])
	if err != nil {
		return nil, err
	}
	var out Evaluator
	if len(e.Args) == 3 {
		if out, err = c.Compile(e.Args[2]); err != nil {
			return nil, err
		}
	}
	ctx := c.Ctx
	return func(r *value.Row) value.Value {
		inputs, vals, ok := lookupInputs(in(r))
		if !ok {
			ctx.callFailed("lookup", errors.New("the second argument is not a JSON object of fields"))
			return value.NullValue
		}
		var outputs []string
		if out != nil {
			if outputs, ok = lookupOutputs(out(r)); !ok {
				ctx.callFailed("lookup", errors.New("the third argument is not a JSON array of field names"))
				return value.NullValue
			}
		}
		names, values, err := table.Match(inputs, vals, outputs)
		if err != nil {
			ctx.callFailed("lookup", err)
			return value.NullValue
		}
		if len(names) == 0 {
			return value.NullValue
		}
		var b bytes.Buffer
		b.WriteByte('{')
		for i, n := range names {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n)
			b.Write(k)
			b.WriteByte(':')
			fnJSONValue(&b, value.MV(values[i]))
		}
		b.WriteByte('}')
		return value.Str(b.String())
	}, nil
}

// lookupInputs reads a JSON object of input fields: string and number
// members, in order; others (null, objects) are left out.
func lookupInputs(v value.Value) (names, vals []string, ok bool) {
	if v.IsNull() {
		return nil, nil, false
	}
	dec := json.NewDecoder(strings.NewReader(v.First()))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, nil, false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, false
		}
		var x any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if d.Decode(&x) != nil {
			return nil, nil, false
		}
		switch x := x.(type) {
		case string:
			names, vals = append(names, k.(string)), append(vals, x)
		case json.Number:
			names, vals = append(names, k.(string)), append(vals, x.String())
		}
	}
	return names, vals, true
}

// lookupOutputs reads a JSON array of output field names.
func lookupOutputs(v value.Value) ([]string, bool) {
	if v.IsNull() {
		return nil, true
	}
	var names []string
	if json.Unmarshal([]byte(v.First()), &names) != nil {
		return nil, false
	}
	return names, true
}
