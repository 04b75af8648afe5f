package exec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
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
		{"string doubled by .", "| makeresults | eval x=\"0123456789\"" + strings.Repeat(" | eval x=x.x", 10), exec.Options{MaxValueBytes: 1000}, "the . operator: a value of 1280 bytes, more than 1000 (limit max_value_bytes)"},
		{"string doubled by +", "| makeresults | eval x=\"abcdefghij\"" + strings.Repeat(" | eval x=x+x", 10), exec.Options{MaxValueBytes: 1000}, "the + operator: a value of 1280 bytes, more than 1000 (limit max_value_bytes)"},
		{"string within max_value_bytes", "| makeresults | eval x=\"0123456789\"" + strings.Repeat(" | eval x=x.x", 6), exec.Options{MaxValueBytes: 1000}, ""},
		{"printf width", "| makeresults | eval x=printf(\"%1000d\", 1)", exec.Options{MaxValueBytes: 1000}, "printf(): a value of"},
		{"nested mvappend", "| makeresults | eval m=mvappend(1, 2)" + strings.Repeat(" | eval m=mvappend(m, m)", 8), exec.Options{MaxMVValues: 100}, "mvappend(): 128 values, more than 100 (limit max_mv_values)"},
		{"mvrange's cap is an error, not null", "| makeresults | eval m=mvrange(0, 1000)", exec.Options{MaxMVValues: 100}, "mvrange(): 1000 values, more than 100 (limit max_mv_values)"},
		{"mvrange default cap", "| makeresults | eval m=mvrange(0, 1e12)", exec.Options{}, "limit max_mv_values"},
		{"split", "| makeresults | eval m=split(\"" + strings.Repeat("a,", 200) + "\", \",\")", exec.Options{MaxMVValues: 100}, "split(): 201 values, more than 100 (limit max_mv_values)"},
		{"mvjoin", "| makeresults | eval m=mvrange(0, 100) | eval j=mvjoin(m, \"" + strings.Repeat("-", 20) + "\")", exec.Options{MaxValueBytes: 1000}, "mvjoin(): a value of"},
		{"replace() grows a value", "| makeresults | eval x=replace(\"" + strings.Repeat("a", 100) + "\", \"a\", \"" + strings.Repeat("b", 20) + "\")", exec.Options{MaxValueBytes: 1000}, "limit max_value_bytes"},
		{"rex mode=sed grows a value", "| makeresults | eval x=\"" + strings.Repeat("a", 100) + "\" | rex field=x mode=sed \"s/a/" + strings.Repeat("b", 20) + "/g\"", exec.Options{MaxValueBytes: 1000}, "a regular-expression replacement: a value of more than 1000 bytes (limit max_value_bytes)"},
		{"replace() within the cap", "| makeresults | eval x=replace(\"" + strings.Repeat("a", 100) + "\", \"a\", \"bb\")", exec.Options{MaxValueBytes: 1000}, ""},
		{"values bytes of a multivalue", "| makeresults | eval m=mvappend(\"" + strings.Repeat("a", 600) + "\", \"" + strings.Repeat("b", 600) + "\")", exec.Options{MaxValueBytes: 1000}, "mvappend(): a value of 1200 bytes, more than 1000 (limit max_value_bytes)"},
		{"sort over the memory budget", "| makeresults count=20000 | eval s=printf(\"%500s\", \"x\") | sort 0 s", exec.Options{MaxMemMB: 1}, "rows held by one command: the search holds more than 1 MB (estimated; limit max_mem_usage_mb)"},
		{"sort within the memory budget", "| makeresults count=1000 | eval s=printf(\"%500s\", \"x\") | sort 0 s | stats count", exec.Options{MaxMemMB: 1}, ""},
		{"stats over the memory budget", "| makeresults count=20000 | streamstats count AS n | eval k=printf(\"%200s\", n) | stats count by k", exec.Options{MaxMemMB: 1}, "stats: the search holds more than 1 MB (estimated; limit max_mem_usage_mb)"},
		{"dedup over the memory budget", "| makeresults count=20000 | streamstats count AS n | eval k=printf(\"%200s\", n) | dedup k", exec.Options{MaxMemMB: 1}, "dedup: the search holds more than 1 MB (estimated; limit max_mem_usage_mb)"},
		{"streamstats window over the memory budget", "| makeresults count=20000 | streamstats count AS n | eval k=printf(\"%200s\", n) | streamstats window=10000 count", exec.Options{MaxMemMB: 1}, "streamstats: the search holds more than 1 MB (estimated; limit max_mem_usage_mb)"},
		{"events held over the memory budget", "* | streamstats count", exec.Options{MaxMemMB: 1}, "events held to sort newest first: the search holds more than 1 MB (estimated; limit max_mem_usage_mb)"},
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
				in := events
				if strings.Contains(c.name, "events held over") {
					in = bigEvents
				}
				_, err = plan.Run(in, func(*value.Row) error { return nil })
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

// TestFunctionErrorsCounted: a call of an eval function that fails gives
// null, as in Splunk, and is counted by function with its first message,
// so that the search can report it.
func TestFunctionErrorsCounted(t *testing.T) {
	q, err := spl.ParseString(`| makeresults count=3 | eval x=mvindex(split("a,b", ","), "z"), y=substr("abc", "q")`)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := exec.Compile(q, exec.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Run(nil, func(r *value.Row) error {
		if !r.Get("x").IsNull() || !r.Get("y").IsNull() {
			t.Errorf("x=%v y=%v, want null", r.Get("x"), r.Get("y"))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []eval.FunctionError{
		{Func: "mvindex", Count: 3, First: "mvindex: index is not a number"},
		{Func: "substr", Count: 3, First: "substr: start is not a number"},
	}
	if diff := cmp.Diff(want, plan.FunctionErrors()); diff != "" {
		t.Errorf("FunctionErrors (-want +got):\n%s", diff)
	}
}

// bigEvents are three events of 512 KB each.
var bigEvents = lines{
	`{"eventTime":"2026-11-01T10:00:00Z","a":"` + strings.Repeat("x", 512<<10) + `"}`,
	`{"eventTime":"2026-11-01T11:00:00Z","a":"` + strings.Repeat("y", 512<<10) + `"}`,
	`{"eventTime":"2026-11-01T12:00:00Z","a":"` + strings.Repeat("z", 512<<10) + `"}`,
}
