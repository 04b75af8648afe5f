package exec

import (
	"math/bits"
	"strings"
	"unsafe"
)

// The several-pair search: the event names of a story's detections in
// one pass (the five Bedrock detections ask for five in every Bedrock
// record, and for all five the record is searched to its end) are
// found in one walk over the record instead of one pair search each.
// Each literal is tested at the position of its first pair byte, so the
// 32 bytes there are loaded and folded once for all of them, and only
// each literal's second byte costs a load of its own.

// maxPairs is how many literals one several-pair search tests.
const maxPairs = 8

// pairEntry is one literal of a several-pair search, as the assembly
// reads it: its two bytes (bit 0x20 set) repeated over 32 lanes, and the
// distance from the first to the second.
type pairEntry struct {
	a, b [32]byte
	d    int
	_    [24]byte // 96 bytes: a and b stay 32-byte aligned in an aligned table
}

// pairBatch is the literals of a several-pair search and their entries,
// in a table made once per pass (newPairBatch): copying entries for
// each record, then loading them in the assembly, stalled on the copy.
type pairBatch struct {
	lits []*foldLiteral
	tab  []pairEntry
	maxd int
}

func newPairBatch(lits []*foldLiteral) *pairBatch {
	// The table starts at a 32-byte boundary, so that no entry's bytes
	// straddle two cache lines.
	size := int(unsafe.Sizeof(pairEntry{}))
	buf := make([]byte, size*len(lits)+32)
	off := int(-uintptr(unsafe.Pointer(&buf[0])) & 31)
	tab := unsafe.Slice((*pairEntry)(unsafe.Pointer(&buf[off])), len(lits))
	b := &pairBatch{lits: lits, tab: tab}
	for k, f := range lits {
		tab[k] = f.entry
		f.bit = 1 << k
		b.maxd = max(b.maxd, f.p2-f.p1)
	}
	return b
}

func newPairEntry(a, b byte, d int) pairEntry {
	var e pairEntry
	for i := range e.a {
		e.a[i], e.b[i] = a, b
	}
	e.d = d
	return e
}

// foldPairsBlocksGo is foldPairsBlocks' contract in Go: the positions q
// of s from 0, in blocks of 32 while a whole block is below n (n plus
// the largest d at most len(s)), up to the first block where some entry
// k has s[q]|0x20 == a and s[q+d]|0x20 == b; it returns that block's
// start, with masks[k] the bits of the block's positions that match
// entry k, or ^q for the first position it did not test. esc reports
// whether a backslash is among s[q'] for the positions q' it tested.
func foldPairsBlocksGo(s string, tab []pairEntry, n int, masks *[maxPairs]uint32) (int, bool) {
	for base := 0; base+32 <= n; base += 32 {
		any := false
		for k := range tab {
			e := &tab[k]
			var m uint32
			for i := 0; i < 32; i++ {
				if s[base+i]|0x20 == e.a[0] && s[base+i+e.d]|0x20 == e.b[0] {
					m |= 1 << i
				}
			}
			masks[k] = m
			any = any || m != 0
		}
		if any {
			return base, strings.IndexByte(s[:base+32], '\\') >= 0
		}
	}
	end := n &^ 31
	return ^end, strings.IndexByte(s[:end], '\\') >= 0
}

// searchPairs answers, for the literals of a several-pair batch
// (foldLiteral.batch) not yet searched for in text, whether text holds
// them, in one walk for all of them. The walk stops when one of the
// literals stop names (by foldLiteral.bit) is found, or at the text's
// end, where every literal is answered; the answers already known are
// kept. A walk stopped early leaves the others unanswered, and the next
// search of the same text goes on from where it stopped
// (literalMemo.pairsFrom): an OR of the batch's literals (ESCU's
// eventName=Describe* OR eventName=List* OR eventName=Get*) is answered
// by the first found, and the rest of the record is read only if
// another literal is asked for. When a walk went through the whole text
// and found no backslash, the memo notes it (noEsc).
func (m *literalMemo) searchPairs(text string, batch *pairBatch, stop uint32) {
	var active uint32 // the literals sought, by index in the batch
	for k, f := range batch.lits {
		s := m.state(f)
		if *s != litUnknown {
			continue
		}
		if len(f.lit) > len(text) {
			*s = litOut
			continue
		}
		active |= 1 << k
	}
	if active == 0 {
		return
	}
	// Positions q below n are tested by blocks of 32, the last of them
	// the 32 that end at n; from there each literal left is tested
	// position by position (fewer than the largest d of them).
	n := len(text) - batch.maxd
	var masks [maxPairs]uint32
	esc := m.pairsEsc
	from := m.pairsFrom // the first position not yet tested
	for active != 0 && from < n && n >= 32 {
		q0, size := from, n-from
		if size < 32 {
			// Again over some positions already tested: their
			// candidates are compared again, the answers the same.
			q0, size = n-32, 32
		}
		r, e := foldPairsBlocks(text[q0:], batch.tab, size, &masks)
		esc = esc || e
		if r < 0 {
			from = q0 + ^r
			continue
		}
		q0 += r
		found := uint32(0)
		for left := active; left != 0; left &= left - 1 {
			k := bits.TrailingZeros32(left)
			f := batch.lits[k]
			for hits := masks[k]; hits != 0; hits &= hits - 1 {
				j := q0 + bits.TrailingZeros32(hits) - f.p1
				if j >= 0 && j+len(f.lit) <= len(text) && equalLowerASCII(text[j:j+len(f.lit)], f.lit) {
					*m.state(f) = litIn
					active &^= 1 << k
					found |= 1 << k
					break
				}
			}
		}
		from = q0 + 32
		if found&stop != 0 && active != 0 {
			// Every position below from is tested for the literals left.
			m.pairsFrom, m.pairsEsc = from, esc
			return
		}
	}
	for left := active; left != 0; left &= left - 1 {
		k := bits.TrailingZeros32(left)
		f, e := batch.lits[k], &batch.tab[k]
		s := m.state(f)
		*s = litOut
		a, b, d := e.a[0], e.b[0], e.d
		for q := from; q+d < len(text); q++ {
			if text[q]|0x20 != a || text[q+d]|0x20 != b {
				continue
			}
			if j := q - f.p1; j >= 0 && j+len(f.lit) <= len(text) && equalLowerASCII(text[j:j+len(f.lit)], f.lit) {
				*s = litIn
				break
			}
		}
	}
	if active != 0 && !esc && strings.IndexByte(text[from:], '\\') < 0 {
		// The blocks loaded every position below from.
		m.noEsc = true
	}
}

// anyPairs reports whether text holds one of the literals of an OR whose
// terms are all literals of one several-pair batch (prefilter.pairs,
// set by prefilters.batchPairs): the walk stops at the first of them
// found (searchPairs).
func (m *literalMemo) anyPairs(text string, f *prefilter) bool {
	var ask uint32
	for _, t := range f.terms {
		switch *m.state(t.fold) {
		case litIn:
			return true
		case litUnknown:
			ask |= t.fold.bit
		}
	}
	if ask == 0 {
		return false
	}
	m.searched++
	m.searchPairs(text, f.pairs, ask)
	for _, t := range f.terms {
		if *m.state(t.fold) == litIn {
			return true
		}
	}
	return false
}
