package exec_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/exec"
)

// whereModel has calculated fields of every shape the where clause's
// pre-filter follows, and some it does not: a calculation that reads an
// earlier one, a child's calculation that reads its parent's, a
// function whose value is not an operand, a default field, a field name
// with a space.
const whereModel = `{"modelName": "Where", "objects": [
 {"objectName": "Calls", "parentName": "BaseEvent",
  "fields": [{"fieldName": "eventName"}, {"fieldName": "awsRegion"}],
  "calculations": [
   {"calculationID": "c1", "calculationType": "Eval", "expression": "coalesce(errorCode, \"success\")", "outputFields": [{"fieldName": "errorCode"}]},
   {"calculationID": "c2", "calculationType": "Eval", "expression": "errorCode", "outputFields": [{"fieldName": "code2"}]},
   {"calculationID": "c3", "calculationType": "Eval", "expression": "len(eventName)", "outputFields": [{"fieldName": "len"}]},
   {"calculationID": "c4", "calculationType": "Eval", "expression": "case(awsRegion=\"x\", eventName, true(), awsRegion)", "outputFields": [{"fieldName": "name2"}]},
   {"calculationID": "c5", "calculationType": "Eval", "expression": "_time", "outputFields": [{"fieldName": "when"}]},
   {"calculationID": "c6", "calculationType": "Eval", "expression": "'odd name'", "outputFields": [{"fieldName": "odd"}]},
   {"calculationID": "c7", "calculationType": "Eval", "expression": "if(isnull(eventSource), -1, eventSource)", "outputFields": [{"fieldName": "source2"}]}],
  "constraints": [{"search": "*"}]},
 {"objectName": "Denied", "parentName": "Calls",
  "fields": [{"fieldName": "who"}],
  "calculations": [
   {"calculationID": "c8", "calculationType": "Eval", "expression": "'userIdentity.userName'", "outputFields": [{"fieldName": "who"}]},
   {"calculationID": "c9", "calculationType": "Eval", "expression": "if(errorCode=\"x\", \"denied\", errorCode)", "outputFields": [{"fieldName": "errorCode"}]}],
  "constraints": [{"search": "errorCode=AccessDenied"}]}
]}`

func whereOptions(t *testing.T) exec.Options {
	t.Helper()
	s := datamodel.Load([]conf.App{{FS: fstest.MapFS{"default/data/models/Where.json": {Data: []byte(whereModel)}}, Name: "test"}})
	if len(s.Problems) > 0 {
		t.Fatal(s.Problems)
	}
	return exec.Options{DataModels: s, Now: now}
}

// TestTstatsWherePrefilter: a tstats where clause's Dataset.field=value
// requires of the raw text what the base search field=value would, for
// each event field the dataset's value can come from through its
// calculated fields (and its parents'), when no constant the value can be
// matches; NOT, !=, other fields and calculations of other shapes
// require nothing. Splunk runs a search of an un-accelerated data model
// as its constraint search plus its field extraction ("tstats", Search
// Reference), so the where clause sees the calculated values. The rows
// are the same with the pre-filter and without any.
func TestTstatsWherePrefilter(t *testing.T) {
	opts := whereOptions(t)
	const calls = "| tstats count from datamodel=Where where "
	const denied = "| tstats count from datamodel=Where.Denied where "
	cases := []struct{ search, want string }{
		{calls + "Calls.eventName=RunInstances", `"\"runinstances\""`},
		{calls + "Calls.eventName=CASE(RunInstances)", `"\"runinstances\""`},
		{calls + "Calls.eventName=RunInstances Calls.awsRegion=us-east-1", `"\"runinstances\"" AND "\"us-east-1\""`},
		{calls + "Calls.eventName IN (RunInstances, Stop*)", `"\"runinstances\"" OR "\"stop"`},
		{calls + "Calls.eventName=RunInstances OR Calls.awsRegion=us-east-1", `"\"runinstances\"" OR "\"us-east-1\""`},
		{calls + "Calls.errorCode=AccessDenied", `"\"accessdenied\""`},
		{calls + "Calls.errorCode=succ*", ``}, // the constant "success" matches
		{calls + "Calls.code2=AccessDenied", `"\"accessdenied\""`},
		{calls + "Calls.code2=SUCCESS", ``},
		{calls + "Calls.name2=abc", `"\"abc\""`}, // eventName or awsRegion
		{calls + "Calls.len=12", ``},
		{calls + "Calls.when=12", ``},
		{calls + "Calls.odd=abc", ``},
		{calls + "Calls.source2=bedrock.amazonaws.com", ``}, // -1 is no string: not followed
		{calls + "Calls.eventName=RunInstances OR Calls.len=12", ``},
		{calls + "Calls.eventName=RunInstances Calls.len=12", `"\"runinstances\""`},
		{calls + "NOT Calls.eventName=RunInstances", ``},
		{calls + "Calls.eventName!=RunInstances", ``},
		{calls + "Calls.eventName=*", ``},
		{calls + "Calls.eventName=10.0.0.0/8", ``},
		{calls + "eventName=RunInstances", ``}, // not a dataset field: tstats reads none
		{calls + "Calls.nosuch=RunInstances", ``},
		{denied + "Calls.Denied.errorCode=Throttling", `"\"accessdenied\"" AND "\"throttling\""`},
		{denied + "Calls.Denied.errorCode=denied", `"\"accessdenied\""`},
		{denied + "Calls.Denied.errorCode=success", `"\"accessdenied\""`},
		{denied + "Calls.Denied.who=bob", `"\"accessdenied\"" AND "\"bob\""`},
		{denied + "Calls.eventName=RunInstances", `"\"accessdenied\"" AND "\"runinstances\""`},
		{"| tstats count from datamodel=Where by Calls.eventName", ``},
	}
	var searches []string
	for _, c := range cases {
		_, plan := mustCompile(t, c.search, opts)
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
		searches = append(searches, c.search+" by Calls.eventName")
	}
	searches[len(searches)-1] = cases[len(cases)-1].search
	events := whereEvents(t)
	none := opts
	none.NoPrefilter = true
	want := runPass(t, events, searches, none)
	got := runPass(t, events, searches, opts)
	rows := false
	for i := range searches {
		if got[i] != want[i] {
			t.Errorf("%s: the pre-filter changes the rows:\nwith:    %s\nwithout: %s", searches[i], got[i], want[i])
		}
		rows = rows || want[i] != "[]"
	}
	if !rows {
		t.Error("no search has a row: the test proves too little")
	}
}

// whereEvents are the test's CloudTrail records with generated ones, and
// records made to match the where clauses of TestTstatsWherePrefilter.
func whereEvents(t *testing.T) evList {
	t.Helper()
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 40_000, Seed: 5, Profile: "bedrock-heavy", AttackEvery: 50}); err != nil {
		t.Fatal(err)
	}
	events := append(readEvents(t, "gen.json", buf.Bytes()), readEvents(t, "test.json", []byte(strings.Join(cloudtrail, "\n")))...)
	made := []string{
		`{"eventTime":"2026-11-01T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","errorCode":"AccessDenied","userIdentity":{"userName":"bob"}}`,
		`{"eventTime":"2026-11-01T10:00:01Z","eventSource":"ec2.amazonaws.com","eventName":"StopInstances","awsRegion":"abc","errorCode":"Throttling"}`,
		`{"eventTime":"2026-11-01T10:00:02Z","eventSource":"ec2.amazonaws.com","eventName":"abc","awsRegion":"x","errorCode":"x"}`,
		`{"eventTime":"2026-11-01T10:00:03Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","odd name":"abc"}`,
	}
	return append(events, readEvents(t, "made.json", []byte(strings.Join(made, "\n")))...)
}
