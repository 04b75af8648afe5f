package eval

import (
	"testing"

	"github.com/splharness/splharness/spl/value"
)

func TestMultivalueFunctions(t *testing.T) {
	f := map[string]value.Value{"mv": fnMV("a", "b", "c", "d"), "one": value.Str("x"), "n": value.Num(5), "dup": fnMV("b", "a", "b")}
	fnRunCases(t, []fnCase{
		// split: empty pieces kept; null in null out (docs/semantics-functions.md, "Edge cases").
		{`split("a,,b,", ",")`, nil, `mv"a||b|"`},
		{`split("abc", ",")`, nil, `"abc"`},
		{`split("", ",")`, nil, `""`},
		{`split("abc", "")`, nil, `mv"a|b|c"`},
		{`split("a::b", "::")`, nil, `mv"a|b"`},
		{`split(missing, ",")`, nil, `null`},
		{`split(m, ",")`, map[string]value.Value{"m": fnMV("a,b", "c")}, `mv"a|b|c"`},
		// mvindex: 0-based, negative from the end, end inclusive, out of range
		// null, a single value is a one-value list (docs/semantics-functions.md,
		// "Edge cases").
		{`mvindex(mv, 0)`, f, `"a"`},
		{`mvindex(mv, -1)`, f, `"d"`},
		{`mvindex(mv, 4)`, f, `null`},
		{`mvindex(mv, -5)`, f, `null`},
		{`mvindex(mv, 1, 2)`, f, `mv"b|c"`},
		{`mvindex(mv, -3, -2)`, f, `mv"b|c"`},
		{`mvindex(mv, 2, 1)`, f, `null`},
		{`mvindex(mv, 2, 2)`, f, `"c"`},
		{`mvindex(mv, 1, 99)`, f, `mv"b|c|d"`},
		{`mvindex(one, 0)`, f, `"x"`},
		{`mvindex(one, 1)`, f, `null`},
		{`mvindex(n, 0)`, f, `"5"`},
		{`mvindex(missing, 0)`, nil, `null`},
		{`mvindex(mv, "x")`, f, `null`},
		// mvcount: 1 for a single value, null for null (docs/semantics-functions.md, "Edge cases").
		{`mvcount(mv)`, f, `Number(4)`},
		{`mvcount(one)`, f, `Number(1)`},
		{`mvcount("")`, nil, `Number(1)`},
		{`mvcount(missing)`, nil, `null`},
		// Multivalue eval functions: mvjoin.
		{`mvjoin(mv, ",")`, f, `"a,b,c,d"`},
		{`mvjoin(one, ",")`, f, `"x"`},
		{`mvjoin(n, ",")`, f, `"5"`},
		{`mvjoin(missing, ",")`, nil, `null`},
		// mvappend: flattens, skips nulls, all null is null (docs/semantics-functions.md, "Edge cases").
		{`mvappend(one, mv, n)`, f, `mv"x|a|b|c|d|5"`},
		{`mvappend(missing, one)`, f, `"x"`},
		{`mvappend(missing, null())`, nil, `null`},
		{`mvappend("", "")`, nil, `mv"|"`},
		// mvfind: 0-based index of the first match, or null (docs/semantics-functions.md, "Edge cases").
		{`mvfind(mv, "[cd]")`, f, `Number(2)`},
		{`mvfind(mv, "z")`, f, `null`},
		{`mvfind(one, "x")`, f, `Number(0)`},
		{`mvfind(missing, "x")`, nil, `null`},
		// Multivalue eval functions: mvdedup keeps first occurrences.
		{`mvdedup(dup)`, f, `mv"b|a"`},
		{`mvdedup(one)`, f, `"x"`},
		{`mvdedup(missing)`, nil, `null`},
		// values(): lexicographic byte order, "10" < "9" (docs/semantics-stats.md, "values").
		{`mvsort(m)`, map[string]value.Value{"m": fnMV("b", "a", "Z", "10", "9", "")}, `mv"|10|9|Z|a|b"`},
		{`mvsort(one)`, f, `"x"`},
		// mvzip: default delimiter ",", stops at the shorter list (docs/semantics-functions.md, "Edge cases").
		{`mvzip(mv, dup)`, f, `mv"a,b|b,a|c,b"`},
		{`mvzip(one, n, ":")`, f, `"x:5"`},
		{`mvzip(mv, missing)`, f, `null`},
		// SPL8212 searchbnf mvrange: end exclusive, optional step.
		{`mvrange(1, 4)`, nil, `mv"1|2|3"`},
		{`mvrange(0, 1, 0.25)`, nil, `mv"0|0.25|0.5|0.75"`},
		{`mvrange(5, 1, -2)`, nil, `mv"5|3"`},
		{`mvrange(1, 2)`, nil, `"1"`},
		{`mvrange(1, 1)`, nil, `null`},
		{`mvrange(1, 5, 0)`, nil, `null`},
		{`mvrange(0, 172800, "1d")`, nil, `mv"0|86400"`},
		{`mvrange(0, 10, "x")`, nil, `null`},
		{`mvrange(0, 1000000000)`, nil, `null`},
	})
}

// Multivalue results must not share storage with their inputs: sorting a
// field's values must leave the field as it was.
func TestMVSortDoesNotAlias(t *testing.T) {
	in := fnMV("b", "a")
	fnCall(t, "mvsort", in)
	if in.GoString() != `mv"b|a"` {
		t.Errorf("input changed to %s", in.GoString())
	}
	out := fnCall(t, "mvindex", in, value.Num(0), value.Num(1))
	out.Values()[0] = "changed"
	if in.GoString() != `mv"b|a"` {
		t.Errorf("input changed to %s", in.GoString())
	}
}

func BenchmarkMVIndex(b *testing.B) {
	c := NewContext(ExampleTime)
	f, _ := Lookup("mvindex")
	args := []value.Value{fnMV("a", "b", "c"), value.Num(-1)}
	b.ReportAllocs()
	for b.Loop() {
		f.Call(c, args)
	}
}
