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

// samplePositions lists, for each byte with bit 0x20 set, the positions
// of sample whose byte equals it with bit 0x20 set, as the pair search
// compares: what choosePair counts a pair's occurrences by.
func samplePositions(sample string) *[256][]int32 {
	var at [256][]int32
	for i := 0; i < len(sample); i++ {
		c := sample[i] | 0x20
		at[c] = append(at[c], int32(i))
	}
	return &at
}

// choosePair makes the pair search's two bytes the pair of the literal
// that sample (a record of the data, samplePositions at) holds least
// often at the literal's distance between them, where that is fewer
// than the pair chooseAnchor took: the rarest byte and the next rarest
// miss pairs rarer than their bytes. A literal that carries a JSON
// string's quote ("get, for a value that starts with Get) has the pair
// of the quote and the next letter, at the start of a string value,
// where its bytes alone are each in every record: in 2,000 CloudTrail
// records "list" has 4.8 candidates a record at (l, i), 0.3 at (l, t).
// Of pairs held as often, the one whose bytes the sample holds least
// (freq, counting both cases of a letter) is taken.
func (f *foldLiteral) choosePair(sample string, at *[256][]int32, freq *[256]int) {
	if !f.pair || len(f.lit) < 2 {
		return
	}
	held := func(i, j int) int {
		a, b, d, n := f.lit[i]|0x20, f.lit[j]|0x20, j-i, 0
		for _, q := range at[a] {
			if int(q)+d < len(sample) && sample[int(q)+d]|0x20 == b {
				n++
			}
		}
		return n
	}
	count := func(c byte) int {
		n := freq[c]
		if c-'a' < 26 {
			n += freq[c-('a'-'A')]
		}
		return n
	}
	bi, bj, best := f.p1, f.p2, held(f.p1, f.p2)
	bytes := count(f.lit[bi]) + count(f.lit[bj])
	for i := 0; i < len(f.lit) && best > 0; i++ {
		for j := i + 1; j < len(f.lit); j++ {
			n := held(i, j)
			if n > best {
				continue
			}
			if b := count(f.lit[i]) + count(f.lit[j]); n < best || b < bytes {
				bi, bj, best, bytes = i, j, n, b
			}
		}
	}
	f.setPair(bi, bj)
}
