package exec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// TestSubsearchLimits: a subsearch that returns more rows than its limit,
// or that hits a limit itself, fails the search with a LimitError naming
// the limit and placed at the subsearch, instead of a filter that
// silently matches nothing (or, under NOT, everything) or a truncated
// append. Splunk's counterparts are limits.conf [subsearch] maxout and
// [join] subsearch_maxout, and append's maxout (docs/reliability.md).
func TestSubsearchLimits(t *testing.T) {
	events := lines{
		`{"eventTime":"2023-10-15T08:49:49Z","eventName":"A"}`,
		`{"eventTime":"2023-10-15T08:49:50Z","eventName":"B"}`,
	}
	tests := []struct {
		search string
		opts   exec.Options
		limit  string // "" for no error
		at     string // the text the error is placed at
		rows   int
	}{
		{`* [| makeresults count=3 | eval eventName="A" | table eventName] | stats count`, exec.Options{MaxSubsearchRows: 2}, "max_subsearch_rows", "[| makeresults count=3", 0},
		{`NOT [| makeresults count=3 | eval eventName="A" | table eventName] | stats count`, exec.Options{MaxSubsearchRows: 2}, "max_subsearch_rows", "[| makeresults count=3", 0},
		{`* [| makeresults count=2 | eval eventName="A" | table eventName] | stats count`, exec.Options{MaxSubsearchRows: 2}, "", "", 1},
		{`* [| makeresults count=3 | streamstats count as n | stats count by n | eval eventName="A" | table eventName] | stats count`, exec.Options{MaxGroups: 2}, "max_groups", "stats count by n", 0},
		{`* [search [| makeresults count=3 | eval eventName="A" | table eventName] | table eventName] | stats count`, exec.Options{MaxSubsearchRows: 2}, "max_subsearch_rows", "[| makeresults count=3", 0},
		{`| makeresults count=1 | append [| makeresults count=50001]`, exec.Options{}, "append maxout", "[| makeresults count=50001", 0},
		{`| makeresults count=1 | append maxout=3 [| makeresults count=50001]`, exec.Options{}, "", "", 4},
		{`| makeresults count=1 | eval k=1 | join k [| makeresults count=50001 | eval k=1]`, exec.Options{}, "join subsearch_maxout", "[| makeresults count=50001", 0},
	}
	for _, tt := range tests {
		q, err := spl.ParseString(tt.search)
		if err != nil {
			t.Fatal(err)
		}
		tt.opts.Now = now
		plan, err := exec.Compile(q, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		_, err = plan.Run(events, func(*value.Row) error { n++; return nil })
		if tt.limit == "" {
			if err != nil || n != tt.rows {
				t.Errorf("%s: %d rows, error %v; want %d rows", tt.search, n, err, tt.rows)
			}
			continue
		}
		var le *exec.LimitError
		if !errors.As(err, &le) || le.Limit != tt.limit || !strings.Contains(le.Msg, tt.limit) {
			t.Errorf("%s: got %v, want a LimitError naming %s", tt.search, err, tt.limit)
			continue
		}
		if !strings.HasPrefix(tt.search[le.Pos.Offset:], tt.at) {
			t.Errorf("%s: error placed at %q, want at %q", tt.search, tt.search[le.Pos.Offset:], tt.at)
		}
	}
}
