package spl_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// escuRoot is the shared ESCU reference content, beside the repository.
const escuRoot = "../../shared/escu"

type corpusSearch struct {
	File   string
	Name   string
	Search string
}

// loadCorpus reads every detection search under root/detections.
func loadCorpus(tb testing.TB, root string) []corpusSearch {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "detections", "*", "*.yml"))
	if len(files) == 0 {
		tb.Skipf("no detections under %s (the shared ESCU content is not beside this checkout)", root)
	}
	var out []corpusSearch
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var d struct {
			Name   string `yaml:"name"`
			Search string `yaml:"search"`
		}
		if err := yaml.Unmarshal(b, &d); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		out = append(out, corpusSearch{File: f, Name: d.Name, Search: d.Search})
	}
	return out
}

func loadMacros(tb testing.TB, root string) *macro.Set {
	tb.Helper()
	set, errs := macro.LoadDir(os.DirFS(root), "macros")
	for _, err := range errs {
		tb.Errorf("macro: %v", err)
	}
	return set
}

// expandCorpus returns the macro-expanded sources of every corpus search.
func expandCorpus(tb testing.TB, root string) []*diag.Source {
	tb.Helper()
	set := loadMacros(tb, root)
	var out []*diag.Source
	for _, c := range loadCorpus(tb, root) {
		set.AddDetectionFilter(c.Name)
		exp, err := macro.Expand(diag.NewSource(c.File, c.Search), set, macro.Options{})
		if err != nil {
			tb.Errorf("%s: expand: %v", c.File, err)
			continue
		}
		out = append(out, exp.Source)
	}
	return out
}

// ignorePositions compares trees by content only.
var ignorePositions = cmp.Options{cmpopts.IgnoreTypes(spl.Pos{}), cmpopts.EquateEmpty()}

// TestCorpusParsesAndRoundTrips: every ESCU detection search, expanded,
// parses, and printing it gives text that parses to the same tree.
func TestCorpusParsesAndRoundTrips(t *testing.T) {
	srcs := expandCorpus(t, escuRoot)
	generic := map[string]int{}
	for _, src := range srcs {
		q, err := spl.Parse(src)
		if err != nil {
			t.Errorf("%v\n%s", err, err.(*diag.Error).Render())
			continue
		}
		text := q.String()
		q2, err := spl.ParseString(text)
		if err != nil {
			t.Errorf("%s: reparse of canonical text failed: %v\n%s", src.Name, err, text)
			continue
		}
		if diff := cmp.Diff(q, q2, ignorePositions); diff != "" {
			t.Errorf("%s: round trip changed the tree (-parsed +reparsed):\n%s\ncanonical: %s", src.Name, diff, text)
		}
		if text2 := q2.String(); text2 != text {
			t.Errorf("%s: printing is not stable:\n%s\n%s", src.Name, text, text2)
		}
		spl.Walk(q, func(n spl.Node) bool {
			if g, ok := n.(*spl.GenericCommand); ok {
				generic[g.Name()]++
			}
			return true
		})
	}
	t.Logf("%d searches parsed and round-tripped; generic commands: %v", len(srcs), generic)
}
