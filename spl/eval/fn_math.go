package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// Mathematical functions, and the eval forms of min and max. Arguments that
// are not numbers (or numeric strings) give null, as do results that are
// not finite (sqrt(-1), ln(0)).

func init() {
	Register(
		&Function{
			Name: "round", MinArgs: 1, MaxArgs: 2,
			Doc:     "Rounds to the given number of decimals (default 0), halves away from zero.",
			Example: `round(2.555, 2)`, Want: `Number(2.56)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				x, ok := a[0].Number()
				if !ok {
					return value.NullValue, nil
				}
				n := 0
				if len(a) == 2 {
					if n, ok = fnInt(a[1]); !ok {
						return value.NullValue, nil
					}
				}
				return fnNumber(roundHalfAway(x, n)), nil
			},
		},
		fnMath1("abs", "Returns the absolute value.", `abs(-3.5)`, `Number(3.5)`, math.Abs),
		&Function{
			Name: "pow", MinArgs: 2, MaxArgs: 2,
			Doc:     "Returns the first argument raised to the power of the second.",
			Example: `pow(2, 10)`, Want: `Number(1024)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				x, ok1 := a[0].Number()
				y, ok2 := a[1].Number()
				if !ok1 || !ok2 {
					return value.NullValue, nil
				}
				return fnNumber(math.Pow(x, y)), nil
			},
		},
		fnMath1("sqrt", "Returns the square root; null for negative numbers.", `sqrt(9)`, `Number(3)`, math.Sqrt),
		fnMath1("exp", "Returns e raised to the power of the argument.", `exp(0)`, `Number(1)`, math.Exp),
		fnMath1("ln", "Returns the natural logarithm; null for numbers not above 0.", `ln(1)`, `Number(0)`, func(x float64) float64 {
			if x <= 0 {
				return math.NaN()
			}
			return math.Log(x)
		}),
		&Function{
			Name: "log", MinArgs: 1, MaxArgs: 2,
			Doc:     "Returns the logarithm in the given base (default 10).",
			Example: `log(8, 2)`, Want: `Number(3)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				x, ok := a[0].Number()
				if !ok || x <= 0 {
					return value.NullValue, nil
				}
				base := 10.0
				if len(a) == 2 {
					if base, ok = a[1].Number(); !ok || base <= 0 || base == 1 {
						return value.NullValue, nil
					}
				}
				switch base {
				case 10:
					return fnNumber(math.Log10(x)), nil
				case 2:
					return fnNumber(math.Log2(x)), nil
				}
				r := math.Log(x) / math.Log(base)
				// Exact powers give exact logarithms: log(9, 3) is 2, not
				// 2.0000000000000004.
				if k := math.Round(r); k != r && math.Abs(k-r) < 1e-9 && math.Pow(base, k) == x {
					r = k
				}
				return fnNumber(r), nil
			},
		},
		fnMath1("floor", "Rounds down to an integer.", `floor(1.9)`, `Number(1)`, math.Floor),
		fnMath1("ceil", "Rounds up to an integer (same as ceiling).", `ceil(1.2)`, `Number(2)`, math.Ceil),
		fnMath1("ceiling", "Rounds up to an integer.", `ceiling(1.2)`, `Number(2)`, math.Ceil),
		&Function{
			Name: "pi", MinArgs: 0, MaxArgs: 0,
			Doc:     "Returns pi to 11 digits of precision, as Splunk documents.",
			Example: `pi()`, Want: `Number(3.14159265359)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call:   func(*Context, []value.Value) (value.Value, error) { return value.Num(3.14159265359), nil },
		},
		&Function{
			Name: "max", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the largest argument; numbers compare numerically and any string is larger than every number.",
			Example: `max(1, 3, 6, 7, "foo")`, Want: `"foo"`,
			Source: "docs/semantics-functions.md; " + srcStatEval,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return fnMinMax(a, true), nil },
		},
		&Function{
			Name: "min", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the smallest argument; numbers compare numerically and are smaller than every string.",
			Example: `min(7, "3", 10, "foo")`, Want: `"3"`,
			Source: "docs/semantics-functions.md; " + srcStatEval,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return fnMinMax(a, false), nil },
		},
	)
}

// fnMath1 makes a one-argument numeric function.
func fnMath1(name, doc, example, want string, f func(float64) float64) *Function {
	return &Function{
		Name: name, MinArgs: 1, MaxArgs: 1,
		Doc: doc, Example: example, Want: want,
		Source: "docs/semantics-functions.md; " + srcMath,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			x, ok := a[0].Number()
			if !ok {
				return value.NullValue, nil
			}
			return fnNumber(f(x)), nil
		},
	}
}

// roundHalfAway rounds x to n decimals, halves away from zero, on the
// shortest decimal that reads back as x: round(2.555, 2) is 2.56 as Splunk
// documents, although the double nearest 2.555 is slightly below it.
func roundHalfAway(x float64, n int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	if n <= 0 {
		if n < -308 {
			return 0
		}
		p := math.Pow(10, float64(-n))
		return math.Round(x/p) * p
	}
	if n > 17 || math.Abs(x) >= 1e15 {
		return x
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 <= n {
		return x
	}
	digits := make([]byte, 0, len(s)+1)
	digits = append(digits, s[:dot]...)
	digits = append(digits, s[dot+1:dot+1+n]...)
	intLen := dot
	if s[dot+1+n] >= '5' {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] < '9' {
				digits[i]++
				break
			}
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
			intLen++
		}
	}
	out := make([]byte, 0, len(digits)+2)
	if neg {
		out = append(out, '-')
	}
	out = append(out, digits[:intLen]...)
	out = append(out, '.')
	out = append(out, digits[intLen:]...)
	r, err := strconv.ParseFloat(string(out), 64)
	if err != nil {
		return x
	}
	return r
}

// fnMinMax implements eval's min/max over every value of every argument
// (nulls skipped): numbers and numeric strings compare numerically,
// strings compare in byte order, and strings rank above numbers
// ([SPL8212 searchbnf eval-function] max). The winner is returned as
// given: a number stays a number, a numeric string a string.
func fnMinMax(args []value.Value, max bool) value.Value {
	var (
		numV, strV     value.Value
		num            float64
		str            string
		haveN, haveStr bool
	)
	consider := func(v value.Value, s string) {
		f, isNum := 0.0, false
		if v.Kind() == value.Number {
			f, isNum = v.Number()
		} else {
			f, isNum = value.ParseNumber(s)
		}
		if isNum {
			if !haveN || max && f > num || !max && f < num {
				num, numV, haveN = f, v, true
			}
			return
		}
		if !haveStr || max && s > str || !max && s < str {
			str, strV, haveStr = s, v, true
		}
	}
	for _, a := range args {
		switch a.Kind() {
		case value.Null:
		case value.Multi:
			for _, s := range a.Values() {
				consider(value.Str(s), s)
			}
		case value.Number:
			consider(a, "")
		default:
			consider(a, a.String())
		}
	}
	switch {
	case max && haveStr, !max && !haveN && haveStr:
		return strV
	case haveN:
		return numV
	}
	return value.NullValue
}

func init() {
	Register(
		&Function{
			Name: "exact", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the number at full double precision: the evaluator never rounds results to significant figures, so the value is returned as it is.",
			Example: `exact(3.14 * 2)`, Want: `Number(6.28)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				x, ok := a[0].Number()
				if !ok {
					return value.NullValue, nil
				}
				return fnNumber(x), nil
			},
		},
		&Function{
			Name: "sum", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the sum of the numeric values of its arguments (every value of a multivalue); null if one is not a number.",
			Example: `sum(1, 2, 3, 4)`, Want: `Number(10)`,
			Source: "docs/semantics-functions.md; " + srcMath,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				total, _, ok := fnSumValues(a)
				if !ok {
					return value.NullValue, nil
				}
				return fnNumber(total), nil
			},
		},
		&Function{
			Name: "sigfig", MinArgs: 1, MaxArgs: 1,
			Doc: "Rounds the result of a calculation to its significant figures: the fewest significant figures of " +
				"the operands of * and /, the fewest decimal places of the operands of + and -.",
			Example: `sigfig(1.00 * 1111)`, Want: `Number(1110)`,
			Source:  "docs/semantics-functions.md; " + srcMath,
			Compile: compileSigfig,
		},
	)
}

// fnSumValues adds the numeric values of every argument, each value of a
// multivalue counted; nulls are skipped. ok is false when a value is not a
// number, or when there is no value at all.
func fnSumValues(a []value.Value) (total float64, n int, ok bool) {
	var one [1]string
	for _, v := range a {
		if v.Kind() == value.Number {
			f, _ := v.Number()
			total += f
			n++
			continue
		}
		for _, s := range fnStrings(v, &one) {
			f, isNum := value.ParseNumber(s)
			if !isNum {
				return 0, 0, false
			}
			total += f
			n++
		}
	}
	return total, n, n > 0
}

// Statistical eval functions besides min and max.
func init() {
	Register(
		&Function{
			Name: "avg", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the mean of the numeric values of its arguments (every value of a multivalue); null if one is not a number.",
			Example: `avg(1, 2, 3, 4)`, Want: `Number(2.5)`,
			Source: "docs/semantics-functions.md; " + srcStatEval,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				total, n, ok := fnSumValues(a)
				if !ok {
					return value.NullValue, nil
				}
				return fnNumber(total / float64(n)), nil
			},
		},
		&Function{
			Name: "random", MinArgs: 0, MaxArgs: 0,
			Doc:     "Returns a pseudo-random integer from 0 to 2^31-1, a new one for each call.",
			Example: `random() >= 0 AND random() <= 2147483647`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcStatEval,
			Call: func(*Context, []value.Value) (value.Value, error) {
				return value.Num(float64(rand.Int64N(randomMax + 1))), nil
			},
		},
	)
}

// randomMax is the largest value of random(), 2^31-1.
const randomMax = 1<<31 - 1

// sigfigNum is a number with its precision: significant figures and
// decimal places, as written or as a calculation leaves them.
type sigfigNum struct {
	v        float64
	sig, dec int
}

// sigfigOf reads the precision of a number as written: decimal places are
// the digits after the point; significant figures are the digits from the
// first nonzero one, trailing zeros of an integer not counted (1100 has 2).
func sigfigOf(text string) (sigfigNum, bool) {
	v, ok := value.ParseNumber(text)
	if !ok {
		return sigfigNum{}, false
	}
	t := strings.TrimLeft(strings.TrimSpace(text), "+-")
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		t = t[:i]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if !hasDot {
		digits = strings.TrimRight(digits, "0")
	}
	n := sigfigNum{v: v, sig: len(digits), dec: len(frac)}
	if n.sig == 0 {
		n.sig = 1
	}
	return n, true
}

// magnitude is the number of digits before the point of v (0 for |v| < 1).
func magnitude(v float64) int {
	if v == 0 {
		return 0
	}
	return int(math.Floor(math.Log10(math.Abs(v)))) + 1
}

// compileSigfig compiles sigfig(expr): expr must be numbers, fields and
// + - * / (and unary minus); Splunk's page defines the precision of
// nothing else.
func compileSigfig(c *Compiler, e *spl.Call) (Evaluator, error) {
	ev, err := sigfigCompile(e.Args[0])
	if err != nil {
		return nil, err
	}
	return func(r *value.Row) value.Value {
		n, ok := ev(r)
		if !ok {
			return value.NullValue
		}
		return fnNumber(roundHalfAway(n.v, n.sig-magnitude(n.v)))
	}, nil
}

func sigfigCompile(x spl.Expr) (func(*value.Row) (sigfigNum, bool), error) {
	switch x := x.(type) {
	case *spl.NumberLit:
		n, ok := sigfigOf(x.Text)
		if !ok {
			return nil, &CompileError{Pos: x.Pos, Msg: "sigfig(): bad number " + x.Text}
		}
		return func(*value.Row) (sigfigNum, bool) { return n, true }, nil
	case *spl.FieldRef:
		name := x.Name
		return func(r *value.Row) (sigfigNum, bool) {
			v := r.Get(name)
			switch v.Kind() {
			case value.Number:
				return sigfigOf(v.String())
			case value.String:
				return sigfigOf(v.String())
			}
			return sigfigNum{}, false
		}, nil
	case *spl.Unary:
		if x.Op == "-" || x.Op == "+" {
			inner, err := sigfigCompile(x.X)
			if err != nil {
				return nil, err
			}
			neg := x.Op == "-"
			return func(r *value.Row) (sigfigNum, bool) {
				n, ok := inner(r)
				if neg {
					n.v = -n.v
				}
				return n, ok
			}, nil
		}
	case *spl.Binary:
		switch x.Op {
		case "+", "-", "*", "/":
			l, err := sigfigCompile(x.L)
			if err != nil {
				return nil, err
			}
			rt, err := sigfigCompile(x.R)
			if err != nil {
				return nil, err
			}
			op := x.Op
			return func(r *value.Row) (sigfigNum, bool) {
				a, ok1 := l(r)
				b, ok2 := rt(r)
				if !ok1 || !ok2 {
					return sigfigNum{}, false
				}
				var n sigfigNum
				switch op {
				case "+", "-":
					n.v = a.v + b.v
					if op == "-" {
						n.v = a.v - b.v
					}
					n.dec = min(a.dec, b.dec)
					n.v = roundHalfAway(n.v, n.dec)
					n.sig = max(magnitude(n.v)+n.dec, 1)
				default:
					if op == "/" {
						if b.v == 0 {
							return sigfigNum{}, false
						}
						n.v = a.v / b.v
					} else {
						n.v = a.v * b.v
					}
					n.sig = min(a.sig, b.sig)
					n.v = roundHalfAway(n.v, n.sig-magnitude(n.v))
					n.dec = n.sig - magnitude(n.v) // negative: tens, hundreds…
				}
				return n, !math.IsNaN(n.v) && !math.IsInf(n.v, 0)
			}, nil
		}
	}
	return nil, &CompileError{Pos: spl.Position(x), Unsupported: true,
		Msg: fmt.Sprintf("function sigfig() is not supported by the evaluator over %s: only numbers, fields and + - * /", sigfigWhat(x))}
}

func sigfigWhat(x spl.Expr) string {
	switch x := x.(type) {
	case *spl.Call:
		return x.Func + "()"
	case *spl.Binary:
		return "the operator " + x.Op
	case *spl.Unary:
		return "the operator " + x.Op
	}
	return "this expression"
}
