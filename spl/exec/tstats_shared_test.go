package exec_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/exec"
)

// TestTstatsSharedPass: the plans of one pass that read one data model
// share each event's dataset decisions and calculated fields, and each
// gives the rows it gives alone; a capped value in a shared calculation
// (max_value_bytes) fails every plan that uses it, not only the plan
// that happened to evaluate it first.
func TestTstatsSharedPass(t *testing.T) {
	queries := []string{
		"| tstats count from datamodel=Api.Calls by Calls.errorCode",
		"| tstats count values(Calls.awsRegion) as r from datamodel=Api.Denied by Calls.Denied.who",
		"| tstats count from datamodel=Api.Calls where Calls.Denied.who=* by Calls.eventName",
	}
	run := func(opts exec.Options, qs []string) ([]string, []error) {
		return runJSON(t, cloudtrail, qs, opts)
	}
	opts := modelOptions(t)
	together, errs := run(opts, queries)
	for i, q := range queries {
		alone, aerrs := run(opts, []string{q})
		if errs[i] != nil || aerrs[0] != nil {
			t.Fatalf("%s: errors %v, alone %v", q, errs[i], aerrs[0])
		}
		if together[i] != alone[0] {
			t.Errorf("%s: in one pass %s, alone %s", q, together[i], alone[0])
		}
	}
	s := datamodel.Load([]conf.App{{FS: fstest.MapFS{"default/data/models/Cap.json": {Data: []byte(capModel)}}, Name: "test"}})
	if len(s.Problems) > 0 {
		t.Fatal(s.Problems)
	}
	capped := []string{
		"| tstats count from datamodel=Cap.Calls by Calls.pair",
		"| tstats count from datamodel=Cap.Denied",
		"| tstats count from datamodel=Cap.Calls where Calls.Denied.mine=*",
	}
	_, errs = run(exec.Options{DataModels: s, MaxValueBytes: 3}, capped)
	for i, err := range errs {
		var le *exec.LimitError
		if !errors.As(err, &le) {
			t.Errorf("%s: error %v with max_value_bytes=3 in one pass, want the cap", capped[i], err)
		}
	}
}

// capModel calculates a value longer than 3 bytes for every Bedrock
// call: with max_value_bytes=3 every search of it fails.
const capModel = `{"modelName": "Cap", "objects": [
 {"objectName": "Calls", "parentName": "BaseEvent",
  "calculations": [{"calculationID": "c1", "calculationType": "Eval", "expression": "'userIdentity.userName' . \"-\" . 'userIdentity.userName'",
    "outputFields": [{"fieldName": "pair", "type": "string"}]}],
  "constraints": [{"search": "eventSource=bedrock.amazonaws.com"}]},
 {"objectName": "Denied", "parentName": "Calls",
  "calculations": [{"calculationID": "c2", "calculationType": "Eval", "expression": "\"x\"",
    "outputFields": [{"fieldName": "mine", "type": "string"}]}],
  "constraints": [{"search": "errorCode=AccessDenied"}]}
]}`
