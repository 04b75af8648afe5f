package knowledge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// TestDirectCalcs: a calculated field reads the event's own fields
// straight (calcRule.direct) only where the fields after aliasing are
// those: not when an alias writes a field it reads, nor when an
// extraction runs.
func TestDirectCalcs(t *testing.T) {
	props := `[st]
FIELDALIAS-a = sourceIPAddress AS src
EVAL-plain = coalesce(userName, mvindex(split(arn, "/"), -1))
EVAL-viaAlias = coalesce(src, "none")
EVAL-constant = "AWS CloudTrail"
[extracting]
EXTRACT-x = id=(?<id>\d+)
EVAL-plain = coalesce(userName, "none")
`
	app := fstest.MapFS{"default/props.conf": {Data: []byte(props)}}
	k := Load([]conf.App{{FS: app, Name: "t"}}, eval.NewContext(time.Time{}), nil)
	for _, p := range k.Problems {
		t.Fatal(p)
	}
	for _, c := range []struct {
		st, field string
		want      bool
	}{
		{"st", "plain", true},
		{"st", "constant", true},
		{"st", "viaAlias", false},
		{"extracting", "plain", false},
	} {
		if got := k.For(c.st).made[c.field].calc.direct; got != c.want {
			t.Errorf("[%s] %s: direct %v, want %v", c.st, c.field, got, c.want)
		}
	}
}

// TestDirectCalcsSameValues: the add-on's calculated fields read straight
// from the event's fields (calcRule.direct) give exactly what they give
// read through the layer after aliases, for the identity cases, generated
// records of both profiles, and records whose fields are missing, empty,
// multivalue or numbers.
func TestDirectCalcsSameValues(t *testing.T) {
	k := Load(builtinApps(), eval.NewContext(time.Time{}), nil)
	r := k.For("aws:cloudtrail")
	var direct []*calcRule
	for _, f := range r.calcOrder {
		if c := r.made[f].calc; c.direct {
			direct = append(direct, c)
		}
	}
	if len(direct) == 0 {
		t.Fatalf("none of the add-on's %d calculated fields is direct", len(r.calcOrder))
	}
	var raws []string
	f, err := os.Open("testdata/identities.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c struct{ Event json.RawMessage }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, string(c.Event))
	}
	for _, profile := range []string{"default", "bedrock-heavy"} {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, gen.Config{Bytes: 300_000, Seed: 3, Profile: profile}); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, strings.Split(strings.TrimSpace(buf.String()), "\n")...)
	}
	raws = append(raws,
		`{}`,
		`{"eventName":"ListRoles","userIdentity":{"principalId":["a:b","c:d"],"arn":["arn:aws:iam::1:user/x","arn:aws:iam::1:user/y"]}}`,
		`{"eventName":"GetUser","errorMessage":"on resource: user bob","userIdentity":{"type":"IAMUser","arn":""}}`,
		`{"eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","arn":"no-colon-or-slash"},"requestParameters":{"roleArn":"arn:aws:iam::1:role/r"}}`,
		`{"eventName":7,"eventType":"AwsConsoleSignIn","userIdentity":{"userName":12,"arn":"arn:aws:sts::1:assumed-role/r/"}}`,
		`{"eventName":"DescribeInstances","userIdentity":{"sessionContext":{"sessionIssuer":{"userName":"role"}},"arn":":::/"}}`,
	)
	values := func() []string {
		var out []string
		for _, raw := range raws {
			src := k.Source("aws:cloudtrail", event.NewFields(&event.Event{Raw: raw, Sourcetype: "aws:cloudtrail"}, event.Need{All: true}))
			for _, f := range r.calcOrder {
				v, ok := src.Field(f)
				out = append(out, f+"="+v.GoString()+map[bool]string{true: "", false: " (none)"}[ok])
			}
		}
		return out
	}
	got := values()
	for _, c := range direct {
		c.direct = false
	}
	defer func() {
		for _, c := range direct {
			c.direct = true
		}
	}()
	want := values()
	if !slices.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("record %d: direct %s, through the layers %s", i/len(r.calcOrder), got[i], want[i])
			}
		}
	}
}

// TestSourceFieldByID: the add-on's source read by ID (value.IDSource)
// gives what it gives read by name, for every field its rules make, the
// event's own fields, event types and tags, and names nothing makes, on
// the identity cases and generated records; each read on a fresh source
// and again after every other field was read on one.
func TestSourceFieldByID(t *testing.T) {
	k := Load(builtinApps(), eval.NewContext(time.Time{}), nil)
	r := k.For("aws:cloudtrail")
	names := []string{"eventName", "userIdentity.arn", "userAgent", "_time", "sourcetype", "eventtype", "tag", "tag::eventtype", "nothing", ""}
	for name := range r.made {
		names = append(names, name)
	}
	slices.Sort(names)
	var raws []string
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 100_000, Seed: 5, Profile: "bedrock-heavy"}); err != nil {
		t.Fatal(err)
	}
	raws = append(raws, strings.Split(strings.TrimSpace(buf.String()), "\n")...)
	raws = append(raws, `{}`, `{"eventName":"ListRoles","userIdentity":{"arn":["arn:aws:iam::1:user/x","arn:aws:iam::1:user/y"]}}`)
	source := func(raw string) value.Source {
		return k.Source("aws:cloudtrail", event.NewFields(&event.Event{Raw: raw, Sourcetype: "aws:cloudtrail"}, event.Need{All: true}))
	}
	show := func(v value.Value, ok bool) string { return fmt.Sprintf("%#v %v", v, ok) }
	for i, raw := range raws {
		byName, byID := source(raw), source(raw)
		ids, isID := byID.(value.IDSource)
		if !isID {
			t.Fatalf("the add-on's source %T reads no field by ID", byID)
		}
		for _, name := range names {
			f := value.FieldOf(name)
			want := show(source(raw).Field(name))
			if got := show(source(raw).(value.IDSource).FieldID(f)); got != want {
				t.Errorf("record %d, %q by ID on a fresh source: %s, want %s", i, name, got, want)
			}
			if got := show(byName.Field(name)); got != want {
				t.Errorf("record %d, %q by name after others: %s, want %s", i, name, got, want)
			}
			if got := show(ids.FieldID(f)); got != want {
				t.Errorf("record %d, %q by ID after others: %s, want %s", i, name, got, want)
			}
		}
	}
}
