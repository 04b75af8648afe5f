package exec_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
)

// TestOptions checks the one option parser through the commands that use
// it: an option a command does not take, one the evaluator refuses, a
// refused value, and a value of the wrong kind each give one message of
// one form at the option (or its value), and every bad option of a
// command is reported.
func TestOptions(t *testing.T) {
	cases := []struct {
		search string
		want   []string // offset code: message; nil: compiles
	}{
		{`| makeresults count=2 | eval x="a,b" | makemv delim="," allowempty=t x | mvexpand x limit=1 | head limit=1`, nil},
		{`| makeresults | rex foo=1 "(?<x>.)"`,
			[]string{"20 unsupported-command: option foo of command rex is not supported by the evaluator"}},
		{`| makeresults | rex mode=perl "(?<x>.)"`,
			[]string{"25 spl-syntax: rex: mode must be sed"}},
		{`| makeresults | rex max_match=-1 "(?<x>.)"`,
			[]string{"30 spl-syntax: rex: max_match must be a number"}},
		{`| makeresults | bin bins=0 _time`,
			[]string{"25 spl-syntax: bin: bins must be a number"}},
		{`| makeresults annotate=true`,
			[]string{"14 unsupported-command: option annotate=true of command makeresults is not supported by the evaluator"}},
		{`| makeresults annotate=f count=x`,
			[]string{"31 spl-syntax: makeresults: count must be a number"}},
		{`| makeresults | join type=sideways x [| makeresults]`,
			[]string{"26 spl-syntax: join: type must be inner, outer or left"}},
		{`| makeresults | join usetime=true x [| makeresults]`,
			[]string{"21 unsupported-command: option usetime=true of command join is not supported by the evaluator"}},
		// Options that used to be dropped without a word.
		{`| makeresults | tail 5 keeplast=t`,
			[]string{"23 unsupported-command: option keeplast of command tail is not supported by the evaluator"}},
		{`| makeresults | mvexpand x max=2`,
			[]string{"27 unsupported-command: option max of command mvexpand is not supported by the evaluator"}},
		{`| makeresults | fillnull value=0 nosuch=1 x`,
			[]string{"33 unsupported-command: option nosuch of command fillnull is not supported by the evaluator"}},
		// Every bad option, in order, before and after the arguments.
		{`| makeresults | dedup foo=1 x bar=2`,
			[]string{
				"22 unsupported-command: option foo of command dedup is not supported by the evaluator",
				"30 unsupported-command: option bar of command dedup is not supported by the evaluator",
			}},
		{`| makeresults | foreach x* opt=1 [eval a=1]`,
			[]string{"27 unsupported-command: option opt of command foreach is not supported by the evaluator"}},
		{`| makeresults | eventstats nosuch=t count`,
			[]string{"27 unsupported-command: option nosuch of command eventstats is not supported by the evaluator"}},
	}
	for _, c := range cases {
		t.Run(c.search, func(t *testing.T) {
			q, err := spl.ParseString(c.search)
			if err != nil {
				t.Fatal(err)
			}
			_, err = exec.Compile(q, exec.Options{})
			var got []string
			if err != nil {
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					ee := e.(*exec.Error)
					got = append(got, fmt.Sprintf("%d %s: %s", ee.Pos.Offset, ee.Code, ee.Msg))
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}
