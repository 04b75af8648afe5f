package harness_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness"
)

// TestLimitStopsOneDetection: two detections share one pass over one data
// file; the twin's search makes more groups than max_groups. The twin is
// an error naming the limit, and the other detection's test and its
// must-not-fire dataset pass as they do alone. (Before RunAll kept an
// error per plan, the twin's limit made every test of the pass an error.)
func TestLimitStopsOneDetection(t *testing.T) {
	c := withTwin(t, func(twin string) string {
		return strings.Replace(twin, "eventName=DeleteGuardrail |", "| stats count by eventID | eval eventSource=\"bedrock.amazonaws.com\" |", 1)
	})
	data := &countingFS{FS: attackdata.FS(), opens: map[string]int{}}
	e := env()
	e.Limits.MaxGroups = 10
	var results []harness.Result
	sum := e.RunTests(c, harness.TestOptions{AttackData: data}, func(r harness.Result) { results = append(results, r) })
	got := map[string]harness.Result{}
	for _, r := range results {
		got[r.Detection+" / "+r.Test] = r
		t.Logf("%s / %s: %s %s", r.Detection, r.Test, r.Status, r.Message)
	}
	if len(results) != 3 || sum.Passed != 2 || sum.Errors != 1 {
		t.Fatalf("summary %+v, want 2 passed and 1 error", sum)
	}
	for _, r := range results {
		twin := strings.HasSuffix(r.Detection, " Twin")
		switch {
		case twin && (r.Status != harness.Error || !strings.Contains(r.Message, "stats: more than 10 groups (limit max_groups)")):
			t.Errorf("twin: %s %q, want an error naming max_groups", r.Status, r.Message)
		case !twin && r.Status != harness.Pass:
			t.Errorf("%s / %s: %s %q, want a pass: another search's limit must not stop it", r.Detection, r.Test, r.Status, r.Message)
		}
	}
	const data1 = "datasets/attack_techniques/T1562.008/aws_bedrock_delete_guardrails/cloudtrail.json"
	if data.opens[data1] != 1 {
		t.Errorf("%s opened %d times, want once for both detections", data1, data.opens[data1])
	}
}

// TestDataReadOnce: a run of every test of our content reads each data
// file once, and each test's sidecar once: there is no recording pass
// that runs the tests a first time to learn what they read (a recording
// pass read every sidecar twice).
func TestDataReadOnce(t *testing.T) {
	c := loadOwn(t)
	data := &countingFS{FS: attackdata.FS(), opens: map[string]int{}}
	var results []harness.Result
	sum := env().RunTests(c, harness.TestOptions{AttackData: data}, func(r harness.Result) { results = append(results, r) })
	if sum.Failed+sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	// Each test reads the sidecar beside its first data file.
	sidecars := map[string]int{}
	for _, d := range c.Detections {
		for _, tc := range d.Tests {
			sidecars[path.Join(path.Dir(harness.DataPath(tc.AttackData[0].Data)), "splharness.yml")]++
		}
	}
	read := 0
	for name, n := range data.opens {
		switch {
		case strings.HasSuffix(name, ".json"):
			read++
			if n != 1 {
				t.Errorf("%s opened %d times, want once", name, n)
			}
		case path.Base(name) == "splharness.yml":
			if n != sidecars[name] {
				t.Errorf("%s opened %d times, want %d (once for each test beside it)", name, n, sidecars[name])
			}
		default:
			t.Errorf("%s opened %d times; a run reads only data and sidecars", name, n)
		}
	}
	// Every data file of the folders our tests name is some test's data
	// or must-not-fire dataset. (The attack data has folders for ESCU
	// detections too, which our content does not hold.)
	var files []string
	for sc := range sidecars {
		f, _ := fs.Glob(attackdata.FS(), path.Join(path.Dir(sc), "*.json"))
		files = append(files, f...)
	}
	if read != len(files) || read == 0 {
		t.Errorf("%d data files read, want all %d", read, len(files))
	}
}
