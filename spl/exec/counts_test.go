package exec_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// TestStageCounts: a run counts the events the pre-filter ruled out, those
// that matched the base search and the rows every following command passed
// on, per plan when several plans share one pass, whichever way the events
// are offered (one goroutine, several, stats on the workers).
func TestStageCounts(t *testing.T) {
	cases := []struct {
		search string
		want   exec.Counts
	}{
		{`eventSource=bedrock.amazonaws.com | where errorCode="AccessDenied" | rename userIdentity.userName as user | stats count by user | where count > 5`,
			exec.Counts{Events: 4, Filtered: 1, Matched: 3, Stages: []exec.StageCount{
				{Command: "where", Text: `where errorCode = "AccessDenied"`, Rows: 2},
				{Command: "rename", Text: "rename userIdentity.userName AS user", Rows: 2},
				{Command: "stats", Text: "stats count BY user", Rows: 1},
				{Command: "where", Text: "where count > 5", Rows: 0},
			}}},
		// Stats first runs on the workers; its rows are counted all the same.
		{`* | stats count by eventSource | sort - count`,
			exec.Counts{Events: 4, Matched: 4, Stages: []exec.StageCount{
				{Command: "stats", Text: "stats count BY eventSource", Rows: 2},
				{Command: "sort", Text: "sort -count", Rows: 2},
			}}},
		// dedup with sortby is two stages; the counter follows the last.
		{`* | dedup eventSource sortby - eventName | eval y=1`,
			exec.Counts{Events: 4, Matched: 4, Stages: []exec.StageCount{
				{Command: "dedup", Text: "dedup eventSource sortby -eventName", Rows: 2},
				{Command: "eval", Text: "eval y=1", Rows: 2},
			}}},
		// Nothing matches: every stage passes on nothing.
		{`eventName=NoSuchCall | table eventName`,
			exec.Counts{Events: 4, Filtered: 4, Stages: []exec.StageCount{{Command: "table", Text: "table eventName", Rows: 0}}}},
		// A base search alone has no stages.
		{`eventName=GetObject`, exec.Counts{Events: 4, Filtered: 3, Matched: 1}},
		// A generating query counts its first command too, and reads no events.
		{`| makeresults count=3 | head 2`,
			exec.Counts{Stages: []exec.StageCount{{Command: "makeresults", Text: "makeresults count=3", Rows: 3}, {Command: "head", Text: "head 2", Rows: 2}}}},
	}
	for _, workers := range []int{1, 2} {
		var plans []*exec.Plan
		for _, c := range cases {
			q, err := spl.ParseString(c.search)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := exec.Compile(q, exec.Options{Now: now, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			plans = append(plans, plan)
			got, err := plan.Run(cloudtrail, func(*value.Row) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("workers=%d %s (-want +got):\n%s", workers, c.search, diff)
			}
		}
		outs := make([]func(*value.Row) error, len(plans))
		for i := range outs {
			outs[i] = func(*value.Row) error { return nil }
		}
		all, errs := exec.RunAll(plans, cloudtrail, outs)
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			if diff := cmp.Diff(c.want, all[i]); diff != "" {
				t.Errorf("workers=%d, one pass for all: %s (-want +got):\n%s", workers, c.search, diff)
			}
		}
	}
}

// TestPrefilterText: a plan says what its raw pre-filter requires (the
// literals in lower case: they are searched for case-insensitively), for
// splharness explain to show when nothing matched.
func TestPrefilterText(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count`, `"\"bedrock.amazonaws.com\"" AND "\"deleteguardrail\""`},
		{`eventName=Delete* (errorCode=AccessDenied OR errorCode=Throttling) x=1`, `"\"delete" AND ("\"accessdenied\"" OR "\"throttling\"")`},
		{`eventName IN (GetObject, "Put*") OR (userName=alice sourceIPAddress=10.0.0.1)`, `"\"getobject\"" OR "\"put" OR ("\"alice\"" AND "10.0.0.1")`},
		{`* | stats count`, ``},
		{`NOT eventName=GetObject`, ``},
	} {
		_, plan := mustCompile(t, c.search, exec.Options{Now: now})
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
	}
}
