//go:build !purego

package event

import "golang.org/x/sys/cpu"

// structBitsBlocks fills m (structBits) for each whole 64 bytes of s, with
// AVX2 and PCLMULQDQ where asm and the processor allow, else in Go.
func structBitsBlocks(s string, m []uint64, st *structState, asm bool) {
	if asm && structFast {
		structBitsAVX2(s, m, st, hasAVX512)
		return
	}
	structBitsGeneric(s, m, st)
}

// structFast says whether quickFind tries structFind first: only where
// structBits has its assembly, without which it costs more than it saves.
var structFast = hasAVX2 && cpu.X86.HasPCLMULQDQ

// hasAVX512 says structBitsAVX2 may classify 64 bytes an instruction
// (AVX-512BW, with the processor's and the operating system's support).
var hasAVX512 = cpu.X86.HasAVX512BW

// structBitsAVX2 is structBitsGeneric: 32 bytes at a time classified with
// AVX2, the in-string bits a carry-less product by all ones.
//
//go:noescape
func structBitsAVX2(s string, m []uint64, st *structState, avx512 bool)
