package exec_test

import (
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// TestTagPrefilter: tag=X and eventtype=Y, and the data model searches
// whose constraints name tags, require the literals of the event types
// that can give the value, when each of those event types requires one
// (the add-on's event types: detections/knowledge/aws/default/
// eventtypes.conf and tags.conf; "Data model constraints", Knowledge
// Manager Manual). Where one of them requires nothing, or no event type
// gives the value, nothing is derived.
func TestTagPrefilter(t *testing.T) {
	opts := addOn(t, true)
	for _, c := range []struct{ search, want string }{
		{`tag=authentication`, `"\"consolelogin\""`},
		{`tag=AUTHENTICATION`, `"\"consolelogin\""`},
		{`tag=CASE(AUTHENTICATION)`, ``}, // no event type carries it: nothing derived
		{`eventtype=aws_cloudtrail_ec2_events`, `"\"runinstances\"" OR "\"startinstances\"" OR "\"stopinstances\"" OR "\"terminateinstances\"" OR "\"rebootinstances\""`},
		{`eventtype IN (aws_cloudtrail_ec2_events, aws_cloudtrail_consolelogin_auth)`, `"\"consolelogin\"" OR "\"runinstances\"" OR "\"startinstances\"" OR "\"stopinstances\"" OR "\"terminateinstances\"" OR "\"rebootinstances\""`},
		{`eventtype=aws_cloudtrail_errors`, ``}, // errorCode=* requires no literal
		{`tag=error`, ``},
		{`tag=nosuch`, ``},
		{`tag=*`, ``},
		{`NOT tag=authentication`, ``},
		{`tag!=authentication`, ``},
		{`tag=authentication eventName=ConsoleLogin`, `"\"consolelogin\"" AND "\"consolelogin\""`},
		{`tag=privileged`, `"\"consolelogin\""`},
		{`| tstats count from datamodel=Authentication by Authentication.user`, `"\"consolelogin\""`},
		{`| tstats count from datamodel=Authentication.Privileged_Authentication`, `"\"consolelogin\""`},
		{`| from datamodel:Authentication.Authentication`, `"\"consolelogin\""`},
	} {
		q, plan := mustCompile(t, c.search, opts)
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
		noTags := opts
		noTags.TagSearches = nil
		plan, _ = exec.Compile(q, noTags)
		if got := plan.Prefilter(); got != "" && c.search[0] != '|' && c.search != `tag=authentication eventName=ConsoleLogin` {
			t.Errorf("%s: without TagSearches the pre-filter uses event types: %s", c.search, got)
		}
	}
}
