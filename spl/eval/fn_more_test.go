package eval

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/value"
)

// Edge cases of the functions added from the Search Reference's
// evaluation-functions list; each group names the Splunk page it follows.
func TestSearchReferenceFunctions(t *testing.T) {
	mv := func(vals ...string) map[string]value.Value { return map[string]value.Value{"f": value.MV(vals)} }
	fnRunCases(t, []fnCase{
		// Trigonometry and Hyperbolic functions: radians; out of domain is null.
		{`acos(2)`, nil, `null`},
		{`acosh(0.5)`, nil, `null`},
		{`atanh(1)`, nil, `null`},
		{`asin("x")`, nil, `null`},
		{`round(cos(pi()), 6)`, nil, `Number(-1)`},
		{`atan2(1, -1)`, nil, `Number(2.356194490192345)`},
		{`atan2(missing, 1)`, nil, `null`},
		{`hypot(f, 4)`, map[string]value.Value{"f": value.Str("3")}, `Number(5)`},
		// Mathematical functions: exact keeps full precision; sum adds every value.
		{`exact(0.1 + 0.2)`, nil, `Number(0.30000000000000004)`},
		{`exact("abc")`, nil, `null`},
		{`sum(f, 10)`, mv("1", "2"), `Number(13)`},
		{`sum(1, missing, 2)`, nil, `Number(3)`},
		{`sum(1, "x")`, nil, `null`},
		{`sum(missing)`, nil, `null`},
		// Mathematical functions, sigfig: the page's examples, then fields and nesting.
		{`sigfig(123.0 + 4.567)`, nil, `Number(127.6)`},
		{`sigfig(1.00 * 1111)`, nil, `Number(1110)`},
		{`sigfig(f * 3)`, map[string]value.Value{"f": value.Str("2.50")}, `Number(8)`},
		{`sigfig(f * 3.00)`, map[string]value.Value{"f": value.Str("2.50")}, `Number(7.5)`},
		{`sigfig(1.00 * 1111 + 0.5)`, nil, `Number(1110)`},
		{`sigfig(-2.0 / 3.000)`, nil, `Number(-0.67)`},
		{`sigfig(1 / 0)`, nil, `null`},
		{`sigfig(missing * 2)`, nil, `null`},
		// Statistical eval functions: avg over every value.
		{`avg(f)`, mv("1", "2", "6"), `Number(3)`},
		{`avg(1, "x")`, nil, `null`},
		// Bitwise functions: nonnegative integers below 2^53, else null.
		{`bit_and(12, 9, 8)`, nil, `Number(8)`},
		{`bit_or(4, 2, 1)`, nil, `Number(7)`},
		{`bit_xor(12, 10)`, nil, `Number(6)`},
		{`bit_and(-1, 3)`, nil, `null`},
		{`bit_or(1.5, 2)`, nil, `null`},
		{`bit_and(9007199254740992, 1)`, nil, `null`},
		{`bit_not(0)`, nil, `Number(9007199254740991)`},
		{`bit_shift_left(1, 53)`, nil, `null`},
		{`bit_shift_left(1, 52)`, nil, `Number(4503599627370496)`},
		{`bit_shift_right(1, 60)`, nil, `Number(0)`},
		// Informational functions.
		{`isdouble(3)`, nil, `Boolean(false)`},
		{`isdouble(f)`, map[string]value.Value{"f": value.Str("1.5")}, `Boolean(true)`},
		{`isdouble(f)`, map[string]value.Value{"f": value.Str("15")}, `Boolean(false)`},
		{`isdouble("abc")`, nil, `Boolean(false)`},
		{`ismv(f)`, mv("a", "b"), `Boolean(true)`},
		{`ismv(f)`, mv("a"), `Boolean(false)`},
		{`ismv(missing)`, nil, `Boolean(false)`},
		{`isarray("{\"a\":1}")`, nil, `Boolean(false)`},
		{`isarray("[1,")`, nil, `Boolean(false)`},
		{`isobject("[1]")`, nil, `Boolean(false)`},
		{`isobject(missing)`, nil, `Boolean(false)`},
		// Conversion functions: the page's ipmask examples, then invalid input.
		{`ipmask("0.255.0.224", "10.20.30.120")`, nil, `"0.20.0.96"`},
		{`ipmask("255.255.0.0", f)`, mv("10.1.2.3", "bad", "192.168.7.8"), `mv"10.1.0.0|192.168.0.0"`},
		{`ipmask("255.255.255", "10.20.30.120")`, nil, `null`},
		{`ipmask("255.255.255.0", "::1")`, nil, `null`},
		{`toint(3.99)`, nil, `Number(3)`},
		{`toint("12")`, nil, `Number(12)`},
		{`toint("twelve")`, nil, `null`},
		{`if(tobool(0), "y", "n")`, nil, `"n"`},
		{`if(tobool("false"), "y", "n")`, nil, `"n"`},
		{`if(tobool(2), "y", "n")`, nil, `"y"`},
		{`isnull(tobool("maybe"))`, nil, `Boolean(true)`},
		// Multivalue eval functions: mvmap, mv_to_json_array.
		{`mvmap(f, f * 10)`, mv("1", "2", "3"), `mv"10|20|30"`},
		{`mvmap(f, if(f > 1, f, null()))`, mv("1", "2", "3"), `mv"2|3"`},
		{`mvmap(f, f . g)`, map[string]value.Value{"f": value.MV([]string{"a", "b"}), "g": value.Str("!")}, `mv"a!|b!"`},
		{`mvmap(missing, 1)`, nil, `null`},
		{`mv_to_json_array(f)`, mv("Buttercup", "Fluttershy", "Rarity"), `"[\"Buttercup\",\"Fluttershy\",\"Rarity\"]"`},
		{`mv_to_json_array(f, true())`, mv("1", "true", "null", "x", "01"), `"[1,true,null,\"x\",\"01\"]"`},
		{`mv_to_json_array(f, false())`, mv("1", "true"), `"[\"1\",\"true\"]"`},
		{`mv_to_json_array(missing)`, nil, `null`},
		// commands: the part before the first pipe is the search command.
		{`commands("foo bar | eval x=\"a|b\" | append [search x | head 1] | table x")`, nil, `mv"search|eval|append|table"`},
		{`commands("| tstats count | STATS count")`, nil, `mv"tstats|STATS"`},
		{`commands("")`, nil, `null`},
		{`commands(missing)`, nil, `null`},
		// JSON functions.
		{`json_object()`, nil, `"{}"`},
		{`json_object("a", json_array(1, "x", null(), true()))`, nil, `"{\"a\":[1,\"x\",null,true]}"`},
		{`json_array(f)`, mv("a", "b"), `"[[\"a\",\"b\"]]"`},
		{`json("{bad")`, nil, `null`},
		{`json_valid("{bad")`, nil, `Boolean(false)`},
		{`json_keys("[1]")`, nil, `null`},
		{`json_has_key_exact("{\"a\":{\"b\":1}}", "a.b")`, nil, `Boolean(false)`},
		{`json_extract_exact("{\"a\":1,\"b\":\"x\"}", "a", "b", "c")`, nil, `"[1,\"x\",null]"`},
		{`json_array_to_mv("[\"a\",1]", true())`, nil, `mv"\"a\"|1"`},
		{`json_array_to_mv("{}")`, nil, `null`},
		// JSON functions that edit: order kept, paths as json_extract ({N} from 0).
		{`json_set("{\"a\":{\"b\":1},\"c\":[1,2]}", "a.b", 5, "a.x", "y", "c{1}", json_object("k", 1))`, nil, `"{\"a\":{\"b\":5,\"x\":\"y\"},\"c\":[1,{\"k\":1}]}"`},
		{`json_set("{\"a\":1}", "no.such", 2)`, nil, `"{\"a\":1}"`},
		{`json_set("{\"a\":[1,2]}", "a{}", 0)`, nil, `"{\"a\":[0,0]}"`},
		{`json_set("{bad", "a", 1)`, nil, `null`},
		{`json_set("{\"a\":1}", "a", 1, "b")`, nil, `null`},
		{`json_set_exact("{\"a\":1}", "a", null())`, nil, `"{\"a\":null}"`},
		{`json_set_exact("[1]", "a", 1)`, nil, `null`},
		{`json_append("{\"a\":[1],\"b\":2}", "a", 2, "b", 3)`, nil, `"{\"a\":[1,2],\"b\":2}"`},
		{`json_append("[]", "", json_array(1))`, nil, `"[[1]]"`},
		{`json_extend("{\"a\":[1]}", "a", json_array(2, 3))`, nil, `"{\"a\":[1,2,3]}"`},
		{`json_extend("[1]", "", "x")`, nil, `null`},
		{`json_delete("{\"a\":{\"b\":1,\"c\":2},\"d\":[1,2,3]}", "a.b", "d{0}", "nope")`, nil, `"{\"a\":{\"c\":2},\"d\":[2,3]}"`},
		{`json_entries("[1]")`, nil, `null`},
		{`json_entries("{}")`, nil, `"[]"`},
	})
}

// TestRandom: random() is an integer from 0 to 2^31-1, as the Statistical
// eval functions page documents, and not constant.
func TestRandom(t *testing.T) {
	ev, err := fnCompiler().Compile(fnParse(t, `random()`, false))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[float64]bool{}
	for i := 0; i < 1000; i++ {
		v := ev(value.NewRow(nil))
		n, ok := v.Number()
		if v.Kind() != value.Number || !ok || n < 0 || n > 2147483647 || n != float64(int64(n)) {
			t.Fatalf("random() = %s, want an integer from 0 to 2147483647", v.GoString())
		}
		seen[n] = true
	}
	if len(seen) < 990 {
		t.Errorf("random() gave %d distinct values in 1000 calls", len(seen))
	}
}

// FuzzJSONTree: the order-keeping tree of the JSON editing functions reads
// any valid JSON, writes valid JSON that means the same (encoding/json is
// the reference), and writing it again changes nothing.
func FuzzJSONTree(f *testing.F) {
	f.Add(`{"a":{"b":[1,2.50,"x\u00e9"]},"a":null,"c":true}`, "a.b{1}")
	f.Add(`[[],{},"",-0.0e1]`, "{0}")
	f.Fuzz(func(t *testing.T, doc, path string) {
		n, ok := jsonParseTree([]byte(doc))
		if !ok || !utf8.ValidString(doc) {
			return
		}
		out := n.text()
		var want, got any
		if json.Unmarshal([]byte(doc), &want) != nil {
			// The reference cannot hold the document (a number beyond
			// float64, such as 1E700, which is valid JSON): the tree must
			// still write valid JSON.
			if !json.Valid([]byte(out)) {
				t.Fatalf("tree of %q wrote invalid JSON %q", doc, out)
			}
		} else if json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("tree of %q wrote invalid JSON %q", doc, out)
		} else if !reflect.DeepEqual(want, got) {
			t.Errorf("tree of %q wrote %q, which means something else", doc, out)
		}
		if again, _ := jsonParseTree([]byte(out)); again.text() != out {
			t.Errorf("tree of %q is not stable: %q then %q", doc, out, again.text())
		}
		// Editing at any path never panics and keeps the JSON valid.
		for _, res := range []value.Value{
			fnCall(t, "json_delete", value.Str(doc), value.Str(path)),
			fnCall(t, "json_set", value.Str(doc), value.Str(path), value.Num(1)),
			fnCall(t, "json_append", value.Str(doc), value.Str(path), value.Str("x")),
		} {
			if !res.IsNull() && !json.Valid([]byte(res.String())) {
				t.Errorf("edit of %q at %q gave invalid JSON %q", doc, path, res.String())
			}
		}
	})
}
