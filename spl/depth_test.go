package spl_test

import (
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
)

// exprHeight is the height of an expression tree as MaxExprHeight counts
// it: a leaf is 0, each operator, call and IN one more than its tallest
// operand.
func exprHeight(e spl.Expr) int {
	h := 0
	switch x := e.(type) {
	case *spl.Unary:
		return 1 + exprHeight(x.X)
	case *spl.Binary:
		return 1 + max(exprHeight(x.L), exprHeight(x.R))
	case *spl.Call:
		for _, a := range x.Args {
			h = max(h, exprHeight(a))
		}
		return 1 + h
	case *spl.InExpr:
		h = exprHeight(x.X)
		for _, a := range x.List {
			h = max(h, exprHeight(a))
		}
		return 1 + h
	}
	return 0
}

// TestExpressionDepth: runs of unary operators, parentheses and calls
// count towards max_nesting; a chain of binary operators is legal SPL of
// any length (Search Reference, "eval" and "where": no limit on the terms
// of an expression), so it counts only towards the tree's height cap,
// MaxExprHeight. Both are read without deep recursion, and a max_nesting
// above the default is honoured up to the hard cap.
func TestExpressionDepth(t *testing.T) {
	// Recursion per operator used to overflow the stack (1 GB) on 700 KB
	// of unary minus; with a 64 MB stack a tenth of that shows it, and any
	// recursion per operator left in the parser crashes this test.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	rep := strings.Repeat
	chain := func(op string, n int) string { return rep("x"+op, n) + "x" }
	for _, c := range []struct {
		name  string
		spl   string
		depth int    // max_nesting; 0 is the default (100)
		want  string // error message part; empty for success
	}{
		{"unary minus 70000", "| eval x=" + rep("-", 70000) + "1", 0, "expression nested more than 100 deep (max_nesting)"},
		{"spaced minus 70000", "| eval x=" + rep("- ", 70000) + "1", 0, "expression nested more than 100 deep (max_nesting)"},
		{"NOT 70000", "| where " + rep("NOT ", 70000) + "x", 0, "expression nested more than 100 deep (max_nesting)"},
		{"plus chain 100000", "| eval x=" + chain("+", 100000), 0, "expression more than 10000 levels tall"},
		{"concat chain 100000", "| eval x=" + chain(".", 100000), 0, "expression more than 10000 levels tall"},
		{"OR chain 100000", "| where " + chain(" OR ", 100000), 0, "expression more than 10000 levels tall"},
		{"unary plus 70000 makes no node", "| eval x=" + rep("+", 70000) + "1", 0, ""},
		{"unary minus 100", "| eval x=" + rep("-", 100) + "1", 0, ""},
		{"unary minus 101", "| eval x=" + rep("-", 101) + "1", 0, "expression nested more than 100 deep (max_nesting)"},
		{"chain of 101 terms", "| eval x=" + chain("+", 100), 0, ""},
		{"chain of 102 terms", "| eval x=" + chain("+", 101), 0, ""},
		{"where with 150 OR terms", "| where " + chain(" OR ", 149), 0, ""},
		{"chain of 10001 terms", "| eval x=" + chain("+", 10000), 0, ""},
		{"chain of 10002 terms", "| eval x=" + chain("+", 10001), 0, "expression more than 10000 levels tall"},
		{"chain inside 99 calls", "| eval x=" + rep("abs(", 99) + chain("+", 500) + rep(")", 99), 0, ""},
		{"chain inside 101 calls", "| eval x=" + rep("abs(", 101) + chain("+", 5) + rep(")", 101), 0, "nested more than 100 deep (max_nesting)"},
		{"minus inside calls", "| eval x=" + rep("abs(", 50) + rep("-", 50) + "1" + rep(")", 50), 0, ""},
		{"minus inside calls, one too many", "| eval x=" + rep("abs(", 50) + rep("-", 51) + "1" + rep(")", 50), 0, "expression nested more than 100 deep (max_nesting)"},
		{"max_nesting=1000 parentheses", "| eval x=" + rep("(", 999) + "1" + rep(")", 999), 1000, ""},
		{"max_nesting=1000 unary minus", "| eval x=" + rep("-", 1000) + "1", 1000, ""},
		{"max_nesting=1000 unary minus 1001", "| eval x=" + rep("-", 1001) + "1", 1000, "expression nested more than 1000 deep (max_nesting)"},
		{"max_nesting=1000 search NOT", "x " + rep("NOT ", 900) + "y", 1000, ""},
		{"max_nesting=1000 search parentheses", rep("(", 1000) + "y" + rep(")", 1000), 1000, ""},
		{"max_nesting=1000 search parentheses 1001", rep("(", 1001) + "y" + rep(")", 1001), 1000, "nested more than 1000 deep (max_nesting)"},
		{"max_nesting over the hard cap", "x", 1001, "max_nesting is 1001, more than its hard cap of 1000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := spl.ParseWith(diag.NewSource("<search>", c.spl), spl.Limits{MaxDepth: c.depth})
			if c.want == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				checkHeights(t, q)
				return
			}
			var d *diag.Error
			if !errors.As(err, &d) || d.Code != diag.Limit || !strings.Contains(d.Message, c.want) {
				t.Fatalf("got %v, want a limit error with %q", err, c.want)
			}
		})
	}
}

// checkHeights fails when an expression of q is taller than MaxExprHeight.
func checkHeights(t *testing.T, q *spl.Query) {
	t.Helper()
	spl.Walk(q, func(n spl.Node) bool {
		if e, ok := n.(spl.Expr); ok {
			if h := exprHeight(e); h > spl.MaxExprHeight {
				t.Errorf("expression of height %d, more than %d", h, spl.MaxExprHeight)
			}
			return false
		}
		return true
	})
}

// FuzzExprDepth: chains of any operator pieces, at any length and any
// max_nesting, parse or fail with a positioned error; what parses stays
// within MaxExprHeight and round-trips.
func FuzzExprDepth(f *testing.F) {
	f.Add("-", "1", uint16(5000), uint16(100))
	f.Add("NOT ", "x", uint16(3000), uint16(1000))
	f.Add("x+", "x", uint16(4000), uint16(100))
	f.Add("abs(-", ")", uint16(300), uint16(1000))
	f.Add("(", "1", uint16(200), uint16(150))
	f.Add("x OR ", "y", uint16(120), uint16(100))
	f.Add("- NOT ", "1 > 2", uint16(60), uint16(100))
	f.Fuzz(func(t *testing.T, unit, tail string, n, depth uint16) {
		if len(unit) > 20 || len(tail) > 20 {
			return
		}
		max := int(depth%spl.MaxNestingCap) + 1
		text := "| eval x=" + strings.Repeat(unit, int(n)) + tail
		q, err := spl.ParseWith(diag.NewSource("<search>", text), spl.Limits{MaxDepth: max})
		if err != nil {
			var d *diag.Error
			if !errors.As(err, &d) {
				t.Fatalf("error is %T, not *diag.Error", err)
			}
			if strings.Contains(d.Message, "internal parser error") {
				t.Fatalf("parser crashed: %v", err)
			}
			return
		}
		checkHeights(t, q)
		canon := q.String()
		q2, err := spl.ParseWith(diag.NewSource("<search>", canon), spl.Limits{MaxDepth: spl.MaxNestingCap})
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", canon, text, err)
		}
		if q2.String() != canon {
			t.Fatalf("printing is not stable: %q -> %q", canon, q2.String())
		}
	})
}
