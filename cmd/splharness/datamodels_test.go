package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppModelProblemsReported: a data model file of an --app folder that
// does not read is reported by a search that reads no data model (the
// built-in models are read only when needed, an --app's by every command),
// and by validate as a conf finding.
func TestAppModelProblemsReported(t *testing.T) {
	clock = fixedClock
	dir := t.TempDir()
	models := filepath.Join(dir, "app", "default", "data", "models")
	if err := os.MkdirAll(models, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(models, "Broken.json"), []byte("{\n  \"modelName\": }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "app")
	want := filepath.ToSlash(filepath.Join(app, "default", "data", "models", "Broken.json")) + ":2:"
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"search", []string{"search", "--app", app, "| makeresults | eval x=1"}, exitOK},
		{"validate", []string{"validate", "--app", app}, exitFindings},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errOut)
			if all := out.String() + errOut.String(); code != c.code || !strings.Contains(all, want) {
				t.Errorf("exit %d, want %d with %q in the output:\n%s", code, c.code, want, all)
			}
		})
	}
}

// BenchmarkLoadKnowledge: the built-in knowledge as every search and test
// loads it at start (the data models are read when first asked for).
func BenchmarkLoadKnowledge(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, problems, err := loadKnowledge(nil, fixedClock()); err != nil || len(problems) > 0 {
			b.Fatal(err, problems)
		}
	}
}
