package spl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
)

// TestSubstitute: the copy has the template replaced in field names,
// quoted fields, strings, words and options, and shares nothing with the
// template, which stays as parsed.
func TestSubstitute(t *testing.T) {
	q, err := spl.ParseString(`| foreach a_* [eval <<FIELD>>=if('<<FIELD>>' > 'avg_<<MATCHSTR>>', "<<FIELD>>!", <<FIELD>>) | rename <<FIELD>> AS "new <<MATCHSTR>>" | rex field=<<FIELD>> "(?<x_<<MATCHSTR>>>\d+)" | fillnull value=<<MATCHSTR>> <<FIELD>>]`)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := q.Commands[0].(*spl.ForeachCommand).Pipeline.Commands
	before := q.String()
	r := strings.NewReplacer("<<FIELD>>", "a_1", "<<MATCHSTR>>", "1").Replace
	got, err := spl.Substitute(tmpl, r)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range got {
		texts = append(texts, spl.Format(c))
	}
	want := `eval a_1=if('a_1' > 'avg_1', "a_1!", a_1) | rename a_1 AS "new 1" | rex field=a_1 "(?<x_1>\d+)" | fillnull value=1 a_1`
	if s := strings.Join(texts, " | "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	if q.String() != before {
		t.Errorf("template changed: %s", q.String())
	}
}

// TestSubstituteBareName: a substitution that eval would read as more
// than one field name, or as an operator, is an error at the template.
func TestSubstituteBareName(t *testing.T) {
	q, err := spl.ParseString(`| foreach * [eval y=1 + <<FIELD>>]`)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := q.Commands[0].(*spl.ForeachCommand).Pipeline.Commands
	for _, name := range []string{"a.b", "a-b", "a b", "1a", "OR", "not", "a'b"} {
		_, err := spl.Substitute(tmpl, strings.NewReplacer("<<FIELD>>", name).Replace)
		var se *spl.SubstituteError
		if !errors.As(err, &se) || se.Pos.Offset != strings.Index(q.String(), "<<FIELD>>") {
			t.Errorf("%q: got %v, want an error at the template", name, err)
		}
	}
	for _, name := range []string{"a_b", "count", "Or", "$x"} {
		if _, err := spl.Substitute(tmpl, strings.NewReplacer("<<FIELD>>", name).Replace); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}
