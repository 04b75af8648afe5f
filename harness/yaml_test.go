package harness

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// TestGet: get finds a key's value in a mapping, and the last of
// duplicate keys wins, as in PyYAML.
func TestGet(t *testing.T) {
	cases := []struct {
		name, doc, key string
		want           string // "" when get returns nil
	}{
		{name: "present", doc: "a: 1\nb: 2\n", key: "b", want: "2"},
		{name: "absent", doc: "a: 1\n", key: "b"},
		{name: "duplicate keeps the last", doc: "search: first\nb: 2\nsearch: last\n", key: "search", want: "last"},
		{name: "three times", doc: "a: 1\na: 2\na: 3\n", key: "a", want: "3"},
		{name: "not a mapping", doc: "- a\n- b\n", key: "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(c.doc), &doc); err != nil {
				t.Fatal(err)
			}
			got := ""
			if v := get(doc.Content[0], c.key); v != nil {
				got = v.Value
			}
			if got != c.want {
				t.Errorf("get(%q) = %q, want %q", c.key, got, c.want)
			}
		})
	}
}
