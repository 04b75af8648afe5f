//go:build !purego

package exec

import "golang.org/x/sys/cpu"

// pairSearch is whether foldLiteral finds literals by indexFoldPair:
// when the processor and the operating system support AVX2.
var pairSearch = hasAVX2

// hasAVX2 is whether the processor and the operating system support AVX2
// (golang.org/x/sys/cpu checks both).
var hasAVX2 = cpu.X86.HasAVX2

// foldPairBlocks is foldPairBlocksAVX2 where the processor has AVX2,
// else foldPairBlocksGo.
func foldPairBlocks(s string, a, b byte, d, n int) (q int, esc bool) {
	if hasAVX2 {
		return foldPairBlocksAVX2(s, a, b, d, n)
	}
	return foldPairBlocksGo(s, a, b, d, n)
}

// foldPairBlocksAVX2 tests the positions of s in blocks of 32 from 0 while a
// whole block is below n (n+d <= len(s)): the first q with s[q]|0x20 == a
// and s[q+d]|0x20 == b, or ^q for the first position it did not test;
// then, esc reports whether a backslash is among s[q'] for every q' < ^q.
//
//go:noescape
func foldPairBlocksAVX2(s string, a, b byte, d, n int) (q int, esc bool)

// foldPairsBlocks is foldPairsBlocksAVX2 where the processor has AVX2,
// else foldPairsBlocksGo.
func foldPairsBlocks(s string, tab []pairEntry, n int, masks *[maxPairs]uint32) (int, bool) {
	if hasAVX2 {
		return foldPairsBlocksAVX2(s, &tab[0], len(tab), n, masks)
	}
	return foldPairsBlocksGo(s, tab, n, masks)
}

// foldPairsBlocksAVX2 is foldPairsBlocksGo's contract for the k entries
// from tab (1 <= k <= maxPairs).
//
//go:noescape
func foldPairsBlocksAVX2(s string, tab *pairEntry, k, n int, masks *[maxPairs]uint32) (q int, esc bool)
