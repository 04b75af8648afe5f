package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// JSON functions that build and inspect JSON text. Eval values have no
// JSON type: a JSON object or array is its compact text. So that
// json_object("a", json_array(1, 2)) nests the array, as in Splunk, a
// string argument that is the text of a JSON object or array is taken as
// that JSON, every other string as a JSON string (docs/semantics-functions.md).

func init() {
	Register(
		&Function{
			Name: "json_object", MinArgs: 0, MaxArgs: -1, EvenArgs: true,
			Doc:     "Returns a JSON object of the key/value pairs; numbers and booleans unquoted, null as null.",
			Example: `json_object("name", "maria", "age", 30)`, Want: `"{\"name\":\"maria\",\"age\":30}"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				var b bytes.Buffer
				b.WriteByte('{')
				for i := 0; i < len(a); i += 2 {
					if a[i].Kind() == value.Null || a[i].Kind() == value.Bool {
						return value.NullValue, errors.New("a key is not a string")
					}
					if i > 0 {
						b.WriteByte(',')
					}
					k, _ := json.Marshal(a[i].String())
					b.Write(k)
					b.WriteByte(':')
					fnJSONValue(&b, a[i+1])
				}
				b.WriteByte('}')
				return value.Str(b.String()), nil
			},
		},
		&Function{
			Name: "json_array", MinArgs: 0, MaxArgs: -1,
			Doc:     "Returns a JSON array of the values; numbers and booleans unquoted, null as null.",
			Example: `json_array("buttercup", "fluttershy", "rarity")`, Want: `"[\"buttercup\",\"fluttershy\",\"rarity\"]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				var b bytes.Buffer
				b.WriteByte('[')
				for i, v := range a {
					if i > 0 {
						b.WriteByte(',')
					}
					fnJSONValue(&b, v)
				}
				b.WriteByte(']')
				return value.Str(b.String()), nil
			},
		},
		&Function{
			Name: "json", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the value if it is valid JSON, else null.",
			Example: `json("[1,2,3]")`, Want: `"[1,2,3]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() == value.Number {
					return a[0], nil
				}
				if a[0].Kind() != value.String || !json.Valid([]byte(a[0].String())) {
					return value.NullValue, nil
				}
				return a[0], nil
			},
		},
		&Function{
			Name: "json_valid", MinArgs: 1, MaxArgs: 1, Boolean: true,
			Doc:     "Returns true if the value is valid JSON text.",
			Example: `json_valid("{\"a\":1}")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				switch a[0].Kind() {
				case value.String, value.Number:
					return value.Boolean(json.Valid([]byte(a[0].String()))), nil
				}
				return value.Boolean(false), nil
			},
		},
		&Function{
			Name: "json_keys", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the top-level keys of a JSON object, in order, as a JSON array; null if the value is not a JSON object.",
			Example: `json_keys("{\"a\":1,\"b\":{\"c\":2}}")`, Want: `"[\"a\",\"b\"]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				keys, ok := fnJSONKeys(a[0])
				if !ok {
					return value.NullValue, nil
				}
				out, _ := json.Marshal(keys)
				return value.Str(string(out)), nil
			},
		},
		&Function{
			Name: "json_has_key_exact", MinArgs: 2, MaxArgs: 2, Boolean: true,
			Doc:     "Returns true if the JSON object has the key, taken literally (no path).",
			Example: `json_has_key_exact("{\"a.b\":1}", "a.b")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				keys, ok := fnJSONKeys(a[0])
				if !ok || a[1].Kind() == value.Null {
					return value.Boolean(false), nil
				}
				want := a[1].String()
				for _, k := range keys {
					if k == want {
						return value.Boolean(true), nil
					}
				}
				return value.Boolean(false), nil
			},
		},
		&Function{
			Name: "json_extract_exact", MinArgs: 2, MaxArgs: -1,
			Doc:     "Returns the value of a top-level key of a JSON object, the key taken literally (no path); with several keys, a JSON array of their values.",
			Example: `json_extract_exact("{\"a.b\":\"x\"}", "a.b")`, Want: `"x"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() != value.String {
					return value.NullValue, nil
				}
				var obj map[string]json.RawMessage
				if json.Unmarshal([]byte(a[0].String()), &obj) != nil || obj == nil {
					return value.NullValue, nil
				}
				if len(a) == 2 {
					v, ok := obj[a[1].String()]
					if !ok {
						return value.NullValue, nil
					}
					return jsonNative(v), nil
				}
				vals := make([]json.RawMessage, 0, len(a)-1)
				for _, k := range a[1:] {
					v, ok := obj[k.String()]
					if !ok {
						v = json.RawMessage("null")
					}
					vals = append(vals, v)
				}
				return value.Str(JSONText(jsonArray(vals))), nil
			},
		},
		&Function{
			Name: "json_array_to_mv", MinArgs: 1, MaxArgs: 2,
			Doc:     "Returns the elements of a JSON array as a multivalue; string elements lose their quotes unless the second argument is true().",
			Example: `json_array_to_mv("[\"a\",1,[2]]")`, Want: `mv"a|1|[2]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				keepQuotes := false
				if len(a) == 2 {
					b, ok := a[1].Bool()
					if !ok {
						return value.NullValue, errors.New("the second argument must be true() or false()")
					}
					keepQuotes = b
				}
				if fnJSONKind(a[0]) != '[' {
					return value.NullValue, nil
				}
				var elems []json.RawMessage
				if err := json.Unmarshal([]byte(a[0].String()), &elems); err != nil {
					return value.NullValue, nil
				}
				out := make([]string, len(elems))
				for i, e := range elems {
					if keepQuotes {
						var b bytes.Buffer
						_ = json.Compact(&b, e)
						out[i] = b.String()
					} else {
						out[i] = JSONText(e)
					}
				}
				return value.MV(out), nil
			},
		},
	)
}

// fnJSONValue writes v as a JSON value: null, a boolean, a number, the
// text of a JSON object or array as it is, any other string quoted; a
// multivalue as an array of its values.
func fnJSONValue(b *bytes.Buffer, v value.Value) {
	switch v.Kind() {
	case value.Null:
		b.WriteString("null")
	case value.Bool:
		t, _ := v.Bool()
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case value.Number:
		b.WriteString(v.String())
	case value.Multi:
		q, _ := json.Marshal(v.Values())
		b.Write(q)
	default:
		s := v.String()
		if fnJSONKind(v) != 0 {
			_ = json.Compact(b, []byte(strings.TrimSpace(s)))
			return
		}
		q, _ := json.Marshal(s)
		b.Write(q)
	}
}

// fnJSONKeys returns the top-level keys of a JSON object in order.
func fnJSONKeys(v value.Value) ([]string, bool) {
	if fnJSONKind(v) != '{' {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(v.String()))
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	keys := []string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	return keys, true
}
