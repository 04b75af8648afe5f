package harness

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
)

// locator maps byte offsets of a scalar's value to positions in its YAML
// file, so that an error in a search points at the file's line and column.
//
// YAML changes text between file and value: block scalars drop the
// indentation, folded ones turn line breaks into spaces, quoted ones drop
// quotes and escapes. The value is aligned with the file text character by
// character: each value byte is matched to the next file byte that can
// produce it, skipping what YAML removed.
func locator(file, text string, n *yaml.Node) func(int) diag.Position {
	start := lineColOffset(text, n.Line, n.Column)
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		// Content starts on the line after the > or | indicator.
		if nl := strings.IndexByte(text[start:], '\n'); nl >= 0 {
			start += nl + 1
		}
	}
	value := n.Value
	offsets := make([]int, len(value)+1)
	j := start
	for i := 0; i < len(value); i++ {
		c := value[i]
		for j < len(text) && !produces(text[j], c) {
			j++
		}
		if j >= len(text) {
			// Alignment lost (an escape we do not model): place the rest at
			// the end of what we matched.
			for ; i < len(value); i++ {
				offsets[i] = len(text)
			}
			break
		}
		offsets[i] = j
		j++
	}
	offsets[len(value)] = j
	return func(off int) diag.Position {
		if off < 0 {
			off = 0
		}
		if off > len(value) {
			off = len(value)
		}
		p := diag.TextPosition(text, min(offsets[off], len(text)))
		p.File = file
		return p
	}
}

// produces reports whether a file byte can stand for a value byte.
func produces(src, val byte) bool {
	return src == val || val == ' ' && (src == '\n' || src == '\r') || val == '\n' && src == '\n'
}

// lineColOffset converts yaml.v3's 1-based line and column (in characters)
// into a byte offset.
func lineColOffset(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(text[off:], '\n')
		if nl < 0 {
			return len(text)
		}
		off += nl + 1
	}
	for c := 1; c < col && off < len(text) && text[off] != '\n'; c++ {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}
