package event

// The stops of a record: quickScan used to find the end of each string
// by testing its bytes 8 at a time, a loop whose exit (at a different
// word for each of a CloudTrail record's 50 or so short strings) the
// processor mostly failed to predict. Now one pass over the record
// (32 bytes an instruction with AVX2) marks every byte that would stop
// that loop in a bitmap, and a string's end is the next set bit: one word
// read and a count of trailing zeros for any string of up to 64 bytes.

// stopBits sets bit i%64 of word i/64 for each byte s[i] that quickStop
// marks (a quote, a backslash, a control character or a byte beyond
// ASCII), and every bit from len(s) to the end of len(s)'s word, so that
// a search for the next stop from any i <= len(s) ends at len(s) at the
// latest. It reuses *out's memory.
func stopBits(s string, out *[]uint64) []uint64 {
	n := len(s)/64 + 1
	if cap(*out) < n {
		*out = make([]uint64, n, n+n/4)
	}
	w := (*out)[:n]
	if stopWords(s, w) {
		return w
	}
	done := stopBitsBlocks(s, w) // in blocks of 16 or 32 bytes, where it can
	if r := done % 64; r != 0 {
		w[done/64] &= 1<<r - 1 // the rest of the word is from before
	}
	for i := done; i < len(s); i += 8 {
		var m uint64
		if i+8 <= len(s) {
			m = stopBits8(load64(s, i))
		} else {
			for j := i; j < len(s); j++ {
				if quickStop[s[j]] {
					m |= 1 << (j - i)
				}
			}
		}
		if i%64 == 0 {
			w[i/64] = m
		} else {
			w[i/64] |= m << (i % 64)
		}
	}
	// Past the end: all set. len(s)%64 bits of the last word are the
	// record's.
	last := len(s) / 64
	if r := len(s) % 64; r == 0 {
		w[last] = ^uint64(0)
	} else {
		w[last] |= ^uint64(0) << r
	}
	return w
}

// stopBits8 is the 8 bits of stopBits for a word of 8 bytes, each exact:
// no carry or borrow crosses a byte (unlike stopMask, whose bits above
// the lowest may be wrong).
func stopBits8(w uint64) uint64 {
	const low7 = 0x7f * ones
	// A byte is below 0x20 when its low seven bits plus 0x60 stay below
	// 0x80; it is a quote or a backslash when its xor with one is zero.
	ctl := ^((w & low7) + 0x60*ones)
	q := w ^ ('"' * ones)
	b := w ^ ('\\' * ones)
	quote := ^(((q & low7) + low7) | q)
	slash := ^(((b & low7) + low7) | b)
	m := (w | ctl | quote | slash) & highs
	// Gather the eight high bits into the low byte.
	return (m >> 7) * 0x0102040810204080 >> 56
}

// stopBitsGeneric is stopBitsBlocks in Go: it fills w for the first
// len(s)&^15 bytes of s and returns how many it did.
func stopBitsGeneric(s string, w []uint64) int {
	end := len(s) &^ 15
	for i := 0; i < end; i += 8 {
		m := stopBits8(load64(s, i))
		if i%64 == 0 {
			w[i/64] = m
		} else {
			w[i/64] |= m << (i % 64)
		}
	}
	return end
}
