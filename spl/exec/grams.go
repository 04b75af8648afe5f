package exec

// gramIndex answers, in one walk over a record, which of a pass's
// literals of three bytes or more the record holds (ASCII case folded, as
// foldLiteral.in searches): the way a pass with many literals fills its
// memo (literalMemo.reset), instead of a search per literal asked.
//
// Each literal is filed under the hash of its first three bytes. The walk
// hashes the record's folded bytes at each position and tests the hash in
// a bitmap of the literals' first grams, 2 KB that stay in the L1 cache;
// only where the bit is set are the literals filed under that hash
// compared there. The literals of the 59 ESCU CloudTrail detections and
// their event types start with about 80 distinct grams, so about one
// position in a hundred is a candidate beyond the grams the record holds.
type gramIndex struct {
	bits [gramBuckets / 64]uint64 // the literals' first grams, by gramHash
	// start and ids list the literals filed under each hash:
	// ids[start[h]:start[h+1]].
	start []uint16
	ids   []uint16
	lits  []string // by id: the literals, lowercase; "" for one not filed
}

// gramBuckets is the size of the bitmap; a power of two.
const gramBuckets = 16384

func gramHash(a, b, c uint) uint { return ((a*67+b)*67 + c) & (gramBuckets - 1) }

// newGramIndex files lits (lowercase) by id, their index in lits; a
// literal under three bytes is not filed (indexed reports which are). Nil
// past 65,535 literals, which its ids cannot number.
func newGramIndex(lits []string) *gramIndex {
	if len(lits) > 0xffff {
		return nil
	}
	g := &gramIndex{lits: make([]string, len(lits)), start: make([]uint16, gramBuckets+1)}
	bucket := make([]uint, len(lits))
	count := make([]uint16, gramBuckets)
	for id, lit := range lits {
		if len(lit) < 3 {
			continue
		}
		g.lits[id] = lit
		h := gramHash(uint(foldTable[lit[0]]), uint(foldTable[lit[1]]), uint(foldTable[lit[2]]))
		g.bits[h>>6] |= 1 << (h & 63)
		bucket[id] = h
		count[h]++
	}
	for h := range count {
		g.start[h+1] = g.start[h] + count[h]
	}
	g.ids = make([]uint16, g.start[gramBuckets])
	next := append([]uint16(nil), g.start...)
	for id, h := range bucket {
		if g.lits[id] != "" {
			g.ids[next[h]] = uint16(id)
			next[h]++
		}
	}
	return g
}

// indexed reports whether the literal numbered id is filed: scan answers
// for it.
func (g *gramIndex) indexed(id int) bool { return g.lits[id] != "" }

// scan sets state[id] to litIn for every filed literal that text holds,
// ASCII letters of text compared lowercased (the literals are lowercase;
// bytes beyond ASCII are compared as they are, never folded), and leaves
// the others as they were.
func (g *gramIndex) scan(text string, state []uint8) {
	if len(text) < 3 {
		return
	}
	bits := &g.bits
	a, b := uint(foldTable[text[0]]), uint(foldTable[text[1]])
	for i := 2; i < len(text); i++ {
		c := uint(foldTable[text[i]])
		if h := gramHash(a, b, c); bits[h>>6]&(1<<(h&63)) != 0 {
			g.match(text, i-2, h, state)
		}
		a, b = b, c
	}
}

// match compares the literals filed under hash h at position p.
func (g *gramIndex) match(text string, p int, h uint, state []uint8) {
	for _, id := range g.ids[g.start[h]:g.start[h+1]] {
		lit := g.lits[id]
		if state[id] != litIn && p+len(lit) <= len(text) && equalLowerASCII(text[p:p+len(lit)], lit) {
			state[id] = litIn
		}
	}
}
