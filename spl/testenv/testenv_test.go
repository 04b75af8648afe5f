package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records a skip or a failure and ends
// its goroutine, as testing.T does, without ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return "TestSomething" }
func (r *recorder) Skipf(format string, a ...any) {
	r.skipped = fmt.Sprintf(format, a...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.failed = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

// call runs fn(r) on its own goroutine, as a test runs, and returns
// what it returned.
func call(r *recorder, fn func(testing.TB) string) string {
	var got string
	done := make(chan bool)
	go func() { defer close(done); got = fn(r) }()
	<-done
	return got
}

func TestESCU(t *testing.T) {
	content := t.TempDir()
	if err := os.Mkdir(filepath.Join(content, "detections"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, value      string
		want, skip, fail string
	}{
		{name: "unset", value: "", skip: "TestSomething needs a splunk/security_content checkout; run it with SPLHARNESS_ESCU=path/to/security_content go test ./spl/testenv"},
		{name: "absolute", value: content, want: content},
		{name: "relative to the module root", value: "spl/testenv/../testenv/testdata", fail: "SPLHARNESS_ESCU=spl/testenv/../testenv/testdata is not a security_content checkout: it has no detections/ folder"},
		{name: "no detections folder", value: filepath.Join(content, "detections"), fail: "has no detections/ folder"},
		{name: "missing", value: filepath.Join(content, "nope"), fail: "is not a security_content checkout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(ESCUVar, c.value)
			r := &recorder{TB: t}
			got := call(r, ESCU)
			if got != c.want || !strings.Contains(r.skipped, c.skip) || (c.skip == "") != (r.skipped == "") ||
				!strings.Contains(r.failed, c.fail) || (c.fail == "") != (r.failed == "") {
				t.Errorf("ESCU() = %q, skipped %q, failed %q; want %q, skip %q, fail %q", got, r.skipped, r.failed, c.want, c.skip, c.fail)
			}
		})
	}
}

// TestRelative: a relative value is taken from the module root, not from
// the package's folder where go test runs.
func TestRelative(t *testing.T) {
	t.Setenv(ReferencePageVar, "spl/testenv/testenv.go")
	r := &recorder{TB: t}
	got := call(r, ReferencePage)
	wd, _ := os.Getwd()
	if want := filepath.Join(wd, "testenv.go"); got != want || r.skipped != "" || r.failed != "" {
		t.Errorf("ReferencePage() = %q (skipped %q, failed %q), want %q", got, r.skipped, r.failed, want)
	}
}

func TestReferencePage(t *testing.T) {
	for _, c := range []struct{ value, skip, fail string }{
		{"", "TestSomething compares with the published story page; run it with SPLHARNESS_REFERENCE_PAGE=path/to/aws_bedrock_security_story_page.txt go test ./spl/testenv", ""},
		{t.TempDir(), "", "is not a file"},
	} {
		t.Setenv(ReferencePageVar, c.value)
		r := &recorder{TB: t}
		if got := call(r, ReferencePage); got != "" || r.skipped != c.skip || !strings.Contains(r.failed, c.fail) || (c.fail == "") != (r.failed == "") {
			t.Errorf("%q: ReferencePage() = %q, skipped %q, failed %q", c.value, got, r.skipped, r.failed)
		}
	}
}
