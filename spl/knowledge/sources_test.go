package knowledge_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/value"
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
LOOKUP-u = u eventName OUTPUTNEW service AS shape1
LOOKUP-w = t eventName OUTPUT service AS lowered
`)},
		"default/transforms.conf": {Data: []byte("[t]\nfilename = t.csv\n[u]\nfilename = t.csv\ndefault_match = unknown\nmin_matches = 1\n")},
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
		{"shape1", knowledge.Origin{Raw: []string{"status"}, Consts: []string{"none", "s", "unknown"}}, true}, // and a lookup with OUTPUTNEW
		{"service", knowledge.Origin{Raw: []string{"service"}, Consts: []string{"s"}}, true},
		{"shape2", knowledge.Origin{Raw: []string{"errorCode"}, Consts: []string{"A"}}, true},
		{"shape3", knowledge.Origin{Raw: []string{"eventName", "userName", "user"}}, true}, // ASNEW keeps user's own
		{"src", knowledge.Origin{Raw: []string{"src", "sourceIPAddress"}, Consts: []string{"unknown"}}, true},
		{"const", knowledge.Origin{Consts: []string{"AWS CloudTrail"}}, true},
		{"lowered", unknown, false},
		{"joined", unknown, false},
		{"acct", unknown, false},     // extracted
		{"account", unknown, false},  // an alias of an extracted field
		{"fromacct", unknown, false}, // reads one
		{"lowered", unknown, false},  // a lookup over an expression of unknown origin
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

// TestSourcesKeepRows: with rules that alias, calculate and look up
// fields, searches on them give the same rows with the pre-filter that
// trusts their origins as with no pre-filter, and the origins do serve
// some of them.
func TestSourcesKeepRows(t *testing.T) {
	app := fstest.MapFS{
		"default/props.conf": {Data: []byte(`[aws:cloudtrail]
FIELDALIAS-a = errorCode AS code
EVAL-status = coalesce(errorCode, "success")
EVAL-kind = if(isnull(service), "none", service)
LOOKUP-t = t eventName OUTPUTNEW kind AS service
LOOKUP-u = u eventName OUTPUT action
`)},
		"default/transforms.conf": {Data: []byte("[t]\nfilename = t.csv\n[u]\nfilename = u.csv\ndefault_match = other\nmin_matches = 1\n")},
		"lookups/t.csv":           {Data: []byte("eventName,kind\nInvokeModel,bedrock\nGetObject,s3\n")},
		"lookups/u.csv":           {Data: []byte("eventName,action\nDelete*,deleted\nGetObject,read\n")},
	}
	k := load(t, []conf.App{{FS: app, Name: "test"}})
	const st = "aws:cloudtrail"
	sources := k.Sources(st)
	opts := exec.Options{
		Now:         now,
		Fields:      func(ev *event.Event, raw value.Source) value.Source { return k.Source(ev.Sourcetype, raw) },
		Derived:     k.Derived(st),
		ExtraFields: k.Reads(st),
		ReadsFor:    func(fields []string) []string { return k.ReadsFor(st, fields) },
		Origins: func(f string) ([]string, []string, bool) {
			o, ok := sources(f)
			return o.Raw, o.Consts, ok
		},
	}
	none := opts
	none.NoPrefilter = true
	var events []string
	for i, rec := range []string{
		`"eventName":"InvokeModel","errorCode":"AccessDenied"`,
		`"eventName":"InvokeModel"`,
		`"eventName":"GetObject","service":"storage"`,
		`"eventName":"DeleteBucket","service":"s3","action":"deleted"`,
		`"eventName":"ListBuckets","action":"read","errorCode":"success"`,
		`"eventName":"PutObject","service":"bedrock","action":"Other"`,
	} {
		events = append(events, fmt.Sprintf(`{"eventTime":"2026-11-01T10:0%d:00Z",%s}`, i, rec))
	}
	served := 0
	for _, s := range []string{
		`code=AccessDenied`, `status=AccessDenied`, `status=success`, `status=Succ*`,
		`service=bedrock`, `service=storage`, `service=s3`, `service=sto*`, `kind=none`, `kind=storage`,
		`action=deleted`, `action=read`, `action=other`, `action=Other`, `action=writ*`, `action=*`,
	} {
		search := s + " | table eventName " + strings.SplitN(s, "=", 2)[0]
		q, err := spl.ParseString(search)
		if err != nil {
			t.Fatal(err)
		}
		rows := func(o exec.Options) (string, *exec.Plan) {
			plan, err := exec.Compile(q, o)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			if _, err := plan.Run(lines(events), func(r *value.Row) error {
				fmt.Fprintln(&out, r.Get("eventName").String(), r.Get(strings.SplitN(s, "=", 2)[0]).Values())
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out.String(), plan
		}
		a, plan := rows(opts)
		b, _ := rows(none)
		if a != b {
			t.Errorf("%s: the pre-filter %s changes the rows:\nwith:    %s\nwithout: %s", s, plan.Prefilter(), a, b)
		}
		if plan.Prefilter() != "" {
			served++
		}
	}
	if served < 4 {
		t.Errorf("origins served %d searches, want at least 4", served)
	}
}

// lines is an exec.Input of JSON events, one per line.
type lines []string

func (l lines) Events(fn func(*event.Event) error) error {
	for i, raw := range l {
		ev := &event.Event{Raw: raw, Index: "main", Source: "test", Sourcetype: "aws:cloudtrail", Host: "h", File: "test.json", Line: i + 1}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// TestNullUnlessGiven: with some raw fields' values known, a case() or
// if() condition they decide leaves out the branches it cannot take, and
// none after one it takes; an AND with a side decided false, an OR with a
// side decided true, are decided whatever the other side reads; a
// condition on a field an alias or an extraction writes, or that is not
// pure, is not decided. Splunk's case() returns the value of the first
// condition that is true, null when none is; if() its second or third
// argument (Search Reference, "Conditional functions"); replace(),
// split(), mvindex() and mvjoin() of null are null. NullUnlessGiven lists
// the raw fields without which the field is null, and knows of none where
// a constant or another function may give a value; ExactGiven names the
// one raw field a field is, where the values decide every condition up to
// a branch that is such a field. NullSources lists every raw field
// NullUnlessGiven can name, whatever the values.
func TestNullUnlessGiven(t *testing.T) {
	app := fstest.MapFS{
		"default/props.conf": {Data: []byte(`[aws:cloudtrail]
EXTRACT-k = kind=(?<kind>\w+)
FIELDALIAS-a = eventSource AS svc
EVAL-user = case(eventName="PutBucketAcl", 'userIdentity.userName', eventName="AssumeRole" AND 'userIdentity.type'="AssumedRole", mvindex(split('requestParameters.roleArn', "/"), -1), eventType="AwsConsoleSignIn" OR in(eventName, "ListRoles"), coalesce('userIdentity.userName', 'userIdentity.sessionContext.sessionIssuer.userName'), in(eventName, "GetUser"), replace(errorMessage, "x", "y"), true(), 'userIdentity.userName')
EVAL-viaAlias = case(svc="s3", bucket, true(), key)
EVAL-viaExtract = if(kind="a", first, second)
EVAL-impure = case(match(eventName, "^Get"), a, true(), b)
EVAL-notTaken = case(eventName="Never", a)
EVAL-const = if(eventName="A", "x", a)
EVAL-lowered = lower(a)
EVAL-joined = mvjoin(split(a, ","), ";")
`)},
	}
	k := load(t, []conf.App{{FS: app, Name: "test"}})
	given := k.NullUnlessGiven("aws:cloudtrail")
	known := func(values map[string]string) knowledge.Known {
		return func(f string) (value.Value, bool) {
			v, ok := values[f]
			switch {
			case !ok:
				return value.NullValue, false
			case v == "<absent>":
				return value.NullValue, true
			}
			return value.Str(v), true
		}
	}
	api := map[string]string{"eventName": "DescribeRegions", "eventType": "AwsApiCall"}
	for _, c := range []struct {
		field  string
		values map[string]string
		want   []string
		ok     bool
	}{
		{"user", api, []string{"userIdentity.userName"}, true},
		{"user", map[string]string{"eventName": "DescribeRegions", "eventType": "<absent>"}, []string{"userIdentity.userName"}, true},
		{"user", map[string]string{"eventName": "DescribeRegions"}, []string{"userIdentity.userName", "userIdentity.sessionContext.sessionIssuer.userName"}, true},
		{"user", map[string]string{"eventName": "ListRoles", "eventType": "AwsApiCall"}, []string{"userIdentity.userName", "userIdentity.sessionContext.sessionIssuer.userName"}, true},
		{"user", map[string]string{"eventName": "PutBucketAcl"}, []string{"userIdentity.userName"}, true},
		{"user", map[string]string{"eventName": "GetUser", "eventType": "AwsApiCall"}, []string{"errorMessage"}, true},
		{"user", map[string]string{"eventName": "AssumeRole", "eventType": "AwsApiCall"}, []string{"requestParameters.roleArn", "userIdentity.userName"}, true},
		{"user", map[string]string{"eventType": "AwsApiCall"}, []string{"userIdentity.userName", "requestParameters.roleArn", "userIdentity.sessionContext.sessionIssuer.userName", "errorMessage"}, true},
		{"viaAlias", map[string]string{"svc": "s3", "eventSource": "s3"}, []string{"bucket", "key"}, true},
		{"viaExtract", map[string]string{"kind": "a"}, []string{"first", "second"}, true},
		{"impure", api, []string{"a", "b"}, true},
		{"notTaken", api, nil, true},
		{"eventName", api, []string{"eventName"}, true},
		{"const", map[string]string{"eventName": "B"}, []string{"a"}, true},
		{"const", map[string]string{"eventName": "A"}, nil, false},
		{"const", nil, nil, false},
		{"lowered", api, nil, false},
		{"joined", api, []string{"a"}, true},
	} {
		got, ok := given(c.field, known(c.values))
		if ok != c.ok || c.ok && !cmp.Equal(got, c.want, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b })) {
			t.Errorf("%s given %v = %+v, %v; want %+v, %v", c.field, c.values, got, ok, c.want, c.ok)
		}
	}
	exact := k.ExactGiven("aws:cloudtrail")
	for _, c := range []struct {
		field  string
		values map[string]string
		want   string // "": none
	}{
		{"user", api, "userIdentity.userName"},
		{"user", map[string]string{"eventName": "PutBucketAcl"}, "userIdentity.userName"},
		{"user", map[string]string{"eventName": "DescribeRegions"}, ""},                      // eventType may be AwsConsoleSignIn
		{"user", map[string]string{"eventName": "ListRoles", "eventType": "AwsApiCall"}, ""}, // a coalesce()
		{"user", map[string]string{"eventName": "GetUser", "eventType": "AwsApiCall"}, ""},   // a replace()
		{"viaExtract", map[string]string{"kind": "a"}, ""},
		{"viaAlias", map[string]string{"svc": "s3", "eventSource": "s3"}, ""},
		{"notTaken", api, ""},
		{"eventName", api, "eventName"},
	} {
		got, ok := exact(c.field, known(c.values))
		if ok != (c.want != "") || got != c.want {
			t.Errorf("ExactGiven(%s) given %v = %q, %v; want %q", c.field, c.values, got, ok, c.want)
		}
	}
	picked := k.NullSources("aws:cloudtrail")
	for _, c := range []struct {
		field string
		want  []string
	}{
		{"user", []string{"userIdentity.userName", "requestParameters.roleArn", "userIdentity.sessionContext.sessionIssuer.userName", "errorMessage"}},
		{"joined", []string{"a"}},
		{"viaAlias", []string{"bucket", "key"}},
		{"svc", []string{"eventSource"}},
		{"eventName", []string{"eventName"}},
	} {
		if got := picked(c.field); !cmp.Equal(got, c.want, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b })) {
			t.Errorf("NullSources(%s) = %v, want %v", c.field, got, c.want)
		}
	}
}
