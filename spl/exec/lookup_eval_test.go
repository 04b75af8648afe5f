package exec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// Evaluation functions, lookup: lookup(table, json_object(inputs...),
// json_array(outputs...)) returns the outputs as a JSON object.
func TestEvalLookup(t *testing.T) {
	all := tables{"multi": "awsRegion,owner\nus-west-2,bob\nus-west-2,dan\n"}
	for k, v := range testTables {
		all[k] = v
	}
	opts := exec.Options{Lookups: all}
	for _, c := range []struct{ name, search, want string }{
		{"named outputs",
			`eventName=GetObject | eval o=lookup("owners", json_object("awsRegion", awsRegion), json_array("owner")) | table o`,
			compact(`{"o": "{\"owner\":\"alice\"}"}`)},
		{"every other column without outputs",
			`eventName=DeleteGuardrail | eval o=lookup("owners", json_object("awsRegion", awsRegion)) | table o`,
			compact(`{"o": "{\"owner\":\"alice\",\"team\":\"blue\"}"}`)},
		{"no match is null",
			`eventName=GetObject | eval o=lookup("owners", json_object("awsRegion", "eu-west-9"), json_array("owner")) | table eventName o`,
			compact(`{"eventName": "GetObject"}`)},
		{"a wildcard table",
			`eventName=DeleteGuardrail | eval o=lookup("wild", json_object("eventName", eventName), json_array("kind")) | table o`,
			compact(`{"o": "{\"kind\":\"destructive\"}"}`)},
		{"several matches give an array",
			`eventName=GetObject | eval o=lookup("multi", json_object("awsRegion", "us-west-2"), json_array("owner")) | table o`,
			compact(`{"o": "{\"owner\":[\"bob\",\"dan\"]}"}`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, cloudtrail, c.search, opts); got != c.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", c.search, got, c.want)
			}
		})
	}
	err := runErr(t, `| makeresults | eval o=lookup("nosuch", json_object("a", 1))`, opts)
	var ee *exec.Error
	if err == nil || !strings.Contains(err.Error(), "lookup table nosuch is not defined") {
		t.Fatalf("error %v, want the undefined table", err)
	}
	if !errors.As(err, &ee) || ee.Code != "lookup-undefined" {
		t.Errorf("error %#v, want code lookup-undefined", err)
	}
}
