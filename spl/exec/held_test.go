package exec

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// heldInput is a list of events, offered in order.
type heldInput []*event.Event

func (in heldInput) Events(fn func(*event.Event) error) error {
	for _, ev := range in {
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// tiedEvents are n events whose _time takes only a few values, out of
// input order, so that most events share their time with others.
func tiedEvents(n int) heldInput {
	var in heldInput
	for i := 0; i < n; i++ {
		raw := fmt.Sprintf(`{"id":"e%d","kind":"k%d"}`, i, i%3)
		in = append(in, &event.Event{Raw: raw, Time: float64(1_700_000_000 + i*7919%13), Index: "main", Source: "test", Sourcetype: "aws:cloudtrail", Host: "h", Line: i + 1})
	}
	return in
}

// TestHeadFirstHoldsN: an ordered plan whose first stage is head N holds
// only the N first events newest first, and gives exactly the rows and
// counts of holding every match and sorting them: same rows in the same
// order (ties in _time in input order), N over the matches, N=0.
// head's count form is N, limit=N or nothing (10); an expression,
// keeplast= or null= is not (Search Reference, "head").
func TestHeadFirstHoldsN(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		search  string
		bounded bool
		// overCap: the plan holds more than maxresultrows=150 events, so
		// its run fails.
		overCap bool
	}{
		{`* | head 3`, true, false},
		{`* | head`, true, false},
		{`* | head 0`, true, false},
		{`kind=k1 | head 1000`, true, false},
		// N over maxresultrows: holding N events is over the cap as before.
		{`* | head 1000`, true, true},
		{`* | head limit=7`, true, false},
		{`* | head limit=-2`, true, false},
		{`kind=k1 | head 5 | table id`, true, false},
		{`kind=k2 | head 4 | eval x=1 | stats list(id) as ids`, true, false},
		{`kind=k0 | head 500 | streamstats count`, true, false},
		{`* | head 3 keeplast=true`, false, true},
		{`* | head (kind!="k2")`, false, true},
		{`* | eval x=1 | head 3`, false, true},
		{`* | tail 3`, false, true},
		{`* | stats count | head 1`, false, false},
	}
	events := tiedEvents(300)
	run := func(pl *Plan, workers int) ([]string, Counts, error) {
		pl.opts.Workers = workers
		var got []string
		counts, errs := RunAll([]*Plan{pl}, events, []func(*value.Row) error{func(r *value.Row) error {
			got = append(got, fmt.Sprintf("%s %s %s", r.Get("id"), r.Get("_time"), r.Get("ids")))
			return nil
		}})
		return got, counts[0], errs[0]
	}
	for _, c := range cases {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 4} {
			bounded, err := Compile(q, Options{Now: now, MaxResultRows: 150})
			if err != nil {
				t.Fatal(err)
			}
			if bounded.bounded != c.bounded {
				t.Errorf("%s: bounded %v, want %v", c.search, bounded.bounded, c.bounded)
			}
			whole, err := Compile(q, Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			whole.bounded = false
			want, wantCounts, err := run(whole, workers)
			if err != nil {
				t.Fatalf("%s: %v", c.search, err)
			}
			got, gotCounts, err := run(bounded, workers)
			if c.overCap {
				if err == nil || !strings.Contains(err.Error(), "maxresultrows") {
					t.Errorf("%s: error %v, want maxresultrows", c.search, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", c.search, err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s workers=%d: rows differ from holding every match (-whole +bounded):\n%s", c.search, workers, d)
			}
			if d := cmp.Diff(wantCounts, gotCounts); d != "" {
				t.Errorf("%s workers=%d: counts differ (-whole +bounded):\n%s", c.search, workers, d)
			}
		}
	}
}

// TestHeldEventsAtMostN: held events never number more than N, what they
// charge to the memory budget is what they hold, and they come out as
// the first N of the newest-first order of all of them.
func TestHeldEventsAtMostN(t *testing.T) {
	events := tiedEvents(200)
	for _, n := range []int{0, 1, 3, 13, 199, 200, 500} {
		pl := &Plan{bounded: true, firstN: n, mem: newMemBudget(0), opts: Options{MaxResultRows: 1000}}
		all := &heldEvents{plan: &Plan{mem: newMemBudget(0), opts: Options{MaxResultRows: 1000}}}
		h := &heldEvents{plan: pl}
		var rows []*value.Row
		for i, ev := range events {
			row := value.NewRow(event.NewFields(ev, event.Need{All: true}))
			rows = append(rows, row)
			if err := h.add(row); err != nil {
				t.Fatal(err)
			}
			if err := all.add(row); err != nil {
				t.Fatal(err)
			}
			if len(h.events) > n || len(h.events) > i+1 {
				t.Fatalf("N=%d: %d events held after %d", n, len(h.events), i+1)
			}
			size := 0
			for _, e := range h.events {
				size += e.size
			}
			if int64(size) != pl.mem.used.Load() || size != h.bytes {
				t.Fatalf("N=%d: %d bytes charged, %d accounted, %d held", n, pl.mem.used.Load(), h.bytes, size)
			}
		}
		whole := all.sorted()
		// What holding every event gave before heldEvents: a stable sort
		// on _time, newest first.
		want := slices.Clone(rows)
		sort.SliceStable(want, func(i, j int) bool { return rowTime(want[i]) > rowTime(want[j]) })
		if !slices.Equal(whole, want) {
			t.Fatalf("all events held: not in the order of a stable sort newest first")
		}
		want = want[:min(n, len(want))]
		got := h.sorted()
		if len(got) != len(want) {
			t.Fatalf("N=%d: %d rows, want %d", n, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("N=%d: row %d is %s, want %s", n, i, got[i].Get("id"), want[i].Get("id"))
			}
		}
		if pl.mem.used.Load() != 0 {
			t.Errorf("N=%d: %d bytes still charged after sorting", n, pl.mem.used.Load())
		}
	}
}
