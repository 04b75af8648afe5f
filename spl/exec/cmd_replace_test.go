package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// Search Reference, "replace" and "mvcombine": the pages' examples.
func TestReplaceMvcombine(t *testing.T) {
	runDocCases(t, []docCase{
		// "replace": replace 127.0.0.1 WITH localhost IN host.
		{"replace: exact value",
			`| makeresults count=2 | streamstats count | eval host=if(count=1, "127.0.0.1", "127.0.0.10") | replace 127.0.0.1 WITH localhost IN host | table host`,
			compact(`{"host": "localhost"}`, `{"host": "127.0.0.10"}`)},
		// "replace": replace 0 WITH Critical, 1 WITH Error IN msg_level.
		{"replace: several pairs",
			`| makeresults count=3 | streamstats count | eval msg_level=count-1 | replace 0 WITH Critical, 1 WITH Error IN msg_level | table msg_level`,
			compact(`{"msg_level": "Critical"}`, `{"msg_level": "Error"}`, `{"msg_level": "2"}`)},
		// "replace": replace aug WITH August IN start_month end_month; case-sensitive.
		{"replace: several fields, case-sensitive",
			`| makeresults | eval start_month="aug", end_month="Aug" | replace aug WITH August IN start_month end_month | table start_month end_month`,
			compact(`{"start_month": "August", "end_month": "Aug"}`)},
		// "replace": replace *localhost WITH localhost IN host.
		{"replace: leading wildcard",
			`| makeresults | eval host="www1.localhost" | replace *localhost WITH localhost IN host | table host`,
			compact(`{"host": "localhost"}`)},
		// "replace": replace "* localhost" WITH "localhost *" IN host.
		{"replace: wildcard carried over",
			`| makeresults | eval host="www1 localhost" | replace "* localhost" WITH "localhost *" IN host | table host`,
			compact(`{"host": "localhost www1"}`)},
		{"replace: every field without IN, each value of a multivalue",
			`| makeresults | eval a="x", b=split("x,y", ",") | replace x WITH z | table a b`,
			compact(`{"a": "z", "b": ["z", "y"]}`)},
		{"replace: the last matching pair wins",
			`| makeresults | eval a="abc" | replace a* WITH first, abc WITH second IN a | table a`,
			compact(`{"a": "second"}`)},
		// "mvcombine": results that differ only in the field become one.
		{"mvcombine: combines in input order",
			`| makeresults count=4 | streamstats count | eval host="www".count, max=if(count<4, 100, 200) | fields - _time count | mvcombine host | table max host`,
			compact(`{"max": "100", "host": ["www1", "www2", "www3"]}`, `{"max": "200", "host": "www4"}`)},
		{"mvcombine: delim accepted",
			`| makeresults count=2 | streamstats count | eval v=count | fields - _time count | mvcombine delim=":" v | table v`,
			compact(`{"v": ["1", "2"]}`)},
	})
}

func TestReplaceMvcombineErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | replace a WITH b* IN x`, "has a wildcard but"},
		{`| makeresults | replace a* WITH b** IN x`, "more wildcards"},
		{`| makeresults | mvcombine sep=";" x`, "option sep of command mvcombine is not supported by the evaluator"},
	} {
		err := compileError(t, c.search)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
}

// mvcombine holds its groups: max_groups bounds them.
func TestMvcombineMaxGroups(t *testing.T) {
	q := `| makeresults count=5 | streamstats count | mvcombine x`
	err := runErr(t, q, exec.Options{MaxGroups: 3})
	if err == nil || !strings.Contains(err.Error(), "max_groups") {
		t.Errorf("error %v, want max_groups", err)
	}
}
