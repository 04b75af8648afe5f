package knowledge_test

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/knowledge"
)

// TestSources: a field's origin follows aliases and the calculated-field
// shapes that return an operand unchanged, and is unknown wherever a rule
// could make any value (other expressions, extractions, lookups, event
// types, tags).
func TestSources(t *testing.T) {
	app := fstest.MapFS{
		"default/props.conf": {Data: []byte(`[aws:cloudtrail]
EXTRACT-acct = acct=(?<acct>\d+)
FIELDALIAS-a = eventName AS signature acct AS account errorCode AS code code AS code2
FIELDALIAS-b = userName ASNEW user sourceIPAddress ASNEW src
EVAL-errorCode = coalesce(errorCode, if('responseElements.ConsoleLogin'="Failure", "failure", "success"))
EVAL-shape1 = if(isnull(status), "none", status)
EVAL-shape2 = case(x="a", "A", x="b", code2, true(), null())
EVAL-shape3 = ifnull(signature, user)
EVAL-lowered = lower(errorCode)
EVAL-joined = errorCode . "x"
EVAL-fromacct = coalesce(account, "0")
EVAL-const = "AWS CloudTrail"
EVAL-src = coalesce(src, "unknown")
LOOKUP-t = t eventName OUTPUT service
`)},
		"default/transforms.conf": {Data: []byte("[t]\nfilename = t.csv\n")},
		"lookups/t.csv":           {Data: []byte("eventName,service\nA,s\n")},
	}
	k := load(t, []conf.App{{FS: app, Name: "test"}})
	sources := k.Sources("aws:cloudtrail")
	unknown := knowledge.Origin{}
	for _, c := range []struct {
		field string
		want  knowledge.Origin
		ok    bool
	}{
		{"eventName", knowledge.Origin{Raw: []string{"eventName"}}, true},
		{"signature", knowledge.Origin{Raw: []string{"eventName"}}, true},
		{"code2", knowledge.Origin{Raw: []string{"errorCode"}}, true}, // an alias of an alias
		{"errorCode", knowledge.Origin{Raw: []string{"errorCode"}, Consts: []string{"failure", "success"}}, true},
		{"shape1", knowledge.Origin{Raw: []string{"status"}, Consts: []string{"none"}}, true},
		{"shape2", knowledge.Origin{Raw: []string{"errorCode"}, Consts: []string{"A"}}, true},
		{"shape3", knowledge.Origin{Raw: []string{"eventName", "userName", "user"}}, true}, // ASNEW keeps user's own
		{"src", knowledge.Origin{Raw: []string{"src", "sourceIPAddress"}, Consts: []string{"unknown"}}, true},
		{"const", knowledge.Origin{Consts: []string{"AWS CloudTrail"}}, true},
		{"lowered", unknown, false},
		{"joined", unknown, false},
		{"acct", unknown, false},     // extracted
		{"account", unknown, false},  // an alias of an extracted field
		{"fromacct", unknown, false}, // reads one
		{"service", unknown, false},  // a lookup output
		{"eventtype", unknown, false},
		{"tag::eventName", unknown, false},
	} {
		got, ok := sources(c.field)
		if ok != c.ok || !cmp.Equal(got, c.want, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b })) {
			t.Errorf("%s: got %+v %v, want %+v %v", c.field, got, ok, c.want, c.ok)
		}
	}

	// The add-on's rules as we ship them.
	sources = load(t, builtin()).Sources("aws:cloudtrail")
	for field, want := range map[string]knowledge.Origin{
		"errorCode": {Raw: []string{"errorCode"}, Consts: []string{"failure", "success"}},
		"result_id": {Raw: []string{"errorCode"}},
		"msg":       {Raw: []string{"errorCode"}, Consts: []string{"success"}},
		"src":       {Raw: []string{"sourceIPAddress"}},
	} {
		if got, ok := sources(field); !ok || !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Errorf("built-in %s: got %+v %v, want %+v", field, got, ok, want)
		}
	}
}
