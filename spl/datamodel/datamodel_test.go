package datamodel

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/conf"
)

// small is a model in Splunk's format: a root with a macro in its
// constraint, a child listed before its parent, a calculated field.
const small = `{
  "modelName": "Small",
  "objects": [
    {"objectName": "Child", "parentName": "Root", "fields": [{"fieldName": "c", "type": "string"}],
     "constraints": [{"search": "tag=child"}], "calculations": []},
    {"objectName": "Root", "parentName": "BaseEvent", "comment": {"tags": ["small"]},
     "fields": [{"fieldName": "a", "type": "string", "required": true, "comment": {"description": "A.", "recommended": true}}],
     "calculations": [{"calculationID": "x", "calculationType": "Eval", "expression": "coalesce(b, \"none\")",
       "outputFields": [{"fieldName": "b", "type": "string"}]}],
     "constraints": [{"search": "(` + "`small_indexes`" + `) tag=small"}]}
  ]
}`

func TestParse(t *testing.T) {
	m, err := Parse([]byte(small))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Datasets) != 2 || m.Datasets[0].Name != "Root" || m.Datasets[1].Lineage != "Root.Child" {
		t.Fatalf("datasets not placed parents first: %+v", m.Datasets)
	}
	root := m.Roots()[0]
	if got := strings.Join(root.OwnFields(), ","); got != "a,b" {
		t.Errorf("root fields %s, want a,b", got)
	}
	if got := strings.Join(m.Dataset("Child").FieldNames(), ","); got != "Root.a,Root.b,Root.Child.c" {
		t.Errorf("child fields %s", got)
	}
	for name, want := range map[string]bool{"Root.a": true, "Root.b": true, "Root.Child.c": true, "Root.c": false, "Root.Child.a": false, "_time": true, "Root.zz": false} {
		if got := m.HasField(name); got != want {
			t.Errorf("HasField(%s) = %v, want %v", name, got, want)
		}
	}
	if m.Dataset("Root.Child") == nil || m.Dataset("Nope") != nil {
		t.Error("Dataset does not find by lineage, or finds what is not there")
	}
	if !root.Fields[0].Required || !root.Fields[0].Recommended || root.Tags[0] != "small" {
		t.Errorf("root: %+v", root)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`not json`, "not a data model"},
		{`{"objects": []}`, "no modelName"},
		{`{"modelName": "M", "objects": [{"objectName": "A", "parentName": "Nope"}]}`, "parent Nope is not defined"},
		{`{"modelName": "M", "objects": [{"objectName": "A", "parentName": "BaseEvent"}, {"objectName": "A", "parentName": "BaseEvent"}]}`, "defined twice"},
		{`{"modelName": "M", "objects": [{"objectName": "A", "parentName": "BaseSearch"}]}`, "BaseSearch dataset is not supported"},
		{`{"modelName": "M", "objects": [{"parentName": "BaseEvent"}]}`, "no objectName"},
		{`{"modelName": "M", "objects": [{"objectName": "A", "parentName": "BaseEvent", "fields": [{"fieldName": "f", "fieldSearch": "f=1"}]}]}`, "fieldSearch is not supported"},
	} {
		_, err := Parse([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.json, err, c.want)
		}
	}
}

// TestLoadEmbedded: an embedded app's model files are read when the set
// is first asked for a model, an --app folder's by Load (so that its
// broken file is reported by every command); app order still decides
// which of two models of one name applies, and the embedded apps' problems
// are DeferredProblems'.
func TestLoadEmbedded(t *testing.T) {
	builtIn := fstest.MapFS{
		"default/data/models/Small.json": {Data: []byte(small)},
		"default/data/models/Bad.json":   {Data: []byte("{\n\"modelName\": }")},
		"default/macros.conf":            {Data: []byte("[small_indexes]\ndefinition = index=main\n")},
	}
	app := fstest.MapFS{
		"default/data/models/Small.json": {Data: []byte(strings.Replace(small, "tag=small", "tag=other", 1))},
		"default/data/models/Worse.json": {Data: []byte(`{"modelName": "W", "objects": [{"objectName": "A", "parentName": "Nope"}]}`)},
	}
	for _, c := range []struct {
		name       string
		apps       []conf.App
		problems   []string // at Load
		deferred   []string
		smallFrom  string
		constraint string
	}{
		{"built-in only", []conf.App{{FS: builtIn, Name: "(built-in)", Embedded: true}},
			nil, []string{"(built-in)/default/data/models/Bad.json:2"}, "(built-in)", "(index=main) tag=small"},
		{"built-in then app", []conf.App{{FS: builtIn, Name: "(built-in)", Embedded: true}, {FS: app, Name: "app"}},
			[]string{"app/default/data/models/Worse.json:1"}, []string{"(built-in)/default/data/models/Bad.json:2"}, "app", "(index=main) tag=other"},
		{"app then built-in", []conf.App{{FS: app, Name: "app"}, {FS: builtIn, Name: "(built-in)", Embedded: true}},
			[]string{"app/default/data/models/Worse.json:1"}, []string{"(built-in)/default/data/models/Bad.json:2"}, "(built-in)", "(index=main) tag=small"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Load(c.apps)
			if got := places(s.Problems); strings.Join(got, " ") != strings.Join(c.problems, " ") {
				t.Errorf("problems at Load %v, want %v", got, c.problems)
			}
			for _, a := range s.apps {
				if a.read == a.app.Embedded {
					t.Errorf("app %s: read by Load %v, want %v", a.app.Name, a.read, !a.app.Embedded)
				}
			}
			m := s.Model("Small")
			if m == nil || m.App != c.smallFrom || m.Roots()[0].Constraints[0] != c.constraint {
				t.Fatalf("Small: %+v, want from %s with constraint %q", m, c.smallFrom, c.constraint)
			}
			if got := places(s.DeferredProblems()); strings.Join(got, " ") != strings.Join(c.deferred, " ") {
				t.Errorf("deferred problems %v, want %v", got, c.deferred)
			}
		})
	}
}

// places names each problem by file:line.
func places(errs []error) []string {
	var out []string
	for _, err := range errs {
		ce, ok := err.(*conf.Error)
		if !ok {
			out = append(out, err.Error())
			continue
		}
		out = append(out, fmt.Sprintf("%s:%d", ce.File, ce.Line))
	}
	return out
}

// TestLoad: models come from default/ and local/ of each app, later apps
// replace earlier models, macros in constraints expand, and a disabled
// model is left out ("datamodels.conf", Admin Manual).
func TestLoad(t *testing.T) {
	first := fstest.MapFS{
		"default/data/models/Small.json": {Data: []byte(small)},
		"default/macros.conf":            {Data: []byte("[small_indexes]\ndefinition = index=main\n")},
		"default/data/models/Off.json":   {Data: []byte(`{"modelName": "Off", "objects": []}`)},
		"default/datamodels.conf":        {Data: []byte("[Off]\ndisabled = true\n")},
		"default/data/models/Bad.json":   {Data: []byte(`{`)},
	}
	second := fstest.MapFS{
		"local/data/models/Small.json": {Data: []byte(strings.Replace(small, "tag=small", "tag=other", 1))},
	}
	s := Load([]conf.App{{FS: first, Name: "one"}, {FS: second, Name: "two"}})
	if len(s.Problems) != 1 {
		t.Fatalf("problems: %v, want one for Bad.json", s.Problems)
	}
	if ce, ok := s.Problems[0].(*conf.Error); !ok || ce.File != "one/default/data/models/Bad.json" || ce.Line != 1 {
		t.Errorf("problem %#v, want a conf.Error at one/default/data/models/Bad.json:1", s.Problems[0])
	}
	if got := strings.Join(s.Names(), ","); got != "Small" {
		t.Fatalf("models %s, want Small (Off is disabled)", got)
	}
	m := s.Model("Small")
	if m.App != "two" || m.Roots()[0].Constraints[0] != "(index=main) tag=other" {
		t.Errorf("model from %s with constraint %q", m.App, m.Roots()[0].Constraints[0])
	}
	var nilSet *Set
	if nilSet.Model("x") != nil || nilSet.Models() != nil {
		t.Error("a nil set has models")
	}
}

func TestPath(t *testing.T) {
	for in, want := range map[string][2]string{"Change": {"Change", ""}, "Change.All_Changes": {"Change", "All_Changes"}, `"Risk.All_Risk"`: {"Risk", "All_Risk"}} {
		m, d := Path(in)
		if m != want[0] || d != want[1] {
			t.Errorf("Path(%s) = %s, %s", in, m, d)
		}
	}
}

// FuzzParse: a data model file is untrusted text; Parse never panics, and
// what it accepts has every dataset's parent placed before it.
func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte(`{"modelName": "M", "objects": [{"objectName": "A", "parentName": "B"}, {"objectName": "B", "parentName": "A"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		seen := map[*Dataset]bool{}
		for _, d := range m.Datasets {
			if d.Parent != nil && !seen[d.Parent] {
				t.Fatalf("dataset %s before its parent", d.Name)
			}
			seen[d] = true
			_ = Doc(m)
		}
	})
}

func TestProvider(t *testing.T) {
	for name, want := range map[string]string{"Endpoint": "CIM", "Risk": "Enterprise Security", "Chnage": "", "change": ""} {
		if got := Provider(name); got != want {
			t.Errorf("Provider(%s) = %q, want %q", name, got, want)
		}
	}
}

// TestLoadAgain: a model file loaded again (from the parsed cache) is a
// model of its own: its constraints expand with this load's macros, and
// its datasets link to each other, not to the first load's.
func TestLoadAgain(t *testing.T) {
	load := func(def string) *Model {
		s := Load([]conf.App{{FS: fstest.MapFS{
			"default/data/models/Small.json": {Data: []byte(small)},
			"default/macros.conf":            {Data: []byte("[small_indexes]\ndefinition = " + def + "\n")},
		}, Name: "app"}})
		if len(s.Problems) > 0 {
			t.Fatal(s.Problems)
		}
		return s.Model("Small")
	}
	first, second := load("index=one"), load("index=two")
	if got := first.Roots()[0].Constraints[0]; got != "(index=one) tag=small" {
		t.Errorf("first load's constraint %q", got)
	}
	if got := second.Roots()[0].Constraints[0]; got != "(index=two) tag=small" {
		t.Errorf("second load's constraint %q", got)
	}
	for _, m := range []*Model{first, second} {
		root, child := m.Dataset("Root"), m.Dataset("Child")
		if child.Parent != root || len(root.Children) != 1 || root.Children[0] != child {
			t.Errorf("datasets of one load link across loads: %p %p %v", child.Parent, root, root.Children)
		}
	}
	if first.Dataset("Root") == second.Dataset("Root") {
		t.Error("two loads share a dataset")
	}
}

// TestLoadKeepsEarlierModel: a later app's model that does not load (the
// real CIM add-on's Endpoint, whose datasets are search datasets) is a
// problem, and the earlier app's model of that name stays
// (docs/datamodels/README.md).
func TestLoadKeepsEarlierModel(t *testing.T) {
	builtin := fstest.MapFS{
		"default/data/models/Small.json": {Data: []byte(small)},
		"default/macros.conf":            {Data: []byte("[small_indexes]\ndefinition = ()\n")},
	}
	cim := fstest.MapFS{"default/data/models/Small.json": {Data: []byte(
		`{"modelName": "Small", "objects": [{"objectName": "Root", "parentName": "BaseSearch", "baseSearch": "tag=small | mvexpand x"}]}`)}}
	s := Load([]conf.App{{FS: builtin, Name: "builtin"}, {FS: cim, Name: "Splunk_SA_CIM"}})
	if len(s.Problems) != 1 || !strings.Contains(s.Problems[0].Error(), "BaseSearch dataset is not supported") {
		t.Fatalf("problems %v, want one for the search dataset", s.Problems)
	}
	if m := s.Model("Small"); m == nil || m.App != "builtin" {
		t.Errorf("model %+v, want the built-in one", m)
	}
}
