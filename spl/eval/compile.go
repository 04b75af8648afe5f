// Package eval is the runtime of SPL expressions: the compiler from eval
// expressions to closures over rows, and the registry of eval functions.
// Values and rows are package value's; regular expressions and time formats
// have their own leaf packages.
//
// It imports the syntax tree (package spl), never the reverse.
package eval

import (
	"fmt"
	"math"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// Evaluator computes an expression for one row.
type Evaluator func(r *value.Row) value.Value

// CompileError is an expression that cannot run: an unknown function, a
// wrong argument count, a boolean assigned to a field. Pos is where.
type CompileError struct {
	Pos spl.Pos
	Msg string
	// Unsupported is set when the expression is valid SPL that the
	// evaluator does not implement (an unknown function).
	Unsupported bool
	// Code, when set, is the finding's code instead of a syntax error's
	// (lookup-undefined for lookup() of a table that is not defined).
	Code string
}

func (e *CompileError) Error() string { return e.Msg }

// Options are hooks the compiler needs from other packages.
type Options struct {
	// SearchMatcher compiles the search-language text of searchmatch(); nil
	// makes searchmatch() a compile error.
	SearchMatcher func(text string) (func(*value.Row) bool, error)
	// Lookup gives lookup() the table its first argument (a literal
	// string) names; nil makes lookup() a compile error.
	Lookup func(table string) (LookupTable, error)
}

// LookupTable is a lookup table as lookup() reads it.
type LookupTable interface {
	// Match looks up the rows whose input columns hold vals and returns
	// the output columns (every other column when outputs is empty) with
	// each one's values over those rows; no names when nothing matches.
	Match(inputs, vals, outputs []string) (names []string, values [][]string, err error)
}

// Compiler turns eval expressions into Evaluators for one search.
type Compiler struct {
	Ctx  *Context
	Opts Options
	// general compiles every call through its registry entry, without
	// the fast forms (mvindexSplit): for the tests that compare the two.
	general bool
}

// Compile compiles e. Functions are looked up once here, and constant
// regular expressions compiled once per search, so the per-row path does no
// parsing.
func (c *Compiler) Compile(e spl.Expr) (Evaluator, error) {
	switch e := e.(type) {
	case *spl.NumberLit:
		f, ok := value.ParseNumber(e.Text)
		if !ok {
			return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("invalid number %s", e.Text)}
		}
		v := value.Num(f)
		return func(*value.Row) value.Value { return v }, nil
	case *spl.StringLit:
		v := value.Str(e.Value())
		return func(*value.Row) value.Value { return v }, nil
	case *spl.FieldRef:
		name := e.Name
		return func(r *value.Row) value.Value { return r.Get(name) }, nil
	case *spl.Unary:
		x, err := c.Compile(e.X)
		if err != nil {
			return nil, err
		}
		if e.Op == "NOT" {
			return func(r *value.Row) value.Value {
				b, ok := x(r).Bool()
				if !ok {
					return value.NullValue
				}
				return value.Boolean(!b)
			}, nil
		}
		return func(r *value.Row) value.Value {
			n, ok := x(r).Number()
			if !ok {
				return value.NullValue
			}
			return value.Num(-n)
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
		return func(r *value.Row) value.Value { return inList(x(r), list, r) }, nil
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
func (c *Compiler) CompileCondition(e spl.Expr) (func(*value.Row) bool, error) {
	ev, err := c.Compile(e)
	if err != nil {
		return nil, err
	}
	return func(r *value.Row) bool {
		b, ok := ev(r).Bool()
		return ok && b
	}, nil
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
		f, ok := Lookup(e.Func)
		return ok && f.Boolean
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
	ctx := c.Ctx
	switch e.Op {
	case "AND":
		return func(row *value.Row) value.Value { return and(l(row), r(row)) }, nil
	case "OR":
		return func(row *value.Row) value.Value { return or(l(row), r(row)) }, nil
	case "XOR":
		return func(row *value.Row) value.Value {
			a, aok := l(row).Bool()
			b, bok := r(row).Bool()
			if !aok || !bok {
				return value.NullValue
			}
			return value.Boolean(a != b)
		}, nil
	case "=", "==", "!=", "<", "<=", ">", ">=":
		op := e.Op
		return func(row *value.Row) value.Value { return Compare(op, l(row), r(row)) }, nil
	case "LIKE":
		return func(row *value.Row) value.Value { return Like(l(row), r(row)) }, nil
	case ".":
		return func(row *value.Row) value.Value {
			a, b := l(row), r(row)
			if a.IsNull() || b.IsNull() {
				return value.NullValue
			}
			return ctx.concat(".", a.First(), b.First())
		}, nil
	case "+":
		return func(row *value.Row) value.Value { return add(ctx, l(row), r(row)) }, nil
	case "-", "*", "/", "%":
		op := e.Op
		return func(row *value.Row) value.Value { return arith(op, l(row), r(row)) }, nil
	}
	return nil, &CompileError{Pos: e.Pos, Msg: "unsupported operator " + e.Op}
}

// and is three-valued: false wins, then null, then true.
func and(a, b value.Value) value.Value {
	x, xok := a.Bool()
	y, yok := b.Bool()
	if xok && !x || yok && !y {
		return value.Boolean(false)
	}
	if !xok || !yok {
		return value.NullValue
	}
	return value.Boolean(true)
}

// or is three-valued: true wins, then null, then false.
func or(a, b value.Value) value.Value {
	x, xok := a.Bool()
	y, yok := b.Bool()
	if xok && x || yok && y {
		return value.Boolean(true)
	}
	if !xok || !yok {
		return value.NullValue
	}
	return value.Boolean(false)
}

// Compare applies a comparison operator (docs/semantics.md, "eval and
// where"): null with anything is null; two numbers (or numeric strings)
// compare as numbers, anything else as case-sensitive strings in byte order.
// A multivalue operand matches if any of its values does (UNCONFIRMED; see
// docs/semantics.md).
func Compare(op string, a, b value.Value) value.Value {
	if a.IsNull() || b.IsNull() {
		return value.NullValue
	}
	if a.Kind() == value.Multi || b.Kind() == value.Multi {
		for _, x := range a.Values() {
			for _, y := range b.Values() {
				if r, _ := Compare(op, value.Str(x), value.Str(y)).Bool(); r {
					return value.Boolean(true)
				}
			}
		}
		return value.Boolean(false)
	}
	if a.Kind() == value.Bool || b.Kind() == value.Bool {
		x, y := a.String(), b.String()
		switch op {
		case "=", "==":
			return value.Boolean(x == y)
		case "!=":
			return value.Boolean(x != y)
		}
		return value.NullValue
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
		return value.Boolean(cmp == 0)
	case "!=":
		return value.Boolean(cmp != 0)
	case "<":
		return value.Boolean(cmp < 0)
	case "<=":
		return value.Boolean(cmp <= 0)
	case ">":
		return value.Boolean(cmp > 0)
	case ">=":
		return value.Boolean(cmp >= 0)
	}
	return value.NullValue
}

// Like matches SQL-style patterns over the whole string: % is any run of
// characters, _ exactly one; case-sensitive.
func Like(s, pat value.Value) value.Value {
	if s.IsNull() || pat.IsNull() {
		return value.NullValue
	}
	for _, v := range s.Values() {
		if likeMatch(v, pat.First()) {
			return value.Boolean(true)
		}
	}
	return value.Boolean(false)
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
func add(ctx *Context, a, b value.Value) value.Value {
	if a.IsNull() || b.IsNull() {
		return value.NullValue
	}
	x, xok := a.Number()
	y, yok := b.Number()
	if xok && yok {
		return value.Num(x + y)
	}
	if a.Kind() != value.Number && b.Kind() != value.Number {
		return ctx.concat("+", a.First(), b.First())
	}
	return value.NullValue
}

func arith(op string, a, b value.Value) value.Value {
	x, xok := a.Number()
	y, yok := b.Number()
	if !xok || !yok {
		return value.NullValue
	}
	switch op {
	case "-":
		return value.Num(x - y)
	case "*":
		return value.Num(x * y)
	case "/":
		if y == 0 {
			return value.NullValue
		}
		return value.Num(x / y)
	case "%":
		if y == 0 {
			return value.NullValue
		}
		return value.Num(math.Mod(x, y))
	}
	return value.NullValue
}

func inList(x value.Value, list []Evaluator, r *value.Row) value.Value {
	if x.IsNull() {
		return value.NullValue
	}
	for _, ev := range list {
		if b, _ := Compare("=", x, ev(r)).Bool(); b {
			return value.Boolean(true)
		}
	}
	return value.Boolean(false)
}

// CheckCall is the error compiling call e would give for its function
// alone: an unknown or unsupported function, or a wrong number of
// arguments; nil when the function can take them. It lets a caller that
// stopped at one error of an expression report the other calls too.
func CheckCall(e *spl.Call) *CompileError {
	_, err := checkCall(e)
	return err
}

// checkCall looks up the function of e and checks its argument count.
func checkCall(e *spl.Call) (*Function, *CompileError) {
	fn, ok := Lookup(e.Func)
	if !ok {
		return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("function %s() is not supported by the evaluator", e.Func), Unsupported: true}
	}
	if fn.Unsupported != "" {
		return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("function %s() is not supported by the evaluator: %s", e.Func, fn.Unsupported), Unsupported: true}
	}
	if want, ok := fn.arity(len(e.Args)); !ok {
		return nil, &CompileError{Pos: e.Pos, Msg: fmt.Sprintf("%s() takes %s arguments, got %d", e.Func, want, len(e.Args))}
	}
	return fn, nil
}

// call compiles a function call through its registry entry, which is the
// only place the compiler learns of a function: the argument count is
// checked here, for every function, then the entry's Compile hook builds
// the evaluator, or the arguments are compiled and the evaluator calls
// Call with their values.
func (c *Compiler) call(e *spl.Call) (Evaluator, error) {
	fn, cerr := checkCall(e)
	if cerr != nil {
		return nil, cerr
	}
	if fn.Compile != nil {
		return fn.Compile(c, e)
	}
	if ev, err := c.mvindexSplit(fn, e); ev != nil || err != nil {
		return ev, err
	}
	args, err := c.compileAll(e.Args)
	if err != nil {
		return nil, err
	}
	ctx := c.Ctx
	call, name, what := fn.Call, fn.Name, fn.Name+"()"
	return func(r *value.Row) value.Value {
		vals := make([]value.Value, len(args))
		for i, a := range args {
			vals[i] = a(r)
		}
		v, err := call(ctx, vals)
		if err != nil {
			ctx.callFailed(name, err)
			return value.NullValue
		}
		return ctx.checkValue(what, v)
	}, nil
}
