package eval

import (
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

func TestConditionalFunctions(t *testing.T) {
	ips := map[string]value.Value{"ip": fnMV("192.168.1.1", "10.1.2.3")}
	fnRunCases(t, []fnCase{
		// if: a null condition takes the else branch (docs/semantics-functions.md, "Edge cases").
		{`if(missing == 1, "y", "n")`, nil, `"n"`},
		// case: null when no condition is true (docs/semantics-functions.md, "Edge cases").
		{`case(1==2, "a")`, nil, `null`},
		// coalesce: "" is not null (docs/semantics-functions.md, "Edge cases").
		{`coalesce(missing, "", "x")`, nil, `""`},
		// like: % and _, whole string, case-sensitive (docs/semantics-functions.md, "Edge cases").
		{`like("foobar", "f_o%")`, nil, `Boolean(true)`},
		{`like("foobar", "bar")`, nil, `Boolean(false)`},
		{`like("FooBar", "foo%")`, nil, `Boolean(false)`},
		{`like(missing, "%")`, nil, `null`},
		// match: unanchored, case-sensitive unless (?i) (docs/semantics-functions.md, "Edge cases").
		{`match("abcdef", "cd")`, nil, `Boolean(true)`},
		{`match("abc", "^b")`, nil, `Boolean(false)`},
		{`match("ABC", "(?i)abc")`, nil, `Boolean(true)`},
		{`match("user=bob", "user=(?<name>\w+)")`, nil, `Boolean(true)`},
		{`match(12345, "^\d+$")`, nil, `Boolean(true)`},
		// match() of missing fields is null, so if() takes the else branch (docs/semantics.md, "eval and where").
		{`match(missing, "x")`, nil, `null`},
		{`if(match(userIdentity.userName, requestParameters.userName), 1, 0)`, nil, `Number(0)`},
		// docs/semantics-functions.md: a multivalue matches if any value does.
		{`match(ip, "^10\.")`, ips, `Boolean(true)`},
		// Comparison and Conditional functions: a bad regex is an error → null.
		{`match("a", "(")`, nil, `null`},
		// cidrmatch: boolean; non-IP false (docs/semantics-functions.md, "Edge cases").
		{`cidrmatch("10.0.0.0/8", "10.255.1.1")`, nil, `Boolean(true)`},
		{`cidrmatch("10.0.0.0/8", "11.0.0.1")`, nil, `Boolean(false)`},
		{`cidrmatch("10.0.0.0/8", "AWS Internal")`, nil, `Boolean(false)`},
		{`cidrmatch("10.0.0.0/8", "ec2.amazonaws.com")`, nil, `Boolean(false)`},
		{`cidrmatch("10.0.0.0/8", missing)`, nil, `Boolean(false)`},
		{`cidrmatch("10.0.0.0/8", ip)`, ips, `Boolean(true)`},
		{`cidrmatch("192.168.1.1", "192.168.1.1")`, nil, `Boolean(true)`},
		{`cidrmatch("10.1.2.3/8", "10.9.9.9")`, nil, `Boolean(true)`},
		{`cidrmatch("2001:db8::/32", "2001:db8::1")`, nil, `Boolean(true)`},
		{`cidrmatch("2001:db8::/32", "10.0.0.1")`, nil, `Boolean(false)`},
		{`cidrmatch("10.0.0.0/8", "::ffff:10.0.0.1")`, nil, `Boolean(true)`},
		{`cidrmatch("not a cidr", "10.0.0.1")`, nil, `Boolean(false)`},
		// Comparison and Conditional functions: in().
		{`in("x", "a", "b")`, nil, `Boolean(false)`},
		{`in(5, "5.0", 6)`, nil, `Boolean(true)`},
		{`in(missing, "a")`, nil, `null`},
		// Comparison and Conditional functions: nullif().
		{`nullif("a", "a")`, nil, `null`},
		{`nullif(1, "1")`, nil, `null`},
		{`nullif(missing, "a")`, nil, `null`},
		{`nullif("a", missing)`, nil, `"a"`},
		// SPL8212 searchbnf validate: the message of the first false check,
		// null when all pass; a null check counts as failed.
		{`validate(isint(port), "not int", port >= 1 AND port <= 65535, "out of range")`, map[string]value.Value{"port": value.Str("80")}, `null`},
		{`validate(isint(port), "not int", port >= 1 AND port <= 65535, "out of range")`, map[string]value.Value{"port": value.Str("70000")}, `"out of range"`},
		{`validate(isint(port), "not int", port >= 1, "out of range")`, map[string]value.Value{"port": value.Str("x")}, `"not int"`},
		{`validate(missing > 1, "missing")`, nil, `"missing"`},
		{`validate(1==1, "a", 1==1)`, nil, `null`},
		// Comparison and Conditional functions: constants.
		{`null()`, nil, `null`},
		{`isnull(null())`, nil, `Boolean(true)`},
		{`true() AND NOT false()`, nil, `Boolean(true)`},
	})
}

// BenchmarkCompiledCalls is the per-row cost of compiled calls of both
// kinds: if and coalesce (Compile hooks) around isnull and lower (Calls).
func BenchmarkCompiledCalls(b *testing.B) {
	q, err := spl.ParseString(`| eval x=if(isnull(a), "none", coalesce(b, lower(c)))`)
	if err != nil {
		b.Fatal(err)
	}
	ev, err := fnCompiler().Compile(q.Commands[0].(*spl.EvalCommand).Assignments[0].Expr)
	if err != nil {
		b.Fatal(err)
	}
	r := value.NewRow(nil)
	r.Set("a", value.Str("1"))
	r.Set("c", value.Str("MiXeD"))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ev(r)
	}
}
