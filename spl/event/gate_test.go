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
// value in the careful extraction, and one it finds absent has none.
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
			tm, okm := ss.quickGate(raw, sf, keys, nil, nil, &gm)
			if okm && (!gm.multi || sf != cloudtrailStamps) {
				t.Fatalf("%q, %v: quickGate settled names quickMulti does not take", raw, gm.names)
			}
			if !okm {
				continue
			}
			careful, ts, err := carefulFields(raw, sf, need)
			if err != nil || ts.t != tm {
				t.Fatalf("%q: quickGate read %v, the careful scan %+v %v", raw, tm, ts, err)
			}
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
		_, ok := ss.quickGate(raw, cloudtrailStamps, keys, nil, nil, &g)
		if ok != (c.want != nil) || ok && !slices.Equal(g.values, c.want) {
			t.Errorf("%s: quickGate %v %+v, want %+v", raw, ok, g.values, c.want)
		}
		gateAgrees(t, raw)
	}
	// A time that is not CloudTrail's one form, or no time: not settled.
	for _, raw := range []string{`{"eventTime":"2023-04-11 01:18:47","eventName":"A"}`, `{"eventName":"A"}`, `{"eventTime":["2023-04-11T01:18:47Z"],"eventName":"A"}`} {
		var ss stampScan
		var g gateScan
		if _, ok := ss.quickGate(raw, cloudtrailStamps, keys, nil, nil, &g); ok {
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
		if _, ok := ss.quickGate(raw, cloudtrailStamps, keys, nil, nil, &g); !ok {
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
		SkipGated: func(int, []byte, []GateValue, *Event) bool { return false },
	}
	passed := 0
	var fresh []uint64
	for _, rec := range gatedRecords(t) {
		if r.gated("x.json", []byte(rec), so, 0) || !r.passed {
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
			SkipGated: func(_ int, _ []byte, v []GateValue, _ *Event) bool { return len(v[0].Value)%3 == 0 },
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

// TestScanVetted: an event is Vetted exactly when a filter of the scan was
// asked of its record right before, on its worker, and let it through:
// SkipGated, SkipValid (for the records the gate does not settle, and all
// records without a gate), Skip; with no filter, none is. Each filter
// notes, per worker, the last record it let through, which process must
// then be given: a pass's pre-filters trust what they worked out for it.
// Newline-delimited and Records files alike.
func TestScanVetted(t *testing.T) {
	recs := gatedRecords(t)
	dir := t.TempDir()
	lines := filepath.Join(dir, "events.json")
	if err := os.WriteFile(lines, []byte(strings.Join(recs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	records := filepath.Join(dir, "records.json")
	if err := os.WriteFile(records, []byte(`{"Records":[`+strings.Join(recs, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	const workers = 2
	for _, c := range []struct {
		name   string
		filter func(last *[workers]string) ScanOptions
		vetted bool
	}{
		{"gate", func(last *[workers]string) ScanOptions {
			return ScanOptions{
				GateKeys: []string{"eventName"},
				SkipGated: func(w int, raw []byte, v []GateValue, _ *Event) bool {
					last[w] = string(raw)
					return len(v[0].Value)%3 == 0
				},
				SkipValid: func(w int, raw []byte) bool { last[w] = string(raw); return false },
			}
		}, true},
		{"valid", func(last *[workers]string) ScanOptions {
			return ScanOptions{SkipValid: func(w int, raw []byte) bool { last[w] = string(raw); return len(raw)%2 == 0 }}
		}, true},
		{"skip", func(last *[workers]string) ScanOptions {
			return ScanOptions{Skip: func(w int, raw []byte) bool { last[w] = string(raw); return len(raw)%2 == 0 }}
		}, true},
		{"none", func(*[workers]string) ScanOptions { return ScanOptions{} }, false},
	} {
		for _, path := range []string{lines, records} {
			var last [workers]string
			so := c.filter(&last)
			so.Workers = workers
			events, vetted := 0, 0
			var mu sync.Mutex
			process := func(w int, ev *Event) any {
				if ev.Vetted() && last[w] != ev.Raw {
					t.Errorf("%s, %s: an event vetted on worker %d, whose last record let through was another", c.name, filepath.Base(path), w)
				}
				mu.Lock()
				defer mu.Unlock()
				events++
				if ev.Vetted() {
					vetted++
				}
				return nil
			}
			if _, err := Scan([]string{path}, Options{Sourcetype: cloudtrail}, so, process, func(*Event, any) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if events == 0 || c.vetted && vetted != events || !c.vetted && vetted != 0 {
				t.Errorf("%s, %s: %d of %d events vetted", c.name, filepath.Base(path), vetted, events)
			}
		}
	}
}

// carefulFields are the fields of need in raw, and its time by sf, as the
// careful scan (findAndExtract) reads them.
func carefulFields(raw string, sf *stampFinder, need Need) (*Fields, stamp, error) {
	r := newReader(Options{}, nil, nil)
	r.stamps = sf
	r.pre = newPreExtract(need, sf)
	f := &Fields{need: need}
	f.list = f.small[:0]
	ts, err := r.scan.findAndExtract(raw, sf, false, r.pre, f)
	f.ev, f.level, f.scans = &Event{Raw: raw}, levelNeed, 1
	return f, ts, err
}
