package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/conf"
)

// fixtureSite builds the pages of testdata/content (see its README) with
// the results of running its tests on an empty attack data folder: four
// detections miss their data, one uses mstats.
func fixtureSite(t testing.TB) *Site {
	t.Helper()
	c, err := harness.Load(os.DirFS("testdata/content"), "testdata/content")
	if err != nil {
		t.Fatal(err)
	}
	var apps []conf.App
	for _, fsys := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: fsys, Name: "(built-in)"})
	}
	var results []harness.Result
	harness.NewEnv(apps, time.Now()).RunTests(c, harness.TestOptions{AttackData: fstest.MapFS{}}, func(r harness.Result) { results = append(results, r) })
	s := New(c, results)
	s.AttackData = "empty_attack_data"
	return s
}

// withoutAssets replaces the style sheet and script, which the golden file
// of the Bedrock story page already holds, so that the fixture's golden
// files show only what differs from page to page.
func withoutAssets(page string) string {
	page = regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(page, "<style>/* style.css */</style>")
	return regexp.MustCompile(`(?s)<script>.*?</script>`).ReplaceAllString(page, "<script>/* site.js */</script>")
}

func TestGoldenFixture(t *testing.T) {
	site := fixtureSite(t)
	md := render(t, site, Markdown)
	html := render(t, site, HTML)
	for _, name := range []string{"index", "stories/suspicious_cloud_storage_activity", "detections/s3_bucket_deleted", "detections/s3_bucket_listed", "detections/s3_object_read_spike"} {
		golden := "fixture/" + strings.ReplaceAll(name, "/", "_")
		checkGolden(t, golden+".md", md[name+".md"])
		checkGolden(t, golden+".html", withoutAssets(html[name+".html"]))
	}
}

// TestProblems checks that an error shared by many detections is said once,
// on the index, and that the pages refer to it by number.
func TestProblems(t *testing.T) {
	site := fixtureSite(t)
	if len(site.Problems) != 1 {
		t.Fatalf("%d common problems, want 1 (the missing attack data): %+v", len(site.Problems), site.Problems)
	}
	pr := site.Problems[0]
	var names []string
	for _, d := range pr.Detections {
		names = append(names, d.Detection.Name)
	}
	want := []string{"S3 Bucket Deleted", "S3 Bucket Listed", "S3 Bucket Made Public", "S3 Bucket Policy Deleted"}
	if !slices.Equal(names, want) || pr.Kind != MissingAttackData || pr.Results != 4 {
		t.Errorf("problem 1: kind %q, %d results, detections %q; want %q, 4, %q", pr.Kind, pr.Results, names, MissingAttackData, want)
	}
	if strings.Contains(pr.Message, "datasets/") || !strings.HasPrefix(pr.Message, "attack data missing: …") {
		t.Errorf("the problem's message keeps what differs between its instances: %q", pr.Message)
	}
	html := render(t, site, HTML)
	advice := "Pass <code>--attack-data DIR</code> with a clone of https://github.com/splunk/attack_data"
	if n := strings.Count(html["index.html"], advice); n != 1 {
		t.Errorf("the index gives the advice %d times, want once", n)
	}
	for name, page := range html {
		if name != "index.html" && strings.Contains(page, advice) {
			t.Errorf("%s repeats the advice the index gives", name)
		}
	}
	det := html["detections/s3_bucket_deleted.html"]
	for _, want := range []string{`<a href="../index.html#problem-1">Problem 1</a> on the index: datasets/attack_techniques/T1485/s3_delete/cloudtrail.json`, `href="../index.html#problem-1"`} {
		if !strings.Contains(det, want) {
			t.Errorf("the detection page lacks %q", want)
		}
	}
	// One mstats detection is not "many": its page says the whole message.
	if det := html["detections/s3_object_read_spike.html"]; !strings.Contains(det, "command mstats is not supported by the evaluator") || strings.Contains(det, "#problem-") {
		t.Error("the mstats detection's page does not give its own message, or refers to a common problem")
	}
}

func TestProblemKey(t *testing.T) {
	for _, tc := range []struct{ msg, key, detail string }{
		{"attack data datasets/a/x.json: open datasets/a/x.json: file does not exist", "attack data …: open …: file does not exist", "datasets/a/x.json"},
		{"detections/cloud/x.yml:18:12: unsupported-command: command tstats is not supported by the evaluator", "unsupported-command: command tstats is not supported by the evaluator", ""},
		{"did not fire: 0 rows from 83 events\nbase search matched 0", "did not fire: 0 rows from 83 events", ""},
		{"fetch https://example.com/a/b, then (c/d).", "fetch …, then (…).", "https://example.com/a/b, c/d"},
	} {
		key, detail := problemKey(tc.msg)
		if diff := cmp.Diff([]string{tc.key, tc.detail}, []string{key, detail}); diff != "" {
			t.Errorf("problemKey(%q) (-want +got):\n%s", tc.msg, diff)
		}
	}
}

// TestDeprecated checks the marks of deprecated detections: by status and by
// folder, on the index, the story page and their own page.
func TestDeprecated(t *testing.T) {
	site := fixtureSite(t)
	got := map[string]string{}
	for _, d := range site.Detections {
		got[d.Detection.Name] = d.Deprecated
	}
	want := map[string]string{
		"S3 Bucket Deleted":        "",
		"S3 Bucket Listed":         "in a deprecated/ folder",
		"S3 Bucket Made Public":    "",
		"S3 Bucket Policy Deleted": "status: deprecated",
		"S3 Object Read Spike":     "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deprecated (-want +got):\n%s", diff)
	}
	html := render(t, site, HTML)
	badge := regexp.MustCompile(`<a href="(?:\.\./)?detections/(\w+)\.html">[^<]*</a> <span class="badge badge-deprecated"`)
	for _, page := range []string{"index.html", "stories/suspicious_cloud_storage_activity.html"} {
		var marked []string
		for _, m := range badge.FindAllStringSubmatch(html[page], -1) {
			marked = append(marked, m[1])
		}
		if want := []string{"s3_bucket_listed", "s3_bucket_policy_deleted"}; !slices.Equal(marked, want) {
			t.Errorf("%s marks %q deprecated, want %q", page, marked, want)
		}
	}
	if !strings.Contains(html["detections/s3_bucket_policy_deleted.html"], `<p class="note note-deprecated"><strong>Deprecated</strong> (status: deprecated)`) {
		t.Error("the deprecated detection's page has no note")
	}
	if strings.Contains(html["detections/s3_bucket_deleted.html"], `class="note note-deprecated"`) {
		t.Error("a production detection's page says it is deprecated")
	}
	md := render(t, site, Markdown)
	if !strings.Contains(md["detections/s3_bucket_listed.md"], "> **Deprecated** (in a deprecated/ folder)") {
		t.Error("the Markdown page of the deprecated detection has no note")
	}
}

func TestTechniqueURL(t *testing.T) {
	for id, want := range map[string]string{
		"T1562.008": "https://attack.mitre.org/techniques/T1562/008/",
		"T1078":     "https://attack.mitre.org/techniques/T1078/",
		"T9999":     "https://attack.mitre.org/techniques/T9999/",
		"t1078":     "",
		"T1078.1":   "",
		"T1078/../": "",
		"TA0001":    "",
		"":          "",
	} {
		if got := TechniqueURL(id); got != want {
			t.Errorf("TechniqueURL(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestStoryFacts checks the story's author, date and product, from both
// schema generations: the Bedrock story's creation_date and top-level
// product, the fixture's date and tags.product.
func TestStoryFacts(t *testing.T) {
	type facts struct {
		Author, Date, Modified string
		Products               []string
	}
	for _, tc := range []struct {
		site *Site
		want facts
	}{
		{embeddedSite(t), facts{"Bhavin Patel, Splunk", "2025-03-25", "2026-05-13", []string{"Splunk Enterprise", "Splunk Enterprise Security", "Splunk Cloud"}}},
		{fixtureSite(t), facts{"Jane Analyst, Example Corp", "2024-02-12", "", []string{"Splunk Enterprise", "Splunk Cloud"}}},
	} {
		p := tc.site.Stories[0]
		if diff := cmp.Diff(tc.want, facts{p.Author, p.Date, p.Modified, p.Products}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", p.Story.Name, diff)
		}
	}
}
