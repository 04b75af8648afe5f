package harness

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// TestDiffRows: expected rows (as a sidecar's YAML gives them) against
// result rows, compared in order. Equal rows give no diff, whatever the
// YAML types (a number, a list of one value); otherwise go-cmp's report,
// with "-" for expected and "+" for returned, row by row, then the rows
// only one side has. The report is the same in every run (go-cmp aligns
// lists from a random end, which row by row comparison avoids).
func TestDiffRows(t *testing.T) {
	row := func(fields ...string) *value.Row {
		r := value.NewRow(nil)
		for i := 0; i < len(fields); i += 2 {
			if vals := strings.Split(fields[i+1], ","); len(vals) > 1 {
				r.Set(fields[i], value.MV(vals))
			} else {
				r.Set(fields[i], value.Str(fields[i+1]))
			}
		}
		return r
	}
	cases := []struct {
		name string
		want []map[string]any
		got  []*value.Row
		diff []string // lines the diff must hold; none: no diff
	}{
		{"equal, YAML number and one-value list", []map[string]any{{"count": 2, "user": []any{"alice"}, "gone": nil}},
			[]*value.Row{row("count", "2", "user", "alice")}, nil},
		{"no rows expected, none returned", []map[string]any{}, nil, nil},
		{"a field differs", []map[string]any{{"count": "2", "user": "alice"}},
			[]*value.Row{row("count", "2", "user", "bob")},
			[]string{"row 1:", `- 	"user":  string("alice"),`, `+ 	"user":  string("bob"),`}},
		{"multivalue differs", []map[string]any{{"ids": []any{"a", "b"}}},
			[]*value.Row{row("ids", "a,c")},
			[]string{"row 1:", `- 		"b",`, `+ 		"c",`}},
		{"a field is missing", []map[string]any{{"count": "2", "user": "alice"}},
			[]*value.Row{row("count", "2")},
			[]string{"row 1:", `- 	"user":  string("alice"),`}},
		{"a row more than expected", []map[string]any{{"user": "alice"}},
			[]*value.Row{row("user", "alice"), row("user", "bob")},
			[]string{"row 2 returned beyond the 1 expected:", `+ 	{"user": string("bob")},`}},
		{"rows fewer than expected", []map[string]any{{"user": "alice"}, {"user": "bob"}, {"user": "carol"}},
			[]*value.Row{row("user", "alice")},
			[]string{"rows 2 to 3 expected beyond the 1 returned:", `- 	{"user": string("bob")},`, `- 	{"user": string("carol")},`}},
		{"must not fire", []map[string]any{},
			[]*value.Row{row("user", "alice")},
			[]string{"row 1 returned, none expected:", `+ 	{"user": string("alice")},`}},
		{"rows out of order", []map[string]any{{"user": "alice"}, {"user": "bob"}},
			[]*value.Row{row("user", "bob"), row("user", "alice")},
			[]string{"row 1:", "row 2:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := diffRows(c.want, c.got)
			if c.diff == nil {
				if got != "" {
					t.Errorf("want no diff, got:\n%s", got)
				}
				return
			}
			if strings.ContainsRune(got, '\u00a0') {
				t.Errorf("diff has no-break spaces:\n%q", got)
			}
			lines := strings.Split(got, "\n")
			for _, want := range c.diff {
				found := false
				for _, l := range lines {
					found = found || l == want
				}
				if !found {
					t.Errorf("diff lacks the line %q:\n%s", want, got)
				}
			}
		})
	}
}

// TestMissingReport: however many tests miss their data, the message is a
// few lines: the count, the folder, three examples (Git LFS pointers
// first), and how to get the data.
func TestMissingReport(t *testing.T) {
	var results []Result
	for i := range 300 {
		r := Result{Detection: "D", Test: "T", Status: Error}
		if i%2 == 0 {
			r.Missing = []MissingFile{{Path: "datasets/x/" + string(rune('a'+i%26)) + ".json"}}
		}
		results = append(results, r)
	}
	results[7].Missing = []MissingFile{{Path: "datasets/lfs.json", LFS: true}}
	got := MissingReport(results, "attack_data")
	lines := strings.Split(strings.TrimRight(got, "\n"), "\n")
	if len(lines) > 12 {
		t.Errorf("%d lines, want at most 12:\n%s", len(lines), got)
	}
	for _, want := range []string{
		"151 tests could not run: 14 attack data files they name are missing from attack_data (1 of them is a Git LFS pointer, not data), for example:",
		"  datasets/lfs.json (Git LFS pointer)",
		"  ... and 11 more",
		"  git lfs install",
		"  git clone https://github.com/splunk/attack_data",
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, "--attack-data") {
		t.Errorf("report does not name --attack-data:\n%s", got)
	}
	if MissingReport(results[1:2], "attack_data") != "" {
		t.Error("a report for results that miss nothing")
	}
}
