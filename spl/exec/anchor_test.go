package exec_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/value"
)

// anchorProps is a sourcetype whose fields come from KV_MODE=json and
// from regular expressions: op and userName by EXTRACT (userName is a
// raw JSON key too), an alias of a raw field (api) and of an extracted
// one (op_alias), and a calculated field of a raw one (code, the
// add-on's errorCode). anchorReport adds fields named by the match
// (REPORT with FORMAT $1::$2), which may be any field, eventName among
// them.
const anchorProps = `[aws:cloudtrail]
KV_MODE = json
EXTRACT-op = op=(?<op>\w+) in msg
EXTRACT-user = name=(?<userName>\w+)
FIELDALIAS-a = eventName AS api op AS op_alias
EVAL-code = coalesce(errorCode, "success")
`

const anchorReport = "REPORT-kv = kv\n"

const anchorTransforms = `[kv]
SOURCE_KEY = msg
REGEX = (\w+):(\w+)
FORMAT = $1::$2
`

// anchorOptions are options that apply anchorProps, with anchorReport
// when report, as the harness wires a sourcetype's knowledge (addOn's
// wiring).
func anchorOptions(t testing.TB, report bool) exec.Options {
	t.Helper()
	props := anchorProps
	if report {
		props += anchorReport
	}
	app := conf.App{Name: "anchor", FS: fstest.MapFS{
		"default/props.conf":      {Data: []byte(props)},
		"default/transforms.conf": {Data: []byte(anchorTransforms)},
	}}
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	k := knowledge.Load([]conf.App{app}, eval.NewContext(now), compile)
	for _, p := range k.Problems {
		t.Fatalf("knowledge: %v", p)
	}
	const st = "aws:cloudtrail"
	sources := k.Sources(st)
	return exec.Options{
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
}

// TestAnchoredPrefilter: which terms' literals take a JSON string's
// quotes. A raw field's, an alias's of a raw field and a calculated
// field's whose values are a raw field's do; a field a regular
// expression extracts gives no literal at all (its value is any run of
// the text, not a JSON value), nor does an alias of it; a bare keyword's
// and TERM's literal is anywhere in the text, so never takes quotes.
// With a REPORT whose FORMAT names fields by the match, the knowledge
// cannot show the origin of any alias or calculated field (Sources), so
// those give none; a field no rule names is still read from the JSON
// alone (knowledge's Source: "No step makes it"), which
// TestAnchoredSameRows checks with a record whose msg names eventName.
func TestAnchoredPrefilter(t *testing.T) {
	opts, report := anchorOptions(t, false), anchorOptions(t, true)
	for _, c := range []struct{ search, want string }{
		{`eventName=Get*`, `"\"get"`},
		{`eventName="*Policy"`, `"policy\""`},
		{`eventName=DeleteTrail`, `"\"deletetrail\""`},
		{`eventName=CASE(GetObject)`, `"\"getobject\""`},
		{`eventName IN (Get*, "*Policy", DeleteTrail)`, `"\"get" OR "policy\"" OR "\"deletetrail\""`},
		{`eventName IN (Get*, x)`, ``}, // one value needs nothing
		{`eventName=*Get*`, `"get"`},
		{`eventName=true`, `"true"`},
		{`requestParameters.maxItems=100`, `"100"`},
		{`api=Get*`, `"\"get"`},
		{`code=Access*`, `"\"access"`},
		{`code=succ*`, ``}, // the constant matches
		{`op=Get*`, ``},
		{`op_alias=Get*`, ``},
		{`userName=Get*`, ``},
		{`Get*`, `"get"`},
		{`TERM(GetObject)`, `"getobject"`},
		{`msg="*op=Get*"`, `"op=get"`},
		{`eventName!=Get*`, ``},
		{`NOT eventName=Get*`, ``},
		{`sourcetype=aws:cloudtrail eventName=Get*`, `"\"get"`},
	} {
		_, plan := mustCompile(t, c.search, opts)
		if got := plan.Prefilter(); got != c.want {
			t.Errorf("%s: pre-filter %s, want %s", c.search, got, c.want)
		}
		want := c.want
		if strings.HasPrefix(c.search, "api=") || strings.HasPrefix(c.search, "code=") {
			want = ""
		}
		_, plan = mustCompile(t, c.search, report)
		if got := plan.Prefilter(); got != want {
			t.Errorf("%s, with %q: pre-filter %s, want %s", c.search, anchorReport, got, want)
		}
	}
}

// anchorRecords are records whose fields test the quotes a literal takes:
// the value at the start, the end or inside a JSON string, the first or
// last character written as a \u escape, an escaped quote or slash,
// whitespace around the colon, numbers, true, false and null written bare
// and as strings, arrays, nested objects, duplicate keys, a key equal to
// the value, and values that only regular expressions extract.
var anchorRecords = []string{
	`"eventName":"GetObject"`,
	`"eventName":"ForgetObject","msg":"op=GetX"`,
	`"eventName":"\u0047etObject"`,
	`"eventName":"GetObjec\u0074"`,
	`"eventName":"Get\"Object"`,
	`"eventName" : "GetBucketPolicy" , "x":1`,
	`"eventName":["Describe","GetX"]`,
	`"eventName":{"inner":"GetX"}`,
	`"GetObject":1,"eventName":"Put"`,
	`"eventName":true`,
	`"eventName":"TRUE"`,
	`"eventName":null`,
	`"eventName":false`,
	`"eventName":123`,
	`"eventName":-1.5e3`,
	`"eventName":"123"`,
	`"userAgent":"x GetObject","eventName":"getobject"`,
	`"msg":"op=GetObject","eventName":"Put"`,
	`"msg":"eventName:GetObject","eventName":"PutObject"`,
	`"msg":"name=GetMe","userName":"bob"`,
	`"errorCode":"AccessDenied"`,
	`"errorCode":"NotAccessDenied"`,
	`"requestParameters":{"maxItems":100}`,
	`"requestParameters":{"maxItems":"100"}`,
	`"eventName":"Get"`,
	`"eventName":"Policy"`,
	`"eventName":"a\/Policy"`,
	`"eventName":"BucketPolicyX"`,
	`"eventName":"GetObject","eventName":"PutObject"`,
	`"eventName":"DeleteTrail"`,
	`"eventName":"DeleteTrails"`,
	`"eventName":"xDeleteTrail"`,
	`"eventName":"deletetrail\u0020"`,
	`"eventName":"Get\/Policy"`,
}

// cutoffRecords put eventName's value across the 5000-byte extraction
// cutoff: its closing quote the 4999th, 5000th or 5001st byte, so the
// value is extracted whole or not at all (docs/semantics-events.md,
// "KV_MODE=json flattening", rule 5).
func cutoffRecords(prefix string) []string {
	var out []string
	for _, end := range []int{4999, 5000, 5001} {
		head := prefix + `"pad":"`
		tail := `","eventName":"GetBucketPolicy"`
		out = append(out, head+strings.Repeat("p", end-len(head)-len(tail))+tail)
	}
	return out
}

var anchorSearches = []string{
	`eventName=Get* | table _time eventName`,
	`eventName="*Policy" | table _time eventName`,
	`eventName=DeleteTrail | table _time eventName`,
	`eventName=CASE(GetObject) | table _time eventName`,
	`eventName IN (Get*, "*Policy", DeleteTrail) | table _time eventName`,
	`eventName=TRUE | table _time eventName`,
	`eventName=null | table _time eventName`,
	`eventName=fals* | table _time eventName`,
	`eventName=123 | table _time eventName`,
	`eventName=-1.5E3 | table _time eventName`,
	`eventName.inner=Get* | table _time eventName.inner`,
	`eventName{}=Get* | table _time eventName{}`,
	`eventName=*Object | table _time eventName`,
	`eventName=Get*Object | table _time eventName`,
	`requestParameters.maxItems=100 | table _time requestParameters.maxItems`,
	`api=Get* | table _time api`,
	`code=Access* | table _time code`,
	`code=*Denied | table _time code`,
	`op=Get* | table _time op`,
	`op_alias=Get* | table _time op_alias`,
	`userName=Get* | table _time userName`,
	`Get* | table _time eventName`,
	`msg="*op=Get*" | table _time msg`,
}

// anchorLines are anchorRecords and cutoffRecords as events, each with
// its own time.
func anchorLines() lines {
	var out lines
	add := func(body string) {
		out = append(out, fmt.Sprintf(`{"eventTime":"2026-11-01T1%d:%02d:00Z",%s}`, len(out)/60%10, len(out)%60, body))
	}
	for _, r := range anchorRecords {
		add(r)
	}
	for _, r := range cutoffRecords(`{"eventTime":"2026-11-01T19:59:00Z",`) {
		out = append(out, r+"}")
	}
	return out
}

// TestAnchoredSameRows: every search of anchorSearches gives the same rows
// with the raw pre-filter, whose literals take a JSON string's quotes, as
// without it: alone over events offered one by one, and all in one pass
// over a file read on two workers (where records are skipped unread and,
// the pass having many literals, a gram index answers for them), over
// anchorRecords, cutoffRecords and many copies of them. And the quotes
// rule out what the plain literal let through: "ForgetObject" for
// eventName=Get*.
func TestAnchoredSameRows(t *testing.T) {
	for _, report := range []bool{false, true} {
		t.Run(fmt.Sprintf("report=%v", report), func(t *testing.T) { checkAnchoredRows(t, anchorOptions(t, report)) })
	}
}

func checkAnchoredRows(t *testing.T, with exec.Options) {
	without := with
	without.NoPrefilter = true
	events := anchorLines()
	for _, s := range anchorSearches {
		if a, b := runOrError(t, events, s, with), runOrError(t, events, s, without); a != b {
			t.Errorf("%s: the pre-filter changes the rows:\nwith:    %s\nwithout: %s", s, a, b)
		}
	}
	_, plan := mustCompile(t, `eventName=Get* | table eventName`, with)
	counts, err := plan.Run(lines{`{"eventName":"ForgetObject"}`, `{"eventName":"GetObject"}`}, func(*value.Row) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if counts.Filtered != 1 || counts.Matched != 1 {
		t.Errorf(`eventName=Get* over "ForgetObject" and "GetObject": %d ruled out by the raw text, %d matched; want 1 and 1`, counts.Filtered, counts.Matched)
	}

	var data strings.Builder
	for i := 0; i < 400; i++ {
		r := anchorRecords[i%len(anchorRecords)]
		fmt.Fprintf(&data, `{"eventTime":"2026-11-01T%02d:%02d:00Z",%s}`+"\n", i/60%24, i%60, r)
	}
	for _, r := range cutoffRecords(`{"eventTime":"2026-11-01T23:59:00Z",`) {
		data.WriteString(r + "}\n")
	}
	path := filepath.Join(t.TempDir(), "anchor.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		with.Workers, without.Workers = workers, workers
		got, gotErrs := runJSON(t, fileInput(path), anchorSearches, with)
		want, wantErrs := runJSON(t, fileInput(path), anchorSearches, without)
		for i, s := range anchorSearches {
			if gotErrs[i] != nil || wantErrs[i] != nil {
				t.Fatalf("%s: %v, %v", s, gotErrs[i], wantErrs[i])
			}
			if got[i] != want[i] {
				t.Errorf("%d workers, in one pass: %s:\nwith:    %s\nwithout: %s", workers, s, got[i], want[i])
			}
		}
	}
}
