//go:build !amd64 || purego

package exec

import "strings"

// pairSearch is off: without vector instructions the anchor walk
// (strings.IndexByte) is faster than testing position by position.
const pairSearch = false

// foldPairBlocks is the assembly's contract in Go, for indexFoldPair's
// tests.
func foldPairBlocks(s string, a, b byte, d, n int) (int, bool) {
	end := n &^ 31
	if end == 0 {
		return ^0, false
	}
	for q := 0; q < end; q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q, false
		}
	}
	return ^end, strings.IndexByte(s[:end], '\\') >= 0 || strings.IndexByte(s[d:end+d], '\\') >= 0
}
