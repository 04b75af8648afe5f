package exec

import "math/bits"

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
// letter; building it then takes about 10 ms, once a pass), and kept
// when a sample record's byte frequencies put its candidates at most at
// one position in maxCandidateRate. The estimate takes the bytes as
// independent and runs three to six times below the real rate on
// CloudTrail; at 1 in 8 estimated (1 in 3 real) the filtered walk still
// about matches the plain one (BenchmarkGramScanPass and the like, with
// 30 to 256 grams of the ESCU CloudTrail detections' literals).
const (
	maxFilterWindows = 256
	maxCandidateRate = 8
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

// rate is the share of positions the bucket takes, were the bytes
// independent with frequencies freq (by high and low nibble).
func (a nibbleSets) rate(freq *[16][16]float64) float64 {
	r := 1.0
	for k := range a.lo {
		s := 0.0
		for h := a.hi[k]; h != 0; h &= h - 1 {
			row := &freq[bits.TrailingZeros16(h)]
			for l := a.lo[k]; l != 0; l &= l - 1 {
				s += row[bits.TrailingZeros16(l)]
			}
		}
		r *= s
	}
	return r
}

// newGramFilter puts windows (folded, of three or four bytes) in 16
// buckets, and returns the filter and its expected share of candidate
// positions in text with the byte frequencies of sample; nil when there
// are more than maxFilterWindows distinct windows.
//
// The buckets are built by merging, from one per distinct window, the
// two whose union adds the fewest expected candidates, until 16 are
// left: windows that share nibbles, or whose nibbles are rare, end up
// together ("dele" with "desc"; ".ama", whose bytes are in every
// record, alone).
func newGramFilter(windows []string, sample string) (*gramFilter, float64) {
	var sets []nibbleSets
	seen := map[string]bool{}
	for _, w := range windows {
		if seen[w] {
			continue
		}
		seen[w] = true
		s := nibbleSets{lo: [4]uint16{3: 0xffff}, hi: [4]uint16{3: 0xffff}}
		for k := range len(w) { // bytes, not runes
			s.lo[k], s.hi[k] = 1<<(w[k]&15), 1<<(w[k]>>4)
		}
		sets = append(sets, s)
	}
	if len(sets) > maxFilterWindows {
		return nil, 1
	}
	// A byte the sample lacks still counts for a little: another record
	// may hold it.
	var freq [16][16]float64
	for i := 0; i < len(sample); i++ {
		c := foldTable[sample[i]]
		freq[c>>4][c&15]++
	}
	for h := range freq {
		for l := range freq[h] {
			freq[h][l] = (freq[h][l] + 0.1) / float64(len(sample)+26)
		}
	}
	rates := make([]float64, len(sets))
	for i, s := range sets {
		rates[i] = s.rate(&freq)
	}
	// cost[i][j], i < j: what merging sets i and j adds.
	cost := make([][]float64, len(sets))
	for i := range sets {
		cost[i] = make([]float64, len(sets))
		for j := i + 1; j < len(sets); j++ {
			cost[i][j] = sets[i].union(sets[j]).rate(&freq) - rates[i] - rates[j]
		}
	}
	alive := make([]bool, len(sets))
	for i := range alive {
		alive[i] = true
	}
	for left := len(sets); left > 16; left-- {
		bi, bj := -1, -1
		for i := range sets {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < len(sets); j++ {
				if alive[j] && (bi < 0 || cost[i][j] < cost[bi][bj]) {
					bi, bj = i, j
				}
			}
		}
		sets[bi] = sets[bi].union(sets[bj])
		rates[bi] = sets[bi].rate(&freq)
		alive[bj] = false
		for j := range sets {
			if alive[j] && j != bi {
				i, k := min(bi, j), max(bi, j)
				cost[i][k] = sets[bi].union(sets[j]).rate(&freq) - rates[bi] - rates[j]
			}
		}
	}
	f := &gramFilter{}
	total, b := 0.0, 0
	for i, s := range sets {
		if !alive[i] {
			continue
		}
		total += rates[i]
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
		b++
	}
	for g := range f.tab {
		for k := range f.tab[g] {
			hi := &f.tab[g][k][1]
			hi[4] |= hi[6]
			hi[5] |= hi[7]
		}
	}
	return f, total
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
