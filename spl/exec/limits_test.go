package exec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/exec"
)

// TestMemoryLimits: what a search makes or holds is capped, each cap an
// error naming its limit (docs/reliability.md), at compile time when the
// search says how much (makeresults count=) and at run time otherwise.
// Small caps show each one on small inputs.
func TestMemoryLimits(t *testing.T) {
	events := lines{
		`{"eventTime":"2026-11-01T10:00:00Z","a":"1"}`,
		`{"eventTime":"2026-11-01T11:00:00Z","a":"2"}`,
		`{"eventTime":"2026-11-01T12:00:00Z","a":"3"}`,
		`{"eventTime":"2026-11-01T13:00:00Z","a":"4"}`,
	}
	for _, c := range []struct {
		name   string
		search string
		opts   exec.Options
		want   string // error text; empty: runs
	}{
		{"makeresults count over maxresultrows", "| makeresults count=1001", exec.Options{MaxResultRows: 1000}, "makeresults: count=1001 is more than 1000 (limit maxresultrows)"},
		{"makeresults count at maxresultrows", "| makeresults count=1000 | stats count", exec.Options{MaxResultRows: 1000}, ""},
		{"mvexpand rows", "| makeresults count=100 | eval x=mvrange(0, 100) | mvexpand x | stats count", exec.Options{MaxResultRows: 5000}, "mvexpand: more than 5000 rows (limit maxresultrows)"},
		{"sort 0 holds rows", "| makeresults count=1000 | append [| makeresults count=1000] | sort 0 _time", exec.Options{MaxResultRows: 1000}, "more than 1000 rows held by one command (limit maxresultrows)"},
		{"eventstats holds rows", "| makeresults count=1000 | append [| makeresults count=1000] | eventstats count", exec.Options{MaxResultRows: 1000}, "limit maxresultrows"},
		{"events held to sort newest first", "* | streamstats count", exec.Options{MaxResultRows: 3}, "more than 3 matched events held to sort newest first (limit maxresultrows)"},
		{"top groups", "| makeresults count=100 | streamstats count AS n | top 0 n", exec.Options{MaxGroups: 10}, "top: more than 10 groups (limit max_groups)"},
		{"rare groups", "| makeresults count=100 | streamstats count AS n | rare n", exec.Options{MaxGroups: 10}, "rare: more than 10 groups (limit max_groups)"},
		{"top groups by", "| makeresults count=100 | streamstats count AS n | eval m=n%2 | top 1 m by n", exec.Options{MaxGroups: 10}, "top: more than 10 groups (limit max_groups)"},
		{"eventstats groups", "| makeresults count=100 | streamstats count AS n | eventstats count by n", exec.Options{MaxGroups: 10}, "eventstats: more than 10 groups (limit max_groups)"},
		{"streamstats groups", "| makeresults count=100 | streamstats count AS n | streamstats count by n", exec.Options{MaxGroups: 10}, "streamstats: more than 10 groups (limit max_groups)"},
		{"dedup groups", "| makeresults count=100 | streamstats count AS n | dedup n", exec.Options{MaxGroups: 10}, "dedup: more than 10 groups (limit max_groups)"},
		{"dedup within max_groups", "| makeresults count=100 | streamstats count AS n | eval n=n%10 | dedup n | stats count", exec.Options{MaxGroups: 10}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := spl.ParseString(c.search)
			if err != nil {
				t.Fatal(err)
			}
			c.opts.Now = now
			plan, err := exec.Compile(q, c.opts)
			if err == nil {
				_, err = plan.Run(events, func(*eval.Row) error { return nil })
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			var le *exec.LimitError
			var ce *exec.Error
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &le) && !errors.As(err, &ce) {
				t.Fatalf("got %v, want a limit error with %q", err, c.want)
			}
		})
	}
}
