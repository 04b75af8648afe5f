package exec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
)

// gateRecords are records whose top-level keys the field gate reads, in
// every shape it must read right or leave alone: plain values; escapes in
// a value and in a key; a key written twice, once with an array; numbers,
// true, null, arrays and objects; a key absent; the same name nested
// under another key; names that differ in case; values beyond ASCII; a
// value only the knowledge makes (code, the add-on's errorCode; api, an
// alias of eventName; userName, which an extraction writes too); a
// literal of a search elsewhere in the record; a broken record.
var gateRecords = []string{
	`"eventName":"GetObject","eventSource":"s3.amazonaws.com","errorCode":"AccessDenied"`,
	`"eventName":"PutObject","eventSource":"s3.amazonaws.com","msg":"DeleteTrail GetObject"`,
	`"eventName":"DeleteTrail","eventSource":"cloudtrail.amazonaws.com"`,
	`"eventName":"deletetrail","eventSource":"CloudTrail.amazonaws.com"`,
	`"eventName":"Get\u004fbject","eventSource":"s3.amazonaws.com"`,
	`"event\u004eame":"GetObject","eventSource":"s3.amazonaws.com"`,
	`"eventName":"PutObject","eventName":"GetObject"`,
	`"eventName":"PutObject","x":1,"eventName":["DeleteTrail"]`,
	`"eventName":123,"eventSource":true,"errorCode":null`,
	`"eventName":["GetObject","x"],"eventSource":{"a":"s3.amazonaws.com"}`,
	`"eventSource":"s3.amazonaws.com","errorCode":"AccessDenied"`,
	`"requestParameters":{"eventName":"GetObject"},"eventName":"PutObject"`,
	`"requestParameters":{"eventName":"DeleteTrail"}`,
	`"EventName":"GetObject","eventname":"DeleteTrail"`,
	`"eventName":"Gét","eventSource":"s3.amazonaws.com"`,
	`"eventName":"GetBucketPolicy","errorCode":"NotAccessDenied","sourceIPAddress":"10.1.2.3"`,
	`"eventName":"ListBuckets","errorCode":"success","sourceIPAddress":"192.168.0.1"`,
	`"eventName":"GetObject","errorCode":"AccessDenied\u0020"`,
	`"eventName":"Get","userName":"bob","msg":"name=GetMe op=GetObject"`,
	`"eventName":"PutObject","msg":"eventName:GetObject errorCode:AccessDenied"`,
	`"eventName":"GetObject","eventSource":"s3.amazonaws.com",`,
	`"eventName":"","errorCode":"AccessDenied"`,
	`"eventName":"GETOBJECT","eventSource":"S3.amazonaws.com"`,
}

// gateSearches compare the keys the gate reads, alone and with terms it
// cannot read, as the base search compares them: wildcards, CASE(),
// TERM(), IN, a subnet, OR across fields, NOT.
var gateSearches = []string{
	`eventName=GetObject | table _time eventName`,
	`eventName=DeleteTrail | table _time eventName`,
	`eventName=Get* eventSource=s3* | table _time eventName eventSource`,
	`eventName=*Object | table _time eventName`,
	`eventName=CASE(GetObject) | table _time eventName`,
	`eventName=TERM(GetObject) | table _time eventName`,
	`eventName IN (DeleteTrail, "Get*Policy", gét) | table _time eventName`,
	`eventSource=cloudtrail.amazonaws.com eventName=DeleteTrail | table _time eventName`,
	`eventName=GetObject OR eventSource=cloudtrail* | table _time eventName`,
	`NOT eventName=GetObject eventSource=s3.amazonaws.com | table _time eventName`,
	`DeleteTrail eventName=PutObject | table _time eventName`,
	`code=AccessDenied | table _time code`,
	`code=success eventName=List* | table _time code`,
	`errorCode=Access* | table _time errorCode`,
	`api=Get* | table _time api`,
	`userName=bob | table _time userName`,
	`sourceIPAddress=10.0.0.0/8 | table _time sourceIPAddress`,
	`eventName=* errorCode=AccessDenied | table _time eventName`,
	`eventName=123 | table _time eventName`,
	`EventName=GetObject | table _time EventName`,
	`sourcetype=aws:cloudtrail eventName=Get* | table _time eventName`,
	`sourcetype=other eventName=GetObject | table _time eventName`,
	`sourcetype=AWS:CloudTrail (eventName=getobject OR eventName=CASE(PutObject)) | table _time eventName`,
	`host=* eventName=GetObject | table _time eventName`,
	`NOT eventName=GetObject | table _time eventName`,
	`NOT eventName=* | table _time eventName`,
	`eventName!=GetObject errorCode=AccessDenied | table _time eventName errorCode`,
	`eventName="" | table _time eventName`,
	`eventName=GetObject userName=bob | table _time eventName`,
	`eventName=GetObject NOT api=PutObject | table _time eventName`,
	`eventName=GetObject | stats count by eventSource`,
}

// writeGateFile writes gateRecords, copies times over, each with its own
// time, and the records about the extraction cutoff, as newline-delimited
// JSON.
func writeGateFile(t *testing.T, records []string, copies int) string {
	t.Helper()
	var data strings.Builder
	n := 0
	for range copies {
		for _, r := range records {
			fmt.Fprintf(&data, `{"eventTime":"2026-11-01T%02d:%02d:00Z",%s}`+"\n", n/60%24, n%60, r)
			n++
		}
	}
	for _, r := range cutoffRecords(`{"eventTime":"2026-11-01T23:59:00Z",`) {
		data.WriteString(r + "}\n")
	}
	path := filepath.Join(t.TempDir(), "gate.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gateRows runs searches in one pass over the file and returns each
// one's rows as JSON, and its count of events ruled out by the raw text.
func gateRows(t *testing.T, path string, searches []string, opts exec.Options) ([]string, []int) {
	t.Helper()
	rows, counts, errs := runPassRows(t, fileInput(path), searches, opts)
	out := make([]string, len(searches))
	filtered := make([]int, len(searches))
	for i := range searches {
		if errs[i] != nil {
			t.Fatalf("%s: %v", searches[i], errs[i])
		}
		var b strings.Builder
		if err := output.JSON(&b, rows[i]); err != nil {
			t.Fatal(err)
		}
		out[i], filtered[i] = b.String(), counts[i].Filtered
	}
	return out, filtered
}

// TestFieldGateSameRows: every search of gateSearches gives the same rows
// with the field gate as without it, and as without any raw pre-filter,
// alone and all in one pass, on one worker and on two (where the reader
// validates each record and the gate reads its keys first), with the
// knowledge's aliases, calculated fields and extractions, and with a
// REPORT that may write any field. With the gate, a search rules out at
// least the events it rules out without, and the gate does work: on two
// workers, DeleteTrail eventName=PutObject rules out the record whose msg
// holds DeleteTrail, which the literal let through. The gate's memory of
// whole combinations of values (the records come three times over)
// changes neither rows nor counts.
func TestFieldGateSameRows(t *testing.T) {
	path := writeGateFile(t, gateRecords, 3)
	for _, report := range []bool{false, true} {
		gate := exec.AlwaysFieldGate(anchorOptions(t, report))
		noGate, none := gate, gate
		noGate.NoFieldGate = true
		none.NoPrefilter = true
		noTuples := exec.WithoutGateTuples(gate)
		for _, workers := range []int{1, 2} {
			gate.Workers, noGate.Workers, none.Workers, noTuples.Workers = workers, workers, workers, workers
			name := fmt.Sprintf("report=%v/workers=%d", report, workers)
			passes := [][]string{gateSearches}
			for _, s := range gateSearches {
				passes = append(passes, []string{s})
			}
			for _, searches := range passes {
				got, gotOut := gateRows(t, path, searches, gate)
				want, wantOut := gateRows(t, path, searches, noGate)
				plain, _ := gateRows(t, path, searches, none)
				untupled, untupledOut := gateRows(t, path, searches, noTuples)
				for i, s := range searches {
					if got[i] != want[i] || got[i] != plain[i] {
						t.Errorf("%s, %d in the pass: %s:\ngate:    %s\nno gate: %s\nnone:    %s", name, len(searches), s, got[i], want[i], plain[i])
					}
					if got[i] != untupled[i] || gotOut[i] != untupledOut[i] {
						t.Errorf("%s, %d in the pass: %s: the gate's memory of combinations changes the outcome:\nwith:    %s (%d ruled out)\nwithout: %s (%d ruled out)", name, len(searches), s, got[i], gotOut[i], untupled[i], untupledOut[i])
					}
					if gotOut[i] < wantOut[i] {
						t.Errorf("%s, %d in the pass: %s: %d ruled out by the raw text with the gate, %d without", name, len(searches), s, gotOut[i], wantOut[i])
					}
				}
				if workers == 2 && len(searches) == 1 && strings.HasPrefix(searches[0], "DeleteTrail eventName=PutObject") && gotOut[0] <= wantOut[0] {
					t.Errorf("%s: %s: %d ruled out with the gate, %d without: the gate ruled nothing more out", name, searches[0], gotOut[0], wantOut[0])
				}
			}
		}
	}
}

// FuzzFieldGate: for any value a record's top-level key can hold, in any
// shape (a plain string, one with escapes, a number, an array, written
// twice, nested, absent, in another case), and any pattern a search can
// compare the field with (as it is, with wildcards, CASE(), IN, beside
// another field's term or a keyword, through an alias or a calculated
// field), the rows are the same with the field gate as without it, read
// on two workers as the engine reads a file.
func FuzzFieldGate(f *testing.F) {
	for _, s := range []struct {
		value, pattern string
		shape          uint8
	}{
		{"GetObject", "Get*", 0},
		{"DeleteTrail", "deletetrail", 1},
		{"AccessDenied", "AccessDenied", 2},
		{"Gét", "gét", 3},
		{"a\"b", `a"b`, 4},
		{"123", "123", 5},
		{"true", "TRUE", 6},
		{"x", "*", 7},
		{"GetBucketPolicy", "*Policy", 8},
		{"10.1.2.3", "10.0.0.0/8", 9},
	} {
		f.Add(s.value, s.pattern, s.shape)
	}
	with := exec.AlwaysFieldGate(anchorOptions(f, false))
	with.Workers = 2
	without := with
	without.NoFieldGate = true
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, v, pattern string, shape uint8) {
		if len(v) > 100 || len(pattern) > 60 || !utf8.ValidString(v) || !utf8.ValidString(pattern) || strings.ContainsAny(pattern, "\x00\n\r") {
			return
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		// The value in every shape the gate must read right or leave
		// alone, beside records that hold it elsewhere.
		members := []string{
			`"eventName":` + str(v) + `,"eventSource":` + str(v) + `,"errorCode":` + str(v),
			`"eventName":` + str(strings.ToUpper(v)) + `,"errorCode":` + str(strings.ToLower(v)),
			`"eventName":"other","msg":` + str(v),
			`"eventName":"other","eventName":` + str(v),
			`"eventName":` + str(v) + `,"eventName":[` + str(v) + `]`,
			`"eventName":[` + str(v) + `],"errorCode":{"a":` + str(v) + `}`,
			`"requestParameters":{"eventName":` + str(v) + `},"eventName":"other"`,
			`"EventName":` + str(v),
			`"eventSource":` + str(v),
			`"eventName":` + strings.ReplaceAll(str(v), "/", `\/`),
		}
		if bare := strings.TrimSpace(v); bare != "" && json.Valid([]byte(bare)) && strings.IndexAny(bare[:1], `"{[`) < 0 {
			members = append(members, `"eventName":`+bare+`,"errorCode":`+bare)
		}
		if r, size := utf8.DecodeRuneInString(v); size > 0 && r < 0x10000 {
			members = append(members, fmt.Sprintf(`"eventName":"\u%04x%s`, r, str(v[size:])[1:]))
		}
		n++
		path, data := writeMembers(t, filepath.Join(dir, fmt.Sprintf("gate%d.json", n)), members)
		defer os.Remove(path)
		p := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(pattern) + `"`
		fields := []string{"eventName", "eventSource", "api", "code", "errorCode"}
		field := fields[int(shape)%len(fields)]
		var search string
		switch shape / uint8(len(fields)) % 6 {
		case 0:
			search = field + "=" + p
		case 1:
			search = field + "=" + p + "*"
		case 2:
			search = field + " IN (" + p + ", zz)"
		case 3:
			search = field + "=CASE(" + p + ")"
		case 4:
			search = field + "=" + p + " OR eventSource=" + p
		case 5:
			search = "other " + field + "=*" + p
		}
		search += " | table _time " + field
		if _, err := spl.ParseString(search); err != nil {
			return
		}
		a, _ := gateRows(t, path, []string{search}, with)
		b, _ := gateRows(t, path, []string{search}, without)
		if a[0] != b[0] {
			t.Errorf("%s: the field gate changes the rows:\nwith:    %s\nwithout: %s\nrecords:\n%s", search, a[0], b[0], data)
		}
	})
}

// TestFieldGateTstats: tstats over a data model, whose constraints and
// where clause the field gate reads as a base search's terms
// (constraints, whereSearch), gives the same rows with the gate as
// without it and as without any pre-filter, alone and in one pass with
// base searches, on two workers over generated CloudTrail and records
// of every shape of gateRecords; the gate rules out more than the literals
// for some of them.
func TestFieldGateTstats(t *testing.T) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 40_000, Seed: 5, Profile: "bedrock-heavy", AttackEvery: 50}); err != nil {
		t.Fatal(err)
	}
	var data strings.Builder
	data.Write(buf.Bytes())
	for i, r := range append(gateRecords, `"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","errorCode":"AccessDenied"`, `"eventName":"StopInstances","awsRegion":"x","errorCode":"Throttling"`) {
		fmt.Fprintf(&data, `{"eventTime":"2026-11-01T11:%02d:00Z",%s}`+"\n", i, r)
	}
	path := filepath.Join(t.TempDir(), "tstats.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const calls = "| tstats count from datamodel=Where where "
	const denied = "| tstats count from datamodel=Where.Denied where "
	searches := []string{
		calls + "Calls.eventName=RunInstances by Calls.eventName",
		calls + "Calls.eventName IN (RunInstances, Stop*, Get*) by Calls.eventName",
		calls + "Calls.errorCode=AccessDenied by Calls.eventName",
		calls + "Calls.code2=AccessDenied OR Calls.eventName=Invoke* by Calls.eventName",
		calls + "Calls.name2=x by Calls.eventName",
		denied + "Calls.eventName=RunInstances by Calls.eventName",
		denied + "Calls.Denied.errorCode=denied by Calls.eventName",
		"| tstats count from datamodel=Where.Denied by Calls.eventName",
		`eventName=GetObject errorCode=AccessDenied | stats count by eventName`,
	}
	gate := exec.AlwaysFieldGate(whereOptions(t))
	gate.Workers = 2
	noGate, none := gate, gate
	noGate.NoFieldGate = true
	none.NoPrefilter = true
	passes := [][]string{searches}
	for _, s := range searches {
		passes = append(passes, []string{s})
	}
	rows, gated := false, false
	for _, pass := range passes {
		got, gotOut := gateRows(t, path, pass, gate)
		want, wantOut := gateRows(t, path, pass, noGate)
		plain, _ := gateRows(t, path, pass, none)
		for i, s := range pass {
			if got[i] != want[i] || got[i] != plain[i] {
				t.Errorf("%d in the pass: %s:\ngate:    %s\nno gate: %s\nnone:    %s", len(pass), s, got[i], want[i], plain[i])
			}
			if gotOut[i] < wantOut[i] {
				t.Errorf("%d in the pass: %s: %d ruled out by the raw text with the gate, %d without", len(pass), s, gotOut[i], wantOut[i])
			}
			rows = rows || plain[i] != "[]"
			gated = gated || strings.HasPrefix(s, "| tstats") && gotOut[i] > wantOut[i]
		}
	}
	if !rows {
		t.Error("no search has a row: the test proves too little")
	}
	if !gated {
		t.Error("the gate rules out no more events than the literals for any tstats: the test proves too little")
	}
}

// TestFieldGateAddOn: with the add-on's knowledge (aliases, calculated
// fields, lookups such as object_category's, event types and tags, the
// built-in data models), the conformance tables' searches and
// data model searches give the same rows gated as ungated, each alone
// and all in one pass, on two workers, over the records errorCode=...
// depends on and those of every shape of gateRecords.
func TestFieldGateAddOn(t *testing.T) {
	searches := []string{
		`errorCode=AccessDenied | table _time eventName errorCode`,
		`errorCode=success eventName=Get* | stats count by errorCode`,
		`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=AccessDenied | stats count by sourceIPAddress`,
		`object_category=security_group | stats count by eventName`,
		`tag=change eventName=Delete* | stats count by eventName`,
		`tag=change errorCode=AccessDenied | stats count by eventName`,
		`eventtype=aws_cloudtrail_change eventSource=iam.amazonaws.com | stats count by eventName`,
		`| tstats count from datamodel=Change where All_Changes.object_category=security_group by All_Changes.command`,
		`| tstats count from datamodel=Change where All_Changes.action=deleted by All_Changes.command`,
		`| tstats count from datamodel=Authentication by Authentication.action Authentication.signature`,
	}
	for _, c := range lookupCases {
		searches = append(searches, c.search)
	}
	searches = append(searches, prefilterCases...)
	var data strings.Builder
	for _, l := range errorCodeEvents {
		data.WriteString(l + "\n")
	}
	for i, r := range append(gateRecords,
		`"eventName":"CreateSecurityGroup","eventSource":"ec2.amazonaws.com","errorCode":"AccessDenied"`,
		`"eventName":"DeleteSecurityGroup","eventSource":"ec2.amazonaws.com"`,
		`"eventName":"PutObject","object_category":"security_group"`,
		`"eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}`,
		`"eventName":"Delete\u0053ecurityGroup","eventSource":"ec2.amazonaws.com"`,
		`"eventName":"Cr\u0065ateUser","eventSource":"iam.amazonaws.com","errorCode":"AccessDenied"`,
		`"eventName":"CreateUser","eventSource":"iam.amazonaws.com","userAgent":"\u0041WS console"`,
		`"eventName":"DeleteSecurityGroup","eventSource":"ec2.amazonaws.com","errorCode":"AccessDenied","errorMessage":"User: \u003cnil\u003e is not authorized"`,
		`"eventName":"GetObject","eventSource":"s3.amazonaws.com","errorCode":"AccessDenied","msg":"Access\u0044enied"`) {
		fmt.Fprintf(&data, `{"eventTime":"2026-11-01T12:%02d:00Z",%s}`+"\n", i%60, r)
	}
	path := filepath.Join(t.TempDir(), "addon.json")
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	gate := exec.AlwaysFieldGate(addOn(t, true))
	gate.Workers = 2
	noGate := gate
	noGate.NoFieldGate = true
	var ok []string
	for _, s := range searches {
		q, err := spl.ParseString(s)
		if err != nil {
			continue
		}
		if _, err := exec.Compile(q, gate); err == nil {
			ok = append(ok, s)
		}
	}
	if len(ok) < 20 {
		t.Fatalf("only %d searches compile", len(ok))
	}
	passes := [][]string{ok}
	for _, s := range ok {
		passes = append(passes, []string{s})
	}
	rows, more := 0, 0
	for _, pass := range passes {
		got, gotOut := gateRows(t, path, pass, gate)
		want, wantOut := gateRows(t, path, pass, noGate)
		for i, s := range pass {
			if got[i] != want[i] {
				t.Errorf("%d in the pass: %s:\ngate:    %s\nno gate: %s", len(pass), s, got[i], want[i])
			}
			if gotOut[i] < wantOut[i] {
				t.Errorf("%d in the pass: %s: %d ruled out by the raw text with the gate, %d without", len(pass), s, gotOut[i], wantOut[i])
			}
			if len(pass) == 1 && want[i] != "[]" {
				rows++
			}
			if len(pass) == 1 && gotOut[i] > wantOut[i] {
				more++
			}
		}
	}
	if rows < 10 || more < 5 {
		t.Errorf("%d of %d searches have rows, the gate rules out more for %d: the test proves too little", rows, len(ok), more)
	}
}

// writeMembers writes a record of each object's members to path, a minute
// apart, and returns path and the file's text.
func writeMembers(t *testing.T, path string, members []string) (string, string) {
	t.Helper()
	var data strings.Builder
	for i, m := range members {
		fmt.Fprintf(&data, `{"eventTime":"2026-11-01T10:%02d:00Z",%s}`+"\n", i, m)
	}
	if err := os.WriteFile(path, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data.String()
}
