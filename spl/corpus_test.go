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
	"github.com/splharness/splharness/spl/testenv"
)

// ownRoot is the project's own content (the embedded detections/), on
// disk: the corpus tests run on it always, and on a security_content
// checkout too when SPLHARNESS_ESCU names one.
const ownRoot = "../detections"

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
		tb.Fatalf("no detections under %s", root)
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

// corpusRoots are the content roots the corpus tests run on, by name: our
// own, and the ESCU checkout (a subtest that skips when SPLHARNESS_ESCU is
// unset).
func corpusRoots(t *testing.T, fn func(t *testing.T, root string)) {
	t.Run("own", func(t *testing.T) { fn(t, ownRoot) })
	t.Run("ESCU", func(t *testing.T) { fn(t, testenv.ESCU(t)) })
}

// TestCorpusParsesAndRoundTrips: every detection search, expanded, parses,
// and printing it gives text that parses to the same tree.
func TestCorpusParsesAndRoundTrips(t *testing.T) {
	corpusRoots(t, testRoundTrips)
}

func testRoundTrips(t *testing.T, root string) {
	srcs := expandCorpus(t, root)
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
