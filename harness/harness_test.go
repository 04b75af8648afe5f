package harness_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/testenv"
	"github.com/splharness/splharness/spl/value"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func env() *harness.Env {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return harness.NewEnv(apps, now)
}

// loadESCU loads the security_content checkout named by SPLHARNESS_ESCU,
// or skips t.
func loadESCU(t *testing.T) *harness.Content {
	t.Helper()
	root := testenv.ESCU(t)
	c, err := harness.Load(os.DirFS(root), root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loadOwn loads the embedded content.
func loadOwn(t *testing.T) *harness.Content {
	t.Helper()
	c, err := harness.Load(detections.FS(), "(embedded)")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLoad: the real repository layout loads unmodified, both schema
// generations: ESCU's, and ours, which keeps the generation of each file
// it rewrites (AWS Bedrock Delete GuardRails the newer, Delete Knowledge
// Base the older).
func TestLoad(t *testing.T) {
	t.Run("own", func(t *testing.T) { checkLoaded(t, loadOwn(t), 5, 1) })
	t.Run("ESCU", func(t *testing.T) { checkLoaded(t, loadESCU(t), 276, 262) })
}

func checkLoaded(t *testing.T, c *harness.Content, detections, stories int) {
	if len(c.Detections) != detections || len(c.Stories) != stories {
		t.Errorf("loaded %d detections and %d stories, want %d and %d", len(c.Detections), len(c.Stories), detections, stories)
	}
	byName := map[string]*harness.Detection{}
	for _, d := range c.Detections {
		byName[d.Name] = d
	}
	newer := byName["AWS Bedrock Delete GuardRails"]
	older := byName["AWS Bedrock Delete Knowledge Base"]
	if newer == nil || older == nil {
		t.Fatal("Bedrock detections missing")
	}
	if newer.Stories[0] != "AWS Bedrock Security" || older.Stories[0] != "AWS Bedrock Security" {
		t.Errorf("stories: %v / %v", newer.Stories, older.Stories)
	}
	if len(newer.EntityFields) != 1 || newer.EntityFields[0] != "user" || len(older.EntityFields) != 1 {
		t.Errorf("entity fields: %v / %v", newer.EntityFields, older.EntityFields)
	}
	if len(newer.Tests) != 1 || !strings.HasSuffix(newer.Tests[0].AttackData[0].Data, "cloudtrail.json") {
		t.Errorf("tests: %+v", newer.Tests)
	}
	if newer.Line != 1 || newer.File != "detections/cloud/aws_bedrock_delete_guardrails.yml" {
		t.Errorf("position: %s:%d", newer.File, newer.Line)
	}
}

// TestValidateESCU: every detection of the ESCU checkout validates without
// an spl-syntax finding (the shared tree's cloud folder, and a full
// splunk/security_content checkout of 1,711 detections alike: content
// Splunk runs must never get a false syntax error); other findings
// (unsupported commands, ATT&CK ids newer than the table, macros provided
// outside ESCU) are listed.
func TestValidateESCU(t *testing.T) {
	c := loadESCU(t)
	findings := env().Validate(c)
	codes := map[string]int{}
	for _, f := range findings {
		codes[f.Code]++
		if f.Code == "spl-syntax" {
			t.Errorf("%s", f)
		}
	}
	t.Logf("%d findings by code: %v", len(findings), codes)
}

// TestValidateOwnContent: the embedded content has no findings.
func TestValidateOwnContent(t *testing.T) {
	for _, f := range env().Validate(loadOwn(t)) {
		t.Errorf("%s", f)
	}
}

// TestSearchErrorPosition: an error in a folded YAML search points at the
// YAML file's line and column.
func TestSearchErrorPosition(t *testing.T) {
	det := `name: Broken
id: 11111111-1111-1111-1111-111111111111
version: 1
date: '2026-01-01'
author: Test
status: production
type: TTP
description: x
data_source: []
search: >-
    sourcetype=aws:cloudtrail eventName=DeleteGuardrail
    | stats count by
how_to_implement: x
known_false_positives: x
references: []
tags:
    analytic_story: []
`
	fsys := fstest.MapFS{"detections/cloud/broken.yml": {Data: []byte(det)}}
	c, err := harness.Load(fsys, "mem")
	if err != nil {
		t.Fatal(err)
	}
	findings := env().Validate(c)
	if len(findings) != 1 {
		t.Fatalf("findings: %v", findings)
	}
	want := "detections/cloud/broken.yml:12:21: spl-syntax: error: unexpected end of search, expected a field name after BY"
	if findings[0].String() != want {
		t.Errorf("got  %s\nwant %s", findings[0], want)
	}
}

// TestSearchNotString: a search: that is not a string is one schema
// finding at the search's value, from validating and from preparing it.
func TestSearchNotString(t *testing.T) {
	for name, search := range map[string]string{
		"mapping": "search:\n  a: b\n",
		"list":    "search:\n  - a\n  - b\n",
		"number":  "search: 42\n",
	} {
		t.Run(name, func(t *testing.T) {
			det := "name: Bad\nid: 11111111-1111-1111-1111-111111111111\nversion: 1\ndate: '2026-01-01'\nauthor: Test\n" +
				"status: production\ntype: TTP\ndescription: x\ndata_source: []\n" + search +
				"how_to_implement: x\nknown_false_positives: x\nreferences: []\ntags:\n    analytic_story: []\n"
			fsys := fstest.MapFS{"detections/cloud/bad.yml": {Data: []byte(det)}}
			c, err := harness.Load(fsys, "mem")
			if err != nil {
				t.Fatal(err)
			}
			line, col := 11, 3
			if name == "number" {
				line, col = 10, 9
			}
			want := fmt.Sprintf("detections/cloud/bad.yml:%d:%d: schema: error: search must be a string", line, col)
			findings := env().Validate(c)
			if len(findings) != 1 || findings[0].String() != want {
				t.Errorf("Validate: %v\nwant [%s]", findings, want)
			}
			_, fs := env().Prepare(c, c.Detections[0], "aws:cloudtrail")
			if len(fs) != 1 || fs[0].String() != want {
				t.Errorf("Prepare: %v\nwant [%s]", fs, want)
			}
		})
	}
}

// countingFS counts the opens of each file.
type countingFS struct {
	fs.FS
	opens map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opens[name]++
	return c.FS.Open(name)
}

// Stat does not count: only reads do.
func (c *countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// TestSharedPass: detections tested on the same dataset share one read of
// it, and each still gets its own, exact result.
func TestSharedPass(t *testing.T) {
	c := withTwin(t, func(twin string) string { return twin })
	data := &countingFS{FS: attackdata.FS(), opens: map[string]int{}}
	var results []harness.Result
	sum := env().RunTests(c, harness.TestOptions{AttackData: data}, func(r harness.Result) { results = append(results, r) })
	// The twin has no sidecar entry of its own: it is judged by the firing rule only.
	if sum.Failed+sum.Errors != 0 || len(results) != 3 {
		for _, r := range results {
			t.Logf("%s / %s: %s %s", r.Detection, r.Test, r.Status, r.Message)
		}
		t.Fatalf("summary %+v", sum)
	}
	const data1 = "datasets/attack_techniques/T1562.008/aws_bedrock_delete_guardrails/cloudtrail.json"
	if data.opens[data1] != 1 {
		t.Errorf("%s opened %d times, want once for both detections", data1, data.opens[data1])
	}
}

// withTwin loads our content's macros, stories and data sources with two
// detections: AWS Bedrock Delete GuardRails, and its twin "AWS Bedrock
// Delete GuardRails Twin" (another id), whose YAML edit may change further.
func withTwin(t *testing.T, edit func(twin string) string) *harness.Content {
	t.Helper()
	own, err := fs.ReadFile(detections.FS(), "detections/cloud/aws_bedrock_delete_guardrails.yml")
	if err != nil {
		t.Fatal(err)
	}
	twin := strings.Replace(string(own), "name: AWS Bedrock Delete GuardRails", "name: AWS Bedrock Delete GuardRails Twin", 1)
	twin = strings.Replace(twin, "id: 7a5e3d62-f743-11ee-9f6e-acde48001122", "id: 7a5e3d62-f743-11ee-9f6e-acde48001123", 1)
	return withDetections(t, map[string][]byte{
		"detections/cloud/a.yml": own,
		"detections/cloud/b.yml": []byte(edit(twin)),
	})
}

// withDetections loads the given detection files beside the embedded
// content's macros, stories and data sources.
func withDetections(t *testing.T, files map[string][]byte) *harness.Content {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	for _, dir := range []string{"macros", "stories", "data_sources"} {
		entries, _ := fs.ReadDir(detections.FS(), dir)
		for _, e := range entries {
			b, _ := fs.ReadFile(detections.FS(), dir+"/"+e.Name())
			fsys[dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	c, err := harness.Load(fsys, "mem")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPrefilterNeverChangesResults runs every detection search the
// evaluator supports, of our content and of ESCU's, over our attack data
// (attack and benign files) and generated CloudTrail of every gen
// profile, with the raw pre-filter (deriving literals from the knowledge's
// field origins), with it kept to raw fields, and without it, and compares
// the rows.
func TestPrefilterNeverChangesResults(t *testing.T) {
	data := prefilterData(t, 9)
	t.Run("own", func(t *testing.T) { checkPrefilter(t, loadOwn(t), data, 5, 2) })
	t.Run("ESCU", func(t *testing.T) { checkPrefilter(t, loadESCU(t), data, 200, 2) })
}

// prefilterData is what the pre-filter's soundness tests read: 1 MB of
// generated CloudTrail of every gen profile (seed) and every attack and
// benign file of our attack data.
func prefilterData(t *testing.T, seed uint64) fstest.MapFS {
	t.Helper()
	data := fstest.MapFS{}
	for _, profile := range gen.Profiles() {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, gen.Config{Bytes: 1_000_000, Seed: seed, AttackEvery: 300, Profile: profile}); err != nil {
			t.Fatal(err)
		}
		data["gen-"+profile+".json"] = &fstest.MapFile{Data: buf.Bytes()}
	}
	_ = fs.WalkDir(attackdata.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			b, _ := fs.ReadFile(attackdata.FS(), p)
			data[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	return data
}

// checkPrefilter checks at least min searches of c, and that the derived
// pre-filter serves at least derived of them.
func checkPrefilter(t *testing.T, c *harness.Content, data fs.FS, min, derived int) {
	with, rawOnly, without := env(), env(), env()
	rawOnly.NoDerivedPrefilter = true
	without.NoPrefilter = true
	checked, served := 0, 0
	for _, d := range c.Detections {
		a, fa := with.Prepare(c, d, "aws:cloudtrail")
		r, fr := rawOnly.Prepare(c, d, "aws:cloudtrail")
		b, fb := without.Prepare(c, d, "aws:cloudtrail")
		if len(fa)+len(fr)+len(fb) > 0 || a == nil || r == nil || b == nil || a.Plan == nil || r.Plan == nil || b.Plan == nil {
			continue
		}
		ra, rr, rb := runAll(t, a, data), runAll(t, r, data), runAll(t, b, data)
		if ra != rb {
			t.Errorf("%s: the pre-filter changes the results:\nwith:    %s\nwithout: %s", d.Name, ra, rb)
		}
		if rr != rb {
			t.Errorf("%s: the raw-field pre-filter changes the results:\nwith:    %s\nwithout: %s", d.Name, rr, rb)
		}
		if a.Plan.Prefilter() != r.Plan.Prefilter() {
			t.Logf("%s: pre-filter %s (raw fields only: %s)", d.Name, a.Plan.Prefilter(), r.Plan.Prefilter())
			served++
		}
		checked++
	}
	t.Logf("%d supported searches give the same results with and without the pre-filter; %d use a literal derived from the knowledge", checked, served)
	if checked < min {
		t.Errorf("only %d searches checked, want at least %d", checked, min)
	}
	if served < derived {
		t.Errorf("only %d searches use a derived literal, want at least %d", served, derived)
	}
}

func runAll(t *testing.T, p *harness.Prepared, data fs.FS) string {
	var out strings.Builder
	var paths []string
	_ = fs.WalkDir(data, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, path)
		}
		return nil
	})
	_, err := p.Plan.Run(inputFS{data, paths}, func(r *value.Row) error {
		fmt.Fprintln(&out, output.Row(r))
		return nil
	})
	if err != nil {
		return "error: " + err.Error()
	}
	return out.String()
}

type inputFS struct {
	fsys  fs.FS
	paths []string
}

func (in inputFS) Events(fn func(*event.Event) error) error {
	_, err := event.ReadFS(in.fsys, in.paths, event.Options{Sourcetype: "aws:cloudtrail", Source: "aws_cloudtrail"}, fn)
	return err
}

// TestValidateReportsEveryUnsupported: a search with two commands and one
// function the evaluator cannot run gets a finding for each, in source
// order, not only for the first.
func TestValidateReportsEveryUnsupported(t *testing.T) {
	const det = `name: Many
id: 22222222-2222-2222-2222-222222222222
version: 1
date: '2026-01-01'
author: Test
status: production
type: TTP
description: x
data_source: []
search: >-
    sourcetype=aws:cloudtrail eventName=DeleteGuardrail
    | eval x=nosuchfn(userName)
    | anomalydetection userName
    | frobnicate y=1
how_to_implement: x
known_false_positives: x
references: []
tags:
    analytic_story: []
`
	fsys := fstest.MapFS{"detections/cloud/many.yml": {Data: []byte(det)}}
	c, err := harness.Load(fsys, "mem")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range env().Validate(c) {
		got = append(got, f.String())
	}
	want := []string{
		"detections/cloud/many.yml:12:14: unsupported-function: warning: function nosuchfn() is not supported by the evaluator",
		"detections/cloud/many.yml:13:7: unsupported-command: warning: command anomalydetection is not supported by the evaluator",
		"detections/cloud/many.yml:14:7: unsupported-command: warning: command frobnicate is not supported by the evaluator",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
