//go:build !amd64 || purego

package exec

// pairSearch is off: without vector instructions the anchor walk
// (strings.IndexByte) is faster than testing position by position.
const pairSearch = false

// foldPairBlocks is the assembly's contract in Go, for indexFoldPair's
// tests.
func foldPairBlocks(s string, a, b byte, d, n int) int {
	end := n &^ 31
	for q := 0; q < end; q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q
		}
	}
	return ^end
}
