//go:build !purego

package exec

// anchorBlocks is anchorBlocksAVX2 where the processor has AVX2, else
// anchorBlocksGo.
func anchorBlocks(s string, a, b byte, d, n int) int {
	if hasAVX2 {
		return anchorBlocksAVX2(s, a, b, d, n)
	}
	return anchorBlocksGo(s, a, b, d, n)
}

// anchorBlocksAVX2 is anchorBlocksGo's contract (n+d <= len(s)).
//
//go:noescape
func anchorBlocksAVX2(s string, a, b byte, d, n int) (q int)
