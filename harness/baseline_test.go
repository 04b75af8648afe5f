package harness_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/harness"
)

// TestBaselines: a dataset's sidecar gives, under baselines:, the
// searches that fit the Machine Learning Toolkit models its detections
// apply, each over a file of the folder (attack_data/README.md,
// "Baselines"). Without them, apply names the missing model; a baseline
// that cannot run is a sidecar error at its entry.
//
// The history has alice's hourly calls 1, 2, 1, 2: a normal distribution
// of mean 1.5 and standard deviation 0.5 (MLTK User Guide, "Algorithms
// in the Splunk Machine Learning Toolkit", DensityFunction); with the
// default threshold 0.01 its boundaries are 1.5 -/+ 0.5 * 2.5758293 =
// 0.2121 and 2.7879, and her 3 calls in the tested hour are an outlier.
func TestBaselines(t *testing.T) {
	const id = "22222222-2222-2222-2222-222222222222"
	search := `sourcetype="aws:cloudtrail" | rename userIdentity.userName as user | bin _time span=1h | stats count by user _time | apply calls_v1 | where 'IsOutlier(count)'=1 | table user count BoundaryRanges`
	tests := "tests:\n- name: True Positive Test\n  attack_data:\n  - data: d/data.json\n    sourcetype: aws:cloudtrail\n    source: aws_cloudtrail\n"
	c, err := harness.Load(fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory+tests))}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(at string) string {
		return `{"eventTime":"` + at + `","eventName":"CreateRole","userIdentity":{"userName":"alice"}}` + "\n"
	}
	history := call("2026-03-02T10:00:00Z") + call("2026-03-02T11:00:00Z") + call("2026-03-02T11:20:00Z") +
		call("2026-03-02T12:00:00Z") + call("2026-03-02T13:00:00Z") + call("2026-03-02T13:30:00Z")
	data := call("2026-03-09T10:00:00Z") + call("2026-03-09T10:10:00Z") + call("2026-03-09T10:20:00Z")
	const fit = `sourcetype="aws:cloudtrail" | rename userIdentity.userName as user | bin _time span=1h | stats count by user _time | fit DensityFunction count by "user" into calls_v1 dist=norm`
	const want = "expectations:\n- detection: D " + id + "\n  data: data.json\n  rows:\n  - user: alice\n    count: \"3\"\n    BoundaryRanges: [\"-Infinity:0.2121:0.005\", \"2.7879:Infinity:0.005\"]\n"
	entry := func(search string) string {
		return "baselines:\n  - name: Baseline Of Calls\n    search: '" + search + "'\n    data: history.json\n"
	}
	cases := []struct {
		name    string
		sidecar string // baselines: lines before the expectations
		files   map[string]string
		status  harness.Status
		message string // a part of the result's message
	}{
		{"supplied", entry(fit), map[string]string{"history.json": history}, harness.Pass, ""},
		{"not supplied", "", nil, harness.Error, "apply: model calls_v1 is not defined: no search of this run fitted it (fit ... into calls_v1); a test supplies it with a baselines: entry of its data's sidecar"},
		{"another model", entry(strings.Replace(fit, "calls_v1", "calls_v2", 1)), map[string]string{"history.json": history}, harness.Error, "model calls_v1 is not defined"},
		{"data missing", entry(fit), nil, harness.Error, "d/splharness.yml:2:5: baseline Baseline Of Calls: its data d/history.json is not in the attack data"},
		{"search does not parse", entry(fit + " | eval x=("), map[string]string{"history.json": history}, harness.Error, "d/splharness.yml:3:"},
		{"fit fails", entry(strings.Replace(fit, "dist=norm", "dist=expon", 1)), map[string]string{"history.json": call("2026-03-02T10:00:00Z") + call("2026-03-02T11:00:00Z")}, harness.Error,
			"d/splharness.yml:2:5: baseline Baseline Of Calls: fit: Unable to fit an Exponential distribution due to numerical errors. All values in the dataset are the same."},
		{"not a list", "baselines: x\n", nil, harness.Error, "d/splharness.yml:1:12: baselines: must be a list of baseline searches (name, search, data)"},
		{"no search", "baselines:\n  - name: B\n    data: history.json\n", nil, harness.Error, "d/splharness.yml:2:5: baselines: the entry needs search: (a string)"},
		{"unknown key", "baselines:\n  - name: B\n    search: x\n    data: history.json\n    when: nightly\n", nil, harness.Error, "d/splharness.yml:5:5: baselines: unknown key when"},
		{"data in another folder", "baselines:\n  - name: B\n    search: x\n    data: ../history.json\n", nil, harness.Error, "d/splharness.yml:2:5: baselines: B: data must name a file of the dataset's folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runSidecarCase(t, c, data, tc.sidecar+want, tc.files)
			if r.Status != tc.status || !strings.Contains(r.Message, tc.message) {
				t.Errorf("%s %q, want %s with %q\n%s", r.Status, r.Message, tc.status, tc.message, r.Diff)
			}
		})
	}
}
