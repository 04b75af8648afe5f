package eval

import (
	"testing"

	"github.com/splharness/splharness/spl/value"
)

func TestMathFunctions(t *testing.T) {
	fnRunCases(t, []fnCase{
		// round: half away from zero, on the decimal as written (docs/semantics-functions.md, "Edge cases").
		{`round(3.5)`, nil, `Number(4)`},
		{`round(2.5)`, nil, `Number(3)`},
		{`round(-2.5)`, nil, `Number(-3)`},
		{`round(-2.555, 2)`, nil, `Number(-2.56)`},
		{`round(1.005, 2)`, nil, `Number(1.01)`},
		{`round(0.995, 2)`, nil, `Number(1)`},
		{`round(9.9999, 3)`, nil, `Number(10)`},
		{`round(1.23, 5)`, nil, `Number(1.23)`},
		{`round(1250, -2)`, nil, `Number(1300)`},
		{`round("2.5")`, nil, `Number(3)`},
		{`round("x")`, nil, `null`},
		{`round(missing, 2)`, nil, `null`},
		// Mathematical functions: numeric strings from fields are numbers.
		{`abs(f)`, map[string]value.Value{"f": value.Str("-7")}, `Number(7)`},
		{`abs("abc")`, nil, `null`},
		{`pow(2, 0.5) * pow(2, 0.5) > 1.99`, nil, `Boolean(true)`},
		{`pow(-8, 1/3)`, nil, `null`},
		{`pow(10, 400)`, nil, `null`},
		{`sqrt(-1)`, nil, `null`},
		{`exp(1) > 2.718`, nil, `Boolean(true)`},
		{`exp(1000)`, nil, `null`},
		{`ln(0)`, nil, `null`},
		{`log(1000)`, nil, `Number(3)`},
		{`log(0.001)`, nil, `Number(-3)`},
		{`log(9, 3)`, nil, `Number(2)`},
		{`log(-1)`, nil, `null`},
		{`log(8, 1)`, nil, `null`},
		{`floor(-1.5)`, nil, `Number(-2)`},
		{`ceiling(-1.5)`, nil, `Number(-1)`},
		{`ceil(f)`, map[string]value.Value{"f": fnMV("1.2", "5")}, `Number(2)`},
		// SPL8212 searchbnf max/min: strings rank above numbers.
		{`max(1, 10, 9)`, nil, `Number(10)`},
		{`max("10", "9")`, nil, `"10"`},
		{`max("abc", "abd", 100)`, nil, `"abd"`},
		{`min("abc", 100, 5)`, nil, `Number(5)`},
		{`min("b", "a")`, nil, `"a"`},
		{`min(missing, 3)`, nil, `Number(3)`},
		{`max(missing)`, nil, `null`},
		{`max(f)`, map[string]value.Value{"f": fnMV("3", "20", "100")}, `"100"`},
		{`min(-1, "-2")`, nil, `"-2"`},
	})
}

func TestRoundHalfAway(t *testing.T) {
	cases := []struct {
		x    float64
		n    int
		want float64
	}{
		{2.675, 2, 2.68}, {1.45, 1, 1.5}, {-1.45, 1, -1.5}, {123.456, 0, 123},
		{0.5, 0, 1}, {1e20, 2, 1e20}, {5e-324, 2, 0}, {0.0049, 2, 0},
	}
	for _, c := range cases {
		if got := roundHalfAway(c.x, c.n); got != c.want {
			t.Errorf("roundHalfAway(%v, %d) = %v, want %v", c.x, c.n, got, c.want)
		}
	}
}
