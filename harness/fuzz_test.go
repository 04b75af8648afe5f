package harness_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/testenv"
)

// fuzzDetection is where the fuzzed detection file sits in the content.
const fuzzDetection = "detections/cloud/fuzzed.yml"

// fuzzMacros are the macros most ESCU cloud searches use, so that fuzzed
// searches get past expansion into parsing and compiling.
var fuzzMacros = map[string]string{
	"macros/cloudtrail.yml":             "name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\ndescription: x\n",
	"macros/security_content_ctime.yml": "name: security_content_ctime\ndefinition: convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime($field$)\ndescription: x\narguments:\n- field\n",
}

// FuzzLoad: no detection file makes loading, validating or running the
// content panic, every finding names a file of the content and a line and
// column inside it, and the other content still loads.
func FuzzLoad(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	// Shapes the real files lack: old Mac line ends, several documents,
	// anchors and aliases, a tab, a search that is not a string.
	for _, seed := range []string{
		"0:\r0",
		"name: a\r\nsearch: x |\r\n stats count\r\n",
		"---\nname: a\n---\nname: b\n",
		"name: &n a\nid: *n\nsearch: *n\n",
		"name: a\n\tsearch: x\n",
		"search: [a, b]\ntests: {x: 1}\nversion: x\n",
		"search: '`cloudtrail` | stats count by'\ntests:\n- attack_data:\n  - data: x\n",
	} {
		f.Add(seed)
	}
	var apps []conf.App
	for _, k := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: k, Name: "builtin"})
	}
	env := harness.NewEnv(apps, time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	// The attack data every test resolves into: one valid record.
	data := fstest.MapFS{"data.json": {Data: []byte(`{"eventTime":"2026-11-01T10:00:00Z","eventName":"DeleteGuardrail","eventSource":"bedrock.amazonaws.com"}` + "\n")}}

	f.Fuzz(func(t *testing.T, text string) {
		fsys := fstest.MapFS{fuzzDetection: {Data: []byte(text)}}
		for name, m := range fuzzMacros {
			fsys[name] = &fstest.MapFile{Data: []byte(m)}
		}
		c, err := harness.Load(fsys, "fuzz")
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if n := c.Macros.Len(); n < len(fuzzMacros) {
			t.Fatalf("%d macros loaded, want at least %d", n, len(fuzzMacros))
		}
		for _, d := range c.Detections {
			if d.File != fuzzDetection || d.Line < 1 {
				t.Fatalf("detection %q at %s:%d", d.Name, d.File, d.Line)
			}
			// Run the tests too: data URLs resolve into data, or fail.
			for i := range d.Tests {
				for j := range d.Tests[i].AttackData {
					d.Tests[i].AttackData[j].Data = "data.json"
				}
			}
		}
		checkFindings(t, fsys, "loading", c.Findings)
		checkFindings(t, fsys, "validating", env.Validate(c))
		env.RunTests(c, harness.TestOptions{AttackData: data}, func(r harness.Result) {
			if r.Status == "" || r.Status != harness.Pass && r.Message == "" {
				t.Fatalf("result without a status or reason: %+v", r)
			}
		})
	})
}

// checkFindings fails when a finding does not point into a file of fsys.
func checkFindings(t *testing.T, fsys fstest.MapFS, when string, findings []harness.Finding) {
	t.Helper()
	for _, fd := range findings {
		file, ok := fsys[fd.File]
		if !ok {
			t.Fatalf("%s: finding names %q, not a file of the content: %s", when, fd.File, fd)
		}
		lines := diag.YAMLLines(string(file.Data))
		if fd.Line < 1 || fd.Line > lines || fd.Column < 1 {
			t.Fatalf("%s: finding outside the file's %d lines: %s", when, lines, fd)
		}
		if fd.Code == "" || fd.Message == "" {
			t.Fatalf("%s: finding without a code or message: %+v", when, fd)
		}
	}
}

// fuzzSeeds are detection files: the embedded ones, the broken ones of
// testdata/bad, and the ESCU detections when SPLHARNESS_ESCU is set.
func fuzzSeeds(f *testing.F) []string {
	var seeds []string
	add := func(fsys fs.FS, root string) {
		_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yml") {
				if b, err := fs.ReadFile(fsys, p); err == nil {
					seeds = append(seeds, string(b))
				}
			}
			return nil
		})
	}
	if root, ok := testenv.LookupESCU(f); ok {
		add(os.DirFS(root), "detections")
	}
	add(detections.FS(), "detections")
	bad, _ := filepath.Glob("../testdata/bad/*/*/detections")
	for _, dir := range bad {
		add(os.DirFS(dir), ".")
	}
	if len(seeds) == 0 {
		f.Fatal("no seed detections found")
	}
	return seeds
}
