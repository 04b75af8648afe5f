package exec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// byKeyRecords are CloudTrail calls of every shape the by-field gate must
// read right or leave alone: the add-on's user is the caller's
// userIdentity.userName for most calls, another field or a computed value
// for some (docs/architecture.md, "The engine"). The identity
// comes as an IAM user, an assumed role (whose only userName is under
// sessionContext.sessionIssuer), a service and the root; userName empty,
// null, a number, an object, an array, written twice, with a space after
// the colon, with an escape in its key; userIdentity absent, written
// twice, a string, an array, an empty object; a top-level key that
// flattens into userIdentity's names; calls whose user depends on
// eventType, on userIdentity.type or on errorMessage; a record that spells
// a keyword of a search with an escape, and one that holds it plainly;
// S3 calls that a search on a nested field (which the gate does not read)
// tests by its literal, with the literal plain and escaped.
var byKeyRecords = []string{
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob","userName":"bob"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{"sessionIssuer":{"type":"Role","userName":"r"}}}`,
	`"eventName":"ListBuckets","eventType":"AwsApiCall","userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"}`,
	`"eventName":"GetCallerIdentity","eventType":"AwsApiCall","userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":""}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":null}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":5}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":{"x":"y"}}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":["x"]}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":"x","userName":"y"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName" : "spaced"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","user\u004eame":"escaped"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall"`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a"},"userIdentity":{"userName":"twice"}`,
	`"eventName":"ListRoles","eventType":"AwsConsoleSignIn","userIdentity":{"sessionContext":{"sessionIssuer":{"userName":"first"}}},"userIdentity":{"arn":"second"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":"bob"`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":[{"userName":"arrayed"}]`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a"},"userIdentity.userName":"dotted"`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity.userName":"dotted","userIdentity.arn":"b"`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","sessionContext.x":{"y":1},"userName":"deep"}`,
	`"eventName":"ListRoles","eventType":"AwsConsoleSignIn","userIdentity":{"arn":"a","sessionContext":{"sessionIssuer":{"userName":"viaIssuer"}}}`,
	`"eventName":"ListRoles","eventType":"AwsApiCall","userIdentity":{"arn":"a","sessionContext":{"sessionIssuer":{"userName":"viaIssuer2"}}}`,
	`"eventName":"DescribeInstances","eventType":"AwsApiCall","userIdentity":{"arn":"a","sessionContext":{"sessionIssuer":{"userName":"coalesced"}}}`,
	`"eventName":"DescribeRegions","userIdentity":{"arn":"a","sessionContext":{"sessionIssuer":{"userName":"noType"}}}`,
	`"eventName":"DescribeRegions","eventType":"AwsConsoleSignIn","userIdentity":{"arn":"a","sessionContext":{"sessionIssuer":{"userName":"console"}}}`,
	`"eventName":"GetUser","eventType":"AwsApiCall","errorMessage":"no resource : user carol","userIdentity":{"arn":"a"}`,
	`"eventName":"GetUser","eventType":"AwsApiCall","userIdentity":{"arn":"a"}`,
	`"eventName":"AssumeRole","eventType":"AwsApiCall","userIdentity":{"type":"AssumedRole","arn":"a"},"requestParameters":{"roleArn":"arn:aws:iam::1:role/target"}`,
	`"eventName":"CreateUser","eventType":"AwsApiCall","userIdentity":{"arn":"a"},"responseElements":{"user":{"userName":"created"}}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","userName":"noArn"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a","userName":"é"}`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a"},"note":"\u0062ob"`,
	`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":{"arn":"a"},"note":"bob"`,
	`"eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventType":"AwsApiCall","userIdentity":{"type":"AssumedRole","arn":"b"}`,
	`"eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","arn":"c","userName":"s3user"}`,
	`"eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventType":"AwsApiCall","userIdentity":{"arn":"d"},"requestParameters":{"grant":"\u0041llUsers"}`,
	`"eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventType":"AwsApiCall","userIdentity":{"arn":"e"},"requestParameters":{"grant":"uri=AllUsers"}`,
}

// byKeySearches group by the add-on's user and other fields the gate can
// show null, with the base searches the gate decides, and some it does
// not (a keyword, a NOT, a field the gate does not read); one compares
// errorMessage, which makes it a key the gate reads, the source of a
// GetUser call's user.
var byKeySearches = []string{
	"eventName=Describe* OR eventName=List* OR eventName=Get* | stats dc(eventName) as n values(eventName) as names by user userIdentity.arn",
	"eventName=* | stats count by user",
	"eventName=Describe* | stats count by userIdentity.userName",
	"eventName=Create* OR eventName=Assume* | stats count by user user_name",
	"eventName=List* | stats count values(userIdentity.arn) as arns by user",
	"eventName=Describe* | stats count by user_type aws_account_id",
	"eventName=Describe* bob | stats count by user",
	"NOT eventName=GetUser | stats count by user",
	"eventName=Describe* | rename user as who | stats count by who",
	"eventSource=s3.amazonaws.com eventName=PutBucketAcl OR requestParameters.grant=*AllUsers | stats count by eventName",
	"errorMessage=*resource* | stats count by user",
}

// TestByKeyGate: the by-field gate changes neither a search's rows (those
// of the field gate without it, and of no gate) nor its counts (Events,
// Filtered, Matched), alone and all in one pass, on
// one worker and two, over records of every shape byKeyRecords lists; and
// it does work: the events it took (Counts.NullBy) are some of those the
// stats dropped.
func TestByKeyGate(t *testing.T) {
	path := writeGateFile(t, byKeyRecords, 3)
	gate := exec.AlwaysFieldGate(addOnGiven(t))
	noKeys := exec.WithoutByKeyGate(gate)
	noGate := gate
	noGate.NoFieldGate = true
	// A pass is gated only when every search in it requires a literal:
	// all in one, and all but those that require none.
	var literal []string
	for _, s := range byKeySearches {
		if !strings.HasPrefix(s, "NOT ") && !strings.HasPrefix(s, "eventName=* ") {
			literal = append(literal, s)
		}
	}
	passes := [][]string{byKeySearches, literal}
	for _, s := range byKeySearches {
		passes = append(passes, []string{s})
	}
	took, rows := 0, 0
	for _, workers := range []int{1, 2} {
		gate.Workers, noKeys.Workers, noGate.Workers = workers, workers, workers
		for _, pass := range passes {
			got, gotCounts, gotErrs := runPassRows(t, fileInput(path), pass, gate)
			want, wantCounts, wantErrs := runPassRows(t, fileInput(path), pass, noKeys)
			plain, _, _ := runPassRows(t, fileInput(path), pass, noGate)
			for i, s := range pass {
				if gotErrs[i] != nil || wantErrs[i] != nil {
					t.Fatalf("%s: %v, %v", s, gotErrs[i], wantErrs[i])
				}
				g, w := rowsText(got[i]), rowsText(want[i])
				if p := rowsText(plain[i]); g != w || g != p {
					t.Errorf("workers=%d, %d in the pass: %s:\nby-field gate: %s\nfield gate:    %s\nno gate:       %s", workers, len(pass), s, g, w, p)
				}
				gc, wc := gotCounts[i], wantCounts[i]
				if gc.Events != wc.Events || gc.Filtered != wc.Filtered || gc.Matched != wc.Matched {
					t.Errorf("workers=%d, %d in the pass: %s: counts %+v with the by-field gate, %+v without", workers, len(pass), s, gc, wc)
				}
				if wc.NullBy != 0 || gc.NullBy > gc.Matched {
					t.Errorf("%s: NullBy %d of %d matched with the gate, %d without", s, gc.NullBy, gc.Matched, wc.NullBy)
				}
				took += gc.NullBy
				if w != "" {
					rows++
				}
			}
		}
	}
	t.Logf("took %d, rows %d", took, rows)
	if took == 0 || rows == 0 {
		t.Errorf("the gate took %d events, %d searches have rows: the test proves too little", took, rows)
	}
}

// rowsText is a search's rows, one per line, each field as name=value.
func rowsText(rows []*value.Row) string {
	var b strings.Builder
	for _, r := range rows {
		r.Each(func(name string, v value.Value) { fmt.Fprintf(&b, "%s=%v ", name, v.Values()) })
		b.WriteString("\n")
	}
	return b.String()
}

// addOnGiven is addOn with the knowledge's origins given some values
// (Options.OriginGiven, PickedSources), which the by-field gate reads.
func addOnGiven(t testing.TB) exec.Options {
	opts := addOn(t, true)
	k := addOnKnowledge(t)
	st := k.Sourcetype("aws:cloudtrail")
	opts.NullUnlessGiven, opts.NullSources, opts.ExactGiven = st.NullUnlessGiven, st.NullSources, st.ExactGiven
	return opts
}

// FuzzByKeyGate: for any userIdentity (an object, or any text as its
// userName) and eventName, in calls whose user the add-on takes from
// different fields, searches grouped by user and by userIdentity's fields
// give the same rows and counts with the by-field gate as without it,
// read on two workers.
func FuzzByKeyGate(f *testing.F) {
	for _, s := range []struct {
		ident, name string
		shape       uint8
	}{
		{`{"type":"IAMUser","userName":"bob","arn":"a"}`, "DescribeRegions", 0},
		{`{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"userName":"r"}}}`, "ListRoles", 1},
		{`{"userName" : "x","user\u004eame":""}`, "GetUser", 2},
		{`bob`, "Describe\u00e9", 3},
		{`{"userName":null,"arn":["a"]}`, "CreateUser", 4},
	} {
		f.Add(s.ident, s.name, s.shape)
	}
	with := exec.AlwaysFieldGate(addOnGiven(f))
	with.Workers = 2
	without := exec.WithoutByKeyGate(with)
	searches := []string{byKeySearches[0], byKeySearches[1], byKeySearches[2]}
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, ident, name string, shape uint8) {
		if len(ident) > 300 || len(name) > 40 || !utf8.ValidString(ident) || !utf8.ValidString(name) {
			return
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		if !json.Valid([]byte(ident)) {
			ident = `{"userName":` + str(ident) + `}`
		}
		types := []string{`"AwsApiCall"`, `"AwsConsoleSignIn"`, `null`, `["AwsApiCall"]`}
		typ := types[int(shape)%len(types)]
		members := []string{
			`"eventName":` + str(name) + `,"eventType":` + typ + `,"userIdentity":` + ident,
			`"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":` + ident,
			`"eventName":"ListRoles","eventType":` + typ + `,"userIdentity":` + ident,
			`"eventName":` + str(name) + `,"eventType":"AwsApiCall","userIdentity":{"arn":"a"},"userIdentity.userName":` + str(name),
		}
		if shape&0x80 != 0 {
			members = append(members, `"eventName":"DescribeRegions","eventType":"AwsApiCall","userIdentity":`+ident+`,"userIdentity":{"arn":"b"}`)
		}
		n++
		path, data := writeMembers(t, filepath.Join(dir, fmt.Sprintf("bykey%d.json", n)), members)
		defer os.Remove(path)
		a, ac, _ := runPassRows(t, fileInput(path), searches, with)
		b, bc, _ := runPassRows(t, fileInput(path), searches, without)
		for i, s := range searches {
			if rowsText(a[i]) != rowsText(b[i]) || ac[i].Matched != bc[i].Matched || ac[i].Filtered != bc[i].Filtered {
				t.Errorf("%s: the by-field gate changes the rows or counts:\nwith:    %s %+v\nwithout: %s %+v\nrecords:\n%s", s, rowsText(a[i]), ac[i], rowsText(b[i]), bc[i], data)
			}
		}
	})
}
