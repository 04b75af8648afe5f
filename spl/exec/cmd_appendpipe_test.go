package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// Search Reference, "appendpipe": the subpipeline runs over the results
// when the search reaches it, and its results follow them.
func TestAppendpipe(t *testing.T) {
	runDocCases(t, []docCase{
		// The page's example: subtotals per action across all users.
		{"appendpipe: subtotals",
			`| makeresults count=4 | streamstats count | eval action=if(count<=2, "get", "put"), user=if(count%2=0, "u1", "u2") | stats count by action user | appendpipe [stats sum(count) as count by action | eval user = "TOTAL - ALL USERS"] | sort action`,
			compact(`{"action": "get", "user": "u1", "count": "1"}`, `{"action": "get", "user": "u2", "count": "1"}`, `{"action": "get", "count": "2", "user": "TOTAL - ALL USERS"}`,
				`{"action": "put", "user": "u1", "count": "1"}`, `{"action": "put", "user": "u2", "count": "1"}`, `{"action": "put", "count": "2", "user": "TOTAL - ALL USERS"}`)},
		{"appendpipe: runs on no results too",
			`| makeresults | where 1=2 | appendpipe [stats count]`,
			compact(`{"count": "0"}`)},
	})
}

// The results before appendpipe keep all their fields although its
// subpipeline transforms (the fields a search extracts).
func TestAppendpipeKeepsEventFields(t *testing.T) {
	got := run(t, cloudtrail, `eventSource=s3.amazonaws.com | appendpipe [stats count by eventName]`, exec.Options{})
	for _, want := range []string{`"userIdentity.userName": "carol"`, `{"eventName": "GetObject", "count": "1"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in:\n%s", want, got)
		}
	}
}

func TestAppendpipeLimits(t *testing.T) {
	err := runErr(t, `| makeresults count=5 | appendpipe [stats count]`, exec.Options{MaxResultRows: 3})
	if err == nil || !strings.Contains(err.Error(), "maxresultrows") {
		t.Errorf("error %v, want maxresultrows", err)
	}
}
