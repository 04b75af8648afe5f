package exec

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
// s[q+d]|0x20 == b; -1 when there is none. a and b have bit 0x20 set.
func indexFoldPair(s string, a, b byte, d int) int {
	n := len(s) - d // the positions q to test
	if n <= 0 {
		return -1
	}
	q := 0
	if n >= 32 {
		r := foldPairBlocks(s, a, b, d, n)
		if r >= 0 {
			return r
		}
		// Every block of 32 before q is without a match; the last,
		// partial one is tested as the 32 positions that end at n.
		if q = ^r; q < n {
			if r = foldPairBlocks(s[n-32:], a, b, d, 32); r >= 0 {
				return n - 32 + r
			}
		}
		return -1
	}
	for ; q < n; q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q
		}
	}
	return -1
}
