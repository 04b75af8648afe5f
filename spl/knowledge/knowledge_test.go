package knowledge_test

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/splharness/splharness/spl/golden"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/value"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func load(t testing.TB, apps []conf.App) *knowledge.Knowledge {
	t.Helper()
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	k := knowledge.Load(apps, eval.NewContext(now), compile)
	for _, p := range k.Problems {
		t.Errorf("problem: %v", p)
	}
	return k
}

func builtin() []conf.App {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return apps
}

type testCase struct {
	Case  string          `json:"case"`
	Event json.RawMessage `json:"event"`
}

func readCases(t testing.TB) []testCase {
	f, err := os.Open("testdata/identities.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []testCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c testCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func newEvent(raw string) *event.Event {
	ev := &event.Event{Raw: raw, Sourcetype: "aws:cloudtrail", Source: "aws_cloudtrail", Index: "main", Host: "h"}
	var head struct {
		EventTime time.Time `json:"eventTime"`
	}
	_ = json.Unmarshal([]byte(raw), &head)
	ev.Time = float64(head.EventTime.Unix())
	return ev
}

// derived renders every field the knowledge makes, null ones as "-".
func derived(k *knowledge.Knowledge, raw string) string {
	ev := newEvent(raw)
	src := k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true}))
	row := value.NewRow(src)
	var b strings.Builder
	for _, f := range k.DerivedFields(ev.Sourcetype) {
		v := row.Get(f)
		if v.IsNull() {
			fmt.Fprintf(&b, "  %s = -\n", f)
			continue
		}
		fmt.Fprintf(&b, "  %s = %s\n", f, strings.Join(v.Values(), " | "))
	}
	return b.String()
}

// TestIdentities: the derived fields of a Bedrock call, a console login
// (success and failure) and an IAM call by every identity type, and the
// worked example of docs/knowledge.md (golden: testdata/identities.golden).
func TestIdentities(t *testing.T) {
	k := load(t, builtin())
	var b strings.Builder
	for _, c := range readCases(t) {
		fmt.Fprintf(&b, "### %s\n%s\n", c.Case, derived(k, string(c.Event)))
	}
	checkGolden(t, "identities.golden", b.String())
}

// TestWorkedExample checks docs/knowledge.md, "A worked example", field by
// field.
func TestWorkedExample(t *testing.T) {
	k := load(t, builtin())
	c := readCases(t)[0]
	ev := newEvent(string(c.Event))
	row := value.NewRow(k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true})))
	want := map[string]string{
		"signature": "InvokeModel", "command": "InvokeModel", "src": "192.0.2.1", "src_ip": "192.0.2.1",
		"vendor_region": "us-east-1", "region": "us-east-1", "vendor_account": "111111111111",
		"vendor_product": "AWS CloudTrail", "dest": "bedrock.amazonaws.com", "dvc": "bedrock.amazonaws.com",
		"user_agent": "aws-cli/2.9.15 Python/3.9.11", "user_name": "admin_role", "userName": "admin_role",
		"user": "", "user_arn": "arn:aws:sts::111111111111:assumed-role/admin_role/user@example.com",
		"user_type": "AssumedRole", "user_id": "", "errorCode": "AccessDenied", "msg": "AccessDenied",
		"result_id": "AccessDenied", "app": "AwsApiCall", "object_category": "unknown", "action": "",
		"status": "", "change_type": "", "aws_account_id": "111111111111", "vendor": "Amazon Web Services",
		"product": "CloudTrail",
	}
	for f, w := range want {
		if got := strings.Join(row.Get(f).Values(), "|"); got != w {
			t.Errorf("%s = %q, want %q (docs/knowledge.md, \"A worked example\")", f, got, w)
		}
	}
	if !strings.HasPrefix(row.Get("result").First(), "User: arn:aws:sts::") || row.Get("reason").First() != row.Get("result").First() {
		t.Errorf("result/reason should be errorMessage, got %q / %q", row.Get("result"), row.Get("reason"))
	}
}

// TestSameAsApp: a copy of the built-in rules loaded as a plain app folder
// derives exactly the same fields: the engine carries the rules, not Go.
func TestSameAsApp(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, detections.Knowledge()[0]); err != nil {
		t.Fatal(err)
	}
	fromApp := load(t, []conf.App{{FS: os.DirFS(dir), Name: filepath.Base(dir)}})
	fromBuiltin := load(t, builtin())
	for _, c := range readCases(t) {
		if diff := cmp.Diff(derived(fromBuiltin, string(c.Event)), derived(fromApp, string(c.Event))); diff != "" {
			t.Errorf("%s: app copy differs:\n%s", c.Case, diff)
		}
	}
}

// TestBadRules: a bad line names file and line; a bad regex or eval names
// stanza and key; the other rules still apply.
func TestBadRules(t *testing.T) {
	app := fstest.MapFS{
		"default/props.conf": {Data: []byte(`[aws:cloudtrail]
FIELDALIAS-a = eventName AS signature
this line is broken
EVAL-bad = if(
EXTRACT-badre = (?<x>[a-z)
EVAL-good = upper(eventName)
LOOKUP-missing = nosuchtable eventName OUTPUT x
LOOKUP-broken = ragged eventName OUTPUT x
[unclosed
`)},
		"default/transforms.conf": {Data: []byte("[ragged]\nfilename = ragged.csv\n")},
		"lookups/ragged.csv":      {Data: []byte("eventName,x\nA,1\nB,2,3\n")},
	}
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	k := knowledge.Load([]conf.App{{FS: app, Name: "app"}}, eval.NewContext(now), compile)
	var got []string
	for _, p := range k.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`app/default/props.conf:3: line "this line is broken" is not key = value`,
		`app/default/props.conf:9: stanza header "[unclosed" has no closing ]`,
		// A broken CSV is reported as what is wrong with it, not as a
		// file that is missing.
		"app/lookups/ragged.csv:3:",
		"app/default/transforms.conf:1: lookup ragged: file lookups/ragged.csv cannot be read (its problem is reported at the file)",
		"app/default/props.conf:5: [aws:cloudtrail] EXTRACT-badre:",
		"app/default/props.conf:4: [aws:cloudtrail] EVAL-bad:",
		"app/default/props.conf:8: [aws:cloudtrail] LOOKUP-broken: lookup table ragged cannot be read: app/lookups/ragged.csv:3:",
		"app/default/props.conf:7: [aws:cloudtrail] LOOKUP-missing: lookup table nosuchtable is not defined",
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d: %q, want prefix %q", i, got[i], want[i])
		}
	}
	ev := newEvent(`{"eventTime":"2026-11-01T10:00:00Z","eventName":"GetObject"}`)
	row := value.NewRow(k.Source("aws:cloudtrail", event.NewFields(ev, event.Need{All: true})))
	if row.Get("signature").First() != "GetObject" || row.Get("good").First() != "GETOBJECT" {
		t.Errorf("good rules did not apply: signature=%q good=%q", row.Get("signature"), row.Get("good"))
	}
}

// BenchmarkKnowledge is the per-event cost of the knowledge layer for the
// fields a Bedrock detection reads.
func BenchmarkKnowledge(b *testing.B) {
	k := load(b, builtin())
	raw := string(readCases(b)[0].Event)
	ev := newEvent(raw)
	fields := []string{"src", "user_name", "user_agent", "vendor_account", "vendor_product", "dest", "signature", "vendor_region", "errorCode"}
	need := event.Need{Names: map[string]bool{}}
	for _, f := range append(fields, k.Reads("aws:cloudtrail")...) {
		need.Names[f] = true
	}
	need = need.Compile()
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			row := value.NewRow(event.NewFields(ev, need))
			for _, f := range []string{"sourceIPAddress", "eventName", "awsRegion", "eventSource", "userAgent", "userIdentity.accountId", "errorCode"} {
				row.Get(f)
			}
		}
	})
	b.Run("knowledge", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			row := value.NewRow(k.Source(ev.Sourcetype, event.NewFields(ev, need)))
			for _, f := range fields {
				row.Get(f)
			}
		}
	})
	// As a search plans it: the event's fields extracted are those the
	// knowledge needs for the fields asked (ReadsFor), not all it reads.
	planned := event.Need{Names: map[string]bool{}}
	for _, f := range k.ReadsFor("aws:cloudtrail", fields) {
		planned.Names[f] = true
	}
	planned = planned.Compile()
	b.Run("planned", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			row := value.NewRow(k.Source(ev.Sourcetype, event.NewFields(ev, planned)))
			for _, f := range fields {
				row.Get(f)
			}
		}
	})
	// The knowledge alone: the event's fields are extracted once, and
	// each iteration reads them through a new source, so that its rules
	// run again (what "planned" costs beyond the extraction).
	extracted := event.NewFields(ev, planned)
	for _, f := range k.ReadsFor("aws:cloudtrail", fields) {
		extracted.Field(f)
	}
	b.Run("rules", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			row := value.NewRow(k.Source(ev.Sourcetype, extracted))
			for _, f := range fields {
				row.Get(f)
			}
		}
	})
}

// BenchmarkKnowledgeScanning is the knowledge's per-event cost for ESCU's
// "AWS Excessive Security Scanning" (stats ... by user userIdentity.arn
// over the Describe*, List* and Get* calls): an IAM user's call, an
// assumed role's (user is null), and a denied GetUser (user is the error
// message's resource), each read through a new source over fields
// extracted once, as "rules" does.
func BenchmarkKnowledgeScanning(b *testing.B) {
	k := load(b, builtin())
	raws := []string{
		`{"eventTime":"2026-10-01T00:00:01Z","eventSource":"cloudtrail.amazonaws.com","eventName":"DescribeTrails","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::123456789012:user/alice"},"sourceIPAddress":"10.1.30.25","userAgent":"Boto3/1.34.11"}`,
		`{"eventTime":"2026-10-01T00:00:02Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventType":"AwsApiCall","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/app/s","sessionContext":{"sessionIssuer":{"userName":"app"}}},"sourceIPAddress":"10.1.30.26","userAgent":"Boto3/1.34.11"}`,
		`{"eventTime":"2026-10-01T00:00:03Z","eventSource":"iam.amazonaws.com","eventName":"GetUser","eventType":"AwsApiCall","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:GetUser on resource: user bob","userIdentity":{"type":"IAMUser","userName":"bob","arn":"arn:aws:iam::123456789012:user/bob"},"sourceIPAddress":"10.1.30.27","userAgent":"console.amazonaws.com"}`,
	}
	fields := []string{"user", "userIdentity.arn", "eventName", "_time", "src", "userAgent"}
	planned := event.Need{Names: map[string]bool{}}
	for _, f := range k.ReadsFor("aws:cloudtrail", fields) {
		planned.Names[f] = true
	}
	planned = planned.Compile()
	var extracted []*event.Fields
	for _, raw := range raws {
		x := event.NewFields(newEvent(raw), planned)
		for _, f := range k.ReadsFor("aws:cloudtrail", fields) {
			x.Field(f)
		}
		extracted = append(extracted, x)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, x := range extracted {
			row := value.NewRow(k.Source("aws:cloudtrail", x))
			for _, f := range fields {
				row.Get(f)
			}
		}
	}
}

// checkGolden compares got with testdata/name (go test -update rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

var _ fs.FS = fstest.MapFS{}

// TestReadsFor: a search extracts only the JSON fields the knowledge needs
// for the fields it names, following aliases, calculated fields and
// lookups down to raw fields.
func TestReadsFor(t *testing.T) {
	k := load(t, builtin())
	tests := []struct {
		fields []string
		want   []string
	}{
		{[]string{"eventSource"}, []string{"eventSource"}},
		{[]string{"src"}, []string{"sourceIPAddress", "src"}},
		{[]string{"vendor_account"}, []string{"recipientAccountId", "userIdentity.accountId", "vendor_account"}},
		{[]string{"eventtype"}, k.Reads("aws:cloudtrail")},
	}
	for _, tt := range tests {
		got := k.ReadsFor("aws:cloudtrail", tt.fields)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ReadsFor(%q) (-want +got):\n%s", tt.fields, diff)
		}
	}
	if got := k.ReadsFor("no:such:sourcetype", []string{"src"}); got != nil {
		t.Errorf("unknown sourcetype: got %q, want nil", got)
	}
}

// TestEvalErrorPosition: an EVAL- expression is parsed as an expression on
// its own (spl.ParseExpr), and its errors name the setting's line and the
// column in props.conf, also on a continuation line. Text after the
// expression, which an eval command would read as another assignment, is
// an error.
func TestEvalErrorPosition(t *testing.T) {
	app := fstest.MapFS{"default/props.conf": {Data: []byte("[s]\nEVAL-a = if(\nEVAL-b =  upper(x), y=2\nEVAL-c = lower(x) . \\\n  (\nEVAL-ok = lower(x)\n")}}
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	k := knowledge.Load([]conf.App{{FS: app, Name: "app"}}, eval.NewContext(now), compile)
	var got []string
	for _, p := range k.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`app/default/props.conf:2: [s] EVAL-a: app/default/props.conf:2:13: spl-syntax: unexpected end of search, expected an expression`,
		`app/default/props.conf:3: [s] EVAL-b: app/default/props.conf:3:19: spl-syntax: unexpected ","`,
		`app/default/props.conf:4: [s] EVAL-c: app/default/props.conf:5:4: spl-syntax: unexpected end of search, expected an expression`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
