package harness

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
)

// Severity of a finding.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem of the content, at a file position.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// String is the text form, file:line:col: code: severity: message, the
// shape compilers print, so editors and CI problem matchers pick it up;
// the severity opens the message (docs/findings.md, "Output formats").
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s: %s", f.File, f.Line, f.Column, f.Code, f.Severity, f.Message)
}

// kind is the YAML type a key must have.
type kind int

const (
	kStr kind = iota
	kInt
	kList
	kMap
)

func (k kind) String() string {
	return [...]string{"a string", "an integer", "a list", "a mapping"}[k]
}

// schema lists the keys an object may have (in either generation of the
// ESCU schema), their types, and the keys it must have; "a|b" means one
// of them.
type schema struct {
	object   string
	keys     map[string]kind
	required []string
}

var detectionSchema = schema{
	object: "detection",
	keys: map[string]kind{
		"name": kStr, "id": kStr, "version": kInt, "date": kStr, "creation_date": kStr, "modification_date": kStr,
		"author": kStr, "status": kStr, "type": kStr, "description": kStr, "data_source": kList, "search": kStr,
		"how_to_implement": kStr, "known_false_positives": kStr, "references": kList, "drilldown_searches": kList,
		"rba": kMap, "finding": kMap, "threat_objects": kList, "tags": kMap, "tests": kList,
		"analytic_story": kList, "asset_type": kStr, "mitre_attack_id": kList, "product": kList,
		"security_domain": kStr, "category": kStr,
	},
	required: []string{"name", "id", "version", "date|creation_date", "author", "status", "type", "description",
		"data_source", "search", "how_to_implement", "known_false_positives", "references", "tags|analytic_story"},
}

var storySchema = schema{
	object: "story",
	keys: map[string]kind{
		"name": kStr, "id": kStr, "version": kInt, "date": kStr, "creation_date": kStr, "modification_date": kStr,
		"author": kStr, "status": kStr, "type": kStr, "description": kStr, "narrative": kStr, "references": kList,
		"tags": kMap, "category": kList, "product": kList, "usecase": kStr,
	},
	required: []string{"name", "id", "version", "date|creation_date", "author", "description", "narrative", "references"},
}

var dataSourceSchema = schema{
	object: "data source",
	keys: map[string]kind{
		"name": kStr, "id": kStr, "version": kInt, "date": kStr, "creation_date": kStr, "modification_date": kStr,
		"author": kStr, "description": kStr, "source": kStr, "sourcetype": kStr, "separator": kStr,
		"separator_value": kStr, "supported_TA": kList, "fields": kList, "output_fields": kList,
		"field_mappings": kList, "convert_to_log_source": kList, "mitre_components": kList,
		"configuration": kStr, "example_log": kStr,
	},
	required: []string{"name", "id", "version", "date|creation_date", "author", "description", "source", "sourcetype"},
}

var lookupSchema = schema{
	object: "lookup",
	keys: map[string]kind{
		"name": kStr, "description": kStr, "filename": kStr, "collection": kStr, "fields_list": kStr, "fields": kStr,
		"match_type": kStr, "case_sensitive_match": kStr, "default_match": kStr, "min_matches": kInt, "max_matches": kInt,
	},
	required: []string{"name", "description", "filename|collection"},
}

// checkSchema reports missing, unknown, mistyped and duplicate keys.
func checkSchema(file string, n *yaml.Node, s schema) []Finding {
	var out []Finding
	at := func(node *yaml.Node, format string, args ...any) {
		out = append(out, Finding{File: file, Line: node.Line, Column: node.Column, Code: string(diag.Schema), Severity: SeverityError, Message: fmt.Sprintf(format, args...)})
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			at(k, "key %s appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		want, known := s.keys[k.Value]
		if !known {
			at(k, "unknown key %s in a %s", k.Value, s.object)
			continue
		}
		if got, ok := kindOf(v); !ok || got != want {
			at(v, "%s must be %s", k.Value, want)
		}
	}
	for _, req := range s.required {
		alts := strings.Split(req, "|")
		found := false
		for _, a := range alts {
			found = found || seen[a]
		}
		if !found {
			at(n, "missing key %s in a %s", strings.Join(alts, " or "), s.object)
		}
	}
	return out
}

func kindOf(v *yaml.Node) (kind, bool) {
	switch v.Kind {
	case yaml.SequenceNode:
		return kList, true
	case yaml.MappingNode:
		return kMap, true
	case yaml.ScalarNode:
		if v.Tag == "!!int" {
			return kInt, true
		}
		if v.Tag == "!!str" {
			return kStr, true
		}
		// A number or boolean where a string is expected is mistyped.
		return -1, true
	}
	return -1, false
}

// findingFromError turns a loader error into a finding.
func findingFromError(err error, file string) Finding {
	var d *diag.Error
	if errors.As(err, &d) {
		p := d.Position()
		return Finding{File: p.File, Line: p.Line, Column: p.Column, Code: string(d.Code), Severity: SeverityOf(string(d.Code)), Message: d.Message}
	}
	var ce *conf.Error
	if errors.As(err, &ce) {
		return Finding{File: ce.File, Line: ce.Line, Column: 1, Code: "conf", Severity: SeverityError, Message: ce.Msg}
	}
	return Finding{File: file, Line: 1, Column: 1, Code: string(diag.YAML), Severity: SeverityError, Message: err.Error()}
}

// SortFindings orders findings by file, line and column.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}
