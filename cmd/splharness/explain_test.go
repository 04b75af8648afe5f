package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenSearch is the search of testdata/broken_content's detection: it
// names eventName=DeleteGuardrails, a call that does not exist, so the
// raw pre-filter rules out every event and it never fires.
const brokenSearch = "`cloudtrail` eventSource=bedrock.amazonaws.com eventName=DeleteGuardrails | rename user_name as user | stats count min(_time) as firstTime max(_time) as lastTime values(requestParameters.guardrailIdentifier) as guardrailIds by src user user_agent vendor_account vendor_product dest signature vendor_region | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)` | `aws_bedrock_delete_guardrails_filter`"

// TestExplainCLI: a failing test says where its events and rows went (and
// for rows that differ, how), in text and JSON; splharness explain and
// search --explain print the same counts for any search; a content tree
// whose attack data is missing gets one message. Compared with
// testdata/explain.golden (go test -update rewrites it).
func TestExplainCLI(t *testing.T) {
	clock = fixedClock
	bedrock, err := os.ReadFile("testdata/events/bedrock.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  []string
		code  int
		stdin string
	}{
		{"test detection that does not fire", []string{"test", "--content", "testdata/broken_content"}, 1, ""},
		{"test detection that does not fire json", []string{"test", "--content", "testdata/broken_content", "--format", "json"}, 1, ""},
		{"test rows differ", []string{"test", "--attack-data", "testdata/wrong_rows", "--detection", "AWS Bedrock Delete Knowledge Base"}, 1, ""},
		{"test rows differ json", []string{"test", "--attack-data", "testdata/wrong_rows", "--detection", "AWS Bedrock Delete Knowledge Base", "--format", "json"}, 1, ""},
		{"test missing attack data", []string{"test", "--content", "testdata/missing_data/content", "--attack-data", "testdata/missing_data/attack_data"}, 1, ""},
		{"test missing embedded attack data", []string{"test", "--content", "testdata/missing_data/content"}, 1, ""},
		{"explain detection that does not fire", []string{"explain", "--content", "testdata/broken_content", "--data", "testdata/events/bedrock.json", brokenSearch}, 0, ""},
		{"explain json", []string{"explain", "--format", "json", "--data", "testdata/events/bedrock.json", `eventSource=bedrock.amazonaws.com | where errorCode="AccessDenied" | stats count by eventName | where count > 5`}, 0, ""},
		{"explain rejected records", []string{"explain", "--data", "testdata/events/broken.json", "* | stats count"}, 0, ""},
		{"explain several", []string{"explain", "--data", "testdata/events/bedrock.json", "eventName=DeleteGuardrail | table user_name", "| makeresults count=2 | where x=1"}, 0, ""},
		{"explain several json", []string{"explain", "--format", "json", "--data", "testdata/events/bedrock.json", "eventName=DeleteGuardrail", "* | head 3"}, 0, ""},
		{"explain events from standard input", []string{"explain", "eventName=Delete* | stats count by eventName"}, 0, string(bedrock)},
		{"explain bad format", []string{"explain", "--format", "table", "--data", "testdata/events/bedrock.json", "*"}, 2, ""},
		{"explain unsupported command", []string{"explain", "--data", "testdata/events/bedrock.json", "* | iplocation src"}, 2, ""},
		{"search explain json", []string{"search", "--explain", "--format", "json", "--data", "testdata/events/bedrock.json", "eventName=DeleteKnowledgeBase | stats count by user_name"}, 0, ""},
	}
	var all strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(c.stdin), &out, &errOut)
			if code != c.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errOut.String())
			}
			fmt.Fprintf(&all, "### %s\n$ splharness %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", c.name, strings.Join(c.args, " "), code, stable(out.String()), stable(errOut.String()))
		})
	}
	checkGolden(t, "explain.golden", all.String())
}

// TestSearchExplainKeepsJSON: search --explain --format json still prints
// one JSON array of rows on standard output; the counts go to standard
// error.
func TestSearchExplainKeepsJSON(t *testing.T) {
	clock = fixedClock
	var out, errOut bytes.Buffer
	code := run([]string{"search", "--explain", "--format", "json", "--data", "testdata/events/bedrock.json", "eventSource=bedrock.amazonaws.com | stats count by eventName"}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || len(rows) == 0 {
		t.Errorf("stdout is not a JSON array of rows (%v):\n%s", err, out.String())
	}
	if !strings.Contains(errOut.String(), "matched the base search") || !strings.Contains(errOut.String(), "| stats count BY eventName") {
		t.Errorf("stderr lacks the counts:\n%s", errOut.String())
	}
}

// missingDataLines returns the lines of test's text output that are about
// missing attack data: all but the streamed results and the summary.
func missingDataLines(out string) []string {
	var about []string
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		streamed := strings.HasPrefix(l, "PASS ") || strings.HasPrefix(l, "FAIL ") || strings.HasPrefix(l, "ERROR ") || strings.HasPrefix(l, "      ")
		if !streamed && i < len(lines)-1 {
			about = append(about, l)
		}
	}
	return about
}

// checkMissingData runs test on a content tree whose attack data is
// missing and checks the contract of the issue: at most 15 lines about it,
// naming --attack-data, the folder and Git LFS; each such test an error in
// the summary, the JSON and the JUnit report; none passes.
func checkMissingData(t *testing.T, args []string, folder string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append(args, "--attack-data", folder), strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out.String(), errOut.String())
	}
	about := missingDataLines(out.String())
	if len(about) > 15 {
		t.Errorf("%d lines about missing attack data, want at most 15:\n%s", len(about), strings.Join(about, "\n"))
	}
	text := strings.Join(about, "\n")
	for _, want := range []string{"could not run", folder, "--attack-data", "git lfs install", "git clone https://github.com/splunk/attack_data"} {
		if !strings.Contains(text, want) {
			t.Errorf("the message lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(out.String(), "no such file") || strings.Contains(out.String(), "does not exist") {
		t.Errorf("missing files are still reported one by one:\n%s", out.String())
	}
	junit := filepath.Join(t.TempDir(), "junit.xml")
	var js bytes.Buffer
	run(append(args, "--attack-data", folder, "--format", "json", "--junit", junit), strings.NewReader(""), &js, &errOut)
	var report struct {
		Tests []struct {
			Status, Message string
		}
		Summary struct{ Passed, Failed, Errors int }
	}
	if err := json.Unmarshal(js.Bytes(), &report); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	missing := 0
	for _, r := range report.Tests {
		if strings.HasPrefix(r.Message, "attack data missing: ") {
			missing++
			if r.Status != "error" {
				t.Errorf("a test without its data has status %q: %s", r.Status, r.Message)
			}
		}
	}
	if missing == 0 || report.Summary.Passed != 0 || report.Summary.Errors < missing {
		t.Errorf("%d tests miss their data; summary %+v", missing, report.Summary)
	}
	if !strings.HasPrefix(about[0], fmt.Sprintf("%d tests could not run", missing)) {
		t.Errorf("the message counts other than the %d tests:\n%s", missing, about[0])
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "<error message=\"attack data missing: "); n != missing {
		t.Errorf("JUnit has %d errors for missing data, want %d", n, missing)
	}
}

// TestMissingAttackData: tests whose attack data is absent (or a Git LFS
// pointer) are errors, said in one short message.
func TestMissingAttackData(t *testing.T) {
	checkMissingData(t, []string{"test", "--content", "testdata/missing_data/content"}, "testdata/missing_data/attack_data")
}

// TestMissingAttackDataESCU: the same on a real security_content tree with
// an empty attack data folder (hundreds of tests).
func TestMissingAttackDataESCU(t *testing.T) {
	root := os.Getenv("SPLHARNESS_ESCU")
	if root == "" {
		t.Skip("skipped: the test of missing attack data over a real security_content tree; set SPLHARNESS_ESCU to a checkout of splunk/security_content to run it")
	}
	checkMissingData(t, []string{"test", "--content", root, "--detection", "AWS*"}, t.TempDir())
}
