// Package docs renders a content root as browsable pages: one page per
// analytic story (the sections and columns of the published ESCU story
// pages, plus each detection's test status), one per detection, and an
// index, as plain Markdown or as a static HTML site.
//
// The pages are built from the loaded YAML, so they cannot drift from the
// content, and from an optional test run, so they can say what the
// published pages cannot: whether each detection passes its tests today.
package docs

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/harness/mitre"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/macro"
)

// Format is an output format of the pages.
type Format string

// Formats: plain CommonMark with GitHub-style tables, or a static HTML
// site.
const (
	Markdown Format = "md"
	HTML     Format = "html"
)

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case Markdown, HTML:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown format %q (want md or html)", s)
}

// Status is a detection's or a test's latest result: the statuses of
// harness.Result, or NotRun.
type Status string

// NotRun is the status of a detection whose tests did not run: no test
// run was given, or the detection has no tests.
const NotRun Status = "not run"

// Site is the model of the pages of one content root, built once and
// rendered in either format.
type Site struct {
	// Title names the content, for the index page.
	Title string
	// Tested reports whether test results were given.
	Tested     bool
	Stories    []*StoryPage
	Detections []*DetectionPage
	// Summary counts the results given.
	Summary harness.Summary
	// Problems are the errors that many detections share, said once on
	// the index; the pages refer to them by number.
	Problems []*Problem
	// AttackData names the attack data folder the tests read, for the
	// advice on missing files; empty means the built-in data.
	AttackData string
}

// StoryPage is an analytic story and what its page shows.
type StoryPage struct {
	Story *harness.Story
	Slug  string
	// Version is the story's version: key, as written.
	Version string
	// Detections are the story's detections by name.
	Detections []*DetectionPage
	// DataSources are the data source objects its detections use, each
	// once, by name (the published pages' order).
	DataSources []DataSourceRow
	// DataModels are the data models its detections read, each once,
	// with the datasets they name.
	DataModels []harness.DataModelUse
	// Author, Date (date: or creation_date:), Modified
	// (modification_date:) and Products (tags.product or product) are
	// the story YAML's, as written.
	Author, Date, Modified string
	Products               []string
}

// DetectionPage is a detection and what its page shows.
type DetectionPage struct {
	Detection *harness.Detection
	Slug      string
	Version   string
	// Techniques are the ATT&CK techniques of the detection's ids, in the
	// order the ids are listed.
	Techniques  []Technique
	DataSources []DataSourceRow
	Stories     []StoryLink
	// Search is the search as written, and Expanded the macro-expanded
	// one, each laid out one command per line (see Layout); ExpandError
	// says why there is no expansion.
	Search      string
	Expanded    string
	ExpandError string
	Tests       []TestRow
	Status      Status
	// Deprecated says why the detection is deprecated ("status:
	// deprecated", "in a deprecated/ folder"); empty when it is not.
	Deprecated string
	// Problems are the common problems among its results, each once.
	Problems []*Problem
	// DataModels are the data models the search reads (tstats,
	// datamodel, from datamodel), with the datasets it names.
	DataModels []harness.DataModelUse
}

// Technique is one ATT&CK id of a detection.
type Technique struct {
	ID      string
	Name    string // the id itself when the ATT&CK table lacks it
	Tactics []string
	Known   bool
	// URL is the technique's page on attack.mitre.org, empty for an id
	// that is not of the form T1234 or T1234.567.
	URL string
}

// DataSourceRow is a data source as the tables show it. Defined is false
// for a name no data source object has.
type DataSourceRow struct {
	Name, Platform, Sourcetype, Source string
	Defined                            bool
}

// StoryLink names a story; Slug is empty when no story has that name.
type StoryLink struct {
	Name, Slug string
}

// TestRow is one test of a detection, its datasets and its latest results
// (the test itself, then its must-not-fire datasets).
type TestRow struct {
	Test    harness.Test
	Results []ResultRow
	Status  Status
}

// ResultRow is one result, and the common problem it is an instance of.
type ResultRow struct {
	harness.Result
	// Problem is the common problem whose instance the result is, nil
	// when its message is its own; Detail is then what is particular to
	// this instance (the missing file), or empty.
	Problem *Problem
	Detail  string
}

// New builds the pages of a content root. results are the outcomes of a
// test run over it; nil means the tests did not run.
func New(c *harness.Content, results []harness.Result) *Site {
	s := &Site{Title: c.Name, Tested: results != nil}
	byFile := map[string][]harness.Result{}
	for _, r := range results {
		byFile[r.File] = append(byFile[r.File], r)
		switch r.Status {
		case harness.Pass:
			s.Summary.Passed++
		case harness.Fail:
			s.Summary.Failed++
		default:
			s.Summary.Errors++
		}
	}
	sources := map[string]*harness.DataSource{}
	for _, ds := range c.DataSources {
		if _, dup := sources[ds.Name]; !dup {
			sources[ds.Name] = ds
		}
	}
	slugs := slugger{}
	stories := map[string]*StoryPage{}
	for _, st := range sortedByName(c.Stories, func(st *harness.Story) string { return st.Name }) {
		p := &StoryPage{Story: st, Slug: slugs.take("stories", st.Name)}
		m := readMeta(c.FS, st.File)
		p.Version, p.Author, p.Date, p.Modified = m.Version, m.Author, cmp.Or(m.Date, m.CreationDate), m.ModificationDate
		p.Products = m.Tags.Product
		if len(p.Products) == 0 {
			p.Products = m.Product
		}
		if _, dup := stories[st.Name]; !dup {
			stories[st.Name] = p
		}
		s.Stories = append(s.Stories, p)
	}
	for _, d := range sortedByName(c.Detections, func(d *harness.Detection) string { return d.Name }) {
		p := &DetectionPage{Detection: d, Slug: slugs.take("detections", d.Name), Version: version(c.FS, d.File), Deprecated: deprecated(d)}
		for _, id := range d.MitreIDs {
			p.Techniques = append(p.Techniques, technique(id))
		}
		for _, name := range d.DataSources {
			p.DataSources = append(p.DataSources, dataSourceRow(name, sources[name]))
		}
		for _, name := range d.Stories {
			l := StoryLink{Name: name}
			if sp := stories[name]; sp != nil {
				l.Slug = sp.Slug
				sp.Detections = append(sp.Detections, p)
			}
			p.Stories = append(p.Stories, l)
		}
		p.Search = Layout(d.Search)
		p.Expanded, p.ExpandError = expand(c, d)
		if p.ExpandError == "" {
			if q, err := spl.ParseString(p.Expanded); err == nil {
				p.DataModels = harness.DataModelUses(q)
			}
		}
		p.Expanded = Layout(p.Expanded)
		p.Tests, p.Status = testRows(d, byFile[d.File], s.Tested)
		s.Detections = append(s.Detections, p)
	}
	s.Problems = findProblems(s.Detections)
	for _, sp := range s.Stories {
		seen := map[string]bool{}
		for _, dp := range sp.Detections {
			for _, row := range dp.DataSources {
				if !seen[row.Name] {
					seen[row.Name] = true
					sp.DataSources = append(sp.DataSources, row)
				}
			}
		}
		for _, dp := range sp.Detections {
			for _, u := range dp.DataModels {
				i := slices.IndexFunc(sp.DataModels, func(x harness.DataModelUse) bool { return x.Model == u.Model })
				if i < 0 {
					sp.DataModels = append(sp.DataModels, harness.DataModelUse{Model: u.Model})
					i = len(sp.DataModels) - 1
				}
				for _, d := range u.Datasets {
					if !slices.Contains(sp.DataModels[i].Datasets, d) {
						sp.DataModels[i].Datasets = append(sp.DataModels[i].Datasets, d)
					}
				}
			}
		}
		// The published pages list data sources by name, not in the order
		// the detections use them.
		slices.SortStableFunc(sp.DataSources, func(a, b DataSourceRow) int { return byName(a.Name, b.Name) })
	}
	return s
}

// Render renders every page in a format and hands each to emit with its
// path relative to the output root ("index.md", "stories/<slug>.md",
// "detections/<slug>.md").
func (s *Site) Render(f Format, emit func(name string, content []byte) error) error {
	var r renderer
	switch f {
	case Markdown:
		r = markdownRenderer{}
	case HTML:
		hr, err := newHTMLRenderer()
		if err != nil {
			return err
		}
		r = hr
	default:
		return fmt.Errorf("docs: unknown format %q", f)
	}
	ext := "." + string(f)
	b, err := r.index(s)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := emit("index"+ext, b); err != nil {
		return err
	}
	for _, p := range s.Stories {
		b, err := r.story(s, p)
		if err != nil {
			return fmt.Errorf("story %s: %w", p.Story.Name, err)
		}
		if err := emit("stories/"+p.Slug+ext, b); err != nil {
			return err
		}
	}
	for _, p := range s.Detections {
		b, err := r.detection(s, p)
		if err != nil {
			return fmt.Errorf("detection %s: %w", p.Detection.Name, err)
		}
		if err := emit("detections/"+p.Slug+ext, b); err != nil {
			return err
		}
	}
	return nil
}

// WriteDir renders every page into dir, creating it and its stories/ and
// detections/ folders as needed. Files of earlier runs that no page
// replaces are left alone.
func (s *Site) WriteDir(dir string, f Format) error {
	for _, sub := range []string{"stories", "detections"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	return s.Render(f, func(name string, b []byte) error {
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644)
	})
}

// renderer renders the pages of one format.
type renderer interface {
	index(*Site) ([]byte, error)
	story(*Site, *StoryPage) ([]byte, error)
	detection(*Site, *DetectionPage) ([]byte, error)
}

// Slug is a page's file name for a name: lowercase ASCII letters and
// digits kept, every other character "_" ("AWS Bedrock Security" is
// aws_bedrock_security), as ESCU names its files.
func Slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "unnamed"
	}
	return b.String()
}

// slugger hands out unique slugs per folder: a second object whose name
// has the same slug gets "_2", and so on.
type slugger map[string]bool

func (s slugger) take(folder, name string) string {
	base := Slug(name)
	slug := base
	for n := 2; s[folder+"/"+slug]; n++ {
		slug = fmt.Sprintf("%s_%d", base, n)
	}
	s[folder+"/"+slug] = true
	return slug
}

// byName orders names as the published pages do: case-insensitively, then
// case-sensitively so that the order is total.
func byName(a, b string) int {
	return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
}

func sortedByName[T any](objs []T, name func(T) string) []T {
	out := slices.Clone(objs)
	slices.SortStableFunc(out, func(a, b T) int { return byName(name(a), name(b)) })
	return out
}

func technique(id string) Technique {
	t := Technique{ID: id, Name: id, URL: TechniqueURL(id)}
	if m, ok := mitre.Lookup(id); ok {
		t.Name, t.Tactics, t.Known = m.Name, m.Tactics, true
	}
	return t
}

// techniqueID is an ATT&CK technique or sub-technique id.
var techniqueID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^T([0-9]{4})(?:\.([0-9]{3}))?$`) })

// TechniqueURL is the page of an ATT&CK technique on attack.mitre.org,
// where a sub-technique's number is a path segment: T1562.008 is
// https://attack.mitre.org/techniques/T1562/008/. An id that is not of
// that form has none (""). An id our ATT&CK table lacks still gets its
// link: the table may be older than the content.
func TechniqueURL(id string) string {
	m := techniqueID().FindStringSubmatch(id)
	if m == nil {
		return ""
	}
	u := "https://attack.mitre.org/techniques/T" + m[1] + "/"
	if m[2] != "" {
		u += m[2] + "/"
	}
	return u
}

// deprecated says why a detection is deprecated: ESCU marks one with
// status: deprecated and moves it under a deprecated/ folder.
func deprecated(d *harness.Detection) string {
	switch {
	case strings.EqualFold(strings.TrimSpace(d.Status), "deprecated"):
		return "status: deprecated"
	case slices.Contains(strings.Split(path.Dir(d.File), "/"), "deprecated"):
		return "in a deprecated/ folder"
	}
	return ""
}

// FilterText is what the index's filter box matches a detection's row
// against, lowercased: its name, technique ids and names, data sources,
// type and test status, and "deprecated" when it is.
func (p *DetectionPage) FilterText() string {
	parts := []string{p.Detection.Name}
	for _, t := range p.Techniques {
		parts = append(parts, t.ID, t.Name)
	}
	for _, ds := range p.DataSources {
		parts = append(parts, ds.Name)
	}
	parts = append(parts, p.Detection.Type, string(p.Status))
	if p.Deprecated != "" {
		parts = append(parts, "deprecated")
	}
	return strings.ToLower(strings.Join(parts, " | "))
}

func dataSourceRow(name string, ds *harness.DataSource) DataSourceRow {
	if ds == nil {
		return DataSourceRow{Name: name}
	}
	return DataSourceRow{Name: name, Platform: ds.Platform, Sourcetype: ds.Sourcetype, Source: ds.Source, Defined: true}
}

// expand returns the search Splunk would run: macros expanded, with the
// detection's filter macro defaulting to `search *` as contentctl does.
func expand(c *harness.Content, d *harness.Detection) (string, string) {
	src := d.SearchSource()
	if src == nil {
		return "", "the detection has no search"
	}
	exp, err := macro.Expand(src, c.Macros, macro.Options{AutoFilter: true})
	if err != nil {
		return "", err.Error()
	}
	return exp.Text, ""
}

// testRows pairs a detection's tests with their results: a test's own
// result is named after the test, its must-not-fire datasets "<test>:
// <data>".
func testRows(d *harness.Detection, results []harness.Result, tested bool) ([]TestRow, Status) {
	var rows []TestRow
	var all []harness.Result
	for _, t := range d.Tests {
		row := TestRow{Test: t}
		var mine []harness.Result
		for _, r := range results {
			if r.Detection == d.Name && (r.Test == t.Name || strings.HasPrefix(r.Test, t.Name+": ")) {
				mine = append(mine, r)
				row.Results = append(row.Results, ResultRow{Result: r})
			}
		}
		row.Status = overall(mine)
		all = append(all, mine...)
		rows = append(rows, row)
	}
	if !tested {
		return rows, NotRun
	}
	return rows, overall(all)
}

// overall is the status of several results: fail if any failed (a
// definite finding), else error if any could not run, else pass; not run
// when there are none.
func overall(results []harness.Result) Status {
	if len(results) == 0 {
		return NotRun
	}
	st := Status(harness.Pass)
	for _, r := range results {
		switch {
		case r.Status == harness.Fail:
			return Status(harness.Fail)
		case r.Status != harness.Pass:
			st = Status(harness.Error)
		}
	}
	return st
}

// StatusCounts summarises the statuses of detections, e.g. "4 pass, 1
// error", in the order pass, fail, error, not run.
func StatusCounts(ds []*DetectionPage) string {
	counts := map[Status]int{}
	for _, d := range ds {
		counts[d.Status]++
	}
	var parts []string
	for _, st := range []Status{Status(harness.Pass), Status(harness.Fail), Status(harness.Error), NotRun} {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	if len(parts) == 0 {
		return "no detections"
	}
	return strings.Join(parts, ", ")
}

// plural is "1 story", "2 stories".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// TestSummary is the index's line about the test run.
func (s *Site) TestSummary() string {
	if !s.Tested {
		return "Tests were not run."
	}
	return fmt.Sprintf("Tests: %s.", harness.SummaryLine(s.Summary))
}

// meta is what the pages show of a YAML file beyond what harness loads.
type meta struct {
	Version          string   `yaml:"version"`
	Author           string   `yaml:"author"`
	Date             string   `yaml:"date"`
	CreationDate     string   `yaml:"creation_date"`
	ModificationDate string   `yaml:"modification_date"`
	Product          []string `yaml:"product"`
	Tags             struct {
		Product []string `yaml:"product"`
	} `yaml:"tags"`
}

// readMeta reads a file's meta; a file that does not read has none.
func readMeta(fsys fs.FS, file string) meta {
	var m meta
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return m
	}
	// A key of the wrong type is left empty and the others still decode
	// (yaml.v3 goes on past a type error); validate reports the file.
	_ = yaml.Unmarshal(b, &m)
	return m
}

// versionLine finds the top-level version: key of a YAML file; reading it
// this way costs a scan, not a second YAML parse.
var versionLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^version:[ \t]*['"]?([^'"\s#]+)`) })

func version(fsys fs.FS, file string) string {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return ""
	}
	if m := versionLine().FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// paragraphs splits YAML prose into paragraphs: a line break in a folded
// or quoted YAML value is where its author started a new one.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstLine is a message's first line, for table cells; rest is what
// follows it.
func firstLine(s string) (first, rest string) {
	s = strings.TrimRight(s, "\n")
	first, rest, _ = strings.Cut(s, "\n")
	return first, rest
}
