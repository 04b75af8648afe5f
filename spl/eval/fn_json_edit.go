package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// JSON functions that edit JSON text: json_set, json_set_exact,
// json_append, json_extend, json_delete, json_entries. The document is
// parsed into a tree that keeps the order of object members, edited, and
// written back as compact JSON. Paths are json_extract's ({N} from 0, {}
// every element). See docs/semantics-functions.md, "Functions from the
// full list".

func init() {
	Register(
		&Function{
			Name: "json_set", MinArgs: 3, MaxArgs: -1,
			Doc:     "Sets the value at each path (path/value pairs) and returns the updated JSON; a missing last key is added, a missing parent leaves the document as it is.",
			Example: `json_set("{\"name\":\"Bob\",\"age\":35}", "name", "Alice")`, Want: `"{\"name\":\"Alice\",\"age\":35}"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return jsonEditPairs(a, false) },
		},
		&Function{
			Name: "json_set_exact", MinArgs: 3, MaxArgs: -1,
			Doc:     "Sets top-level keys, taken literally (no path), to the values (key/value pairs) and returns the updated JSON object.",
			Example: `json_set_exact("{\"a\":1}", "b.c", 2)`, Want: `"{\"a\":1,\"b.c\":2}"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return jsonEditPairs(a, true) },
		},
		&Function{
			Name: "json_append", MinArgs: 3, MaxArgs: -1,
			Doc:     "Appends each value to the array at its path (path/value pairs); a path that is not an array is left as it is.",
			Example: `json_append("{\"ponies\":[\"Buttercup\"]}", "ponies", "Rarity")`, Want: `"{\"ponies\":[\"Buttercup\",\"Rarity\"]}"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return jsonAppend(a, false) },
		},
		&Function{
			Name: "json_extend", MinArgs: 3, MaxArgs: -1,
			Doc:     "Appends the elements of each JSON array value to the array at its path (path/array pairs).",
			Example: `json_extend("[1]", "", "[2,3]")`, Want: `"[1,2,3]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return jsonAppend(a, true) },
		},
		&Function{
			Name: "json_delete", MinArgs: 2, MaxArgs: -1,
			Doc:     "Removes the members or elements at the paths and returns the updated JSON.",
			Example: `json_delete("{\"name\":\"maria\",\"age\":30}", "age")`, Want: `"{\"name\":\"maria\"}"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				root, ok := jsonTreeOf(a[0])
				if !ok {
					return value.NullValue, nil
				}
				for _, p := range a[1:] {
					sels, err := jsonSelectors(p)
					if err != nil {
						return value.NullValue, err
					}
					if len(sels) == 0 {
						continue
					}
					for _, parent := range root.walk(sels[:len(sels)-1]) {
						parent.remove(sels[len(sels)-1])
					}
				}
				return value.Str(root.text()), nil
			},
		},
		&Function{
			Name: "json_entries", MinArgs: 1, MaxArgs: 1,
			Doc:     `Returns the members of a JSON object as a JSON array of {"key":…,"value":…} objects, in order.`,
			Example: `json_entries("{\"a\":1,\"b\":\"x\"}")`, Want: `"[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":\"x\"}]"`,
			Source: "docs/semantics-functions.md; " + srcJSON,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				root, ok := jsonTreeOf(a[0])
				if !ok || root.kind != '{' {
					return value.NullValue, nil
				}
				out := &jnode{kind: '['}
				for i, k := range root.keys {
					kq, _ := json.Marshal(k)
					out.elems = append(out.elems, &jnode{kind: '{', keys: []string{"key", "value"},
						vals: []*jnode{{raw: kq}, root.vals[i]}})
				}
				return value.Str(out.text()), nil
			},
		},
	)
}

// jnode is a JSON value: an object (keys and vals in order), an array, or
// a scalar kept as its compact text.
type jnode struct {
	kind  byte // '{', '[', or 0 for a scalar
	keys  []string
	vals  []*jnode
	elems []*jnode
	raw   []byte
}

// jsel is one step of a path: a key, or an array position (-1: every one).
type jsel struct {
	key   string
	isKey bool
	index int
}

func jsonParseTree(b []byte) (*jnode, bool) {
	if !json.Valid(b) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := jsonParseNode(dec)
	return n, err == nil
}

func jsonParseNode(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &jnode{kind: byte(t)}
		for dec.More() {
			if n.kind == '{' {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := jsonParseNode(dec)
				if err != nil {
					return nil, err
				}
				n.set(k, v)
				continue
			}
			v, err := jsonParseNode(dec)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, v)
		}
		_, err := dec.Token() // the closing delimiter
		return n, err
	case json.Number:
		return &jnode{raw: []byte(t.String())}, nil
	}
	raw, err := json.Marshal(tok)
	return &jnode{raw: raw}, err
}

// jsonTreeOf parses a string value as JSON; ok is false for anything else.
func jsonTreeOf(v value.Value) (*jnode, bool) {
	if v.Kind() != value.String {
		return nil, false
	}
	return jsonParseTree([]byte(v.String()))
}

// jsonValueNode is the JSON of an argument value, as json_object writes it.
func jsonValueNode(v value.Value) *jnode {
	var b bytes.Buffer
	fnJSONValue(&b, v)
	n, _ := jsonParseTree(b.Bytes())
	return n
}

// jsonSelectors parses a path argument into steps.
func jsonSelectors(p value.Value) ([]jsel, error) {
	if p.Kind() == value.Null {
		return nil, errors.New("a path is null")
	}
	path, err := ParseJSONPath(p.String(), 0)
	if err != nil {
		return nil, err
	}
	var sels []jsel
	for _, st := range path.steps {
		if st.hasKey {
			sels = append(sels, jsel{key: st.key, isKey: true})
		}
		for _, i := range st.index {
			sels = append(sels, jsel{index: i})
		}
	}
	return sels, nil
}

func (n *jnode) find(k string) int {
	for i, key := range n.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// set puts a member, replacing one of the same key (JSON's last one wins).
func (n *jnode) set(k string, v *jnode) {
	if i := n.find(k); i >= 0 {
		n.vals[i] = v
		return
	}
	n.keys = append(n.keys, k)
	n.vals = append(n.vals, v)
}

// walk returns the nodes at the path.
func (n *jnode) walk(sels []jsel) []*jnode {
	cur := []*jnode{n}
	for _, s := range sels {
		var next []*jnode
		for _, c := range cur {
			switch {
			case s.isKey && c.kind == '{':
				if i := c.find(s.key); i >= 0 {
					next = append(next, c.vals[i])
				}
			case !s.isKey && c.kind == '[' && s.index < 0:
				next = append(next, c.elems...)
			case !s.isKey && c.kind == '[' && s.index < len(c.elems):
				next = append(next, c.elems[s.index])
			}
		}
		cur = next
	}
	return cur
}

// put sets the member or element the selector names; a missing key is
// added, a position past the end is left alone.
func (n *jnode) put(s jsel, v *jnode) {
	switch {
	case s.isKey && n.kind == '{':
		n.set(s.key, v)
	case !s.isKey && n.kind == '[' && s.index < 0:
		for i := range n.elems {
			n.elems[i] = v.clone()
		}
	case !s.isKey && n.kind == '[' && s.index < len(n.elems):
		n.elems[s.index] = v
	}
}

func (n *jnode) remove(s jsel) {
	switch {
	case s.isKey && n.kind == '{':
		if i := n.find(s.key); i >= 0 {
			n.keys = append(n.keys[:i], n.keys[i+1:]...)
			n.vals = append(n.vals[:i], n.vals[i+1:]...)
		}
	case !s.isKey && n.kind == '[' && s.index < 0:
		n.elems = nil
	case !s.isKey && n.kind == '[' && s.index < len(n.elems):
		n.elems = append(n.elems[:s.index], n.elems[s.index+1:]...)
	}
}

func (n *jnode) write(b *strings.Builder) {
	switch n.kind {
	case '{':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kq, _ := json.Marshal(k)
			b.Write(kq)
			b.WriteByte(':')
			n.vals[i].write(b)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	default:
		b.Write(n.raw)
	}
}

// clone copies n, so that a value put in several places stays one per
// place.
func (n *jnode) clone() *jnode {
	c, _ := jsonParseTree([]byte(n.text()))
	return c
}

func (n *jnode) text() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

// jsonEditPairs runs json_set (paths) or json_set_exact (literal keys).
func jsonEditPairs(a []value.Value, exact bool) (value.Value, error) {
	if len(a)%2 != 1 {
		return value.NullValue, errors.New("needs path/value pairs after the JSON")
	}
	root, ok := jsonTreeOf(a[0])
	if !ok {
		return value.NullValue, nil
	}
	for i := 1; i < len(a); i += 2 {
		v := jsonValueNode(a[i+1])
		if exact {
			if root.kind != '{' || a[i].Kind() == value.Null {
				return value.NullValue, nil
			}
			root.set(a[i].String(), v)
			continue
		}
		sels, err := jsonSelectors(a[i])
		if err != nil {
			return value.NullValue, err
		}
		if len(sels) == 0 {
			root = v
			continue
		}
		for _, parent := range root.walk(sels[:len(sels)-1]) {
			parent.put(sels[len(sels)-1], v.clone())
		}
	}
	return value.Str(root.text()), nil
}

// jsonAppend runs json_append, or json_extend when extend is set.
func jsonAppend(a []value.Value, extend bool) (value.Value, error) {
	if len(a)%2 != 1 {
		return value.NullValue, errors.New("needs path/value pairs after the JSON")
	}
	root, ok := jsonTreeOf(a[0])
	if !ok {
		return value.NullValue, nil
	}
	for i := 1; i < len(a); i += 2 {
		sels, err := jsonSelectors(a[i])
		if err != nil {
			return value.NullValue, err
		}
		v := jsonValueNode(a[i+1])
		add := []*jnode{v}
		if extend {
			if v.kind != '[' {
				return value.NullValue, errors.New("json_extend needs a JSON array to add")
			}
			add = v.elems
		}
		for _, t := range root.walk(sels) {
			if t.kind == '[' {
				for _, e := range add {
					t.elems = append(t.elems, e.clone())
				}
			}
		}
	}
	return value.Str(root.text()), nil
}
