package exec

import (
	"cmp"
	"math/bits"
	"slices"
)

// gramFilter tells, 32 positions at a time, where a record may hold one
// of a gram index's literals: Teddy, the candidate filter of Hyperscan
// and of Rust's aho-corasick crate. Each literal's window, the gram it
// is filed under and the literal's byte after it (none for a gram that
// ends the literal), is put in one of 16 buckets; for each of a
// window's four bytes, a table by low nibble and one by high nibble
// give the buckets whose windows may have a byte there, and a position
// is a candidate when some bucket is in all eight lookups of the four
// bytes that start there. A vector byte shuffle (VPSHUFB) does 32
// lookups at once, so the walk costs a fraction of a nanosecond a byte
// instead of the 1.1 ns of folding, hashing and testing at each position
// (gramIndex.scan); the exact test then runs at the candidates only.
// The fourth byte halves the candidates of the 59 ESCU CloudTrail
// detections' literals, and spares a third of the exact tests that find
// the gram but not the literal (BenchmarkGramScanPass).
//
// A candidate is only a candidate: a bucket takes every byte whose low
// nibble is one of its windows' and whose high nibble is one of its
// windows' (for "dele" and "gets", also "gele" and "dets"). Every
// position where a literal's window starts is one, so every position
// where a literal's gram starts and the literal may be.
type gramFilter struct {
	// tab[g][k][0] are the low-nibble and tab[g][k][1] the high-nibble
	// lookups for byte k of a window, of buckets 8g to 8g+7 (a bit each).
	// The high nibbles 4 and 5 take the buckets of 6 and 7: an upper
	// case letter is a candidate where its lower case is, with no
	// folding of the text (the grams are folded). '@' and '[' to '_' are
	// then candidates where '`' and '{' to DEL are too: rare false
	// candidates, never a missed one. A window of three bytes takes any
	// fourth.
	tab [2][4][2][16]uint8
}

// gramFilterBlock is how many positions gramBlocks tests a call: 32 a
// mask, in 32 masks (gramBlocks' masks array) on the caller's stack.
const gramFilterBlock = 32 * 32

// maxFilterWindows and maxCandidateRate: a filter is built for at most
// maxFilterWindows distinct windows (the buckets of more take nearly every
// letter), and kept when its estimate (sampleModel) puts its candidates
// at most at one position in maxCandidateRate. The estimate runs close
// to the real rate on CloudTrail (1 in 121 estimated, 1 in 126 real, for
// the 59 ESCU CloudTrail detections' literals over the first 2,000
// records of a real file; 1 in 122 and 1 in 163 over cloudTrailRecords);
// at 1 in 3 real the filtered walk still about matches the plain one
// (BenchmarkGramScanPass and the like, with 30 to 256 grams of the ESCU
// CloudTrail detections' literals). Planning the filter of the 59's 163
// literals takes about 4 to 5 ms, once a pass.
const (
	maxFilterWindows = 256
	maxCandidateRate = 4
)

// nibbleSets are the low and the high nibbles a bucket takes at each
// byte of its windows, as bits.
type nibbleSets struct{ lo, hi [4]uint16 }

func (a nibbleSets) union(b nibbleSets) nibbleSets {
	for k := range a.lo {
		a.lo[k] |= b.lo[k]
		a.hi[k] |= b.hi[k]
	}
	return a
}

// newGramFilter puts windows (folded, of three or four bytes) in 16
// buckets, and returns the filter and its expected share of candidate
// positions in text like sample (sampleModel.rate); nil when there are
// more than maxFilterWindows distinct windows. It is planGramFilter
// with one window a literal.
func newGramFilter(windows []string, sample string) (*gramFilter, float64) {
	options := make([][]filterOption, len(windows))
	for i, w := range windows {
		options[i] = []filterOption{{window: w}}
	}
	_, f, rate := planGramFilter(options, sample)
	return f, rate
}

// filterOption is one of a literal's windows (folded), at its offset
// in the literal.
type filterOption struct {
	window string
	at     int
}

// planGramFilter chooses for each literal one of its options and puts
// the windows chosen in 16 buckets, so that the buckets take few
// positions of text like sample: it returns the option chosen for each
// literal (by index in options[i]), the filter and its expected share
// of candidate positions. Nil when more than maxFilterWindows distinct
// windows are chosen. Each literal has one option or more.
//
// Each literal first takes its first option (the window it would have
// without a plan); the distinct windows are then merged, two at a time,
// the two whose union adds the fewest expected candidates, until 16
// buckets are left: windows that share nibbles, or whose nibbles are
// rare, end up together ("dele" with "desc"; ".ama", whose bytes are in
// every record, alone).
// Last, each literal in turn moves to the option and bucket that cost
// least with the others as they are, for a few rounds: a long literal
// takes the window whose nibbles its bucket already has. Starting from
// the plain windows matters: starting each literal from its window
// that alone takes the fewest positions plans 1 in 85 candidates of the
// 59 ESCU CloudTrail detections' literals over 2,000 real records, and
// raises the compares by half (literals that share a gram); from the
// plain windows, 1 in 126 and as many compares as without a plan.
func planGramFilter(options [][]filterOption, sample string) ([]int, *gramFilter, float64) {
	m := newSampleModel(sample)
	choice := make([]int, len(options))
	windows := map[string][]int{} // the literals choosing each window
	var order []string
	// kept[i] are the options of literal i that the moves try: its
	// first and the maxOptions-1 others cheapest alone.
	kept := make([][]int, len(options))
	for i, opts := range options {
		alone := make([]float64, len(opts))
		for o, opt := range opts {
			alone[o] = m.rate(windowSets(opt.window)).sum()
			kept[i] = append(kept[i], o)
		}
		slices.SortStableFunc(kept[i][1:], func(a, b int) int { return cmp.Compare(alone[a], alone[b]) })
		kept[i] = kept[i][:min(len(kept[i]), maxOptions)]
		choice[i] = 0
		w := opts[choice[i]].window
		if windows[w] == nil {
			order = append(order, w)
		}
		windows[w] = append(windows[w], i)
	}
	if len(order) > maxFilterWindows {
		return nil, nil, 1
	}

	// The buckets, by merging. A merge's cost is first only bounded
	// below (by the estimate from byte frequencies and the larger of
	// the two sets' seen shares: a union takes every position either
	// takes); it is worked out when it is the least.
	sets := make([]nibbleSets, len(order))
	members := make([][]int, len(order))
	rates := make([]estimate, len(order))
	for i, w := range order {
		sets[i], members[i] = windowSets(w), windows[w]
		rates[i] = m.rate(sets[i])
	}
	type mergeCost struct {
		cost  float64
		exact bool
	}
	bound := func(i, j int) mergeCost {
		return mergeCost{m.indep(sets[i].union(sets[j])) + max(rates[i].seen, rates[j].seen) - rates[i].sum() - rates[j].sum(), false}
	}
	// cost[i][j], i < j: what merging sets i and j adds.
	cost := make([][]mergeCost, len(sets))
	for i := range sets {
		cost[i] = make([]mergeCost, len(sets))
		for j := i + 1; j < len(sets); j++ {
			cost[i][j] = bound(i, j)
		}
	}
	alive := make([]bool, len(sets))
	for i := range alive {
		alive[i] = true
	}
	// rowMin[i] is the j > i of the least cost[i][j], or -1.
	rowMin := make([]int, len(sets))
	row := func(i int) {
		rowMin[i] = -1
		for j := i + 1; j < len(sets); j++ {
			if alive[j] && (rowMin[i] < 0 || cost[i][j].cost < cost[i][rowMin[i]].cost) {
				rowMin[i] = j
			}
		}
	}
	for i := range sets {
		row(i)
	}
	for left := len(sets); left > 16; left-- {
		bi, bj := -1, -1
		for {
			bi = -1
			for i := range sets {
				if alive[i] && rowMin[i] >= 0 && (bi < 0 || cost[i][rowMin[i]].cost < cost[bi][rowMin[bi]].cost) {
					bi = i
				}
			}
			bj = rowMin[bi]
			if cost[bi][bj].exact {
				break
			}
			cost[bi][bj] = mergeCost{m.rate(sets[bi].union(sets[bj])).sum() - rates[bi].sum() - rates[bj].sum(), true}
			row(bi) // the cost only grew
		}
		sets[bi] = sets[bi].union(sets[bj])
		members[bi] = append(members[bi], members[bj]...)
		rates[bi] = m.rate(sets[bi])
		alive[bj] = false
		for j := range sets {
			if alive[j] && j != bi {
				i, k := min(bi, j), max(bi, j)
				cost[i][k] = bound(i, k)
			}
		}
		row(bi)
		for i := range bi {
			if alive[i] && (rowMin[i] == bi || rowMin[i] == bj || rowMin[i] >= 0 && cost[i][bi].cost < cost[i][rowMin[i]].cost) {
				row(i)
			}
		}
		for i := bi + 1; i < bj; i++ {
			if alive[i] && rowMin[i] == bj {
				row(i)
			}
		}
	}
	var buckets [16][]int // literals
	bucketOf := make([]int, len(options))
	b := 0
	for i := range sets {
		if alive[i] {
			buckets[b] = members[i]
			for _, l := range members[i] {
				bucketOf[l] = b
			}
			b++
		}
	}
	setOf := func(lits []int, skip int) nibbleSets {
		var s nibbleSets
		for _, l := range lits {
			if l != skip {
				s = s.union(windowSets(options[l][choice[l]].window))
			}
		}
		return s
	}
	var bsets [16]nibbleSets
	var brates [16]estimate
	for b := range buckets {
		bsets[b] = setOf(buckets[b], -1)
		brates[b] = m.rate(bsets[b])
	}

	// The moves, while they gain. A move is first bounded below as a
	// merge is.
	for range moveRounds {
		moved := false
		for l, opts := range options {
			if len(kept[l]) == 1 && len(order) <= 16 {
				continue
			}
			b0 := bucketOf[l]
			without := setOf(buckets[b0], l)
			withoutRate := m.rate(without)
			best := brates[b0].sum() - withoutRate.sum()
			bestB, bestO := b0, choice[l]
			for _, o := range kept[l] {
				opt := opts[o]
				ws := windowSets(opt.window)
				for b := range buckets {
					base, s := brates[b], bsets[b]
					if b == b0 {
						base, s = withoutRate, without
					}
					u := s.union(ws)
					if m.indep(u)+base.seen-base.sum() >= best-1e-12 {
						continue
					}
					if c := m.rate(u).sum() - base.sum(); c < best-1e-12 {
						bestB, bestO, best = b, o, c
					}
				}
			}
			if bestB == b0 && bestO == choice[l] {
				continue
			}
			moved = true
			buckets[b0] = slices.DeleteFunc(buckets[b0], func(x int) bool { return x == l })
			bsets[b0], brates[b0] = without, withoutRate
			choice[l], bucketOf[l] = bestO, bestB
			buckets[bestB] = append(buckets[bestB], l)
			bsets[bestB] = bsets[bestB].union(windowSets(opts[bestO].window))
			brates[bestB] = m.rate(bsets[bestB])
		}
		if !moved {
			break
		}
	}

	f := &gramFilter{}
	total := 0.0
	for b, s := range bsets {
		if len(buckets[b]) > 0 {
			total += brates[b].sum()
			f.put(b, s)
		}
	}
	f.foldHigh()
	return choice, f, total
}

// put makes bucket b of f take s.
func (f *gramFilter) put(b int, s nibbleSets) {
	t := &f.tab[b/8]
	for k := range s.lo {
		for n := range 16 {
			if s.lo[k]&(1<<n) != 0 {
				t[k][0][n] |= 1 << (b % 8)
			}
			if s.hi[k]&(1<<n) != 0 {
				t[k][1][n] |= 1 << (b % 8)
			}
		}
	}
}

// foldHigh makes the high nibbles 4 and 5 take the buckets of 6 and 7,
// once every bucket is in (gramFilter.tab).
func (f *gramFilter) foldHigh() {
	for g := range f.tab {
		for k := range f.tab[g] {
			hi := &f.tab[g][k][1]
			hi[4] |= hi[6]
			hi[5] |= hi[7]
		}
	}
}

// moveRounds is how many times planGramFilter offers each literal a
// move at most, and maxOptions how many of its windows.
const (
	moveRounds = 2
	maxOptions = 6
)

// windowSets are the nibbles of a window (folded, of three or four
// bytes): any byte after a window of three.
func windowSets(w string) nibbleSets {
	s := nibbleSets{lo: [4]uint16{3: 0xffff}, hi: [4]uint16{3: 0xffff}}
	for k := range len(w) { // bytes, not runes
		s.lo[k], s.hi[k] = 1<<(w[k]&15), 1<<(w[k]>>4)
	}
	return s
}

// sampleModel estimates the share of a text's positions that nibble
// sets take, from a sample of such text: the share of the sample's own
// positions they take (which sees the words and the JSON of the
// records: "uest" of requestParameters and "east" of us-east-1, taken by
// a bucket of "rds." and "etus"), plus, for what the sample is too short
// to hold, indepWeight times the share were the bytes independent with
// the sample's frequencies.
type sampleModel struct {
	sample string
	n      int // positions: the sample's bytes with three after them
	// at[c] are the offsets of the sample's bytes c.
	at [256][]int32
	// sums[h][q][b] is the frequency of the sample's bytes (folded) of
	// high nibble h and of the low nibbles 4q to 4q+3 that b has, a bit
	// each. A byte the sample lacks still counts for a little: another
	// record may hold it.
	sums [16][4][16]float64
}

// indepWeight: what the estimate by byte frequencies counts for.
const indepWeight = 1.0

func newSampleModel(sample string) *sampleModel {
	m := &sampleModel{sample: sample, n: max(len(sample)-3, 0)}
	var count [256]int
	for i := 0; i < len(sample); i++ {
		count[sample[i]]++
	}
	offsets, from := make([]int32, len(sample)), 0
	for c, n := range count {
		m.at[c] = offsets[from : from : from+n]
		from += n
	}
	for p := range len(sample) {
		m.at[sample[p]] = append(m.at[sample[p]], int32(p))
	}
	var freq [16][16]float64
	for i := 0; i < len(sample); i++ {
		c := foldTable[sample[i]]
		freq[c>>4][c&15]++
	}
	for h := range m.sums {
		for q := range m.sums[h] {
			t := &m.sums[h][q]
			for b := 1; b < 16; b++ {
				l := q*4 + bits.TrailingZeros8(uint8(b))
				t[b] = t[b&(b-1)] + (freq[h][l]+0.1)/float64(len(sample)+26)
			}
		}
	}
	return m
}

// byteSet is a set of bytes, a bit each.
type byteSet [4]uint64

func (b *byteSet) has(c byte) bool { return b[c>>6]&(1<<(c&63)) != 0 }

// bytes are the bytes that the filter's tables take at byte k of a
// window for s: a low nibble of s.lo[k] and a high one of s.hi[k], and
// for a high nibble 6 or 7 the same less 0x20 (gramFilter's folding).
func (s nibbleSets) bytes(k int) byteSet {
	var b byteSet
	lo := uint64(s.lo[k])
	for h := s.hi[k]; h != 0; h &= h - 1 {
		hn := bits.TrailingZeros16(h)
		b[hn>>2] |= lo << (hn & 3 * 16)
		if hn == 6 || hn == 7 {
			b[(hn-2)>>2] |= lo << ((hn - 2) & 3 * 16)
		}
	}
	return b
}

// estimate is a sampleModel's share of positions for nibble sets: by
// the bytes' frequencies, and seen in the sample.
type estimate struct{ indep, seen float64 }

func (e estimate) sum() float64 { return e.indep + e.seen }

// indep is the share of positions s takes by byte frequencies, as it
// counts in rate.
func (m *sampleModel) indep(s nibbleSets) float64 {
	r := indepWeight
	for k, lo := range s.lo {
		f := 0.0
		for h := s.hi[k]; h != 0; h &= h - 1 {
			t := &m.sums[bits.TrailingZeros16(h)]
			f += t[0][lo&15] + t[1][lo>>4&15] + t[2][lo>>8&15] + t[3][lo>>12]
		}
		r *= f
	}
	return r
}

// rate is the expected share of positions that s takes.
func (m *sampleModel) rate(s nibbleSets) estimate {
	e := estimate{indep: m.indep(s)}
	if m.n == 0 {
		return e
	}
	// The positions are found by the byte of the window that the
	// fewest of the sample's bytes are taken at.
	var take [4]byteSet
	lead, least := 0, -1
	for k := range take {
		take[k] = s.bytes(k)
		n := 0
		for i, w := range take[k] {
			for ; w != 0 && (least < 0 || n < least); w &= w - 1 {
				n += len(m.at[i*64+bits.TrailingZeros64(w)])
			}
		}
		if least < 0 || n < least {
			lead, least = k, n
		}
	}
	count := 0
	for i, w := range take[lead] {
		for ; w != 0; w &= w - 1 {
			for _, q := range m.at[i*64+bits.TrailingZeros64(w)] {
				p := int(q) - lead
				if p >= 0 && p < m.n && take[0].has(m.sample[p]) && take[1].has(m.sample[p+1]) && take[2].has(m.sample[p+2]) && take[3].has(m.sample[p+3]) {
					count++
				}
			}
		}
	}
	e.seen = float64(count) / float64(m.n)
	return e
}

// may reports whether the four bytes of s from p (as in the text, not
// folded) are a candidate: the filter's answer for one position.
func (f *gramFilter) may(s string, p int) bool {
	m := uint8(0)
	for g := range f.tab {
		b := uint8(0xff)
		for k, t := range &f.tab[g] {
			c := s[p+k]
			b &= t[0][c&15] & t[1][c>>4]
		}
		m |= b
	}
	return m != 0
}

// gramBlocksGo is gramBlocks in Go, the reference the assembly is
// tested against: for the n positions (a multiple of 32, at most
// gramFilterBlock) from from, masks[i] has bit j set when position
// from+32i+j is a candidate. It reads s[from:from+n+3], which must be
// within s.
func gramBlocksGo(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32) {
	for i := 0; i < n/32; i++ {
		var m uint32
		for j := range 32 {
			if f.may(s, from+32*i+j) {
				m |= 1 << j
			}
		}
		masks[i] = m
	}
}
