package spl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
)

// TestParseExpr: a lone eval expression parses to the tree eval would
// build, and every error names its position in the given source.
func TestParseExpr(t *testing.T) {
	tests := []struct {
		text  string
		canon string // printed tree; empty when an error is wanted
		err   string // Error() of the *diag.Error
	}{
		{text: `upper(eventName)`, canon: `upper(eventName)`},
		{text: `coalesce(errorCode, if('responseElements.ConsoleLogin'="Failure", "failure", "success"))`,
			canon: `coalesce(errorCode, if('responseElements.ConsoleLogin' = "Failure", "failure", "success"))`},
		{text: `a.b+1`, canon: `a . b + 1`},
		{text: `x AND y OR z`, canon: `x AND y OR z`},
		{text: `NOT x IN ("a", "b")`, canon: `NOT x IN ("a", "b")`},
		{text: `  -x * 2  `, canon: `-x * 2`},
		{text: "if(", err: `f:1:4: spl-syntax: unexpected end of search, expected an expression`},
		{text: "", err: `f:1:1: spl-syntax: unexpected end of search, expected an expression`},
		{text: "1+", err: `f:1:3: spl-syntax: unexpected end of search, expected an expression`},
		// eval would read these as two assignments or two commands; an
		// expression is one expression.
		{text: "x, y=2", err: `f:1:2: spl-syntax: unexpected ","`},
		{text: "x | delete", err: `f:1:3: spl-syntax: unexpected "|"`},
		{text: "a b", err: `f:1:3: spl-syntax: unexpected "b"`},
		{text: "f(x))", err: `f:1:5: spl-syntax: unbalanced parenthesis: ) has no matching (`},
		{text: `"abc`, err: `f:1:1: spl-syntax: unbalanced quote: " has no closing "`},
		{text: "`m`", err: "f:1:1: macro-unexpanded: macro `m` is not expanded (macros are expanded before parsing, by macro.Expand or ParseSearch)"},
		{text: "len(x)\n + (", err: `f:2:5: spl-syntax: unexpected end of search, expected an expression`},
	}
	for _, tt := range tests {
		e, err := spl.ParseExpr(diag.NewSource("f", tt.text), spl.Limits{})
		if tt.err != "" {
			var d *diag.Error
			if !errors.As(err, &d) || d.Error() != tt.err {
				t.Errorf("%q: error %v, want %s", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.text, err)
			continue
		}
		if got := spl.Format(e); got != tt.canon {
			t.Errorf("%q: printed %q, want %q", tt.text, got, tt.canon)
		}
	}
}

// TestParseExprLocate: a source cut out of a larger file (the value of a
// props.conf setting) reports positions in that file.
func TestParseExprLocate(t *testing.T) {
	file := "[s]\nEVAL-x = lower(a) +\n"
	value := "lower(a) +"
	start := strings.Index(file, value)
	src := &diag.Source{Name: "props.conf", Text: value, Locate: func(off int) diag.Position {
		p := diag.TextPosition(file, start+off)
		p.File = "props.conf"
		return p
	}}
	_, err := spl.ParseExpr(src, spl.Limits{})
	want := "props.conf:2:20: spl-syntax: unexpected end of search, expected an expression"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
}

// TestParseExprLimits: ParseExpr keeps Parse's caps: max_nesting (its
// default and a raised one), its hard cap, and the size limit.
func TestParseExprLimits(t *testing.T) {
	nest := func(n int) string { return strings.Repeat("abs(", n) + "1" + strings.Repeat(")", n) }
	tests := []struct {
		text   string
		limits spl.Limits
		err    string
	}{
		{nest(99), spl.Limits{}, ""},
		{nest(101), spl.Limits{}, "limit: brackets and parentheses nested more than 100 deep (max_nesting)"},
		{strings.Repeat("-", 101) + "1", spl.Limits{}, "limit: expression nested more than 100 deep (max_nesting)"},
		{nest(150), spl.Limits{MaxDepth: 200}, ""},
		{strings.Repeat("1+", spl.MaxExprHeight-1) + "1", spl.Limits{}, ""},
		{strings.Repeat("1+", spl.MaxExprHeight+1) + "1", spl.Limits{}, "limit: expression more than 10000 levels tall"},
		{"1", spl.Limits{MaxDepth: spl.MaxNestingCap + 1}, "limit: max_nesting is 1001, more than its hard cap of 1000"},
		{"12345", spl.Limits{MaxBytes: 4}, "limit: search is 5 bytes, more than the limit of 4 (max_query_bytes)"},
	}
	for _, tt := range tests {
		_, err := spl.ParseExpr(diag.NewSource("", tt.text), tt.limits)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%.30q: %v", tt.text, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%.30q: error %v, want %s", tt.text, err, tt.err)
		}
	}
}

// TestParseSearchExpr: search-language terms parse as the search command
// reads them, with positioned errors.
func TestParseSearchExpr(t *testing.T) {
	tests := []struct{ text, canon, err string }{
		{text: `eventName=Describe* errorCode!=success`, canon: `eventName=Describe* errorCode!=success`},
		{text: `a=1 b=2 OR c`, canon: `a=1 (b=2 OR c)`},
		{text: `NOT x IN (1, "a b")`, canon: `NOT x IN (1, "a b")`},
		{text: ``, err: `f:1:1: spl-syntax: unexpected end of search, expected a search term`},
		{text: `| x`, err: `f:1:1: spl-syntax: unexpected "|", expected a search term`},
		{text: `a=1 )`, err: `f:1:5: spl-syntax: unbalanced parenthesis: ) has no matching (`},
		{text: `NOT`, err: `f:1:4: spl-syntax: unexpected end of search, expected a search term after NOT`},
	}
	for _, tt := range tests {
		e, err := spl.ParseSearchExpr(diag.NewSource("f", tt.text), spl.Limits{})
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %s", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.text, err)
			continue
		}
		if got := spl.Format(e); got != tt.canon {
			t.Errorf("%q: printed %q, want %q", tt.text, got, tt.canon)
		}
	}
}

// FuzzParseExpr: no input makes ParseExpr panic; errors are positioned
// inside the text; and whatever parses is the tree `| eval x=TEXT` builds
// and round-trips through its printed form.
func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{
		`upper(eventName)`, `a.b+1`, `if(x>1, "a", 'b c')`, `NOT x IN (1, 2)`, `-+-1e5 % 3`,
		`case(x="a", "A", true(), null())`, `'<<FIELD>>' * 2`, `x LIKE "a%" XOR y`, `len(x)) `, `"abc`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := spl.ParseExpr(diag.NewSource("", s), spl.Limits{})
		if err != nil {
			var d *diag.Error
			if !errors.As(err, &d) {
				t.Fatalf("error is %T, not *diag.Error", err)
			}
			if strings.Contains(d.Message, "internal parser error") {
				t.Fatalf("parser crashed: %v", err)
			}
			if d.Offset < 0 || d.Offset > len(s) {
				t.Fatalf("error offset %d outside the text of %d bytes: %v", d.Offset, len(s), err)
			}
			return
		}
		q, err := spl.ParseString("| eval x=" + s)
		if err != nil {
			t.Fatalf("%q parses as an expression but not in eval: %v", s, err)
		}
		if ev, ok := q.Commands[0].(*spl.EvalCommand); !ok || len(ev.Assignments) != 1 || !cmp.Equal(ev.Assignments[0].Expr, e, ignorePositions) {
			t.Fatalf("%q: ParseExpr and eval build different trees", s)
		}
		canon := spl.Format(e)
		e2, err := spl.ParseExpr(diag.NewSource("", canon), spl.Limits{})
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", canon, s, err)
		}
		if !cmp.Equal(e, e2, ignorePositions) {
			t.Fatalf("round trip changed the tree: %q -> %q", s, canon)
		}
	})
}
