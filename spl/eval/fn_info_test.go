package eval

import (
	"testing"

	"github.com/splharness/splharness/spl/value"
)

func TestInformationalFunctions(t *testing.T) {
	num := map[string]value.Value{"n": value.Str("512"), "f": value.Str("1.5"), "s": value.Str("abc"), "e": value.Str(""), "mv": fnMV("7", "x")}
	fnRunCases(t, []fnCase{
		// SPL8212 searchbnf typeof: Number, String, Bool, Invalid.
		{`typeof(n)`, num, `"Number"`},
		{`typeof(s)`, num, `"String"`},
		{`typeof(e)`, num, `"String"`},
		{`typeof(mv)`, num, `"Number"`},
		{`typeof(missing)`, nil, `"Invalid"`},
		// docs/semantics-functions.md: numeric strings are numbers (auto typing).
		{`isnum(n)`, num, `Boolean(true)`},
		{`isnum(s)`, num, `Boolean(false)`},
		{`isnum(missing)`, nil, `Boolean(false)`},
		// Informational functions, isnum: NaN is a number.
		{`isnum("NaN")`, nil, `Boolean(true)`},
		{`if(isnum("NaN"), "yes", "no")`, nil, `"yes"`},
		{`isnum("nano")`, nil, `Boolean(false)`},
		{`isint(n)`, num, `Boolean(true)`},
		{`isint(f)`, num, `Boolean(false)`},
		{`isint(2.0)`, nil, `Boolean(true)`},
		{`isint("-3")`, nil, `Boolean(true)`},
		{`isint("3.0")`, nil, `Boolean(false)`},
		{`isstr(n)`, num, `Boolean(false)`},
		{`isstr(s)`, num, `Boolean(true)`},
		{`isstr(missing)`, nil, `Boolean(false)`},
		// Informational functions: isbool is for expressions, fields never hold booleans.
		{`isbool(1==1)`, nil, `Boolean(true)`},
		{`isbool("true")`, nil, `Boolean(false)`},
		// an extracted JSON null is the string "null", not null (docs/semantics-events.md, "KV_MODE=json flattening").
		{`isnull(v)`, map[string]value.Value{"v": value.Str("null")}, `Boolean(false)`},
		{`isnotnull(v)`, map[string]value.Value{"v": value.Str("null")}, `Boolean(true)`},
		{`isnotnull(missing)`, nil, `Boolean(false)`},
	})
}
