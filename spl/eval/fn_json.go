package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// JSON functions: spath() and json_extract(). Both take location paths
// such as `a.b{}.c`: steps separated by periods, each a key followed by
// any number of array selectors, `{}` for every element or `{N}` for one.
// spath counts array positions from 1, json_extract from 0 (see
// docs/semantics-functions.md).

func init() {
	Register(
		&Function{
			Name: "spath", MinArgs: 2, MaxArgs: 2,
			Doc:     "Returns the value(s) at a location path of JSON text; {} gives every array element (a multivalue), {N} the Nth from 1; objects and arrays come back as JSON text.",
			Example: `spath("{\"a\":{\"b\":[{\"c\":1},{\"c\":\"x\"}]}}", "a.b{}.c")`, Want: `mv"1|x"`,
			Source: "docs/semantics.md, Commands (spath); Splunk docs: spath",
			Call:   spathCall,
		},
		&Function{
			Name: "json_extract", MinArgs: 1, MaxArgs: -1,
			Doc:     "Returns the value at a path of JSON text as a native value, or a JSON array when the path has {} or there are several paths; {N} counts from 0.",
			Example: `json_extract("{\"a\":[{\"b\":1},{\"b\":2}]}", "a{1}.b")`, Want: `Number(2)`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call:   jsonExtractCall,
		},
	)
}

// jsonStep is one location step: an optional key, then array selectors
// (-1 for {}, else a 0-based position).
type jsonStep struct {
	key    string
	hasKey bool
	index  []int
}

// JSONPath is a parsed location path of spath or json_extract.
type JSONPath struct {
	steps []jsonStep
	// Wildcard is true when some step has {}: the path may give many
	// values.
	Wildcard bool
}

// ParseJSONPath parses a location path; base is the number the first
// array element has ({1} in spath, {0} in json_extract). An empty path
// selects the whole document.
func ParseJSONPath(path string, base int) (*JSONPath, error) {
	p := &JSONPath{}
	if path == "" {
		return p, nil
	}
	for seg := range strings.SplitSeq(path, ".") {
		var st jsonStep
		i := strings.IndexByte(seg, '{')
		if i < 0 {
			i = len(seg)
		}
		st.key, st.hasKey = seg[:i], i > 0
		rest := seg[i:]
		for rest != "" {
			if rest[0] != '{' {
				return nil, errors.New("json path " + strconv.Quote(path) + ": expected { after }")
			}
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return nil, errors.New("json path " + strconv.Quote(path) + ": missing }")
			}
			sel := rest[1:end]
			if sel == "" {
				st.index = append(st.index, -1)
				p.Wildcard = true
			} else {
				n, err := strconv.Atoi(sel)
				if err != nil || n < base {
					return nil, errors.New("json path " + strconv.Quote(path) + ": bad array index " + strconv.Quote(sel))
				}
				st.index = append(st.index, n-base)
			}
			rest = rest[end+1:]
		}
		if !st.hasKey && len(st.index) == 0 {
			return nil, errors.New("json path " + strconv.Quote(path) + ": empty step")
		}
		p.steps = append(p.steps, st)
	}
	return p, nil
}

// Extract returns the JSON values at the path in document order; ok is
// false when doc is not valid JSON.
func (p *JSONPath) Extract(doc []byte) (vals []json.RawMessage, ok bool) {
	doc = bytes.TrimSpace(doc)
	if !json.Valid(doc) {
		return nil, false
	}
	vals = []json.RawMessage{doc}
	for _, st := range p.steps {
		var next []json.RawMessage
		for _, v := range vals {
			next = st.apply(v, next)
		}
		vals = next
		if len(vals) == 0 {
			break
		}
	}
	return vals, true
}

// apply appends to out the values st selects from v. The document was
// validated once by Extract, so the scanners below can trust its shape.
func (st *jsonStep) apply(v json.RawMessage, out []json.RawMessage) []json.RawMessage {
	if st.hasKey {
		if len(v) == 0 || v[0] != '{' {
			return out
		}
		var ok bool
		if v, ok = jsonMember(v, st.key); !ok {
			return out
		}
	}
	if len(st.index) == 0 {
		return append(out, v)
	}
	return st.selectIndex(v, 0, out)
}

// selectIndex applies the array selectors from the k-th on.
func (st *jsonStep) selectIndex(v json.RawMessage, k int, out []json.RawMessage) []json.RawMessage {
	if k == len(st.index) {
		return append(out, v)
	}
	if len(v) == 0 || v[0] != '[' {
		return out
	}
	n := 0
	for i := jsonSpace(v, 1); i < len(v) && v[i] != ']'; i = jsonSpace(v, i) {
		if v[i] == ',' {
			i++
			continue
		}
		e := jsonEnd(v, i)
		if st.index[k] < 0 || st.index[k] == n {
			out = st.selectIndex(v[i:e], k+1, out)
			if st.index[k] >= 0 {
				break
			}
		}
		n++
		i = e
	}
	return out
}

// jsonMember returns the value of key in the object v (the last one when a
// key repeats, as encoding/json does).
func jsonMember(v json.RawMessage, key string) (json.RawMessage, bool) {
	var found json.RawMessage
	ok := false
	for i := jsonSpace(v, 1); i < len(v) && v[i] != '}'; i = jsonSpace(v, i) {
		if v[i] == ',' {
			i++
			continue
		}
		ks, ke := i, jsonStringEnd(v, i)
		i = jsonSpace(v, ke) + 1 // past ':'
		i = jsonSpace(v, i)
		e := jsonEnd(v, i)
		if jsonKeyIs(v[ks:ke], key) {
			found, ok = v[i:e], true
		}
		i = e
	}
	return found, ok
}

// jsonKeyIs compares a quoted JSON key with key, unescaping only when the
// key has escapes.
func jsonKeyIs(raw []byte, key string) bool {
	if len(raw) < 2 {
		return false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner) == key
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == key
}

func jsonSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonStringEnd returns the offset past the string whose quote is at i.
func jsonStringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// jsonEnd returns the offset past the (valid) value starting at i.
func jsonEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return jsonStringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = jsonStringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// JSONText renders a JSON value as spath does: a string's text, a number
// or literal as written, an object or array as compact JSON text.
func JSONText(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case '"':
		if len(v) < 2 {
			break
		}
		if inner := v[1 : len(v)-1]; bytes.IndexByte(inner, '\\') < 0 {
			return string(inner)
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return b.String()
		}
	}
	return string(v)
}

// Spath returns the values at path (spath syntax, {1} is the first array
// element) of the JSON text doc, rendered as JSONText; ok is false when
// the path is malformed or doc is not JSON.
func Spath(doc, path string) (vals []string, ok bool) {
	p, err := ParseJSONPath(path, 1)
	if err != nil {
		return nil, false
	}
	raw, ok := p.Extract([]byte(doc))
	if !ok {
		return nil, false
	}
	vals = make([]string, len(raw))
	for i, r := range raw {
		vals[i] = JSONText(r)
	}
	return vals, true
}

func spathCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	vals, ok := Spath(a[0].First(), a[1].First())
	if !ok {
		return value.NullValue, nil
	}
	return value.MV(vals), nil
}

func jsonExtractCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	doc := []byte(a[0].First())
	if len(a) == 1 {
		var b bytes.Buffer
		if json.Compact(&b, bytes.TrimSpace(doc)) != nil {
			return value.NullValue, nil
		}
		return value.Str(b.String()), nil
	}
	results := make([]json.RawMessage, 0, len(a)-1)
	for _, arg := range a[1:] {
		p, err := ParseJSONPath(arg.First(), 0)
		if err != nil {
			return value.NullValue, err
		}
		vals, ok := p.Extract(doc)
		if !ok {
			return value.NullValue, nil
		}
		switch {
		case len(a) == 2 && !p.Wildcard:
			if len(vals) != 1 {
				return value.NullValue, nil
			}
			return jsonNative(vals[0]), nil
		case len(a) == 2:
			if len(vals) == 0 {
				return value.NullValue, nil
			}
			return value.Str(JSONText(jsonArray(vals))), nil
		case p.Wildcard:
			results = append(results, jsonArray(vals))
		case len(vals) == 1:
			results = append(results, vals[0])
		default:
			results = append(results, json.RawMessage("null"))
		}
	}
	return value.Str(JSONText(jsonArray(results))), nil
}

// jsonArray joins values into a JSON array.
func jsonArray(vals []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.TrimSpace(v))
	}
	b.WriteByte(']')
	return b.Bytes()
}

// jsonNative converts a JSON value to an eval value: strings and numbers
// as such, true/false as their text (fields hold no booleans), null as
// null, objects and arrays as compact JSON text.
func jsonNative(v json.RawMessage) value.Value {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return value.NullValue
	}
	switch c := v[0]; {
	case c == 'n':
		return value.NullValue
	case c == '-' || c >= '0' && c <= '9':
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return fnNumber(f)
		}
	}
	return value.Str(JSONText(v))
}
