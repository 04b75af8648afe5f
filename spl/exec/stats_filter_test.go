package exec_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// TestStatsFilter: a stats followed by a where, which tests the where's
// condition on each group before computing the aggregates the condition
// does not read, gives the rows, the field order and the counts of each
// stage that the same where gives when a `where true()` between them
// keeps the stats from testing it: conditions on an aggregate that is not
// the first (field order), on a values() that is null, on a BY field, on
// a field no stage makes, that hold for every group or none, with two
// outputs of one name (not tested early), without BY, and with commands
// after the where.
func TestStatsFilter(t *testing.T) {
	events := append(append(lines{}, cloudtrail...), cloudtrail...)
	for _, c := range []struct{ stats, where, after string }{
		{`stats dc(eventName) as dc values(sourceIPAddress) as src count by userIdentity.userName`, `dc > 1`, ``},
		{`stats dc(eventName) as dc values(sourceIPAddress) as src count by userIdentity.userName`, `dc >= 1`, ``},
		{`stats values(eventName) as names min(_time) as first count as n by eventSource`, `n >= 4`, ``},
		{`stats count values(count) as c by eventSource`, `isnull(c)`, ``},
		{`stats count values(count) as c by eventSource`, `isnotnull(c) OR count > 6`, ``},
		{`stats values(eventName) as e dc(awsRegion) as r by eventSource`, `eventSource="s3.amazonaws.com"`, ``},
		{`stats values(eventName) as e by eventSource`, `nosuch > 1`, ``},
		{`stats values(eventName) as e by eventSource`, `NOT like(eventSource, "s3%")`, ``},
		{`stats count as x max(eventTime) as x by eventSource`, `x > 0`, ``},
		{`stats values(eventName) as e count`, `count > 100`, ``},
		{`stats values(eventName) as e count`, `count < 100`, ``},
		{`stats dc(eventName) as dc values(eventName) as names by awsRegion`, `dc > 1`, ` | eval n=mvcount(names) | table awsRegion n names`},
		{`stats values(eventName) as e by eventSource`, `in(eventSource, "s3.amazonaws.com", "x") AND -1 < 0`, ``},
	} {
		filtered := "search * | " + c.stats + " | where " + c.where + c.after
		whole := "search * | " + c.stats + " | where true() | where " + c.where + c.after
		t.Run(c.stats+" | where "+c.where, func(t *testing.T) {
			got, gotCounts := runCounts(t, events, filtered)
			want, wantCounts := runCounts(t, events, whole)
			if got != want {
				t.Errorf("rows\n%s\nwant\n%s", got, want)
			}
			var g, w []int
			for _, s := range gotCounts.Stages {
				g = append(g, s.Rows)
			}
			for i, s := range wantCounts.Stages {
				if i != 1 { // whole's where true()
					w = append(w, s.Rows)
				}
			}
			if !slices.Equal(g, w) {
				t.Errorf("stage rows %v, want %v", g, w)
			}
		})
	}
}

// runCounts is run, also returning the run's counts.
func runCounts(t *testing.T, events lines, search string) (string, exec.Counts) {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	plan, err := exec.Compile(q, exec.Options{Now: now})
	if err != nil {
		t.Fatalf("compile %q: %v", search, err)
	}
	var rows []*value.Row
	counts, err := plan.Run(events, func(r *value.Row) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatalf("run %q: %v", search, err)
	}
	var b bytes.Buffer
	if err := output.JSON(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.String(), counts
}
