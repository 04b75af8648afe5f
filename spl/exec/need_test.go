package exec

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
)

// TestNeededFields: a search extracts the fields it names and no more;
// keyword and pattern values are matched against _raw or the field, never
// read as field names.
func TestNeededFields(t *testing.T) {
	tests := []struct {
		search string
		all    bool
		names  []string
	}{
		{`search * | stats count by eventSource`, false, []string{"_raw", "_time", "eventSource"}},
		{`search eventSource=*.amazonaws.com | stats count`, false, []string{"_raw", "_time", "eventSource"}},
		{`search eventName IN (A*, B) "x" TERM(y) | table src`, false, []string{"_raw", "_time", "eventName", "src"}},
		{`search x=1 | eval y=coalesce(a, 'b.c') | where y>0 | stats dc(d) by e`, false, []string{"_raw", "_time", "a", "b.c", "d", "e", "x", "y"}},
		{`search x=1 | table *`, true, nil},
	}
	for _, tt := range tests {
		q, err := spl.ParseString(tt.search)
		if err != nil {
			t.Fatalf("%s: %v", tt.search, err)
		}
		need := neededFields(q)
		if need.All != tt.all {
			t.Errorf("%s: All = %v, want %v", tt.search, need.All, tt.all)
		}
		if tt.all {
			continue
		}
		var names []string
		for n := range need.Names {
			names = append(names, n)
		}
		sort.Strings(names)
		if diff := cmp.Diff(tt.names, names); diff != "" {
			t.Errorf("%s: names (-want +got):\n%s", tt.search, diff)
		}
	}
}
