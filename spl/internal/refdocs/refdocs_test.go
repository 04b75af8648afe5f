package refdocs

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/stats"
)

var update = flag.Bool("update", false, "rewrite docs/reference/ from the registries")

// referenceDir is docs/reference/ of the repository, from this package.
var referenceDir = filepath.Join("..", "..", "..", "docs", "reference")

// TestReferenceUpToDate regenerates the reference pages in memory and
// fails when the committed ones differ: a command or function added,
// changed or removed without regenerating them.
func TestReferenceUpToDate(t *testing.T) {
	pages := []struct {
		file string
		gen  func() ([]byte, error)
	}{
		{"commands.md", Commands},
		{"functions.md", Functions},
	}
	for _, p := range pages {
		t.Run(p.file, func(t *testing.T) {
			got, err := p.gen()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(referenceDir, p.file)
			if *update {
				if err := os.MkdirAll(referenceDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v; generate it with: go test ./spl/internal/refdocs -update", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("docs/reference/%s is stale; regenerate it with: go test ./spl/internal/refdocs -update\n(-committed +generated):\n%s",
					p.file, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// TestPagesCoverRegistries checks that every registry entry has its own
// section, with its example, on the generated pages.
func TestPagesCoverRegistries(t *testing.T) {
	commands, err := Commands()
	if err != nil {
		t.Fatal(err)
	}
	functions, err := Functions()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range spl.Commands {
		if !strings.Contains(string(commands), "\n## "+c.Name+"\n") || !strings.Contains(string(commands), c.Example) {
			t.Errorf("commands.md lacks command %s or its example", c.Name)
		}
	}
	for _, f := range eval.Functions() {
		if !strings.Contains(string(functions), "\n### "+f.Name+"\n") || !strings.Contains(string(functions), f.Example) {
			t.Errorf("functions.md lacks eval function %s or its example", f.Name)
		}
	}
	for _, f := range stats.Funcs() {
		if !strings.Contains(string(functions), "\n### stats "+f.Name+"\n") || !strings.Contains(string(functions), "| stats "+f.Example) {
			t.Errorf("functions.md lacks stats function %s or its example", f.Name)
		}
	}
}

// TestExampleOutputsAreComputed checks that the outputs on the pages come
// from running the examples: each eval function's output is the value its
// registry entry says the example gives (Want, checked in spl/eval too).
func TestExampleOutputsAreComputed(t *testing.T) {
	for _, f := range eval.Functions() {
		if f.Unsupported != "" {
			continue // nothing to run; spl/eval checks the refusal
		}
		got, err := evalExample(f.Example)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if got != f.Want {
			t.Errorf("%s: %s gives %s, registry says %s", f.Name, f.Example, got, f.Want)
		}
	}
	got, err := statsExample("sum(bytes)")
	if err != nil {
		t.Fatal(err)
	}
	if got != "Number(1000)" {
		t.Errorf("sum(bytes) on the sample = %s, want Number(1000) (100+200+300+400)", got)
	}
}

// TestStatus checks the status column against commands whose status is
// known: eval, tstats and transaction run, mstats and apply only parse (docs/semantics.md, "Commands").
func TestStatus(t *testing.T) {
	page, err := Commands()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, status string }{
		{"eval", "evaluated"},
		{"stats", "evaluated"},
		{"tstats", "evaluated"},
		{"mstats", "parsed only"},
		{"transaction", "evaluated"},
		{"outlier", "parsed only"},
	} {
		row := fmt.Sprintf("| [`%s`](#%s) | %s |", c.name, c.name, c.status)
		if !strings.Contains(string(page), row) {
			t.Errorf("commands.md lacks the row %q", row)
		}
	}
}
