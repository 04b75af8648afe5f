package datamodel

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
)

// modelJSON is a one-dataset model named name whose root constraint is
// constraint.
func modelJSON(name, constraint string) []byte {
	return fmt.Appendf(nil, `{"modelName": %q, "objects": [{"objectName": "Root", "parentName": "BaseEvent",
  "fields": [{"fieldName": "f", "type": "string"}], "constraints": [{"search": %q}]}]}`, name, constraint)
}

// summary is what a model says, for comparing two loads of it: its origin,
// datasets, constraints and fields.
func summary(m *Model) string {
	if m == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s from %s/%s\n", m.Name, m.App, m.File)
	for _, d := range m.Datasets {
		parent := ""
		if d.Parent != nil {
			parent = d.Parent.Lineage
		}
		fmt.Fprintf(&b, "  %s (parent %q, %d children) %q %q\n", d.Lineage, parent, len(d.Children), d.Constraints, d.FieldNames())
	}
	return b.String()
}

// TestModelByNameSameAsAll: asking an embedded app for one model, which
// reads only the file named after it, gives what reading every file
// gives, and the problems DeferredProblems reports afterwards are those of
// reading every file at once, in the same order.
func TestModelByNameSameAsAll(t *testing.T) {
	builtIn := fstest.MapFS{
		"default/data/models/Small.json":   {Data: []byte(small)},
		"default/data/models/A.json":       {Data: modelJSON("A", "tag=a")},
		"default/data/models/Bad.json":     {Data: []byte("{\n\"modelName\": }")},
		"default/data/models/Off.json":     {Data: modelJSON("Off", "tag=off")},
		"default/data/models/Macro.json":   {Data: modelJSON("Macro", "`nope`")},
		"local/data/models/A.json":         {Data: modelJSON("A", "tag=a_local")},
		"local/data/models/LocalOnly.json": {Data: modelJSON("LocalOnly", "tag=l")},
		"default/macros.conf":              {Data: []byte("[small_indexes]\ndefinition = index=main\n")},
		"default/datamodels.conf":          {Data: []byte("[Off]\ndisabled = true\n")},
	}
	// An embedded app whose file is not named after its model breaks the
	// rule Set relies on (TestEmbeddedFileNames keeps the built-in apps to
	// it): asking for B, whose file defines NotB, reads every file, but a
	// model asked for first, NotB, is looked for only in NotB.json.
	misnamed := fstest.MapFS{
		"default/data/models/B.json":     {Data: modelJSON("NotB", "tag=notb")},
		"default/data/models/Other.json": {Data: modelJSON("B", "tag=b")},
	}
	app := fstest.MapFS{
		"default/data/models/Small.json": {Data: []byte(strings.Replace(small, "tag=small", "tag=other", 1))},
		"default/data/models/Worse.json": {Data: []byte(`{"modelName": "W", "objects": [{"objectName": "A", "parentName": "Nope"}]}`)},
		"default/data/models/Any.json":   {Data: modelJSON("Renamed", "tag=r")},
	}
	embedded := func(fsys fstest.MapFS, name string) conf.App { return conf.App{FS: fsys, Name: name, Embedded: true} }
	names := []string{"Small", "A", "Bad", "Off", "Macro", "LocalOnly", "B", "NotB", "W", "Renamed", "Any", "Missing", "", ".", "..", "a/b", `a\b`, "default/data/models/A", "*", "A.json"}
	for _, c := range []struct {
		name string
		apps []conf.App
		// notFirst are names not asked for first (see misnamed).
		notFirst []string
	}{
		{"built-in only", []conf.App{embedded(builtIn, "(built-in)")}, nil},
		{"built-in then app", []conf.App{embedded(builtIn, "(built-in)"), {FS: app, Name: "app"}}, nil},
		{"app then built-in", []conf.App{{FS: app, Name: "app"}, embedded(builtIn, "(built-in)")}, nil},
		{"misnamed", []conf.App{embedded(builtIn, "(built-in)"), embedded(misnamed, "misnamed")}, []string{"NotB"}},
		{"two embedded, app between", []conf.App{embedded(misnamed, "misnamed"), {FS: app, Name: "app"}, embedded(builtIn, "(built-in)")}, []string{"NotB"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			all := Load(c.apps)
			wantProblems := places(all.DeferredProblems())
			if len(wantProblems) == 0 {
				t.Fatal("the embedded apps have bad files, but reading them all found none")
			}
			for _, name := range names {
				if slices.Contains(c.notFirst, name) {
					continue
				}
				want := summary(all.Model(name))
				// One model asked first, then every other name, then all.
				s := Load(c.apps)
				if got := summary(s.Model(name)); got != want {
					t.Errorf("Model(%q) alone:\n%s\nwant (reading every file):\n%s", name, got, want)
				}
				for _, other := range names {
					if got, want := summary(s.Model(other)), summary(all.Model(other)); got != want {
						t.Errorf("Model(%q) after Model(%q):\n%s\nwant:\n%s", other, name, got, want)
					}
				}
				if diff := cmp.Diff(wantProblems, places(s.DeferredProblems())); diff != "" {
					t.Errorf("deferred problems after Model(%q) (-all at once +by name first):\n%s", name, diff)
				}
				if got := summary(s.Model(name)); got != want {
					t.Errorf("Model(%q) after all are read:\n%s\nwant:\n%s", name, got, want)
				}
			}
		})
	}
}

// TestModelByNameOnlyItsFile: asking for a model reads no other file of
// an embedded app.
func TestModelByNameOnlyItsFile(t *testing.T) {
	fsys := fstest.MapFS{
		"default/data/models/A.json": {Data: modelJSON("A", "tag=a")},
		"default/data/models/B.json": {Data: modelJSON("B", "tag=b")},
	}
	s := Load([]conf.App{{FS: fsys, Name: "(built-in)", Embedded: true}})
	if m := s.Model("A"); m == nil {
		t.Fatal("no model A")
	}
	var read []string
	for p := range s.apps[0].files {
		read = append(read, path.Base(p))
	}
	if strings.Join(read, ",") != "A.json" {
		t.Errorf("asking for A read %v, want only A.json", read)
	}
}

// TestSetConcurrent asks one set for models from many goroutines, as the
// test runner's workers do (go test -race checks it).
func TestSetConcurrent(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 20 {
		name := fmt.Sprintf("M%02d", i)
		fsys["default/data/models/"+name+".json"] = &fstest.MapFile{Data: modelJSON(name, "tag="+name)}
	}
	s := Load([]conf.App{{FS: fsys, Name: "(built-in)", Embedded: true}})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				name := fmt.Sprintf("M%02d", (i+g)%20)
				if m := s.Model(name); m == nil || m.Name != name {
					t.Errorf("Model(%s) = %v", name, m)
				}
				if g == 3 && i == 10 {
					_ = s.DeferredProblems()
				}
			}
		})
	}
	wg.Wait()
	if n := len(s.Models()); n != 20 {
		t.Errorf("%d models, want 20", n)
	}
}

// TestEmbeddedFileNames: every data model file of the built-in apps is
// named after the model it defines, which Set relies on to read only that
// file for a search of that model.
func TestEmbeddedFileNames(t *testing.T) {
	n := 0
	for _, fsys := range detections.Knowledge() {
		app := conf.App{FS: fsys, Name: "(built-in)", Embedded: true}
		for _, name := range appFiles(app) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(data)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if want := strings.TrimSuffix(path.Base(name), ".json"); m.Name != want {
				t.Errorf("%s defines model %s: an embedded app's model file must be named after its model (%s.json)", name, m.Name, m.Name)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("the built-in apps have no data model files")
	}
}
