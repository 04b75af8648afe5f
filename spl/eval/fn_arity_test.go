package eval

import (
	"errors"
	"strings"
	"testing"
)

// TestFunctionCallErrors pins the compile errors of calls: an unknown name,
// and a wrong argument count, for eager functions and for those that
// compile their own arguments alike, each at the call's position.
func TestFunctionCallErrors(t *testing.T) {
	cases := []struct {
		src, want   string
		at          string // the call the error points at: its first occurrence in src
		unsupported bool
	}{
		{src: `nosuch(1)`, want: "function nosuch() is not supported by the evaluator", at: "nosuch(", unsupported: true},
		{src: `if(true(), nosuch(), 1)`, want: "function nosuch() is not supported by the evaluator", at: "nosuch(", unsupported: true},
		{src: `lower()`, want: "lower() takes 1 arguments, got 0", at: "lower("},
		{src: `substr("a")`, want: "substr() takes 2 to 3 arguments, got 1", at: "substr("},
		{src: `substr("a", 1, 2, 3)`, want: "substr() takes 2 to 3 arguments, got 4", at: "substr("},
		{src: `mvappend()`, want: "mvappend() takes at least 1 arguments, got 0", at: "mvappend("},
		{src: `if(1==1, 2)`, want: "if() takes 3 arguments, got 2", at: "if("},
		{src: `if(1==1, 2, 3, 4)`, want: "if() takes 3 arguments, got 4", at: "if("},
		{src: `case()`, want: "case() takes an even number of arguments, got 0", at: "case("},
		{src: `case(1==1)`, want: "case() takes an even number of arguments, got 1", at: "case("},
		{src: `case(1==1, 1, 2)`, want: "case() takes an even number of arguments, got 3", at: "case("},
		{src: `coalesce()`, want: "coalesce() takes at least 1 arguments, got 0", at: "coalesce("},
		{src: `ifnull()`, want: "ifnull() takes at least 1 arguments, got 0", at: "ifnull("},
		{src: `mvfilter(a==1, b==1)`, want: "mvfilter() takes 1 arguments, got 2", at: "mvfilter("},
		{src: `mvfilter(a==b)`, want: "mvfilter() needs an expression over exactly one field", at: "mvfilter("},
		{src: `searchmatch()`, want: "searchmatch() takes 1 arguments, got 0", at: "searchmatch("},
		{src: `searchmatch(x)`, want: "searchmatch() needs a literal search string", at: "searchmatch("},
		{src: `coalesce(x, if(1==1, 2))`, want: "if() takes 3 arguments, got 2", at: "if("},
		{src: `lower(case(1==1))`, want: "case() takes an even number of arguments, got 1", at: "case("},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			_, err := fnCompiler().Compile(fnParse(t, c.src, false))
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("compile %s: got %v, want a CompileError", c.src, err)
			}
			if ce.Msg != c.want || ce.Unsupported != c.unsupported {
				t.Errorf("compile %s: got %q (unsupported %v), want %q (unsupported %v)",
					c.src, ce.Msg, ce.Unsupported, c.want, c.unsupported)
			}
			// fnParse parses "| eval x=" + src.
			if want := len("| eval x=") + strings.Index(c.src, c.at); ce.Pos.Offset != want {
				t.Errorf("compile %s: error at offset %d, want %d", c.src, ce.Pos.Offset, want)
			}
		})
	}
}
