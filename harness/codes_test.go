package harness_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/harness"
)

// detectionYAML is a detection with no problem of its own but what
// search and extra (more top-level keys) bring.
func detectionYAML(id, search, extra string) string {
	return "name: D " + id + "\nid: " + id + "\nversion: 1\ndate: '2026-01-01'\nauthor: Test\nstatus: production\n" +
		"type: TTP\ndescription: x\ndata_source: []\nsearch: '" + strings.ReplaceAll(search, "'", "''") + "'\n" +
		"how_to_implement: x\nknown_false_positives: x\nreferences: []\n" + extra
}

// noStory is the extra key a detection needs when it names no story.
const noStory = "analytic_story: []\n"

// TestFindingCodes: each code of the rule table comes out of Validate on
// content made to show it, with the severity the table gives and nothing
// else; codes Validate cannot give say why.
func TestFindingCodes(t *testing.T) {
	const id = "11111111-1111-1111-1111-111111111111"
	macros := fstest.MapFS{
		"macros/one_arg.yml": {Data: []byte("name: one_arg\narguments:\n- a\ndefinition: x=$a$\ndescription: x\n")},
		"macros/loop.yml":    {Data: []byte("name: loop\ndefinition: '`loop`'\ndescription: x\n")},
	}
	known := fstest.MapFS{
		"lookups/known.yml": {Data: []byte("name: known\ndescription: x\nfilename: known.csv\n")},
		"lookups/known.csv": {Data: []byte("a,b\n1,2\n")},
	}
	missing := fstest.MapFS{"lookups/missing.yml": {Data: []byte("name: missing\ndescription: x\nfilename: missing.csv\n")}}
	cases := []struct {
		code  string
		files fstest.MapFS
		limit int // the parse limit on search bytes, when the case needs one
	}{
		{"yaml", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte("name: [\n")}}, 0},
		{"schema", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x", noStory+"no_such_key: 1\n"))}}, 0},
		{"duplicate-id", fstest.MapFS{
			"detections/cloud/a.yml": {Data: []byte(detectionYAML(id, "x", noStory))},
			"detections/cloud/b.yml": {Data: []byte(detectionYAML(id, "y", noStory))},
		}, 0},
		{"spl-syntax", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x | stats count by", noStory))}}, 0},
		{"macro-undefined", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "`nope`", noStory))}}, 0},
		{"macro-arity", with(macros, "detections/cloud/d.yml", detectionYAML(id, "`one_arg(1,2)`", noStory)), 0},
		{"macro-recursion", with(macros, "detections/cloud/d.yml", detectionYAML(id, "`loop`", noStory)), 0},
		{"lookup-undefined", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x | lookup nosuch a", noStory))}}, 0},
		{"lookup-field", with(known, "detections/cloud/d.yml", detectionYAML(id, "x | lookup known zzz OUTPUT b", noStory)), 0},
		{"datamodel-undefined", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "| tstats count from datamodel=Nosuch by Nosuch.user", noStory))}}, 0},
		{"datamodel-field", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "| tstats count from datamodel=Change by All_Changes.no_such_field", noStory))}}, 0},
		{"lookup-file", with(missing, "detections/cloud/d.yml", detectionYAML(id, "x", noStory)), 0},
		{"data-source-undefined", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(strings.Replace(detectionYAML(id, "x", noStory), "data_source: []", "data_source:\n- Nowhere", 1))}}, 0},
		{"story-undefined", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x", "tags:\n  analytic_story:\n  - No Such Story\n"))}}, 0},
		{"mitre-unknown", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x", noStory+"tags:\n  mitre_attack_id:\n  - T9999\n"))}}, 0},
		{"unsupported-command", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x | iplocation src", noStory))}}, 0},
		{"unsupported-function", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "x | eval y=nosuch(1)", noStory))}}, 0},
		{"limit", fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, "sourcetype=aws:cloudtrail eventName=x", noStory))}}, 10},
	}
	// Codes Validate never gives, and where they come from instead.
	elsewhere := map[string]string{
		"macro-unexpanded": "parse without --content: validate always expands",
		"conf":             "--app folders' .conf files, read by the command line (cmd/splharness)",
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			content, err := harness.Load(c.files, "mem")
			if err != nil {
				t.Fatal(err)
			}
			e := env()
			e.Limits.Parse.MaxBytes = c.limit
			findings := e.Validate(content)
			if len(findings) == 0 {
				t.Fatalf("no findings, want %s", c.code)
			}
			for _, f := range findings {
				if f.Code != c.code {
					t.Errorf("unwanted finding %s", f)
				}
				if f.Severity != harness.SeverityOf(f.Code) {
					t.Errorf("%s: severity %s, the rule table says %s", f, f.Severity, harness.SeverityOf(f.Code))
				}
			}
			covered[c.code] = true
		})
	}
	for _, r := range harness.Rules {
		if _, ok := elsewhere[r.Code]; !covered[r.Code] && !ok {
			t.Errorf("code %s has no case", r.Code)
		}
	}
}

func with(base fstest.MapFS, name, text string) fstest.MapFS {
	out := fstest.MapFS{name: {Data: []byte(text)}}
	for k, v := range base {
		out[k] = v
	}
	return out
}

// TestRulesDocumented: docs/findings.md has one table row per rule, in
// the table's order, with its severity, so the docs cannot drift from the
// code.
func TestRulesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/findings.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\| (error|warning) \\|")
	var got []string
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	var want []string
	for _, r := range append(slices.Clone(harness.Rules), harness.TestRules...) {
		want = append(want, r.Code+" "+string(r.Severity))
	}
	if !slices.Equal(got, want) {
		t.Errorf("docs/findings.md rows:\n%s\nwant (harness.Rules, then harness.TestRules):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
