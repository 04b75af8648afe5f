package eval

import (
	"fmt"
	"math"
	"strings"

	"github.com/splharness/splharness/spl"
)

// Evaluator computes an expression for one row.
type Evaluator func(r *Row) Value

// CompileError is an expression that cannot run: an unknown function, a
// wrong argument count, a boolean assigned to a field. Pos is where.
type CompileError struct {
	Pos spl.Pos
	Msg string
	// Unsupported is set when the expression is valid SPL that the
	// evaluator does not implement (an unknown function).
	Unsupported bool
}

func (e *CompileError) Error() string { return e.Msg }

// Options are hooks the compiler needs from other packages.
type Options struct {
	// SearchMatcher compiles the search-language text of searchmatch(); nil
	// makes searchmatch() a compile error.
	SearchMatcher func(text string) (func(*Row) bool, error)
}

// Compiler turns eval expressions into Evaluators for one search.
type Compiler struct {
	Ctx  *Context
	Opts Options
}

// Compile compiles e. Functions are looked up once here, and constant
// regular expressions compiled once per search, so the per-row path does no
// parsing.
func (c *Compiler) Compile(e spl.Expr) (Evaluator, error) {
	switch e := e.(type) {
	case *spl.NumberLit:
		f, ok := ParseNumber(e.Text)
		if !ok {
			return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("invalid number %s", e.Text)}
		}
		v := Num(f)
		return func(*Row) Value { return v }, nil
	case *spl.StringLit:
		v := Str(e.Value())
		return func(*Row) Value { return v }, nil
	case *spl.FieldRef:
		name := e.Name
		return func(r *Row) Value { return r.Get(name) }, nil
	case *spl.Unary:
		x, err := c.Compile(e.X)
		if err != nil {
			return nil, err
		}
		if e.Op == "NOT" {
			return func(r *Row) Value {
				b, ok := x(r).Bool()
				if !ok {
					return NullValue
				}
				return Boolean(!b)
			}, nil
		}
		return func(r *Row) Value {
			n, ok := x(r).Number()
			if !ok {
				return NullValue
			}
			return Num(-n)
		}, nil
	case *spl.Binary:
		return c.binary(e)
	case *spl.InExpr:
		x, err := c.Compile(e.X)
		if err != nil {
			return nil, err
		}
		list, err := c.compileAll(e.List)
		if err != nil {
			return nil, err
		}
		return func(r *Row) Value { return inList(x(r), list, r) }, nil
	case *spl.Call:
		return c.call(e)
	}
	return nil, &CompileError{Pos: spl.Position(e), Msg: fmt.Sprintf("unsupported expression %T", e)}
}

// CompileAssignment compiles the right side of `eval f=expr`, which must not
// be a boolean ([D-eval]).
func (c *Compiler) CompileAssignment(e spl.Expr) (Evaluator, error) {
	if isBoolean(e) {
		return nil, &CompileError{Pos: spl.Position(e), Msg: "eval cannot assign a boolean; wrap the condition in if(...)"}
	}
	return c.Compile(e)
}

// CompileCondition compiles the expression of where (and other filters),
// which must be boolean.
func (c *Compiler) CompileCondition(e spl.Expr) (func(*Row) bool, error) {
	ev, err := c.Compile(e)
	if err != nil {
		return nil, err
	}
	return func(r *Row) bool {
		b, ok := ev(r).Bool()
		return ok && b
	}, nil
}

// booleanFuncs return booleans.
var booleanFuncs = map[string]bool{
	"true": true, "false": true, "isnull": true, "isnotnull": true, "like": true, "match": true,
	"cidrmatch": true, "searchmatch": true, "in": true, "isnum": true, "isstr": true, "isint": true,
	"isbool": true,
}

// isBoolean reports whether an expression yields a boolean.
func isBoolean(e spl.Expr) bool {
	switch e := e.(type) {
	case *spl.Binary:
		switch e.Op {
		case "AND", "OR", "XOR", "=", "==", "!=", "<", "<=", ">", ">=", "LIKE":
			return true
		}
	case *spl.Unary:
		return e.Op == "NOT"
	case *spl.InExpr:
		return true
	case *spl.Call:
		return booleanFuncs[e.Func]
	}
	return false
}

func (c *Compiler) compileAll(es []spl.Expr) ([]Evaluator, error) {
	out := make([]Evaluator, len(es))
	for i, e := range es {
		ev, err := c.Compile(e)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

func (c *Compiler) binary(e *spl.Binary) (Evaluator, error) {
	l, err := c.Compile(e.L)
	if err != nil {
		return nil, err
	}
	r, err := c.Compile(e.R)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case "AND":
		return func(row *Row) Value { return and(l(row), r(row)) }, nil
	case "OR":
		return func(row *Row) Value { return or(l(row), r(row)) }, nil
	case "XOR":
		return func(row *Row) Value {
			a, aok := l(row).Bool()
			b, bok := r(row).Bool()
			if !aok || !bok {
				return NullValue
			}
			return Boolean(a != b)
		}, nil
	case "=", "==", "!=", "<", "<=", ">", ">=":
		op := e.Op
		return func(row *Row) Value { return Compare(op, l(row), r(row)) }, nil
	case "LIKE":
		return func(row *Row) Value { return Like(l(row), r(row)) }, nil
	case ".":
		return func(row *Row) Value {
			a, b := l(row), r(row)
			if a.IsNull() || b.IsNull() {
				return NullValue
			}
			return Str(a.First() + b.First())
		}, nil
	case "+":
		return func(row *Row) Value { return add(l(row), r(row)) }, nil
	case "-", "*", "/", "%":
		op := e.Op
		return func(row *Row) Value { return arith(op, l(row), r(row)) }, nil
	}
	return nil, &CompileError{Pos: e.Pos, Msg: "unsupported operator " + e.Op}
}

// and is three-valued: false wins, then null, then true.
func and(a, b Value) Value {
	x, xok := a.Bool()
	y, yok := b.Bool()
	if xok && !x || yok && !y {
		return Boolean(false)
	}
	if !xok || !yok {
		return NullValue
	}
	return Boolean(true)
}

// or is three-valued: true wins, then null, then false.
func or(a, b Value) Value {
	x, xok := a.Bool()
	y, yok := b.Bool()
	if xok && x || yok && y {
		return Boolean(true)
	}
	if !xok || !yok {
		return NullValue
	}
	return Boolean(false)
}

// Compare applies a comparison operator (docs/semantics.md, "eval and
// where"): null with anything is null; two numbers (or numeric strings)
// compare as numbers, anything else as case-sensitive strings in byte order.
// A multivalue operand matches if any of its values does (UNCONFIRMED; see
// docs/semantics.md).
func Compare(op string, a, b Value) Value {
	if a.IsNull() || b.IsNull() {
		return NullValue
	}
	if a.kind == Multi || b.kind == Multi {
		for _, x := range a.Values() {
			for _, y := range b.Values() {
				if r, _ := Compare(op, Str(x), Str(y)).Bool(); r {
					return Boolean(true)
				}
			}
		}
		return Boolean(false)
	}
	if a.kind == Bool || b.kind == Bool {
		x, y := a.String(), b.String()
		switch op {
		case "=", "==":
			return Boolean(x == y)
		case "!=":
			return Boolean(x != y)
		}
		return NullValue
	}
	var cmp int
	x, xok := a.Number()
	y, yok := b.Number()
	if xok && yok {
		switch {
		case x < y:
			cmp = -1
		case x > y:
			cmp = 1
		}
	} else {
		cmp = strings.Compare(a.String(), b.String())
	}
	switch op {
	case "=", "==":
		return Boolean(cmp == 0)
	case "!=":
		return Boolean(cmp != 0)
	case "<":
		return Boolean(cmp < 0)
	case "<=":
		return Boolean(cmp <= 0)
	case ">":
		return Boolean(cmp > 0)
	case ">=":
		return Boolean(cmp >= 0)
	}
	return NullValue
}

// Like matches SQL-style patterns over the whole string: % is any run of
// characters, _ exactly one; case-sensitive.
func Like(s, pat Value) Value {
	if s.IsNull() || pat.IsNull() {
		return NullValue
	}
	for _, v := range s.Values() {
		if likeMatch(v, pat.First()) {
			return Boolean(true)
		}
	}
	return Boolean(false)
}

func likeMatch(s, p string) bool {
	// Iterative glob matching with backtracking on the last %.
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, si
			pi++
		case pi < len(p) && (p[pi] == '_' || p[pi] == s[si]):
			si++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

// add is + : numbers add; two strings that are not both numbers concatenate.
func add(a, b Value) Value {
	if a.IsNull() || b.IsNull() {
		return NullValue
	}
	x, xok := a.Number()
	y, yok := b.Number()
	if xok && yok {
		return Num(x + y)
	}
	if a.kind != Number && b.kind != Number {
		return Str(a.First() + b.First())
	}
	return NullValue
}

func arith(op string, a, b Value) Value {
	x, xok := a.Number()
	y, yok := b.Number()
	if !xok || !yok {
		return NullValue
	}
	switch op {
	case "-":
		return Num(x - y)
	case "*":
		return Num(x * y)
	case "/":
		if y == 0 {
			return NullValue
		}
		return Num(x / y)
	case "%":
		if y == 0 {
			return NullValue
		}
		return Num(math.Mod(x, y))
	}
	return NullValue
}

func inList(x Value, list []Evaluator, r *Row) Value {
	if x.IsNull() {
		return NullValue
	}
	for _, ev := range list {
		if b, _ := Compare("=", x, ev(r)).Bool(); b {
			return Boolean(true)
		}
	}
	return Boolean(false)
}

// call compiles a function call. if, case, coalesce and mvfilter evaluate
// their arguments lazily; every other function gets evaluated arguments.
func (c *Compiler) call(e *spl.Call) (Evaluator, error) {
	switch e.Func {
	case "if":
		if len(e.Args) != 3 {
			return nil, arity(e, "3")
		}
		args, err := c.compileAll(e.Args)
		if err != nil {
			return nil, err
		}
		cond, then, els := args[0], args[1], args[2]
		return func(r *Row) Value {
			if b, ok := cond(r).Bool(); ok && b {
				return then(r)
			}
			return els(r)
		}, nil
	case "case":
		if len(e.Args) == 0 || len(e.Args)%2 != 0 {
			return nil, arity(e, "an even number of")
		}
		args, err := c.compileAll(e.Args)
		if err != nil {
			return nil, err
		}
		return func(r *Row) Value {
			for i := 0; i < len(args); i += 2 {
				if b, ok := args[i](r).Bool(); ok && b {
					return args[i+1](r)
				}
			}
			return NullValue
		}, nil
	case "coalesce", "ifnull":
		if len(e.Args) == 0 {
			return nil, arity(e, "at least 1")
		}
		args, err := c.compileAll(e.Args)
		if err != nil {
			return nil, err
		}
		return func(r *Row) Value {
			for _, a := range args {
				if v := a(r); !v.IsNull() {
					return v
				}
			}
			return NullValue
		}, nil
	case "mvfilter":
		return c.mvfilter(e)
	case "searchmatch":
		return c.searchmatch(e)
	}
	fn, ok := Lookup(e.Func)
	if !ok {
		return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("function %s() is not supported by the evaluator", e.Func), Unsupported: true}
	}
	if len(e.Args) < fn.MinArgs || fn.MaxArgs >= 0 && len(e.Args) > fn.MaxArgs {
		want := fmt.Sprint(fn.MinArgs)
		switch {
		case fn.MaxArgs < 0:
			want = "at least " + want
		case fn.MaxArgs != fn.MinArgs:
			want = fmt.Sprintf("%d to %d", fn.MinArgs, fn.MaxArgs)
		}
		return nil, arity(e, want)
	}
	args, err := c.compileAll(e.Args)
	if err != nil {
		return nil, err
	}
	ctx := c.Ctx
	call := fn.Call
	return func(r *Row) Value {
		vals := make([]Value, len(args))
		for i, a := range args {
			vals[i] = a(r)
		}
		v, err := call(ctx, vals)
		if err != nil {
			return NullValue
		}
		return v
	}, nil
}

func arity(e *spl.Call, want string) error {
	return &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("%s() takes %s arguments, got %d", e.Func, want, len(e.Args))}
}

// mvfilter(expr) keeps the values of the one field expr names for which
// expr is true.
func (c *Compiler) mvfilter(e *spl.Call) (Evaluator, error) {
	if len(e.Args) != 1 {
		return nil, arity(e, "1")
	}
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
	return func(r *Row) Value {
		var keep []string
		for _, v := range r.Get(field).Values() {
			one := NewRow(nil)
			one.Set(field, Str(v))
			if cond(one) {
				keep = append(keep, v)
			}
		}
		return MV(keep)
	}, nil
}

func (c *Compiler) searchmatch(e *spl.Call) (Evaluator, error) {
	if len(e.Args) != 1 {
		return nil, arity(e, "1")
	}
	lit, ok := e.Args[0].(*spl.StringLit)
	if !ok || c.Opts.SearchMatcher == nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "searchmatch() needs a literal search string"}
	}
	match, err := c.Opts.SearchMatcher(lit.Value())
	if err != nil {
		return nil, &CompileError{Pos: e.Pos, Msg: "searchmatch(): " + err.Error()}
	}
	return func(r *Row) Value { return Boolean(match(r)) }, nil
}
