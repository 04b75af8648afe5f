package exec

import (
	"encoding/binary"
	"strings"
)

// foldLiteral finds a lowercase literal in raw text ASCII-case-insensitively
// without copying the text. Lowercasing each record before a plain search
// cost more than the search itself; instead the search jumps between the
// occurrences of one anchor byte of the literal, in either case, found
// with strings.IndexByte (vectorised), and compares only there. The anchor
// is the literal's byte that is rarest in the data (see chooseAnchor).
type foldLiteral struct {
	lit    string // lowercase
	at     int    // offset of the anchor byte in lit
	lo, up byte   // the anchor byte, lowercase and uppercase (equal when not a letter)
	id     int    // its index among the literals of a pass (prefilter.bind), for literalMemo
	// pair says the literal is found by the pair search (indexFoldPair:
	// pairSearch, and two bytes or more), which tests the bytes at
	// offsets p1 < p2: the anchor and the literal's next rarest byte, or
	// its byte farthest from the anchor before chooseAnchor has counted.
	pair   bool
	p1, p2 int
	// group, when set, is every literal of the pass anchored on the same
	// byte, this one included (prefilters.groupAnchors): a record's
	// occurrences of that byte are walked once for all of them.
	group []*foldLiteral
	// entry is the pair's bytes for a several-pair search, and batch,
	// when set, every literal of the pass searched for with this one in
	// one walk (prefilters.batchPairs, literalMemo.searchPairs).
	entry pairEntry
	batch *pairBatch
	bit   uint32 // the literal's bit in its batch (1 << its index)
}

func newFoldLiteral(lit string) *foldLiteral {
	f := &foldLiteral{lit: lit, pair: pairSearch && len(lit) >= 2}
	f.setAnchor(0)
	return f
}

func (f *foldLiteral) setAnchor(at int) {
	f.at, f.lo, f.up = at, f.lit[at], f.lit[at]
	if c := f.lo; c-'a' < 26 {
		f.up = c - ('a' - 'A')
	}
	other := 0
	if at < len(f.lit)/2 {
		other = len(f.lit) - 1
	}
	f.setPair(at, other)
}

func (f *foldLiteral) setPair(x, y int) {
	f.p1, f.p2 = min(x, y), max(x, y)
	f.entry = newPairEntry(f.lit[f.p1]|0x20, f.lit[f.p2]|0x20, f.p2-f.p1)
}

// chooseAnchor makes the anchor the literal's byte (in either case) that
// occurs least often in sample, a record of the data being searched: in
// CloudTrail 'z' is in every record (amazonaws.com), so no fixed ranking
// of letters serves all inputs.
func (f *foldLiteral) chooseAnchor(freq *[256]int) {
	count := func(c byte) int {
		n := freq[c]
		if c-'a' < 26 {
			n += freq[c-('a'-'A')]
		}
		return n
	}
	best, bestCount := 0, -1
	for i := 0; i < len(f.lit); i++ {
		if n := count(f.lit[i]); bestCount < 0 || n < bestCount {
			best, bestCount = i, n
		}
	}
	f.setAnchor(best)
	// The pair search's second byte: the rarest other byte value.
	second, secondCount := -1, -1
	for i := 0; i < len(f.lit); i++ {
		if c := f.lit[i]; c != f.lit[best] {
			if n := count(c); secondCount < 0 || n < secondCount {
				second, secondCount = i, n
			}
		}
	}
	if second >= 0 {
		f.setPair(best, second)
	}
}

// in reports whether text contains the literal, ignoring ASCII case.
func (f *foldLiteral) in(text string) bool {
	n := len(f.lit)
	if len(text) < n {
		return false
	}
	if f.pair {
		at, _ := f.pairIndex(text)
		return at >= 0
	}
	// Anchor positions p with f.at <= p < end leave room for the literal.
	end := len(text) - n + f.at + 1
	if f.lo == f.up {
		for p := f.at; p < end; p++ {
			i := strings.IndexByte(text[p:end], f.lo)
			if i < 0 {
				return false
			}
			p += i
			if equalLowerASCII(text[p-f.at:p-f.at+n], f.lit) {
				return true
			}
		}
		return false
	}
	// The next occurrence of each case at or after p, found lazily: a
	// record holds the literal's bytes in one case far more often than in
	// both, so each is searched for about once.
	nextLo, nextUp := -1, -1
	for p := f.at; p < end; p++ {
		if nextLo < p {
			nextLo = indexFrom(text[:end], f.lo, p)
		}
		if nextUp < p {
			nextUp = indexFrom(text[:end], f.up, p)
		}
		p = min(nextLo, nextUp)
		if p == end {
			return false
		}
		if equalLowerASCII(text[p-f.at:p-f.at+n], f.lit) {
			return true
		}
	}
	return false
}

// indexFrom is the index of c in s at or after from, len(s) when none.
func indexFrom(s string, c byte, from int) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

// equalLowerASCII reports whether s, with A-Z lowercased, equals lower.
func equalLowerASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if c-'A' < 26 {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// pairIndex is index by indexFoldPair: the candidates, where the bytes
// at p1 and p2 match, come in order, and the first whose whole literal
// matches is the first occurrence. len(text) >= len(f.lit) >= 2. When
// there is none, noEsc reports that text is known to hold no backslash:
// the first search went through it all, and no candidate came up.
func (f *foldLiteral) pairIndex(text string) (at int, noEsc bool) {
	n := len(f.lit)
	d := f.p2 - f.p1
	a, b := f.lit[f.p1]|0x20, f.lit[f.p2]|0x20
	// t[j] is the byte at p1 of the literal that would start at j.
	end := len(text) - (n - 1 - f.p2)
	t := text[f.p1:end]
	for j := 0; ; j++ {
		k, esc := indexFoldPair(t[j:], a, b, d)
		if k < 0 {
			// t is text but for its first p1 bytes and last n-1-p2.
			noEsc = j == 0 && !esc && strings.IndexByte(text[:f.p1], '\\') < 0 && strings.IndexByte(text[end:], '\\') < 0
			return -1, noEsc
		}
		j += k
		if equalLowerASCII(text[j:j+n], f.lit) {
			return j, false
		}
	}
}

// inNoEsc is in that also reports, when the literal is not in text,
// whether text is known to hold no backslash (pairIndex).
func (f *foldLiteral) inNoEsc(text string) (in, noEsc bool) {
	if f.pair && len(text) >= len(f.lit) {
		at, noEsc := f.pairIndex(text)
		return at >= 0, noEsc
	}
	return f.in(text), false
}

// index is the offset of the first occurrence of the literal in text,
// ignoring ASCII case, -1 when there is none.
func (f *foldLiteral) index(text string) int {
	n := len(f.lit)
	if len(text) < n {
		return -1
	}
	if f.pair {
		at, _ := f.pairIndex(text)
		return at
	}
	end := len(text) - n + f.at + 1
	for p := f.at; p < end; {
		lo := indexFrom(text[:end], f.lo, p)
		if f.up != f.lo {
			lo = min(lo, indexFrom(text[:lo], f.up, p))
		}
		if lo == end {
			return -1
		}
		if equalLowerASCII(text[lo-f.at:lo-f.at+n], f.lit) {
			return lo - f.at
		}
		p = lo + 1
	}
	return -1
}

// isASCII reports whether s has only ASCII bytes, eight at a time.
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiParts reports whether the literal parts of a case-insensitive
// pattern are ASCII, making their case-folded searches (folds) once.
// Over ASCII text, lowercasing then searching equals searching with ASCII
// case folding, so matchTermFold need not copy the text.
func (p *pattern) asciiParts() bool {
	p.foldOnce.Do(func() {
		for _, part := range p.parts {
			if !isASCII(part) {
				return
			}
		}
		for _, part := range p.parts {
			p.folds = append(p.folds, newFoldLiteral(part))
		}
		p.foldOK = true
	})
	return p.foldOK
}

// matchTermFold is matchTerm over ASCII text, ignoring case as it does,
// without lowercasing the text: letters are never breakers, so the
// boundaries are the same.
func matchTermFold(text string, kw *pattern, major bool) bool {
	boundary := func(c byte) bool {
		if major {
			return isMajor(c)
		}
		return isMajor(c) || isMinor(c)
	}
	if len(kw.parts) == 0 {
		return false
	}
	first := kw.folds[0]
	for start := 0; start <= len(text)-len(first.lit); {
		i := first.index(text[start:])
		if i < 0 {
			return false
		}
		i += start
		start = i + 1
		if !kw.leading && i > 0 && !boundary(text[i-1]) {
			continue
		}
		if end, ok := matchRestFold(text, i+len(first.lit), kw.folds[1:], kw.trailing); ok {
			if kw.trailing || end == len(text) || boundary(text[end]) {
				return true
			}
		}
	}
	return false
}

// matchRestFold is matchRest with ASCII case folding.
func matchRestFold(text string, pos int, parts []*foldLiteral, trailing bool) (int, bool) {
	for _, part := range parts {
		j := part.index(text[pos:])
		if j < 0 {
			return 0, false
		}
		for k := pos; k < pos+j; k++ {
			if isMajor(text[k]) {
				return 0, false
			}
		}
		pos += j + len(part.lit)
	}
	if trailing {
		for pos < len(text) && !isMajor(text[pos]) {
			pos++
		}
	}
	return pos, true
}

// matchFold is match over ASCII s, ignoring ASCII case in place of
// lowercasing a copy of s (p.folds: asciiParts).
func (p *pattern) matchFold(s string) bool {
	if len(p.parts) == 0 {
		return s == ""
	}
	folds := p.folds
	if !p.leading {
		first := folds[0].lit
		if len(s) < len(first) || !equalLowerASCII(s[:len(first)], first) {
			return false
		}
		s = s[len(first):]
		folds = folds[1:]
		if len(folds) == 0 {
			return p.trailing || s == ""
		}
	}
	last := len(folds) - 1
	for i, f := range folds {
		if i == last && !p.trailing {
			return len(s) >= len(f.lit) && equalLowerASCII(s[len(s)-len(f.lit):], f.lit)
		}
		j := f.index(s)
		if j < 0 {
			return false
		}
		s = s[j+len(f.lit):]
	}
	return true
}
