package detections_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/testenv"
)

// ownFiles are our rewrites of ESCU files; each sits at the same relative path
// in a security_content checkout.
var ownFiles = []string{
	"detections/cloud/aws_bedrock_delete_guardrails.yml",
	"detections/cloud/aws_bedrock_delete_knowledge_base.yml",
	"detections/cloud/aws_bedrock_delete_model_invocation_logging_configuration.yml",
	"detections/cloud/aws_bedrock_high_number_list_foundation_model_failures.yml",
	"detections/cloud/aws_bedrock_invoke_model_access_denied.yml",
	"stories/aws_bedrock_security.yml",
	"data_sources/aws_cloudtrail.yml",
	"data_sources/aws_cloudtrail_deleteguardrail.yml",
	"data_sources/aws_cloudtrail_deleteknowledgebase.yml",
	"data_sources/aws_cloudtrail_deletemodelinvocationloggingconfiguration.yml",
}

// proseKeys are written in our own words and must differ from the originals.
var proseKeys = []string{"description", "narrative", "how_to_implement", "known_false_positives"}

// mitreOverride is the one deliberate change of fact: the story page maps
// Delete GuardRails to T1562.008 (Disable or Modify Cloud Logs).
var mitreOverride = map[string]struct{ want, orig []any }{
	"detections/cloud/aws_bedrock_delete_guardrails.yml": {want: []any{"T1562.008"}, orig: []any{"T1685.002"}},
}

func load(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestContentMatchesESCU: our files state the same facts as the ESCU
// files they rewrite (SPLHARNESS_ESCU), in our own words.
func TestContentMatchesESCU(t *testing.T) {
	escuRoot := testenv.ESCU(t)
	for _, rel := range ownFiles {
		t.Run(rel, func(t *testing.T) {
			own := load(t, filepath.FromSlash(rel))
			orig := load(t, filepath.Join(escuRoot, filepath.FromSlash(rel)))

			if diff := cmp.Diff(sortedKeys(orig), sortedKeys(own)); diff != "" {
				t.Errorf("key sets differ (-orig +own):\n%s", diff)
			}
			for _, k := range proseKeys {
				o, inOrig := orig[k]
				n, inOwn := own[k]
				if !inOrig && !inOwn {
					continue
				}
				s, ok := n.(string)
				if !ok || s == "" {
					t.Errorf("%s: want a non-empty string, got %#v", k, n)
				}
				if cmp.Equal(o, n) {
					t.Errorf("%s: same as the original; it must be our own wording", k)
				}
				delete(orig, k)
				delete(own, k)
			}
			if ov, ok := mitreOverride[rel]; ok {
				if diff := cmp.Diff(ov.orig, orig["mitre_attack_id"]); diff != "" {
					t.Errorf("original mitre_attack_id changed (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(ov.want, own["mitre_attack_id"]); diff != "" {
					t.Errorf("mitre_attack_id (-want +got):\n%s", diff)
				}
				delete(orig, "mitre_attack_id")
				delete(own, "mitre_attack_id")
			}
			if diff := cmp.Diff(orig, own); diff != "" {
				t.Errorf("facts differ from the original (-orig +own):\n%s", diff)
			}
		})
	}
}

// TestDataSourcesPresent checks that every data source a detection names has a
// file in data_sources/.
func TestDataSourcesPresent(t *testing.T) {
	names := map[string]bool{}
	files, err := filepath.Glob(filepath.Join("data_sources", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name, ok := load(t, f)["name"].(string); ok {
			names[name] = true
		}
	}
	dets, err := filepath.Glob(filepath.Join("detections", "*", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dets) == 0 {
		t.Fatal("no detections found")
	}
	for _, f := range dets {
		ds, _ := load(t, f)["data_source"].([]any)
		for _, d := range ds {
			if s, _ := d.(string); !names[s] {
				t.Errorf("%s: data source %q has no file in data_sources/", f, d)
			}
		}
	}
}
