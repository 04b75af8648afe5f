package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// TestRegexCommands: rex, rex mode=sed, regex, makemv tokenizer= and the
// match() and replace() functions run PCRE patterns RE2 lacks
// (look-around, backreferences) end to end (docs/regex.md).
func TestRegexCommands(t *testing.T) {
	cases := []struct {
		name, search, want string
	}{
		{"rex with a look-ahead",
			`eventName=DeleteGuardrail | rex field=userIdentity.arn "assumed-role/(?<role>\w+)(?=/)(?:/(?<session>.+))?" | table role session`,
			compact(`{"role": "admin", "session": "alice"}`)},
		{"rex with a backreference keeps the named group",
			`eventName=GetObject | eval s="xx-yy-zw" | rex field=s max_match=0 "(?<pair>(\w)\2)" | table pair`,
			compact(`{"pair": ["xx", "yy"]}`)},
		{"regex with a negative look-ahead",
			`eventName=* | regex eventName="^(?!List)" | table eventName`,
			compact(`{"eventName": "DeleteGuardrail"}`, `{"eventName": "GetObject"}`)},
		{"regex != with a look-behind",
			`eventName=* | regex sourceIPAddress!="(?<=\.)7$" | table sourceIPAddress`,
			compact(`{"sourceIPAddress": "192.0.2.1"}`, `{"sourceIPAddress": "AWS Internal"}`)},
		{"match() with a negative look-ahead",
			`eventName=* | eval internal=if(match(sourceIPAddress, "^(?!\d)"), "yes", "no") | dedup sourceIPAddress | table sourceIPAddress internal`,
			compact(`{"sourceIPAddress": "198.51.100.7", "internal": "no"}`, `{"sourceIPAddress": "192.0.2.1", "internal": "no"}`, `{"sourceIPAddress": "AWS Internal", "internal": "yes"}`)},
		{"replace() with a look-behind and a group",
			`eventName=GetObject | eval x=replace(eventName, "(?<=Get)(\w)", "[\1]") | table x`,
			compact(`{"x": "Get[O]bject"}`)},
		{"rex mode=sed with a look-ahead",
			`eventName=GetObject | rex field=eventName mode=sed "s/(?=Object)/-/" | table eventName`,
			compact(`{"eventName": "Get-Object"}`)},
		{"rex mode=sed with a backreference in the pattern and the replacement",
			`eventName=GetObject | eval s="aa-bb-cd" | rex field=s mode=sed "s/(\w)\1/[\1]/g" | table s`,
			compact(`{"s": "[a]-[b]-cd"}`)},
		{"makemv tokenizer with a look-ahead",
			`eventName=GetObject | eval s="a1,b2,c" | makemv tokenizer="(\w)(?=\d)" s | table s`,
			compact(`{"s": ["a", "b"]}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, cloudtrail, c.search, exec.Options{}); got != c.want {
				t.Errorf("%s\n got %s\nwant %s", c.search, got, c.want)
			}
		})
	}
}

// TestRegexErrors: a pattern that cannot run is a compile error at the
// pattern, naming it and the reason.
func TestRegexErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`x | rex "(?<a>x)(?1)"`, `rex: regular expression "(?<a>x)(?1)": recursion or subroutine call (?1) is not supported`},
		{`x | regex "(*SKIP)x"`, `regex: regular expression "(*SKIP)x": PCRE verb (*SKIP) is not supported`},
		{`x | rex mode=sed "s/(?|a)/b/"`, `rex: regular expression "(?|a)": branch reset (?|...) is not supported`},
		{`x | makemv tokenizer="(?<=a" f`, `makemv: regular expression "(?<=a": missing closing )`},
	} {
		wantCompileError(t, c.search, c.want)
	}
}

// TestRegexTimeout: a catastrophic pattern ends at the time limit, counts
// as no match, and the plan names it.
func TestRegexTimeout(t *testing.T) {
	pattern := `^(\w+\s?)+(?=$)`
	q, err := spl.ParseString(`eventName=GetObject | eval s="` + strings.Repeat("a", 40) + `!" | rex field=s "(?<m>` + pattern + `)" | table m`)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := exec.Compile(q, exec.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	if _, err := plan.Run(cloudtrail, func(*value.Row) error { rows++; return nil }); err != nil {
		t.Fatal(err)
	}
	got := plan.RegexpTimeouts()
	if rows != 1 || len(got) != 1 || got[0].Count != 1 || !strings.Contains(got[0].Pattern, pattern) {
		t.Errorf("rows %d, timeouts %v", rows, got)
	}
}
