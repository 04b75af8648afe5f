//go:build !purego

package exec

// gramFilterOn is whether gramIndex.scan walks the candidates of its
// filter (gramBlocks): where the processor has AVX2.
var gramFilterOn = hasAVX2

// gramBlocks is gramBlocksAVX2 where the processor has AVX2, else
// gramBlocksGo.
func gramBlocks(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32) {
	if hasAVX2 {
		gramBlocksAVX2(s, from, n, f, masks)
		return
	}
	gramBlocksGo(s, from, n, f, masks)
}

// gramBlocksAVX2 is gramBlocksGo's contract, 32 positions a round.
//
//go:noescape
func gramBlocksAVX2(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32)
