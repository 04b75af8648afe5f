package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// rowCommandCases are the documented behaviours of strcat, rangemap,
// filldown, uniq, accum, delta and autoregress, each naming its Search
// Reference page. Results are made with makeresults, as the pages'
// examples are.
var rowCommandCases = []docCase{
	// Search Reference, "strcat": strcat host "::" port hostport.
	{"strcat: fields and quoted strings",
		`| makeresults | eval host="www1", port=80 | strcat host "::" port hostport | table hostport`,
		compact(`{"hostport": "www1::80"}`)},
	// "strcat": a missing field is empty unless allrequired=t.
	{"strcat: missing field is empty",
		`| makeresults | eval sourceIP="10.0.0.1" | strcat sourceIP "/" destIP comboIP | table comboIP`,
		compact(`{"comboIP": "10.0.0.1/"}`)},
	{"strcat: allrequired=t writes only when every field exists",
		`| makeresults | eval sourceIP="10.0.0.1" | strcat allrequired=t sourceIP "/" destIP comboIP | table sourceIP comboIP`,
		compact(`{"sourceIP": "10.0.0.1"}`)},
	// Search Reference, "rangemap": rangemap field=count low=0-0 elevated=1-100 default=severe.
	{"rangemap: ranges and default",
		`| makeresults count=3 | streamstats count | eval count=case(count=1, 0, count=2, 50, true(), 500) | rangemap field=count low=0-0 elevated=1-100 default=severe | table count range`,
		compact(`{"count": "0", "range": "low"}`, `{"count": "50", "range": "elevated"}`, `{"count": "500", "range": "severe"}`)},
	// "rangemap": without default, a value in no range is None; bounds are inclusive.
	{"rangemap: None without default, inclusive bounds",
		`| makeresults count=2 | streamstats count | eval v=if(count=1, 30, 31) | rangemap field=v green=1-30 | table v range`,
		compact(`{"v": "30", "range": "green"}`, `{"v": "31", "range": "None"}`)},
	{"rangemap: overlapping ranges give every name",
		`| makeresults | eval v=-5 | rangemap field=v neg=-10--1 small=-5-5 | table range`,
		compact(`{"range": ["neg", "small"]}`)},
	// Search Reference, "filldown": null values take the last non-null value.
	{"filldown: named fields",
		`| makeresults count=3 | streamstats count | eval a=if(count=1, "x", null()), b=if(count=2, "y", null()) | filldown a | table count a b`,
		compact(`{"count": "1", "a": "x"}`, `{"count": "2", "a": "x", "b": "y"}`, `{"count": "3", "a": "x"}`)},
	{"filldown: every field without a list",
		`| makeresults count=3 | streamstats count | eval a=if(count=1, "x", null()), b=if(count=2, "y", null()) | filldown | table count a b`,
		compact(`{"count": "1", "a": "x"}`, `{"count": "2", "a": "x", "b": "y"}`, `{"count": "3", "a": "x", "b": "y"}`)},
	{"filldown: wildcards",
		`| makeresults count=2 | streamstats count | eval src_a=if(count=1, "1", null()), dst=if(count=1, "2", null()) | filldown src* | table count src_a dst`,
		compact(`{"count": "1", "src_a": "1", "dst": "2"}`, `{"count": "2", "src_a": "1"}`)},
	// Search Reference, "uniq": removes a result identical to the one before.
	{"uniq: adjacent duplicates only",
		`| makeresults count=5 | streamstats count | eval v=case(count<=2, "a", count=3, "b", true(), "a") | fields - count, _time | uniq | table v`,
		compact(`{"v": "a"}`, `{"v": "b"}`, `{"v": "a"}`)},
	// Search Reference, "accum": accum quantity AS total_quantity.
	{"accum: running total AS new field",
		`| makeresults count=4 | streamstats count AS quantity | accum quantity AS total_quantity | table quantity total_quantity`,
		compact(`{"quantity": "1", "total_quantity": "1"}`, `{"quantity": "2", "total_quantity": "3"}`, `{"quantity": "3", "total_quantity": "6"}`, `{"quantity": "4", "total_quantity": "10"}`)},
	{"accum: in place, non-numbers skipped",
		`| makeresults count=3 | streamstats count AS q | eval q=if(q=2, "n/a", q) | accum q | table q`,
		compact(`{"q": "1"}`, `{"q": "n/a"}`, `{"q": "4"}`)},
	// Search Reference, "delta": the difference from the previous result; p=N looks N back.
	{"delta: default name and p=1",
		`| makeresults count=3 | streamstats count | eval v=count*count | delta v | table v delta(v)`,
		compact(`{"v": "1"}`, `{"v": "4", "delta(v)": "3"}`, `{"v": "9", "delta(v)": "5"}`)},
	{"delta: p=2 AS",
		`| makeresults count=4 | streamstats count | eval v=count*10 | delta v AS d p=2 | table v d`,
		compact(`{"v": "10"}`, `{"v": "20"}`, `{"v": "30", "d": "20"}`, `{"v": "40", "d": "20"}`)},
	// Search Reference, "autoregress": field_pN from earlier results.
	{"autoregress: default p=1",
		`| makeresults count=3 | streamstats count | autoregress count | table count count_p1`,
		compact(`{"count": "1"}`, `{"count": "2", "count_p1": "1"}`, `{"count": "3", "count_p1": "2"}`)},
	{"autoregress: p=2-3",
		`| makeresults count=4 | streamstats count | autoregress count p=2-3 | table count count_p2 count_p3`,
		compact(`{"count": "1"}`, `{"count": "2"}`, `{"count": "3", "count_p2": "1"}`, `{"count": "4", "count_p2": "2", "count_p3": "1"}`)},
	{"autoregress: AS",
		`| makeresults count=2 | streamstats count | autoregress count AS prev | table count prev`,
		compact(`{"count": "1"}`, `{"count": "2", "prev": "1"}`)},
}

// docCase is a search over no events (it makes its rows) and its output.
type docCase struct {
	name, search, want string
}

func runDocCases(t *testing.T, cases []docCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, lines{}, c.search, exec.Options{}); got != c.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", c.search, got, c.want)
			}
		})
	}
}

func TestRowCommands(t *testing.T) { runDocCases(t, rowCommandCases) }

// compileError is the error compiling search gives.
func compileError(t *testing.T, search string) error {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	_, err = exec.Compile(q, exec.Options{Now: now})
	return err
}

// TestRowCommandErrors: misuse is a compile error naming what is wrong.
func TestRowCommandErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | strcat a`, "strcat needs at least one source"},
		{`| makeresults | strcat a "b"`, "must be a field name"},
		{`| makeresults | strcat allrequired=maybe a b`, "strcat: allrequired must be true or false"},
		{`| makeresults | rangemap low=1-2`, "rangemap needs field="},
		{`| makeresults | rangemap field=x low=a-b`, "not a numeric range"},
		{`| makeresults | delta x p=0`, "delta: p must be a number, at least 1"},
		{`| makeresults | autoregress x AS y p=1-2`, "p must be a single number"},
		{`| makeresults | autoregress x p=3-2`, "autoregress p=3-2"},
	} {
		err := compileError(t, c.search)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
}

// runErr runs a search over no events and returns its run error.
func runErr(t *testing.T, search string, opts exec.Options) error {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	opts.Now = now
	plan, err := exec.Compile(q, opts)
	if err != nil {
		return err
	}
	_, err = plan.Run(lines{}, func(*value.Row) error { return nil })
	return err
}
