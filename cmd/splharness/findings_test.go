package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/testenv"
)

// findingsContent is our own content with findings of both severities:
// a schema error in a detection whose test passes, a data source and an
// ATT&CK id that do not exist (errors), mstats and mvmap (warnings), and
// a test of the mstats detection, which cannot run.
const findingsContent = "testdata/findings_content"

// TestFindingsCLI runs validate and test with the flags that choose
// findings (--select, --ignore, --fail-on) and the formats made for CI
// (sarif, github), and compares with testdata/findings.golden.
func TestFindingsCLI(t *testing.T) {
	clock = fixedClock
	readBuildInfo = fakeBuildInfo // tool.driver.version is then fixed
	errorCodes := "schema,data-source-undefined,mitre-unknown"
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"errors fail by default", []string{"validate", "--content", findingsContent}, 1},
		{"warnings alone do not fail by default", []string{"validate", "--content", findingsContent, "--ignore", errorCodes}, 0},
		{"warnings fail with --fail-on warning", []string{"validate", "--content", findingsContent, "--ignore", errorCodes, "--fail-on", "warning"}, 1},
		{"select warnings", []string{"validate", "--content", findingsContent, "--select", "unsupported-command,unsupported-function"}, 0},
		{"select repeated", []string{"validate", "--content", findingsContent, "--select", "unsupported-command", "--select", "mitre-unknown"}, 1},
		{"select then ignore", []string{"validate", "--content", findingsContent, "--select", "unsupported-command,mitre-unknown", "--ignore", "mitre-unknown"}, 0},
		{"json has severities", []string{"validate", "--content", findingsContent, "--format", "json", "--select", "mitre-unknown,unsupported-command"}, 1},
		{"github annotations", []string{"validate", "--content", findingsContent, "--format", "github"}, 1},
		{"sarif", []string{"validate", "--content", findingsContent, "--format", "sarif"}, 1},
		{"sarif without findings", []string{"validate", "--format", "sarif"}, 0},
		{"unknown code to select", []string{"validate", "--select", "unsupported"}, 2},
		{"unknown code to ignore", []string{"validate", "--ignore", "yaml,nope"}, 2},
		{"test codes are not finding codes", []string{"validate", "--ignore", "test-fail"}, 2},
		{"unknown fail-on", []string{"validate", "--fail-on", "info"}, 2},
		{"unknown format", []string{"validate", "--format", "xml"}, 2},
		{"test: a content error fails a run whose tests pass", []string{"test", "--content", findingsContent, "--detection", "AWS*"}, 1},
		{"test: ignored, it does not", []string{"test", "--content", findingsContent, "--detection", "AWS*", "--ignore", "schema"}, 0},
		{"test: github", []string{"test", "--content", findingsContent, "--format", "github"}, 1},
		{"test: sarif", []string{"test", "--content", findingsContent, "--format", "sarif"}, 1},
		{"test: github failing test", []string{"test", "--content", "testdata/broken_content", "--format", "github"}, 1},
		{"test: sarif failing test", []string{"test", "--content", "testdata/broken_content", "--format", "sarif"}, 1},
		{"test: json keeps findings on stderr", []string{"test", "--content", findingsContent, "--detection", "AWS*", "--format", "json"}, 1},
		{"test: unknown code", []string{"test", "--select", "test-fail"}, 2},
		{"test: unknown format", []string{"test", "--format", "xml"}, 2},
	}
	var all strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errOut)
			if code != c.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errOut.String())
			}
			fmt.Fprintf(&all, "### %s\n$ splharness %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", c.name, strings.Join(c.args, " "), code, stable(out.String()), stable(errOut.String()))
		})
	}
	checkGolden(t, "findings.golden", all.String())
}

// sarifSchema compiles the SARIF 2.1.0 JSON schema (testdata/sarif, from
// OASIS), asserting formats such as uri-reference too.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := os.ReadFile("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(harness.SARIFSchema, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(harness.SARIFSchema)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSARIFSchema: the SARIF of validate and test, with findings of both
// severities, failing and erroring tests, and none at all, is valid
// SARIF 2.1.0; and the check itself rejects a log that is not.
func TestSARIFSchema(t *testing.T) {
	clock = fixedClock
	schema := sarifSchema(t)
	for _, args := range [][]string{
		{"validate", "--content", findingsContent, "--format", "sarif"},
		{"validate", "--format", "sarif"},
		{"test", "--content", findingsContent, "--format", "sarif"},
		{"test", "--content", "testdata/broken_content", "--format", "sarif"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(args, strings.NewReader(""), &out, &errOut); code == exitError {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
			if err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v\n%s", err, out.String())
			}
		})
	}
	// A result level SARIF does not have, and a region that starts at
	// line 0, must be caught.
	for name, bad := range map[string]string{
		"level":  `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "splharness"}}, "results": [{"ruleId": "yaml", "level": "fatal", "message": {"text": "m"}}]}]}`,
		"region": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "splharness"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.yml"}, "region": {"startLine": 0}}}]}]}]}`,
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(doc) == nil {
			t.Errorf("the schema check took a log with a bad %s", name)
		}
	}
}

// TestFailOnESCU: validate on Splunk Security Content exits as --fail-on
// says, after --ignore unsupported-command: 1 when an error is left (or,
// with --fail-on warning, any finding), 0 when not; and ignoring the error
// codes found leaves only warnings, which pass unless --fail-on warning.
func TestFailOnESCU(t *testing.T) {
	escuDir := testenv.ESCU(t)
	validate := func(t *testing.T, args ...string) (int, []harness.Finding) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := run(append([]string{"validate", "--content", escuDir, "--format", "json"}, args...), strings.NewReader(""), &out, &errOut)
		var findings []harness.Finding
		if err := json.Unmarshal(out.Bytes(), &findings); err != nil {
			t.Fatalf("exit %d, output is not a JSON array of findings: %v\n%s", code, err, errOut.String())
		}
		return code, findings
	}
	_, all := validate(t, "--ignore", "unsupported-command")
	errorCodes := []string{"unsupported-command"}
	for _, f := range all {
		if f.Severity == harness.SeverityError && !slices.Contains(errorCodes, f.Code) {
			errorCodes = append(errorCodes, f.Code)
		}
	}
	for _, ignore := range []string{"unsupported-command", strings.Join(errorCodes, ",")} {
		for _, failOn := range []string{"error", "warning"} {
			t.Run("ignore "+ignore+" fail-on "+failOn, func(t *testing.T) {
				code, findings := validate(t, "--ignore", ignore, "--fail-on", failOn)
				want := exitOK
				for _, f := range findings {
					if strings.Contains(","+ignore+",", ","+f.Code+",") {
						t.Errorf("ignored code reported: %s", f)
					}
					if f.Severity == harness.SeverityError || failOn == "warning" {
						want = exitFindings
					}
				}
				if code != want {
					t.Errorf("exit %d, want %d (%d findings)", code, want, len(findings))
				}
				t.Logf("%d findings, exit %d", len(findings), code)
			})
		}
	}
}

// TestDisplayPath: paths under the working directory are shown relative
// to it; others as given.
func TestDisplayPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(filepath.Dir(filepath.Dir(wd)), "elsewhere", "a.yml")
	for _, c := range []struct{ in, want string }{
		{"testdata/findings_content/a.yml", "testdata/findings_content/a.yml"},
		{"./testdata/../testdata/a.yml", "testdata/a.yml"},
		{filepath.Join(wd, "testdata", "a.yml"), "testdata/a.yml"},
		{outside, outside},
		{"../../x/a.yml", "../../x/a.yml"},
		{"(app)", "(app)"},
	} {
		if got := displayPath(c.in); got != c.want {
			t.Errorf("displayPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
