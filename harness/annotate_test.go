package harness_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/splharness/splharness/harness"
)

// TestGitHubAnnotations: findings and test results as workflow commands,
// escaped as GitHub Docs ("Workflow commands for GitHub Actions") says the
// runner unescapes them: %, CR and LF in the message, and also : and , in
// property values.
func TestGitHubAnnotations(t *testing.T) {
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"error", harness.GitHubFinding(harness.Finding{File: "detections/cloud/a.yml", Line: 3, Column: 7, Code: "spl-syntax", Severity: harness.SeverityError, Message: "unexpected end"}),
			"::error file=detections/cloud/a.yml,line=3,col=7,title=spl-syntax::unexpected end\n"},
		{"warning", harness.GitHubFinding(harness.Finding{File: "a.yml", Line: 1, Column: 1, Code: "unsupported-command", Severity: harness.SeverityWarning, Message: "command tstats is not supported"}),
			"::warning file=a.yml,line=1,col=1,title=unsupported-command::command tstats is not supported\n"},
		{"message escapes", harness.GitHubFinding(harness.Finding{File: "a.yml", Line: 2, Column: 1, Code: "schema", Severity: harness.SeverityError, Message: "100% sure:\r\nkey a, b"}),
			"::error file=a.yml,line=2,col=1,title=schema::100%25 sure:%0D%0Akey a, b\n"},
		{"property escapes", harness.GitHubFinding(harness.Finding{File: "C:/a,b%c.yml", Line: 1, Column: 1, Code: "yaml", Severity: harness.SeverityError, Message: "m"}),
			"::error file=C%3A/a%2Cb%25c.yml,line=1,col=1,title=yaml::m\n"},
		{"no position", harness.GitHubFinding(harness.Finding{File: "(app)", Code: "conf", Severity: harness.SeverityError, Message: "m"}),
			"::error file=(app),title=conf::m\n"},
		{"failed test", harness.GitHubResult(harness.Result{Detection: "D", Test: "T", File: "d.yml", Line: 40, Column: 5, Status: harness.Fail, Message: "rows differ:\n- a\n+ b"}),
			"::error file=d.yml,line=40,col=5,title=test-fail::D / T: rows differ:%0A- a%0A+ b\n"},
		{"test that cannot run is placed at its search's problem", harness.GitHubResult(harness.Result{Detection: "D", Test: "T", File: "d.yml", Line: 40, Column: 5, Status: harness.Error, Message: "d.yml:12:9: unsupported-command: warning: command tstats is not supported",
			Finding: &harness.Finding{File: "d.yml", Line: 12, Column: 9, Code: "unsupported-command", Message: "command tstats is not supported"}}),
			"::error file=d.yml,line=12,col=9,title=test-error::D / T: unsupported-command: command tstats is not supported\n"},
		{"passed test", harness.GitHubResult(harness.Result{Status: harness.Pass}), ""},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.name, c.got, c.want)
		}
	}
}

// TestSARIFLocations: URIs are relative references (escaped) for relative
// paths and file: URIs for absolute ones; rules are listed once each, in
// the rule table's order, and results point at them.
func TestSARIFLocations(t *testing.T) {
	findings := []harness.Finding{
		{File: "content dir/a.yml", Line: 2, Column: 3, Code: "unsupported-command", Severity: harness.SeverityWarning, Message: "w"},
		{File: "/abs/b.yml", Line: 4, Column: 1, Code: "yaml", Severity: harness.SeverityError, Message: "e"},
		{File: "c.yml", Line: 5, Column: 1, Code: "yaml", Severity: harness.SeverityError, Message: "e2"},
	}
	results := []harness.Result{
		{Detection: "D", Test: "T", File: "d.yml", Line: 9, Column: 5, Status: harness.Fail, Message: "did not fire"},
		{Detection: "D", Test: "T2", File: "d.yml", Line: 12, Column: 5, Status: harness.Pass},
	}
	var b bytes.Buffer
	if err := harness.WriteSARIF(&b, "", findings, results); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var rules []string
	for _, r := range run.Tool.Driver.Rules {
		rules = append(rules, r.ID)
	}
	if want := []string{"yaml", "unsupported-command", "test-fail"}; !slices.Equal(rules, want) {
		t.Errorf("rules %v, want %v", rules, want)
	}
	want := []struct {
		rule, level, uri string
		line, col        int
	}{
		{"unsupported-command", "warning", "content%20dir/a.yml", 2, 3},
		{"yaml", "error", "file:///abs/b.yml", 4, 1},
		{"yaml", "error", "c.yml", 5, 1},
		{"test-fail", "error", "d.yml", 9, 5},
	}
	if len(run.Results) != len(want) {
		t.Fatalf("%d results, want %d:\n%s", len(run.Results), len(want), b.String())
	}
	for i, w := range want {
		r := run.Results[i]
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID != w.rule || run.Tool.Driver.Rules[r.RuleIndex].ID != w.rule || r.Level != w.level ||
			loc.ArtifactLocation.URI != w.uri || loc.Region.StartLine != w.line || loc.Region.StartColumn != w.col {
			t.Errorf("result %d: %+v, want %+v", i, r, w)
		}
	}
}
