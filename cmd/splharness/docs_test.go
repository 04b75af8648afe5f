package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/splharness/splharness/spl/testenv"
)

func TestDocsCommand(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{"no --out", []string{"docs"}, exitError, "--out DIR is required", ""},
		{"bad format", []string{"docs", "--out", "X", "--format", "pdf"}, exitError, `unknown format "pdf"`, ""},
		{"missing content", []string{"docs", "--content", "/nonexistent", "--out", "X"}, exitError, "/nonexistent", ""},
		{"missing attack data", []string{"docs", "--attack-data", "/nonexistent", "--out", "X"}, exitError, "--attack-data /nonexistent is not a folder", ""},
		{"embedded md", []string{"docs", "--out", "X"}, exitOK, "", "index.md, 1 in stories/, 5 in detections/. Tests: 10 passed, 0 failed.\n"},
		{"embedded html", []string{"docs", "--out", "X", "--format", "html"}, exitOK, "", "index.html, 1 in stories/, 5 in detections/. Tests: 10 passed, 0 failed.\n"},
		{"failing tests still render", []string{"docs", "--content", "testdata/broken_content", "--out", "X"}, exitOK, "", "index.md, 1 in stories/, 1 in detections/. Tests: 1 passed, 1 failed.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			for i, a := range c.args {
				if a == "X" {
					c.args[i] = dir
				}
			}
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errOut)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errOut.String())
			}
			if !strings.Contains(errOut.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", errOut.String(), c.stderr)
			}
			if code != exitOK {
				if _, err := os.Stat(dir); err == nil {
					t.Errorf("a failed run wrote %s", dir)
				}
				return
			}
			ext := ".md"
			if strings.Contains(strings.Join(c.args, " "), "html") {
				ext = ".html"
			}
			for _, f := range []string{"index" + ext, "stories/aws_bedrock_security" + ext, "detections/aws_bedrock_delete_guardrails" + ext} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("no %s: %v", f, err)
				}
			}
			if !strings.HasSuffix(out.String(), c.stdout) {
				t.Errorf("stdout %q, want it to end in %q", out.String(), c.stdout)
			}
		})
	}
}

// TestDocsESCU renders every story and detection of the ESCU checkout
// (SPLHARNESS_ESCU: 262 stories, 276 detections), tests first, in both
// formats.
func TestDocsESCU(t *testing.T) {
	docsESCU := testenv.ESCU(t)
	for _, format := range []string{"md", "html"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			var out, errOut bytes.Buffer
			start := time.Now()
			code := run([]string{"docs", "--content", docsESCU, "--out", dir, "--format", format}, strings.NewReader(""), &out, &errOut)
			elapsed := time.Since(start)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
			}
			t.Logf("splharness docs --content %s --format %s: %s (load, run the tests, render, write)\n%s", docsESCU, format, elapsed.Round(time.Millisecond), strings.TrimSpace(out.String()))
			count := func(sub string) int {
				m, err := filepath.Glob(filepath.Join(dir, sub, "*."+format))
				if err != nil {
					t.Fatal(err)
				}
				return len(m)
			}
			if n := count("stories"); n != 262 {
				t.Errorf("%d story pages, want 262", n)
			}
			if n := count("detections"); n != 276 {
				t.Errorf("%d detection pages, want 276", n)
			}
			if _, err := os.Stat(filepath.Join(dir, "index."+format)); err != nil {
				t.Error(err)
			}
		})
	}
}
