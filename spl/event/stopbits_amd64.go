//go:build !purego

package event

import "golang.org/x/sys/cpu"

// stopBitsBlocks fills w (stopBits) for s, 32 bytes at a time with AVX2
// where the processor has it, else 16 at a time with SSE2, which every
// amd64 processor has, the last bytes as the block that ends s; it
// returns how many bytes it did: all but those of a record shorter than a
// block.
func stopBitsBlocks(s string, w []uint64) int {
	switch {
	case hasAVX2 && len(s) >= 32:
		stopBitsAVX2(s, w)
		return len(s)
	case len(s) >= 16:
		stopBitsSSE2(s, w)
		return len(s)
	}
	return 0
}

// stopWords fills w (stopBits) whole, bits past the end of s included,
// 64 bytes of s a word, with AVX2, and reports whether it did: s must be
// at least 64 bytes long. It spares a record the per-call work of
// stopBits' blocks of 32 bytes: a 4-byte store a block, the word the
// last block ends in mended, the bits past the end set in Go.
func stopWords(s string, w []uint64) bool {
	if !hasAVX2 || len(s) < 64 {
		return false
	}
	stopWordsAVX2(s, w)
	return true
}

// stopWordsAVX2 is stopWords' work (len(s) >= 64, len(w) = len(s)/64+1).
//
//go:noescape
func stopWordsAVX2(s string, w []uint64)

// hasAVX2 is whether the processor and the operating system support
// AVX2 (golang.org/x/sys/cpu checks both).
var hasAVX2 = cpu.X86.HasAVX2

// stopBitsSSE2 writes 16 bits to w for each block of 16 bytes of s, the
// last block's bits beyond s zero (len(s) >= 16; w must have room:
// len(s)/64+1 words).
//
//go:noescape
func stopBitsSSE2(s string, w []uint64)

// stopBitsAVX2 writes 32 bits to w for each block of 32 bytes of s, the
// last block's bits beyond s zero (len(s) >= 32).
//
//go:noescape
func stopBitsAVX2(s string, w []uint64)
