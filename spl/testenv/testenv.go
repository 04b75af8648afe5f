// Package testenv finds the test inputs that do not live in the
// repository: a checkout of Splunk Security Content
// (github.com/splunk/security_content, "ESCU") and the published AWS
// Bedrock Security story page. Each is named by an environment variable;
// a test that needs one skips, saying how to run it, when it is unset,
// and fails when it is set to a path that holds no such input. The
// project's CI (.ci/run) sets both and fails when they are missing, so
// there the tests never skip.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// ESCUVar names the root of a security_content checkout: the folder
	// that holds detections/, macros/, stories/ and data_sources/.
	ESCUVar = "SPLHARNESS_ESCU"
	// ReferencePageVar names the text of research.splunk.com's AWS
	// Bedrock Security story page, as a browser shows it (select all,
	// copy, save as text).
	ReferencePageVar = "SPLHARNESS_REFERENCE_PAGE"
)

// LookupESCU returns the security_content root named by SPLHARNESS_ESCU,
// as an absolute path, and whether the variable is set. A relative value
// is taken from the module root (go test runs each package in its own
// folder). A set variable that names no folder with a detections/ folder
// fails tb: a mistyped path must not skip silently.
func LookupESCU(tb testing.TB) (string, bool) {
	tb.Helper()
	root, ok := lookup(tb, ESCUVar)
	if !ok {
		return "", false
	}
	if fi, err := os.Stat(filepath.Join(root, "detections")); err != nil || !fi.IsDir() {
		tb.Fatalf("%s=%s is not a security_content checkout: it has no detections/ folder", ESCUVar, os.Getenv(ESCUVar))
		return "", false
	}
	return root, true
}

// ESCU returns the security_content root named by SPLHARNESS_ESCU, or
// skips tb with a message naming what was skipped and how to run it.
func ESCU(tb testing.TB) string {
	tb.Helper()
	root, ok := LookupESCU(tb)
	if !ok {
		tb.Skipf("%s needs a splunk/security_content checkout; run it with %s=path/to/security_content go test %s",
			tb.Name(), ESCUVar, pkgPattern())
	}
	return root
}

// ReferencePage returns the path of the story page named by
// SPLHARNESS_REFERENCE_PAGE, or skips tb saying how to run it. A set
// variable that names no file fails tb.
func ReferencePage(tb testing.TB) string {
	tb.Helper()
	path, ok := lookup(tb, ReferencePageVar)
	if !ok {
		tb.Skipf("%s compares with the published story page; run it with %s=path/to/aws_bedrock_security_story_page.txt go test %s",
			tb.Name(), ReferencePageVar, pkgPattern())
		return ""
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		tb.Fatalf("%s=%s is not a file", ReferencePageVar, os.Getenv(ReferencePageVar))
		return ""
	}
	return path
}

// lookup returns the path in the environment variable name, made
// absolute against the module root.
func lookup(tb testing.TB, name string) (string, bool) {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return "", false
	}
	if filepath.IsAbs(v) {
		return filepath.Clean(v), true
	}
	root, err := moduleRoot()
	if err != nil {
		tb.Fatalf("%s=%s is relative, and the module root is not found: %v", name, v, err)
		return "", false
	}
	return filepath.Join(root, v), true
}

// moduleRoot is the nearest folder at or above the working directory
// that holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// pkgPattern is the go test argument for the package under test, such as
// ./spl/macro, or ./... when it cannot be told.
func pkgPattern() string {
	root, err := moduleRoot()
	if err != nil {
		return "./..."
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(root, wd)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "./..."
	}
	if rel == "." {
		return "."
	}
	return "./" + filepath.ToSlash(rel)
}
