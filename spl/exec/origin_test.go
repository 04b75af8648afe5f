package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
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
	}
	return nil, nil, false
}

var addOnDerived = func(f string) bool {
	return f == "errorCode" || f == "result_id" || f == "vendor_product" || f == "fromtime" || f == "user_arn"
}

// TestDerivedPrefilter: a derived field's value becomes a literal of the
// raw pre-filter exactly when no constant the field can take matches it
// (Splunk compares field=value case-insensitively and with wildcards:
// Search Reference, "search" command, "Field-value pairs").
func TestDerivedPrefilter(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`errorCode=AccessDenied`, `"accessdenied"`},
		{`errorCode="AccessDenied"`, `"accessdenied"`},
		{`errorCode=Access*`, `"access"`},
		{`result_id=ThrottlingException`, `"throttlingexception"`},
		{`errorCode IN (AccessDenied, Throttling*)`, `"accessdenied" OR "throttling"`},
		{`eventName=InvokeModel errorCode=AccessDenied`, `"invokemodel" AND "accessdenied"`},
		{`errorCode=success`, ``},                    // the default value
		{`errorCode=SUCCESS`, ``},                    // matches it in any case
		{`errorCode=succ*`, ``},                      // a wildcard matching the default
		{`errorCode=*ure`, ``},                       // matches "failure"
		{`errorCode=*`, ``},                          // no literal
		{`errorCode IN (AccessDenied, success)`, ``}, // one alternative matches the default
		{`errorCode=CASE(Success)`, `"success"`},     // case-sensitively not "success"
		{`errorCode!=AccessDenied`, ``},              // never
		{`NOT errorCode=AccessDenied`, ``},           // never
		{`vendor_product="AWS CloudTrail"`, ``},      // constants only
		{`vendor_product=Other`, ``},                 // constants only: no raw text to find
		{`fromtime=2026`, ``},                        // a default field is not in the raw text
		{`user_arn=arn:aws:iam::1:user/x`, ``},       // origin unknown
		{`errorCode=AccessDenied OR user_arn=x`, ``}, // one alternative needs nothing
		{`errorCode=AccessDenied OR eventName=Get*`, `"accessdenied" OR "get"`},
	} {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := exec.Compile(q, exec.Options{Now: now, Derived: addOnDerived, Origins: addOnOrigins})
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
		plan, _ = exec.Compile(q, exec.Options{Now: now, Derived: addOnDerived})
		if got := plan.Prefilter(); got != "" && !strings.Contains(c.search, "eventName") {
			t.Errorf("%s: without origins the pre-filter uses a derived field: %s", c.search, got)
		}
	}
}
