package exec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// foreachCases follow the multifield examples of Splunk's Search
// Reference, "foreach": <<FIELD>> is the matched field's name, <<MATCHSTR>>
// (and <<MATCHSEG1>> for a pattern of one wildcard) what the wildcard
// matched; the template is substituted in field names, strings and words
// of the subpipeline, which is then run as written.
var foreachCases = []struct{ name, search, want string }{
	{"sum fields of similar names",
		`| makeresults | eval total=0, test1=1, test2=2, test3=3 | foreach test* [eval total=total + '<<FIELD>>'] | table total`,
		compact(`{"total": "6"}`)},
	{"bare <<FIELD>> on both sides",
		`| makeresults | eval a_1=1, a_2=2 | foreach a_* [eval <<FIELD>>=<<FIELD>> * 10] | table a_1 a_2`,
		compact(`{"a_1": "10", "a_2": "20"}`)},
	{"<<MATCHSTR>> builds new field names",
		`| makeresults | eval foo1=1, foo2=2, bar1=10, bar2=20 | foreach foo* [eval new_<<MATCHSTR>> = <<FIELD>> + bar<<MATCHSTR>>] | table new_1 new_2`,
		compact(`{"new_1": "11", "new_2": "22"}`)},
	{"<<MATCHSEG1>> in a quoted field",
		`| makeresults | eval x_a=1, x_b=2 | foreach x_* [eval 'y_<<MATCHSEG1>>'='<<FIELD>>' + 1] | table y_a y_b`,
		compact(`{"y_a": "2", "y_b": "3"}`)},
	{"template inside a string",
		`| makeresults | eval c_x=1 | foreach c_* [eval label="<<FIELD>> is <<MATCHSTR>>"] | table label`,
		compact(`{"label": "c_x is x"}`)},
	{"several commands, a rename word",
		`| makeresults | eval k_a=1 | foreach k_* [eval <<FIELD>>=<<FIELD>> + 1 | rename <<FIELD>> AS renamed_<<MATCHSTR>>] | table renamed_a`,
		compact(`{"renamed_a": "2"}`)},
	{"quoted template for a field with a period",
		`| makeresults | eval 'p.x'=5 | foreach p.* [eval '<<FIELD>>'='<<FIELD>>' * 2] | table p.x`,
		compact(`{"p.x": "10"}`)},
}

func TestForeach(t *testing.T) {
	for _, c := range foreachCases {
		t.Run(c.name, func(t *testing.T) {
			got := run(t, nil, c.search, exec.Options{})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", c.search, diff)
			}
		})
	}
}

// TestForeachTemplateUntouched: each field gets its own copy of the
// subpipeline; the parsed template itself is never changed, so the search
// prints as written after running.
func TestForeachTemplateUntouched(t *testing.T) {
	search := `| makeresults | eval a_1=1, a_2=2 | foreach a_* [eval <<FIELD>>=<<FIELD>> * 10]`
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatal(err)
	}
	before := q.String()
	plan, err := exec.Compile(q, exec.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Run(lines(nil), func(*value.Row) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if after := q.String(); after != before {
		t.Errorf("template changed: %q -> %q", before, after)
	}
}

// TestForeachBareNameNotOneField: Splunk substitutes in the text, so a
// field with a period substituted for a bare <<FIELD>> in an expression
// would be read as a concatenation (Search Reference, "foreach": quote
// such names as '<<FIELD>>'). That is an error naming the field, at the
// template's position, never a silent different reading.
func TestForeachBareNameNotOneField(t *testing.T) {
	search := `| makeresults | eval 'p.x'=5 | foreach p.* [eval y=<<FIELD>> * 2]`
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := exec.Compile(q, exec.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = plan.Run(lines(nil), func(*value.Row) error { return nil })
	var ee *exec.Error
	if !errors.As(err, &ee) || !strings.Contains(ee.Msg, `foreach p.x: "p.x" written bare in an expression is not one field name`) {
		t.Fatalf("got %v, want the bare-name error", err)
	}
	if want := strings.Index(search, "<<FIELD>>"); ee.Pos.Offset != want {
		t.Errorf("error at offset %d, want %d (the template)", ee.Pos.Offset, want)
	}
}

// TestForeachUnsupported: the subpipeline is checked when the search is
// compiled, at the command's own position.
func TestForeachUnsupported(t *testing.T) {
	wantCompileError(t, `x | foreach a_* [stats count]`, "foreach: command stats is not supported inside foreach")
	wantCompileError(t, `x | foreach a_* [eval y=nosuchfunc('<<FIELD>>')]`, "function nosuchfunc() is not supported")
}
