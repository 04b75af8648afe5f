// Package datamodel reads Splunk data models in Splunk's own format: the
// JSON files of an app's default/data/models/ (and local/data/models/),
// declared in datamodels.conf. A real Common Information Model app
// (Splunk_SA_CIM) loads as it is, and so do the built-in models, which are
// an app folder of the same files (docs/datamodels/).
//
// A model is a tree of datasets. A dataset's events are its parent's
// events that also pass its constraints; its fields are its parent's and
// its own, each named by the dataset's lineage (All_Changes.user,
// All_Changes.Instance_Changes.instance_type), as Splunk's data model
// search and tstats name them ("Design data models", Knowledge Manager
// Manual).
package datamodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// Model is one data model.
type Model struct {
	Name        string
	DisplayName string
	Description string
	// Datasets in definition order, parents before their children.
	Datasets []*Dataset
	// App and File say where the model was read from.
	App, File string
}

// Dataset is one dataset (object) of a model.
type Dataset struct {
	Name        string
	DisplayName string
	// Parent is nil for a root dataset (parentName BaseEvent).
	Parent   *Dataset
	Children []*Dataset
	// Lineage is the dataset's path from its root, dot-separated: the
	// prefix of its fields' names and the value nodename selects by.
	Lineage string
	// Constraints are search-language texts, macros expanded; an event of
	// the parent belongs to the dataset when it passes them all.
	Constraints []string
	// Fields are the dataset's own extracted fields, in order.
	Fields []Field
	// Calcs are the dataset's own calculated fields, evaluated in order
	// after its constraints.
	Calcs []Calc
	// Tags are the tags the definition's comment lists (documentation).
	Tags []string
}

// Field is one field of a dataset.
type Field struct {
	Name       string
	Type       string // string, number, boolean, ipv4, ...
	Multivalue bool
	Required   bool // events lacking it are not in the dataset
	Hidden     bool
	// Recommended marks a field the CIM asks add-ons to fill
	// (documentation: it does not select events).
	Recommended bool
	Description string
	// Expected lists the values the model prescribes, if any.
	Expected []string
}

// Calc is one calculated field definition.
type Calc struct {
	ID   string
	Type string // Eval (the only type the evaluator runs), Lookup, Rex, GeoIP
	// Expression is the eval expression (Eval) or regular expression (Rex).
	Expression string
	// InputField is the field a Rex or GeoIP calculation reads.
	InputField string
	Outputs    []Field
}

// baseFields are the fields every event dataset inherits from BaseEvent;
// searches name them without a prefix.
var baseFields = []string{"_time", "host", "source", "sourcetype"}

// BaseFields returns the fields a root event dataset inherits from
// BaseEvent (_time, host, source, sourcetype).
func BaseFields() []string { return append([]string(nil), baseFields...) }

// Roots are the model's root datasets.
func (m *Model) Roots() []*Dataset {
	var out []*Dataset
	for _, d := range m.Datasets {
		if d.Parent == nil {
			out = append(out, d)
		}
	}
	return out
}

// Dataset finds a dataset by its name, or by its lineage
// (All_Changes.Account_Management); nil when there is none.
func (m *Model) Dataset(name string) *Dataset {
	for _, d := range m.Datasets {
		if d.Name == name || d.Lineage == name {
			return d
		}
	}
	return nil
}

// FieldNames are the dataset's fields, own and inherited, each once, by
// their qualified names (All_Changes.user), ancestors' first.
func (d *Dataset) FieldNames() []string {
	var chain []*Dataset
	for x := d; x != nil; x = x.Parent {
		chain = append([]*Dataset{x}, chain...)
	}
	seen := map[string]bool{}
	var out []string
	for _, x := range chain {
		for _, f := range x.OwnFields() {
			q := x.Lineage + "." + f
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	return out
}

// OwnFields are the names of the dataset's own fields: extracted, then
// calculated, each once.
func (d *Dataset) OwnFields() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, f := range d.Fields {
		add(f.Name)
	}
	for _, c := range d.Calcs {
		for _, f := range c.Outputs {
			add(f.Name)
		}
	}
	return out
}

// HasField reports whether a qualified field name (All_Changes.user,
// All_Changes.Instance_Changes.instance_type) is a field of some dataset
// of the model, or a BaseEvent field.
func (m *Model) HasField(name string) bool {
	for _, b := range baseFields {
		if name == b {
			return true
		}
	}
	for _, d := range m.Datasets {
		if !strings.HasPrefix(name, d.Lineage+".") {
			continue
		}
		rest := name[len(d.Lineage)+1:]
		for _, f := range d.OwnFields() {
			if f == rest {
				return true
			}
		}
		for _, b := range baseFields {
			if rest == b {
				return true
			}
		}
	}
	return false
}

// splunkModels are the data models Splunk's own apps define: the Common
// Information Model's ("Overview of the Splunk Common Information Model",
// CIM manual) and Enterprise Security's. A search that reads one of them
// is valid Splunk even when no loaded app defines it.
var splunkModels = map[string]string{
	"Alerts": "CIM", "Application_State": "CIM", "Authentication": "CIM", "Certificates": "CIM",
	"Change": "CIM", "Change_Analysis": "CIM", "Compute_Inventory": "CIM", "Data_Access": "CIM",
	"Databases": "CIM", "DLP": "CIM", "Email": "CIM", "Endpoint": "CIM", "Event_Signatures": "CIM",
	"Interprocess_Messaging": "CIM", "Intrusion_Detection": "CIM", "JVM": "CIM", "Malware": "CIM",
	"Network_Resolution": "CIM", "Network_Sessions": "CIM", "Network_Traffic": "CIM",
	"Performance": "CIM", "Splunk_Audit": "CIM", "Splunk_CIM_Validation": "CIM",
	"Ticket_Management": "CIM", "Updates": "CIM", "Vulnerabilities": "CIM", "Web": "CIM",
	"Risk": "Enterprise Security", "Threat_Intelligence": "Enterprise Security",
	"Incident_Management": "Enterprise Security", "Identity_Management": "Enterprise Security",
	"Domain_Analysis": "Enterprise Security", "Assets_And_Identities": "Enterprise Security",
}

// Provider names the Splunk product that defines a data model of that
// name ("CIM", "Enterprise Security"), "" for a name no Splunk app
// defines.
func Provider(name string) string { return splunkModels[name] }

// Set is the data models of a run: the built-in ones and those of the
// --app folders, a later app's model replacing an earlier one of the same
// name (as a later app's configuration wins in Splunk).
//
// The models of an app marked conf.App.Embedded (the built-in CIM models,
// fixed when the binary is built and checked by the tests) are read only
// when something asks the set for a model, and then only the file of that
// model (default/ and local/data/models/<Model>.json: an embedded app
// names each file after its model, which TestEmbeddedFileNames checks):
// parsing the sixteen built-in files was two thirds of a short search's
// start-up, for the many searches that read no data model, and a tenth of
// a run of ESCU's CloudTrail searches, two of which read one model each.
// Any other app's model files are read by Load, so that a broken file in
// an --app folder is reported by every command, whether or not its search
// reads a data model (docs/datamodels/README.md, "When models are read").
//
// A Set is safe for concurrent use.
type Set struct {
	// Problems found while loading the apps Load reads: files that do not
	// read as data models. The models that could load still apply.
	// DeferredProblems has those of the embedded apps' files.
	Problems []error

	apps   []appModels
	macros *macro.Set
	dmConf *conf.File

	mu sync.Mutex
	// all says every app's files have been read and models holds the
	// merged models; until then named holds the models asked for by name
	// (nil for a name no app defines).
	all      bool
	models   map[string]*Model
	named    map[string]*Model
	deferred []error
}

// modelDirs are the folders of an app that hold data model files, in the
// order they are read (local/ over default/).
var modelDirs = []string{"default/data/models", "local/data/models"}

// appModels are the models of one app, in file order; read says whether
// its files have been read. files holds an embedded app's files read so
// far, by path.
type appModels struct {
	app    conf.App
	read   bool
	models []*Model
	files  map[string]fileModel
}

// fileModel is what one data model file gave: its model (nil for a file
// that does not load, or a disabled model) and its problem.
type fileModel struct {
	model   *Model
	problem error
}

// loadAll reads the embedded apps' files not yet read, decoding them in
// parallel, and merges every app's models in app order. s.mu is held.
func (s *Set) loadAll() {
	if s.all {
		return
	}
	s.models = map[string]*Model{}
	for i := range s.apps {
		a := &s.apps[i]
		if !a.read {
			names := appFiles(a.app)
			files := make([]fileModel, len(names))
			parallel(len(names), func(j int) {
				if f, ok := a.files[names[j]]; ok {
					files[j] = f
					return
				}
				files[j] = readFile(a.app, names[j], s.dmConf, s.macros)
			})
			for _, f := range files {
				if f.problem != nil {
					s.deferred = append(s.deferred, f.problem)
				}
				if f.model != nil {
					a.models = append(a.models, f.model)
				}
			}
			a.read, a.files = true, nil
		}
		for _, m := range a.models {
			s.models[m.Name] = m
		}
	}
	s.all, s.named = true, nil
}

// parallel calls f(0) ... f(n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// model finds the model of that name as loadAll would merge it, reading
// of the embedded apps only the files named after it. s.mu is held.
func (s *Set) model(name string) *Model {
	if s.all {
		return s.models[name]
	}
	if m, ok := s.named[name]; ok {
		return m
	}
	if name == "" || strings.ContainsAny(name, `/\`) || !fs.ValidPath(name+".json") {
		s.loadAll()
		return s.models[name]
	}
	var found *Model
	for i := range s.apps {
		a := &s.apps[i]
		if a.read {
			for _, m := range a.models {
				if m.Name == name {
					found = m
				}
			}
			continue
		}
		for _, dir := range modelDirs {
			p := dir + "/" + name + ".json"
			if _, err := fs.Stat(a.app.FS, p); err != nil {
				continue
			}
			f, ok := a.files[p]
			if !ok {
				f = readFile(a.app, p, s.dmConf, s.macros)
				if a.files == nil {
					a.files = map[string]fileModel{}
				}
				a.files[p] = f
			}
			switch {
			case f.model == nil:
			case f.model.Name != name:
				// Not named after its model after all: read them all.
				s.loadAll()
				return s.models[name]
			default:
				found = f.model
			}
		}
	}
	if s.named == nil {
		s.named = map[string]*Model{}
	}
	s.named[name] = found
	return found
}

// DeferredProblems reads the models of the embedded apps, if no search
// has yet, and returns the problems of their files (validate reports
// them; the built-in models' test keeps them empty).
func (s *Set) DeferredProblems() []error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadAll()
	return s.deferred
}

// Model returns the model of that name (case-sensitive, as Splunk's are),
// nil when there is none.
func (s *Set) Model(name string) *Model {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model(name)
}

// Models lists the models by name.
func (s *Set) Models() []*Model {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	s.loadAll()
	out := make([]*Model, 0, len(s.models))
	for _, m := range s.models {
		out = append(out, m)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Load reads the data models of apps, in order: each app's
// default/data/models/*.json then local/data/models/*.json. A model whose
// datamodels.conf stanza sets disabled = true is left out. Constraint
// searches have their macros expanded with the macros.conf of all apps
// (a real CIM app's `cim_<Model>_indexes`). The files of an embedded app
// are read when the set is first asked for a model (Set).
func Load(apps []conf.App) *Set {
	s := &Set{macros: macro.NewSet()}
	// The macros' problems are the knowledge's to report (it reads the
	// same files); the macros that load serve here.
	if f, _ := conf.Load(apps, "macros.conf"); f != nil {
		s.macros.AddConf(f)
	}
	var errs []error
	s.dmConf, errs = conf.Load(apps, "datamodels.conf")
	s.Problems = append(s.Problems, errs...)
	for _, app := range apps {
		a := appModels{app: app}
		if !app.Embedded {
			for _, name := range appFiles(app) {
				f := readFile(app, name, s.dmConf, s.macros)
				if f.problem != nil {
					s.Problems = append(s.Problems, f.problem)
				}
				if f.model != nil {
					a.models = append(a.models, f.model)
				}
			}
			a.read = true
		}
		s.apps = append(s.apps, a)
	}
	return s
}

// appFiles lists the model files of one app, in the order they are read.
func appFiles(app conf.App) []string {
	var out []string
	for _, dir := range modelDirs {
		names, err := fs.Glob(app.FS, dir+"/*.json")
		if err != nil {
			continue
		}
		sort.Strings(names)
		out = append(out, names...)
	}
	return out
}

// readFile reads one model file of an app. A disabled model gives no
// model and no problem.
func readFile(app conf.App, name string, dmConf *conf.File, macros *macro.Set) fileModel {
	data, err := fs.ReadFile(app.FS, name)
	if err != nil {
		return fileModel{problem: &conf.Error{File: app.Name + "/" + name, Line: 1, Msg: err.Error()}}
	}
	m, err := parseCached(data)
	if err != nil {
		line := 1
		var se *json.SyntaxError
		if errors.As(err, &se) && int(se.Offset) <= len(data) {
			line += bytes.Count(data[:se.Offset], []byte("\n"))
		}
		return fileModel{problem: &conf.Error{File: app.Name + "/" + name, Line: line, Msg: err.Error()}}
	}
	m.App, m.File = app.Name, name
	if st := dmConf.Stanza(m.Name); st != nil {
		if v, ok := st.Get("disabled"); ok && isTrue(v) {
			return fileModel{}
		}
	}
	if err := m.expandMacros(macros); err != nil {
		return fileModel{problem: &conf.Error{File: app.Name + "/" + name, Line: 1, Msg: err.Error()}}
	}
	return fileModel{model: m}
}

// parsed holds the models this process has parsed, by their file's
// content, so that each Load of the same files (every run's Env reads the
// built-in models; the tests make hundreds of Envs) clones them instead
// of decoding the JSON again: decoding was a third of the CLI tests' CPU.
// Only the first maxParsed distinct files are kept, so a long-lived
// process reading many apps does not grow without bound; 64 holds the
// built-in models and a few CIM apps.
var (
	parsedMu sync.Mutex
	parsed   = map[string]*Model{}
)

const maxParsed = 64

// parseCached is Parse of data through the parsed cache; the model it
// returns is the caller's own.
func parseCached(data []byte) (*Model, error) {
	parsedMu.Lock()
	m, ok := parsed[string(data)]
	parsedMu.Unlock()
	if ok {
		return m.clone(), nil
	}
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	parsedMu.Lock()
	if len(parsed) < maxParsed {
		parsed[string(data)] = m.clone()
	}
	parsedMu.Unlock()
	return m, nil
}

// clone copies a model deeply enough for Load to set its app and expand
// its constraints' macros: the datasets and their constraints are new,
// fields and calculations (never changed after Parse) are shared.
func (m *Model) clone() *Model {
	c := *m
	c.Datasets = make([]*Dataset, len(m.Datasets))
	copies := make(map[*Dataset]*Dataset, len(m.Datasets))
	for i, d := range m.Datasets {
		nd := *d
		nd.Constraints = append([]string(nil), d.Constraints...)
		nd.Children = nil
		if d.Parent != nil {
			nd.Parent = copies[d.Parent]
			nd.Parent.Children = append(nd.Parent.Children, &nd)
		}
		copies[d] = &nd
		c.Datasets[i] = &nd
	}
	return &c
}

func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "t", "yes", "y":
		return true
	}
	return false
}

// expandMacros expands the macro calls of the constraint searches.
func (m *Model) expandMacros(set *macro.Set) error {
	for _, d := range m.Datasets {
		for i, c := range d.Constraints {
			if !strings.Contains(c, "`") {
				continue
			}
			exp, err := macro.Expand(diag.NewSource(m.Name+"."+d.Name, c), set, macro.Options{})
			if err != nil {
				return fmt.Errorf("dataset %s: constraint %q: %v", d.Name, c, err)
			}
			d.Constraints[i] = exp.Text
		}
	}
	return nil
}

// The JSON of a data model file, as Splunk writes it.
type jsonModel struct {
	ModelName   string       `json:"modelName"`
	DisplayName string       `json:"displayName"`
	Description string       `json:"description"`
	Objects     []jsonObject `json:"objects"`
}

type jsonObject struct {
	ObjectName   string           `json:"objectName"`
	DisplayName  string           `json:"displayName"`
	ParentName   string           `json:"parentName"`
	Comment      json.RawMessage  `json:"comment"`
	Fields       []jsonField      `json:"fields"`
	Calculations []jsonCalc       `json:"calculations"`
	Constraints  []jsonConstraint `json:"constraints"`
	BaseSearch   string           `json:"baseSearch"`
}

type jsonField struct {
	FieldName   string          `json:"fieldName"`
	Type        string          `json:"type"`
	Required    bool            `json:"required"`
	Multivalue  bool            `json:"multivalue"`
	Hidden      bool            `json:"hidden"`
	FieldSearch string          `json:"fieldSearch"`
	Comment     json.RawMessage `json:"comment"`
}

type jsonCalc struct {
	CalculationID   string      `json:"calculationID"`
	CalculationType string      `json:"calculationType"`
	Expression      string      `json:"expression"`
	InputField      string      `json:"inputField"`
	OutputFields    []jsonField `json:"outputFields"`
}

type jsonConstraint struct {
	Search string `json:"search"`
}

// jsonComment is the comment object the CIM puts on datasets and fields.
type jsonComment struct {
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Expected    []string `json:"expected_values"`
	Recommended bool     `json:"recommended"`
}

func comment(raw json.RawMessage) jsonComment {
	var c jsonComment
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &c) // a comment is documentation: a bad one is no comment
	}
	return c
}

// Parse reads one data model file.
func Parse(data []byte) (*Model, error) {
	var jm jsonModel
	if err := json.Unmarshal(data, &jm); err != nil {
		return nil, fmt.Errorf("not a data model: %w", err)
	}
	if jm.ModelName == "" {
		return nil, fmt.Errorf("not a data model: no modelName")
	}
	m := &Model{Name: jm.ModelName, DisplayName: jm.DisplayName, Description: jm.Description}
	byName := map[string]*Dataset{}
	pending := append([]jsonObject(nil), jm.Objects...)
	// Parents come first in Splunk's files; a child listed before its
	// parent is placed once its parent is.
	for len(pending) > 0 {
		progress := false
		var rest []jsonObject
		for _, o := range pending {
			var parent *Dataset
			switch o.ParentName {
			case "BaseEvent", "":
			case "BaseSearch", "BaseTransaction", "BaseInterface":
				return nil, fmt.Errorf("dataset %s: a %s dataset is not supported by the evaluator (only event datasets)", o.ObjectName, o.ParentName)
			default:
				p, ok := byName[o.ParentName]
				if !ok {
					rest = append(rest, o)
					continue
				}
				parent = p
			}
			d, err := newDataset(o, parent)
			if err != nil {
				return nil, err
			}
			if byName[d.Name] != nil {
				return nil, fmt.Errorf("dataset %s is defined twice", d.Name)
			}
			byName[d.Name] = d
			m.Datasets = append(m.Datasets, d)
			progress = true
		}
		if !progress {
			return nil, fmt.Errorf("dataset %s: parent %s is not defined", rest[0].ObjectName, rest[0].ParentName)
		}
		pending = rest
	}
	return m, nil
}

func newDataset(o jsonObject, parent *Dataset) (*Dataset, error) {
	if o.ObjectName == "" {
		return nil, fmt.Errorf("a dataset has no objectName")
	}
	d := &Dataset{Name: o.ObjectName, DisplayName: o.DisplayName, Parent: parent, Lineage: o.ObjectName, Tags: comment(o.Comment).Tags}
	if parent != nil {
		d.Lineage = parent.Lineage + "." + o.ObjectName
		parent.Children = append(parent.Children, d)
	}
	for _, c := range o.Constraints {
		if s := strings.TrimSpace(c.Search); s != "" {
			d.Constraints = append(d.Constraints, s)
		}
	}
	for _, f := range o.Fields {
		fd, err := newField(f)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %v", d.Name, err)
		}
		d.Fields = append(d.Fields, fd)
	}
	for _, c := range o.Calculations {
		calc := Calc{ID: c.CalculationID, Type: c.CalculationType, Expression: c.Expression, InputField: c.InputField}
		for _, f := range c.OutputFields {
			fd, err := newField(f)
			if err != nil {
				return nil, fmt.Errorf("dataset %s: calculation %s: %v", d.Name, c.CalculationID, err)
			}
			calc.Outputs = append(calc.Outputs, fd)
		}
		d.Calcs = append(d.Calcs, calc)
	}
	return d, nil
}

func newField(f jsonField) (Field, error) {
	if f.FieldName == "" {
		return Field{}, fmt.Errorf("a field has no fieldName")
	}
	if strings.TrimSpace(f.FieldSearch) != "" {
		return Field{}, fmt.Errorf("field %s: a fieldSearch is not supported by the evaluator", f.FieldName)
	}
	c := comment(f.Comment)
	return Field{Name: f.FieldName, Type: f.Type, Multivalue: f.Multivalue, Required: f.Required, Hidden: f.Hidden, Description: c.Description, Expected: c.Expected, Recommended: c.Recommended}, nil
}

// Names lists the model names in order, for messages.
func (s *Set) Names() []string {
	var out []string
	for _, m := range s.Models() {
		out = append(out, m.Name)
	}
	return out
}

// Path splits a dataset reference such as "Change.All_Changes" or
// "Change" into the model and dataset parts.
func Path(ref string) (model, dataset string) {
	ref = strings.Trim(ref, `"`)
	if i := strings.IndexByte(ref, '.'); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}
