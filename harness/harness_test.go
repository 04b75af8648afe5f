package harness_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/conf"
)

const escuRoot = "../../shared/escu"

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func env() *harness.Env {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return harness.NewEnv(apps, now)
}

func loadESCU(t *testing.T) *harness.Content {
	t.Helper()
	if _, err := os.Stat(escuRoot); err != nil {
		t.Skipf("the shared ESCU content is not beside this checkout (%v)", err)
	}
	c, err := harness.Load(os.DirFS(escuRoot), escuRoot)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLoadESCU: the real repository layout loads unmodified, both schema
// generations.
func TestLoadESCU(t *testing.T) {
	c := loadESCU(t)
	if len(c.Detections) != 276 || len(c.Stories) != 262 {
		t.Errorf("loaded %d detections and %d stories, want 276 and 262", len(c.Detections), len(c.Stories))
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

// TestValidateESCU: every ESCU cloud detection validates without an
// spl-syntax finding; other findings (unsupported commands, ATT&CK ids
// newer than the table, macros provided outside ESCU) are listed.
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
	c, err := harness.Load(detections.FS(), "(embedded)")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range env().Validate(c) {
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
	want := "detections/cloud/broken.yml:12:21: spl-syntax: unexpected end of search, expected a field name after BY"
	if findings[0].String() != want {
		t.Errorf("got  %s\nwant %s", findings[0], want)
	}
}
