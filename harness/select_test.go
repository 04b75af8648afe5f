package harness_test

import (
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
)

func ownContent(t *testing.T) *harness.Content {
	t.Helper()
	c, err := harness.Load(detections.FS(), "detections")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSelectedAnyCase: --detection globs and --story match names in any
// case.
func TestSelectedAnyCase(t *testing.T) {
	c := ownContent(t)
	cases := []struct {
		globs []string
		story string
		want  int
	}{
		{nil, "", 5},
		{[]string{"AWS Bedrock Delete*"}, "", 3},
		{[]string{"aws bedrock delete*"}, "", 3},
		{[]string{"*GUARDRAILS"}, "", 1},
		{[]string{"aws bedrock delete guardrails"}, "", 1},
		{[]string{"*knowledge*", "*invoke*"}, "", 2},
		{[]string{"[bad"}, "", 0},
		{nil, "aws bedrock security", 5},
		{[]string{"*guardrails"}, "AWS BEDROCK SECURITY", 1},
		{nil, "AWS Bedrock", 0},
	}
	for _, tc := range cases {
		opts := harness.TestOptions{Detections: tc.globs, Story: tc.story}
		got := 0
		for _, d := range c.Detections {
			if opts.Selected(d) {
				got++
			}
		}
		if got != tc.want {
			t.Errorf("--detection %q --story %q selects %d, want %d", tc.globs, tc.story, got, tc.want)
		}
	}
}

// TestNearNames: what "no tests selected" suggests for a mistyped name.
func TestNearNames(t *testing.T) {
	names := []string{"AWS Bedrock Delete GuardRails", "AWS Bedrock Delete Knowledge Base", "AWS Bedrock Delete Model Invocation Logging Configuration",
		"AWS Bedrock High Number List Foundation Model Failures", "AWS Bedrock Invoke Model Access Denied", "AWS Bedrock Delete GuardRails"}
	cases := []struct {
		typed string
		want  []string
	}{
		{"AWS Bedrock Delete Guardrial", []string{"AWS Bedrock Delete GuardRails"}},
		{"*bedrok knowlege*", []string{"AWS Bedrock Delete Knowledge Base"}},
		{"guardrail", []string{"AWS Bedrock Delete GuardRails"}},
		{"bedrock delete", []string{"AWS Bedrock Delete GuardRails", "AWS Bedrock Delete Knowledge Base"}},
		{"MODEL", []string{"AWS Bedrock Delete Model Invocation Logging Configuration", "AWS Bedrock High Number List Foundation Model Failures"}},
		{"Nope*", nil},
		{"*", nil},
		{"", nil},
	}
	for _, tc := range cases {
		got := harness.NearNames(tc.typed, names, 2)
		if !slices.Equal(got, tc.want) {
			t.Errorf("NearNames(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}

// attackDataWithout is the embedded attack data without some files.
func attackDataWithout(t *testing.T, drop ...string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(attackdata.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || slices.Contains(drop, p) {
			return err
		}
		b, err := fs.ReadFile(attackdata.FS(), p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFailFast: a run stops at the first test that does not pass and
// counts the tests it leaves; progress is reported before each read.
func TestFailFast(t *testing.T) {
	const kb = "datasets/attack_techniques/T1485/aws_delete_knowledge_base/cloudtrail.json"
	data := attackDataWithout(t, kb)
	c := ownContent(t)
	cases := []struct {
		failFast bool
		want     []harness.Status
		notRun   int
	}{
		// Knowledge Base errs (its data is missing); the three detections
		// after it have two tests each.
		{true, []harness.Status{harness.Pass, harness.Pass, harness.Error}, 6},
		{false, []harness.Status{harness.Pass, harness.Pass, harness.Error, harness.Pass, harness.Pass, harness.Pass, harness.Pass, harness.Pass, harness.Pass}, 0},
	}
	for _, tc := range cases {
		var got []harness.Status
		var progress []string
		opts := harness.TestOptions{AttackData: data, FailFast: tc.failFast, Progress: func(done, total int, d string) {
			progress = append(progress, fmt.Sprintf("%d %d %s", done, total, d))
		}}
		sum := env().RunTests(c, opts, func(r harness.Result) { got = append(got, r.Status) })
		if !slices.Equal(got, tc.want) || sum.NotRun != tc.notRun {
			t.Errorf("fail fast %v: statuses %q, %d not run; want %q, %d not run", tc.failFast, got, sum.NotRun, tc.want, tc.notRun)
		}
		// One read per dataset, each before the test that needs it: two
		// for the first test; none for the second, whose file is known
		// to be missing before any read.
		if len(progress) < 2 || progress[0] != "0 5 AWS Bedrock Delete GuardRails" || progress[1] != "0 5 AWS Bedrock Delete GuardRails" {
			t.Errorf("fail fast %v: progress %q", tc.failFast, progress)
		}
		if tc.failFast && len(progress) != 2 {
			t.Errorf("fail fast: %d reads, want 2: %q", len(progress), progress)
		}
	}
}

// TestPlanTests: the tests listed without running are those a run
// reports, by the same names, with their data files.
func TestPlanTests(t *testing.T) {
	const kb = "datasets/attack_techniques/T1485/aws_delete_knowledge_base/cloudtrail.json"
	c := ownContent(t)
	opts := harness.TestOptions{AttackData: attackDataWithout(t, kb)}
	planned := harness.PlanTests(c, opts)
	var ran []string
	env().RunTests(c, opts, func(r harness.Result) { ran = append(ran, r.Detection+" / "+r.Test) })
	var listed []string
	for _, p := range planned {
		listed = append(listed, p.Detection+" / "+p.Test)
		if len(p.Data) != 1 {
			t.Errorf("%s / %s: data %q, want one file", p.Detection, p.Test, p.Data)
		}
		if wantMissing := p.Data[0] == kb; wantMissing != slices.Equal(p.Missing, []string{kb}) {
			t.Errorf("%s / %s: missing %q", p.Detection, p.Test, p.Missing)
		}
	}
	// The run stops reading a test whose data is missing before its
	// sidecar, so it reports one test fewer than the list.
	want := slices.DeleteFunc(slices.Clone(listed), func(s string) bool { return s == "AWS Bedrock Delete Knowledge Base / True Positive Test: benign.json" })
	if len(listed) != 10 || !slices.Equal(ran, want) {
		t.Errorf("listed %q\nran %q", listed, ran)
	}
}
