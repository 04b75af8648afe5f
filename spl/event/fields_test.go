package event

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/value"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// kv is one extracted field as tests compare it.
type kv struct {
	name string
	vals []string
}

func (f kv) String() string {
	if len(f.vals) == 1 {
		return f.name + " = " + strconv.Quote(f.vals[0])
	}
	q := make([]string, len(f.vals))
	for i, v := range f.vals {
		q[i] = strconv.Quote(v)
	}
	return f.name + " = [" + strings.Join(q, ", ") + "]"
}

func render(fields []kv) string {
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// jsonFields extracts every JSON field of raw with a cutoff.
func jsonFields(raw string, cutoff int) []kv {
	var out []kv
	NewFieldsCutoff(&Event{Raw: raw}, Need{All: true}, cutoff).EachJSON(func(name string, v value.Value) {
		out = append(out, kv{name, slices.Clone(v.Values())})
	})
	return out
}

func TestFlatten(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []kv
	}{
		{"nested objects join with dots",
			`{"userIdentity":{"sessionContext":{"sessionIssuer":{"userName":"r"}}}}`,
			[]kv{{"userIdentity.sessionContext.sessionIssuer.userName", []string{"r"}}}},
		{"objects are not fields, empty ones yield nothing",
			`{"a":{"b":1},"webIdFederationData":{},"c":[],"d":[{}],"e":[[]]}`,
			[]kv{{"a.b", []string{"1"}}}},
		{"array of objects is multivalue in document order",
			`{"resources":[{"ARN":"a","type":"t"},{"ARN":"b"}]}`,
			[]kv{{"resources{}.ARN", []string{"a", "b"}}, {"resources{}.type", []string{"t"}}}},
		{"scalar array",
			`{"userAgent":["x"],"n":[1,true,null,"s"]}`,
			[]kv{{"userAgent{}", []string{"x"}}, {"n{}", []string{"1", "true", "null", "s"}}}},
		{"nested arrays",
			`{"a":[[1,2],[3]],"b":[[{"c":"x"}]]}`,
			[]kv{{"a{}{}", []string{"1", "2", "3"}}, {"b{}{}.c", []string{"x"}}}},
		{"array elements are not index-aligned",
			`{"r":[{"a":1},{"b":2},{"a":3}]}`,
			[]kv{{"r{}.a", []string{"1", "3"}}, {"r{}.b", []string{"2"}}}},
		{"keys verbatim",
			`{"requestParameters":{"x-amz-server-side-encryption":"AES256","tags":{"lambda-console:blueprint":"b"}},"A B":"c"}`,
			[]kv{{"requestParameters.x-amz-server-side-encryption", []string{"AES256"}},
				{"requestParameters.tags.lambda-console:blueprint", []string{"b"}}, {"A B", []string{"c"}}}},
		{"escaped keys are unescaped",
			`{"a\u002eb":1,"k\"q":2,"o":{"\\":3}}`,
			[]kv{{"a.b", []string{"1"}}, {`k"q`, []string{"2"}}, {`o.\`, []string{"3"}}}},
		{"strings are unescaped",
			`{"policyDocument":"{\"Version\":\"2012-10-17\"}\n\t\/","u":"\u00e9\ud83d\ude00","lone":"\ud800x"}`,
			[]kv{{"policyDocument", []string{"{\"Version\":\"2012-10-17\"}\n\t/"}}, {"u", []string{"é😀"}},
				{"lone", []string{"\uFFFDx"}}}},
		{"booleans and null are strings",
			`{"readOnly":false,"managementEvent":true,"requestParameters":null}`,
			[]kv{{"readOnly", []string{"false"}}, {"managementEvent", []string{"true"}}, {"requestParameters", []string{"null"}}}},
		{"numbers keep their text",
			`{"a":1.50,"b":-0,"c":1e3,"d":1E+3,"e":0.000001,"f":12345678901234567890}`,
			[]kv{{"a", []string{"1.50"}}, {"b", []string{"-0"}}, {"c", []string{"1e3"}}, {"d", []string{"1E+3"}},
				{"e", []string{"0.000001"}}, {"f", []string{"12345678901234567890"}}}},
		{"empty string is a present empty value",
			`{"userIdentity":{"accessKeyId":""}}`,
			[]kv{{"userIdentity.accessKeyId", []string{""}}}},
		{"duplicate keys are multivalue",
			`{"b":1,"a":2,"b":3}`,
			[]kv{{"b", []string{"1", "3"}}, {"a", []string{"2"}}}},
		{"dotted key and nested object share a name",
			`{"a.b":1,"a":{"b":2}}`,
			[]kv{{"a.b", []string{"1", "2"}}}},
		{"top-level empty key is dropped, nested ones kept",
			`{"":1,"a":{"":2},"":{"c":3}}`,
			[]kv{{"a.", []string{"2"}}, {".c", []string{"3"}}}},
		{"whitespace anywhere",
			" \t\r\n{ \"a\" :\n[ 1 , { \"b\" : \"c\" } ] }\n ",
			[]kv{{"a{}", []string{"1"}}, {"a{}.b", []string{"c"}}}},
		{"trailing comma is invalid", `{"a":1,}`, nil},
		{"trailing text is invalid", `{"a":1} x`, nil},
		{"two objects are invalid", `{"a":1}{"b":2}`, nil},
		{"control character in string is invalid", "{\"a\":\"x\x01\"}", nil},
		{"bad escape is invalid", `{"a":"\x"}`, nil},
		{"leading zero is invalid", `{"a":01}`, nil},
		{"unterminated is invalid", `{"a":"b"`, nil},
		{"bare word is invalid", `{"a":tru}`, nil},
		{"single quotes are invalid", `{'a':1}`, nil},
		{"empty input", ``, nil},
		{"top-level array yields nothing", `[{"a":1}]`, nil},
		{"top-level string yields nothing", `"a"`, nil},
		{"empty object", `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsonFields(tt.raw, ExtractionCutoff)
			if render(got) != render(tt.want) {
				t.Errorf("fields of %s\ngot:\n%swant:\n%s", tt.raw, render(got), render(tt.want))
			}
			f := NewFields(&Event{Raw: tt.raw}, Need{All: true})
			for _, w := range tt.want {
				v, ok := f.Field(w.name)
				if !ok || !slices.Equal(v.Values(), w.vals) {
					t.Errorf("Field(%q) = %#v, %v; want %q", w.name, v, ok, w.vals)
				}
				if len(w.vals) == 1 && v.Kind() != value.String || len(w.vals) > 1 && v.Kind() != value.Multi {
					t.Errorf("Field(%q) kind %v", w.name, v.Kind())
				}
			}
		})
	}
}

func TestFlattenDeepNesting(t *testing.T) {
	ok := `{"a":` + strings.Repeat("[", maxDepth-1) + "1" + strings.Repeat("]", maxDepth-1) + "}"
	if got := jsonFields(ok, 0); len(got) != 1 || got[0].name != "a"+strings.Repeat("{}", maxDepth-1) {
		t.Errorf("nesting at the limit: got %d fields", len(got))
	}
	deep := `{"a":` + strings.Repeat("[", maxDepth) + "1" + strings.Repeat("]", maxDepth) + "}"
	if got := jsonFields(deep, 0); got != nil {
		t.Errorf("nesting past the limit extracted %d fields", len(got))
	}
	if json.Valid([]byte(deep)) || !json.Valid([]byte(ok)) {
		t.Errorf("the depth limit differs from encoding/json's")
	}
}

// exampleNames lists the CloudTrail examples under testdata/cloudtrail:
// the example_log of each ESCU aws_cloudtrail_*.yml data source, with the
// field list Splunk produced for that data source in <name>.fields.
func exampleNames(t testing.TB) []string {
	files, err := filepath.Glob("testdata/cloudtrail/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	return names
}

func readExample(t testing.TB, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata/cloudtrail", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// TestCloudTrailGolden checks the fields of every ESCU CloudTrail example
// against testdata/cloudtrail/<name>.golden (go test -update rewrites
// them).
func TestCloudTrailGolden(t *testing.T) {
	for _, name := range exampleNames(t) {
		t.Run(name, func(t *testing.T) {
			raw := readExample(t, name)
			got := render(jsonFields(raw, ExtractionCutoff))
			golden := filepath.Join("testdata/cloudtrail", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("fields differ from %s\ngot:\n%s", golden, got)
			}
		})
	}
}

// TestCloudTrailNamesAsSplunk checks our field names against the field
// lists Splunk produced for the same data sources: every JSON field we
// extract from an example, with no cutoff, is in its list.
func TestCloudTrailNamesAsSplunk(t *testing.T) {
	// These two examples are not the event the field list was made from
	// (their lists name fields the example lacks and vice versa).
	otherEvent := map[string]bool{"deleteknowledgebase": true, "deletesnapshot": true}
	for _, name := range exampleNames(t) {
		if otherEvent[name] {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata/cloudtrail", name+".fields"))
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, f := range strings.Fields(string(b)) {
			listed[f] = true
		}
		for _, f := range jsonFields(readExample(t, name), 0) {
			if !listed[f.name] {
				t.Errorf("%s: we extract %q, which Splunk's field list lacks", name, f.name)
			}
		}
	}
}

func TestCutoff(t *testing.T) {
	// pad builds {"pad":"xxx…","k":<value>…} so that the value text ends
	// at byte end (exclusive).
	pad := func(valueText string, end int, rest string) string {
		head := `{"pad":"`
		mid := `","k":`
		n := end - len(head) - len(mid) - len(valueText)
		return head + strings.Repeat("x", n) + mid + valueText + rest
	}
	tests := []struct {
		name string
		raw  string
		want []string // values of k; nil: k absent
	}{
		{"string ending at the cutoff is kept", pad(`"v"`, 5000, `,"z":1}`), []string{"v"}},
		{"string ending one byte past is dropped", pad(`"v"`, 5001, `,"z":1}`), nil},
		{"number ending at the cutoff is kept", pad(`123`, 5000, `,"z":1}`), []string{"123"}},
		{"number ending at the cutoff before a brace is kept", pad(`123`, 5000, `}`), []string{"123"}},
		{"number straddling the cutoff is dropped", pad(`1234`, 5001, `,"z":1}`), nil},
		{"number whose fraction starts past the cutoff is dropped", pad(`12.5`, 5002, `}`), nil},
		{"literal ending at the cutoff is kept", pad(`true`, 5000, `}`), []string{"true"}},
		{"literal straddling the cutoff is dropped", pad(`false`, 5002, `}`), nil},
		{"invalid JSON past the cutoff is not seen", pad(`"v"`, 4990, `,"q":"`+strings.Repeat("y", 50)+`","z":1,,}`), []string{"v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFields(&Event{Raw: tt.raw}, Need{All: true})
			v, ok := f.Field("k")
			if tt.want == nil && ok || tt.want != nil && !slices.Equal(v.Values(), tt.want) {
				t.Errorf("k = %#v, %v; want %q", v, ok, tt.want)
			}
			if _, ok := f.Field("pad"); !ok {
				t.Errorf("pad missing")
			}
			if _, ok := f.Field("z"); ok {
				t.Errorf("z, past the cutoff, extracted")
			}
		})
	}
	t.Run("invalid JSON before the cutoff yields nothing", func(t *testing.T) {
		raw := `{"a":1,,"pad":"` + strings.Repeat("x", 6000) + `"}`
		if got := jsonFields(raw, ExtractionCutoff); got != nil {
			t.Errorf("got %v", got)
		}
	})
	t.Run("multivalue cut part way", func(t *testing.T) {
		raw := `{"r":[` + strings.Repeat(`"abcdefghi",`, 600) + `"z"]}`
		got := jsonFields(raw, ExtractionCutoff)
		// Each value with its comma is 12 bytes after the 6-byte head:
		// values ending by byte 5000 are the first 416.
		if len(got) != 1 || len(got[0].vals) != 416 {
			t.Errorf("got %d values", len(got[0].vals))
		}
		if got := jsonFields(raw, 0); len(got[0].vals) != 601 {
			t.Errorf("no cutoff: got %d values", len(got[0].vals))
		}
	})
	t.Run("CloudTrail example past 5000 bytes loses its tail", func(t *testing.T) {
		raw := readExample(t, "putimage")
		f := NewFields(&Event{Raw: raw}, Need{All: true})
		for _, name := range []string{"eventID", "requestID", "recipientAccountId", "resources{}.ARN"} {
			if _, ok := f.Field(name); ok {
				t.Errorf("%s extracted past the cutoff", name)
			}
		}
		if v, _ := f.Field("eventName"); v.String() != "PutImage" {
			t.Errorf("eventName = %#v", v)
		}
		g := NewFieldsCutoff(&Event{Raw: raw}, Need{All: true}, 0)
		if v, _ := g.Field("eventID"); v.IsNull() {
			t.Errorf("eventID missing with no cutoff")
		}
	})
}

const invokeModel = `{"eventVersion": "1.08", "userIdentity": {"type": "AssumedRole", "principalId": "AROAIJIESMXKGCJRCTPR6:user@example.com", "arn": "arn:aws:sts::111111111111:assumed-role/admin_role/user@example.com", "accountId": "111111111111", "accessKeyId": "ASIAYTOGP2RLXXXXXXXX", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAIJIESMXKGCJRCTPR6", "arn": "arn:aws:iam::111111111111:role/admin_role", "accountId": "111111111111", "userName": "admin_role"}, "webIdFederationData": {}, "attributes": {"mfaAuthenticated": "false", "creationDate": "2023-10-15T08:36:15Z"}}}, "eventTime": "2023-10-15T08:49:49Z", "eventSource": "bedrock.amazonaws.com", "eventName": "InvokeModel", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1", "userAgent": "aws-cli/2.9.15", "requestParameters": {"modelId": "anthropic.claude-v2"}, "responseElements": {"requestId": "97b40da9-9291-4a92-8e9e-892b6887ffc9"}, "requestID": "97b40da9-9291-4a92-8e9e-892b6887ffc9", "eventID": "46fe04b8-d007-4933-8bb8-c8b65c1121fa", "readOnly": false, "eventType": "AwsApiCall", "managementEvent": true, "eventCategory": "Management", "recipientAccountId": "111111111111"}`

// readOne reads one event from NDJSON text with opts.
func readOne(t *testing.T, raw string, opts Options) *Event {
	t.Helper()
	path := filepath.Join(t.TempDir(), "e.json")
	if err := os.WriteFile(path, []byte(raw+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ev *Event
	c, err := Read([]string{path}, opts, func(e *Event) error { ev = e; return nil })
	if err != nil || ev == nil {
		t.Fatalf("Read: %v %+v", err, c)
	}
	return ev
}

func TestDefaultFields(t *testing.T) {
	ev := readOne(t, invokeModel, Options{Sourcetype: "aws:cloudtrail", Source: "aws_cloudtrail",
		Index: "contentctl_testing_index", Host: "CONTENTCTL_HOST"})
	f := NewFields(ev, Need{Names: map[string]bool{"eventName": true}})
	start := strings.Index(invokeModel, `"eventTime": "`) + len(`"eventTime": "`)
	want := map[string]value.Value{
		"_raw":          value.Str(invokeModel),
		"_time":         value.Num(1697359789),
		"index":         value.Str("contentctl_testing_index"),
		"source":        value.Str("aws_cloudtrail"),
		"sourcetype":    value.Str("aws:cloudtrail"),
		"host":          value.Str("CONTENTCTL_HOST"),
		"linecount":     value.Str("1"),
		"splunk_server": value.Str("splharness"),
		"date_second":   value.Str("49"),
		"date_minute":   value.Str("49"),
		"date_hour":     value.Str("8"),
		"date_mday":     value.Str("15"),
		"date_month":    value.Str("october"),
		"date_year":     value.Str("2023"),
		"date_wday":     value.Str("sunday"),
		"date_zone":     value.Str("0"),
		"timestartpos":  value.Str(strconv.Itoa(start)),
		"timeendpos":    value.Str(strconv.Itoa(start + len("2023-10-15T08:49:49Z"))),
	}
	for name, w := range want {
		if v, ok := f.Field(name); !ok || !v.Equal(w) {
			t.Errorf("%s = %#v, %v; want %#v", name, v, ok, w)
		}
	}
	if f.scans != 0 {
		t.Errorf("default fields parsed the JSON (%d scans)", f.scans)
	}
	if got := invokeModel[start : start+20]; got != "2023-10-15T08:49:49Z" {
		t.Errorf("timestartpos points at %q", got)
	}

	// Each: default fields first, in order, then JSON fields.
	var names []string
	f.Each(func(name string, _ value.Value) { names = append(names, name) })
	if !slices.Equal(names[:len(defaultNames)], defaultNames) {
		t.Errorf("Each starts with %q", names[:len(defaultNames)])
	}
	if names[len(defaultNames)] != "eventVersion" || names[len(names)-1] != "recipientAccountId" {
		t.Errorf("JSON fields out of order: %q", names[len(defaultNames):])
	}

	// An event made by hand: default fields it lacks are absent, the
	// timestamp is found in _raw.
	g := NewFields(&Event{Raw: invokeModel, Sourcetype: "aws:cloudtrail"}, Need{})
	if _, ok := g.Field("host"); ok {
		t.Errorf("host present on an event without one")
	}
	if v, _ := g.Field("date_wday"); v.String() != "sunday" {
		t.Errorf("date_wday = %#v", v)
	}
	if v, _ := g.Field("timestartpos"); v.String() != strconv.Itoa(start) {
		t.Errorf("timestartpos = %#v", v)
	}
	h := NewFields(&Event{Raw: `{"a":1}`}, Need{})
	if _, ok := h.Field("date_hour"); ok {
		t.Errorf("date_hour present without a timestamp in _raw")
	}
	if v, _ := NewFields(&Event{Raw: "a\nb\nc"}, Need{}).Field("linecount"); v.String() != "3" {
		t.Errorf("linecount = %#v", v)
	}
}

// TestDefaultShapes checks the quick test of a name against the default
// fields' shapes: every default field passes it, and the names it lets
// through are default fields only where defaultKind says so.
func TestDefaultShapes(t *testing.T) {
	for _, n := range defaultNames {
		if !maybeDefault(n) || !isDefaultName(n) {
			t.Errorf("%s: shape %v, default %v", n, maybeDefault(n), isDefaultName(n))
		}
	}
	f := NewFields(&Event{Raw: `{"date":1,"_row":2,"Host":3,"eventName":4,"indexes":5,"hosts":6,"":7}`}, Need{})
	for _, n := range []string{"date", "_row", "Host", "eventName", "indexes", "hosts", "date_hours", "sourcetype2", "", strings.Repeat("_", 16)} {
		if isDefaultName(n) {
			t.Errorf("%q taken for a default field", n)
		}
		if _, _, isDefault := f.defaultField(n); isDefault {
			t.Errorf("%q read as a default field", n)
		}
	}
	if v, ok := f.Field("_row"); !ok || v.String() != "2" {
		t.Errorf("_row = %#v %v", v, ok)
	}
}

func TestDefaultFieldsWinOverJSON(t *testing.T) {
	raw := `{"eventTime":"2023-10-15T08:49:49Z","host":"json-host","source":"s","x":1}`
	ev := readOne(t, raw, Options{Sourcetype: "aws:cloudtrail"})
	f := NewFields(ev, Need{All: true})
	if v, _ := f.Field("host"); v.String() != "splharness" {
		t.Errorf("host = %#v", v)
	}
	var hosts int
	f.Each(func(name string, _ value.Value) {
		if name == "host" {
			hosts++
		}
	})
	if hosts != 1 {
		t.Errorf("Each gave host %d times", hosts)
	}
	var json []string
	f.EachJSON(func(name string, v value.Value) { json = append(json, name+"="+v.String()) })
	if !slices.Equal(json, []string{"eventTime=2023-10-15T08:49:49Z", "host=json-host", "source=s", "x=1"}) {
		t.Errorf("EachJSON = %q", json)
	}
}

func TestDateFields(t *testing.T) {
	tests := []struct {
		raw, sourcetype, timeField string
		want                       string // second minute hour mday month year wday zone
		time                       float64
	}{
		{`{"eventTime":"2023-10-14T23:59:07Z"}`, "aws:cloudtrail", "", "7 59 23 14 october 2023 saturday 0", 1697327947},
		{`{"eventTime":"2023-10-15T01:02:03.250Z"}`, "aws:cloudtrail", "", "3 2 1 15 october 2023 sunday 0", 1697331723.25},
		{`{"eventTime":"2024-02-29T08:00:00+02:00"}`, "aws:cloudtrail", "", "0 0 8 29 february 2024 thursday 120", 1709186400},
		{`{"eventTime":"2024-01-01T00:30:00-05:30"}`, "aws:cloudtrail", "", "0 30 0 1 january 2024 monday -330", 1704088800},
		{`{"eventTime":"2024-01-01T00:30:00+0100"}`, "aws:cloudtrail", "", "0 30 0 1 january 2024 monday 60", 1704065400},
		{`{"t":1700000000}`, "", "t", "20 13 22 14 november 2023 tuesday 0", 1700000000},
		{`{"t":1700000000123}`, "", "t", "20 13 22 14 november 2023 tuesday 0", 1700000000.123},
	}
	for _, tt := range tests {
		ev := readOne(t, tt.raw, Options{Sourcetype: tt.sourcetype, TimeField: tt.timeField})
		if ev.Time != tt.time {
			t.Errorf("%s: _time = %v, want %v", tt.raw, ev.Time, tt.time)
		}
		f := NewFields(ev, Need{})
		var got []string
		for _, name := range defaultNames[8:16] {
			v, _ := f.Field(name)
			got = append(got, v.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: date_* = %q, want %q", tt.raw, strings.Join(got, " "), tt.want)
		}
	}
}

func TestLaziness(t *testing.T) {
	ev := &Event{Raw: readExample(t, "getobject"), Sourcetype: "aws:cloudtrail"}
	need := Need{Names: map[string]bool{"eventName": true, "resources{}.ARN": true, "errorMessage": true}}
	for _, compiled := range []bool{false, true} {
		n := need
		if compiled {
			n = need.Compile()
		}
		f := NewFields(ev, n)
		if f.scans != 0 || f.level != levelNone {
			t.Fatalf("NewFields extracted")
		}
		f.Field("_raw")
		f.Field("date_hour")
		if f.scans != 0 {
			t.Errorf("default fields scanned the JSON")
		}
		if v, _ := f.Field("eventName"); v.String() != "GetObject" {
			t.Errorf("eventName = %#v", v)
		}
		if v, _ := f.Field("resources{}.ARN"); v.Len() != 2 {
			t.Errorf("resources{}.ARN = %#v", v)
		}
		var got []string
		for _, fl := range f.list {
			got = append(got, fl.name)
		}
		if !slices.Equal(got, []string{"eventName", "resources{}.ARN"}) || f.scans != 1 {
			t.Errorf("compiled=%v: extracted %q in %d scans", compiled, got, f.scans)
		}
		// A field the Need names that the record lacks: absent, and
		// nothing more is scanned for it.
		if v, ok := f.Field("errorMessage"); ok || !v.IsNull() || f.scans != 1 || f.level != levelNeed {
			t.Errorf("compiled=%v: errorMessage = %#v, %v, after %d scans at level %d", compiled, v, ok, f.scans, f.level)
		}
		// A field the Need did not name: everything is extracted, once.
		if v, _ := f.Field("awsRegion"); v.String() != "us-west-2" {
			t.Errorf("awsRegion = %#v", v)
		}
		f.Field("eventSource")
		f.Each(func(string, value.Value) {})
		if f.scans != 2 || f.level != levelAll {
			t.Errorf("fallback: %d scans, level %d", f.scans, f.level)
		}
	}

	// Prefixes select by wildcard.
	f := NewFields(ev, Need{Prefixes: []string{"requestParameters."}}.Compile())
	f.Field("requestParameters.bucketName")
	for _, fl := range f.list {
		if !strings.HasPrefix(fl.name, "requestParameters.") {
			t.Errorf("prefix need extracted %q", fl.name)
		}
	}
	if len(f.list) < 2 {
		t.Errorf("prefix need extracted %d fields", len(f.list))
	}
}

// TestNeedMatchesAll checks that extracting by a Need gives, for every
// example and every field name, what extracting everything gives.
func TestNeedMatchesAll(t *testing.T) {
	for _, name := range exampleNames(t) {
		raw := readExample(t, name)
		all := jsonFields(raw, ExtractionCutoff)
		for _, fl := range all {
			for _, compiled := range []bool{false, true} {
				n := Need{Names: map[string]bool{fl.name: true}}
				if compiled {
					n = n.Compile()
				}
				f := NewFields(&Event{Raw: raw}, n)
				v, ok := f.Field(fl.name)
				if !ok || !slices.Equal(v.Values(), fl.vals) || f.level != levelNeed || len(f.list) != 1 {
					t.Errorf("%s: Need{%s} compiled=%v gave %#v", name, fl.name, compiled, v)
				}
			}
		}
	}
}

// refFlatten flattens with encoding/json's tokenizer: the reference for
// the scanner. ok is false for text that is not one JSON object.
func refFlatten(raw string) (fields []kv, ok bool) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	index := map[string]int{}
	add := func(name, v string) {
		if name == "" {
			return
		}
		if i, ok := index[name]; ok {
			fields[i].vals = append(fields[i].vals, v)
			return
		}
		index[name] = len(fields)
		fields = append(fields, kv{name, []string{v}})
	}
	var walk func(path string, top bool) error
	walk = func(path string, top bool) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' {
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return err
					}
					p := k.(string)
					if !top {
						p = path + "." + p
					}
					if err := walk(p, false); err != nil {
						return err
					}
				}
			} else {
				for dec.More() {
					if err := walk(path+"{}", false); err != nil {
						return err
					}
				}
			}
			_, err := dec.Token()
			return err
		case string:
			add(path, tok)
		case json.Number:
			add(path, string(tok))
		case bool:
			add(path, strconv.FormatBool(tok))
		case nil:
			add(path, "null")
		}
		return nil
	}
	if !json.Valid([]byte(raw)) || !strings.HasPrefix(strings.TrimLeft(raw, " \t\r\n"), "{") {
		return nil, false
	}
	if err := walk("", true); err != nil {
		return nil, false
	}
	return fields, true
}

func TestScannerMatchesEncodingJSON(t *testing.T) {
	for _, name := range exampleNames(t) {
		raw := readExample(t, name)
		want, ok := refFlatten(raw)
		if !ok {
			t.Fatalf("%s: not valid", name)
		}
		if got := jsonFields(raw, 0); render(got) != render(want) {
			t.Errorf("%s: differs from encoding/json\ngot:\n%s\nwant:\n%s", name, render(got), render(want))
		}
	}
}

func FuzzFlatten(f *testing.F) {
	for _, name := range exampleNames(f) {
		f.Add(readExample(f, name))
	}
	for _, s := range []string{`{"a":[1,{"b":null}],"a.b":"\u00e9"}`, `{"":{"":[[]]}}`, `{"a":1e`, `[1]`, `{"a":"\ud800\udc00"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, cutoff := range []int{ExtractionCutoff, 0, 7} {
			got := jsonFields(raw, cutoff)
			for _, fl := range got {
				if fl.name == "" {
					t.Fatalf("empty field name from %q", raw)
				}
				if len(fl.vals) == 0 {
					t.Fatalf("field %q without values", fl.name)
				}
			}
			if cutoff != 0 && len(raw) > cutoff {
				continue
			}
			want, ok := refFlatten(raw)
			if !ok && got != nil {
				t.Fatalf("invalid JSON %q gave fields %v", raw, got)
			}
			if ok && utf8.ValidString(raw) && render(got) != render(want) {
				t.Fatalf("%q:\ngot:\n%s\nwant:\n%s", raw, render(got), render(want))
			}
		}
		// A Need for one field gives what extracting everything gives.
		all := jsonFields(raw, ExtractionCutoff)
		if len(all) > 0 {
			fl := all[len(all)/2]
			n := Need{Names: map[string]bool{fl.name: true}}.Compile()
			v, ok := NewFields(&Event{Raw: raw}, n).Field(fl.name)
			if !ok || !slices.Equal(v.Values(), fl.vals) {
				t.Fatalf("%q: Need{%q} gave %#v, want %q", raw, fl.name, v, fl.vals)
			}
		}
	})
}

// benchRecord is a realistic CloudTrail record of about 1.5 KB (S3
// GetObject, with a resources array).
func benchRecord(b *testing.B) string {
	raw := readExample(b, "getobject")
	if len(raw) < 1400 || len(raw) > 1700 {
		b.Fatalf("record is %d bytes", len(raw))
	}
	return raw
}

func BenchmarkFlatten(b *testing.B) {
	raw := benchRecord(b)
	ev := &Event{Raw: raw}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		NewFields(ev, Need{All: true}).EachJSON(func(string, value.Value) { n++ })
	}
}

func BenchmarkFieldNeed(b *testing.B) {
	raw := benchRecord(b)
	ev := &Event{Raw: raw}
	need := Need{Names: map[string]bool{"eventName": true, "userIdentity.arn": true}}.Compile()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		f := NewFields(ev, need)
		if v, _ := f.Field("eventName"); v.String() != "GetObject" {
			b.Fatal(v)
		}
		f.Field("userIdentity.arn")
	}
}

// BenchmarkFieldNeedUncompiled is BenchmarkFieldNeed without Need.Compile.
func BenchmarkFieldNeedUncompiled(b *testing.B) {
	raw := benchRecord(b)
	ev := &Event{Raw: raw}
	need := Need{Names: map[string]bool{"eventName": true, "userIdentity.arn": true}}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		f := NewFields(ev, need)
		f.Field("eventName")
		f.Field("userIdentity.arn")
	}
}

// BenchmarkEncodingJSON is the cost of decoding the same record into a map
// with encoding/json, for comparison.
func BenchmarkEncodingJSON(b *testing.B) {
	raw := []byte(benchRecord(b))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is the scan alone: what every event costs at read.
func BenchmarkValidate(b *testing.B) {
	raw := benchRecord(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		sc := scanner{s: raw, lim: len(raw)}
		if sc.parse(false) != scanOK {
			b.Fatal(sc.errMsg)
		}
	}
}

// BenchmarkSkipValid is what a record ruled out by a search's pre-filter
// costs under ScanOptions.SkipValid: it is validated (UTF-8, JSON, its
// timestamp) and counted, not made an event. The "find" case is the
// validating scan that makes events; "newline" the scan for the end of the
// line that every record costs anyway, for scale.
func BenchmarkSkipValid(b *testing.B) {
	for _, compact := range []bool{false, true} {
		raw := benchRecord(b)
		name := "spaced"
		if compact { // as CloudTrail and splharness gen write records
			var buf bytes.Buffer
			if err := json.Compact(&buf, []byte(raw)); err != nil {
				b.Fatal(err)
			}
			raw, name = buf.String(), "compact"
		}
		b.Run(name, func(b *testing.B) { benchSkipValid(b, raw) })
	}
}

func benchSkipValid(b *testing.B, raw string) {
	data := []byte(raw + "\n")
	b.Run("validate", func(b *testing.B) {
		r := newReader(Options{Sourcetype: cloudtrail}, nil, nil)
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			r.validate("f", 1, data[:len(raw)])
		}
		if r.counts.Rejected != 0 {
			b.Fatal(r.counts.Rejects)
		}
	})
	b.Run("find", func(b *testing.B) {
		var ss stampScan
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ss.find(raw, cloudtrailStamps, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("utf8", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if !utf8.Valid(data) {
				b.Fatal()
			}
		}
	})
	b.Run("newline", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if bytes.IndexByte(data, '\n') != len(raw) {
				b.Fatal()
			}
		}
	})
}
