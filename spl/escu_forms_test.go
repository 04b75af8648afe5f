package spl_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestESCUForms: forms taken from splunk/security_content detections
// (outside the cloud folder) that Splunk runs and that once failed to
// parse here. Each parses, round-trips, and, where same is given, reads
// as that explicit form.
func TestESCUForms(t *testing.T) {
	cases := []struct{ name, search, same string }{
		// ping_sleep_batch_command: a quoted value directly followed by the
		// next comparison is two comparisons.
		{"quoted value then a comparison", `x a="* Nul*"b="*&gt;*" c=1`, `x a="* Nul*" b="*&gt;*" c=1`},
		{"quoted field name", `x "userIdentity.type" != "AWSService"`, `x "userIdentity.type"!="AWSService"`},
		{"quoted value then a word", `x a="b"c d`, ""},
		// getcurrent_user_with_powershell: parentheses inside a wildcard
		// value are part of it.
		{"parentheses inside a value", `x (a=*System.Security* OR a=*GetCurrent()*)`, ""},
		// abnormally_high_aws_instances_launched_by_user (deprecated): a
		// function call written in search is one literal term.
		{"function call in search", `x isOutlier=1 AND _time >= relative_time(now(), "-10m@m")`, ""},
		// wmi_permanent_event_subscription___sysmon: a field named like a
		// keyword of another command.
		{"table Filter", `x | table _time, dest, Consumer, Filter`, ""},
		{"fields Filter", `x | fields Filter, output`, ""},
		{"table output", `x | eval output=1 | table output by over in sortby filter outputnew`, ""},
		{"keywords still end the lists that have them", `x | top user by src | dedup a sortby -b | multikv fields a filter b`, ""},
		// windows_ad_dcshadow_privileges_acl_addition: a parenthesised
		// suffix is part of the new name.
		{"stats AS name(with parens)", `x | stats values(aceFlags) as aceFlags(inheritance) values(x) as y`, ""},
		// detect_dns_requests_to_phishing_sites_leveraging_evilginx2: a
		// macro's options between tstats aggregations.
		{"tstats options between aggregations",
			`| tstats count summariesonly=false allow_old_summaries=true values(Web.url) as url from datamodel=Web.Web by Web.dest`,
			`| tstats summariesonly=false allow_old_summaries=true count values(Web.url) as url from datamodel=Web.Web by Web.dest`},
		{"tstats options after the aggregations", `| tstats count summariesonly=t from datamodel=X by a`, `| tstats summariesonly=t count from datamodel=X by a`},
		// potential_password_in_username: map's search keeps its macros
		// until map runs it.
		{"macro in map's tstats", "x | map maxsearches=70 search=\"| tstats `security_content_summariesonly` count from datamodel=Authentication by a\"", ""},
		// ssl_certificates_with_punycode: a recipe with unescaped quotes.
		{"cyberchef recipe", `| cyberchef infield="d" outfield="p" jsonrecipe="[{"op":"From Punycode","args":[true]}]" | table p`, ""},
		// Search Reference, "sort": a sign before a sort function.
		{"sort -str(url)", `x | sort num(ip), -str(url) | dedup a sortby +num(b)`, `x | sort num(ip), - str(url) | dedup a sortby + num(b)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			roundTrip(t, c.search)
			if c.same == "" {
				return
			}
			if diff := cmp.Diff(mustParse(t, c.same), mustParse(t, c.search), ignorePositions); diff != "" {
				t.Errorf("%q should read as %q (-want +got):\n%s", c.search, c.same, diff)
			}
		})
	}
}
