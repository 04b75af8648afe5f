//go:build !purego

package exec

// anchorBlocks is anchorBlocksAVX2 where the processor has AVX2, else
// anchorBlocksGo.
func anchorBlocks(s string, a, b byte, d, n int, nl *lineBits, base int) int {
	if hasAVX2 {
		var bits *uint64
		if nl != nil {
			bits = &nl.bits[0]
		}
		return anchorBlocksAVX2(s, a, b, d, n, bits, base)
	}
	return anchorBlocksGo(s, a, b, d, n, nl, base)
}

// anchorBlocksAVX2 is anchorBlocksGo's contract (n+d <= len(s)); bits,
// when not nil, is nl.bits[0].
//
//go:noescape
func anchorBlocksAVX2(s string, a, b byte, d, n int, bits *uint64, base int) (q int)
