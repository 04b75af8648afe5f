package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsCommonProblems renders the docs' fixture content against an empty
// attack data folder: four detections miss their data, which the index
// says once, naming the folder the tests read.
func TestDocsCommonProblems(t *testing.T) {
	empty, out := t.TempDir(), filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	code := run([]string{"docs", "--content", "../../harness/docs/testdata/content", "--attack-data", empty, "--out", out}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	if want := "Tests: 0 passed, 0 failed, 5 errors.\nCommon problems (errors many detections share, said once on the index): 1.\n"; !strings.HasSuffix(stdout.String(), want) {
		t.Errorf("stdout %q, want it to end in %q", stdout.String(), want)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### Problem 1\n", "4 tests of 4 detections: attack data missing: … ", "read their attack data from `" + empty + "`, and these files are not there"} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index.md lacks %q:\n%s", want, index)
		}
	}
}
