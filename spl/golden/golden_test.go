package golden

import (
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	Check(t, path, "one\n", true) // writes, creating the folder
	Check(t, path, "one\n", false)
	ft := &testing.T{}
	done := make(chan bool)
	go func() { defer close(done); Check(ft, path, "two\n", false) }()
	<-done
	if !ft.Failed() {
		t.Error("a different output passed")
	}
}
