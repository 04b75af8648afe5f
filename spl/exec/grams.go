package exec

import "math/bits"

// gramIndex answers, in one walk over a record, which of a pass's
// literals of three bytes or more the record holds (ASCII case folded, as
// foldLiteral.in searches): the way a pass with many literals fills its
// memo (literalMemo.reset), instead of a search per literal asked.
//
// Each literal is filed under the hash of one of its grams of three
// bytes: the one a sample record (the first searched) holds least often,
// as a literal search picks its anchor byte ("acc" starts "accessdenied"
// and is in every CloudTrail record's accountId; "den" is not). The walk
// hashes the record's folded bytes at each position and tests the hash
// in a bitmap of the literals' grams, 2 KB that stay in the L1 cache;
// only where the bit is set are the literals filed under that hash
// compared, each where its gram would put its start. Where the processor
// has AVX2, a filter (gramFilter) first gives the few positions worth
// hashing, 32 at a time.
type gramIndex struct {
	bits [gramBuckets / 64]uint64 // the literals' first grams, by gramHash
	// start and ids list the literals filed under each hash:
	// ids[start[h]:start[h+1]].
	start []uint16
	ids   []uint16
	lits  []string // by id: the literals, lowercase; "" for one not filed
	at    []int    // by id: the offset of the gram a literal is filed under
	// filter, where the processor can run it (gramFilterOn) and the
	// grams let it skip most positions, gives the positions the walk
	// tests (scanFiltered).
	filter *gramFilter
}

// gramBuckets is the size of the bitmap; a power of two.
const gramBuckets = 16384

func gramHash(a, b, c uint) uint { return ((a*67+b)*67 + c) & (gramBuckets - 1) }

// newGramIndex files lits (lowercase) by id, their index in lits, each
// under its gram that sample holds least often (the first on a tie); a
// literal under three bytes is not filed (indexed reports which are). Nil
// past 65,535 literals, which its ids cannot number.
func newGramIndex(lits []string, sample string) *gramIndex {
	if len(lits) > 0xffff {
		return nil
	}
	inSample := make([]int32, gramBuckets)
	for i := 2; i < len(sample); i++ {
		inSample[gramHash(uint(foldTable[sample[i-2]]), uint(foldTable[sample[i-1]]), uint(foldTable[sample[i]]))]++
	}
	g := &gramIndex{lits: make([]string, len(lits)), at: make([]int, len(lits)), start: make([]uint16, gramBuckets+1)}
	bucket := make([]uint, len(lits))
	count := make([]uint16, gramBuckets)
	for id, lit := range lits {
		if len(lit) < 3 {
			continue
		}
		g.lits[id] = lit
		var h uint
		for k, best := 0, int32(-1); k+3 <= len(lit); k++ {
			hk := gramHash(uint(foldTable[lit[k]]), uint(foldTable[lit[k+1]]), uint(foldTable[lit[k+2]]))
			if best < 0 || inSample[hk] < best {
				h, best, g.at[id] = hk, inSample[hk], k
			}
		}
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
	if gramFilterOn {
		if f, rate := newGramFilter(g.windows(), sample); f != nil && rate*maxCandidateRate <= 1 {
			g.filter = f
		}
	}
	return g
}

// windows are the grams the literals are filed under, each with the
// literal's byte after it where there is one, folded: what the filter
// looks for (gramFilter).
func (g *gramIndex) windows() []string {
	var windows []string
	for id, lit := range g.lits {
		if lit != "" {
			k := g.at[id]
			w := []byte(lit[k:min(k+4, len(lit))])
			for i, c := range w {
				w[i] = foldTable[c]
			}
			windows = append(windows, string(w))
		}
	}
	return windows
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
	from := 0
	if g.filter != nil {
		from = g.scanFiltered(text, state)
	}
	bits := &g.bits
	a, b := uint(foldTable[text[from]]), uint(foldTable[text[from+1]])
	for i := from + 2; i < len(text); i++ {
		c := uint(foldTable[text[i]])
		if h := gramHash(a, b, c); bits[h>>6]&(1<<(h&63)) != 0 {
			g.match(text, i-2, h, state)
		}
		a, b = b, c
	}
}

// scanFiltered is scan at the positions its filter gives, in rounds of
// 32 while a round's windows are within text (the filter reads four
// bytes at each position): it returns the first position not tested,
// from which scan goes on byte by byte.
func (g *gramIndex) scanFiltered(text string, state []uint8) int {
	var masks [gramFilterBlock / 32]uint32
	end := (len(text) - 3) &^ 31
	for from := 0; from < end; from += gramFilterBlock {
		n := min(end-from, gramFilterBlock)
		gramBlocks(text, from, n, g.filter, &masks)
		for i, m := range masks[:n/32] {
			for ; m != 0; m &= m - 1 {
				p := from + 32*i + bits.TrailingZeros32(m)
				h := gramHash(uint(foldTable[text[p]]), uint(foldTable[text[p+1]]), uint(foldTable[text[p+2]]))
				if g.bits[h>>6]&(1<<(h&63)) != 0 {
					g.match(text, p, h, state)
				}
			}
		}
	}
	return end
}

// match compares the literals filed under hash h where a gram at
// position p puts their start.
func (g *gramIndex) match(text string, p int, h uint, state []uint8) {
	for _, id := range g.ids[g.start[h]:g.start[h+1]] {
		lit, start := g.lits[id], p-g.at[id]
		if state[id] != litIn && start >= 0 && start+len(lit) <= len(text) && equalLowerASCII(text[start:start+len(lit)], lit) {
			state[id] = litIn
		}
	}
}
