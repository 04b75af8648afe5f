package exec_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// scanLines is lines as a ParallelInput: process runs on so.Workers
// goroutines, deliver gets every event in input order, then what
// so.BlockDone gave for it, as event.Scan does for a block.
type scanLines lines

func (l scanLines) Events(fn func(*event.Event) error) error { return lines(l).Events(fn) }

func (l scanLines) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	var evs []*event.Event
	lines(l).Events(func(ev *event.Event) error { evs = append(evs, ev); return nil })
	outs := make([]any, len(evs))
	dones := make([]any, len(evs)) // each event is a block of its own
	var wg sync.WaitGroup
	for w := 0; w < so.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(evs); i += so.Workers {
				outs[i] = process(w, evs[i])
				if so.BlockDone != nil {
					dones[i] = so.BlockDone(w)
				}
			}
		}()
	}
	wg.Wait()
	for i, ev := range evs {
		if err := deliver(ev, outs[i]); err != nil {
			return 0, err
		}
		if dones[i] != nil {
			if err := deliver(nil, dones[i]); err != nil {
				return 0, err
			}
		}
	}
	return 0, nil
}

// reuseEvents are CloudTrail records whose add-on fields (errorCode,
// user, event types) differ from one record to the next, so that a row
// reading another record's knowledge source shows it.
func reuseEvents(n int) lines {
	sources := []string{"bedrock.amazonaws.com", "s3.amazonaws.com", "iam.amazonaws.com", "sts.amazonaws.com"}
	names := []string{"InvokeModel", "GetObject", "CreateUser", "AssumeRole", "ListFoundationModels"}
	var l lines
	for i := 0; i < n; i++ {
		code := ""
		if i%3 == 0 {
			code = fmt.Sprintf(`"errorCode":"E%d",`, i%5)
		}
		l = append(l, fmt.Sprintf(`{"eventTime":"2026-11-01T10:%02d:%02dZ","eventID":"id-%03d","eventSource":"%s","eventName":"%s",%s"userIdentity":{"type":"IAMUser","userName":"u%d"},"awsRegion":"r%d"}`,
			i/60%60, i%60, i, sources[i%len(sources)], names[i%len(names)], code, i%11, i%3))
	}
	return l
}

// TestReusedFields: when every plan of a pass runs its stats on the
// workers (with the renames and the bins with span= before it, which
// change each row in place),
// each worker makes every event's row and knowledge source in the same
// memory (Options.ReusedFields); a pass with a plan that keeps events
// (sort, eventstats, transaction hold them until the input is read) must
// not for an event it keeps, or its rows would read later events' fields:
// the worker takes a new source for its next event. Either way, every
// plan gives exactly the rows and counts it gives alone without reuse.
func TestReusedFields(t *testing.T) {
	t.Parallel()
	events := reuseEvents(400)
	k := addOnKnowledge(t)
	st := k.Sourcetype("aws:cloudtrail")
	partial := []string{
		`* | stats count values(errorCode) as codes dc(user) as users by eventSource`,
		`* | stats count values(eventtype) as types by errorCode`,
		`* | rename user_name as u, eventSource as src | rename src as s | stats count values(errorCode) as codes by u s | where count > 1`,
		`* | rename user* as who* | stats count dc(who_name) as names by who errorCode`,
		`* | bucket _time span=1m | stats count dc(eventName) as names by _time errorCode`,
		`* | bin span=2m _time as minute | rename minute as m | stats count values(user) as users by m eventSource`,
	}
	keeping := []string{
		`* | sort 0 eventID | table eventID errorCode user eventtype`,
		`* | eventstats count by errorCode | table eventID errorCode user count`,
		`* | transaction user maxevents=4 | table user eventcount errorCode eventtype`,
		`* | rename user as u | sort 0 eventID | table eventID errorCode u eventtype`,
		`* | bin _time bins=5 | stats count by _time eventSource`,
	}
	passes := []struct {
		searches []string
		reuse    bool // the workers reuse rows and sources for every event
	}{
		{partial[:1], true},
		{partial, true},
		{partial[2:3], true},
		{partial[3:], true},
		{partial[4:], true},
		{keeping[:1], false},
		{keeping[1:2], false},
		{keeping[2:3], false},
		{keeping[3:4], false},
		{keeping[4:], false},
		{append([]string{keeping[3]}, partial[2:]...), false},
		{append(append([]string(nil), partial...), keeping...), false},
	}
	for _, in := range []struct {
		name string
		in   exec.Input
	}{{"events", events}, {"scan", scanLines(events)}} {
		for _, pass := range passes {
			var made atomic.Int32
			opts := addOn(t, true)
			opts.Workers = 4
			opts.ReusedFields = func() func(*event.Event, value.Source) value.Source {
				made.Add(1)
				return st.Reusing()
			}
			rows, counts, errs := runPassRows(t, in.in, pass.searches, opts)
			// One reusing source per worker, and one more after each
			// event that a keeping plan holds (here every event).
			if got, want := int(made.Load()), opts.Workers; pass.reuse && got != want || !pass.reuse && got < want+len(events) {
				t.Errorf("%s %q: %d reusing sources made, want %d (every event reused: %v)", in.name, pass.searches, got, want, pass.reuse)
			}
			alone := addOn(t, true)
			alone.Workers = 1
			passAgreesAlone(t, in.name, events, pass.searches, rows, counts, errs, alone)
		}
	}
}

// passAgreesAlone checks each search of a pass (its rows, counts and
// errors from runPassRows over events) against the search run alone with
// opts alone: the same rows, the same counts. label names the pass in
// messages.
func passAgreesAlone(t *testing.T, label string, events lines, pass []string, rows [][]*value.Row, counts []exec.Counts, errs []error, alone exec.Options) {
	t.Helper()
	for i, s := range pass {
		if errs[i] != nil {
			t.Fatalf("%s: %s: %v", label, s, errs[i])
		}
		var b strings.Builder
		if err := output.JSON(&b, rows[i]); err != nil {
			t.Fatal(err)
		}
		if want := runOrError(t, events, s, alone); b.String() != want {
			t.Errorf("%s: %s in pass %q:\ngot:  %s\nwant: %s", label, s, pass, b.String(), want)
		}
		q, _ := spl.ParseString(s)
		p, _ := exec.Compile(q, alone)
		want, _ := p.Run(events, func(*value.Row) error { return nil })
		if d := cmp.Diff(want, counts[i]); d != "" {
			t.Errorf("%s: %s in pass %q: counts differ from alone (-alone +pass):\n%s", label, s, pass, d)
		}
	}
}
