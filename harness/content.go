// Package harness loads detection content in the layout of Splunk Security
// Content (ESCU), validates it, and runs detection tests against attack
// data with splharness's evaluator.
package harness

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// Content is a loaded content root.
type Content struct {
	FS   fs.FS
	Name string // for messages: the folder, or "(embedded)"

	Detections  []*Detection
	Stories     []*Story
	DataSources []*DataSource
	Lookups     []*Lookup
	Macros      *macro.Set
	// Findings are the problems met while loading (unreadable YAML,
	// mistyped keys); the objects that could load are still there.
	Findings []Finding
}

// Object is what every content object knows of itself.
type Object struct {
	File string // path inside the content root
	Line int
	Name string
	ID   string
	node *yaml.Node // the document's mapping node
	text string     // the file's text
}

// Detection is a detection YAML.
type Detection struct {
	Object
	Type                string
	Status              string
	Search              string
	Description         string
	HowToImplement      string
	KnownFalsePositives string
	References          []string
	DataSources         []string
	Stories             []string
	MitreIDs            []string
	Category            string // the folder under detections/
	Tests               []Test
	// EntityFields are the risk/finding entity fields (rba.risk_objects or
	// finding.entity) and ThreatFields the threat objects' fields: a
	// detection fires only if every row has them.
	EntityFields []string
	ThreatFields []string
	// searchSource maps search offsets to the YAML file.
	searchSource *diag.Source
	// searchProblem is the schema finding of a search: that is not a
	// string, which Prepare reports instead of running it.
	searchProblem *Finding
}

// SearchSource is the search text, positioned in its YAML file.
func (d *Detection) SearchSource() *diag.Source { return d.searchSource }

// Test is one entry of a detection's tests.
type Test struct {
	Name       string
	Type       string
	Line       int
	Column     int // Line and Column place the test's entry under tests:
	AttackData []AttackData
}

// AttackData is one data file of a test.
type AttackData struct {
	Data       string
	Sourcetype string
	Source     string
	// UpdateTimestamp is the entry's update_timestamp: Splunk's replay
	// tooling moves the file's events to the time of the test; the
	// harness moves the search's now() to the file's first record
	// instead (docs/semantics.md, "Test data replay time").
	UpdateTimestamp bool
	Line            int
}

// Story is an analytic story.
type Story struct {
	Object
	Description string
	Narrative   string
	References  []string
	Category    []string
}

// DataSource is a data source object.
type DataSource struct {
	Object
	Description string
	Source      string
	Sourcetype  string
	Fields      []string
	Platform    string // from supported_TA names, e.g. "AWS"
}

// Lookup is a lookup definition (lookups/*.yml) and its CSV file.
type Lookup struct {
	Object
	Filename string
}

// Load reads a content root. It never stops at a bad file: each problem
// is a finding, and the rest loads.
func Load(fsys fs.FS, name string) (*Content, error) {
	c := &Content{FS: fsys, Name: name}
	var err error
	c.Macros, err = c.loadMacros()
	if err != nil {
		return nil, err
	}
	for _, f := range c.yamlFiles("detections") {
		c.loadDetection(f)
	}
	// contentctl defines a missing <detection>_filter macro as "search *";
	// defined here, once, Prepare only reads the set and may run
	// concurrently.
	for _, d := range c.Detections {
		c.Macros.AddDetectionFilter(d.Name)
	}
	for _, f := range c.yamlFiles("stories") {
		c.loadStory(f)
	}
	for _, f := range c.yamlFiles("data_sources") {
		c.loadDataSource(f)
	}
	for _, f := range c.yamlFiles("lookups") {
		c.loadLookup(f)
	}
	return c, nil
}

func (c *Content) loadMacros() (*macro.Set, error) {
	if _, err := fs.Stat(c.FS, "macros"); err != nil {
		return macro.NewSet(), nil
	}
	set, errs := macro.LoadDir(c.FS, "macros")
	for _, err := range errs {
		c.Findings = append(c.Findings, findingFromError(err, "macros"))
	}
	return set, nil
}

// yamlFiles lists the .yml files below dir (deprecated/ included: it is
// still content), sorted.
func (c *Content) yamlFiles(dir string) []string {
	var out []string
	_ = fs.WalkDir(c.FS, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// readYAML reads one YAML document, reporting unreadable files and non-map
// documents as findings.
func (c *Content) readYAML(file string) (*yaml.Node, string, bool) {
	b, err := fs.ReadFile(c.FS, file)
	if err != nil {
		c.Findings = append(c.Findings, Finding{File: file, Line: 1, Column: 1, Code: string(diag.YAML), Severity: SeverityError, Message: err.Error()})
		return nil, "", false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line, msg := diag.YAMLError(err.Error(), string(b))
		c.Findings = append(c.Findings, Finding{File: file, Line: line, Column: 1, Code: string(diag.YAML), Severity: SeverityError, Message: msg})
		return nil, "", false
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		c.Findings = append(c.Findings, Finding{File: file, Line: 1, Column: 1, Code: string(diag.Schema), Severity: SeverityError, Message: "the document is not a mapping of keys to values"})
		return nil, "", false
	}
	return doc.Content[0], string(b), true
}

func (c *Content) object(file string, n *yaml.Node, text string) Object {
	o := Object{File: file, Line: n.Line, node: n, text: text}
	o.Name = str(n, "name")
	o.ID = str(n, "id")
	return o
}

func (c *Content) loadDetection(file string) {
	n, text, ok := c.readYAML(file)
	if !ok {
		return
	}
	d := &Detection{Object: c.object(file, n, text)}
	d.Category = path.Base(path.Dir(file))
	c.Findings = append(c.Findings, checkSchema(file, n, detectionSchema)...)
	d.Type = str(n, "type")
	d.Status = str(n, "status")
	d.Description = str(n, "description")
	d.HowToImplement = str(n, "how_to_implement")
	d.KnownFalsePositives = str(n, "known_false_positives")
	d.References = stringList(get(n, "references"))
	d.DataSources = stringList(get(n, "data_source"))
	tags := get(n, "tags")
	// Older files nest the story and ATT&CK ids under tags:, newer ones
	// have them at the top level.
	d.Stories = stringList(firstOf(get(n, "analytic_story"), get(tags, "analytic_story")))
	d.MitreIDs = stringList(firstOf(get(n, "mitre_attack_id"), get(tags, "mitre_attack_id")))
	if sn := get(n, "search"); sn != nil {
		if k, _ := kindOf(sn); k == kStr {
			d.Search = sn.Value
			d.searchSource = &diag.Source{Name: file, Text: sn.Value, Locate: locator(file, text, sn)}
		} else {
			d.searchProblem = &Finding{File: file, Line: sn.Line, Column: sn.Column, Code: string(diag.Schema), Severity: SeverityError, Message: fmt.Sprintf("search must be %s", kStr)}
		}
	}
	for _, f := range seq(get(get(n, "rba"), "risk_objects")) {
		if s, ok := scalar(get(f, "field")); ok {
			d.EntityFields = append(d.EntityFields, s)
		}
	}
	if s, ok := scalar(get(get(get(n, "finding"), "entity"), "field")); ok {
		d.EntityFields = append(d.EntityFields, s)
	}
	for _, f := range append(seq(get(get(n, "rba"), "threat_objects")), seq(get(n, "threat_objects"))...) {
		if s, ok := scalar(get(f, "field")); ok {
			d.ThreatFields = append(d.ThreatFields, s)
		}
	}
	for _, tn := range seq(get(n, "tests")) {
		t := Test{Line: tn.Line, Column: tn.Column}
		t.Name = str(tn, "name")
		t.Type = str(tn, "test_type")
		for _, an := range seq(get(tn, "attack_data")) {
			a := AttackData{Line: an.Line}
			a.Data = str(an, "data")
			a.Sourcetype = str(an, "sourcetype")
			a.Source = str(an, "source")
			a.UpdateTimestamp = isTrue(get(an, "update_timestamp"))
			t.AttackData = append(t.AttackData, a)
		}
		d.Tests = append(d.Tests, t)
	}
	c.Detections = append(c.Detections, d)
}

func (c *Content) loadStory(file string) {
	n, text, ok := c.readYAML(file)
	if !ok {
		return
	}
	s := &Story{Object: c.object(file, n, text)}
	c.Findings = append(c.Findings, checkSchema(file, n, storySchema)...)
	s.Description = str(n, "description")
	s.Narrative = str(n, "narrative")
	s.References = stringList(get(n, "references"))
	s.Category = stringList(firstOf(get(n, "category"), get(get(n, "tags"), "category")))
	c.Stories = append(c.Stories, s)
}

func (c *Content) loadDataSource(file string) {
	n, text, ok := c.readYAML(file)
	if !ok {
		return
	}
	ds := &DataSource{Object: c.object(file, n, text)}
	c.Findings = append(c.Findings, checkSchema(file, n, dataSourceSchema)...)
	ds.Description = str(n, "description")
	ds.Source = str(n, "source")
	ds.Sourcetype = str(n, "sourcetype")
	ds.Fields = stringList(get(n, "fields"))
	for _, ta := range seq(get(n, "supported_TA")) {
		if name, ok := scalar(get(ta, "name")); ok && ds.Platform == "" {
			ds.Platform = platformOf(name)
		}
	}
	c.DataSources = append(c.DataSources, ds)
}

// platformOf names the platform of an add-on: "Splunk Add-on for AWS" is
// AWS.
func platformOf(ta string) string {
	if i := strings.Index(ta, " for "); i >= 0 {
		p := strings.TrimSpace(ta[i+5:])
		if strings.HasPrefix(p, "Amazon Web Services") {
			return "AWS"
		}
		return p
	}
	return ta
}

func (c *Content) loadLookup(file string) {
	n, text, ok := c.readYAML(file)
	if !ok {
		return
	}
	l := &Lookup{Object: c.object(file, n, text)}
	c.Findings = append(c.Findings, checkSchema(file, n, lookupSchema)...)
	l.Filename = str(n, "filename")
	c.Lookups = append(c.Lookups, l)
}

// Story returns a story by name.
func (c *Content) Story(name string) *Story {
	for _, s := range c.Stories {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// DataSource returns a data source by name.
func (c *Content) DataSource(name string) *DataSource {
	for _, ds := range c.DataSources {
		if ds.Name == name {
			return ds
		}
	}
	return nil
}

// YAML node helpers.

// topKey is the value of a top-level key of a parsed YAML document (a
// sidecar's baselines:, kvstore:, iplocation:), nil when the document is
// empty, not a mapping, or lacks the key.
func topKey(doc *yaml.Node, key string) *yaml.Node {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return get(doc.Content[0], key)
}

// get returns the value of key in mapping n. When the key appears more
// than once the last value wins, as in PyYAML, which contentctl uses; the
// schema check reports the duplicate.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v = n.Content[i+1]
		}
	}
	return v
}

func firstOf(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// str is the text of the scalar under key of mapping n, "" when it is
// missing or not a scalar (the schema check reports the wrong type).
func str(n *yaml.Node, key string) string {
	s, _ := scalar(get(n, key))
	return s
}

// isTrue reports whether n is the YAML boolean true (true, True, TRUE:
// the spellings YAML 1.2's core schema and PyYAML share); a quoted
// "true" is a string.
func isTrue(n *yaml.Node) bool {
	s, ok := scalar(n)
	return ok && n.ShortTag() == "!!bool" && strings.EqualFold(s, "true")
}

func scalar(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// stringList reads a list of strings (or a single string as a list of one).
func stringList(n *yaml.Node) []string {
	if s, ok := scalar(n); ok {
		return []string{s}
	}
	var out []string
	for _, item := range seq(n) {
		if s, ok := scalar(item); ok {
			out = append(out, s)
		}
	}
	return out
}
