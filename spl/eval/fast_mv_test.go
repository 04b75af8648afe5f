package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// mvindexSplitCall is `mvindex(split(x, "sep"), idx)`, idx a number
// literal's text, as the parser makes it (a negative index is a minus
// over the literal).
func mvindexSplitCall(sep, idx string) *spl.Call {
	var i spl.Expr = &spl.NumberLit{Text: strings.TrimPrefix(idx, "-")}
	if strings.HasPrefix(idx, "-") {
		i = &spl.Unary{Op: "-", X: i}
	}
	split := &spl.Call{Func: "split", Args: []spl.Expr{&spl.FieldRef{Name: "x"}, &spl.StringLit{Raw: spl.Quote(sep)}}}
	return &spl.Call{Func: "mvindex", Args: []spl.Expr{split, i}}
}

// fastAndGeneral compiles e with the fast forms and without, each with
// its own context (caps as given).
func fastAndGeneral(t testing.TB, e spl.Expr, maxBytes, maxValues int) (fast, general Evaluator, fc, gc *Context) {
	t.Helper()
	fc = &Context{MaxValueBytes: maxBytes, MaxMVValues: maxValues}
	gc = &Context{MaxValueBytes: maxBytes, MaxMVValues: maxValues}
	fast, err := (&Compiler{Ctx: fc}).Compile(e)
	if err != nil {
		t.Fatal(err)
	}
	general, err = (&Compiler{Ctx: gc, general: true}).Compile(e)
	if err != nil {
		t.Fatal(err)
	}
	return fast, general, fc, gc
}

// sameOn compares the fast and general evaluators on a row whose x is v:
// the value, and what each recorded (a cap hit, failed calls).
func sameOn(t testing.TB, what string, e spl.Expr, v value.Value, maxBytes, maxValues int) {
	t.Helper()
	fast, general, fc, gc := fastAndGeneral(t, e, maxBytes, maxValues)
	row := value.NewRow(nil)
	row.Set("x", v)
	got, want := fast(row), general(row)
	if got.GoString() != want.GoString() {
		t.Errorf("%s on x=%s: fast %s, general %s", what, v.GoString(), got.GoString(), want.GoString())
	}
	if fmt.Sprint(fc.Err()) != fmt.Sprint(gc.Err()) || fmt.Sprint(fc.FunctionErrors()) != fmt.Sprint(gc.FunctionErrors()) {
		t.Errorf("%s on x=%s: fast recorded %v %v, general %v %v", what, v.GoString(), fc.Err(), fc.FunctionErrors(), gc.Err(), gc.FunctionErrors())
	}
}

// TestMVIndexSplit: the fast form of mvindex(split(x, sep), i) gives what
// the general one gives, and records what it records, for every index
// from past the start to past the end of pieces of ARNs, separators that
// overlap themselves, empty pieces, values that are not a single string,
// and values at and past the caps.
func TestMVIndexSplit(t *testing.T) {
	vals := []value.Value{
		value.Str("arn:aws:sts::123456789012:assumed-role/app/session"),
		value.Str("arn:aws:iam::123456789012:user/alice"),
		value.Str(""), value.Str(":"), value.Str("::"), value.Str("/a//b/"), value.Str("no-separator"),
		value.Str("aaa"), value.Str("aaaa"), value.Str("abababa"), value.Str("xaayaaaz"), value.Str("é:ü/\xff"),
		value.NullValue, value.Num(12.5), value.Num(-3), value.Boolean(true),
		value.MV([]string{"a:b", "c:d:e"}), value.MV([]string{"", ""}),
	}
	for _, sep := range []string{":", "/", "aa", "aba", "::", "é"} {
		for k := -6; k <= 6; k++ {
			e := mvindexSplitCall(sep, fmt.Sprint(k))
			for _, v := range vals {
				sameOn(t, spl.Format(e), e, v, 0, 0)
				sameOn(t, spl.Format(e)+" (caps 4 bytes, 2 values)", e, v, 4, 2)
			}
		}
	}
}

// TestMVIndexSplitApplies lists where the fast form is used, and where a
// call that looks alike compiles as usual.
func TestMVIndexSplitApplies(t *testing.T) {
	for _, c := range []struct {
		expr string
		fast bool
	}{
		{`mvindex(split(x, "/"), -1)`, true},
		{`mvindex(split(x, ":"), 0)`, true},
		{`mvindex(split(mvindex(split(coalesce(a, b), ":"), -1), "/"), -1)`, true},
		{`MVINDEX(Split(x, "/"), 2)`, true},
		{`mvindex(split(x, ""), 0)`, false},       // characters, not pieces
		{`mvindex(split(x, y), 0)`, false},        // a separator read from a field
		{`mvindex(split(x, "/"), n)`, false},      // an index read from a field
		{`mvindex(split(x, "/"), 1, 2)`, false},   // a range
		{`mvindex(split(x, "/"), "1")`, false},    // an index that is a string
		{`mvindex(x, 0)`, false},                  // no split
		{`mvindex(mvappend(x, "/"), 0)`, false},   // another function
		{`mvindex(split(x, "/"), -(1+1))`, false}, // not a literal
		{`mvindex(split(x, "/", y), 0)`, false},   // split() with three arguments is an error
	} {
		call := fnParse(t, c.expr, false).(*spl.Call)
		fn, ok := Lookup(call.Func)
		if !ok {
			t.Fatalf("%s: no function", c.expr)
		}
		ev, err := (&Compiler{}).mvindexSplit(fn, call)
		if (ev != nil) != c.fast {
			t.Errorf("%s: fast form %v (err %v), want %v", c.expr, ev != nil, err, c.fast)
		}
	}
}

// TestMVIndexSplitRandom compares the two forms on random texts of few
// letters, where separators and empty pieces are frequent.
func TestMVIndexSplitRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	letters := "ab:/"
	text := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	for i := 0; i < 3000; i++ {
		sep := text(1 + rng.IntN(3))
		e := mvindexSplitCall(sep, fmt.Sprint(rng.IntN(13)-6))
		sameOn(t, spl.Format(e), e, value.Str(text(rng.IntN(16))), 0, 0)
	}
}

// FuzzMVIndexSplit compares the fast form of mvindex(split(x, sep), k)
// with the general one on any text, separator and index, with and
// without small caps.
func FuzzMVIndexSplit(f *testing.F) {
	f.Add("arn:aws:iam::123456789012:user/alice", "/", -1, false)
	f.Add("arn:aws:sts::1:assumed-role/r/s", ":", 5, true)
	f.Add("aaaaa", "aa", -2, false)
	f.Add("", ":", 0, false)
	f.Fuzz(func(t *testing.T, x, sep string, k int, capped bool) {
		if sep == "" || k < -1000 || k > 1000 {
			return
		}
		e := mvindexSplitCall(sep, fmt.Sprint(k))
		if e.Args[0].(*spl.Call).Args[1].(*spl.StringLit).Value() != sep {
			return // not a separator SPL's quoting gives back
		}
		maxBytes, maxValues := 0, 0
		if capped {
			maxBytes, maxValues = 8, 3
		}
		sameOn(t, "mvindex(split(x, sep), k)", e, value.Str(x), maxBytes, maxValues)
	})
}

// BenchmarkMVIndexSplit: the add-on's role name of an ARN,
// mvindex(split(mvindex(split(arn, ":"), -1), "/"), -1), fast and
// general.
func BenchmarkMVIndexSplit(b *testing.B) {
	e := &spl.Call{Func: "mvindex", Args: []spl.Expr{
		&spl.Call{Func: "split", Args: []spl.Expr{
			&spl.Call{Func: "mvindex", Args: []spl.Expr{
				&spl.Call{Func: "split", Args: []spl.Expr{&spl.FieldRef{Name: "x"}, &spl.StringLit{Raw: `":"`}}},
				&spl.Unary{Op: "-", X: &spl.NumberLit{Text: "1"}},
			}},
			&spl.StringLit{Raw: `"/"`},
		}},
		&spl.Unary{Op: "-", X: &spl.NumberLit{Text: "1"}},
	}}
	fast, general, _, _ := fastAndGeneral(b, e, 0, 0)
	row := value.NewRow(nil)
	row.Set("x", value.Str("arn:aws:sts::123456789012:assumed-role/app-backend/session-1234"))
	for _, c := range []struct {
		name string
		ev   Evaluator
	}{{"fast", fast}, {"general", general}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c.ev(row).String() != "session-1234" {
					b.Fatal("wrong piece")
				}
			}
		})
	}
}
