package main

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/splharness/splharness/spl/golden"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// escu is the shared ESCU reference content beside the repository.
const escu = "../../../shared/escu"

// TestCLI runs a table of invocations and compares exit code, standard
// output and standard error with testdata/cli.golden.
func TestCLI(t *testing.T) {
	clock = fixedClock
	cases := []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"parse canonical", []string{"parse", "sourcetype=aws:cloudtrail eventName=Delete*   |stats count by user"}, "", 0},
		{"parse from stdin", []string{"parse", "-"}, "x a=1 OR b=2 c\n| where count>9\n", 0},
		{"parse json", []string{"parse", "--format", "json", "x | head 5"}, "", 0},
		{"parse syntax error", []string{"parse", "x | stats count by"}, "", 1},
		{"parse syntax error json", []string{"parse", "--format=json", "x | eval y="}, "", 1},
		{"parse macro without content", []string{"parse", "`cloudtrail` | stats count"}, "", 1},
		{"parse macro with embedded content", []string{"parse", "--content=", "`cloudtrail` | `security_content_ctime(firstTime)`"}, "", 0},
		{"parse macro with content", []string{"parse", "--content", escu, "`cloudtrail` eventName=x | `security_content_ctime(firstTime)` | `my_detection_filter`"}, "", 0},
		{"parse undefined macro", []string{"parse", "--content", escu, "`cloudtrail` | `no_such_macro`"}, "", 1},
		{"parse wrong macro arity", []string{"parse", "--content", escu, "`security_content_ctime(a,b)`"}, "", 1},
		{"parse bad format", []string{"parse", "--format", "xml", "x"}, "", 2},
		{"parse missing content", []string{"parse", "--content", "/nonexistent", "x"}, "", 2},
		{"parse no argument", []string{"parse"}, "", 2},
		{"expand embedded", []string{"expand", "`cloudtrail` eventName=DeleteGuardrail | `security_content_ctime(firstTime)` | `aws_bedrock_delete_guardrails_filter`"}, "", 0},
		{"expand stdin", []string{"expand", "-"}, "`cloudtrail`\n| stats count\n", 0},
		{"expand undefined", []string{"expand", "x | `nope`"}, "", 1},
		{"unknown subcommand", []string{"frobnicate"}, "", 2},
		{"search table", []string{"search", "--data", "testdata/events/bedrock.json", "eventSource=bedrock.amazonaws.com | stats count by eventName"}, "", 0},
		{"search csv", []string{"search", "--data", "testdata/events/bedrock.json", "--format", "csv", "eventName=DeleteGuardrail | table _time user_name src requestParameters.guardrailIdentifier"}, "", 0},
		{"search json with knowledge fields", []string{"search", "--data", "testdata/events/bedrock.json", "--format", "json", "eventName=InvokeModel | table signature errorCode msg result_id user user_name user_type dest object_category action"}, "", 0},
		{"search gzip CloudTrail records", []string{"search", "--data", "testdata/events/bedrock_records.json.gz", "--format", "json", "* | stats count values(eventName) as names"}, "", 0},
		{"search reports rejected records", []string{"search", "--data", "testdata/events/broken.json", "--format", "json", "* | stats count"}, "", 0},
		{"search no rows", []string{"search", "--data", "testdata/events/bedrock.json", "--format", "json", "eventName=NothingLikeThis"}, "", 0},
		{"search generating", []string{"search", "--format", "json", "| makeresults count=2 | eval x=1+1 | table x"}, "", 0},
		{"search several in one pass", []string{"search", "--data", "testdata/events/bedrock.json", "eventName=DeleteGuardrail | stats count", "* | stats count by eventSource"}, "", 0},
		{"search several as csv", []string{"search", "--data", "testdata/events/bedrock.json", "--format", "csv", "a", "b"}, "", 2},
		{"search unsupported command", []string{"search", "--data", "testdata/events/bedrock.json", "* | iplocation src"}, "", 2},
		{"search unsupported function", []string{"search", "--data", "testdata/events/bedrock.json", "* | eval x=nosuch(1)"}, "", 2},
		{"search syntax error", []string{"search", "--data", "testdata/events/bedrock.json", "* | stats count by"}, "", 2},
		{"search missing data", []string{"search", "--data", "testdata/events/nope.json", "*"}, "", 2},
		{"search from stdin", []string{"search", "--data", "testdata/events/bedrock.json", "-"}, "`cloudtrail` eventName=DeleteKnowledgeBase\n| table user_name src\n", 0},
		{"test embedded", []string{"test"}, "", 0},
		{"test json one story", []string{"test", "--story", "AWS Bedrock Security", "--detection", "*Knowledge Base", "--format", "json"}, "", 0},
		{"test ESCU checkout", []string{"test", "--content", escu, "--attack-data", "../../attack_data", "--detection", "AWS Bedrock*"}, "", 0},
		{"test broken detection", []string{"test", "--content", "testdata/broken_content"}, "", 1},
		{"test no tests selected", []string{"test", "--detection", "Nope*"}, "", 2},
		{"test missing attack data", []string{"test", "--attack-data", "testdata/events"}, "", 1},
		{"validate embedded", []string{"validate"}, "", 0},
		{"validate json", []string{"validate", "--format", "json"}, "", 0},
		{"validate ESCU", []string{"validate", "--content", escu}, "", 1},
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
	checkGolden(t, "cli.golden", all.String())
}

var (
	durationText = regexp.MustCompile(`(\d+ rows, \d+ events(?:, \d+ rejected)?), [0-9.]+(µs|ms|s)\)`)
	durationJSON = regexp.MustCompile(`"duration_ms": \d+`)
)

// stable removes timings from output, so that golden files compare.
func stable(s string) string {
	s = durationText.ReplaceAllString(s, "$1, <time>)")
	return durationJSON.ReplaceAllString(s, `"duration_ms": 0`)
}

// TestJUnit: --junit writes a JUnit XML report.
func TestJUnit(t *testing.T) {
	clock = fixedClock
	path := filepath.Join(t.TempDir(), "junit.xml")
	var out, errOut bytes.Buffer
	if code := run([]string{"test", "--content", "testdata/broken_content", "--junit", path}, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<testsuites tests="2" failures="1" errors="0"`, `<testsuite name="AWS Bedrock Delete GuardRails" tests="2" failures="1"`, `<failure message="did not fire: 0 rows from 83 events">`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("junit lacks %q:\n%s", want, b)
		}
	}
	// Times are seconds with six decimals on the run, each suite and each
	// case, as JUnit's XML has them (never Go's 2.5818e-05).
	for _, element := range []string{"testsuites", "testsuite", "testcase"} {
		n := 0
		for _, m := range regexp.MustCompile(`<`+element+` [^>]*>`).FindAllString(string(b), -1) {
			n++
			if !regexp.MustCompile(` time="\d+\.\d{6}"`).MatchString(m) {
				t.Errorf("%s has no time in seconds with six decimals: %s", element, m)
			}
		}
		if n == 0 {
			t.Errorf("no %s element:\n%s", element, b)
		}
	}
}

// fixedClock is the time every test search runs at.
func fixedClock() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }

// TestBedrockDetections runs the five AWS Bedrock detection searches of
// the shared ESCU content, unmodified, over hand-written CloudTrail events,
// and compares the rows with golden files.
func TestBedrockDetections(t *testing.T) {
	clock = fixedClock
	files, _ := filepath.Glob(filepath.Join(escu, "detections", "cloud", "aws_bedrock_*.yml"))
	if len(files) != 5 {
		t.Fatalf("found %d Bedrock detections under %s, want 5", len(files), escu)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yml")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var d struct {
				Search string `yaml:"search"`
			}
			if err := yaml.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := run([]string{"search", "--content", escu, "--data", "testdata/events/bedrock.json", "--format", "json", d.Search}, strings.NewReader(""), &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			checkGolden(t, "bedrock/"+name+".json", out.String())
		})
	}
}

// checkGolden compares got with testdata/name (go test -update rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// TestCPUProfile: --cpuprofile writes a pprof profile of any subcommand.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	var out, errOut bytes.Buffer
	if code := run([]string{"parse", "--cpuprofile", path, "search index=main | stats count"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no profile written: %v", err)
	}
}
