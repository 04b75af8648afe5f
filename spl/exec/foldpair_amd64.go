//go:build !purego

package exec

import "golang.org/x/sys/cpu"

// pairSearch is whether foldLiteral finds literals by indexFoldPair:
// when the processor and the operating system support AVX2.
var pairSearch = cpu.X86.HasAVX2

// foldPairBlocks tests the positions of s in blocks of 32 from 0 while a
// whole block is below n (n+d <= len(s)): the first q with s[q]|0x20 == a
// and s[q+d]|0x20 == b, or ^q for the first position it did not test;
// then, esc reports whether a backslash is among the bytes it read,
// s[q'] and s[q'+d] for every q' < ^q.
//
//go:noescape
func foldPairBlocks(s string, a, b byte, d, n int) (q int, esc bool)
