package exec_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// manyEvents are n events, one a second, each with its own eventID.
func manyEvents(n int) lines {
	var l lines
	for i := 0; i < n; i++ {
		l = append(l, fmt.Sprintf(`{"eventTime":"2026-11-01T10:%02d:%02dZ","eventID":"id-%d","eventName":"E%d","awsRegion":"r%d"}`, i/60%60, i%60, i, i%7, i%3))
	}
	return l
}

// TestRunAllIsolatesErrors: a plan that hits a limit stops alone. The
// other plans of its pass give exactly the rows they give alone, and the
// failed plan is offered no later events; each error is its own plan's.
func TestRunAllIsolatesErrors(t *testing.T) {
	events := manyEvents(600)
	cases := []struct {
		search string
		opts   exec.Options
		want   string // in the plan's error; "" for a plan that must finish
		stops  bool   // the plan is offered fewer events than the input has
		// partial: the plan's stats runs on the workers when there are
		// several.
		partial bool
	}{
		// stats: on the goroutine of the stages with one worker, on the
		// workers (partial stats) with several.
		{`* | stats count by eventID`, exec.Options{MaxGroups: 10}, "stats: more than 10 groups (limit max_groups)", true, true},
		{`* | stats count by eventName`, exec.Options{}, "", false, false},
		// dedup depends on event order: it fails once the held events
		// are sorted, after the input is read.
		{`* | dedup eventID`, exec.Options{MaxGroups: 10}, "dedup: more than 10 groups (limit max_groups)", false, false},
		// An ordered plan (head): matched events are held, then sorted.
		{`* | head 3 | table eventID`, exec.Options{}, "", false, false},
		{`* | eval n=1 | stats sum(n) as total dc(awsRegion) as regions`, exec.Options{}, "", false, false},
		// An ordered plan over the cap of held events.
		{`* | eval x=1 | head 2 | table eventID`, exec.Options{MaxResultRows: 50}, "maxresultrows", true, false},
		// head N first holds no more than N events: the cap is not reached.
		{`* | head 2 | table eventID`, exec.Options{MaxResultRows: 50}, "", false, false},
		// A cap on one value, on the goroutine of the stages.
		{`* | eval x=mvrange(0, 200) | stats count by eventName`, exec.Options{MaxMVValues: 100}, "(limit max_mv_values)", true, false},
		// A spent regex budget: later matches would all time out.
		{`* | eval s="` + strings.Repeat("a", 20) + `!" | where match(s, "^(a+)+(?=b)") | stats count`, exec.Options{RegexBudget: 5 * time.Millisecond}, "(limit regex_budget_ms)", true, false},
	}
	for _, workers := range []int{1, 4} {
		var plans []*exec.Plan
		for _, c := range cases {
			q, err := spl.ParseString(c.search)
			if err != nil {
				t.Fatal(err)
			}
			opts := c.opts
			opts.Now, opts.Workers = now, workers
			p, err := exec.Compile(q, opts)
			if err != nil {
				t.Fatal(err)
			}
			plans = append(plans, p)
		}
		rows := make([][]*value.Row, len(plans))
		outs := make([]func(*value.Row) error, len(plans))
		for i := range plans {
			outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
		}
		counts, errs := exec.RunAll(plans, events, outs)
		if len(errs) != len(plans) {
			t.Fatalf("workers=%d: %d errors for %d plans", workers, len(errs), len(plans))
		}
		for i, c := range cases {
			if c.want != "" {
				var le *exec.LimitError
				if !errors.As(errs[i], &le) || !strings.Contains(le.Error(), c.want) {
					t.Errorf("workers=%d %s: error %v, want a LimitError with %q", workers, c.search, errs[i], c.want)
				}
				// Partial stats stops on the workers: each worker offers it
				// no more events once one worker's stats failed, so it
				// matches fewer (the events still pass and count).
				partial := workers > 1 && c.partial
				if c.stops && !partial && counts[i].Events >= len(events) {
					t.Errorf("workers=%d %s: offered %d events after it failed; want fewer than %d", workers, c.search, counts[i].Events, len(events))
				}
				if c.stops && partial && counts[i].Matched > workers*11 {
					t.Errorf("workers=%d %s: %d events matched on the workers after it failed; want at most %d", workers, c.search, counts[i].Matched, workers*11)
				}
				continue
			}
			if errs[i] != nil {
				t.Errorf("workers=%d %s: %v (another plan's limit must not stop it)", workers, c.search, errs[i])
				continue
			}
			alone := run(t, events, c.search, exec.Options{Workers: workers})
			var b bytes.Buffer
			_ = output.JSON(&b, rows[i])
			if b.String() != alone {
				t.Errorf("workers=%d %s: in the pass\n%s\nalone\n%s", workers, c.search, b.String(), alone)
			}
			if counts[i].Events != len(events) {
				t.Errorf("workers=%d %s: %d events, want %d", workers, c.search, counts[i].Events, len(events))
			}
		}
	}
}

// TestRunAllEveryPlanFails: when every plan of a pass has failed, reading
// ends, and each plan keeps its own error.
func TestRunAllEveryPlanFails(t *testing.T) {
	events := manyEvents(600)
	searches := []string{`* | stats count by eventID`, `* | stats count by eventName awsRegion eventID`}
	var plans []*exec.Plan
	for i, s := range searches {
		q, err := spl.ParseString(s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := exec.Compile(q, exec.Options{Now: now, Workers: 1, MaxGroups: 5 * (i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
	}
	outs := []func(*value.Row) error{func(*value.Row) error { return nil }, func(*value.Row) error { return nil }}
	counts, errs := exec.RunAll(plans, events, outs)
	for i, want := range []string{"more than 5 groups", "more than 10 groups"} {
		if errs[i] == nil || !strings.Contains(errs[i].Error(), want) {
			t.Errorf("%s: error %v, want %q", searches[i], errs[i], want)
		}
	}
	if counts[1].Events != 11 {
		t.Errorf("the last plan to fail saw %d events, want 11 (reading ends when every plan has failed)", counts[1].Events)
	}
}
