package exec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// TestEventtypePrefilters: each event type's search has the raw
// pre-filter a base search of it would have, "" where the search
// requires no literal (errorCode=* errorCode!=success). object_category,
// which a lookup makes from eventName, is "instance" raw or from one of
// the lookup rows of RunInstances ... RebootInstances. The values of raw
// fields (and of errorCode, the raw one or a constant) are JSON strings,
// so their literals carry the quotes where the value starts or ends
// (valueLiteral). A plan gets them only when it can read event types or
// tags.
func TestEventtypePrefilters(t *testing.T) {
	opts := addOn(t, true)
	want := map[string]string{
		"eventName=ConsoleLogin NOT additionalEventData.LoginTo=*":             `"\"consolelogin\""`,
		"*Delete* OR *Remove* OR *Reboot*":                                     `("delete" OR "remove" OR "reboot")`,
		"errorCode=* errorCode!=success":                                       ``,
		"object_category=instance":                                             `("\"instance\"" OR "\"runinstances\"" OR "\"startinstances\"" OR "\"stopinstances\"" OR "\"terminateinstances\"" OR "\"rebootinstances\"")`,
		`"additionalEventData.MFAUsed"=Yes`:                                    `"\"yes\""`,
		"eventName=Create* OR eventName=ListRoles OR eventName=ListAliases OR": `("\"create" OR "\"listroles\"" OR "\"listaliases\"" OR "\"putbucketacl\"" OR "\"getbucketencryption\"")`,
		`errorCode="*UnauthorizedOperation" OR errorCode="AccessDenied"`:       `("\"listsigningcertificates\"" OR "\"listaccesskeys\"" OR "\"listaccountaliases\"" OR "\"getuser\"" OR "\"getaccountsummary\"") AND ("unauthorizedoperation\"" OR "\"accessdenied\"" OR "\"authfailure\"" OR "\"operationnotpermitted\"")`,
	}
	for _, c := range []struct {
		search string
		gated  bool
	}{
		{"| tstats count from datamodel=Change by All_Changes.user", true},
		{"| from datamodel:Authentication.Authentication", true},
		{"tag=change | stats count", true},
		{"eventtype=aws_cloudtrail_errors | stats count", true},
		{"eventName=ConsoleLogin | table _time eventtype", true},
		{"eventName=ConsoleLogin | table _time tag::eventtype", true},
		{"eventName=ConsoleLogin", false}, // whole events carry their tags, but only those passed on read them
		{"eventName=ConsoleLogin | stats count by src", false},
	} {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := exec.Compile(q, opts)
		if err != nil {
			t.Fatalf("%s: %v", c.search, err)
		}
		got := plan.EventtypePrefilters()
		if !c.gated {
			if got != nil {
				t.Errorf("%s: reads no event type, but has their pre-filters %q", c.search, got)
			}
			continue
		}
		if len(got) != len(opts.EventtypeSearches) {
			t.Fatalf("%s: %d event type pre-filters, want one per event type (%d)", c.search, len(got), len(opts.EventtypeSearches))
		}
		seen := 0
		for i, text := range opts.EventtypeSearches {
			for part, w := range want {
				if strings.Contains(text, part) {
					seen++
					if got[i] != w {
						t.Errorf("%s: event type %q: pre-filter %s, want %s", c.search, text, got[i], w)
					}
				}
			}
		}
		if seen != len(want) {
			t.Errorf("%s: %d of the %d event types looked for are among the add-on's", c.search, seen, len(want))
		}
		noPre := opts
		noPre.NoPrefilter = true
		if plan, _ := exec.Compile(q, noPre); plan.EventtypePrefilters() != nil {
			t.Errorf("%s: NoPrefilter keeps the event types' pre-filters", c.search)
		}
	}
}

// TestEventtypeGateSameRows: the searches that decide data model
// datasets, tags and event types give the same rows in one pass whether
// the event types' raw pre-filters rule event types out before their
// searches run or every search runs: over the add-on's attack data,
// generated CloudTrail of both profiles, and the fuzz target's shapes
// (FuzzDerivedPrefilter covers any record).
func TestEventtypeGateSameRows(t *testing.T) {
	t.Parallel()
	var events evList
	events = append(events, attackEvents(t)...)
	for i, profile := range gen.Profiles() {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, gen.Config{Bytes: 80_000, Seed: uint64(11 + i), Profile: profile, AttackEvery: 200}); err != nil {
			t.Fatal(err)
		}
		events = append(events, readEvents(t, "gen-"+profile+".json", buf.Bytes())...)
	}
	events = append(events, readEvents(t, "test.json", []byte(strings.Join(cloudtrail, "\n")))...)
	searches := []string{
		"* | table _time eventName eventtype tag tag::eventtype",
		"tag=change | stats count by eventName",
		"tag IN (account, instance, network) | stats count by eventName tag",
		"eventtype=aws_cloudtrail_* NOT tag=cloud | stats count by eventName",
	}
	for _, m := range addOnModels().Models() {
		searches = append(searches, "| tstats count from datamodel="+m.Name+" by _time span=1s nodename")
	}
	searches = append(searches,
		"| tstats count values(All_Changes.object_category) as c from datamodel=Change where All_Changes.action=created by All_Changes.user",
		"| tstats dc(All_Changes.object) as n from datamodel=Change where All_Changes.object_category IN (instance, user) (All_Changes.action=modified OR All_Changes.action=deleted OR All_Changes.action=created) by All_Changes.user",
		"| tstats count from datamodel=Authentication where Authentication.action=failure Authentication.app=AwsConsoleSignIn Authentication.signature=ConsoleLogin by Authentication.user",
		"| tstats count from datamodel=Change where All_Changes.command IN (RunInstances, Create*) All_Changes.status=success by All_Changes.command",
		"| datamodel Authentication Failed_Authentication flat | table _time user action",
		"| from datamodel:Change.All_Changes | stats count by _time eventName",
		"object_category=instance | stats count by eventName",
		"tag=instance | stats count by eventName")
	gated := addOn(t, true)
	ungated := gated
	ungated.EventtypeSearches = nil
	none := gated
	none.NoPrefilter = true
	want := runPass(t, events, searches, none)
	for _, c := range []struct {
		name    string
		opts    exec.Options
		workers int
	}{{"gated", gated, 1}, {"gated", gated, 2}, {"ungated", ungated, 2}} {
		c.opts.Workers = c.workers
		got := runPass(t, events, searches, c.opts)
		for i := range searches {
			if got[i] != want[i] {
				t.Errorf("%s, %d workers: %s:\ngot  %s\nwant %s", c.name, c.workers, searches[i], got[i], want[i])
			}
		}
	}
	for _, et := range []string{"aws_cloudtrail_change", "aws_cloudtrail_endpoint_change", "aws_cloudtrail_instance", "aws_cloudtrail_iam_change", "aws_cloudtrail_consolelogin_auth", "aws_cloudtrail_errors"} {
		if !strings.Contains(want[0], `"`+et+`"`) {
			t.Errorf("no event is of type %s: the test proves too little", et)
		}
	}
}

// runPass runs searches in one pass over events and renders each one's
// rows as JSON (or its error).
func runPass(t *testing.T, events evList, searches []string, opts exec.Options) []string {
	t.Helper()
	opts.Now = now
	out, errs := runJSON(t, events, searches, opts)
	for i, err := range errs {
		if err != nil {
			out[i] = "error: " + err.Error()
		}
	}
	return out
}

// runJSON runs searches in one pass over in and renders each one's rows
// as JSON, beside its error.
func runJSON(t *testing.T, in exec.Input, searches []string, opts exec.Options) ([]string, []error) {
	t.Helper()
	rows, _, errs := runPassRows(t, in, searches, opts)
	out := make([]string, len(searches))
	for i := range searches {
		var b strings.Builder
		if err := output.JSON(&b, rows[i]); err != nil {
			t.Fatal(err)
		}
		out[i] = b.String()
	}
	return out, errs
}

// runPassRows compiles searches with opts and runs them in one pass over in,
// each one's rows collected beside its counts and error.
func runPassRows(t *testing.T, in exec.Input, searches []string, opts exec.Options) ([][]*value.Row, []exec.Counts, []error) {
	t.Helper()
	plans := make([]*exec.Plan, len(searches))
	for i, text := range searches {
		q, err := spl.ParseString(text)
		if err != nil {
			t.Fatal(err)
		}
		if plans[i], err = exec.Compile(q, opts); err != nil {
			t.Fatalf("compile %s: %v", text, err)
		}
	}
	rows := make([][]*value.Row, len(plans))
	outs := make([]func(*value.Row) error, len(plans))
	for i := range plans {
		outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
	}
	counts, errs := exec.RunAll(plans, in, outs)
	return rows, counts, errs
}

// evList is an Input of events read before the run.
type evList []*event.Event

func (l evList) Events(fn func(*event.Event) error) error {
	for _, ev := range l {
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// readEvents reads a file's events as search reads CloudTrail.
func readEvents(t *testing.T, name string, data []byte) evList {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out evList
	if _, err := event.Read([]string{p}, event.Options{Sourcetype: "aws:cloudtrail"}, func(ev *event.Event) error {
		out = append(out, ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// attackEvents are the events of every CloudTrail file of the embedded
// attack data.
func attackEvents(t *testing.T) evList {
	t.Helper()
	var out evList
	err := fs.WalkDir(attackdata.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		data, err := fs.ReadFile(attackdata.FS(), p)
		if err != nil {
			return err
		}
		out = append(out, readEvents(t, path.Base(p), data)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("%d events in the attack data", len(out))
	}
	return out
}

// FuzzEventtypeGate: for records built from any eventName, eventSource
// and errorCode (seeded with those of generated CloudTrail and with the
// add-on's event types' own words in other cases and spellings), in
// several shapes (JSON escapes, multivalue, a raw object_category, the
// words elsewhere in the record), the event types and tags of the
// events, their data model datasets and a tag search are the same
// whether the event types' raw pre-filters gate their searches or no
// pre-filter runs at all.
func FuzzEventtypeGate(f *testing.F) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 30_000, Seed: 3, Profile: "bedrock-heavy", AttackEvery: 10}); err != nil {
		f.Fatal(err)
	}
	for i, rec := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var r struct{ EventName, EventSource, ErrorCode string }
		if err := json.Unmarshal([]byte(rec), &r); err != nil {
			f.Fatal(err)
		}
		f.Add(r.EventName, r.EventSource, r.ErrorCode, uint8(i))
	}
	for _, s := range []struct{ name, source, code string }{
		{"DeleteUser", "iam.amazonaws.com", ""},
		{"RunInstances", "ec2.amazonaws.com", ""},
		{"ListAccessKeys", "iam.amazonaws.com", "AccessDenied"},
		{"ConsoleLogin", "signin.amazonaws.com", ""},
		{"createVpc", "ec2.amazonaws.com", "Client.UnauthorizedOperation"},
		{"PutBucketAcl", "s3.amazonaws.com", ""},
		{"REBOOTINSTANCES", "ec2.amazonaws.com", "success"},
		{"AssumeRoleWithSAML", "sts.amazonaws.com", "OperationNotPermitted"},
		{"AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", ""},
		{"StopInstances", "ec2.amazonaws.com", "instance"},
		{"runinstances", "ec2.amazonaws.com", "Instance"},
		{"GetObject", "s3.amazonaws.com", "INSTANCE"},
	} {
		f.Add(s.name, s.source, s.code, uint8(0))
	}
	with, without := addOn(f, true), addOn(f, true)
	without.NoPrefilter = true
	searches := []string{
		"* | table _time eventName eventtype tag tag::eventtype",
		"| tstats count from datamodel=Change by nodename",
		"| tstats count from datamodel=Authentication by nodename",
		"| tstats count from datamodel=Change where All_Changes.object_category=instance OR All_Changes.action IN (created, unknown) by All_Changes.command",
		"| tstats count from datamodel=Authentication where Authentication.signature=ConsoleLogin by Authentication.action",
		"tag=change | stats count by eventName",
		"object_category=instance OR object_category IN (unknown, INSTANCE) | stats count by eventName object_category",
		"eventtype=aws_cloudtrail_instance | stats count by eventName",
	}
	f.Fuzz(func(t *testing.T, name, source, code string, shape uint8) {
		if len(name)+len(source)+len(code) > 300 {
			return
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		events := lines{}
		add := func(fields string) {
			events = append(events, fmt.Sprintf(`{"eventTime":"2026-11-01T1%d:00:00Z",%s,"userIdentity":{"type":"IAMUser","userName":"u"},"sourceIPAddress":"192.0.2.9"}`, len(events)%10, fields))
		}
		base := `"eventName":` + str(name) + `,"eventSource":` + str(source)
		add(base)
		add(base + `,"errorCode":` + str(code))
		switch shape % 6 {
		case 0:
			add(`"eventName":` + str(strings.ToUpper(name)) + `,"eventSource":` + str(strings.ToLower(source)) + `,"errorCode":` + str(strings.ToLower(code)))
		case 1:
			add(`"eventName":[` + str(name) + `,` + str(code) + `],"eventSource":` + str(source))
		case 2:
			add(base + `,"object_category":` + str(code) + `,"additionalEventData":{"LoginTo":` + str(code) + `,"MFAUsed":` + str(code) + `}`)
		case 3:
			if r := []rune(name); len(r) > 0 && r[0] < 0x10000 {
				add(fmt.Sprintf(`"eventName":"\u%04x%s,"eventSource":%s`, r[0], str(string(r[1:]))[1:], str(source)))
			}
		case 4:
			add(`"eventName":"GetObject","eventSource":"s3.amazonaws.com","requestParameters":{"key":` + str(name+" "+code) + `}`)
		case 5:
			add(`"eventName":` + str(name) + `,"eventSource":` + str(source) + `,"errorCode":` + str(code) + `,"responseElements":{"ConsoleLogin":"Failure"}`)
		}
		for _, s := range searches {
			if a, b := runOrError(t, events, s, with), runOrError(t, events, s, without); a != b {
				t.Errorf("%s: the event types' pre-filters change the rows:\nwith:    %s\nwithout: %s\nevents:\n%s", s, a, b, strings.Join(events, "\n"))
			}
		}
	})
}
