package harness

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
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
// result, in content order. Tests that read the same data files share one
// pass over them (exec.RunAll): a story's detections tested on one dataset
// cost one read of it.
func (e *Env) RunTests(c *Content, opts TestOptions, report func(Result)) Summary {
	start := time.Now()
	var sum Summary
	r := &runner{e: e, c: c, root: opts.AttackData, prepared: map[string]prepared{}, groups: map[string]*runGroup{}, results: map[runKey]runResult{}, checked: map[string]*MissingFile{}}
	// First pass: learn which searches read which files, and how many
	// results each test gives.
	var plans []*testPlan
	r.recording = true
	for _, d := range c.Detections {
		if !opts.Selected(d) {
			continue
		}
		for _, t := range d.Tests {
			r.plan = &testPlan{d: d, t: t}
			r.plan.results = len(r.runTest(d, t))
			plans = append(plans, r.plan)
		}
	}
	r.recording, r.plan = false, nil
	// Then, test by test in content order, run each set of files (once,
	// for all the searches that read it) before the first test that
	// needs it, and judge the test.
	ran := map[string]bool{}
	for i, p := range plans {
		for _, key := range p.keys {
			if ran[key] {
				continue
			}
			ran[key] = true
			if opts.Progress != nil {
				opts.Progress(i, len(plans), p.d.Name)
			}
			r.runGroup(r.groups[key])
		}
		results := r.runTest(p.d, p.t)
		for j, res := range results {
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
				sum.NotRun = len(results) - j - 1
				for _, q := range plans[i+1:] {
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

// testPlan is one test of a run: the data it reads and how many results
// it gives (a test gives one more for each must-not-fire dataset of its
// sidecar).
type testPlan struct {
	d       *Detection
	t       Test
	keys    []string // of runner.groups, in the order the test reads them
	results int
}

// runner runs a batch of tests.
type runner struct {
	e         *Env
	c         *Content
	root      fs.FS
	prepared  map[string]prepared
	recording bool
	plan      *testPlan // the test being recorded
	groups    map[string]*runGroup
	results   map[runKey]runResult
	checked   map[string]*MissingFile // data files checked, nil when present
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
	counts event.Counts // what the input read, for every search of the pass
	plan   exec.Counts  // what this search's plan counted
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

// prepare prepares a detection's search once per run of tests.
func (r *runner) prepare(d *Detection, sourcetype string) (*Prepared, []Finding) {
	key := d.File + "\x00" + sourcetype
	if p, ok := r.prepared[key]; ok {
		return p.p, p.findings
	}
	p, f := r.e.Prepare(r.c, d, sourcetype)
	r.prepared[key] = prepared{p, f}
	return p, f
}

// run returns a search's results over files: while recording, it only
// notes the need and returns nothing.
func (r *runner) run(p *Prepared, files []dataFile) runResult {
	key := filesKey(files)
	if r.recording {
		g, ok := r.groups[key]
		if !ok {
			g = &runGroup{files: files}
			r.groups[key] = g
		}
		g.preps = append(g.preps, p)
		if r.plan != nil && !slices.Contains(r.plan.keys, key) {
			r.plan.keys = append(r.plan.keys, key)
		}
		return runResult{}
	}
	return r.results[runKey{p, key}]
}

// runGroup runs every search of a group in one pass over its files.
func (r *runner) runGroup(g *runGroup) {
	begin := time.Now()
	var counts event.Counts
	plans := make([]*exec.Plan, len(g.preps))
	rows := make([][]*value.Row, len(g.preps))
	outs := make([]func(*value.Row) error, len(g.preps))
	for i, p := range g.preps {
		plans[i] = p.Plan
		outs[i] = func(row *value.Row) error { rows[i] = append(rows[i], row); return nil }
	}
	before := make([]int64, len(plans))
	for i, pl := range plans {
		before[i] = timeoutCount(pl)
	}
	kBefore := r.e.Knowledge.TimeoutCount()
	evalErrBefore := r.e.Knowledge.EvalErr() != nil
	planCounts, err := exec.RunAll(plans, &dataInput{root: r.root, files: g.files, counts: &counts, maxBytes: r.e.Limits.MaxEventBytes}, outs)
	took := time.Since(begin) / time.Duration(len(g.preps))
	key := filesKey(g.files)
	kTimeouts := r.e.Knowledge.TimeoutCount() - kBefore
	for i, p := range g.preps {
		perr := err
		if perr == nil {
			perr = regexError(plans[i], timeoutCount(plans[i])-before[i], kTimeouts, r.e.Knowledge)
		}
		if kerr := r.e.Knowledge.EvalErr(); perr == nil && kerr != nil && !evalErrBefore {
			// The first run whose calculated fields hit a cap; the
			// knowledge keeps the error, so later runs are not blamed.
			perr = kerr
		}
		r.results[runKey{p, key}] = runResult{rows: rows[i], counts: counts, plan: planCounts[i], err: perr, took: took}
	}
}

// timeoutCount is the number of regex time-outs of a plan so far.
func timeoutCount(pl *exec.Plan) int64 {
	var n int64
	for _, t := range pl.RegexpTimeouts() {
		n += t.Count
	}
	return n
}

// regexError is the error of a run whose regular expressions timed out:
// a time-out counts as no match, so the verdict is in doubt and the test
// is an error, never a pass. own and know are the run's time-outs of the
// search's own patterns and of the knowledge rules'.
func regexError(pl *exec.Plan, own, know int64, k *knowledge.Knowledge) error {
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
}

// runTest runs one test: the detection over all its attack data, then the
// sidecar's exact rows and must-not-fire datasets. A failed result says
// where the events and rows went (Result.Explain).
func (r *runner) runTest(d *Detection, t Test) []Result {
	res := Result{Detection: d.Name, Test: t.Name, File: d.File, Line: t.Line, Column: t.Column}
	var took time.Duration
	finish := func(r Result, status Status, format string, args ...any) Result {
		r.Status = status
		r.Message = fmt.Sprintf(format, args...)
		r.Duration = took
		return r
	}
	if len(t.AttackData) == 0 {
		return []Result{finish(res, Error, "the test names no attack data")}
	}
	sourcetype := t.AttackData[0].Sourcetype
	if sourcetype == "" {
		sourcetype = "aws:cloudtrail"
	}
	prep, findings := r.prepare(d, sourcetype)
	if len(findings) > 0 || prep == nil || prep.Plan == nil {
		msg := "the search cannot run"
		if len(findings) > 0 {
			msg = findings[0].String()
			res.Finding = &findings[0]
		}
		return []Result{finish(res, Error, "%s", msg)}
	}
	var files []dataFile
	for _, a := range t.AttackData {
		files = append(files, dataFile{path: DataPath(a.Data), sourcetype: a.Sourcetype, source: a.Source})
	}
	if res.Missing = r.absent(files); len(res.Missing) > 0 {
		return []Result{finish(res, Error, "%s", missingMessage(res.Missing))}
	}
	run := r.run(prep, files)
	rows, counts, err := run.rows, run.counts, run.err
	took = run.took
	res.Rows, res.Read, res.Rejected = len(rows), counts.Read, counts.Rejected
	if err != nil {
		return []Result{finish(res, Error, "%v", err)}
	}
	side, sideErr := readSidecar(r.root, files[0].path)
	var want *expectation
	for i := range side.Expectations {
		x := &side.Expectations[i]
		if x.Detection == d.Name && x.Data == path.Base(files[0].path) {
			want = x
		}
	}
	fail := func(res Result, run runResult, diff, format string, args ...any) Result {
		res = finish(res, Fail, format, args...)
		res.Explain, res.Diff = run.explain(prep), diff
		return res
	}
	var results []Result
	switch {
	case sideErr != nil:
		results = append(results, finish(res, Error, "%v", sideErr))
	case counts.Accepted == 0:
		results = append(results, fail(res, run, "", "no events: %d read, %d rejected (%s)", counts.Read, counts.Rejected, firstReject(counts)))
	case counts.Rejected > 0 && (want == nil || want.Rejected != counts.Rejected):
		results = append(results, fail(res, run, "", "%d of %d records rejected (%s); the sidecar expects %d", counts.Rejected, counts.Read, firstReject(counts), expectedRejects(want)))
	case len(rows) == 0:
		results = append(results, fail(res, run, "", "did not fire: 0 rows from %d events", counts.Accepted))
	default:
		if msg := missingEntities(d, rows); msg != "" {
			results = append(results, fail(res, run, "", "%s", msg))
		} else if want != nil && want.Rows != nil {
			if diff := diffRows(want.Rows, rows); diff != "" {
				results = append(results, fail(res, run, diff, "rows are not those %s expects: %d expected, %d returned", sidecarName(files[0].path), len(want.Rows), len(rows)))
			} else {
				results = append(results, finish(res, Pass, "fired: %d rows, as expected", len(rows)))
			}
		} else {
			results = append(results, finish(res, Pass, "fired: %d rows", len(rows)))
		}
	}
	// Must-not-fire datasets of the same folder.
	for _, x := range side.Expectations {
		if x.Detection != d.Name || x.Data == path.Base(files[0].path) {
			continue
		}
		sub := Result{Detection: d.Name, Test: t.Name + ": " + x.Data, File: d.File, Line: t.Line, Column: t.Column}
		f := files[0]
		f.path = path.Join(path.Dir(files[0].path), x.Data)
		if sub.Missing = r.absent([]dataFile{f}); len(sub.Missing) > 0 {
			took = 0
			results = append(results, finish(sub, Error, "%s", missingMessage(sub.Missing)))
			continue
		}
		run := r.run(prep, []dataFile{f})
		got, counts := run.rows, run.counts
		took = run.took
		sub.Rows, sub.Read, sub.Rejected = len(got), counts.Read, counts.Rejected
		switch {
		case run.err != nil:
			results = append(results, finish(sub, Error, "%v", run.err))
		case counts.Accepted == 0:
			results = append(results, fail(sub, run, "", "no events in %s", f.path))
		case counts.Rejected != x.Rejected:
			results = append(results, fail(sub, run, "", "%d of %d records rejected (%s)", counts.Rejected, counts.Read, firstReject(counts)))
		case x.Rows == nil:
			// No rows: key, so only the rejected count is checked.
			results = append(results, finish(sub, Pass, "%d rows (not compared: the sidecar gives no rows)", len(got)))
		default:
			if diff := diffRows(x.Rows, got); diff != "" {
				if len(x.Rows) == 0 {
					results = append(results, fail(sub, run, diff, "must not fire, but returned %d rows", len(got)))
				} else {
					results = append(results, fail(sub, run, diff, "rows differ: %d expected, %d returned", len(x.Rows), len(got)))
				}
			} else if len(x.Rows) == 0 {
				results = append(results, finish(sub, Pass, "silent on %d events, as expected", counts.Accepted))
			} else {
				results = append(results, finish(sub, Pass, "%d rows, as expected", len(got)))
			}
		}
	}
	return results
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

// dataInput reads a test's data files from the attack data root.
type dataInput struct {
	root     fs.FS
	files    []dataFile
	counts   *event.Counts
	maxBytes int
}

var _ exec.ParallelInput = (*dataInput)(nil)

func (in *dataInput) Events(fn func(*event.Event) error) error {
	_, err := in.each(func(opts event.Options, path string) (event.Counts, error) {
		return event.ReadFS(in.root, []string{path}, opts, fn)
	})
	return err
}

// ScanEvents reads the files on several workers (event.ScanFS), as
// splharness search does, but validates every record: a test's verdict
// counts the records its data rejects, so the raw pre-filter may only
// drop a record once it is known to be valid (SkipValid).
func (in *dataInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	so.Skip, so.SkipValid = nil, so.Skip
	return in.each(func(opts event.Options, path string) (event.Counts, error) {
		return event.ScanFS(in.root, []string{path}, opts, so, process, deliver)
	})
}

// each reads every data file with read, sums the counts (kept in
// in.counts for the first pass) and returns how many records were skipped.
func (in *dataInput) each(read func(opts event.Options, path string) (event.Counts, error)) (int, error) {
	var total event.Counts
	for _, f := range in.files {
		if _, err := fs.Stat(in.root, f.path); err != nil {
			return total.Skipped, fmt.Errorf("attack data %s: %v", f.path, err)
		}
		opts := event.Options{Sourcetype: f.sourcetype, Source: f.source, Index: testIndex, Host: testHost, MaxEventBytes: in.maxBytes}
		c, err := read(opts, f.path)
		total.Read += c.Read
		total.Accepted += c.Accepted
		total.Rejected += c.Rejected
		total.Skipped += c.Skipped
		total.Rejects = append(total.Rejects, c.Rejects...)
		if err != nil {
			return total.Skipped, err
		}
	}
	if in.counts.Read == 0 {
		*in.counts = total
	}
	return total.Skipped, nil
}

// missingEntities applies the official harness's rule: every risk/finding
// entity field must be present and non-null in every row
// (docs/semantics.md, "Test runs (contentctl)").
func missingEntities(d *Detection, rows []*value.Row) string {
	for i, r := range rows {
		for _, f := range d.EntityFields {
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
	if err := yaml.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %v", sidecarName(dataPath), err)
	}
	return s, nil
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
