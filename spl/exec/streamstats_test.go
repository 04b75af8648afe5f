package exec_test

import (
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// runRows compiles and runs a search, returning the fields named of each
// result row.
func runRows(t *testing.T, events lines, search string, fields []string) []map[string][]string {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	plan, err := exec.Compile(q, exec.Options{Now: now, Workers: 1})
	if err != nil {
		t.Fatalf("compile %q: %v", search, err)
	}
	var out []map[string][]string
	_, err = plan.Run(events, func(r *value.Row) error {
		m := map[string][]string{}
		for _, f := range fields {
			if v := r.Get(f); !v.IsNull() {
				m[f] = v.Values()
			}
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatalf("run %q: %v", search, err)
	}
	return out
}

// randomEvents makes n events, newest first, with a BY field g (missing
// or multivalued now and then) and a value v (a number, a string or
// missing).
func randomEvents(rng *rand.Rand, n int) lines {
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var out lines
	for i := 0; i < n; i++ {
		parts := []string{fmt.Sprintf(`"eventTime":"%s"`, base.Add(time.Duration(n-i)*time.Second).Format(time.RFC3339))}
		switch x := rng.Intn(10); {
		case x < 8:
			parts = append(parts, fmt.Sprintf(`"g":"%c"`, 'a'+rng.Intn(3)))
		case x == 8:
			// g{} in Splunk's JSON names; g is then null.
			parts = append(parts, `"g":["a","b"]`)
		}
		switch x := rng.Intn(12); {
		case x < 7:
			parts = append(parts, fmt.Sprintf(`"v":%d`, rng.Intn(10)))
		case x < 9:
			parts = append(parts, fmt.Sprintf(`"v":"s%d"`, rng.Intn(3)))
		case x == 9:
			parts = append(parts, `"v":"-0"`)
		case x == 10:
			parts = append(parts, `"v":2.5`)
		}
		out = append(out, "{"+strings.Join(parts, ",")+"}")
	}
	return out
}

// TestStreamstatsAgainstNaive: streamstats, computed incrementally,
// gives for every row what a stats over the rows it covers gives (the
// row's group, up to and including the row unless current=f, the last
// window of them with window=N), on random inputs (spec §5; the
// streamstats command page of the Search Reference).
func TestStreamstatsAgainstNaive(t *testing.T) {
	const aggs = "count AS c sum(v) AS s min(v) AS mn max(v) AS mx dc(v) AS d values(v) AS vs list(v) AS li first(v) AS f last(v) AS l avg(v) AS a"
	// Functions that can take a value back: their window slides.
	const sliding = "count AS c count(v) AS s dc(v) AS d values(v) AS vs estdc(v) AS a min(v) AS mn max(v) AS mx range(v) AS li"
	aggFields := []string{"c", "s", "mn", "mx", "d", "vs", "li", "f", "l", "a"}
	rng := rand.New(rand.NewSource(17))
	for _, c := range []struct {
		opts    string
		aggs    string
		current bool
		window  int
	}{
		{"", aggs, true, 0},
		{"current=f", aggs, false, 0},
		{"window=3", aggs, true, 3},
		{"window=3 current=f", aggs, false, 3},
		{"window=1", aggs, true, 1},
		{"global=f window=2", aggs, true, 2},
		{"", "sum(v) AS v count AS c", true, 0},
		{"current=f", "sum(v) AS v count AS c", false, 0},
		{"window=2 current=false", "sum(v) AS v count AS c", false, 2},
		{"window=3", sliding, true, 3},
		{"window=1", sliding, true, 1},
		{"window=4 current=f", sliding, false, 4},
		{"window=1 current=f", sliding, false, 1},
	} {
		t.Run(c.opts+" "+c.aggs, func(t *testing.T) {
			fields, writesV := aggFields, strings.Contains(c.aggs, "AS v ")
			if writesV {
				fields = []string{"v", "c"}
			}
			for trial := 0; trial < 3; trial++ {
				events := randomEvents(rng, 40)
				got := runRows(t, events, "* | streamstats "+c.opts+" "+c.aggs+" by g", append([]string{"g", "v"}, fields...))
				in := runRows(t, events, "* | table g v", []string{"g", "v"})
				if len(got) != len(events) {
					t.Fatalf("%d rows, want %d", len(got), len(events))
				}
				for i := range events {
					want := map[string][]string{}
					for k, v := range in[i] {
						want[k] = v
					}
					if g := in[i]["g"]; len(g) == 1 {
						var covered lines
						for j := 0; j <= i; j++ {
							if j == i && !c.current {
								break
							}
							if gj := in[j]["g"]; len(gj) == 1 && gj[0] == g[0] {
								covered = append(covered, events[j])
							}
						}
						if c.window > 0 && len(covered) > c.window {
							covered = covered[len(covered)-c.window:]
						}
						ref := runRows(t, covered, "* | stats "+c.aggs, fields)
						delete(want, "v") // v is the output when the aggregates name it
						if v, ok := in[i]["v"]; ok && !writesV {
							want["v"] = v
						}
						for k, v := range ref[0] {
							want[k] = v
						}
					}
					if diff := cmp.Diff(want, got[i]); diff != "" {
						t.Fatalf("trial %d row %d (-naive +streamstats):\n%s\nevents:\n%s", trial, i, diff, strings.Join(events[:i+1], "\n"))
					}
				}
			}
		})
	}
}

// TestStreamstatsLinear: streamstats costs the same per row however many
// rows came before: a run of 4n rows takes about four times the work of
// n rows, not sixteen. Work is counted as bytes allocated, which a
// history-per-row implementation multiplies (every row copies and
// re-aggregates every earlier row of its group).
func TestStreamstatsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		q, err := spl.ParseString(fmt.Sprintf("| makeresults count=%d | streamstats count AS c dc(c) AS d values(c) AS v max(c) AS m", n))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := exec.Compile(q, exec.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := plan.Run(nil, func(*value.Row) error { return nil }); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	small, large := allocs(500), allocs(2000)
	if ratio := large / small; ratio > 6 {
		t.Errorf("4x the rows allocated %.1fx the bytes (%.0f, %.0f): not linear", ratio, small, large)
	}
}

// TestStreamstatsWindowCap: a window over Splunk's max_stream_window is
// refused (Splunk's limits.conf, [stats] max_stream_window).
func TestStreamstatsWindowCap(t *testing.T) {
	wantCompileError(t, "* | streamstats window=10001 count", "streamstats: window=10001 is more than 10000 (Splunk's max_stream_window)")
}

// BenchmarkStreamstats: a running count, sum, max and dc over 50,000 rows
// (a minute before streamstats kept running aggregates), and with a
// window, which costs O(window) per row.
func BenchmarkStreamstats(b *testing.B) {
	for _, opts := range []string{"", "window=100", "window=1000", "window=1000 count AS c2 dc(n) AS d2 max(n) AS m2 min(n) AS l2"} {
		b.Run("rows=50000/"+opts, func(b *testing.B) {
			aggs := " count AS c sum(n) AS s max(n) AS m dc(n) AS d"
			if strings.Contains(opts, " ") {
				aggs = "" // the options name the aggregations: all slide
			}
			q, err := spl.ParseString("| makeresults count=50000 | streamstats count AS n | streamstats " + opts + aggs)
			if err != nil {
				b.Fatal(err)
			}
			plan, err := exec.Compile(q, exec.Options{Now: now})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := plan.Run(nil, func(*value.Row) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
