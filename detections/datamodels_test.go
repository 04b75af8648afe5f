package detections_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
)

var update = flag.Bool("update", false, "rewrite the generated docs/datamodels pages")

// builtinModels loads the built-in data models, as every run does.
func builtinModels(t *testing.T) *datamodel.Set {
	t.Helper()
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "(built-in)"})
	}
	s := datamodel.Load(apps)
	if len(s.Problems) > 0 {
		t.Fatalf("loading the built-in models: %v", s.Problems)
	}
	return s
}

// TestDataModelDocs: docs/datamodels/<Model>.md is generated from each
// built-in model's definition; a page that differs is stale.
func TestDataModelDocs(t *testing.T) {
	s := builtinModels(t)
	if len(s.Models()) == 0 {
		t.Fatal("no built-in data models")
	}
	for _, m := range s.Models() {
		path := filepath.Join("..", "docs", "datamodels", m.Name+".md")
		want := datamodel.Doc(m)
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./detections -run TestDataModelDocs -update writes it)", err)
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("%s is stale (-generated +file; go test ./detections -run TestDataModelDocs -update rewrites it):\n%s", path, diff)
		}
	}
}

// TestBuiltinModels checks the built-ins against the CIM documentation's
// dataset trees and the fields ESCU's detections name ("Change" and
// "Authentication", Common Information Model Add-on Manual).
func TestBuiltinModels(t *testing.T) {
	s := builtinModels(t)
	for _, c := range []struct {
		model    string
		datasets []string
		fields   []string
	}{
		{"Change",
			[]string{"All_Changes", "All_Changes.Auditing_Changes", "All_Changes.Endpoint_Changes", "All_Changes.Network_Changes",
				"All_Changes.Account_Management", "All_Changes.Account_Management.Accounts_Created", "All_Changes.Instance_Changes"},
			[]string{"All_Changes.action", "All_Changes.status", "All_Changes.user", "All_Changes.src", "All_Changes.command",
				"All_Changes.object_id", "All_Changes.object", "All_Changes.object_category", "All_Changes.change_type",
				"All_Changes.vendor_region", "All_Changes.Instance_Changes.instance_type", "All_Changes.Account_Management.src_user", "_time"}},
		{"Authentication",
			[]string{"Authentication", "Authentication.Default_Authentication", "Authentication.Failed_Authentication",
				"Authentication.Successful_Authentication", "Authentication.Privileged_Authentication", "Authentication.Insecure_Authentication"},
			[]string{"Authentication.action", "Authentication.app", "Authentication.signature", "Authentication.user",
				"Authentication.src", "Authentication.dest", "Authentication.user_id", "Authentication.user_role",
				"Authentication.vendor_account", "Authentication.user_agent"}},
	} {
		m := s.Model(c.model)
		if m == nil {
			t.Errorf("no built-in %s model", c.model)
			continue
		}
		for _, d := range c.datasets {
			if m.Dataset(d) == nil {
				t.Errorf("%s has no dataset %s", c.model, d)
			}
		}
		for _, f := range c.fields {
			if !m.HasField(f) {
				t.Errorf("%s does not define %s", c.model, f)
			}
		}
		if m.HasField(m.Roots()[0].Lineage + ".no_such_field") {
			t.Errorf("%s defines a field it should not", c.model)
		}
	}
}
