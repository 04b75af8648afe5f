package gen_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// TestDeterministic: the same seed and size give the same bytes.
func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	pa, err := gen.Write(&a, gen.Config{Bytes: 200_000, Seed: 7, AttackEvery: 50})
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := gen.Write(&b, gen.Config{Bytes: 200_000, Seed: 7, AttackEvery: 50})
	if !bytes.Equal(a.Bytes(), b.Bytes()) || pa != pb {
		t.Fatal("two runs with the same seed differ")
	}
	if pa.Bursts == 0 || pa.DeleteGuardrail != pa.Bursts || pa.ListModelsDenied != 12*pa.Bursts {
		t.Errorf("planted: %+v", pa)
	}
	if int64(a.Len()) != pa.Bytes {
		t.Errorf("wrote %d bytes, counted %d", a.Len(), pa.Bytes)
	}
}

// TestSmallSizePlantsOneBurst: a size that holds fewer records than
// AttackEvery still gets one burst, after the records; a larger one gets
// its bursts in place, and none after.
func TestSmallSizePlantsOneBurst(t *testing.T) {
	cases := []struct {
		bytes       int64
		every       int
		bursts      int
		atEnd       bool
		lastIsBurst bool
	}{
		{1, 0, 1, true, true},
		{64 << 10, 0, 1, true, true},
		{1 << 20, 0, 1, true, true},
		{200_000, 50, 3, false, false},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		p, err := gen.Write(&buf, gen.Config{Bytes: c.bytes, Seed: 5, AttackEvery: c.every})
		if err != nil {
			t.Fatal(err)
		}
		if p.Bursts != c.bursts || p.AtEnd != c.atEnd || p.ListModelsDenied != 12*p.Bursts {
			t.Errorf("%d bytes, every %d: planted %+v", c.bytes, c.every, p)
		}
		lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
		last := bytes.Contains(lines[len(lines)-1], []byte(`"eventName":"DeleteKnowledgeBase"`))
		if last != c.lastIsBurst {
			t.Errorf("%d bytes, every %d: the last record is the burst's end: %v, want %v", c.bytes, c.every, last, c.lastIsBurst)
		}
	}
}

// TestPlantedFound: a search finds exactly the planted activity, on every
// profile.
func TestPlantedFound(t *testing.T) {
	for _, profile := range gen.Profiles() {
		var buf bytes.Buffer
		planted, err := gen.Write(&buf, gen.Config{Bytes: 2_000_000, Seed: 3, AttackEvery: 500, Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ct.json")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		runSearch(t, path, `eventSource=bedrock.amazonaws.com (eventName=DeleteGuardrail OR eventName=DeleteKnowledgeBase OR eventName=DeleteModelInvocationLoggingConfiguration OR errorCode=AccessDenied) (eventName=Delete* OR sourceIPAddress=203.0.113.45 OR sourceIPAddress=198.51.100.77) | stats count by eventName`, func(r *value.Row) {
			n, _ := r.Get("count").Number()
			counts[r.Get("eventName").First()] = int(n)
		})
		want := map[string]int{
			"DeleteGuardrail": planted.DeleteGuardrail, "DeleteKnowledgeBase": planted.DeleteKnowledgeBase,
			"DeleteModelInvocationLoggingConfiguration": planted.DeleteLogging,
			"InvokeModel": planted.InvokeModelDenied, "ListFoundationModels": planted.ListModelsDenied,
		}
		if !maps.Equal(counts, want) {
			t.Errorf("%s: found %v, planted %v", profile, counts, want)
		}
		// Only the attackers delete, or call InvokeModel and are denied by IAM.
		benign := 0
		runSearch(t, path, `eventSource=bedrock.amazonaws.com (eventName=Delete* OR (eventName=InvokeModel errorCode=AccessDenied)) NOT sourceIPAddress=203.0.113.45 NOT sourceIPAddress=198.51.100.77 NOT eventName=DeleteKnowledgeBaseDocuments NOT eventName=DeleteDataSource | stats count`, func(r *value.Row) {
			n, _ := r.Get("count").Number()
			benign += int(n)
		})
		if benign != 0 {
			t.Errorf("%s: %d benign records look like the planted ones", profile, benign)
		}
	}
}

// compile compiles a search to run on workers goroutines (0: one a core).
func compile(t testing.TB, search string, workers int) *exec.Plan {
	t.Helper()
	return compileWith(t, search, exec.Options{Workers: workers})
}

// addOnKnowledge is what the benchmarks apply to events with the add-on's
// rules: the built-in aws:cloudtrail knowledge, as the CLI applies it.
var addOnKnowledge = sync.OnceValue(func() *knowledge.Knowledge {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return engine.LoadKnowledge(apps, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
})

// withAddOn gives opts the add-on's knowledge, as the engine wires it
// (engine.FieldKnowledge); derived false keeps the raw pre-filter off the
// fields it makes (as before the pre-filter knew their origins). These
// benchmarks drive the plan directly, below the engine, to measure the
// scan with the pre-filter's Skip and to watch the scan options it sets.
func withAddOn(opts exec.Options, derived bool) exec.Options {
	k := addOnKnowledge().Sourcetype("aws:cloudtrail")
	opts.Fields, opts.Derived, opts.ExtraFields, opts.ReadsFor = k.Apply, k.Derived, k.Reads(), k.ReadsFor
	if derived {
		opts.Origins = k.Origin
	}
	return opts
}

func compileWith(t testing.TB, search string, opts exec.Options) *exec.Plan {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	p, err := exec.Compile(q, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeCorpus writes generated CloudTrail to a temporary file.
func writeCorpus(t *testing.T, cfg gen.Config) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ct.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runSearch(t testing.TB, path, search string, fn func(*value.Row)) exec.Counts {
	return runPlan(t, path, compile(t, search, 0), fn)
}

func runPlan(t testing.TB, path string, plan *exec.Plan, fn func(*value.Row)) exec.Counts {
	counts, err := plan.Run(fileInput{path}, func(r *value.Row) error { fn(r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

type fileInput struct{ path string }

// The parallel path is what these tests measure and compare.
var _ exec.ParallelInput = fileInput{}

func (f fileInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	c, err := event.Scan([]string{f.path}, event.Options{Sourcetype: "aws:cloudtrail"}, so, process, deliver)
	return c.Skipped, err
}

func (f fileInput) Events(fn func(*event.Event) error) error {
	_, err := event.Read([]string{f.path}, event.Options{Sourcetype: "aws:cloudtrail"}, fn)
	return err
}

var (
	corpusMu    sync.Mutex
	corpusPaths = map[string]string{}
)

// corpus writes 100 MB of generated CloudTrail of a profile once per test
// binary.
func corpus(b *testing.B, profile string) string {
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if path, ok := corpusPaths[profile]; ok {
		return path
	}
	dir, err := os.MkdirTemp("", "splharness-bench")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "cloudtrail-"+profile+"-100MB.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gen.Write(f, gen.Config{Bytes: 100 << 20, Seed: 1, Profile: profile}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	corpusPaths[profile] = path
	return path
}

// BenchmarkSearch100MB runs a selective base search plus stats, and a
// non-selective stats, over 100 MB of generated CloudTrail, reporting
// events per second and the process's peak RSS.
func BenchmarkSearch100MB(b *testing.B) {
	benchSearches(b, corpus(b, "default"), []benchSearch{
		{name: "bedrock", search: `eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count by userIdentity.arn sourceIPAddress`},
		{name: "all", search: `* | stats count by eventSource`},
	})
}

// BenchmarkSearch100MBBedrockHeavy runs the same over the bedrock-heavy
// profile, where a quarter of the records are benign Bedrock calls, plus
// the InvokeModel denial search. Its errorCode is raw without knowledge
// (invoke-denied); with the add-on's knowledge, as the CLI runs it, the
// add-on calculates errorCode, and only the raw pre-filter's knowledge of
// its origin (coalesce(errorCode, ...)) keeps the literal AccessDenied:
// invoke-denied-addon has it, invoke-denied-addon-no-derived shows the
// path without it, where every InvokeModel record is decoded.
func BenchmarkSearch100MBBedrockHeavy(b *testing.B) {
	const denied = `eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=AccessDenied | stats count by userIdentity.arn sourceIPAddress`
	benchSearches(b, corpus(b, "bedrock-heavy"), []benchSearch{
		{name: "bedrock", search: `eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count by userIdentity.arn sourceIPAddress`},
		{name: "invoke-denied", search: denied},
		{name: "invoke-denied-addon", search: denied, addOn: true, derived: true},
		{name: "invoke-denied-addon-no-derived", search: denied, addOn: true},
		{name: "all", search: `* | stats count by eventSource`},
	})
}

// benchSearch is one search of a benchmark, run with the add-on's
// knowledge when addOn is set (derived: with the derived pre-filter).
type benchSearch struct {
	name, search   string
	addOn, derived bool
}

func benchSearches(b *testing.B, path string, searches []benchSearch) {
	st, _ := os.Stat(path)
	for _, s := range searches {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			var events int
			opts := exec.Options{}
			if s.addOn {
				opts = withAddOn(opts, s.derived)
			}
			for i := 0; i < b.N; i++ {
				c := runPlan(b, path, compileWith(b, s.search, opts), func(*value.Row) {})
				events = c.Events
			}
			b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds()/float64(runtime.GOMAXPROCS(0)), "events/s/core")
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS_MB")
			}
		})
	}
}

// TestParallelSameResults: results do not depend on the number of workers
// or on running plans together, for streaming and sorting plans alike.
func TestParallelSameResults(t *testing.T) {
	path := writeCorpus(t, gen.Config{Bytes: 3_000_000, Seed: 5, AttackEvery: 700})
	searches := []string{
		`eventSource=bedrock.amazonaws.com | stats count values(eventName) dc(sourceIPAddress) by userIdentity.type`,
		`errorCode=AccessDenied | table _time eventName sourceIPAddress | head 50`,
		`* | stats count first(eventName) by eventSource`,
		`eventName=Delete* | dedup eventName | table eventName userIdentity.arn`,
		// Stats the workers run, merged at the end (Plan.partialStats).
		`* | stats count dc(eventName) values(awsRegion) min(eventTime) max(userAgent) range(eventVersion) median(eventVersion) perc90(eventVersion) earliest_time(eventName) latest_time(eventName) by eventSource`,
		`* | stats count dc(userIdentity.arn)`,
	}
	render := func(workers int, together bool) []string {
		var plans []*exec.Plan
		for _, s := range searches {
			plans = append(plans, compile(t, s, workers))
		}
		out := make([]string, len(plans))
		sink := func(i int) func(*value.Row) error {
			return func(r *value.Row) error { out[i] += fmt.Sprintln(output.Row(r)); return nil }
		}
		if together {
			outs := make([]func(*value.Row) error, len(plans))
			for i := range plans {
				outs[i] = sink(i)
			}
			_, errs := exec.RunAll(plans, fileInput{path}, outs)
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			return out
		}
		for i, p := range plans {
			if _, err := p.Run(fileInput{path}, sink(i)); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	want := render(1, false)
	for _, c := range []struct {
		workers  int
		together bool
	}{{1, true}, {4, false}, {4, true}} {
		got := render(c.workers, c.together)
		for i := range searches {
			if got[i] != want[i] {
				t.Errorf("%s with %d workers (together %v) differs from one worker alone", searches[i], c.workers, c.together)
			}
		}
	}
	for i, w := range want {
		if w == "" {
			t.Errorf("%s returned nothing; the test would prove little", searches[i])
		}
	}
}

// spyInput is a fileInput that records whether the plans let events share
// their block's memory, and the text of every event it hands out.
type spyInput struct {
	fileInput
	shared   bool
	consumed bool
	mu       sync.Mutex
	raws     []string
}

func (s *spyInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	s.shared, s.consumed = so.ShareRaw, so.Consumed
	return s.fileInput.ScanEvents(so, func(w int, ev *event.Event) any {
		s.mu.Lock()
		s.raws = append(s.raws, ev.Raw)
		s.mu.Unlock()
		return process(w, ev)
	}, deliver)
}

// TestSharedBlocksNotKept: when events share the memory of their block of
// input, no result keeps a piece of it. After the run every event's bytes
// are overwritten (which only a test may do: the strings are immutable to
// everything else); a result that still pointed into them would change.
// These searches also let blocks be reused as soon as they are processed
// (ScanOptions.Consumed): their results must equal one worker's, which
// shares nothing.
func TestSharedBlocksNotKept(t *testing.T) {
	path := writeCorpus(t, gen.Config{Bytes: 2_000_000, Seed: 9, AttackEvery: 500})
	for _, c := range []struct {
		search   string
		consumed bool // stats runs on the workers, which use events up
	}{
		// Every order-free stats function that keeps strings, and BY values.
		{`* | stats count dc(sourceIPAddress) values(eventName) min(userAgent) max(awsRegion) range(eventVersion) by eventSource userIdentity.type`, true},
		// Wildcards: stats in the ordered goroutine.
		{`* | stats values(userIdentity.*) dc(requestParameters.*) by eventName`, false},
		{`NOT eventSource=s3.amazonaws.com | stats values(userIdentity.arn) as arns by eventName`, true},
	} {
		search := c.search
		p := compile(t, search, 2)
		in := &spyInput{fileInput: fileInput{path}}
		var rows []*value.Row
		if _, err := p.Run(in, func(r *value.Row) error { rows = append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if !in.shared || in.consumed != c.consumed || len(in.raws) == 0 || len(rows) == 0 {
			t.Fatalf("%s: shared %v, consumed %v, %d events, %d rows: the test would prove nothing", search, in.shared, in.consumed, len(in.raws), len(rows))
		}
		render := func() string {
			var b bytes.Buffer
			if err := output.JSON(&b, rows); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		before := render()
		var oneRows []*value.Row
		if _, err := compile(t, search, 1).Run(fileInput{path}, func(r *value.Row) error { oneRows = append(oneRows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := output.JSON(&want, oneRows); err != nil {
			t.Fatal(err)
		}
		if before != want.String() {
			t.Errorf("%s: two workers sharing blocks differ from one worker:\n%s\n%s", search, before, want.String())
		}
		for _, raw := range in.raws {
			b := unsafe.Slice(unsafe.StringData(raw), len(raw))
			for i := range b {
				b[i] = 'X'
			}
		}
		if after := render(); after != before {
			t.Errorf("%s: results changed when the input's memory was overwritten: a result keeps event text\nbefore %s\nafter  %s", search, before, after)
		}
	}
}
