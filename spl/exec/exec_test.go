package exec_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// now is the fixed search time of the tests.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// lines is an Input of JSON events, one per line, in the order given.
type lines []string

func (l lines) Events(fn func(*event.Event) error) error {
	for i, raw := range l {
		ev := &event.Event{Raw: raw, Index: "main", Source: "test", Sourcetype: "aws:cloudtrail", Host: "h", File: "test.json", Line: i + 1}
		if t, ok := eventTime(raw); ok {
			ev.Time = t
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// eventTime reads "eventTime":"..." from a test event.
func eventTime(raw string) (float64, bool) {
	i := strings.Index(raw, `"eventTime":"`)
	if i < 0 {
		return 0, false
	}
	s := raw[i+len(`"eventTime":"`):]
	t, err := time.Parse(time.RFC3339, s[:strings.IndexByte(s, '"')])
	if err != nil {
		return 0, false
	}
	return float64(t.Unix()), true
}

// run compiles and runs a search, returning its rows as the JSON output.
func run(t *testing.T, events lines, search string, opts exec.Options) string {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	if opts.Now.IsZero() {
		opts.Now = now
	}
	plan, err := exec.Compile(q, opts)
	if err != nil {
		t.Fatalf("compile %q: %v", search, err)
	}
	var rows []*value.Row
	if _, err := plan.Run(events, func(r *value.Row) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatalf("run %q: %v", search, err)
	}
	var b bytes.Buffer
	if err := output.JSON(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// compact makes an expected JSON output from a one-line-per-row listing.
func compact(rows ...string) string {
	if len(rows) == 0 {
		return "[]\n"
	}
	return "[\n  " + strings.Join(rows, ",\n  ") + "\n]\n"
}

var cloudtrail = lines{
	`{"eventTime":"2026-11-01T10:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"DeleteGuardrail","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/admin/alice"},"sourceIPAddress":"192.0.2.1","awsRegion":"us-east-1","requestParameters":{"guardrailIdentifier":"gr-1"}}`,
	`{"eventTime":"2026-11-01T11:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"ListFoundationModels","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"sourceIPAddress":"198.51.100.7","awsRegion":"us-west-2","resources":[{"ARN":"a1"},{"ARN":"a2"}]}`,
	`{"eventTime":"2026-11-01T09:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","userName":"carol"},"sourceIPAddress":"AWS Internal","awsRegion":"us-east-1","count":"12"}`,
	`{"eventTime":"2026-11-01T12:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"ListFoundationModels","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"sourceIPAddress":"198.51.100.7","awsRegion":"us-west-2"}`,
}

// commandCases: one case per command behaviour, each citing where the
// behaviour is documented (TestCommands; TestDerivedPrefilterSameRows runs
// their searches too).
var commandCases = []struct {
	name, source, search string
	want                 string
}{
	{"events newest first", "docs/semantics.md, Commands: events enter newest first",
		`eventName=* | table eventName`,
		compact(`{"eventName": "ListFoundationModels"}`, `{"eventName": "ListFoundationModels"}`, `{"eventName": "DeleteGuardrail"}`, `{"eventName": "GetObject"}`)},
	{"values are case-insensitive", "docs/semantics.md, Search command",
		`eventname=x OR eventName=deleteguardrail | table eventName`,
		compact(`{"eventName": "DeleteGuardrail"}`)},
	{"wildcards", "docs/semantics.md, Search command [D-wild]",
		`eventName=List* sourceIPAddress=*.7 | stats count`,
		compact(`{"count": "2"}`)},
	{"OR binds tighter than AND", "docs/semantics.md, Search command [D-bool]",
		`eventSource=s3.amazonaws.com eventName=GetObject OR eventName=DeleteGuardrail | table eventName`,
		compact(`{"eventName": "GetObject"}`)},
	{"!= drops events without the field", "docs/semantics.md, Search command [D-not]",
		`errorCode!=Foo | stats count`,
		compact(`{"count": "2"}`)},
	{"NOT keeps events without the field", "docs/semantics.md, Search command [D-not]",
		`NOT errorCode=Foo | stats count`,
		compact(`{"count": "4"}`)},
	{"CASE() makes a value case-sensitive", "docs/semantics.md, Search command [D-caseterm]: host=CASE(LOCALHOST)",
		`eventName=CASE(getobject) OR eventName=CASE(GetObject) | table eventName`,
		compact(`{"eventName": "GetObject"}`)},
	{"CASE() keyword", "docs/semantics.md, Search command [D-caseterm]",
		`CASE(GetObject) | stats count`,
		compact(`{"count": "1"}`)},
	{"quoted value with a space", "docs/semantics.md, Search command",
		`sourceIPAddress="AWS Internal" | table eventName`,
		compact(`{"eventName": "GetObject"}`)},
	{"multivalue matches any value", "docs/semantics.md, Search command",
		`resources{}.ARN=a2 | table eventName`,
		compact(`{"eventName": "ListFoundationModels"}`)},
	{"IN list", "docs/semantics.md, Search command [SPL8212 searchbnf comparison-expression]",
		`eventName IN (GetObject, "Delete*") | table eventName`,
		compact(`{"eventName": "DeleteGuardrail"}`, `{"eventName": "GetObject"}`)},
	{"numeric comparison", "docs/semantics.md, Search command",
		`count>9 | table eventName`,
		compact(`{"eventName": "GetObject"}`)},
	{"bare term at segment boundaries", "docs/semantics.md, Search command: segmentation",
		`guardrailIdentifier | table eventName`,
		compact(`{"eventName": "DeleteGuardrail"}`)},
	{"bare term does not match inside a segment", "docs/semantics.md, Search command: error does not match errors",
		`guardrail | stats count`,
		compact(`{"count": "0"}`)},
	{"stats by drops null groups and sorts", "docs/semantics.md, Commands",
		`* | stats count BY errorCode eventName`,
		compact(`{"errorCode": "AccessDenied", "eventName": "ListFoundationModels", "count": "2"}`)},
	{"stats functions", "docs/semantics-stats.md",
		`* | stats count dc(userIdentity.userName) AS users values(awsRegion) min(_time) as first max(_time) as last`,
		compact(`{"count": "4", "users": "2", "values(awsRegion)": ["us-east-1", "us-west-2"], "first": "1793523600", "last": "1793534400"}`)},
	{"stats without rows", "docs/semantics.md, Commands: stats count on no input is 0",
		`nothing_matches_this | stats count values(x)`,
		compact(`{"count": "0"}`)},
	{"stats multivalue by", "docs/semantics.md, Commands: multivalue BY splits",
		`resources{}.ARN=* | stats count by resources{}.ARN`,
		compact(`{"resources{}.ARN": "a1", "count": "1"}`, `{"resources{}.ARN": "a2", "count": "1"}`)},
	{"stats eval argument", "docs/semantics.md, Commands: count(eval(...))",
		`* | stats count(eval(eventSource="bedrock.amazonaws.com")) AS bedrock`,
		compact(`{"bedrock": "3"}`)},
	{"where after stats", "docs/semantics.md, eval and where",
		`* | stats count by eventName | where count > 1`,
		compact(`{"eventName": "ListFoundationModels", "count": "2"}`)},
	{"eval concatenation and if", "docs/semantics.md, eval and where",
		`eventName=GetObject | eval x=eventName . "-" . awsRegion, y=if(isnull(errorCode), "ok", "err") | table x y`,
		compact(`{"x": "GetObject-us-east-1", "y": "ok"}`)},
	{"eval dotted names need quotes", "docs/semantics.md, eval and where: a.b is concatenation",
		`eventName=GetObject | eval a=userIdentity.userName, b='userIdentity.userName' | table a b`,
		compact(`{"b": "carol"}`)},
	{"rename wildcard", "docs/semantics.md, Commands [D-rename]",
		`eventName=DeleteGuardrail | rename requestParameters.* AS * | table guardrailIdentifier`,
		compact(`{"guardrailIdentifier": "gr-1"}`)},
	{"rename", "docs/semantics.md, Commands",
		`eventName=GetObject | rename userIdentity.userName as user | table user`,
		compact(`{"user": "carol"}`)},
	{"convert ctime", "docs/semantics.md, Commands: convert default format",
		`eventName=GetObject | convert ctime(_time) AS t | table t`,
		compact(`{"t": "11/01/2026 09:00:00"}`)},
	{"convert timeformat", "docs/semantics.md, Macros: security_content_ctime",
		`* | stats min(_time) as firstTime | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)`,
		compact(`{"firstTime": "2026-11-01T09:00:00"}`)},
	{"fillnull with fields", "docs/semantics.md, Commands [D-fillnull]",
		`eventName=GetObject | fillnull value=none errorCode | table errorCode`,
		compact(`{"errorCode": "none"}`)},
	{"fillnull without fields", "docs/semantics.md, Commands [D-fillnull]: only fields present in some result",
		`* | table eventName errorCode | fillnull`,
		compact(`{"eventName": "ListFoundationModels", "errorCode": "AccessDenied"}`, `{"eventName": "ListFoundationModels", "errorCode": "AccessDenied"}`, `{"eventName": "DeleteGuardrail", "errorCode": "0"}`, `{"eventName": "GetObject", "errorCode": "0"}`)},
	{"dedup keeps the first", "docs/semantics.md, Commands",
		`* | dedup eventName | table eventName`,
		compact(`{"eventName": "ListFoundationModels"}`, `{"eventName": "DeleteGuardrail"}`, `{"eventName": "GetObject"}`)},
	{"dedup drops null keys", "docs/semantics.md, Commands",
		`* | dedup errorCode | table eventName`,
		compact(`{"eventName": "ListFoundationModels"}`)},
	{"sort", "docs/semantics.md, Commands",
		`* | sort - _time | head 2 | table eventName`,
		compact(`{"eventName": "ListFoundationModels"}`, `{"eventName": "ListFoundationModels"}`)},
	{"sort numbers numerically", "docs/semantics.md, Commands",
		`| makeresults count=3 | eval n=10 | streamstats count AS i | eval n=n/i*3 | sort n | table n`,
		compact(`{"n": "10"}`, `{"n": "15"}`, `{"n": "30"}`)},
	{"head and tail", "docs/semantics.md, Commands",
		`* | head 3 | tail 2 | table eventName`,
		compact(`{"eventName": "DeleteGuardrail"}`, `{"eventName": "ListFoundationModels"}`)},
	{"reverse", "docs/semantics.md, Commands",
		`* | reverse | head 1 | table eventName`,
		compact(`{"eventName": "GetObject"}`)},
	{"bin _time", "docs/semantics.md, Commands",
		`* | bin _time span=2h | stats count by _time`,
		compact(`{"_time": "2026-11-01T08:00:00.000+00:00", "count": "1"}`, `{"_time": "2026-11-01T10:00:00.000+00:00", "count": "2"}`, `{"_time": "2026-11-01T12:00:00.000+00:00", "count": "1"}`)},
	{"rex named groups", "docs/semantics.md, Commands",
		`eventName=DeleteGuardrail | rex field=userIdentity.arn "assumed-role/(?<role>[^/]+)/(?<session>.+)" | table role session`,
		compact(`{"role": "admin", "session": "alice"}`)},
	{"rex sed", "docs/semantics.md, Commands",
		`eventName=GetObject | rex field=eventName mode=sed "s/Get/Put/" | table eventName`,
		compact(`{"eventName": "PutObject"}`)},
	{"regex", "docs/semantics.md, Commands",
		`* | regex eventName="^List" | stats count`,
		compact(`{"count": "2"}`)},
	{"spath path", "docs/semantics.md, Commands",
		`eventName=DeleteGuardrail | spath path=requestParameters.guardrailIdentifier output=g | table g`,
		compact(`{"g": "gr-1"}`)},
	{"mvexpand", "docs/semantics.md, Commands",
		`resources{}.ARN=* | mvexpand resources{}.ARN | table resources{}.ARN`,
		compact(`{"resources{}.ARN": "a1"}`, `{"resources{}.ARN": "a2"}`)},
	{"makemv", "docs/semantics.md, Commands",
		`| makeresults | eval x="a,b,c" | makemv delim="," x | table x`,
		compact(`{"x": ["a", "b", "c"]}`)},
	{"eventstats", "docs/semantics.md, Commands",
		`* | eventstats count AS total by eventSource | table eventName total`,
		compact(`{"eventName": "ListFoundationModels", "total": "3"}`, `{"eventName": "ListFoundationModels", "total": "3"}`, `{"eventName": "DeleteGuardrail", "total": "3"}`, `{"eventName": "GetObject", "total": "1"}`)},
	{"streamstats", "docs/semantics.md, Commands",
		`* | streamstats count AS n | table n`,
		compact(`{"n": "1"}`, `{"n": "2"}`, `{"n": "3"}`, `{"n": "4"}`)},
	{"top", "Splunk docs: top",
		`* | top limit=1 eventName`,
		compact(`{"eventName": "ListFoundationModels", "count": "2", "percent": "50.000000"}`)},
	{"rare", "Splunk docs: rare",
		`* | rare limit=1 eventSource`,
		compact(`{"eventSource": "s3.amazonaws.com", "count": "1", "percent": "25.000000"}`)},
	{"append", "docs/semantics.md, Commands",
		`eventName=GetObject | table eventName | append [search eventName=DeleteGuardrail | table eventName]`,
		compact(`{"eventName": "GetObject"}`, `{"eventName": "DeleteGuardrail"}`)},
	{"join", "docs/semantics.md, Commands",
		`eventName=GetObject | table awsRegion eventName | join awsRegion [search eventName=DeleteGuardrail | table awsRegion eventSource]`,
		compact(`{"awsRegion": "us-east-1", "eventName": "GetObject", "eventSource": "bedrock.amazonaws.com"}`)},
	{"subsearch filter", "docs/semantics.md, Commands: subsearch results become a filter",
		`* [search eventName=GetObject | table awsRegion] | table eventName`,
		compact(`{"eventName": "DeleteGuardrail"}`, `{"eventName": "GetObject"}`)},
	{"foreach", "[SPL8212 searchbnf foreach]",
		`| makeresults | eval a_1=1, a_2=2 | foreach a_* [eval '<<FIELD>>'='<<FIELD>>' * 10] | table a_1 a_2`,
		compact(`{"a_1": "10", "a_2": "20"}`)},
	{"addtotals", "Splunk docs: addtotals",
		`| makeresults | eval a=1, b=2.5, c="x" | addtotals | table Total`,
		compact(`{"Total": "3.5"}`)},
	{"fromjson", "Splunk docs: fromjson",
		`| makeresults | eval j="{\"a\":1,\"b\":[\"x\",\"y\"]}" | fromjson j | table a b`,
		compact(`{"a": "1", "b": ["x", "y"]}`)},
	{"fields minus", "docs/semantics.md, Commands",
		`eventName=GetObject | table eventName awsRegion | fields - awsRegion`,
		compact(`{"eventName": "GetObject"}`)},
	{"search star passes stats rows", "docs/semantics.md, Search command: the _filter macro is search *",
		`* | stats count by eventName | search *`,
		compact(`{"eventName": "DeleteGuardrail", "count": "1"}`, `{"eventName": "GetObject", "count": "1"}`, `{"eventName": "ListFoundationModels", "count": "2"}`)},
	{"earliest bounds the base search", "docs/semantics.md, Time",
		`earliest=-26d@d * | stats count`,
		compact(`{"count": "4"}`)},
	{"latest bounds the base search", "docs/semantics.md, Time",
		`latest=11/01/2026:10:30:00 * | stats count`,
		compact(`{"count": "2"}`)},
}

// TestCommands runs commandCases.
func TestCommands(t *testing.T) {
	cases := commandCases
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := run(t, cloudtrail, c.search, exec.Options{})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s (%s)\n-want +got:\n%s", c.search, c.source, diff)
			}
		})
	}
}

// tables is a lookup resolver over in-memory CSV text.
type tables map[string]string

func (t tables) Lookup(name string) (*lookup.Table, error) {
	text, ok := t[name]
	if !ok {
		return nil, fmt.Errorf("lookup table %s is not defined", name)
	}
	tab, err := lookup.ReadCSV(name, strings.NewReader(text))
	if name == "wild" && err == nil {
		tab.Wildcard = map[string]bool{"eventName": true}
		tab.MaxMatches = 1
	}
	return tab, err
}

var testTables = tables{
	"owners":  "awsRegion,owner,team\nus-east-1,alice,blue\nus-west-2,bob,red\n",
	"wild":    "eventName,kind\nDelete*,destructive\nList*,discovery\n*,other\n",
	"regions": "awsRegion\nus-east-1\n",
}

// lookupCases: the lookup command, inputlookup and outputlookup
// (docs/semantics.md, "Commands").
var lookupCases = []struct{ name, search, want string }{
	{"lookup OUTPUT with AS", `eventName=GetObject | lookup owners awsRegion OUTPUT owner AS region_owner | table eventName region_owner`,
		compact(`{"eventName": "GetObject", "region_owner": "alice"}`)},
	{"lookup without outputs writes every other column", `eventName=DeleteGuardrail | lookup owners awsRegion | table owner team`,
		compact(`{"owner": "alice", "team": "blue"}`)},
	{"OUTPUTNEW keeps existing fields", `eventName=GetObject | eval owner="existing" | lookup owners awsRegion OUTPUTNEW owner | table owner`,
		compact(`{"owner": "existing"}`)},
	{"OUTPUT clears on no match", `eventName=GetObject | eval awsRegion="nowhere", owner="x" | lookup owners awsRegion OUTPUT owner | table owner`,
		compact(`{}`)},
	{"wildcard table, first match in file order", `* | lookup wild eventName OUTPUT kind | stats count by kind`,
		compact(`{"kind": "destructive", "count": "1"}`, `{"kind": "discovery", "count": "2"}`, `{"kind": "other", "count": "1"}`)},
	{"inputlookup with where", `| inputlookup owners where team=red | table owner`,
		compact(`{"owner": "bob"}`)},
	{"outputlookup then inputlookup", `* | stats count by awsRegion | outputlookup counts | append [| inputlookup counts | eval copy=1] | stats count`,
		compact(`{"count": "4"}`)},
	{"subsearch from a lookup", `* [| inputlookup regions] | stats count`,
		compact(`{"count": "2"}`)},
}

// TestLookups runs lookupCases.
func TestLookups(t *testing.T) {
	cases := lookupCases
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := run(t, cloudtrail, c.search, exec.Options{Lookups: testTables})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", c.search, diff)
			}
		})
	}
}

// TestPrefilterSkips: a selective search skips events on their raw text
// alone, and a search that names a derived field does not.
func TestPrefilterSkips(t *testing.T) {
	counts := func(search string, opts exec.Options) exec.Counts {
		q, _ := spl.ParseString(search)
		opts.Now = now
		plan, err := exec.Compile(q, opts)
		if err != nil {
			t.Fatal(err)
		}
		c, err := plan.Run(cloudtrail, func(*value.Row) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := counts(`eventName=DeleteGuardrail`, exec.Options{}); c.Filtered != 3 || c.Matched != 1 {
		t.Errorf("selective search: %+v, want 3 filtered, 1 matched", c)
	}
	derived := exec.Options{Derived: func(f string) bool { return f == "signature" }}
	if c := counts(`signature=DeleteGuardrail`, derived); c.Filtered != 0 {
		t.Errorf("derived field: %+v, want nothing filtered", c)
	}
}

// prefilterCases are searches whose pre-filter matters.
var prefilterCases = []string{
	`eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count`,
	`eventName=List* OR eventName=Get* | stats count by eventName`,
	`eventName IN (GetObject, DeleteGuardrail) sourceIPAddress="AWS Internal" | stats count`,
	`guardrailIdentifier NOT errorCode=* | stats count`,
	`sourcetype=aws:cloudtrail index=main eventName=GetObject | stats count`,
	`earliest=-26d@d latest=now eventName=* | stats count`,
	`userIdentity.type=IAMUser "198.51.100.7" | stats count`,
}

// TestPrefilterAgrees: every case gives the same rows with and without the
// raw pre-filter.
func TestPrefilterAgrees(t *testing.T) {
	for _, s := range prefilterCases {
		with := run(t, cloudtrail, s, exec.Options{})
		without := run(t, cloudtrail, s, exec.Options{NoPrefilter: true})
		if with != without {
			t.Errorf("%s: pre-filter changes the result:\n%s\nvs\n%s", s, with, without)
		}
	}
}

// TestUnsupported: commands and functions the evaluator cannot run fail at
// compile time with their name and position.
func TestUnsupported(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`x | tstats count`, "command tstats is not supported"},
		{`x | iplocation src`, "iplocation needs an IP location database (.mmdb, MaxMind format): set db_path in the [iplocation] stanza of an --app's limits.conf"},
		{`x | ut_parse url`, "command ut_parse is not supported"},
		{`x | eval y=nosuchfunc(1)`, "function nosuchfunc() is not supported"},
		{`x | stats nosuch(y)`, "stats function nosuch() is not supported"},
	} {
		wantCompileError(t, c.search, c.want)
	}
}

// TestRunAll: several plans over one pass give exactly the rows each gives
// alone, whether it streams or sorts its matches.
func TestRunAll(t *testing.T) {
	searches := []string{
		`eventSource=bedrock.amazonaws.com | stats count values(eventName) by awsRegion`,
		`* | table eventName`,
		`eventName=List* | stats first(eventName) list(sourceIPAddress) by errorCode`,
		`| makeresults | eval x=1`,
		`* | eval n=1 | stats sum(n) as total`,
	}
	var plans []*exec.Plan
	var alone []string
	for _, s := range searches {
		alone = append(alone, run(t, cloudtrail, s, exec.Options{}))
		q, err := spl.ParseString(s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := exec.Compile(q, exec.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
	}
	rows := make([][]*value.Row, len(plans))
	outs := make([]func(*value.Row) error, len(plans))
	for i := range plans {
		outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
	}
	counts, errs := exec.RunAll(plans, cloudtrail, outs)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for i := range plans {
		var b bytes.Buffer
		_ = output.JSON(&b, rows[i])
		if b.String() != alone[i] {
			t.Errorf("%s: together\n%s\nalone\n%s", searches[i], b.String(), alone[i])
		}
	}
	if counts[0].Events != 4 || counts[3].Events != 0 {
		t.Errorf("counts: %+v", counts)
	}
}

// wantCompileError checks that a search fails to compile with an
// exec.Error whose message contains want and which has a position.
func wantCompileError(t *testing.T, search, want string) {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatal(err)
	}
	_, err = exec.Compile(q, exec.Options{Now: now})
	var ee *exec.Error
	if !errors.As(err, &ee) || !strings.Contains(ee.Msg, want) {
		t.Errorf("%s: got %v, want an error containing %q", search, err, want)
		return
	}
	if ee.Pos.Offset == 0 {
		t.Errorf("%s: error has no position", search)
	}
}
