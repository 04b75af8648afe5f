package exec_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// addOnOrigins are the origins of the Splunk Add-on for AWS's errorCode
// (coalesce(errorCode, if(..., "failure", "success"))), its alias
// result_id of the raw errorCode, and fields whose origin is unknown or
// not raw.
func addOnOrigins(field string) ([]string, []string, bool) {
	switch field {
	case "errorCode":
		return []string{"errorCode"}, []string{"failure", "success"}, true
	case "result_id":
		return []string{"errorCode"}, nil, true
	case "vendor_product":
		return nil, []string{"AWS CloudTrail"}, true
	case "fromtime":
		return []string{"_time"}, nil, true
	case "fromindextime":
		return []string{"_indextime"}, nil, true
	}
	return nil, nil, false
}

var addOnDerived = func(f string) bool {
	return f == "errorCode" || f == "result_id" || f == "vendor_product" || f == "fromtime" || f == "fromindextime" || f == "user_arn"
}

// TestDerivedPrefilter: a derived field's value becomes a literal of the
// raw pre-filter exactly when no constant the field can take matches it
// (Splunk compares field=value case-insensitively and with wildcards:
// Search Reference, "search" command, "Field-value pairs").
func TestDerivedPrefilter(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`errorCode=AccessDenied`, `"\"accessdenied\""`},
		{`errorCode="AccessDenied"`, `"\"accessdenied\""`},
		{`errorCode=Access*`, `"\"access"`},
		{`result_id=ThrottlingException`, `"\"throttlingexception\""`},
		{`errorCode IN (AccessDenied, Throttling*)`, `"\"accessdenied\"" OR "\"throttling"`},
		{`eventName=InvokeModel errorCode=AccessDenied`, `"\"invokemodel\"" AND "\"accessdenied\""`},
		{`errorCode=success`, ``},                    // the default value
		{`errorCode=SUCCESS`, ``},                    // matches it in any case
		{`errorCode=succ*`, ``},                      // a wildcard matching the default
		{`errorCode=*ure`, ``},                       // matches "failure"
		{`errorCode=*`, ``},                          // no literal
		{`errorCode IN (AccessDenied, success)`, ``}, // one alternative matches the default
		{`errorCode=CASE(Success)`, `"\"success\""`}, // case-sensitively not "success"
		{`errorCode!=AccessDenied`, ``},              // never
		{`NOT errorCode=AccessDenied`, ``},           // never
		{`vendor_product="AWS CloudTrail"`, ``},      // constants only
		{`vendor_product=Other`, ``},                 // constants only: no raw text to find
		{`fromtime=2026`, ``},
		{`fromindextime=2026`, ``},                   // a default field is not in the raw text
		{`user_arn=arn:aws:iam::1:user/x`, ``},       // origin unknown
		{`errorCode=AccessDenied OR user_arn=x`, ``}, // one alternative needs nothing
		{`errorCode=AccessDenied OR eventName=Get*`, `"\"accessdenied\"" OR "\"get"`},
	} {
		q, plan := mustCompile(t, c.search, exec.Options{Now: now, Derived: addOnDerived, Origins: addOnOrigins})
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
		plan, _ = exec.Compile(q, exec.Options{Now: now, Derived: addOnDerived})
		if got := plan.Prefilter(); got != "" && !strings.Contains(c.search, "eventName") {
			t.Errorf("%s: without origins the pre-filter uses a derived field: %s", c.search, got)
		}
	}
}

// addOn returns options that apply the built-in aws:cloudtrail knowledge
// (the add-on's rules) as the harness wires it; derived lets the raw
// pre-filter use the origins of the fields the rules make.
func addOn(t testing.TB, derived bool) exec.Options {
	t.Helper()
	k := addOnKnowledge(t)
	const st = "aws:cloudtrail"
	opts := exec.Options{
		Now:         now,
		Lookups:     testTables,
		Fields:      func(ev *event.Event, raw value.Source) value.Source { return k.Source(ev.Sourcetype, raw) },
		Derived:     k.Derived(st),
		ExtraFields: k.Reads(st),
		ReadsFor:    func(fields []string) []string { return k.ReadsFor(st, fields) },
	}
	opts.DataModels = addOnModels()
	if derived {
		opts.TagSearches = k.TagSearches
		opts.EventtypeSearches = k.EventtypeSearches()
		sources := k.Sources(st)
		opts.Origins = func(f string) ([]string, []string, bool) {
			o, ok := sources(f)
			return o.Raw, o.Consts, ok
		}
		viaLookups := k.LookupSources(st)
		opts.LookupOrigins = func(f string, accept func(string) bool) ([]string, []string, []lookup.Via, bool) {
			o, rows, ok := viaLookups(f, accept)
			return o.Raw, o.Consts, rows, ok
		}
	}
	return opts
}

var loadAddOn = sync.OnceValues(func() (*knowledge.Knowledge, []error) {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	k := knowledge.Load(apps, eval.NewContext(now), compile)
	return k, k.Problems
})

// addOnModels are the built-in data models (Change, Authentication, ...),
// whose constraints select events by the add-on's tags.
var addOnModels = sync.OnceValue(func() *datamodel.Set {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return datamodel.Load(apps)
})

func addOnKnowledge(t testing.TB) *knowledge.Knowledge {
	k, problems := loadAddOn()
	for _, p := range problems {
		t.Fatalf("built-in knowledge: %v", p)
	}
	return k
}

// errorCodeEvents vary what errorCode=... depends on: the raw errorCode
// absent, in other cases, a multivalue array, escaped in the JSON (its
// last character too), inside a longer string, written bare, and a
// failed console login (the add-on's "failure").
var errorCodeEvents = append(append(lines{}, cloudtrail...),
	`{"eventTime":"2026-11-01T13:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","errorCode":"accessdenied","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:01:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","errorCode":"AccessDeniedException","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:02:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:03:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","errorCode":["Throttling","AccessDenied"],"sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:04:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","errorCode":"Access\u0044enied","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:05:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:06:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorCode":"success","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:07:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":null,"sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:08:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:09:00Z","eventSource":"s3.amazonaws.com","eventName":"ForgetObject","errorCode":"NotAccessDenied","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:10:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDeniedX","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:11:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObjec\u0074","errorCode":"AccessDenie\u0064","sourceIPAddress":"192.0.2.9"}`,
	`{"eventTime":"2026-11-01T13:12:00Z","eventSource":"s3.amazonaws.com","eventName":true,"errorCode":404,"sourceIPAddress":"192.0.2.9"}`,
)

// TestDerivedPrefilterSameRows runs every search of the conformance
// tables (commandCases, lookupCases, prefilterCases) and searches on the
// fields the add-on calculates or aliases, with the add-on's knowledge,
// with the derived pre-filter and with no pre-filter at all, and compares
// the rows.
func TestDerivedPrefilterSameRows(t *testing.T) {
	searches := []string{
		`errorCode=AccessDenied | table _time eventName errorCode`,
		`errorCode=accessdenied | stats count by errorCode`,
		`errorCode=AccessDenied* | stats count by errorCode`,
		`errorCode=success | stats count`,
		`errorCode=failure | stats count`,
		`errorCode=fail* | stats count`,
		`errorCode=null | stats count`,
		`errorCode="" | stats count`,
		`errorCode IN (AccessDenied, Throttling) | stats count`,
		`errorCode=CASE(AccessDenied) | stats count`,
		`errorCode=CASE(Success) | stats count`,
		`result_id=AccessDenied | stats count`,
		`msg=AccessDenied | stats count`,
		`msg=success | stats count`,
		`src=192.0.2.9 | stats count`,
		`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=AccessDenied | stats count by sourceIPAddress`,
		`errorCode!=AccessDenied | stats count`,
		`NOT errorCode=AccessDenied | stats count`,
		`errorCode=AccessDenied OR eventName=Get* | stats count`,
		`errorCode=*Denied | stats count by errorCode`,
		`errorCode=Access*Denied | stats count by errorCode`,
		`eventName=*Object errorCode=404 | stats count by eventName`,
		`eventName=TRUE | stats count by errorCode`,
		`eventName=Get* | stats count by eventName`,
	}
	for _, c := range commandCases {
		searches = append(searches, c.search)
	}
	for _, c := range lookupCases {
		searches = append(searches, c.search)
	}
	searches = append(searches, prefilterCases...)
	with, without := addOn(t, true), addOn(t, true)
	without.NoPrefilter = true
	derivedUsed := 0
	for _, s := range searches {
		a := runOrError(t, errorCodeEvents, s, with)
		b := runOrError(t, errorCodeEvents, s, without)
		if a != b {
			t.Errorf("%s: the derived pre-filter changes the rows:\nwith:    %s\nwithout: %s", s, a, b)
		}
		q, _ := spl.ParseString(s)
		if p, err := exec.Compile(q, with); err == nil && strings.Contains(s, "errorCode=") && strings.Contains(p.Prefilter(), "accessdenied") {
			derivedUsed++
		}
	}
	if derivedUsed < 5 {
		t.Errorf("the derived pre-filter served only %d searches, want at least 5", derivedUsed)
	}
}

// runOrError runs a search, giving the rows or the error as text.
func runOrError(t testing.TB, events lines, search string, opts exec.Options) string {
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	plan, err := exec.Compile(q, opts)
	if err != nil {
		return "compile: " + err.Error()
	}
	var rows []*value.Row
	if _, err := plan.Run(events, func(r *value.Row) error { rows = append(rows, r); return nil }); err != nil {
		return "run: " + err.Error()
	}
	var b strings.Builder
	if err := output.JSON(&b, rows); err != nil {
		return "output: " + err.Error()
	}
	return b.String()
}
