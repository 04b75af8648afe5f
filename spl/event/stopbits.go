package event

import (
	"bytes"
	"unsafe"
)

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

// stopBitsLineGeneric is stopBitsLine in Go: the newline, then the stops
// up to it.
func stopBitsLineGeneric(s []byte, w []uint64) int {
	end := bytes.IndexByte(s, '\n')
	if end >= 0 {
		stopBits(unsafe.String(unsafe.SliceData(s), end), &w)
	}
	return end
}

// stopsMemo is a reader's memory for stopBits. words is reused from
// record to record; line holds the stops of the line the block loop is
// at, which it found in the pass that found the line's end (lineEnd), so
// that the validating scan of the line need not read it once more.
type stopsMemo struct {
	words   []uint64
	lineBuf []uint64 // lineEnd's memory
	next    []uint64 // the stops lineEnd found, for hold
	line    []uint64 // the stops of the text at lineAt, lineLen long, or nil
	lineAt  *byte
	lineLen int
}

// maxLineWords caps lineBuf: the stops of a longer line are found apart
// from its end, as those of a record that is not a line are.
const maxLineWords = 1 << 14 // lines up to 1 MB

// of returns the stops of s: those of the line held when s is its text,
// else stopBits's.
func (m *stopsMemo) of(s string) []uint64 {
	if m.line != nil && len(s) == m.lineLen && unsafe.StringData(s) == m.lineAt {
		return m.line
	}
	return stopBits(s, &m.words)
}

// lineEnd returns the index of the first newline in data, or -1, and
// keeps the stops of the bytes before it for hold when it can (the line
// fits lineBuf). Without a newline, the line is the rest of data, whose
// stops are found apart.
func (m *stopsMemo) lineEnd(data []byte) int {
	m.next = nil
	if len(m.lineBuf) == 0 {
		m.lineBuf = make([]uint64, 64) // lines up to 4 KB; a CloudTrail record is 1 to 2
	}
	n := min(len(data), 64*(len(m.lineBuf)-1))
	end := stopBitsLine(data[:n], m.lineBuf)
	if end < 0 {
		if n == len(data) {
			return -1
		}
		// Longer than lineBuf: found apart, lineBuf grown for the next.
		if len(m.lineBuf) < maxLineWords {
			m.lineBuf = make([]uint64, 2*len(m.lineBuf))
		}
		if i := bytes.IndexByte(data[n:], '\n'); i >= 0 {
			return n + i
		}
		return -1
	}
	// Past the end: all set (stopBits).
	w := m.lineBuf[:end/64+1]
	w[end/64] |= ^uint64(0) << (end % 64)
	m.next = w
	return end
}

// hold makes the stops lineEnd found those of text, the line whose end
// it found: data up to the newline, or up to a carriage return before
// it, itself a stop. drop forgets them, before the memory holding the
// line is read again.
func (m *stopsMemo) hold(text []byte) {
	m.line, m.lineAt, m.lineLen = m.next, unsafe.SliceData(text), len(text)
}

func (m *stopsMemo) drop() { m.line, m.next = nil, nil }
