package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// gateKeysTest are the keys gateAgrees reads: names quickMulti compares
// within its loop (8 to 16 bytes), and, with one shorter and one longer,
// names it does not take (never settled).
var gateKeysTest = [][]string{
	{"eventName", "eventSource", "errorCode"},
	{"eventName", "eventTime", "region", "recipientAccountId"},
}

// gateAgrees checks quickGate against the careful scan it stands in for:
// where it settles a record, the record is valid and its time is the one
// find reads; a key it finds held once as a plain string has exactly that
// value in the careful extraction, and one it finds absent has none; and
// the planned scan from the keys it leaves agrees too (keysAgree).
func gateAgrees(t *testing.T, raw string) {
	t.Helper()
	for _, keys := range gateKeysTest {
		need := Need{Names: map[string]bool{}}
		for _, k := range keys {
			need.Names[k] = true
		}
		need = need.Compile()
		for _, sf := range []*stampFinder{cloudtrailStamps, defaultStamps} {
			var ss stampScan
			var gm gateScan
			tm, okm := ss.quickGate(raw, sf, keys, &gm)
			if okm && (!gm.multi || sf != cloudtrailStamps) {
				t.Fatalf("%q, %v: quickGate settled names quickMulti does not take", raw, gm.names)
			}
			if !okm {
				continue
			}
			keysAgree(t, raw, &ss)
			r := newReader(Options{}, nil, nil)
			r.stamps = sf
			r.pre = newPreExtract(need, sf)
			careful := &Fields{need: need}
			careful.list = careful.small[:0]
			ts, err := r.scan.findAndExtract(raw, sf, false, r.pre, careful)
			if err != nil || ts.t != tm {
				t.Fatalf("%q: quickGate read %v, the careful scan %+v %v", raw, tm, ts, err)
			}
			careful.ev, careful.level, careful.scans = &Event{Raw: raw}, levelNeed, 1
			for i, k := range keys {
				v, ok := careful.Field(k)
				switch g := gm.values[i]; g.Kind {
				case GateAbsent:
					if ok {
						t.Fatalf("%q: %s absent for quickGate, %v for the careful scan", raw, k, v.Values())
					}
				case GateString:
					if !ok || !slices.Equal(v.Values(), []string{g.Value}) {
						t.Fatalf("%q: %s is %q for quickGate, %v for the careful scan", raw, k, g.Value, v.Values())
					}
				}
			}
		}
	}
}

// TestQuickGate: what quickGate reads of the gate's keys, and that it
// agrees with the careful scan, for values written once, twice, with
// escapes, as numbers, arrays and objects, nested under another key, and
// keys that differ in case or are written with escapes.
func TestQuickGate(t *testing.T) {
	const ts = `"eventTime":"2023-04-11T01:18:47Z"`
	keys := []string{"eventName", "eventSource", "errorCode"}
	str := func(v string) GateValue { return GateValue{Kind: GateString, Value: v} }
	other, absent := GateValue{Kind: GateOther}, GateValue{}
	for _, c := range []struct {
		members string
		want    []GateValue // nil: not settled
	}{
		{`"eventName":"GetObject","eventSource":"s3.amazonaws.com"`, []GateValue{str("GetObject"), str("s3.amazonaws.com"), absent}},
		{`"eventName":"Get\u004fbject","errorCode":"x"`, []GateValue{other, absent, str("x")}},
		{`"eventName":"a\"b"`, []GateValue{other, absent, absent}},
		{`"eventName":"PutObject","eventName":"GetObject"`, []GateValue{other, absent, absent}},
		{`"eventName":"PutObject","x":1,"eventName":["GetObject"]`, []GateValue{other, absent, absent}},
		{`"eventName":123,"eventSource":true,"errorCode":null`, []GateValue{other, other, other}},
		{`"eventName":["GetObject"],"eventSource":{"a":"b"}`, []GateValue{other, other, absent}},
		{`"requestParameters":{"eventName":"GetObject"},"eventName":"PutObject"`, []GateValue{str("PutObject"), absent, absent}},
		{`"requestParameters":{"eventName":"GetObject"}`, []GateValue{absent, absent, absent}},
		{`"EventName":"GetObject","eventname":"x"`, []GateValue{absent, absent, absent}},
		{`"eventName" : "Gét" , "errorCode" :"AccessDenied"`, []GateValue{str("Gét"), absent, str("AccessDenied")}},
		{`"event\u004eame":"GetObject"`, nil},
		{`"eventName":"GetObject",`, nil},
	} {
		raw := "{" + ts + "," + c.members + "}"
		var ss stampScan
		var g gateScan
		_, ok := ss.quickGate(raw, cloudtrailStamps, keys, &g)
		if ok != (c.want != nil) || ok && !slices.Equal(g.values, c.want) {
			t.Errorf("%s: quickGate %v %+v, want %+v", raw, ok, g.values, c.want)
		}
		gateAgrees(t, raw)
	}
	// A time that is not CloudTrail's one form, or no time: not settled.
	for _, raw := range []string{`{"eventTime":"2023-04-11 01:18:47","eventName":"A"}`, `{"eventName":"A"}`, `{"eventTime":["2023-04-11T01:18:47Z"],"eventName":"A"}`} {
		var ss stampScan
		var g gateScan
		if _, ok := ss.quickGate(raw, cloudtrailStamps, keys, &g); ok {
			t.Errorf("%s: settled by quickGate: %+v", raw, g.values)
		}
		gateAgrees(t, raw)
	}
	for _, name := range exampleNames(t) {
		gateAgrees(t, readExample(t, name))
	}
}

// FuzzQuickGate: for any record, quickGate agrees with the careful scan
// (gateAgrees).
func FuzzQuickGate(f *testing.F) {
	for _, s := range []string{
		`{"eventTime":"2023-04-11T01:18:47Z","eventName":"A","eventSource":"s","errorCode":"x"}`,
		`{"eventTime":"2023-04-11T01:18:47Z","eventName":"A","eventName":"B","x":{"eventName":"C"}}`,
		`{"eventTime":"2023-04-11T01:18:47Z","region":"us","recipientAccountId":"1","eventName":["a"]}`,
		`{"eventTime":"2023-04-11T01:18:47Z","eventTime":"2023-04-12T01:18:47Z","errorCode":12}`,
		fmt.Sprintf(`{"eventTime":"2023-04-11T01:18:47Z","eventSource":"a\"b\u00e9","eventName":%q}`, "x\\y"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gateAgrees(t, s)
	})
}

// BenchmarkQuickGate is the validating scan of a record the field gate
// reads, for the keys the 59 ESCU CloudTrail detections' pass reads: to
// set against BenchmarkQuickFind, the scan of a record read for its time
// alone.
func BenchmarkQuickGate(b *testing.B) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(benchRecord(b))); err != nil {
		b.Fatal(err)
	}
	raw := buf.String()
	keys := []string{"eventName", "eventSource", "errorCode", "errorMessage", "object_category"}
	var ss stampScan
	var g gateScan
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, ok := ss.quickGate(raw, cloudtrailStamps, keys, &g); !ok {
			b.Fatal("not settled")
		}
	}
}

// gatedRecords are the examples compacted, one a line, each also with a
// member of escapes and nested values added in front, so that records of
// many lengths follow one another: stop bits left from the record before
// would differ from the record's own.
func gatedRecords(t *testing.T) []string {
	t.Helper()
	var out []string
	for i, name := range exampleNames(t) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(readExample(t, name))); err != nil {
			t.Fatal(err)
		}
		rec := buf.String()
		out = append(out, rec)
		extra := fmt.Sprintf(`{"x%d":{"a\"b":["c\\d",%d,{"e":"é\u00e9"}]},`, i, i)
		out = append(out, extra+rec[1:])
	}
	return out
}

// TestGatedKeepsStops: a record the gate lets through leaves its own
// stop bits in the reader's scan, which the planned scan then reads
// rather than finding them again (fastFindAndExtract, kept).
func TestGatedKeepsStops(t *testing.T) {
	r := newReader(Options{Sourcetype: cloudtrail}, nil, nil)
	so := ScanOptions{
		GateKeys:  []string{"eventName", "eventSource"},
		SkipGated: func(int, []byte, []GateValue) bool { return false },
	}
	passed := 0
	var fresh []uint64
	for _, rec := range gatedRecords(t) {
		if r.gated([]byte(rec), so, 0) || !r.passed {
			continue
		}
		passed++
		want := stopBits(rec, &fresh)
		if got := r.scan.stops[:len(rec)/64+1]; !slices.Equal(got, want) {
			t.Fatalf("%.60s...: the gate left stop bits that are not the record's", rec)
		}
	}
	if passed < len(exampleNames(t)) {
		t.Fatalf("the gate let %d records through", passed)
	}
}

// TestScanGatedExtracts: records the gate lets through, extracted by the
// planned scan from the gate scan's stop bits, read field for field as a
// fresh extraction, among records it rules out and records it does not
// settle, on one worker and two.
func TestScanGatedExtracts(t *testing.T) {
	recs := gatedRecords(t)
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, []byte(strings.Join(recs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	need := Need{Names: map[string]bool{
		"eventName": true, "userAgent": true, "sourceIPAddress": true, "userIdentity.arn": true,
		"userIdentity.sessionContext.sessionIssuer.userName": true, "requestParameters.userName": true,
		"resources{}.ARN": true, "x3.a\"b{}": true,
	}}.Compile()
	names := sortedNames(need.Names)
	for _, workers := range []int{2} {
		var mu sync.Mutex
		planned := 0
		process := func(_ int, ev *Event) any {
			pre := ev.pre != nil
			got := NewFields(ev, need)
			checkAsFresh(t, "", ev, got, need, names)
			mu.Lock()
			defer mu.Unlock()
			if pre && got.scans == 1 {
				planned++
			}
			return nil
		}
		so := ScanOptions{
			Workers:  workers,
			Need:     need,
			GateKeys: []string{"eventName", "eventSource"},
			// Rules out a third of the records, by their eventName.
			SkipGated: func(_ int, _ []byte, v []GateValue) bool { return len(v[0].Value)%3 == 0 },
			SkipValid: func(int, []byte) bool { return false },
		}
		c, err := Scan([]string{path}, Options{Sourcetype: cloudtrail}, so, process, func(*Event, any) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if c.Rejected != 0 || c.Skipped == 0 || planned < len(recs)/3 {
			t.Errorf("%d workers: %d read, %d ruled out, %d extracted while validating, %d rejected", workers, c.Read, c.Skipped, planned, c.Rejected)
		}
	}
}

// keysAgree checks plannedFromKeys, for a record that quickGate settled
// in ss, against findAndExtract, the careful scan, for each of the test
// setups (testSetups): it settles the record when quickGate kept all of
// its top-level keys, and finds the same timestamp (or the same reason
// for none) and the same fields, in the same order, with the same values.
func keysAgree(t *testing.T, raw string, ss *stampScan) {
	t.Helper()
	for _, ps := range testSetups() {
		keysAgreeWith(t, raw, ss, ps)
	}
}

// keysAgreeWith is keysAgree for one setup.
func keysAgreeWith(t *testing.T, raw string, ss *stampScan, ps plannedSetup) {
	t.Helper()
	stops := ss.stops[:len(raw)/64+1]
	{
		pe, sf, need := ps.pe, ps.sf, ps.pe.need
		var ks stampScan
		ks.f = sf
		got := &Fields{need: need}
		got.list = got.small[:0]
		ok := plannedFromKeys(raw, pe.plan, &ks.hits, got, stops, pe.slots, ss.keys)
		if ok != (ss.keys.n <= len(ss.keys.at)) {
			t.Fatalf("%q: plannedFromKeys %v with %d top-level keys", raw, ok, ss.keys.n)
		}
		if !ok {
			return
		}
		ts, err := ks.stamp(raw, sf, false)
		var cs stampScan
		want := &Fields{need: need}
		want.list = want.small[:0]
		cts, cerr := cs.findAndExtract(raw, sf, false, pe, want)
		if ts != cts || fmt.Sprint(err) != fmt.Sprint(cerr) {
			t.Fatalf("%q: from the gate's keys %+v %v, careful %+v %v", raw, ts, err, cts, cerr)
		}
		if g, w := render(fieldList(got)), render(fieldList(want)); g != w {
			t.Fatalf("%q need %v:\nfrom the gate's keys\n%s\ncareful\n%s", raw, sortedNames(need.Names), g, w)
		}
		got.ev, got.level = &Event{Raw: raw}, levelNeed
		for i := range want.list {
			if v, ok := got.Field(want.list[i].name); !ok || !slices.Equal(v.Values(), want.value(i).Values()) {
				t.Fatalf("%q: %s = %v %v, want %v", raw, want.list[i].name, v.Values(), ok, want.value(i).Values())
			}
		}
	}
}

// TestPlannedFromKeys: a record the gate let through, extracted from the
// top-level keys its scan kept, reads as the careful scan reads it, for
// values of every kind at the top and nested, spaces between all tokens,
// escapes in values and in nested keys, names written twice, a record
// that ends in a container, in a number, in spaces; one with more
// top-level keys than the gate keeps, which goes the careful way; and
// records read one after another, twice over, by one plan and by several
// in turn, so that a key is looked up where the record before had the
// same key, or another of its length (keyMemo): one byte apart, in its
// first, middle or last 8 bytes, or shorter than 8.
func TestPlannedFromKeys(t *testing.T) {
	const ts = `"eventTime":"2023-04-11T01:18:47Z"`
	var many strings.Builder
	for i := range 70 {
		fmt.Fprintf(&many, `"k%d":%d,`, i, i)
	}
	cases := []string{
		`{` + ts + `}`,
		`{` + ts + `,"eventName":"GetObject","userIdentity":{"arn":"x","type":"IAMUser"},"eventSource":"s3"}`,
		` {  "eventName" : "a" ,` + "\n\t" + ts + ` , "userIdentity" : { "arn" : [ 1 , "b" ] } , "x" : -1.5e3 , "a" : true } ` + "\r\n",
		`{` + ts + `,"eventName":"a\"b\\c","userAgent":"\u00e9t\u00e9","sourceIPAddress":"é","errorMessage":""}`,
		`{` + ts + `,"userIdentity":{"ar\u006e":"escaped","sessionContext":{"sessionIssuer":{"user\u004eame":"u"}}}}`,
		`{"eventName":"a",` + ts + `,"eventName":["b"],"eventName":{"c":1},"eventName":null,"eventName":2}`,
		`{` + ts + `,"a":{"b":{"c":5}},"a.b":{"c":6},"a.b.c":7,"":{"x":1},"a":[[1,[2]],[],{"b":4}]}`,
		`{` + ts + `,"userIdentity":{"arn":"x"},"eventType":false,"resources":[{"ARN":"r1"},{"ARN":"r2","x":{}}]}`,
		`{` + ts + `,"abcdefghXY":1,"abcdefg":2,"abcdefgh":3,"` + strings.Repeat("L", 70) + `":4,"` + strings.Repeat("m", 20) + `1` + strings.Repeat("m", 20) + `":5}`,
		`{` + ts + `,"eventName":"x","errorMessage":12345678901234567890}`,
		`{` + ts + `,"userIdentity":{}}`,
		`{` + ts + `,"userIdentity":[]}`,
		`{` + ts + `,"eventName":"` + strings.Repeat(`z\\`, 40) + `","userAgent":"` + strings.Repeat("y", 130) + `\n"}`,
		`{` + ts + `,` + many.String() + `"eventName":"last"}`,
		`{` + ts + `,"eventName":"x","userAgent":"y","requestParameters":{"userName":"u"},"abcdefghXY":1}`,
		`{` + ts + `,"eventType":"x","eventName":"y","requestPXrameters":{"userName":"v"},"abcdefghXZ":2}`,
		`{` + ts + `,"eventName":"x","userAgent":"y","requestParameterZ":{"userName":"w"},"bbcdefghXY":3}`,
		`{` + ts + `,"eventName":"x","userAgent":"y","requestParameters":{"userName":"u"},"abcdefghXY":4}`,
		`{` + ts + `,"mmmmmmmmm":1,"mmmmmmmmmm":2}`,
		`{` + ts + `,"mmmmmmmmmm":3,"mmmmmmmmm":4}`,
		`{` + ts + `,"abcdefg":5,"a":6}`,
		`{` + ts + `,"Abcdefg":7,"b":8}`,
	}
	keys := []string{"eventName", "eventSource"}
	for _, c := range cases {
		var ss stampScan
		var g gateScan
		if _, ok := ss.quickGate(c, cloudtrailStamps, keys, &g); !ok {
			t.Fatalf("%q: not settled by quickGate", c)
		}
		keysAgree(t, c, &ss)
	}
	// Keys of 9 and 10 bytes whose first, middle and last 8 are the same.
	setups := slices.Concat(testSetups(), plannedSetups(Need{Names: map[string]bool{"mmmmmmmmm": true, "userAgent": true, "sourcetype": true}}))
	// Each record read by one plan, then by three in turn (as a pass
	// switches plans, each with its memo), then by all of them (more plans
	// than the memos kept).
	var groups [][]plannedSetup
	for _, ps := range setups {
		groups = append(groups, []plannedSetup{ps})
	}
	for i := 0; i+3 <= len(setups); i += 3 {
		groups = append(groups, setups[i:i+3])
	}
	groups = append(groups, setups)
	for _, group := range groups {
		var ss stampScan
		var g gateScan
		for range 2 {
			for _, c := range cases {
				ss.quickGate(c, cloudtrailStamps, keys, &g)
				for _, ps := range group {
					keysAgreeWith(t, c, &ss, ps)
				}
			}
		}
	}
}
