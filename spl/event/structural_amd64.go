//go:build !purego

package event

// structBitsBlocks fills m (structBits) for each whole 64 bytes of s, with
// AVX2 where asm and the processor allow, else in Go.
func structBitsBlocks(s string, m []uint64, asm bool) {
	if asm && hasAVX2 {
		structBitsAVX2(s, m)
		return
	}
	structBitsGeneric(s, m)
}

// structFast says whether quickFind tries structFind first: only where
// structBits has its assembly, without which it costs more than it saves.
var structFast = hasAVX2

// structBitsAVX2 writes structMasks words to m for each whole 64 bytes of
// s, 32 bits at a time.
//
//go:noescape
func structBitsAVX2(s string, m []uint64)
