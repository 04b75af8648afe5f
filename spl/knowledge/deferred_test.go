package knowledge_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
)

// TestEmbeddedRulesCompile: every calculated field and event type of the
// built-in knowledge compiles without a problem. Load compiles those of
// built-in apps (conf.App.Embedded) only when first used, when no problem
// could be reported any more; this test is what allows it.
func TestEmbeddedRulesCompile(t *testing.T) {
	k := load(t, builtin()) // not marked Embedded: compiled at load, problems reported
	if len(k.DerivedFields("aws:cloudtrail")) < 20 {
		t.Fatalf("the built-in rules made only %v", k.DerivedFields("aws:cloudtrail"))
	}
}

// TestEmbeddedDeferredSameValues: the built-in knowledge whose calculated
// fields and event types compile when first used (the apps marked
// Embedded, as the command line loads them) makes every field, event type
// and tag as the knowledge compiled at load does, over the records of the
// attack data and of testdata/identities.jsonl.
func TestEmbeddedDeferredSameValues(t *testing.T) {
	eager := load(t, builtin())
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin", Embedded: true})
	}
	deferred := load(t, apps)
	var records []string
	for _, c := range readCases(t) {
		records = append(records, string(c.Event))
	}
	err := filepath.WalkDir("../../attack_data/datasets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "{") {
				records = append(records, line)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) < 1000 {
		t.Fatalf("only %d records", len(records))
	}
	for i, raw := range records {
		if want, got := derived(eager, raw), derived(deferred, raw); want != got {
			t.Fatalf("record %d: compiled at load:\n%s\ncompiled when first used:\n%s", i, want, got)
		}
	}
}
