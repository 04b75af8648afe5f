package exec

import "strings"

// The pair search: on amd64 with AVX2, a literal of two bytes or more is
// found by testing 32 positions at a time for two of its bytes at once
// (each with bit 0x20 set, which folds a letter's two cases together),
// and comparing the whole literal only where both match, as in Wojciech
// Muła's "SIMD-friendly algorithms for substring searching". Walking the
// occurrences of one anchor byte (foldLiteral.in without it) calls
// strings.IndexByte once per occurrence for each case of the byte; in
// CloudTrail the rarest byte of a literal still occurs 5 to 30 times a
// record.

// indexFoldPair is the first q with q+d < len(s), s[q]|0x20 == a and
// s[q+d]|0x20 == b; -1 when there is none, and then esc is false when s
// is known to hold no backslash (the assembly notes them as it goes: a
// record the pre-filter rules out needs no search of its own for a \u
// escape), true when it holds one. a and b have bit 0x20 set.
func indexFoldPair(s string, a, b byte, d int) (q int, esc bool) {
	n := len(s) - d // the positions q to test
	if n >= 32 {
		r, esc := foldPairBlocks(s, a, b, d, n)
		if r >= 0 {
			return r, false
		}
		// Every block of 32 before ^r is without a match; the last,
		// partial one is tested as the 32 positions that end at n.
		if ^r < n {
			r, esc2 := foldPairBlocks(s[n-32:], a, b, d, 32)
			if r >= 0 {
				return n - 32 + r, false
			}
			esc = esc || esc2
		}
		// The blocks read s[q] for every q below n; the last d bytes
		// are left.
		return -1, esc || strings.IndexByte(s[n:], '\\') >= 0
	}
	for q := 0; q < n; q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q, false
		}
	}
	return -1, strings.IndexByte(s, '\\') >= 0
}

// foldPairBlocksGo is foldPairBlocks' contract in Go, for processors
// without AVX2 (the pair search is then off, but its tests run).
func foldPairBlocksGo(s string, a, b byte, d, n int) (int, bool) {
	end := n &^ 31
	if end == 0 {
		return ^0, false
	}
	for q := 0; q < end; q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q, false
		}
	}
	return ^end, strings.IndexByte(s[:end], '\\') >= 0
}
