package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
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

// testNeeds are the needs the tests extract with: nested names, arrays,
// prefixes, top-level names only, and none.
func testNeeds() []Need {
	return []Need{
		{Names: map[string]bool{"eventName": true, "userIdentity.arn": true, "resources{}.ARN": true, "eventTime": true}},
		{Names: map[string]bool{"a": true, "a.b": true, "a{}": true, "a{}.b": true, "a{}{}": true, "x.y.z": true, "": true, "e\u00e9": true, "k.": true, "a.b{}.c": true, "abcdefghXY": true, "abcdefg": true, "abcdefgh": true}},
		{Names: map[string]bool{"eventSource": true}, Prefixes: []string{"requestParameters.", "a"}},
		{Names: map[string]bool{}},
		// Keys with dots, an empty key inside objects, the empty path
		// at the top, long keys that differ only in their middle.
		{Names: map[string]bool{".x": true, "{}": true, "{}.y": true, "k..": true, "k.": true, "a.b.c": true, "userIdentity.sessionContext.sessionIssuer.userName": true,
			strings.Repeat("m", 20) + "1" + strings.Repeat("m", 20): true, strings.Repeat("m", 20) + "2" + strings.Repeat("m", 20) + ".z": true, strings.Repeat("L", 70): true}},
		{Names: searchNames()},
	}
}

// searchNames are the fields ESCU search 30 (AWS Excessive Security
// Scanning) reads from a record, with the add-on's rules.
func searchNames() map[string]bool {
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
	return names
}

// extractNeeds are the matchers of testNeeds, compiled and not, and nil
// (everything).
func extractNeeds() []*matcher {
	ms := []*matcher{nil}
	for _, n := range testNeeds() {
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
		for _, need := range testNeeds() {
			plannedAgrees(t, c, need)
		}
	}
}

// TestPlannedScan is plannedScan on what its plan tells apart: keys of
// one length that differ in their first, middle or last bytes only,
// keys with dots and escapes where a level is tracked, the empty key,
// arrays in arrays, duplicate keys and time fields, values past the
// levels the need reaches.
func TestPlannedScan(t *testing.T) {
	m20 := strings.Repeat("m", 20)
	cases := []string{
		`{"` + m20 + `1` + m20 + `":1,"` + m20 + `3` + m20 + `":2,"` + m20 + `2` + m20 + `":{"z":3,"y":4},"` + m20 + `1` + m20 + `":5}`,
		`{"` + strings.Repeat("L", 70) + `":1,"` + strings.Repeat("L", 69) + `M":2,"M` + strings.Repeat("L", 69) + `":3}`,
		`{"abcdefghXY":1,"abcdefghXZ":2,"Abcdefg":3,"abcdefg":4,"abcdefgi":5,"abcdefgh":6}`,
		`{"userIdentity.arn":"top","userIdentity":{"arn":"nested","arn":"again"},"userIdentity.arn":"last"}`,
		`{"user\u0049dentity":{"ar\u006e":"escaped","sessionContext":{"sessionIssuer":{"user\u004eame":"u"}}},"event\u004eame":"E"}`,
		`{"":{"x":1,"":{"y":2}},"k":{"":3,"":{"":4}},"a":{"b":{"c":5}},"a.b":{"c":6},"a.b.c":7}`,
		`{"":[1,[2],{"y":3}],"a":[[1,[2]],[],{"b":4}],"a":{"b":{"c":[5]}}}`,
		`{"eventTime":"2023-04-11T01:18:47Z","eventTime":"2023-04-11T01:18:48Z","a":{"b":"not a time"},"x":9}`,
		`{"a":{"b":{"x":{"b":1},"b":2}},"x":{"y":{"z":[{"z":1},2,{"a":{"b":3}}]}},"x":{"y":{"z":"s"}}}`,
		`{"userIdentity":{"type":"IAMUser","arn":"\u0061rn:\"x\"","sessionContext":{"sessionIssuer":{"userName":"\ud83d\ude00é"}}}}`,
		`{"eventName":"a","userIdentity":{"arn":1.5e3,"type":true,"userName":null,"principalId":false}}`,
		// Many values of one name, and of names nested in arrays.
		`{"a":[` + strings.Repeat(`1,"\u00e9",{"b":true},[null],`, 20) + `2],"x":{"y":{"z":[` + strings.Repeat(`"z",`, 40) + `0]}}}`,
		`{"eventTime":"2023-04-11T01:18:47Z","a":[` + strings.Repeat(`0,`, 15) + `1],"a\u002eb":{"c":2},"a":{"b":3}}`,
		// Not settled: the reason is found the careful way.
		`{"userIdentity":{"arn":"x"},"eventName":"\q"}`, `{"user\u0049dentity":{"arn":1,}}`, `{"a":{"b":[1,]}}`,
		`{"a":{"b":` + strings.Repeat(`[`, 62) + strings.Repeat(`]`, 62) + `}}`,
		`{"a":{"b":` + strings.Repeat(`[`, 63) + strings.Repeat(`]`, 63) + `}}`,
	}
	for _, c := range cases {
		for _, need := range testNeeds() {
			plannedAgrees(t, c, need)
		}
	}
}

// plannedAgrees checks plannedScan against findAndExtract, the careful
// scan it stands in for, for need and the time fields of CloudTrail, of
// the default, and one nested: when plannedScan settles a record, the
// careful scan finds a valid object of valid UTF-8 with the same
// timestamp (or the same reason for none) and the same fields, in the
// same order, with the same values in the same order; and plannedScan
// settles every valid object of valid UTF-8 nested at most 64 deep.
func plannedAgrees(t *testing.T, raw string, need Need) {
	t.Helper()
	for _, ps := range plannedSetups(need) {
		plannedAgreesWith(t, raw, ps)
	}
}

// plannedSetup is a reader's setup for a need and its time fields.
type plannedSetup struct {
	pe *preExtract
	sf *stampFinder
}

// plannedSetups are the reader's setups for need with each time field
// setting the tests use; none for a need the planned scan does not serve.
func plannedSetups(need Need) []plannedSetup {
	need = need.Compile()
	var out []plannedSetup
	for _, sf := range []*stampFinder{cloudtrailStamps, defaultStamps, nestedStamps} {
		if pe := newPreExtract(need, sf); pe.plan != nil {
			out = append(out, plannedSetup{pe, sf})
		} else if len(need.Prefixes) == 0 {
			panic(fmt.Sprintf("no plan for %v", need))
		}
	}
	return out
}

// nestedStamps are time fields nested and not.
var nestedStamps = newStampFinder([]string{"a.b", "x"})

// testSetups are plannedSetups of each of testNeeds, made once for the
// fuzz target.
var testSetups = sync.OnceValue(func() (out []plannedSetup) {
	for _, need := range testNeeds() {
		out = append(out, plannedSetups(need)...)
	}
	return out
})

// plannedAgreesWith is plannedAgrees for one setup.
func plannedAgreesWith(t *testing.T, raw string, ps plannedSetup) {
	t.Helper()
	pe, sf, need := ps.pe, ps.sf, ps.pe.need
	var ss stampScan
	ss.f = sf
	got := &Fields{need: need}
	got.list = got.small[:0]
	ok := plannedScan(raw, pe.plan, &ss.hits, got, stopBits(raw, &ss.stops), pe.slots)
	sc := scanner{s: raw, lim: len(raw)}
	status := sc.parse(false)
	valid := status == scanOK && sc.top == '{' && utf8.ValidString(raw)
	if ok != (valid && nesting(raw) <= 64) {
		t.Fatalf("%q: plannedScan %v, careful scan %v (%s) top %q, UTF-8 %v, nesting %d", raw, ok, status, sc.errMsg, sc.top, utf8.ValidString(raw), nesting(raw))
	}
	if !ok {
		return
	}
	ts, err := ss.stamp(raw, sf, false)
	var cs stampScan
	want := &Fields{need: need}
	want.list = want.small[:0]
	cts, cerr := cs.findAndExtract(raw, sf, false, pe, want)
	if ts != cts || fmt.Sprint(err) != fmt.Sprint(cerr) {
		t.Fatalf("%q: planned %+v %v, careful %+v %v", raw, ts, err, cts, cerr)
	}
	if g, w := render(fieldList(got)), render(fieldList(want)); g != w {
		t.Fatalf("%q need %v:\nplanned\n%s\ncareful\n%s", raw, sortedNames(need.Names), g, w)
	}
	got.ev, got.level = &Event{Raw: raw}, levelNeed
	for i := range want.list {
		if v, ok := got.Field(want.list[i].name); !ok || !slices.Equal(v.Values(), want.value(i).Values()) {
			t.Fatalf("%q: %s = %v %v, want %v", raw, want.list[i].name, v.Values(), ok, want.value(i).Values())
		}
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
	names := map[string]bool{"eventName": true, "userIdentity.arn": true, "resources{}.ARN": true, "a": true, "a.b": true}
	// The planned scan, and fastScan for a need with a prefix.
	for _, need := range []Need{{Names: names}, {Names: names, Prefixes: []string{"userIdentity.", "a"}}} {
		need = need.Compile()
		for _, sf := range []*stampFinder{cloudtrailStamps, defaultStamps} {
			r := newReader(Options{}, nil, nil)
			r.stamps = sf
			r.pre = newPreExtract(need, sf)
			if (r.pre.plan == nil) != (len(need.Prefixes) > 0) {
				t.Fatalf("need %v: plan %v", need, r.pre.plan != nil)
			}
			fast := &Fields{need: need}
			fast.list = fast.small[:0]
			fts, ferr, ok := r.scan.fastFindAndExtract(raw, sf, false, r.pre, fast, false)
			if !ok {
				continue
			}
			agreesWithCareful(t, r, sf, need, raw, "fast", fts, ferr, fast)
		}
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
		for _, ps := range testSetups() {
			plannedAgreesWith(t, s, ps)
		}
		plannedAgrees(t, s, Need{Names: map[string]bool{name: true, "a": true}})
	})
}

// BenchmarkExtract is the extracting scan of the example CloudTrail
// records, compacted as CloudTrail writes them, for a need of nested
// names: ESCU search 30's ("s30"), and the 59 names that a record many of
// the 59 ESCU CloudTrail detections reach needs in one pass ("many").
// "careful" is the UTF-8 check and findAndExtract, "fastscan" fastScan
// through the sink (fastFindWith), "planned" fastFindAndExtract, which
// takes the planned scan, and "validate" quickFind, the scan of a record
// nothing is extracted from, for scale. "top" is the planned scan for a
// need of top-level names only (the OR of eventName values then stats
// count), beside quickExtract, which reads such a need with quickScan.
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
	many := map[string]bool{}
	for _, n := range strings.Fields(`%Y-%m-%dT%H:%M:%S 1h _raw _time additionalEventData.LoginTo awsRegion
		command count dc_events dest errorCode errorCodes errorMessage errorMessages eventName eventSource
		eventTime eventType failures firstTime lastTime methods recipientAccountId requestParameters.Host
		requestParameters.host{} requestParameters.instanceId requestParameters.instancesSet.items{}.instanceId
		requestParameters.newUserName requestParameters.roleArn requestParameters.userName resources{}.type
		responseElements.ConsoleLogin responseElements.accessKey.userName responseElements.assumedRoleUser.arn
		responseElements.instancesSet.items{}.instanceId responseElements.loginProfile.userName
		responseElements.user.userName signature sourceIPAddress sources sourcetype src src_ip user userAgent
		userAgent{} userIdentity.accountId userIdentity.arn userIdentity.principalId
		userIdentity.sessionContext.sessionIssuer.type userIdentity.sessionContext.sessionIssuer.userName
		userIdentity.type userIdentity.userName user_agent user_name user_type vendor_account vendor_product
		vendor_region`) {
		many[n] = true
	}
	for _, c := range []struct {
		name  string
		names map[string]bool
	}{{"s30", searchNames()}, {"many", many}} {
		need := Need{Names: c.names}.Compile()
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
		b.Run(c.name+"/careful", func(b *testing.B) {
			run(b, func(raw string) {
				if !utf8.ValidString(raw) {
					b.Fatal("not UTF-8")
				}
				r.scan.findAndExtract(raw, cloudtrailStamps, false, r.pre, f)
			})
		})
		b.Run(c.name+"/fastscan", func(b *testing.B) {
			run(b, func(raw string) {
				r.scan.both = stampAndFields{&r.scan, f}
				if _, _, ok := r.scan.fastFindWith(raw, cloudtrailStamps, false, r.pre.m, &r.scan.both); !ok {
					b.Fatal("not settled")
				}
			})
		})
		b.Run(c.name+"/planned", func(b *testing.B) {
			run(b, func(raw string) {
				if _, _, ok := r.scan.fastFindAndExtract(raw, cloudtrailStamps, false, r.pre, f, false); !ok {
					b.Fatal("not settled")
				}
			})
		})
	}
	r := newReader(Options{}, nil, nil)
	b.Run("validate", func(b *testing.B) {
		b.SetBytes(int64(size / len(recs)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if !quickFind(recs[i%len(recs)], cloudtrailStamps.names, &r.scan.hits, &r.scan.stops) {
				b.Fatal("not settled")
			}
		}
	})
	top := Need{Names: map[string]bool{"eventName": true}}.Compile()
	rt := newReader(Options{}, nil, nil)
	rt.stamps = cloudtrailStamps
	rt.pre = newPreExtract(top, cloudtrailStamps)
	if rt.pre.quick == nil || rt.pre.plan == nil {
		b.Fatal("no quick extraction or plan")
	}
	ft := &Fields{need: top}
	runTop := func(b *testing.B, scan func(raw string) bool) {
		b.SetBytes(int64(size / len(recs)))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			rt.startFields(ft, 0, true)
			if !scan(recs[i%len(recs)]) {
				b.Fatal("not settled")
			}
		}
	}
	b.Run("top/quick", func(b *testing.B) {
		runTop(b, func(raw string) bool {
			_, _, ok := rt.quickExtract(raw, ft)
			return ok
		})
	})
	b.Run("top/planned", func(b *testing.B) {
		runTop(b, func(raw string) bool {
			_, _, ok := rt.scan.fastFindAndExtract(raw, cloudtrailStamps, false, rt.pre, ft, false)
			return ok
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
