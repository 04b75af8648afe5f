package eval

import (
	"math"

	"github.com/splharness/splharness/spl/value"
)

// Trigonometry and Hyperbolic functions. Angles are in radians; an argument
// that is not a number, or a result that is not finite (acos(2), atanh(1)),
// gives null, as for the mathematical functions.

const srcTrig = "Splunk docs: Trigonometry and Hyperbolic functions"

func init() {
	Register(
		fnTrig1("acos", "Returns the arc cosine, in radians, of a number from -1 to 1.", `acos(0)`, `Number(1.5707963267948966)`, math.Acos),
		fnTrig1("acosh", "Returns the arc hyperbolic cosine of a number of at least 1.", `acosh(1)`, `Number(0)`, math.Acosh),
		fnTrig1("asin", "Returns the arc sine, in radians, of a number from -1 to 1.", `asin(1)`, `Number(1.5707963267948966)`, math.Asin),
		fnTrig1("asinh", "Returns the arc hyperbolic sine.", `asinh(0)`, `Number(0)`, math.Asinh),
		fnTrig1("atan", "Returns the arc tangent, in radians.", `atan(1)`, `Number(0.7853981633974483)`, math.Atan),
		fnTrig1("atanh", "Returns the arc hyperbolic tangent of a number between -1 and 1.", `atanh(0.5)`, `Number(0.5493061443340548)`, math.Atanh),
		fnTrig1("cos", "Returns the cosine of an angle in radians.", `cos(0)`, `Number(1)`, math.Cos),
		fnTrig1("cosh", "Returns the hyperbolic cosine.", `cosh(0)`, `Number(1)`, math.Cosh),
		fnTrig1("sin", "Returns the sine of an angle in radians.", `sin(0)`, `Number(0)`, math.Sin),
		fnTrig1("sinh", "Returns the hyperbolic sine.", `sinh(0)`, `Number(0)`, math.Sinh),
		fnTrig1("tan", "Returns the tangent of an angle in radians.", `tan(0)`, `Number(0)`, math.Tan),
		fnTrig1("tanh", "Returns the hyperbolic tangent.", `tanh(0)`, `Number(0)`, math.Tanh),
		fnTrig2("atan2", "Returns the arc tangent of Y/X in radians, in the quadrant of the point (X, Y); the first argument is Y.",
			`atan2(1, 1)`, `Number(0.7853981633974483)`, math.Atan2),
		fnTrig2("hypot", "Returns the length of the hypotenuse of a right triangle with the two sides given.",
			`hypot(3, 4)`, `Number(5)`, math.Hypot),
	)
}

func fnTrig1(name, doc, example, want string, f func(float64) float64) *Function {
	fn := fnMath1(name, doc, example, want, f)
	fn.Source = "docs/semantics-functions.md; " + srcTrig
	return fn
}

func fnTrig2(name, doc, example, want string, f func(x, y float64) float64) *Function {
	return &Function{
		Name: name, MinArgs: 2, MaxArgs: 2,
		Doc: doc, Example: example, Want: want,
		Source: "docs/semantics-functions.md; " + srcTrig,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			x, ok1 := a[0].Number()
			y, ok2 := a[1].Number()
			if !ok1 || !ok2 {
				return value.NullValue, nil
			}
			return fnNumber(f(x, y)), nil
		},
	}
}
