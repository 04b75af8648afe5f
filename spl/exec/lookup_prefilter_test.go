package exec

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/lookup"
)

// TestLookupPrefilter: a field that lookups write requires, of the raw
// text, its own value (when it can be a raw field's) or the input cells of
// one lookup row that gives a matching value; nothing where a constant,
// a default_match or a CIDR input could give it. A case-insensitive table
// matches as strings.EqualFold, which takes the Kelvin sign for k and the
// long s for s (and a wildcard cell as strings.ToLower, which makes i of
// the dotted capital I), so those letters are no part of a literal.
func TestLookupPrefilter(t *testing.T) {
	table := func(t *testing.T, csv string, set func(*lookup.Table)) *lookup.Table {
		tb, err := lookup.ReadCSV("t.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if set != nil {
			set(tb)
		}
		return tb
	}
	prepare := func(t *testing.T, tb *lookup.Table, inputs ...string) *lookup.Lookup {
		var in []lookup.Field
		for _, f := range inputs {
			in = append(in, lookup.Field{Column: f, Field: f})
		}
		l, err := tb.Prepare(in, []lookup.Field{{Column: "cat", Field: "cat"}}, true)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	names := "name,cat\nRunInstances,vm\nStopInstances,vm\nGetObject,object\nDescribe*,read\n"
	for _, c := range []struct {
		name   string
		search string
		table  string
		set    func(*lookup.Table)
		inputs []string
		raw    []string // the field's origin before the lookups
		consts []string
		// derivedIn makes the input field derived, with these constants.
		derivedIn []string
		want      string
	}{
		{name: "rows", search: "cat=vm", table: names, inputs: []string{"name"}, raw: []string{"cat"},
			want: `"\"vm\"" OR "\"runinstances\"" OR "\"stopinstances\""`},
		{name: "IN", search: "cat IN (vm, object)", table: names, inputs: []string{"name"}, raw: []string{"cat"},
			want: `"\"vm\"" OR "\"object\"" OR "\"runinstances\"" OR "\"stopinstances\"" OR "\"getobject\""`}, // "object" between quotes is no part of "getobject"
		{name: "only the lookup writes it", search: "cat=vm", table: names, inputs: []string{"name"},
			want: `"\"runinstances\"" OR "\"stopinstances\""`},
		{name: "wildcard pattern", search: "cat=re*", table: names, inputs: []string{"name"}, raw: []string{"cat"},
			want: `"\"re" OR "\"describe*\""`},
		{name: "wildcard cell", search: "cat=read", table: names, inputs: []string{"name"},
			set: func(tb *lookup.Table) { tb.SetMatchType("WILDCARD(name)") }, want: `"\"describe"`},
		{name: "case-insensitive table", search: "cat=vm", table: names, inputs: []string{"name"},
			set: func(tb *lookup.Table) { tb.CaseInsensitive = true }, want: `"tance"`},
		{name: "constant before the lookups", search: "cat=vm", table: names, inputs: []string{"name"}, raw: []string{"cat"}, consts: []string{"VM"}},
		{name: "default raw field", search: "cat=vm", table: names, inputs: []string{"name"}, raw: []string{"sourcetype"}},
		{name: "default_match", search: "cat=vm", table: names, inputs: []string{"name"},
			set: func(tb *lookup.Table) { tb.DefaultMatch, tb.MinMatches = "vm", 1 }},
		{name: "default_match not asked", search: "cat=object", table: names, inputs: []string{"name"},
			set: func(tb *lookup.Table) { tb.DefaultMatch, tb.MinMatches = "unknown", 1 }, want: `"\"getobject\""`},
		{name: "CIDR input", search: "cat=vm", table: "ip,cat\n10.0.0.0/8,vm\n", inputs: []string{"ip"},
			set: func(tb *lookup.Table) { tb.SetMatchType("CIDR(ip)") }},
		{name: "two inputs", search: "cat=vm", table: "name,code,cat\nRunInstances,AccessDenied,vm\n", inputs: []string{"name", "code"},
			want: `"\"runinstances\"" AND "\"accessdenied\""`},
		{name: "derived input with a matching constant", search: "cat=vm", table: "name,code,cat\nRunInstances,success,vm\n", inputs: []string{"name", "code"},
			derivedIn: []string{"success"}, want: `"\"runinstances\""`},
		{name: "derived input without one", search: "cat=vm", table: "name,code,cat\nRunInstances,AccessDenied,vm\n", inputs: []string{"name", "code"},
			derivedIn: []string{"success"}, want: `"\"runinstances\"" AND "\"accessdenied\""`},
		{name: "a row that needs nothing", search: "cat=vm", table: "name,cat\nRunInstances,vm\nx,vm\n", inputs: []string{"name"}},
		{name: "escapes", search: "cat=vm", table: "name,cat\n\"a/bc\"\"de\",vm\n", inputs: []string{"name"}, want: `"de\""`},
		{name: "not equal", search: "cat!=vm", table: names, inputs: []string{"name"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := prepare(t, table(t, c.table, c.set), c.inputs...)
			k := prefilterKnowledge{
				derived: func(f string) bool { return f == "cat" || (f == "code" && c.derivedIn != nil) },
				origins: func(f string) ([]string, []string, bool) {
					if f == "code" {
						return []string{"code"}, c.derivedIn, true
					}
					return nil, nil, false
				},
				lookupOrigins: func(f string, accept func(string) bool) ([]string, []string, []lookup.Via, bool) {
					if f != "cat" {
						return nil, nil, nil, false
					}
					rows, ok := l.Giving(f, accept)
					return c.raw, c.consts, rows, ok
				},
			}
			e, err := spl.ParseSearchExpr(diag.NewSource("t", c.search), spl.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if f := buildPrefilterWith(e, k, 0); f != nil {
				got = f.String()
			}
			if got != c.want {
				t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
			}
		})
	}
}

// TestCellLiteral: the run of a lookup cell that a matching value holds
// as it is in the raw text, with the JSON string's quotes where the run
// starts or ends the cell when the value is known to be a string (str).
func TestCellLiteral(t *testing.T) {
	for _, c := range []struct {
		cell                string
		wild, caseFold, str bool
		want                string
	}{
		{"RunInstances", false, false, false, "runinstances"},
		{"Run*Instances", false, false, false, "run*instances"},
		{"Run*Instances", true, false, false, "instances"},
		{"RunInstances", false, true, false, "tance"},
		{"Kelvin", false, true, false, "elv"},
		{"a/b\"c\\dd", false, false, false, "dd"},
		{"x", false, false, false, ""},
		{"***", true, false, false, ""},
		{"ÅngströmXY", false, false, false, "ngstr"},
		{"RunInstances", false, false, true, `"runinstances"`},
		{"Run*Instances", false, false, true, `"run*instances"`},
		{"Run*Instances", true, false, true, `instances"`},
		{"Describe*", true, false, true, `"describe`},
		{"*Policy", true, false, true, `policy"`},
		{"RunInstances", false, true, true, "tance"},   // the quote goes only beside the cell's ends
		{"Kelvin", false, true, true, "elv"},           // k is cut: no run starts the cell
		{"x", false, false, true, ""},                  // a run of one byte: none, quotes or not
		{"ÅngströmWXYZ", false, false, true, `mwxyz"`}, // the run that ends the cell, with its quote, is longest
		{"a/bc\"de", false, false, true, `de"`},        // cut by / and ", the last run ends the cell
		{"ab*cd*ef", true, false, true, `"ab`},         // of equal literals, the first
	} {
		if got := cellLiteral(c.cell, c.wild, c.caseFold, c.str); got != c.want {
			t.Errorf("cellLiteral(%q, wildcard %v, case-insensitive %v, string %v) = %q, want %q", c.cell, c.wild, c.caseFold, c.str, got, c.want)
		}
	}
}
