package exec_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/exec"
)

// apiModel is a small data model over the raw CloudTrail fields of the
// test events: Bedrock calls, and a child of the denied ones, with a
// calculated field in each.
const apiModel = `{"modelName": "Api", "objects": [
 {"objectName": "Calls", "parentName": "BaseEvent",
  "fields": [{"fieldName": "eventName", "type": "string"}, {"fieldName": "awsRegion", "type": "string"}],
  "calculations": [{"calculationID": "c1", "calculationType": "Eval", "expression": "coalesce(errorCode, \"success\")",
    "outputFields": [{"fieldName": "errorCode", "type": "string"}]}],
  "constraints": [{"search": "eventSource=bedrock.amazonaws.com"}]},
 {"objectName": "Denied", "parentName": "Calls",
  "fields": [{"fieldName": "who", "type": "string"}],
  "calculations": [{"calculationID": "c2", "calculationType": "Eval", "expression": "'userIdentity.userName'",
    "outputFields": [{"fieldName": "who", "type": "string"}]}],
  "constraints": [{"search": "errorCode=AccessDenied"}]},
 {"objectName": "Odd", "parentName": "BaseEvent",
  "calculations": [{"calculationID": "g", "calculationType": "GeoIP", "inputField": "src", "outputFields": [{"fieldName": "City"}]}],
  "constraints": [{"search": "*"}]}
]}`

func modelOptions(t *testing.T) exec.Options {
	t.Helper()
	s := datamodel.Load([]conf.App{{FS: fstest.MapFS{"default/data/models/Api.json": {Data: []byte(apiModel)}}, Name: "test"}})
	if len(s.Problems) > 0 {
		t.Fatal(s.Problems)
	}
	return exec.Options{DataModels: s}
}

// TestTstats: tstats over a data model reads the dataset's events through
// its constraints and calculated fields ("tstats", Search Reference).
func TestTstats(t *testing.T) {
	opts := modelOptions(t)
	for _, c := range []struct{ name, search, want string }{
		{"root dataset, calculated field", "| tstats count from datamodel=Api.Calls by Calls.errorCode",
			compact(`{"Calls.errorCode": "AccessDenied", "count": "2"}`, `{"Calls.errorCode": "success", "count": "1"}`)},
		{"child by name sees the parent's calculation", "| tstats count values(Calls.awsRegion) as r from datamodel=Api.Denied by Calls.Denied.who",
			compact(`{"Calls.Denied.who": "bob", "count": "2", "r": "us-west-2"}`)},
		{"a child's field", "| tstats count from datamodel=Api.Calls where Calls.Denied.who=*",
			compact(`{"count": "2"}`)},
		{"child field null outside the child drops the row", "| tstats count from datamodel=Api.Calls by Calls.Denied.who Calls.eventName",
			compact(`{"Calls.Denied.who": "bob", "Calls.eventName": "ListFoundationModels", "count": "2"}`)},
		{"fillnull_value", "| tstats fillnull_value=none count from datamodel=Api.Calls by Calls.Denied.who",
			compact(`{"Calls.Denied.who": "bob", "count": "2"}`, `{"Calls.Denied.who": "none", "count": "1"}`)},
		{"span groups, aggregates see event times", "| tstats count min(_time) as first from datamodel=Api.Calls by _time span=1d",
			compact(`{"_time": "2026-11-01T00:00:00.000+00:00", "count": "3", "first": "1793527200"}`)},
		{"plain names are null unless indexed", "| tstats count from datamodel=Api.Calls where eventName=DeleteGuardrail",
			compact(`{"count": "0"}`)},
		{"indexed fields without a model", "| tstats count where index=main by sourcetype host",
			compact(`{"sourcetype": "aws:cloudtrail", "host": "h", "count": "4"}`)},
		{"datamodel search keeps the event's fields", "| datamodel Api Denied search | table eventName Calls.Denied.who Calls.errorCode",
			compact(`{"eventName": "ListFoundationModels", "Calls.Denied.who": "bob", "Calls.errorCode": "AccessDenied"}`, `{"eventName": "ListFoundationModels", "Calls.Denied.who": "bob", "Calls.errorCode": "AccessDenied"}`)},
		{"from datamodel", "| from datamodel:Api.Calls | stats count by Calls.eventName",
			compact(`{"Calls.eventName": "DeleteGuardrail", "count": "1"}`, `{"Calls.eventName": "ListFoundationModels", "count": "2"}`)},
		{"prestats feeds stats", "| tstats prestats=true count from datamodel=Api.Calls by Calls.eventName | stats count by Calls.eventName",
			compact(`{"Calls.eventName": "DeleteGuardrail", "count": "1"}`, `{"Calls.eventName": "ListFoundationModels", "count": "2"}`)},
	} {
		if got := run(t, cloudtrail, c.search, opts); got != c.want {
			t.Errorf("%s: %s\ngot  %s\nwant %s", c.name, c.search, got, c.want)
		}
	}
}

// TestTstatsErrors: what cannot run is a compile error with its code and
// position, never an empty result.
func TestTstatsErrors(t *testing.T) {
	opts := modelOptions(t)
	for _, c := range []struct {
		search string
		code   diag.Code
		msg    string
	}{
		{"| tstats count from datamodel=Nope", diag.DatamodelUndefined, "data model Nope is not defined"},
		{"| tstats count from datamodel=Api.Nope", diag.DatamodelUndefined, "data model Api has no dataset Nope"},
		{"| tstats count from datamodel=Endpoint", diag.UnsupportedCommand, "data model Endpoint (from CIM) is not among the loaded models"},
		{"| tstats count from datamodel=Api.Odd", diag.UnsupportedCommand, "calculated field g of type GeoIP is not supported"},
		{"| tstats count from datamodel=Api", diag.UnsupportedCommand, "calculated field g of type GeoIP is not supported"},
		{"| tstats count from datamodel=Api.Calls by nodename", diag.UnsupportedCommand, "calculated field g of type GeoIP is not supported"},
		{"| tstats count from datamodel=Api.Calls by Odd.City", diag.UnsupportedCommand, "calculated field g of type GeoIP is not supported"},
		{"| datamodel Api Odd search", diag.UnsupportedCommand, "calculated field g of type GeoIP is not supported"},
		{"| makeresults | tstats count", diag.UnsupportedCommand, "command tstats is not supported by the evaluator after the start of a search"},
		{"| tstats append=true count", diag.UnsupportedCommand, "option append=true of command tstats is not supported"},
		{"| tstats nosuch=1 count", diag.UnsupportedCommand, "option nosuch of command tstats is not supported"},
		{"| datamodel", diag.UnsupportedCommand, "datamodel without a model and dataset"},
		{"| datamodel Api Calls acceleration_search", diag.UnsupportedCommand, "datamodel acceleration_search is not supported"},
		{"| from inputlookup:t", diag.UnsupportedCommand, "from inputlookup:t is not supported"},
	} {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		_, err = exec.Compile(q, opts)
		var ee *exec.Error
		if !asError(err, &ee) || ee.Code != c.code || !strings.Contains(ee.Msg, c.msg) {
			t.Errorf("%s: got %v, want %s containing %q", c.search, err, c.code, c.msg)
		}
	}
}

// asError finds the first *exec.Error in err (Compile reports every
// error it finds).
func asError(err error, target **exec.Error) bool { return errors.As(err, target) }
