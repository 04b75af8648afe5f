package exec_test

import (
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// searchRefCases are behaviours of the Search Reference, each written from
// the documented example of the page named in the case (page title first),
// over rows made with makeresults so that the example's data is in the
// search itself.
var searchRefCases = []struct {
	page, name, search string
	want               string
}{
	// bin: "If discretizing based on the _time field or used with a
	// timescale, this is treated as a time range."
	{"bin", "a timescale span bins any field as time",
		`| makeresults count=3 | streamstats count AS i | eval t=1000+i*1.5 | bin span=2s t | table t`,
		compact(`{"t": "1000"}`, `{"t": "1002"}`, `{"t": "1004"}`)},
	{"bin", "subsecond timescale",
		`| makeresults | eval t=1000.123 | bin span=100ms t | table t`,
		compact(`{"t": "1000.1"}`)},
	{"bin", "a bare number on another field is a numeric range",
		`| makeresults | eval n=17 | bin span=5 n | table n`,
		compact(`{"n": "15-20"}`)},
}

// TestSearchReference runs searchRefCases.
func TestSearchReference(t *testing.T) {
	for _, c := range searchRefCases {
		t.Run(c.page+"/"+c.name, func(t *testing.T) {
			if got := run(t, lines{}, c.search, exec.Options{}); got != c.want {
				t.Errorf("Search Reference %q: %s\ngot  %s\nwant %s", c.page, c.search, got, c.want)
			}
		})
	}
}
