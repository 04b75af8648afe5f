package exec

import "math/bits"

// gramIndex answers, in one walk over a record, which of a pass's
// literals of three bytes or more the record holds (ASCII case folded, as
// foldLiteral.in searches): the way a pass with many literals fills its
// memo (literalMemo.reset), instead of a search per literal asked.
//
// Each literal is filed under the hash of one of its grams of three
// bytes: the one a sample record (the one at hand when the index is made,
// prefilters.gramIndex) holds least often, as a literal search picks its
// anchor byte ("acc" starts "accessdenied" and is in every CloudTrail
// record's accountId; "den" is not). The walk
// hashes the record's folded bytes at each position and tests the hash
// in a bitmap of the literals' grams, 2 KB that stay in the L1 cache;
// only where the bit is set are the literals filed under that hash
// compared, each where its gram would put its start. Where the processor
// has AVX2, a filter (gramFilter) first gives the few positions worth
// hashing, 32 at a time; a literal is then filed under whichever of its
// grams the sample holds least often that lets the filter's buckets
// take the fewest positions (planGramFilter).
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
// under its gram that sample holds least often (the first on a tie, or
// the one its filter plans where it has one); a literal under three bytes is not filed (indexed reports which are). Nil
// past 65,535 literals, which its ids cannot number.
func newGramIndex(lits []string, sample string) *gramIndex {
	if !gramFilterOn {
		return buildGramIndex(lits, sample, 0)
	}
	return buildGramIndex(lits, sample, 1.0/maxCandidateRate)
}

// buildGramIndex is newGramIndex with a candidate filter where the
// filter planned for the literals (planGramFilter) lets through at most
// maxRate of the positions by its estimate: the literals are then filed
// under the grams of the windows the plan chose.
func buildGramIndex(lits []string, sample string, maxRate float64) *gramIndex {
	if len(lits) > 0xffff {
		return nil
	}
	inSample := make([]int32, gramBuckets)
	for i := 2; i < len(sample); i++ {
		inSample[gramHash(uint(foldTable[sample[i-2]]), uint(foldTable[sample[i-1]]), uint(foldTable[sample[i]]))]++
	}
	g := &gramIndex{lits: make([]string, len(lits)), at: make([]int, len(lits)), start: make([]uint16, gramBuckets+1)}
	var filed []int // the ids of the literals filed
	for id, lit := range lits {
		if len(lit) < 3 {
			continue
		}
		g.lits[id] = lit
		filed = append(filed, id)
		for k, best := 0, int32(-1); k+3 <= len(lit); k++ {
			if n := inSample[g.hashAt(id, k)]; best < 0 || n < best {
				best, g.at[id] = n, k
			}
		}
	}
	if maxRate > 0 && len(filed) > 0 {
		options := make([][]filterOption, len(filed))
		for i, id := range filed {
			options[i] = g.filterOptions(id, inSample)
		}
		if choice, f, rate := planGramFilter(options, sample); f != nil && rate <= maxRate {
			g.filter = f
			for i, id := range filed {
				g.at[id] = options[i][choice[i]].at
			}
		}
	}
	bucket := make([]uint, len(lits))
	count := make([]uint16, gramBuckets)
	for _, id := range filed {
		h := g.hashAt(id, g.at[id])
		g.bits[h>>6] |= 1 << (h & 63)
		bucket[id] = h
		count[h]++
	}
	for h := range count {
		g.start[h+1] = g.start[h] + count[h]
	}
	g.ids = make([]uint16, g.start[gramBuckets])
	next := append([]uint16(nil), g.start...)
	for _, id := range filed {
		h := bucket[id]
		g.ids[next[h]] = uint16(id)
		next[h]++
	}
	return g
}

// hashAt is the hash of literal id's gram at k.
func (g *gramIndex) hashAt(id, k int) uint {
	lit := g.lits[id]
	return gramHash(uint(foldTable[lit[k]]), uint(foldTable[lit[k+1]]), uint(foldTable[lit[k+2]]))
}

// filterOptions are the windows literal id may be filed under with a
// filter, the first the one it is filed under without (g.at[id]): each
// of its grams that the sample holds no more often than that one, so
// the exact tests that find the gram stay as few, with the literal's
// byte after it.
func (g *gramIndex) filterOptions(id int, inSample []int32) []filterOption {
	lit, least := g.lits[id], inSample[g.hashAt(id, g.at[id])]
	var opts []filterOption
	for k := 0; k+3 <= len(lit); k++ {
		if inSample[g.hashAt(id, k)] == least {
			opts = append(opts, filterOption{window: foldWindow(lit, k), at: k})
		}
	}
	return opts
}

// foldWindow is lit's window at k, folded: its gram at k and the byte
// after it where there is one.
func foldWindow(lit string, k int) string {
	w := []byte(lit[k:min(k+4, len(lit))])
	for i, c := range w {
		w[i] = foldTable[c]
	}
	return string(w)
}

// windows are the grams the literals are filed under, each with the
// literal's byte after it where there is one, folded: what the filter
// looks for (gramFilter).
func (g *gramIndex) windows() []string {
	var windows []string
	for id, lit := range g.lits {
		if lit != "" {
			windows = append(windows, foldWindow(lit, g.at[id]))
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
