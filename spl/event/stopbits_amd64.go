//go:build !purego

package event

import "golang.org/x/sys/cpu"

// stopBitsBlocks fills w (stopBits) for the first bytes of s, 32 at a
// time with AVX2 where the processor has it, else 16 at a time with SSE2,
// which every amd64 processor has, and returns how many bytes it did.
func stopBitsBlocks(s string, w []uint64) int {
	if hasAVX2 {
		stopBitsAVX2(s, w)
		return len(s) &^ 31
	}
	stopBitsSSE2(s, w)
	return len(s) &^ 15
}

// hasAVX2 is whether the processor and the operating system support
// AVX2 (golang.org/x/sys/cpu checks both).
var hasAVX2 = cpu.X86.HasAVX2

// stopBitsSSE2 writes 16 bits to w for each whole block of 16 bytes of s
// (w must have room: len(s)/64+1 words).
//
//go:noescape
func stopBitsSSE2(s string, w []uint64)

// stopBitsAVX2 writes 32 bits to w for each whole block of 32 bytes of s.
//
//go:noescape
func stopBitsAVX2(s string, w []uint64)
