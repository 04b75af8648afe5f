package exec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/event"
)

// gateKnowledge: code is calculated from the raw errorCode with the
// constant "success" (the add-on's errorCode); api is an alias of
// eventName; both is coalesce of two raw fields; made is written by
// something the knowledge cannot follow.
var gateKnowledge = prefilterKnowledge{
	derived: func(f string) bool { return f == "code" || f == "api" || f == "both" || f == "made" },
	origins: func(f string) ([]string, []string, bool) {
		switch f {
		case "code":
			return []string{"errorCode"}, []string{"success"}, true
		case "api":
			return []string{"eventName"}, nil, true
		case "both":
			return []string{"eventName", "eventSource"}, nil, true
		}
		return nil, nil, false
	},
}

// TestGateKey: which field=value terms the gate decides, and by which
// key: a raw field of 8 to 16 bytes that only a top-level key gives, or a
// derived field whose matching values are one such field's; not a
// constant's, two fields', an unknown origin's, a nested or default
// field's, a tag's or a time bound's.
func TestGateKey(t *testing.T) {
	for _, c := range []struct {
		field, value, key string
	}{
		{"eventName", "GetObject", "eventName"},
		{"eventSource", "s3*", "eventSource"},
		{"code", "AccessDenied", "errorCode"},
		{"code", "succ*", ""},
		{"api", "Get*", "eventName"},
		{"both", "x", ""},
		{"made", "x", ""},
		{"userIdentity.type", "Root", ""},
		{"resources{}", "x", ""},
		{"region", "us-east-1", ""},
		{"recipientAccountId", "1", ""},
		{"sourcetype", "aws:cloudtrail", ""},
		{"_time", "1", ""},
		{"tag", "change", ""},
		{"earliest", "-1d", ""},
		{"event name", "x", "event name"}, // a top-level key as it is written
	} {
		key, ok := gateKey(c.field, false, []string{c.value}, gateKnowledge)
		if ok != (c.key != "") || key != c.key {
			t.Errorf("%s=%s: key %q %v, want %q", c.field, c.value, key, ok, c.key)
		}
	}
}

// TestProjectGate: what a base search requires of one key's value: the
// terms on other fields, and those the gate cannot read, taken as true.
func TestProjectGate(t *testing.T) {
	for _, c := range []struct {
		search   string
		key      string
		pass     []string // values that let the plan through
		out      []string // values that rule it out
		absentOK bool
		none     bool // nothing required
	}{
		{search: `eventName=GetObject`, key: "eventName", pass: []string{"GetObject", "getobject"}, out: []string{"PutObject", "GetObjectX"}},
		{search: `eventName=CASE(GetObject)`, key: "eventName", pass: []string{"GetObject"}, out: []string{"getobject"}},
		{search: `eventName IN (Get*, *Policy) eventSource=s3*`, key: "eventName", pass: []string{"GetX", "BucketPolicy"}, out: []string{"Put"}},
		{search: `eventName=Get* OR eventSource=s3*`, key: "eventName", none: true},
		{search: `eventName=Get* OR eventName=List*`, key: "eventName", pass: []string{"ListX", "GetX"}, out: []string{"Put"}},
		{search: `NOT eventName=Get*`, key: "eventName", none: true},
		{search: `eventName!=Get*`, key: "eventName", none: true},
		{search: `eventName=*`, key: "eventName", none: true},
		{search: `code=AccessDenied`, key: "errorCode", pass: []string{"AccessDenied"}, out: []string{"success"}},
		{search: `(eventName=A eventSource=x) OR (eventName=B eventSource=y)`, key: "eventSource", pass: []string{"x", "y"}, out: []string{"z"}},
		{search: `sourceIPAddress=10.0.0.0/8`, key: "sourceIPAddress", pass: []string{"10.1.2.3", "10.0.0.0/8"}, out: []string{"11.0.0.1"}},
	} {
		e, err := spl.ParseSearchExpr(diag.NewSource("test", c.search), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		cond := projectGate(e, c.key, gateKnowledge)
		if c.none != (cond == nil) {
			t.Errorf("%s: %s requires %v, want none %v", c.search, c.key, cond, c.none)
			continue
		}
		if cond == nil {
			continue
		}
		for _, v := range c.pass {
			if !cond.test(v, false) {
				t.Errorf("%s: %s=%q ruled out", c.search, c.key, v)
			}
		}
		for _, v := range c.out {
			if cond.test(v, false) {
				t.Errorf("%s: %s=%q let through", c.search, c.key, v)
			}
		}
		if cond.test("", true) != c.absentOK {
			t.Errorf("%s: a record without %s let through %v", c.search, c.key, !c.absentOK)
		}
	}
}

// TestGateCacheBounded: a worker's memory of values holds at most
// maxGateValues of a key, and none longer than maxGateValueLen, whatever
// the data: a new value in every record grows nothing without bound, and
// the answers stay those of the tests.
func TestGateCacheBounded(t *testing.T) {
	var exprs []spl.SearchExpr
	var ks []prefilterKnowledge
	for _, s := range []string{`eventName=Get*`, `eventName=*Object`, `eventName IN (a, b, c)`, `eventName=x*`, `eventSource=s3*`} {
		e, err := spl.ParseSearchExpr(diag.NewSource("test", s), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		exprs, ks = append(exprs, e), append(ks, gateKnowledge)
	}
	g := newFieldGate(exprs, ks, 2)
	g.finish()
	if g.keys[0] != "eventName" || g.direct[0] {
		t.Fatalf("keys %v, direct %v: want eventName first, remembered", g.keys, g.direct)
	}
	for i := range 3 * maxGateValues {
		v := fmt.Sprintf("Get%dObject", i)
		if i%7 == 0 {
			v += strings.Repeat("x", maxGateValueLen)
		}
		lets, _, decided := g.rule(1, []event.GateValue{{Kind: event.GateString, Value: v}, {}})
		if !decided {
			t.Fatal("not decided")
		}
		want := uint64(1) // Get*, and not eventSource=s3*: absent
		if i%7 != 0 {
			want |= 2
		}
		if lets[0] != want {
			t.Fatalf("%q: lets %b, want %b", v, lets[0], want)
		}
		if n := len(g.caches[1].byKey[0].slots); n > maxGateValues {
			t.Fatalf("%d values remembered", n)
		}
		for _, sl := range g.caches[1].byKey[0].slots {
			if len(sl.key) > maxGateValueLen {
				t.Fatalf("a value of %d bytes remembered", len(sl.key))
			}
		}
	}
	kept := 0
	for _, sl := range g.caches[1].byKey[0].slots {
		if sl.bits != nil {
			kept++
			if got := g.lets(&g.caches[1], 0, sl.key); &got[0] != &sl.bits[0] {
				t.Errorf("%q kept but not found", sl.key)
			}
		}
	}
	if kept < maxGateValues/2 {
		t.Errorf("%d of %d values kept: the table forgets too much", kept, 3*maxGateValues)
	}
	for _, sl := range g.caches[0].byKey[0].slots {
		if sl.bits != nil {
			t.Fatal("worker 0 remembers values worker 1 read")
		}
	}
}

// TestDecideBase: which base searches the gate decides, and what their
// terms on each key make of its value, exactly as the search compiles
// them: a raw field's terms (wildcards case-insensitive, CASE(), IN,
// NOT, != on a present value), ANDed with default fields' terms; not an
// alias's or a calculated field's, a key the gate does not read, an OR
// across keys, a keyword, an ordering, a tag, a time bound.
func TestDecideBase(t *testing.T) {
	keys := []string{"eventName", "eventSource", "errorCode"}
	type outcome struct {
		value  string
		absent bool
		want   bool
	}
	for _, c := range []struct {
		search   string
		decided  bool
		defaults int
		on       int // the key of the outcomes
		outcomes []outcome
	}{
		{search: `eventName=Describe* OR eventName=List* OR eventName=Get*`, decided: true, outcomes: []outcome{
			{"DescribeInstances", false, true}, {"getobject", false, true}, {"LISTX", false, true}, {"PutObject", false, false}, {"", true, false}}},
		{search: `sourcetype=aws:cloudtrail eventName=CASE(GetObject)`, decided: true, defaults: 1, outcomes: []outcome{
			{"GetObject", false, true}, {"getobject", false, false}}},
		{search: `NOT eventName=GetObject`, decided: true, outcomes: []outcome{
			{"GetObject", false, false}, {"PutObject", false, true}, {"", true, true}}},
		{search: `eventName!=Get*`, decided: true, outcomes: []outcome{
			{"GetObject", false, false}, {"PutObject", false, true}, {"", true, false}}},
		{search: `eventName IN (DeleteTrail, "Get*Policy") eventSource=s3*`, decided: true, on: 1, outcomes: []outcome{
			{"s3.amazonaws.com", false, true}, {"S3", false, true}, {"ec2", false, false}, {"", true, false}}},
		{search: `index=main host=x eventName=*`, decided: true, defaults: 2, outcomes: []outcome{
			{"x", false, true}, {"", true, false}}},
		{search: `eventName=GetObject OR eventSource=s3*`},
		{search: `eventName=GetObject userName=bob`},
		{search: `api=GetObject`},
		{search: `code=AccessDenied`},
		{search: `eventName=GetObject DeleteTrail`},
		{search: `eventName=GetObject eventTime>1`},
		{search: `eventName=GetObject tag=change`},
		{search: `eventName=GetObject earliest=-1d`},
		{search: `sourcetype!=aws:cloudtrail eventName=GetObject`},
		{search: `eventName=GetObject (sourcetype=a OR sourcetype=b)`},
	} {
		e, err := spl.ParseSearchExpr(diag.NewSource("test", c.search), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		byKey, defaults, ok := decideBase(e, keys, gateKnowledge)
		if ok != c.decided || len(defaults) != c.defaults {
			t.Errorf("%s: decided %v with %d default tests, want %v with %d", c.search, ok, len(defaults), c.decided, c.defaults)
			continue
		}
		for _, o := range c.outcomes {
			if got := byKey[c.on].test(o.value, o.absent); got != o.want {
				t.Errorf("%s: %s=%q (absent %v) gives %v", c.search, keys[c.on], o.value, o.absent, got)
			}
		}
	}
}

// TestDefaultTest: a default field's term on the event's own value, an
// empty one absent.
func TestDefaultTest(t *testing.T) {
	ev := &event.Event{Sourcetype: "aws:cloudtrail", Index: "main"}
	for _, c := range []struct {
		search string
		want   bool
	}{
		{`sourcetype=aws:cloudtrail`, true},
		{`sourcetype=AWS:*`, true},
		{`sourcetype=CASE(AWS:cloudtrail)`, false},
		{`index=main`, true},
		{`host=*`, false},
		{`source=*`, false},
	} {
		e, err := spl.ParseSearchExpr(diag.NewSource("test", c.search), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		d, ok := defaultOn(e, gateKnowledge)
		if !ok || d.holds(ev) != c.want {
			t.Errorf("%s: %v %v, want %v", c.search, ok, d.holds(ev), c.want)
		}
	}
}

// TestOutsOf: the report of each plan a held record does not reach is
// what testing each plan's bit of pass gave, for any count of plans and
// any set, with outs reused from a longer or shorter report.
func TestOutsOf(t *testing.T) {
	cases := []struct {
		name string
		n    int
		pass []uint64
	}{
		{"none of one", 1, []uint64{0}},
		{"the one", 1, []uint64{1}},
		{"one of 59", 59, []uint64{1 << 29}},
		{"the last of 59", 59, []uint64{1 << 58}},
		{"a few of 59", 59, []uint64{1<<0 | 1<<4 | 1<<36}},
		{"all of 64", 64, []uint64{^uint64(0)}},
		{"across words", 130, []uint64{1 << 63, 1, 1 << 1}},
		{"none of 130", 130, []uint64{0, 0, 0}},
	}
	for _, c := range cases {
		for _, reused := range [][]bool{nil, make([]bool, 3), make([]bool, 200)} {
			t.Run(fmt.Sprintf("%s/reused %d", c.name, len(reused)), func(t *testing.T) {
				for i := range reused {
					reused[i] = i%3 == 0 // what an earlier record left
				}
				got := outsOf(reused, c.pass, c.n)
				if len(got) != c.n {
					t.Fatalf("len %d, want %d", len(got), c.n)
				}
				for i, out := range got {
					if want := c.pass[i/64]>>(i%64)&1 == 0; out != want {
						t.Errorf("plan %d: out %v, want %v", i, out, want)
					}
				}
			})
		}
	}
}

// TestTupleMemo: a combination of values is keyed apart from every other
// (absent from empty, the same bytes split between keys differently), is
// not keyed when a key holds anything but a short plain string, and the
// memory stays bounded however many combinations the data holds.
func TestTupleMemo(t *testing.T) {
	str := func(s string) event.GateValue { return event.GateValue{Kind: event.GateString, Value: s} }
	long := strings.Repeat("x", maxGateValueLen+1)
	var m tupleMemo
	seen := map[string]int{}
	for i, values := range [][]event.GateValue{
		{{}, {}},
		{str(""), {}},
		{{}, str("")},
		{str("ab"), str("c")},
		{str("a"), str("bc")},
		{str("abc"), {}},
		{str(long[1:]), {}},
	} {
		key, ok := m.key(values)
		if !ok {
			t.Fatalf("%v: not keyed", values)
		}
		if j, dup := seen[key]; dup {
			t.Errorf("%v and combination %d have the same key %q", values, j, key)
		}
		seen[strings.Clone(key)] = i
	}
	for _, values := range [][]event.GateValue{
		{str(long), {}},
		{{Kind: event.GateOther}, str("a")},
	} {
		if _, ok := m.key(values); ok {
			t.Errorf("%v keyed", values)
		}
	}
	for i := range 3 * maxGateTuples {
		key, _ := m.key([]event.GateValue{str(fmt.Sprint(i))})
		m.put(key, []uint64{uint64(i)}, nil, false, 64, nil)
		if got := m.get(key, true); got == nil || got.pass[0] != uint64(i) {
			t.Fatalf("combination %d not kept", i)
		}
		if len(m.entries) > maxGateTuples {
			t.Fatalf("%d combinations kept", len(m.entries))
		}
	}
}

// TestBaseHoldsMemo: a worker's memory of the plans' default fields'
// tests gives what the tests give, as the events' default fields change
// from file to file and back, for plans with and without such tests, on
// each worker apart.
func TestBaseHoldsMemo(t *testing.T) {
	var exprs []spl.SearchExpr
	var ks []prefilterKnowledge
	for _, s := range []string{
		`sourcetype=aws:cloudtrail eventName=GetObject`,
		`index=main host=x* eventName=GetObject`,
		`eventName=GetObject`,
		`sourcetype=aws:* index=main eventName=PutObject`,
	} {
		e, err := spl.ParseSearchExpr(diag.NewSource("test", s), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		exprs, ks = append(exprs, e), append(ks, gateKnowledge)
	}
	g := newFieldGate(exprs, ks, 2)
	g.decide(exprs, ks)
	g.finish()
	events := []*event.Event{
		{Sourcetype: "aws:cloudtrail", Index: "main", Host: "x1"},
		{Sourcetype: "aws:cloudtrail", Index: "main", Host: "x1"},
		{Sourcetype: "aws:s3", Index: "main", Host: "y"},
		{Sourcetype: "aws:cloudtrail", Index: "other", Host: "x2"},
		{Sourcetype: "aws:cloudtrail", Index: "main", Host: "x1"},
		{},
		{Sourcetype: "aws:s3", Index: "main", Host: "y"},
	}
	for round := range 2 {
		for n, ev := range events {
			for i := range exprs {
				want := true
				for _, d := range g.defaults[i] {
					want = want && d.holds(ev)
				}
				if got := g.baseHolds(n%2, i, ev); got != want {
					t.Errorf("round %d, event %d %+v, plan %d: %v, want %v", round, n, *ev, i, got, want)
				}
			}
		}
	}
}
