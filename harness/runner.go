package harness

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/output"
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
}

// Summary counts results.
type Summary struct {
	Passed, Failed, Errors int
	Duration               time.Duration
}

// TestOptions select and place the tests.
type TestOptions struct {
	// AttackData is the root that data URLs resolve into.
	AttackData fs.FS
	// Detections are name globs (path.Match syntax); none selects all.
	Detections []string
	// Story selects the detections of one story.
	Story string
}

// Contentctl's replay defaults (spec §0): the index and host every test
// event gets.
const (
	testIndex = "contentctl_testing_index"
	testHost  = "CONTENTCTL_HOST"
)

// Selected reports whether a detection is selected by the options.
func (o TestOptions) Selected(d *Detection) bool {
	if o.Story != "" {
		found := false
		for _, s := range d.Stories {
			found = found || s == o.Story
		}
		if !found {
			return false
		}
	}
	if len(o.Detections) == 0 {
		return true
	}
	for _, g := range o.Detections {
		if ok, _ := path.Match(g, d.Name); ok || g == d.Name {
			return true
		}
	}
	return false
}

// DataPath maps a test's data URL to a path in the attack data root: a
// URL into the attack_data repository keeps the part after the branch
// name; a relative path is taken as is (DESIGN.md).
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
// result as it is known.
func (e *Env) RunTests(c *Content, opts TestOptions, report func(Result)) Summary {
	start := time.Now()
	var sum Summary
	emit := func(r Result) {
		switch r.Status {
		case Pass:
			sum.Passed++
		case Fail:
			sum.Failed++
		default:
			sum.Errors++
		}
		report(r)
	}
	for _, d := range c.Detections {
		if !opts.Selected(d) {
			continue
		}
		if len(d.Tests) == 0 {
			continue
		}
		for _, t := range d.Tests {
			for _, r := range e.runTest(c, d, t, opts) {
				emit(r)
			}
		}
	}
	sum.Duration = time.Since(start)
	return sum
}

// expectation is one entry of a dataset folder's splharness.yml sidecar.
type expectation struct {
	Detection string           `yaml:"detection"`
	Data      string           `yaml:"data"`
	Rows      []map[string]any `yaml:"rows"`
	Rejected  int              `yaml:"rejected"`
}

type sidecar struct {
	Expectations []expectation `yaml:"expectations"`
}

// runTest runs one test: the detection over all its attack data, then the
// sidecar's exact rows and must-not-fire datasets.
func (e *Env) runTest(c *Content, d *Detection, t Test, opts TestOptions) []Result {
	res := Result{Detection: d.Name, Test: t.Name, File: d.File}
	begin := time.Now()
	finish := func(r Result, status Status, format string, args ...any) Result {
		r.Status = status
		r.Message = fmt.Sprintf(format, args...)
		r.Duration = time.Since(begin)
		return r
	}
	if len(t.AttackData) == 0 {
		return []Result{finish(res, Error, "the test names no attack data")}
	}
	sourcetype := t.AttackData[0].Sourcetype
	if sourcetype == "" {
		sourcetype = "aws:cloudtrail"
	}
	prep, findings := e.Prepare(c, d, sourcetype)
	if len(findings) > 0 || prep == nil || prep.Plan == nil {
		msg := "the search cannot run"
		if len(findings) > 0 {
			msg = findings[0].String()
		}
		return []Result{finish(res, Error, "%s", msg)}
	}
	var files []dataFile
	for _, a := range t.AttackData {
		files = append(files, dataFile{path: DataPath(a.Data), sourcetype: a.Sourcetype, source: a.Source})
	}
	rows, counts, err := e.run(prep, opts.AttackData, files)
	res.Rows, res.Read, res.Rejected = len(rows), counts.Read, counts.Rejected
	if err != nil {
		return []Result{finish(res, Error, "%v", err)}
	}
	side, sideErr := readSidecar(opts.AttackData, files[0].path)
	var want *expectation
	for i := range side.Expectations {
		x := &side.Expectations[i]
		if x.Detection == d.Name && x.Data == path.Base(files[0].path) {
			want = x
		}
	}
	var results []Result
	switch {
	case sideErr != nil:
		results = append(results, finish(res, Error, "%v", sideErr))
	case counts.Accepted == 0:
		results = append(results, finish(res, Fail, "no events: %d read, %d rejected (%s)", counts.Read, counts.Rejected, firstReject(counts)))
	case counts.Rejected > 0 && (want == nil || want.Rejected != counts.Rejected):
		results = append(results, finish(res, Fail, "%d of %d records rejected (%s); the sidecar expects %d", counts.Rejected, counts.Read, firstReject(counts), expectedRejects(want)))
	case len(rows) == 0:
		results = append(results, finish(res, Fail, "did not fire: 0 rows from %d events", counts.Accepted))
	default:
		if msg := missingEntities(d, rows); msg != "" {
			results = append(results, finish(res, Fail, "%s", msg))
		} else if want != nil {
			if diff := diffRows(want.Rows, rows); diff != "" {
				results = append(results, finish(res, Fail, "rows differ from %s (-want +got):\n%s", sidecarName(files[0].path), diff))
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
		begin = time.Now()
		sub := Result{Detection: d.Name, Test: t.Name + ": " + x.Data, File: d.File}
		f := files[0]
		f.path = path.Join(path.Dir(files[0].path), x.Data)
		got, counts, err := e.run(prep, opts.AttackData, []dataFile{f})
		sub.Rows, sub.Read, sub.Rejected = len(got), counts.Read, counts.Rejected
		switch {
		case err != nil:
			results = append(results, finish(sub, Error, "%v", err))
		case counts.Accepted == 0:
			results = append(results, finish(sub, Fail, "no events in %s", f.path))
		case counts.Rejected != x.Rejected:
			results = append(results, finish(sub, Fail, "%d of %d records rejected (%s)", counts.Rejected, counts.Read, firstReject(counts)))
		default:
			if diff := diffRows(x.Rows, got); diff != "" {
				if len(x.Rows) == 0 {
					results = append(results, finish(sub, Fail, "must not fire, but returned %d rows (-want +got):\n%s", len(got), diff))
				} else {
					results = append(results, finish(sub, Fail, "rows differ (-want +got):\n%s", diff))
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

func (in *dataInput) Events(fn func(*event.Event) error) error {
	var total event.Counts
	for _, f := range in.files {
		if _, err := fs.Stat(in.root, f.path); err != nil {
			return fmt.Errorf("attack data %s: %v", f.path, err)
		}
		opts := event.Options{Sourcetype: f.sourcetype, Source: f.source, Index: testIndex, Host: testHost, MaxEventBytes: in.maxBytes}
		c, err := event.ReadFS(in.root, []string{f.path}, opts, fn)
		total.Read += c.Read
		total.Accepted += c.Accepted
		total.Rejected += c.Rejected
		total.Rejects = append(total.Rejects, c.Rejects...)
		if err != nil {
			return err
		}
	}
	if in.counts.Read == 0 {
		*in.counts = total
	}
	return nil
}

// run runs a prepared search over data files and returns its rows.
func (e *Env) run(p *Prepared, root fs.FS, files []dataFile) ([]*eval.Row, event.Counts, error) {
	var counts event.Counts
	var rows []*eval.Row
	_, err := p.Plan.Run(&dataInput{root: root, files: files, counts: &counts, maxBytes: e.Limits.MaxEventBytes}, func(r *eval.Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, counts, err
}

// missingEntities applies the official harness's rule: every risk/finding
// entity field must be present and non-null in every row (DESIGN.md).
func missingEntities(d *Detection, rows []*eval.Row) string {
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
// JSON output renders them: values strings, multivalues lists.
func diffRows(want []map[string]any, got []*eval.Row) string {
	norm := func(rows []map[string]any) []map[string]any {
		out := make([]map[string]any, len(rows))
		for i, r := range rows {
			out[i] = map[string]any{}
			for k, v := range r {
				switch v := v.(type) {
				case []any:
					var l []string
					for _, x := range v {
						l = append(l, fmt.Sprint(x))
					}
					out[i][k] = l
				default:
					out[i][k] = fmt.Sprint(v)
				}
			}
		}
		return out
	}
	var have []map[string]any
	for _, r := range got {
		m := map[string]any{}
		for _, f := range output.Row(r) {
			if len(f.Values) == 1 {
				m[f.Name] = f.Values[0]
			} else {
				m[f.Name] = f.Values
			}
		}
		have = append(have, m)
	}
	return cmp.Diff(norm(want), have, cmpopts.EquateEmpty())
}
