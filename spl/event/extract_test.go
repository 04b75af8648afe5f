package event

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// recordedLeaf is one leaf a scan reported, as a sink sees it.
type recordedLeaf struct {
	k          leafKind
	start, end int
	esc        bool
	path, name string
	depth1     bool
}

type leafRecorder struct{ leaves []recordedLeaf }

func (r *leafRecorder) leaf(sc *scanner, k leafKind, start, end int, esc bool) {
	r.leaves = append(r.leaves, recordedLeaf{k, start, end, esc, string(sc.path), sc.name(), sc.depth == 1})
}

// fastAgrees checks fastScan against parse(true), the scan it stands in
// for: when fastScan settles a record, the careful scan finds a valid
// object of valid UTF-8 and reports the same leaves, in the same order,
// under the same paths and names; and fastScan settles every valid object
// of valid UTF-8 nested at most 64 deep.
func fastAgrees(t *testing.T, raw string, m *matcher) {
	t.Helper()
	var careful, fast leafRecorder
	sc := scanner{s: raw, lim: len(raw), m: m, sink: &careful}
	status := sc.parse(true)
	fs := scanner{s: raw, lim: len(raw), m: m, sink: &fast}
	var stops []uint64
	ok := fs.fastScan(&stops)
	valid := status == scanOK && sc.top == '{' && utf8.ValidString(raw)
	if ok != (valid && nesting(raw) <= 64) {
		t.Fatalf("%q: fastScan %v, careful scan %v (%s) top %q, UTF-8 %v, nesting %d", raw, ok, status, sc.errMsg, sc.top, utf8.ValidString(raw), nesting(raw))
	}
	if ok && !slices.Equal(fast.leaves, careful.leaves) {
		t.Fatalf("%q:\nfast    %+v\ncareful %+v", raw, fast.leaves, careful.leaves)
	}
}

// extractNeeds are the needs the tests extract with: nested names,
// arrays, prefixes, top-level names only, everything (nil), and none.
func extractNeeds() []*matcher {
	needs := []Need{
		{Names: map[string]bool{"eventName": true, "userIdentity.arn": true, "resources{}.ARN": true, "eventTime": true}},
		{Names: map[string]bool{"a": true, "a.b": true, "a{}": true, "a{}.b": true, "a{}{}": true, "x.y.z": true, "": true, "e\u00e9": true, "k.": true, "a.b{}.c": true, "abcdefghXY": true, "abcdefg": true, "abcdefgh": true}},
		{Names: map[string]bool{"eventSource": true}, Prefixes: []string{"requestParameters.", "a"}},
		{Names: map[string]bool{}},
	}
	ms := []*matcher{nil}
	for _, n := range needs {
		ms = append(ms, n.Compile().m)
		// The matcher of an uncompiled Need: maps only.
		ms = append(ms, &matcher{names: n.Names, prefixes: n.Prefixes})
	}
	return ms
}

func TestFastScan(t *testing.T) {
	cases := []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":{"b":2,"c":[1,2,{"b":3}]},"a":"dup","a":[["x"],[]]}`,
		`{"eventName":"A","userIdentity":{"arn":"x","arn":"y"},"resources":[{"ARN":"r1"},{"ARN":"r2","x":{}}]}`,
		`{"":1,"k":{"":2},"e\u00e9":"\u00e9","a\"b":"c\\d","x":{"y":{"z":[true,false,null,-1.5e3]}}}`,
		`{"a":[1,[2,[3]]],"a":{"b":{"c":1}},"a":{"b":[{"c":2}]}}`,
		" {\n \"a\" : [ 1 , \"b\" ] ,\t\"c\":{ \"d\" : null } }\r\n",
		`{"eventTime":"2023-04-11T01:18:47Z","requestParameters":{"bucketName":"b","x":"\ud83d\ude00"}}`,
		`{"a\u002eb":1,"a.b":2,"a":{"b":3}}`,
		`{"abcdefghXZ":1,"abcdefghXY":2,"abcdefg":3,"abcdefh":4,"abcdefgh":5,"abcdefgi":6,"bbcdefghXY":7}`, `{"\u0061":{"\u0062":1}}`,
		// Not settled: the careful scan says why.
		`[1]`, `"a"`, `1`, `{"a":1,}`, `{"a":1} x`, `{"a":01}`, `{"a":1`, `{"a":"\x"}`, "{\"a\":\"\x01\"}",
		"{\"a\":\"\xff\"}", `{"a":tru}`, `{"a":-}`, `{"a" 1}`, `{"a":[1 2]}`, `{1:2}`, ``, `   `,
		strings.Repeat(`{"a":`, 64) + `1` + strings.Repeat(`}`, 64),
		strings.Repeat(`{"a":`, 65) + `1` + strings.Repeat(`}`, 65),
		strings.Repeat(`[`, 70) + strings.Repeat(`]`, 70),
		`{"a":` + strings.Repeat(`[`, 63) + strings.Repeat(`]`, 63) + `}`,
		`{"a":` + strings.Repeat(`[`, 64) + strings.Repeat(`]`, 64) + `}`,
		// Not settled after some leaves, though the careful scan reads
		// them all: the fields must not hold the first leaves twice.
		"{\"a\":1,\"b\":\"\xff\",\"a\":2}",
		`{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"b":"` + "\xff" + `","k1":0,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17}`,
		`{"a":1,"userIdentity":{"arn":"x"},"b":` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 70) + `}`,
		`{"` + strings.Repeat("long", 40) + `":{"` + strings.Repeat("key", 30) + `":[1]}}`,
	}
	for _, name := range exampleNames(t) {
		raw := readExample(t, name)
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, raw, buf.String())
	}
	for _, c := range cases {
		for _, m := range extractNeeds() {
			fastAgrees(t, c, m)
		}
		fieldsAgree(t, c)
	}
}

// TestFastFindAndExtract checks the reader's use of fastScan: the same
// timestamp or error and the same fields as findAndExtract.
func TestFastFindAndExtract(t *testing.T) {
	cases := []string{
		`{"eventTime":"2023-04-11T01:18:47Z","eventName":"A","userIdentity":{"arn":"x"},"resources":[{"ARN":"1"},{"ARN":"2"}]}`,
		`{"eventTime":"bad","eventName":"A"}`, `{"eventName":"A"}`, `{"time":12,"eventName":["A","B"]}`,
		`{"eventTime":"2023-04-11T01:18:47Z","eventTime":"x"}`, `{"eventTime":"2023-04-11T01:18:47Z",}`,
	}
	for _, name := range exampleNames(t) {
		cases = append(cases, readExample(t, name))
	}
	for _, c := range cases {
		fastExtractAgrees(t, c)
	}
}

// fastExtractAgrees checks fastFindAndExtract against findAndExtract
// for search-like needs with nested names.
func fastExtractAgrees(t *testing.T, raw string) {
	t.Helper()
	need := Need{Names: map[string]bool{"eventName": true, "userIdentity.arn": true, "resources{}.ARN": true, "a": true, "a.b": true}}.Compile()
	for _, sf := range []*stampFinder{cloudtrailStamps, defaultStamps} {
		r := newReader(Options{}, nil, nil)
		r.stamps = sf
		r.pre = newPreExtract(need, sf)
		fast := &Fields{need: need}
		fast.list = fast.small[:0]
		fts, ferr, ok := r.scan.fastFindAndExtract(raw, sf, false, r.pre, fast)
		if !ok {
			continue
		}
		agreesWithCareful(t, r, sf, need, raw, "fast", fts, ferr, fast)
	}
}

// FuzzFastScan compares fastScan with the careful scan on arbitrary
// bytes, for needs built from the fuzzer's names as well as fixed ones.
func FuzzFastScan(f *testing.F) {
	f.Add(`{"eventTime":"2023-04-11T01:18:47Z","a":[1,"b",{"c":null}],"d":true}`, "a{}.c")
	f.Add(`{"userIdentity":{"arn":"x","sessionContext":{"attributes":{}}},"resources":[{"ARN":"x"}]}`, "userIdentity.arn")
	f.Add(`{"a\u002eb":{"c":[[1],{"d":"\u00e9"}]}}`, "a.b.c{}{}")
	f.Add(`{"a":1,}`, "a")
	f.Fuzz(func(t *testing.T, s, name string) {
		ms := extractNeeds()
		ms = append(ms, Need{Names: map[string]bool{name: true}}.Compile().m, Need{Prefixes: []string{name}}.Compile().m)
		for _, m := range ms {
			fastAgrees(t, s, m)
		}
		fastExtractAgrees(t, s)
		fieldsAgree(t, s)
	})
}

// BenchmarkExtract is the extracting scan of the example CloudTrail
// records, compacted as CloudTrail writes them, for ESCU search 30's
// need (nested names): "careful" is the UTF-8 check and
// findAndExtract, "fast" fastFindAndExtract, and "validate" quickFind,
// the scan of a record nothing is extracted from, for scale.
func BenchmarkExtract(b *testing.B) {
	var recs []string
	size := 0
	for _, name := range exampleNames(b) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(readExample(b, name))); err != nil {
			b.Fatal(err)
		}
		recs = append(recs, buf.String())
		size += buf.Len()
	}
	// The fields ESCU search 30 (AWS Excessive Security Scanning) reads
	// from the record, with the add-on's rules.
	names := map[string]bool{}
	for _, n := range strings.Fields(`additionalEventData.LoginTo errorMessage eventName eventTime eventType
		requestParameters.newUserName requestParameters.roleArn requestParameters.userName
		responseElements.accessKey.userName responseElements.assumedRoleUser.arn
		responseElements.loginProfile.userName responseElements.user.userName sourceIPAddress
		userAgent userIdentity.arn userIdentity.principalId
		userIdentity.sessionContext.sessionIssuer.userName userIdentity.type userIdentity.userName
		_raw _time sourcetype src user command`) {
		names[n] = true
	}
	need := Need{Names: names}.Compile()
	r := newReader(Options{}, nil, nil)
	r.stamps = cloudtrailStamps
	r.pre = newPreExtract(need, cloudtrailStamps)
	f := &Fields{need: need}
	run := func(b *testing.B, scan func(raw string)) {
		b.SetBytes(int64(size / len(recs)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r.startFields(f, 0, true)
			scan(recs[i%len(recs)])
		}
	}
	b.Run("careful", func(b *testing.B) {
		run(b, func(raw string) {
			if !utf8.ValidString(raw) {
				b.Fatal("not UTF-8")
			}
			r.scan.findAndExtract(raw, cloudtrailStamps, false, r.pre, f)
		})
	})
	b.Run("fast", func(b *testing.B) {
		run(b, func(raw string) {
			if _, _, ok := r.scan.fastFindAndExtract(raw, cloudtrailStamps, false, r.pre, f); !ok {
				b.Fatal("not settled")
			}
		})
	})
	b.Run("validate", func(b *testing.B) {
		run(b, func(raw string) {
			if !quickFind(raw, cloudtrailStamps.names, &r.scan.hits, &r.scan.stops) {
				b.Fatal("not settled")
			}
		})
	})
}

// fieldsAgree checks Fields.extract, which tries fastScan first, against
// the careful scan alone, at each level and for needs with nested names
// and prefixes: the same fields with the same values, in the same order.
func fieldsAgree(t *testing.T, raw string) {
	t.Helper()
	needs := []Need{
		{Names: map[string]bool{"eventName": true, "userIdentity.arn": true, "resources{}.ARN": true, "a.b": true, "a{}": true}},
		{Names: map[string]bool{"a": true}, Prefixes: []string{"a", "userIdentity."}},
	}
	for _, need := range needs {
		for _, compiled := range []bool{false, true} {
			if compiled {
				need = need.Compile()
			}
			for _, level := range []uint8{levelNeed, levelAll} {
				for _, cutoff := range []int{0, 9} {
					ev := &Event{Raw: raw}
					got := &Fields{ev: ev, need: need, cutoff: cutoff}
					got.extract(level)
					want := &Fields{ev: ev, need: need, cutoff: cutoff}
					want.level = level
					var m *matcher
					switch {
					case level == levelAll:
					case need.m != nil:
						m = need.m
					default:
						m = &want.mt
					}
					lim := len(raw)
					if cutoff > 0 && cutoff < lim {
						lim = cutoff
					}
					sc := scanner{s: raw, lim: lim, m: m, sink: want}
					if st := sc.parse(true); st == scanInvalid || sc.top != '{' {
						want.list, want.mv = nil, nil
					}
					if render(fieldList(got)) != render(fieldList(want)) {
						t.Fatalf("%q level %d cutoff %d need %v:\ngot  %v\nwant %v", raw, level, cutoff, need, fieldList(got), fieldList(want))
					}
					for _, fl := range fieldList(want) {
						v, ok := got.Field(fl.name)
						if !ok || !slices.Equal(v.Values(), fl.vals) {
							t.Fatalf("%q: %s = %v %v, want %v", raw, fl.name, v.Values(), ok, fl.vals)
						}
					}
				}
			}
		}
	}
}

// fieldList is the fields of f in their order, each with its values.
func fieldList(f *Fields) []kv {
	var out []kv
	for i := range f.list {
		out = append(out, kv{f.list[i].name, f.value(i).Values()})
	}
	return out
}
