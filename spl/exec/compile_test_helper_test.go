package exec_test

import (
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
)

// mustCompile parses search and compiles it with opts, failing the test
// on either error: the start of every pre-filter table test.
func mustCompile(t *testing.T, search string, opts exec.Options) (*spl.Query, *exec.Plan) {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("%s: %v", search, err)
	}
	plan, err := exec.Compile(q, opts)
	if err != nil {
		t.Fatalf("%s: %v", search, err)
	}
	return q, plan
}
