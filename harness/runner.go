package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// Status of a test result.
type Status string

// Statuses, as the JSON output names them.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error"
)

// Result is the outcome of one test.
type Result struct {
	Detection string        `json:"detection"`
	Test      string        `json:"test"`
	File      string        `json:"file"`
	Status    Status        `json:"status"`
	Rows      int           `json:"rows"`
	Message   string        `json:"message"`
	Duration  time.Duration `json:"-"`
	// Counts of the events read for the test.
	Read, Rejected int `json:"-"`
	// TimeFallbacks counts the events whose _time came from Splunk's
	// timestamp fallback (event.Counts.TimeFallbacks).
	TimeFallbacks int `json:"-"`
	// Line and Column place the test in File: its entry under tests:.
	Line, Column int `json:"-"`
	// Finding is the problem of the search that kept the test from
	// running (the Message renders it), or nil.
	Finding *Finding `json:"-"`
	// Explain, for a failed test, says where the events and rows went.
	Explain *Explain `json:"-"`
	// Diff, when the rows are not those expected, is go-cmp's report of
	// the expected rows ("-") against those returned ("+").
	Diff string `json:"-"`
	// Missing lists the attack data files of an error result that are not
	// in the attack data root, or are Git LFS pointers instead of data.
	Missing []MissingFile `json:"-"`
}

// Summary counts results.
type Summary struct {
	Passed, Failed, Errors int
	// NotRun counts the tests a FailFast run left after its first failure.
	NotRun   int
	Duration time.Duration
}

// TestOptions select and place the tests.
type TestOptions struct {
	// AttackData is the root that data URLs resolve into.
	AttackData fs.FS
	// Detections are name globs (path.Match syntax, any case); none
	// selects all.
	Detections []string
	// Story selects the detections of one story (any case).
	Story string
	// FailFast stops the run at the first test that fails or errs; the
	// tests left are counted in Summary.NotRun.
	FailFast bool
	// Progress, when set, is called before each read of attack data with
	// the number of tests done, the number selected, and the detection
	// whose test needs the data.
	Progress func(done, total int, detection string)
}

// Contentctl's replay defaults (docs/semantics.md, "Test runs
// (contentctl)"): the index and host every test event gets.
const (
	testIndex = "contentctl_testing_index"
	testHost  = "CONTENTCTL_HOST"
)

// Selected reports whether a detection is selected by the options. Names
// and globs compare regardless of case, as a user types them.
func (o TestOptions) Selected(d *Detection) bool {
	if o.Story != "" && !slices.ContainsFunc(d.Stories, func(s string) bool { return strings.EqualFold(s, o.Story) }) {
		return false
	}
	if len(o.Detections) == 0 {
		return true
	}
	name := strings.ToLower(d.Name)
	for _, g := range o.Detections {
		if ok, _ := path.Match(strings.ToLower(g), name); ok || strings.EqualFold(g, d.Name) {
			return true
		}
	}
	return false
}

// DataPath maps a test's data URL to a path in the attack data root: a
// URL into the attack_data repository keeps the part after the branch
// name; a relative path is taken as is (README, "On a Splunk Security
// Content checkout").
func DataPath(url string) string {
	if i := strings.Index(url, "/attack_data/"); i >= 0 && strings.Contains(url, "://") {
		rest := url[i+len("/attack_data/"):]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j+1:]
		}
		return rest
	}
	return strings.TrimPrefix(url, "./")
}

// RunTests runs the tests of the selected detections and reports each
// result, in content order, in three phases. Planning reads the content
// and the sidecars, never the data: which searches read which sets of
// files. Running reads each set of files once, for all the searches that
// read it (engine.RunAll): a story's detections tested on one dataset cost
// one read of it, and a search that fails (a limit) fails alone. Judging
// turns each search's rows into a verdict (Judge).
func (e *Env) RunTests(c *Content, opts TestOptions, report func(Result)) Summary {
	start := time.Now()
	var sum Summary
	r := &runner{e: e, c: c, root: opts.AttackData, prepared: map[string]prepared{}, groups: map[string]*runGroup{}, results: map[runKey]runResult{}, checked: map[string]*MissingFile{}, geo: map[string]func() (*geoip.DB, error){}, replayed: map[string]replayTime{}, baselines: map[string]*baselineRun{}}
	var jobs []*testJob
	for _, d := range c.Detections {
		if !opts.Selected(d) {
			continue
		}
		for _, t := range d.Tests {
			j := planTest(r.root, c, d, t)
			r.plan(j)
			jobs = append(jobs, j)
		}
	}
	// The baselines of the tests' folders fit their models before any
	// search that applies them runs; a baseline's problem is the error
	// of every test of its folder.
	for _, j := range jobs {
		if err := r.runBaselines(j); err != nil && j.sideErr == nil {
			j.sideErr = err
		}
	}
	// Test by test in content order, run each set of files (once, for
	// all the searches that read it) before the first test that needs
	// it, and judge the test.
	ran := map[string]bool{}
	for i, j := range jobs {
		for _, key := range j.keys {
			if ran[key] {
				continue
			}
			ran[key] = true
			if opts.Progress != nil {
				opts.Progress(i, len(jobs), j.d.Name)
			}
			r.runGroup(r.groups[key])
		}
		results := r.judge(j)
		for k, res := range results {
			switch res.Status {
			case Pass:
				sum.Passed++
			case Fail:
				sum.Failed++
			default:
				sum.Errors++
			}
			report(res)
			if opts.FailFast && res.Status != Pass {
				sum.NotRun = len(results) - k - 1
				for _, q := range jobs[i+1:] {
					sum.NotRun += q.results
				}
				sum.Duration = time.Since(start)
				return sum
			}
		}
	}
	sum.Duration = time.Since(start)
	return sum
}

// testJob is one test of a run, as planned from the content and its
// sidecar alone: the files it reads, what it expects, and (once the runner
// has planned it) its search, the sets of files it needs run and how many
// results it gives.
type testJob struct {
	d     *Detection
	t     Test
	files []dataFile // the test's attack data
	// side is the sidecar beside the first data file (sideErr when it
	// cannot be read); want its entry for the test's own data.
	side    sidecar
	sideErr error
	want    *expectation
	// kv is the KV store contents the sidecar supplies; geo the path of
	// the IP location database it names ("" for none).
	kv  kvSupply
	geo string
	// models is the model store of the folder's baselines (nil for none).
	models *mltk.Store
	// subs are the must-not-fire datasets the sidecar names for the
	// detection, each read on its own.
	subs []subJob
	// replay is the index in files of the first attack data entry with
	// update_timestamp: true, -1 for none: the search's now() is then
	// that file's first record's time (replayNow).
	replay int

	// Set by runner.plan.
	prep *Prepared
	// note, when the replayed file's first record has no readable time,
	// says so: now() is then the run's clock.
	note     string
	findings []Finding
	missing  []MissingFile
	keys     []string // of runner.groups, in the order the test reads them
	results  int
}

// subJob is one must-not-fire dataset of a test's sidecar.
type subJob struct {
	x    expectation
	file dataFile
	// prep and note are the sub's own search and replay note when the
	// test replays its data (testJob.replay): the sub's file replaces the
	// test's data, so its own first record sets now(); otherwise prep is
	// the test's.
	prep *Prepared
	note string
}

// planTest plans a test from the content and its sidecar, reading no
// data: splharness test runs this plan, and test --list lists it.
func planTest(root fs.FS, c *Content, d *Detection, t Test) *testJob {
	j := &testJob{d: d, t: t, replay: -1}
	for i, a := range t.AttackData {
		j.files = append(j.files, dataFile{path: DataPath(a.Data), sourcetype: a.Sourcetype, source: a.Source})
		if a.UpdateTimestamp && j.replay < 0 {
			j.replay = i
		}
	}
	if len(j.files) == 0 || root == nil {
		return j
	}
	first := j.files[0]
	j.side, j.sideErr = readSidecar(root, first.path)
	if j.sideErr == nil {
		j.kv, j.sideErr = kvSupplyOf(c, root, sidecarName(first.path), path.Dir(first.path), j.side.kv)
	}
	if j.sideErr == nil && j.side.geo != nil {
		j.geo, j.sideErr = geoOf(root, sidecarName(first.path), path.Dir(first.path), *j.side.geo)
	}
	for i := range j.side.Expectations {
		x := &j.side.Expectations[i]
		if x.Detection != d.Name {
			continue
		}
		if x.Data == path.Base(first.path) {
			j.want = x
			continue
		}
		f := first
		f.path = path.Join(path.Dir(first.path), x.Data)
		j.subs = append(j.subs, subJob{x: *x, file: f})
	}
	return j
}

// sourcetype is the sourcetype a test's search is compiled for: its first
// data file's.
func (j *testJob) sourcetype() string {
	if len(j.t.AttackData) == 0 || j.t.AttackData[0].Sourcetype == "" {
		return "aws:cloudtrail"
	}
	return j.t.AttackData[0].Sourcetype
}

// plan prepares a test's search and notes the sets of files it must have
// run: its data, then each must-not-fire dataset that is there.
func (r *runner) plan(j *testJob) {
	j.results = 1
	if len(j.files) == 0 || j.sideErr != nil {
		return
	}
	now := r.e.Now
	if j.replay >= 0 && len(r.absent(j.files[j.replay:j.replay+1])) == 0 {
		now, j.note = r.replayNow(j.files[j.replay])
	}
	j.models = r.modelsFor(path.Dir(j.files[0].path), j.side.baselines)
	j.prep, j.findings = r.prepare(j.d, j.sourcetype(), j.kv, j.geo, j.models, now)
	if len(j.findings) > 0 || j.prep == nil || j.prep.Plan == nil {
		return
	}
	if j.missing = r.absent(j.files); len(j.missing) > 0 {
		return
	}
	r.need(j, j.prep, j.files)
	j.results += len(j.subs)
	for i := range j.subs {
		s := &j.subs[i]
		s.prep = j.prep
		if len(r.absent([]dataFile{s.file})) > 0 {
			continue
		}
		if j.replay >= 0 {
			var subNow time.Time
			subNow, s.note = r.replayNow(s.file)
			// The same search as the test's, compiled for another time:
			// it compiled once, so it compiles again.
			s.prep, _ = r.prepare(j.d, j.sourcetype(), j.kv, j.geo, j.models, subNow)
		}
		r.need(j, s.prep, []dataFile{s.file})
	}
}

// replayNow is the search time of a test that replays a file
// (update_timestamp: true): the _time of the file's first record, read as
// the test reads it. Splunk's replay tooling moves every event by the
// time between that record and the test's start; moving now() back by as
// much gives every comparison of an event's time with now() the same
// outcome, and leaves the rows the data's own times (docs/semantics.md,
// "Test data replay time"). A file whose first record has no time of its
// own keeps the run's clock, and the note says so.
func (r *runner) replayNow(f dataFile) (time.Time, string) {
	if rt, ok := r.replayed[f.path]; ok {
		return rt.now, rt.note
	}
	now, note := r.e.Now, ""
	opts := r.eventOptions(f)
	var first *event.Event
	counts, err := event.ReadFS(r.root, []string{f.path}, opts, func(ev *event.Event) error {
		first = ev
		return errFirstRecord
	})
	why := ""
	switch {
	case err != nil && err != errFirstRecord:
		why = err.Error()
	case counts.Rejected > 0:
		why = counts.Rejects[0].Reason
	case first == nil:
		why = "it has no records"
	case counts.TimeFallbacks > 0 && !strings.Contains(counts.Fallbacks[0].Reason, "has no time zone"):
		why = counts.Fallbacks[0].Reason
	}
	if why == "" {
		sec, frac := math.Modf(first.Time)
		now = time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC()
	} else {
		note = fmt.Sprintf("update_timestamp: the first record of %s has no readable time (%s), so now() is the run's clock", f.path, why)
	}
	r.replayed[f.path] = replayTime{now, note}
	return now, note
}

// errFirstRecord stops the reading of a file at its first record.
var errFirstRecord = errors.New("first record read")

// replayTime is a replayed file's search time, and the note of a file
// whose first record has none.
type replayTime struct {
	now  time.Time
	note string
}

// need notes that a test's search (prep) reads a set of files.
func (r *runner) need(j *testJob, prep *Prepared, files []dataFile) {
	key := filesKey(files)
	g, ok := r.groups[key]
	if !ok {
		g = &runGroup{files: files}
		r.groups[key] = g
	}
	if !slices.Contains(g.preps, prep) {
		g.preps = append(g.preps, prep)
	}
	if !slices.Contains(j.keys, key) {
		j.keys = append(j.keys, key)
	}
}

// runner runs a batch of tests.
type runner struct {
	e        *Env
	c        *Content
	root     fs.FS
	prepared map[string]prepared
	groups   map[string]*runGroup
	results  map[runKey]runResult
	checked  map[string]*MissingFile // data files checked, nil when present
	// geo opens the IP location databases the sidecars name, by path.
	geo map[string]func() (*geoip.DB, error)
	// replayed is the search time of each replayed file, by path.
	replayed map[string]replayTime
	// baselines are the models of each dataset folder's baselines, by
	// folder.
	baselines map[string]*baselineRun
}

type prepared struct {
	p        *Prepared
	findings []Finding
}

// runGroup is the searches that read one set of files.
type runGroup struct {
	files []dataFile
	preps []*Prepared
}

type runKey struct {
	prep  *Prepared
	files string
}

type runResult struct {
	rows   []*value.Row
	counts event.Counts  // what the input read, for every search of the pass
	plan   engine.Counts // what this search's plan counted
	err    error
	took   time.Duration
}

// explain is the run's counts for a failing test.
func (res runResult) explain(p *Prepared) *Explain {
	return NewExplain(res.counts, p.Plan, res.plan)
}

func filesKey(files []dataFile) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(f.path + "\x00" + f.sourcetype + "\x00" + f.source + "\x01")
	}
	return b.String()
}

// prepare prepares a detection's search once per run of tests and search
// time.
func (r *runner) prepare(d *Detection, sourcetype string, kv kvSupply, geo string, models *mltk.Store, now time.Time) (*Prepared, []Finding) {
	key := d.File + "\x00" + sourcetype + "\x00" + kv.key() + "\x00" + geo + "\x00" + fmt.Sprintf("%p", models) + "\x00" + strconv.FormatInt(now.UnixNano(), 10)
	if p, ok := r.prepared[key]; ok {
		return p.p, p.findings
	}
	var ipl func() (*geoip.DB, error)
	if geo != "" {
		if r.geo[geo] == nil {
			r.geo[geo] = openGeo(r.root, geo)
		}
		ipl = r.geo[geo]
	}
	p, f := r.e.prepare(r.c, d, sourcetype, r.root, kv, ipl, models, now)
	r.prepared[key] = prepared{p, f}
	return p, f
}

// runGroup runs every search of a group in one pass over its files. Each
// search keeps its own error: one that hits a limit leaves the others'
// results whole.
func (r *runner) runGroup(g *runGroup) {
	begin := time.Now()
	progs := make([]*engine.Program, len(g.preps))
	rows := make([][]*value.Row, len(g.preps))
	outs := make([]func(*value.Row) error, len(g.preps))
	for i, p := range g.preps {
		progs[i] = p.Plan
		outs[i] = func(row *value.Row) error { rows[i] = append(rows[i], row); return nil }
	}
	before := make([]int64, len(progs))
	for i, p := range progs {
		before[i] = p.TimeoutCount()
	}
	kBefore := r.e.Knowledge.TimeoutCount()
	evalErrBefore := r.e.Knowledge.EvalErr() != nil
	in := r.input(g.files)
	planCounts, errs := engine.RunAll(progs, in, outs)
	counts := in.Counts()
	took := time.Since(begin) / time.Duration(len(g.preps))
	key := filesKey(g.files)
	kTimeouts := r.e.Knowledge.TimeoutCount() - kBefore
	for i, p := range g.preps {
		perr := errs[i]
		if perr == nil {
			perr = regexError(progs[i], progs[i].TimeoutCount()-before[i], kTimeouts, r.e.Knowledge)
		}
		if kerr := r.e.Knowledge.EvalErr(); perr == nil && kerr != nil && !evalErrBefore {
			// The first run whose calculated fields hit a cap; the
			// knowledge keeps the error, so later runs are not blamed.
			perr = kerr
		}
		r.results[runKey{p, key}] = runResult{rows: rows[i], counts: counts, plan: planCounts[i], err: perr, took: took}
	}
}

// eventOptions reads f as contentctl replays it (testIndex, testHost),
// with the run's caps on its records.
func (r *runner) eventOptions(f dataFile) event.Options {
	return event.Options{Sourcetype: f.sourcetype, Source: f.source, Index: testIndex, Host: testHost,
		MaxEventBytes: r.e.Limits.MaxEventBytes, ExtractionCutoff: r.e.Limits.ExtractionCutoff}
}

// input is a test's data files in the attack data root, each indexed as
// contentctl replays it (testIndex, testHost).
func (r *runner) input(files []dataFile) *engine.Data {
	in := make([]engine.File, len(files))
	for i, f := range files {
		in[i] = engine.File{Path: f.path, Options: r.eventOptions(f)}
	}
	return engine.FS(r.root, "attack data", in...)
}

// regexError is the error of a run whose regular expressions timed out:
// a time-out counts as no match, so the verdict is in doubt and the test
// is an error, never a pass. own and know are the run's time-outs of the
// search's own patterns and of the knowledge rules'.
func regexError(pl *engine.Program, own, know int64, k *knowledge.Knowledge) error {
	if err := pl.RegexBudgetError(); err != nil {
		return err
	}
	if err := k.RegexBudgetError(); err != nil && know > 0 {
		return err
	}
	if own+know == 0 {
		return nil
	}
	var names []string
	for _, t := range pl.RegexpTimeouts() {
		names = append(names, t.String())
	}
	if know > 0 {
		for _, t := range k.RegexpTimeouts() {
			names = append(names, t.String())
		}
	}
	return fmt.Errorf("%d regex time-out(s), so the result is in doubt: %s", own+know, strings.Join(names, "; "))
}

// expectation is one entry of a dataset folder's splharness.yml sidecar.
type expectation struct {
	Detection string `yaml:"detection"`
	Data      string `yaml:"data"`
	// Rows are the exact rows expected, in order. Without a rows: key
	// (nil) the rows are not compared; rows: [] expects none.
	Rows     []map[string]any `yaml:"rows"`
	Rejected int              `yaml:"rejected"`
}

type sidecar struct {
	Expectations []expectation `yaml:"expectations"`
	// kv is the kvstore: mapping, read with its places (kvEntries): the
	// CSV file of the folder that holds each KV store lookup's contents.
	kv []kvEntry
	// geo is the iplocation: file, with its place (nil for none).
	geo *kvEntry
	// baselines are the baselines: searches that fit the models the
	// folder's detections apply (baseline.go).
	baselines []baselineEntry
}

// judge gives a test's results from its runs: the test's own data, then
// each must-not-fire dataset of its sidecar.
func (r *runner) judge(j *testJob) []Result {
	res := Result{Detection: j.d.Name, Test: j.t.Name, File: j.d.File, Line: j.t.Line, Column: j.t.Column}
	finish := func(res Result, took time.Duration, v Verdict) Result {
		res.Status, res.Message, res.Diff, res.Duration = v.Status, v.Message, v.Diff, took
		return res
	}
	switch {
	case len(j.files) == 0:
		return []Result{finish(res, 0, Verdict{Status: Error, Message: "the test names no attack data"})}
	case j.sideErr != nil:
		return []Result{finish(res, 0, Verdict{Status: Error, Message: j.sideErr.Error()})}
	case len(j.findings) > 0:
		res.Finding = &j.findings[0]
		return []Result{finish(res, 0, Verdict{Status: Error, Message: j.findings[0].String()})}
	case j.prep == nil || j.prep.Plan == nil:
		return []Result{finish(res, 0, Verdict{Status: Error, Message: "the search cannot run"})}
	case len(j.missing) > 0:
		res.Missing = j.missing
		return []Result{finish(res, 0, Verdict{Status: Error, Message: missingMessage(j.missing)})}
	}
	// outcome judges one run and says, of a failed one, where the events
	// and rows went.
	outcome := func(res Result, prep *Prepared, files []dataFile, x Expectation, note string) Result {
		run := r.results[runKey{prep, filesKey(files)}]
		res.Rows, res.Read, res.Rejected = len(run.rows), run.counts.Read, run.counts.Rejected
		res.TimeFallbacks = run.counts.TimeFallbacks
		res = finish(res, run.took, Judge(Outcome{Rows: run.rows, Counts: run.counts, Err: run.err}, x))
		if note != "" {
			res.Message += "; " + note
		}
		if res.Status == Fail {
			res.Explain = run.explain(prep)
		}
		return res
	}
	main := outcome(res, j.prep, j.files, Expectation{Fire: true, Data: j.files[0].path, Entities: j.d.EntityFields, Sidecar: j.want, SidecarErr: j.sideErr}, j.note)
	results := []Result{main}
	if r.results[runKey{j.prep, filesKey(j.files)}].err != nil {
		return results
	}
	for _, s := range j.subs {
		sub := Result{Detection: j.d.Name, Test: j.t.Name + ": " + s.x.Data, File: j.d.File, Line: j.t.Line, Column: j.t.Column}
		if sub.Missing = r.absent([]dataFile{s.file}); len(sub.Missing) > 0 {
			results = append(results, finish(sub, 0, Verdict{Status: Error, Message: missingMessage(sub.Missing)}))
			continue
		}
		x := s.x
		results = append(results, outcome(sub, s.prep, []dataFile{s.file}, Expectation{Data: s.file.path, Sidecar: &x}, s.note))
	}
	return results
}

// Outcome is what one search gave over one set of files.
type Outcome struct {
	Rows   []*value.Row
	Counts event.Counts // what the input read
	Err    error        // the search's own error (a limit), or the input's
}

// Expectation is what a test expects of one outcome.
type Expectation struct {
	// Fire is true for the test's own data, which must fire; false for a
	// must-not-fire dataset of its sidecar (Sidecar then set).
	Fire bool
	// Data is the (first) data file, for messages and the sidecar's name.
	Data string
	// Entities are the risk/finding entity fields every row must have.
	Entities []string
	// Sidecar is the splharness.yml entry for the data, nil for none;
	// SidecarErr is set when the sidecar cannot be read.
	Sidecar    *expectation
	SidecarErr error
}

// Verdict is a judged outcome: a status, the message that explains it,
// and for rows that are not those expected, the diff (Result.Diff).
type Verdict struct {
	Status  Status
	Message string
	Diff    string
}

// Judge is the verdict of one outcome: a pure function of the rows, the
// counts and the expectation. A test fires when its data's records are
// all accepted (or rejected as many as the sidecar expects) and it returns
// rows with every entity field (docs/semantics.md, "Test runs
// (contentctl)"); the sidecar's rows, when given, must be the rows
// returned, in order.
func Judge(o Outcome, x Expectation) Verdict {
	v := func(s Status, format string, args ...any) Verdict {
		return Verdict{Status: s, Message: fmt.Sprintf(format, args...)}
	}
	c, rows := o.Counts, o.Rows
	if o.Err != nil {
		return v(Error, "%v", o.Err)
	}
	if !x.Fire {
		return judgeSilent(o, x)
	}
	want := x.Sidecar
	switch {
	case x.SidecarErr != nil:
		return v(Error, "%v", x.SidecarErr)
	case c.Accepted == 0:
		return v(Fail, "no events: %d read, %d rejected (%s)", c.Read, c.Rejected, firstReject(c))
	case c.Rejected > 0 && (want == nil || want.Rejected != c.Rejected):
		return v(Fail, "%d of %d records rejected (%s); the sidecar expects %d", c.Rejected, c.Read, firstReject(c), expectedRejects(want))
	case len(rows) == 0:
		return v(Fail, "did not fire: 0 rows from %d events", c.Accepted)
	}
	if msg := missingEntities(x.Entities, rows); msg != "" {
		return v(Fail, "%s", msg)
	}
	if want == nil || want.Rows == nil {
		return v(Pass, "fired: %d rows", len(rows))
	}
	if diff := diffRows(want.Rows, rows); diff != "" {
		out := v(Fail, "rows are not those %s expects: %d expected, %d returned", sidecarName(x.Data), len(want.Rows), len(rows))
		out.Diff = diff
		return out
	}
	return v(Pass, "fired: %d rows, as expected", len(rows))
}

// judgeSilent judges a must-not-fire dataset of a sidecar: its rejected
// count, and its rows (none, usually) when the sidecar gives them.
func judgeSilent(o Outcome, x Expectation) Verdict {
	v := func(s Status, format string, args ...any) Verdict {
		return Verdict{Status: s, Message: fmt.Sprintf(format, args...)}
	}
	c, got, want := o.Counts, o.Rows, x.Sidecar
	switch {
	case c.Accepted == 0:
		return v(Fail, "no events in %s", x.Data)
	case c.Rejected != want.Rejected:
		return v(Fail, "%d of %d records rejected (%s)", c.Rejected, c.Read, firstReject(c))
	case want.Rows == nil:
		// No rows: key, so only the rejected count is checked.
		return v(Pass, "%d rows (not compared: the sidecar gives no rows)", len(got))
	}
	diff := diffRows(want.Rows, got)
	var out Verdict
	switch {
	case diff != "" && len(want.Rows) == 0:
		out = v(Fail, "must not fire, but returned %d rows", len(got))
	case diff != "":
		out = v(Fail, "rows differ: %d expected, %d returned", len(want.Rows), len(got))
	case len(want.Rows) == 0:
		out = v(Pass, "silent on %d events, as expected", c.Accepted)
	default:
		out = v(Pass, "%d rows, as expected", len(got))
	}
	out.Diff = diff
	return out
}

func expectedRejects(x *expectation) int {
	if x == nil {
		return 0
	}
	return x.Rejected
}

func firstReject(c event.Counts) string {
	if len(c.Rejects) == 0 {
		return "no reason recorded"
	}
	r := c.Rejects[0]
	return fmt.Sprintf("first: %s:%d: %s", r.File, r.Line, r.Reason)
}

// dataFile is one attack data file of a test.
type dataFile struct{ path, sourcetype, source string }

// missingEntities applies the official harness's rule: every risk/finding
// entity field must be present and non-null in every row
// (docs/semantics.md, "Test runs (contentctl)").
func missingEntities(entities []string, rows []*value.Row) string {
	for i, r := range rows {
		for _, f := range entities {
			v := r.Get(f)
			if v.IsNull() || v.First() == "null" {
				return fmt.Sprintf("fired %d rows, but row %d has no value for the entity field %s", len(rows), i+1, f)
			}
		}
	}
	return ""
}

func sidecarName(dataPath string) string { return path.Join(path.Dir(dataPath), "splharness.yml") }

// readSidecar reads the expectations beside a data file; none is fine.
func readSidecar(root fs.FS, dataPath string) (sidecar, error) {
	var s sidecar
	b, err := fs.ReadFile(root, sidecarName(dataPath))
	if err != nil {
		return s, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return s, fmt.Errorf("%s: %v", sidecarName(dataPath), err)
	}
	if doc.Kind == 0 {
		return s, nil // an empty file
	}
	if err := doc.Decode(&s); err != nil {
		return s, fmt.Errorf("%s: %v", sidecarName(dataPath), err)
	}
	if s.kv, err = kvEntries(sidecarName(dataPath), &doc); err != nil {
		return s, err
	}
	if s.geo, err = geoEntry(sidecarName(dataPath), &doc); err != nil {
		return s, err
	}
	s.baselines, err = baselineEntries(sidecarName(dataPath), string(b), &doc)
	return s, err
}

// diffRows compares expected rows (from YAML) with result rows, as the
// JSON output renders them: values strings, multivalues lists, fields with
// no value left out. It returns "" when they are equal, and otherwise
// go-cmp's report, "-" for what was expected and "+" for what was returned.
//
// Rows are compared in order, as Splunk returns them: row by row while
// both sides have rows, then the rows only one side has. go-cmp aligns the
// elements of two lists by a search that starts, at random, from either
// end (so that nobody relies on its output); comparing row by row keeps
// the report the same from run to run.
func diffRows(want []map[string]any, got []*value.Row) string {
	w := make([]map[string]any, len(want))
	for i, r := range want {
		w[i] = map[string]any{}
		for k, v := range r {
			switch v := v.(type) {
			case []any:
				l := []string{}
				for _, x := range v {
					l = append(l, fmt.Sprint(x))
				}
				w[i][k] = oneOrMany(l)
			case nil:
				// A field with no value is left out, as in the output.
			default:
				w[i][k] = fmt.Sprint(v)
			}
		}
	}
	g := make([]map[string]any, len(got))
	for i, r := range got {
		g[i] = map[string]any{}
		for _, f := range output.Row(r) {
			if len(f.Values) > 0 {
				g[i][f.Name] = oneOrMany(f.Values)
			}
		}
	}
	var b strings.Builder
	n := min(len(w), len(g))
	for i := 0; i < n; i++ {
		if d := cmp.Diff(w[i], g[i]); d != "" {
			fmt.Fprintf(&b, "row %d:\n%s", i+1, d)
		}
	}
	switch {
	case len(w) == 0 && len(g) > 0:
		fmt.Fprintf(&b, "%s returned, none expected:\n%s", rowRange(1, len(g)), cmp.Diff([]map[string]any{}, g))
	case len(g) > n:
		fmt.Fprintf(&b, "%s returned beyond the %d expected:\n%s", rowRange(n+1, len(g)), n, cmp.Diff([]map[string]any{}, g[n:]))
	case len(w) > n:
		fmt.Fprintf(&b, "%s expected beyond the %d returned:\n%s", rowRange(n+1, len(w)), n, cmp.Diff(w[n:], []map[string]any{}))
	}
	// go-cmp also varies its report's spaces on purpose (some are no-break
	// spaces); people read this one, and tests compare it: plain spaces.
	return strings.ReplaceAll(b.String(), "\u00a0", " ")
}

// rowRange is "row 2" or "rows 2 to 5".
func rowRange(from, to int) string {
	if from == to {
		return fmt.Sprintf("row %d", from)
	}
	return fmt.Sprintf("rows %d to %d", from, to)
}

// oneOrMany is a field's values as the JSON output has them: a string for
// one value, a list for several (an empty list stays a list).
func oneOrMany(v []string) any {
	if len(v) == 1 {
		return v[0]
	}
	return v
}
