package harness

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"slices"
)

// SARIFSchema is the schema SARIF output names: SARIF 2.1.0 with errata 01,
// the version GitHub code scanning reads.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// The SARIF 2.1.0 objects splharness writes (OASIS "Static Analysis
// Results Interchange Format (SARIF) Version 2.1.0", sections 3.13 to 3.30).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool struct {
			Driver sarifDriver `json:"driver"`
		} `json:"tool"`
		// Columns count characters (our positions do), not UTF-16 code
		// units, the default.
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifDriver struct {
		Name    string      `json:"name"`
		Version string      `json:"version,omitempty"`
		Rules   []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
		Default          struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		Physical struct {
			Artifact struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *sarifRegion `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// WriteSARIF writes findings, and the tests among results that failed or
// could not run, as one SARIF 2.1.0 run of the tool splharness (version
// may be empty). Each code is a rule, listed once, in the order of Rules
// and TestRules. A finding is located at its position; a test at its
// entry under tests:, or, when its search could not be prepared, at the
// search's problem. File names should already be relative to the working
// directory, as code scanning resolves them against the checkout.
func WriteSARIF(w io.Writer, version string, findings []Finding, results []Result) error {
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	run.Tool.Driver = sarifDriver{Name: "splharness", Version: version, Rules: []sarifRule{}}
	var codes []string
	add := func(code string, level Severity, file string, line, col int, msg string) {
		var loc sarifLocation
		loc.Physical.Artifact.URI = fileURI(file)
		if line > 0 {
			loc.Physical.Region = &sarifRegion{StartLine: line, StartColumn: max(col, 0)}
		}
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
		run.Results = append(run.Results, sarifResult{RuleID: code, Level: string(level), Message: sarifMessage{msg}, Locations: []sarifLocation{loc}})
	}
	for _, f := range findings {
		add(f.Code, f.Severity, f.File, f.Line, f.Column, f.Message)
	}
	for _, r := range results {
		code, ok := testCode(r)
		if !ok {
			continue
		}
		file, line, col, msg := placeResult(r)
		add(code, SeverityError, file, line, col, msg)
	}
	index := map[string]int{}
	for _, rule := range append(slices.Clone(Rules), TestRules...) {
		if !slices.Contains(codes, rule.Code) {
			continue
		}
		index[rule.Code] = len(run.Tool.Driver.Rules)
		sr := sarifRule{ID: rule.Code, ShortDescription: sarifMessage{rule.Summary}}
		sr.Default.Level = string(rule.Severity)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sr)
	}
	for _, code := range codes {
		if _, ok := index[code]; !ok { // a code missing from Rules: still a rule
			index[code] = len(run.Tool.Driver.Rules)
			sr := sarifRule{ID: code, ShortDescription: sarifMessage{code}}
			sr.Default.Level = string(SeverityError)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sr)
		}
	}
	for i := range run.Results {
		run.Results[i].RuleIndex = index[run.Results[i].RuleID]
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// testCode is the rule of a test result that is not a pass.
func testCode(r Result) (string, bool) {
	switch r.Status {
	case Fail:
		return CodeTestFail, true
	case Error:
		return CodeTestError, true
	}
	return "", false
}

// fileURI turns a file path into a URI reference: a relative path stays
// relative (its segments escaped), an absolute one becomes a file: URI.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	if filepath.IsAbs(filepath.FromSlash(p)) {
		if p[0] != '/' {
			p = "/" + p // a Windows drive: file:///C:/...
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
