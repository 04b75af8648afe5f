package harness_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness"
)

// TestExplainPerPlan: detections tested on the same data share one pass
// (RunTests), yet a failing test's counts are its own search's: here a
// twin of a detection whose search names a call that does not exist
// fails beside the passing original, and says that the pre-filter ruled
// out every event and no stage had a row.
func TestExplainPerPlan(t *testing.T) {
	c := withTwin(t, func(twin string) string {
		if !strings.Contains(twin, "eventName=DeleteGuardrail ") {
			t.Fatal("the detection's search changed: the test needs eventName=DeleteGuardrail")
		}
		return strings.Replace(twin, "eventName=DeleteGuardrail ", "eventName=NoSuchCall ", 1)
	})
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
