package eval

import (
	"testing"

	"github.com/splharness/splharness/spl/value"
)

func TestTextFunctions(t *testing.T) {
	fnRunCases(t, []fnCase{
		// null in, null out (docs/semantics-functions.md, "Edge cases").
		{`lower(missing)`, nil, `null`},
		{`upper(missing)`, nil, `null`},
		{`len(missing)`, nil, `null`},
		{`substr(missing, 1)`, nil, `null`},
		{`replace(missing, "a", "b")`, nil, `null`},
		{`trim(missing)`, nil, `null`},
		{`urldecode(missing)`, nil, `null`},
		// Text functions: lower/upper of a number use its text.
		{`upper(12)`, nil, `"12"`},
		// docs/semantics-functions.md: string functions map over multivalues.
		{`lower(f)`, map[string]value.Value{"f": fnMV("A", "Bc")}, `mv"a|bc"`},
		{`replace(f, "x", "y")`, map[string]value.Value{"f": fnMV("ax", "xx")}, `mv"ay|yy"`},
		// SPL8212 searchbnf: trim() without a second argument strips spaces and tabs only.
		{`trim(f)`, map[string]value.Value{"f": value.Str(" \t a b \t ")}, `"a b"`},
		{`trim(f)`, map[string]value.Value{"f": value.Str("\nab\n")}, `"\nab\n"`},
		{`ltrim("  ab  ")`, nil, `"ab  "`},
		{`rtrim("  ab  ")`, nil, `"  ab"`},
		{`trim("xxabxx", "x")`, nil, `"ab"`},
		{`trim("ab", missing)`, nil, `null`},
		// len counts characters, not bytes (docs/semantics-functions.md, "Edge cases").
		{`len("日本語")`, nil, `Number(3)`},
		{`len("")`, nil, `Number(0)`},
		{`len(12345)`, nil, `Number(5)`},
		{`len(f)`, map[string]value.Value{"f": fnMV("abc", "de")}, `Number(3)`},
		// substr: SQLite semantics, 1-based, negative from the end (docs/semantics-functions.md, "Edge cases").
		{`substr("string", 1, 3)`, nil, `"str"`},
		{`substr("string", 3)`, nil, `"ring"`},
		{`substr("string", -3)`, nil, `"ing"`},
		{`substr("string", -3, 2)`, nil, `"in"`},
		{`substr("string", 0, 2)`, nil, `"s"`},
		{`substr("string", 10)`, nil, `""`},
		{`substr("string", -10, 4)`, nil, `""`},
		{`substr("string", -10, 5)`, nil, `"s"`},
		{`substr("string", 4, -2)`, nil, `"tr"`},
		{`substr("string", 2, 100)`, nil, `"tring"`},
		{`substr("日本語テキスト", 2, 3)`, nil, `"本語テ"`},
		{`substr("string", "x")`, nil, `null`},
		// replace: all matches, \1 back-references, no match unchanged (docs/semantics-functions.md, "Edge cases").
		{`replace("aaa", "a", "b")`, nil, `"bbb"`},
		{`replace("abc", "z", "y")`, nil, `"abc"`},
		{`replace("john.smith", "(\w+)\.(\w+)", "\2, \1")`, nil, `"smith, john"`},
		{`replace("a-b", "-", "$1")`, nil, `"a$1b"`},
		{`replace("a-b", "(x)?-", "[\1]")`, nil, `"a[]b"`},
		// the TA's R(x) expression on an IAM error message (docs/knowledge.md).
		{`replace("User: arn:x is not authorized on resource: user bob", ".*resource\s*:\s*(?:user\s*)?(.*)", "\1")`, nil, `"bob"`},
		// Text functions: an invalid regular expression is an error, so null.
		{`replace("abc", "(", "x")`, nil, `null`},
		// Text functions: urldecode.
		{`urldecode("a%20b+c%2")`, nil, `"a b c%2"`},
		{`urldecode("%E6%97%A5")`, nil, `"日"`},
	})
}

func TestSubstrMatchesSQLite(t *testing.T) {
	// Reference results of SQLite 3 substr() for "hello" (checked with
	// sqlite3).
	cases := []struct {
		start, length int
		hasLen        bool
		want          string
	}{
		{1, 0, false, "hello"},
		{0, 0, false, "hello"},
		{-1, 0, false, "o"},
		{-5, 0, false, "hello"},
		{-6, 0, false, "hello"},
		{0, 1, true, ""},
		{0, 3, true, "he"},
		{2, 0, true, ""},
		{2, -1, true, "h"},
		{5, -10, true, "hell"},
		{-2, -2, true, "el"},
		{6, 1, true, ""},
	}
	for _, c := range cases {
		if got := Substr("hello", c.start, c.length, c.hasLen); got != c.want {
			t.Errorf("Substr(hello, %d, %d, %v) = %q, want %q", c.start, c.length, c.hasLen, got, c.want)
		}
	}
}

func BenchmarkReplace(b *testing.B) {
	c := NewContext(ExampleTime)
	f, _ := Lookup("replace")
	args := []value.Value{value.Str("arn:aws:iam::123456789012:user/alice"), value.Str(`.*/(.*)`), value.Str(`\1`)}
	b.ReportAllocs()
	for b.Loop() {
		f.Call(c, args)
	}
}
