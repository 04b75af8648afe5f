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
			[]string{"30 spl-syntax: rex: max_match must be a number, at least 0"}},
		{`| makeresults | bin bins=0 _time`,
			[]string{"25 spl-syntax: bin: bins must be a number, at least 1"}},
		{`| makeresults annotate=true`,
			[]string{"14 unsupported-command: option annotate=true of command makeresults is not supported by the evaluator"}},
		{`| makeresults annotate=f count=x`,
			[]string{"31 spl-syntax: makeresults: count must be a number, at least 0"}},
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
		// The commands that parsed their own options until they moved onto
		// the shared parser: one message form, at the option or its value.
		{`| makeresults | strcat allrequired=t nosuch=1 a b c`,
			[]string{"37 unsupported-command: option nosuch of command strcat is not supported by the evaluator"}},
		{`| makeresults | strcat allrequired=maybe a b`,
			[]string{"35 spl-syntax: strcat: allrequired must be true or false"}},
		{`| makeresults | rangemap field=x low=0-10 default=None`, nil},
		{`| makeresults | rangemap field=x low=abc`,
			[]string{"37 spl-syntax: rangemap: low=abc is not a numeric range such as 1-100"}},
		{`| makeresults | xmlkv maxinputs=0 foo=1`,
			[]string{
				"32 spl-syntax: xmlkv: maxinputs must be a number, at least 1",
				"34 unsupported-command: option foo of command xmlkv is not supported by the evaluator",
			}},
		{`| makeresults | extract limit=-1 segment=t`,
			[]string{
				"30 spl-syntax: extract: limit must be a number, at least 0",
				"33 unsupported-command: option segment of command extract is not supported by the evaluator",
			}},
		{`| makeresults | kv mv_add=perhaps`,
			[]string{"26 spl-syntax: kv: mv_add must be true or false"}},
		{`| makeresults | multikv conf=ps noheader=t`,
			[]string{"24 unsupported-command: option conf of command multikv is not supported by the evaluator (multikv.conf stanzas are not read)"}},
		{`| makeresults | addtotals col=x labelfield=l`,
			[]string{"30 spl-syntax: addtotals: col must be true or false"}},
		{`| makeresults | addtotals colum=t`,
			[]string{"26 unsupported-command: option colum of command addtotals is not supported by the evaluator"}},
		{`| makeresults | delta x p=0`,
			[]string{"26 spl-syntax: delta: p must be a number, at least 1"}},
		{`| makeresults | autoregress x p=3-1`,
			[]string{"32 spl-syntax: autoregress p=3-1: want a number or a range such as 2-5, from 1 to 10000"}},
		{`| makeresults | autoregress x q=1`,
			[]string{"30 unsupported-command: option q of command autoregress is not supported by the evaluator"}},
		{`| makeresults | appendpipe run_in_preview=sometimes [stats count]`,
			[]string{"42 spl-syntax: appendpipe: run_in_preview must be true or false"}},
		{`| makeresults | mvcombine sep=";" x`,
			[]string{"26 unsupported-command: option sep of command mvcombine is not supported by the evaluator"}},
		{`| makeresults | chart count by a partial=f`,
			[]string{"33 unsupported-command: option partial of command chart is not supported by the evaluator"}},
		{`| makeresults | timechart span=1h partial=f fixedrange=t count by a useother=maybe`,
			[]string{"77 spl-syntax: timechart: useother must be true or false"}},
		{`| makeresults | chart limit=sideways count by a`,
			[]string{"28 spl-syntax: chart: limit=sideways is not a count (N, topN or bottomN)"}},
		{`| makeresults | transaction x maxevents=0 mvraw=t name=1`,
			[]string{
				"42 unsupported-command: option mvraw=t of command transaction is not supported by the evaluator",
				"50 unsupported-command: option name of command transaction is not supported by the evaluator",
			}},
		{`| makeresults | transaction x maxevents=0`,
			[]string{"40 spl-syntax: transaction maxevents=0: want a positive number or -1"}},
		{`| makeresults | transaction x startswith=(a=1) endswith=eval(b>2) keeporphans=t`, nil},
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
