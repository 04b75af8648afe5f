package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// escu is the shared ESCU reference content beside the repository.
const escu = "../../../shared/escu"

// TestCLI runs a table of invocations and compares exit code, standard
// output and standard error with testdata/cli.golden.
func TestCLI(t *testing.T) {
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
	}
	var all strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(c.stdin), &out, &errOut)
			if code != c.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errOut.String())
			}
			fmt.Fprintf(&all, "### %s\n$ splharness %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", c.name, strings.Join(c.args, " "), code, out.String(), errOut.String())
		})
	}
	golden(t, "cli.golden", all.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
