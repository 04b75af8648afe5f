package spl_test

import (
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
)

// TestCallResults: the arguments an argument-picking eval function can
// return, as Splunk's Search Reference "Comparison and Conditional
// functions" page describes coalesce, ifnull (an alias we accept), if,
// case and null.
func TestCallResults(t *testing.T) {
	tests := []struct {
		expr string
		want []string // printed arguments; nil with ok false
		ok   bool
	}{
		{`coalesce(a, b, "c")`, []string{"a", "b", `"c"`}, true},
		{`ifnull(a, "x")`, []string{"a", `"x"`}, true},
		{`if(a=1, b, "y")`, []string{"b", `"y"`}, true},
		{`case(a=1, "one", a=2, b)`, []string{`"one"`, "b"}, true},
		{`null()`, nil, true},
		{`if(a=1, b)`, nil, false},
		{`case(a=1)`, nil, false},
		{`lower(a)`, nil, false},
	}
	for _, tt := range tests {
		e, err := spl.ParseExpr(diag.NewSource("f", tt.expr), spl.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		call, isCall := e.(*spl.Call)
		if !isCall {
			t.Fatalf("%s: parsed as %T", tt.expr, e)
		}
		got, ok := call.Results()
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("%s: Results() = %d args, %v; want %d, %v", tt.expr, len(got), ok, len(tt.want), tt.ok)
			continue
		}
		for i, arg := range got {
			if s := spl.Format(arg); s != tt.want[i] {
				t.Errorf("%s: argument %d = %s, want %s", tt.expr, i, s, tt.want[i])
			}
		}
	}
}
