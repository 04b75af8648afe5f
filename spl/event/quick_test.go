package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// quickAgrees checks quickFind against the careful scan that find falls
// back on: when quickFind accepts s, s is one valid JSON object (so says
// encoding/json too), it is UTF-8, and the time fields it found are those
// the careful scan finds; when the careful scan accepts a UTF-8 object of
// at most 64 levels whose top-level keys have no escapes, so does
// quickFind.
func quickAgrees(t *testing.T, s string) {
	t.Helper()
	for _, f := range []*stampFinder{cloudtrailStamps, defaultStamps} {
		var quick [8]hit
		ok := quickFind(s, f.names, &quick, new([]uint64))
		var careful stampScan
		careful.f, careful.hits = f, [8]hit{}
		careful.sc = scanner{s: s, lim: len(s), m: f.m, sink: &careful}
		valid := careful.sc.parse(true) == scanOK && careful.sc.top == '{'
		switch {
		case ok && !valid:
			t.Fatalf("%q: quickFind accepted what the careful scan rejects (%s)", s, careful.sc.errMsg)
		case ok && !json.Valid([]byte(s)):
			t.Fatalf("%q: quickFind accepted invalid JSON", s)
		case ok && !utf8.ValidString(s):
			t.Fatalf("%q: quickFind accepted invalid UTF-8", s)
		case ok && quick != careful.hits:
			t.Fatalf("%q, %v: quickFind found %+v, the careful scan %+v", s, f.names, quick, careful.hits)
		case !ok && valid && utf8.ValidString(s) && nesting(s) <= 64 && !topKeyEscaped(s):
			t.Fatalf("%q: the careful scan accepts it, quickFind does not", s)
		}
		// quickUTC, where it settles the record, gives the time that
		// find does, and find then has nothing to say about the zone.
		var fast stampScan
		if ts, ok := fast.quickUTC(s, f); ok {
			ss := new(stampScan)
			want, err := ss.findWith(s, f, f == cloudtrailStamps, f.m, ss)
			if err != nil || want.t != ts || want.zoneless || want.zone != 0 {
				t.Fatalf("%q, %v: quickUTC read %v, find %+v %v", s, f.names, ts, want, err)
			}
		}
	}
}

// topKeyEscaped reports whether a top-level key of the object s holds a
// backslash (quickFind leaves those to the careful scan).
func topKeyEscaped(s string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &m) != nil {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.Token() // {
	for dec.More() {
		start := dec.InputOffset()
		if _, err := dec.Token(); err != nil {
			return false
		}
		if strings.Contains(s[start:dec.InputOffset()], `\`) {
			return true
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	return false
}

func TestQuickFind(t *testing.T) {
	cases := []string{
		`{}`, ` {} `, `{"eventTime":"2023-04-11T01:18:47Z"}`,
		`{"a":{"eventTime":"x"},"eventTime":"2023-04-11T01:18:47Z","eventTime":"later"}`,
		`{"eventTime":12,"time":1.5e9,"timestamp":"t","_time":"u"}`,
		`{"eventTime":{"a":1},"time":[1],"x":true,"y":false,"z":null}`,
		`{"eventTime":true,"time":false,"timestamp":null}`, `{"x":1,"time":null,"eventTime":false}`,
		`{"event\u0054ime":"2023-04-11T01:18:47Z"}`,
		// Keys of the time field's length that are not it: its first 8
		// bytes, its last 8, neither (quickCursor's one name).
		`{"eventTimX":"2023-04-11T01:18:47Z","xventTime":"2023-04-11T01:18:48Z","eventName":1,"eventTime":"2023-04-11T01:18:49Z"}`,
		`{"awsRegion":"us-east-1","eventTime":5,"eventTime":"2023-04-11T01:18:47Z"}`,
		`{"eventTime":"2023-04-11T01:18:47Z","eventTime":{"a":"2023-04-11T01:18:48Z"},"b":[{"eventTime":1}]}`,
		`{"eventTime":"2023-04-11T01:18:47+01:00"}`, `{"eventTime":"2023-04-11 01:18:47"}`, `{"eventTime":"2023-02-29T01:18:47Z"}`,
		`{"eventTime":"2023-04-11T01:18:4\u0037Z"}`, `{"eventTime":"1681175927"}`, `{"timestamp":"2023-04-11T01:18:47Z"}`,
		`{"eventTime":"a\"b\\c\u00e9"}`,
		`{"a" : [ 1 , -2.5e+3 , true , false , null , "x\"\\\/\b\f\n\r\t" ] , "eventTime" : "t" }`,
		// Each of these quickFind turns down; the careful scan says why.
		`[]`, `"x"`, `{"a":1}x`, `{"a":1`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `{"a":[01]}`,
		`{"a":1.}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}", `{"a":tru}`, `{"a":1]`, `{1:2}`, `{"a":[1}}`,
		// Beyond ASCII: UTF-8 is checked inside strings, and any byte of
		// it elsewhere is not JSON.
		`{"a":"é","eventTime":"2023-04-11T01:18:47Z","b":"日本語 😀","c":"\uFFFD �"}`,
		"{\"a\":\"\xff\"}", "{\"a\":\"abcdefgh\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":\"abc\xe6\x97\"}", "{\"\xe9\":1}", "{\"a\":1\xc3\xa9}",
		strings.Repeat(`{"a":`, 64) + "1" + strings.Repeat("}", 64),
		strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65),
	}
	for _, c := range cases {
		quickAgrees(t, c)
	}
	// quickScan checks UTF-8 itself: every first byte beyond ASCII with
	// the bytes around each bound of what may follow it, in a key and in
	// a value, whole and cut short.
	for c0 := 0x80; c0 < 0x100; c0++ {
		for _, c1 := range []byte{0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff} {
			for _, rest := range []string{"", "\x80", "\x80\xbf", "\x80\x7f", "\xbf\xbf\xbf"} {
				ch := string([]byte{byte(c0), c1}) + rest
				quickAgrees(t, `{"a":"`+ch+`"}`)
				quickAgrees(t, `{"a":"x`+ch+`y\"`+ch+`","`+ch+`":1}`)
			}
		}
	}
	for _, name := range exampleNames(t) {
		raw := readExample(t, name)
		quickAgrees(t, raw)
		var hits [8]hit
		if !quickFind(raw, cloudtrailStamps.names, &hits, new([]uint64)) || !hits[0].ok {
			t.Errorf("%s: quickFind did not settle a real CloudTrail record", name)
		}
	}
}

func FuzzQuickFind(f *testing.F) {
	f.Add(`{"eventTime":"2023-04-11T01:18:47Z","a":[1,"b",{"c":null}],"d":true}`)
	f.Add(`{"time":1.5e9,"x":{"eventTime":"n"},"eventTime":"a\"b"}`)
	f.Add(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","sessionContext":{"attributes":{}}},"resources":[{"ARN":"x"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		quickAgrees(t, s)
		quickExtractAgrees(t, s)
	})
}

// quickExtractAgrees checks quickExtract against findAndExtract, the
// careful scan it stands in for: the same timestamp or error, and the same
// values of each needed field, multivalues included, when it settles the
// record.
func quickExtractAgrees(t *testing.T, raw string) {
	t.Helper()
	need := Need{Names: map[string]bool{"eventName": true, "eventSource": true, "a": true, "time": true}}.Compile()
	for _, sf := range []*stampFinder{cloudtrailStamps, defaultStamps} {
		r := newReader(Options{}, nil, nil)
		r.stamps = sf
		r.pre = newPreExtract(need, sf)
		if r.pre.quick == nil {
			t.Fatalf("%v: no quick extraction for top-level names", sf.names)
		}
		quick := &Fields{need: need, cutoff: 0}
		quick.list = quick.small[:0]
		qts, qerr, ok := r.quickExtract(raw, quick)
		if !ok {
			continue
		}
		agreesWithCareful(t, r, sf, need, raw, "quick", qts, qerr, quick)
	}
}

// agreesWithCareful checks what a fast extraction (named by what) made
// of raw, its timestamp or error and its fields, against findAndExtract,
// the careful scan it stands in for: every needed field's values,
// multivalues included.
func agreesWithCareful(t *testing.T, r *reader, sf *stampFinder, need Need, raw, what string, ts stamp, err error, got *Fields) {
	t.Helper()
	careful := &Fields{need: need}
	careful.list = careful.small[:0]
	cts, cerr := r.scan.findAndExtract(raw, sf, false, r.pre, careful)
	if ts != cts || fmt.Sprint(err) != fmt.Sprint(cerr) {
		t.Fatalf("%q: %s %+v %v, careful %+v %v", raw, what, ts, err, cts, cerr)
	}
	for _, f := range []*Fields{got, careful} {
		f.ev, f.level, f.scans = &Event{Raw: raw}, levelNeed, 1
	}
	for n := range need.Names {
		gv, gok := got.Field(n)
		cv, cok := careful.Field(n)
		if gok != cok || !slices.Equal(gv.Values(), cv.Values()) {
			t.Fatalf("%q: %s %s %v %v, careful %v %v", raw, n, what, gv.Values(), gok, cv.Values(), cok)
		}
	}
}

func TestQuickExtract(t *testing.T) {
	for _, c := range []string{
		`{"eventTime":"2023-04-11T01:18:47Z","eventName":"A","eventSource":"s","a":1}`,
		`{"eventName":"A","eventName":"B","x":{"eventName":"C"},"a":[1,2],"eventTime":"t","a":true,"a":null}`,
		`{"eventSource":"a\"b\u00e9","time":12,"eventName":{"a":1},"eventName":"after"}`,
		`{"event\u004eame":"escaped key"}`, `{"a":1,}`, `{}`,
	} {
		quickExtractAgrees(t, c)
	}
	for _, name := range exampleNames(t) {
		quickExtractAgrees(t, readExample(t, name))
	}
}

// BenchmarkQuickFind is the validating scan of a record ruled out by a
// search: a compact CloudTrail record, and the same with what some
// records hold many of, escapes (a policy document written as a string)
// and characters beyond ASCII.
func BenchmarkQuickFind(b *testing.B) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(benchRecord(b))); err != nil {
		b.Fatal(err)
	}
	compact := buf.String()
	policy := `"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"`
	escapes := compact[:len(compact)-1] + `,"policy":` + policy + `,"policy2":` + policy + `,"user":"José Müller 日本"}`
	for _, c := range []struct{ name, raw string }{{"compact", compact}, {"escapes", escapes}} {
		b.Run(c.name, func(b *testing.B) {
			var hits [8]hit
			stops := new([]uint64)
			b.SetBytes(int64(len(c.raw)))
			for b.Loop() {
				hits[0] = hit{}
				if !quickFind(c.raw, cloudtrailStamps.names, &hits, stops) || !hits[0].ok {
					b.Fatal("not settled")
				}
			}
		})
	}
}
