package diag_test

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
)

// TestYAMLError: the line of a yaml.v3 error is 1-based whether yaml.v3
// raised it in its parser (which prints 0-based lines) or its scanner, and
// the message does not repeat it.
func TestYAMLError(t *testing.T) {
	cases := []struct {
		name, doc string
		line      int
		msg       string
	}{
		{name: "bad indentation", doc: "a: 1\nb: 2\nc:\n   - x\n  d: 3\n", line: 5, msg: "did not find expected key"},
		{name: "unclosed flow sequence", doc: "a: 1\nb: [x, y\nc: 3\n", line: 2, msg: "did not find expected ',' or ']'"},
		{name: "unclosed flow mapping", doc: "a: 1\nb: 2\nc: 3\nd: {x: 1\ne: 5\n", line: 4, msg: "did not find expected ',' or '}'"},
		{name: "mapping after sequence", doc: "- a\n- b\n- c\nd: 1\n", line: 4, msg: "did not find expected '-' indicator"},
		{name: "missing node content", doc: "a: 1\nb: 2\nc: 3\nd: [a, {]\n", line: 4, msg: "did not find expected node content"},
		{name: "scanner: mapping value", doc: "a: 1\nb: 2\nc: 3\n  d: 4\n", line: 4, msg: "mapping values are not allowed in this context"},
		{name: "scanner: bad character", doc: "a: 1\nb: 2\nc: 3\nd: @x\n", line: 4, msg: "found character that cannot start any token"},
		{name: "scanner: tab after a plain scalar", doc: "a: 1\nb: c\n\td: 2\n", line: 3, msg: "found a tab character that violates indentation"},
		{name: "scanner: tab on the second line", doc: "a: b\n\t\nc: d\n", line: 2, msg: "found a tab character that violates indentation"},
		{name: "scanner: tab in a block scalar", doc: "name: x\nsearch: |\n  foo\n\tbar\n", line: 4, msg: "found a tab character where an indentation space is expected"},
		{name: "no line", doc: "a: *nope\n", line: 1, msg: "unknown anchor 'nope' referenced"},
		{name: "end of a one-line document", doc: "{", line: 1, msg: "did not find expected node content"},
		{name: "end after CR LF", doc: "a: 1\r\nb: [", line: 2, msg: "did not find expected node content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(c.doc), &n)
			if err == nil {
				t.Fatal("no error")
			}
			line, msg := diag.YAMLError(err.Error(), c.doc)
			if line != c.line || msg != c.msg {
				t.Errorf("YAMLError(%q) = %d, %q; want %d, %q", err, line, msg, c.line, c.msg)
			}
		})
	}
}
