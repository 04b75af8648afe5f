package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// readsEvents vary what a stats function can be given: a string, a number,
// a numeric string, a multivalue, an empty string, nothing; and a BY
// field that is missing (the row is dropped) or multivalued (the row
// counts in each of its groups).
var readsEvents = lines{
	`{"eventTime":"2026-11-01T10:00:00Z","k":"a","x":"GetUser","y":"1"}`,
	`{"eventTime":"2026-11-01T10:00:01Z","k":"a","x":"GetUser","y":"2"}`,
	`{"eventTime":"2026-11-01T10:00:02Z","k":"a","x":"ListUsers","y":"2"}`,
	`{"eventTime":"2026-11-01T10:00:03Z","k":"b","x":10,"y":"x"}`,
	`{"eventTime":"2026-11-01T10:00:04Z","k":"b","x":"10","y":""}`,
	`{"eventTime":"2026-11-01T10:00:05Z","k":"b","x":["a","b","a"]}`,
	`{"eventTime":"2026-11-01T10:00:06Z","k":["a","c"],"x":"c","y":"9"}`,
	`{"eventTime":"2026-11-01T10:00:07Z","x":"dropped","y":"dropped"}`,
	`{"eventTime":"2026-11-01T10:00:08Z","k":"c","x":""}`,
	`{"eventTime":"2026-11-01T10:00:09Z","k":"c"}`,
	`{"eventTime":"2026-11-01T10:00:10Z","k":"a","x":"GetUser","y":"3"}`,
}

// TestStatsReadsOnce: a stats reads each field its functions aggregate
// once per row, and a dc() or estdc() of a field that a values() of the
// same stats also takes counts that values()' set. Either way each
// function's column is exactly what the function gives alone, also
// where the sharing must not apply (dc beside list, beside values of
// another field or of an eval(), wildcards), and when the stats runs on
// several workers and is merged.
func TestStatsReadsOnce(t *testing.T) {
	tests := []struct {
		aggs []string // each "function(arg) as name"
		by   string
	}{
		{[]string{"dc(x) as d", "values(x) as v"}, "k"},
		{[]string{"values(x) as v", "dc(x) as d"}, "k"},
		{[]string{"estdc(x) as d", "distinct_count(x) as d2", "values(x) as v"}, "k"},
		{[]string{"dc(x) as d", "values(x) as v", "values(x) as v2", "dc(x) as d2"}, "k"},
		{[]string{"dc(x) as d", "values(y) as v"}, "k"},
		{[]string{"dc(x) as d", "list(x) as l", "count(x) as n"}, "k"},
		{[]string{"dc(eval(x)) as d", "values(x) as v"}, "k"},
		{[]string{"dc(x) as d", "values(eval(x)) as v"}, "k"},
		{[]string{"dc(x) as d", "values(x) as v", "min(_time) as first", "max(_time) as last", "earliest(y) as e", "latest(x) as l"}, "k"},
		{[]string{"min(x) as lo", "max(x) as hi", "range(y) as r", "count as n", "count(y) as ny"}, "k"},
		{[]string{"dc(x) as d", "values(x) as v", "min(_time) as first"}, ""},
		{[]string{"dc(x) as d", "values(x) as v", "min(y) as m"}, "k y"},
	}
	inputs := []struct {
		name    string
		in      exec.Input
		workers int
	}{{"events", readsEvents, 1}, {"workers", scanLines(readsEvents), 3}}
	for _, tt := range tests {
		by := ""
		if tt.by != "" {
			by = " by " + tt.by
		}
		all := "* | stats " + strings.Join(tt.aggs, " ") + by
		for _, in := range inputs {
			opts := exec.Options{Now: now, Workers: in.workers}
			rows := statsRows(t, in.in, all, opts)
			for _, agg := range tt.aggs {
				name := agg[strings.LastIndex(agg, " ")+1:]
				alone := statsRows(t, in.in, "* | stats "+agg+by, opts)
				if len(alone) != len(rows) {
					t.Fatalf("%s: %s: %d rows, %s alone %d", in.name, all, len(rows), agg, len(alone))
				}
				for i := range rows {
					for _, f := range append(strings.Fields(tt.by), name) {
						if got, want := rows[i].Get(f), alone[i].Get(f); !got.Equal(want) {
							t.Errorf("%s: %s: row %d: %s = %v, alone %v", in.name, all, i, f, got, want)
						}
					}
				}
			}
		}
	}
}

// TestStatsReadsAddOn: search 30 of ESCU's CloudTrail detections ("AWS
// Excessive Security Scanning"), its stats over the add-on's fields
// (user, src), gives each function's column as the function alone does,
// on one goroutine and on several.
func TestStatsReadsAddOn(t *testing.T) {
	events := scanningEvents(300)
	aggs := []string{"dc(eventName) as dc_events", "min(_time) as firstTime", "max(_time) as lastTime", "values(eventName) as command", "values(src) as src", "values(userAgent) as userAgent", "dc(user) as users"}
	const by = " by user userIdentity.arn"
	for _, in := range []struct {
		name    string
		in      exec.Input
		workers int
	}{{"events", events, 1}, {"workers", scanLines(events), 4}} {
		opts := addOn(t, true)
		opts.Workers = in.workers
		rows := statsRows(t, in.in, "* | stats "+strings.Join(aggs, " ")+by, opts)
		if len(rows) == 0 {
			t.Fatalf("%s: no rows", in.name)
		}
		for _, agg := range aggs {
			name := agg[strings.LastIndex(agg, " ")+1:]
			alone := statsRows(t, in.in, "* | stats "+agg+by, opts)
			if len(alone) != len(rows) {
				t.Fatalf("%s: %d rows, %s alone %d", in.name, len(rows), agg, len(alone))
			}
			for i := range rows {
				if got, want := rows[i].Get(name), alone[i].Get(name); !got.Equal(want) {
					t.Errorf("%s: row %d: %s = %v, alone %v", in.name, i, name, got, want)
				}
			}
		}
	}
}

// scanningEvents are n read-only calls by IAM users (user is their name),
// assumed roles and the root user (user is null: the row is dropped), and
// IAM users denied GetUser (user is the error's resource), from
// addresses and agents that repeat and come back.
func scanningEvents(n int) lines {
	names := []string{"DescribeTrails", "GetUser", "ListRoles", "GetBucketEncryption", "DescribeInstances", "ListBuckets"}
	agents := []string{"Boto3/1.34.11", "console.amazonaws.com", "aws-cli/2.15.0"}
	var l lines
	for i := 0; i < n; i++ {
		who := fmt.Sprintf(`"userIdentity":{"type":"IAMUser","userName":"u%d","arn":"arn:aws:iam::111111111111:user/u%d"}`, i%5, i%5)
		switch i % 7 {
		case 3:
			who = `"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/r/s","sessionContext":{"sessionIssuer":{"userName":"r"}}}`
		case 5:
			who = `"userIdentity":{"type":"Root","arn":"arn:aws:iam::111111111111:root"}`
		}
		denied := ""
		if i%4 == 1 {
			denied = fmt.Sprintf(`"errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111111111111:user/u%d is not authorized to perform: iam:GetUser on resource: user u%d",`, i%5, i%3)
		}
		l = append(l, fmt.Sprintf(`{"eventTime":"2026-11-01T10:%02d:%02dZ","eventSource":"iam.amazonaws.com","eventName":"%s",%s,%s"sourceIPAddress":"10.0.%d.%d","userAgent":"%s"}`,
			i/60%60, i%60, names[i%len(names)], who, denied, i%3, i*7%11, agents[i/3%len(agents)]))
	}
	return l
}

// statsRows runs search over in and returns its rows.
func statsRows(t *testing.T, in exec.Input, search string, opts exec.Options) []*value.Row {
	t.Helper()
	_, plan := mustCompile(t, search, opts)
	var rows []*value.Row
	if _, err := plan.Run(in, func(r *value.Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatalf("%s: %v", search, err)
	}
	return rows
}
