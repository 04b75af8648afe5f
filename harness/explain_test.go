package harness_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
)

// TestExplainPerPlan: detections tested on the same data share one pass
// (RunTests), yet a failing test's counts are its own search's: here a
// twin of a detection whose search names a call that does not exist
// fails beside the passing original, and says that the pre-filter ruled
// out every event and no stage had a row.
func TestExplainPerPlan(t *testing.T) {
	own, err := fs.ReadFile(detections.FS(), "detections/cloud/aws_bedrock_delete_guardrails.yml")
	if err != nil {
		t.Fatal(err)
	}
	twin := strings.Replace(string(own), "name: AWS Bedrock Delete GuardRails", "name: AWS Bedrock Delete GuardRails Twin", 1)
	twin = strings.Replace(twin, "id: 7a5e3d62-f743-11ee-9f6e-acde48001122", "id: 7a5e3d62-f743-11ee-9f6e-acde48001123", 1)
	if !strings.Contains(twin, "eventName=DeleteGuardrail ") {
		t.Fatal("the detection's search changed: the test needs eventName=DeleteGuardrail")
	}
	twin = strings.Replace(twin, "eventName=DeleteGuardrail ", "eventName=NoSuchCall ", 1)
	fsys := fstest.MapFS{
		"detections/cloud/a.yml": {Data: own},
		"detections/cloud/b.yml": {Data: []byte(twin)},
	}
	for _, dir := range []string{"macros", "stories", "data_sources"} {
		entries, _ := fs.ReadDir(detections.FS(), dir)
		for _, e := range entries {
			b, _ := fs.ReadFile(detections.FS(), dir+"/"+e.Name())
			fsys[dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	c, err := harness.Load(fsys, "mem")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]harness.Result{}
	env().RunTests(c, harness.TestOptions{AttackData: attackdata.FS()}, func(r harness.Result) { byName[r.Detection+" / "+r.Test] = r })
	pass := byName["AWS Bedrock Delete GuardRails / True Positive Test"]
	if pass.Status != harness.Pass || pass.Explain != nil {
		t.Errorf("the original: %s %q, explain %+v; want a pass without counts", pass.Status, pass.Message, pass.Explain)
	}
	fail := byName["AWS Bedrock Delete GuardRails Twin / True Positive Test"]
	if fail.Status != harness.Fail || fail.Explain == nil {
		t.Fatalf("the twin: %s %q, explain %+v; want a failure with counts", fail.Status, fail.Message, fail.Explain)
	}
	x := fail.Explain
	if x.Read != pass.Read || x.Read == 0 || x.Prefiltered != x.Read || x.BaseMatched != 0 {
		t.Errorf("the twin's counts %+v: want all %d events read and ruled out by the pre-filter", x, pass.Read)
	}
	var commands []string
	for _, s := range x.Stages {
		commands = append(commands, s.Command)
		if s.RowsOut != 0 {
			t.Errorf("%s passed on %d rows, want 0", s.Command, s.RowsOut)
		}
	}
	if diff := cmp.Diff([]string{"rename", "stats", "convert", "convert", "search"}, commands); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}
