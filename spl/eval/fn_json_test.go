package eval

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/value"
)

// fnPolicy is a CloudTrail requestParameters.policyDocument, which ESCU
// feeds to spath (docs/semantics-events.md, "KV_MODE=json flattening").
const fnPolicy = `{"Version": "2012-10-17", "Statement": [
	{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Principal": {"AWS": "*"}},
	{"Effect": "Deny", "Action": "kms:Decrypt", "Condition": null, "Enabled": true, "Count": 1.50}
]}`

func TestSpathFunction(t *testing.T) {
	doc := map[string]value.Value{"p": value.Str(fnPolicy)}
	fnRunCases(t, []fnCase{
		// spath: {} gives every element (a multivalue) (docs/semantics.md, "Commands").
		{`spath(p, "Statement{}.Effect")`, doc, `mv"Allow|Deny"`},
		// Arrays below {} flatten into the multivalue in document order.
		{`spath(p, "Statement{}.Action{}")`, doc, `mv"s3:GetObject|s3:PutObject"`},
		// docs/semantics-functions.md: spath counts array positions from 1.
		{`spath(p, "Statement{2}.Action")`, doc, `"kms:Decrypt"`},
		{`spath(p, "Statement{1}.Action{2}")`, doc, `"s3:PutObject"`},
		{`spath(p, "Statement{3}.Action")`, doc, `null`},
		// spath: an object or array comes back as (compact) JSON text (docs/semantics.md, "Commands").
		{`spath(p, "Statement{1}.Principal")`, doc, `"{\"AWS\":\"*\"}"`},
		{`spath(p, "Statement{1}.Action")`, doc, `"[\"s3:GetObject\",\"s3:PutObject\"]"`},
		// literals and numbers as written; JSON null as "null" (docs/semantics-events.md, "KV_MODE=json flattening").
		{`spath(p, "Statement{2}.Enabled")`, doc, `"true"`},
		{`spath(p, "Statement{2}.Count")`, doc, `"1.50"`},
		{`spath(p, "Statement{2}.Condition")`, doc, `"null"`},
		{`spath(p, "Version")`, doc, `"2012-10-17"`},
		{`spath(p, "Nope")`, doc, `null`},
		// {} on something that is not an array selects nothing (docs/semantics.md, "Commands").
		{`spath(p, "Version{}")`, doc, `null`},
		{`spath("not json", "a")`, nil, `null`},
		{`spath(missing, "a")`, nil, `null`},
		{`spath(p, "a..b")`, doc, `null`},
		{`spath("[1,[2,3]]", "{2}{1}")`, nil, `"2"`},
		{`spath("{\"a\":\"x\\\"y\"}", "a")`, nil, `"x\"y"`},
	})
}

func TestJSONExtractFunction(t *testing.T) {
	doc := map[string]value.Value{"p": value.Str(fnPolicy)}
	fnRunCases(t, []fnCase{
		// JSON functions: a native value for one match; {N} counts from 0.
		{`json_extract(p, "Statement{1}.Effect")`, doc, `"Deny"`},
		{`json_extract(p, "Statement{1}.Count")`, doc, `Number(1.5)`},
		{`json_extract(p, "Statement{1}.Enabled")`, doc, `"true"`},
		{`json_extract(p, "Statement{1}.Condition")`, doc, `null`},
		{`json_extract(p, "Statement{0}.Principal")`, doc, `"{\"AWS\":\"*\"}"`},
		// JSON functions: "Returns either a JSON array or a native type value".
		{`json_extract(p, "Statement{}.Effect")`, doc, `"[\"Allow\",\"Deny\"]"`},
		{`json_extract(p, "Version", "Statement{1}.Effect", "Nope")`, doc, `"[\"2012-10-17\",\"Deny\",null]"`},
		{`json_extract(p, "Nope")`, doc, `null`},
		{`json_extract(p, "Nope{}")`, doc, `null`},
		// JSON functions: without a path, the whole (compacted) document.
		{`json_extract("{ \"a\" : 1 }")`, nil, `"{\"a\":1}"`},
		{`json_extract("not json", "a")`, nil, `null`},
		{`json_extract(missing, "a")`, nil, `null`},
	})
}

func TestParseJSONPath(t *testing.T) {
	p, err := ParseJSONPath("a.b{}{3}.c", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []jsonStep{{key: "a", hasKey: true}, {key: "b", hasKey: true, index: []int{-1, 2}}, {key: "c", hasKey: true}}
	if !reflect.DeepEqual(p.steps, want) || !p.Wildcard {
		t.Errorf("got %+v", p)
	}
	for _, bad := range []string{"a.", ".a", "a{x}", "a{0}", "a{1", "a{1}b", "a{-1}"} {
		if _, err := ParseJSONPath(bad, 1); err == nil {
			t.Errorf("ParseJSONPath(%q) accepted", bad)
		}
	}
}

func BenchmarkSpath(b *testing.B) {
	c := NewContext(ExampleTime)
	f, _ := Lookup("spath")
	args := []value.Value{value.Str(fnPolicy), value.Str("Statement{}.Effect")}
	b.ReportAllocs()
	for b.Loop() {
		f.Call(c, args)
	}
}

func FuzzSpath(f *testing.F) {
	f.Add(fnPolicy, "Statement{}.Action{}")
	f.Add(`[1,[2,{"a":"\u00e9"}]]`, "{2}{2}.a")
	f.Add(`{"a":{"b":[]}}`, "a.b{1}")
	f.Fuzz(func(t *testing.T, doc, path string) {
		vals, ok := Spath(doc, path)
		if !ok {
			return
		}
		for _, v := range vals {
			_ = JSONText([]byte(v))
		}
		if !utf8.ValidString(doc) || !utf8.ValidString(path) {
			// encoding/json, the reference, reads invalid UTF-8 as U+FFFD;
			// Spath compares the bytes as they are. Events with invalid
			// UTF-8 are rejected when read, so only the no-panic check
			// above applies.
			return
		}
		p, _ := ParseJSONPath(path, 1)
		if want := fnRefExtract(p, []byte(doc)); !reflect.DeepEqual(vals, want) {
			t.Errorf("Spath(%q, %q) = %q, reference %q", doc, path, vals, want)
		}
	})
}

// fnRefExtract is a slow reference for JSONPath.Extract built on
// encoding/json, for the fuzz target to compare with.
func fnRefExtract(p *JSONPath, doc []byte) []string {
	vals := []json.RawMessage{bytes.TrimSpace(doc)}
	for _, st := range p.steps {
		var next []json.RawMessage
		for _, v := range vals {
			if st.hasKey {
				var obj map[string]json.RawMessage
				if json.Unmarshal(v, &obj) != nil {
					continue
				}
				var ok bool
				if v, ok = obj[st.key]; !ok {
					continue
				}
			}
			cur := []json.RawMessage{v}
			for _, idx := range st.index {
				var sel []json.RawMessage
				for _, c := range cur {
					var arr []json.RawMessage
					if json.Unmarshal(c, &arr) != nil {
						continue
					}
					if idx < 0 {
						sel = append(sel, arr...)
					} else if idx < len(arr) {
						sel = append(sel, arr[idx])
					}
				}
				cur = sel
			}
			next = append(next, cur...)
		}
		vals = next
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = JSONText(v)
	}
	return out
}
