package exec_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// fileInput is a file of events read as the engine reads one: Events
// one by one, ScanEvents on workers with every record validated before
// the pass's skip may rule it out.
type fileInput string

func (f fileInput) opts() event.Options { return event.Options{Sourcetype: "aws:cloudtrail"} }

func (f fileInput) Events(fn func(*event.Event) error) error {
	_, err := event.Read([]string{string(f)}, f.opts(), fn)
	return err
}

func (f fileInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	so.Skip, so.SkipValid = nil, so.Skip
	c, err := event.Scan([]string{string(f)}, f.opts(), so, process, deliver)
	return c.Skipped, err
}

// TestPassReach: in a pass read on workers, a record reaches the plans
// whose pre-filters let it through, and is extracted for theirs alone
// (a plan that needs every field, `fillnull`, does not make every
// record any plan reads decoded whole), while the reader validates it
// (ScanOptions.NeedOf); a record whose plans all run their stats on the
// workers is used up there, the reader's event made in the worker's
// reused memory, though the pass has plans that keep events
// (ScanOptions.ConsumedOf); whatever each record reaches, every plan
// gives the rows and counts it gives alone.
func TestPassReach(t *testing.T) {
	var data strings.Builder
	for _, l := range reuseEvents(600) {
		data.WriteString(l + "\n")
	}
	data.WriteString(`{"eventTime":"2026-11-01T11:00:00Z","eventSource":"s3.amazonaws.com","eventName":"Get\u004fbject","userIdentity":{"type":"IAMUser","userName":"esc"}}` + "\n")
	data.WriteString(`{"eventTime":"2026-11-01T11:00:01Z","eventSource":"iam.amazonaws.com","eventName":"ListFoundationModels","eventName":"CreateUser"}` + "\n")
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in := fileInput(path)
	searches := []string{
		`eventName=ListFoundationModels | fillnull | table eventID eventName errorCode user userIdentity.type`,
		`eventName=GetObject OR eventName=InvokeModel | stats count values(user) as users by eventSource errorCode`,
		`eventSource=iam.amazonaws.com | stats count by eventName awsRegion`,
		`eventName=CreateUser errorCode=* | table eventID errorCode eventtype`,
		`eventName=AssumeRole | stats dc(user) as users values(awsRegion) as regions`,
	}
	passes := []struct{ searches []string }{
		{searches},
		{searches[:2]},
		{[]string{searches[0], searches[3]}},
		{append([]string{`* | stats count by eventName`}, searches...)},
	}
	st := addOnKnowledge(t).Sourcetype("aws:cloudtrail")
	for _, p := range passes {
		pass := p.searches
		var made atomic.Int32
		opts := addOn(t, true)
		opts.Workers = 2
		opts.ReusedFields = func() func(*event.Event, value.Source) value.Source {
			made.Add(1)
			return st.Reusing()
		}
		rows, counts, errs := runPassRows(t, in, pass, opts)
		if made.Load() == 0 {
			t.Errorf("pass %q: no worker reused its fields", pass)
		}
		alone := addOn(t, true)
		alone.Workers = 1
		for i, s := range pass {
			if errs[i] != nil {
				t.Fatalf("%s: %v", s, errs[i])
			}
			q, _ := spl.ParseString(s)
			p, err := exec.Compile(q, alone)
			if err != nil {
				t.Fatal(err)
			}
			var want []*value.Row
			wantCounts, err := p.Run(in, func(r *value.Row) error { want = append(want, r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			var g, w strings.Builder
			if err := output.JSON(&g, rows[i]); err != nil {
				t.Fatal(err)
			}
			if err := output.JSON(&w, want); err != nil {
				t.Fatal(err)
			}
			if g.String() != w.String() || len(want) == 0 {
				t.Errorf("%s in pass %q:\ngot:  %s\nwant: %s", s, pass, g.String(), w.String())
			}
			// A record skip rules out for every plan is counted as ruled
			// out by each; alone, a plan's own pre-filter counts it.
			counts[i].Filtered, wantCounts.Filtered = 0, 0
			if d := cmp.Diff(wantCounts, counts[i]); d != "" {
				t.Errorf("%s in pass %q: counts differ from alone (-alone +pass):\n%s", s, pass, d)
			}
		}
	}
}

// TestScanFailedPlanCounts: read in blocks on the workers, a plan that
// fails in the middle of a block counts the events up to the failing
// one, in a pass (whose counts go in per block) and alone, as one
// goroutine counts them event by event; the other plans of the pass
// count every event.
func TestScanFailedPlanCounts(t *testing.T) {
	var data strings.Builder
	for _, l := range manyEvents(6000) { // several blocks
		data.WriteString(l + "\n")
	}
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in := fileInput(path)
	// The eval keeps the stats off the workers: it fails on the ordered
	// goroutine, at its 4,001st group, in the second block.
	failing := `* | eval x=1 | stats count by eventID`
	plan := func(search string, maxGroups int, workers ...int) *exec.Plan {
		q, err := spl.ParseString(search)
		if err != nil {
			t.Fatal(err)
		}
		opts := exec.Options{Now: now, Workers: 2, MaxGroups: maxGroups}
		if len(workers) > 0 {
			opts.Workers = workers[0]
		}
		p, err := exec.Compile(q, opts)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	none := func(*value.Row) error { return nil }
	want, err := plan(failing, 4000, 1).Run(in, none)
	if err == nil || want.Events != 4001 {
		t.Fatalf("on one goroutine the plan counted %d events (error %v), want 4001 and a failure", want.Events, err)
	}
	alone, err := plan(failing, 4000).Run(in, none)
	if err == nil {
		t.Fatal("the plan did not fail")
	}
	if diff := cmp.Diff(want, alone); diff != "" {
		t.Errorf("the failed plan alone on the workers (-one goroutine +workers):\n%s", diff)
	}
	counts, errs := exec.RunAll([]*exec.Plan{plan(`eventName=E3 | eval y=1 | table eventID`, 0), plan(failing, 4000), plan(`* | stats count by awsRegion`, 0)}, in, []func(*value.Row) error{none, none, none})
	if errs[1] == nil || errs[0] != nil || errs[2] != nil {
		t.Fatalf("errors %v, want the second plan's alone", errs)
	}
	if diff := cmp.Diff(want, counts[1]); diff != "" {
		t.Errorf("the failed plan in a pass (-one goroutine +pass):\n%s", diff)
	}
	if counts[0].Events != 6000 || counts[0].Filtered != 6000-counts[0].Matched || counts[2].Events != 6000 {
		t.Errorf("the other plans counted %+v and %+v, want every event", counts[0], counts[2])
	}
}
