package exec_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
)

// TestCompileReportsEveryError: Compile goes on after an error, so that
// every unsupported command and function of a query is reported, in source
// order; errors.As still finds the first, and Unwrap gives each as an
// *exec.Error.
func TestCompileReportsEveryError(t *testing.T) {
	cases := []struct {
		search string
		want   []string // offset code: message
	}{
		{"| makeresults | eval a=foo(x), b=1, c=bar(y, upper(z)) | frob",
			[]string{
				"23 unsupported-function: function foo() is not supported by the evaluator",
				"38 unsupported-function: function bar() is not supported by the evaluator",
				"57 unsupported-command: command frob is not supported by the evaluator",
			}},
		// One expression: the first error stops its compiling; the other
		// calls are checked by their functions alone.
		{"| makeresults | where foo(x) > 1 AND len(a, b) = 2 AND nosuch()",
			[]string{
				"22 unsupported-function: function foo() is not supported by the evaluator",
				"37 spl-syntax: len() takes 1 arguments, got 2",
				"55 unsupported-function: function nosuch() is not supported by the evaluator",
			}},
		// A subsearch's errors are reported where it is; the base search
		// and the commands after it are compiled too.
		{"index=main [| makeresults | eval x=zz(1) | frob] | outlier action=remove | eval y=qq(2)",
			[]string{
				"35 unsupported-function: function zz() is not supported by the evaluator",
				"43 unsupported-command: command frob is not supported by the evaluator",
				"51 unsupported-command: command outlier is not supported by the evaluator",
				"82 unsupported-function: function qq() is not supported by the evaluator",
			}},
		// The same function twice in one expression is two findings (two
		// places), never the same one twice.
		{"| makeresults | eval a=foo(foo(1))",
			[]string{
				"23 unsupported-function: function foo() is not supported by the evaluator",
				"27 unsupported-function: function foo() is not supported by the evaluator",
			}},
	}
	for _, c := range cases {
		t.Run(c.search, func(t *testing.T) {
			q, err := spl.ParseString(c.search)
			if err != nil {
				t.Fatal(err)
			}
			_, err = exec.Compile(q, exec.Options{})
			if err == nil {
				t.Fatal("compiled; want errors")
			}
			var first *exec.Error
			if !errors.As(err, &first) {
				t.Fatalf("%T is not an *exec.Error", err)
			}
			many, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("%T has no Unwrap() []error", err)
			}
			var got []string
			for i, e := range many.Unwrap() {
				ee, ok := e.(*exec.Error)
				if !ok {
					t.Fatalf("element %d is a %T, not an *exec.Error", i, e)
				}
				if i == 0 && ee != first {
					t.Errorf("errors.As gave %v, not the first error %v", first, ee)
				}
				got = append(got, fmt.Sprintf("%d %s: %s", ee.Pos.Offset, ee.Code, ee.Msg))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}
