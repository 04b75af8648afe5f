package exec

import (
	"strings"
	"sync"
	"unsafe"
)

// Block anchors: a selective search rules out nearly every record by its
// raw text (911,615 of 912,503 for a Bedrock detection over 1 GB), and
// each record cost a call of the pre-filter, with its setup and its
// search's tails, over about 1.1 KB. Instead, as grep does, the literals
// one of which every record a pass can match must hold (the block
// anchors) are searched for once over the reader's whole block of lines;
// a record that holds no occurrence of any of them, and no backslash (a
// \u escape may spell a literal: prefilters.escaped), is ruled out as
// skip would rule it out, without its call. Only the records with an
// occurrence get skip's full test.

// maxBlockAnchors caps the anchors of a pass: each is a walk over every
// block, and a pass whose plans need more (the 59 ESCU CloudTrail
// detections) keeps its per-record test.
const maxBlockAnchors = 4

// blockAnchors is the pass's block anchors, chosen from the first block
// (chooseBlockAnchors), and each worker's cursor over its block.
type blockAnchors struct {
	once    sync.Once
	lits    []*foldLiteral // nil: no anchors, every record gets skip
	cursors []anchorCursor
}

// anchorCursor walks one worker's block: next[i] is the first position
// at or after the last record asked about where the record holding it
// may need the per-record test for anchor i (nextAnchor), -1 when not
// yet searched for.
type anchorCursor struct {
	lits []*foldLiteral
	pf   *prefilters
	text string
	next []int
	out  func(start, end int) bool // the method value, made once
	_    [64]byte
}

// skipBlock is event.ScanOptions.SkipBlock: for worker w's block of
// lines, the test that rules out, without skip's call, the records that
// hold no block anchor and no backslash; nil when the pass has no
// anchors, or skip is not asked.
func (pf *prefilters) skipBlock(w int, data []byte) func(start, end int) bool {
	if !pf.every || !pairSearch || len(data) == 0 || pf.skipUseless.Load() {
		return nil
	}
	text := unsafe.String(unsafe.SliceData(data), len(data))
	ba := &pf.anchors
	ba.once.Do(func() { pf.chooseBlockAnchors(text) })
	if ba.lits == nil || w >= len(ba.cursors) {
		return nil
	}
	c := &ba.cursors[w]
	c.text = text
	for i := range c.next {
		c.next[i] = -1
	}
	return c.out
}

// ruledOut reports whether data[start:end], a record of the cursor's
// block asked about in order, holds no anchor and no backslash; such a
// record is counted as skip counts the records it rules out.
func (c *anchorCursor) ruledOut(start, end int) bool {
	x := len(c.text)
	for i, f := range c.lits {
		if c.next[i] < start {
			c.next[i] = nextAnchor(c.text, start, f)
		}
		x = min(x, c.next[i])
	}
	if x < end {
		return false
	}
	c.pf.count(true)
	return true
}

// chooseBlockAnchors picks the pass's anchors from block, the first a
// worker reads: per plan, of the sets of literals one of which its
// pre-filter requires (anchorSets), the one whose literals block holds
// least often; the anchors are the union of those. None when a plan has
// no such set, when there would be more than maxBlockAnchors, or when
// they are in more than a quarter of the block's records (their walks
// would then rule out too little to pay).
func (pf *prefilters) chooseBlockAnchors(block string) {
	first := block
	if i := strings.IndexByte(block, '\n'); i >= 0 {
		first = block[:i]
	}
	if len(first) == 0 {
		return
	}
	pf.once.Do(func() { pf.setup(first) }) // the literals' pairs
	hits := map[*foldLiteral]int{}
	count := func(f *foldLiteral) int {
		if n, ok := hits[f]; ok {
			return n
		}
		n := 0
		for x := nextAnchor(block, 0, f); x < len(block); x = nextAnchor(block, x+1, f) {
			n++
		}
		hits[f] = n
		return n
	}
	var lits []*foldLiteral
	for _, p := range pf.plans {
		var best []*foldLiteral
		bestHits := -1
		for _, set := range anchorSets(p) {
			n := 0
			for _, f := range set {
				n += count(f)
			}
			if bestHits < 0 || n < bestHits {
				best, bestHits = set, n
			}
		}
		if best == nil {
			return
		}
		for _, f := range best {
			if len(f.lit) < 2 {
				return
			}
			if !containsLit(lits, f) {
				lits = append(lits, f)
			}
		}
	}
	if len(lits) == 0 || len(lits) > maxBlockAnchors {
		return
	}
	total := 0
	for _, f := range lits {
		total += count(f)
	}
	if records := strings.Count(block, "\n") + 1; total*4 > records {
		return
	}
	pf.anchors.lits = lits
	pf.anchors.cursors = make([]anchorCursor, len(pf.memos))
	for w := range pf.anchors.cursors {
		c := &pf.anchors.cursors[w]
		c.lits, c.pf, c.next = lits, pf, make([]int, len(lits))
		c.out = c.ruledOut
	}
}

func containsLit(lits []*foldLiteral, f *foldLiteral) bool {
	for _, g := range lits {
		if g == f {
			return true
		}
	}
	return false
}

// anchorSets lists sets of literals of a bound pre-filter, each such that
// a text the pre-filter lets through holds one of its literals: a
// literal itself; each set of each term of an AND; for an OR, the union
// of what requiredAny shows of its terms. Nil when it shows none.
func anchorSets(f *prefilter) [][]*foldLiteral {
	switch {
	case f == nil:
		return nil
	case f.op == 'l':
		return [][]*foldLiteral{{f.fold}}
	case f.op == 'a':
		var sets [][]*foldLiteral
		for _, t := range f.terms {
			sets = append(sets, anchorSets(t)...)
		}
		return sets
	case f.op == 'o':
		var set []*foldLiteral
		for _, t := range f.terms {
			sub := anchorSets(t)
			if sub == nil {
				return nil
			}
			for _, g := range sub[0] {
				if !containsLit(set, g) {
					set = append(set, g)
				}
			}
		}
		return [][]*foldLiteral{set}
	}
	return nil
}

// nextAnchor is the first position x >= from of text where the record
// holding x may hold literal f or a \u escape: a backslash at x, or f
// starting at x (ASCII case ignored); len(text) when there is none. The
// positions are walked by the literal's pair (f.p1, f.p2), as pairIndex
// walks a record, with backslashes noted in the same walk.
func nextAnchor(text string, from int, f *foldLiteral) int {
	n := len(f.lit)
	lead := min(from+f.p1, len(text))
	if i := strings.IndexByte(text[from:lead], '\\'); i >= 0 {
		return from + i
	}
	a, b, d := f.lit[f.p1]|0x20, f.lit[f.p2]|0x20, f.p2-f.p1
	for j := from; j+f.p1 < len(text); {
		// s[k] is the byte at p1 of the literal that would start at j+k.
		s := text[j+f.p1:]
		k := anchorIndex(s, a, b, d)
		if k == len(s) {
			break
		}
		x := j + k
		if s[k] == '\\' {
			return x + f.p1
		}
		if x+n <= len(text) && equalLowerASCII(text[x:x+n], f.lit) {
			return x
		}
		j = x + 1
	}
	return len(text)
}

// anchorIndex is the first q of s with s[q] == '\\', or with q+d <
// len(s), s[q]|0x20 == a and s[q+d]|0x20 == b; len(s) when none.
func anchorIndex(s string, a, b byte, d int) int {
	n := len(s) - d // the positions a pair can start at
	q := 0
	if n >= 32 {
		r := anchorBlocks(s, a, b, d, n)
		if r >= 0 {
			return r
		}
		q = ^r
	}
	for ; q < n; q++ {
		if s[q] == '\\' || s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q
		}
	}
	if i := strings.IndexByte(s[q:], '\\'); i >= 0 {
		return q + i
	}
	return len(s)
}

// anchorBlocksGo tests the positions of s in blocks of 32 from 0 while a
// whole block is below n (n+d <= len(s)): the first q with s[q] == '\\',
// or s[q]|0x20 == a and s[q+d]|0x20 == b; else ^q for the first position
// it did not test.
func anchorBlocksGo(s string, a, b byte, d, n int) int {
	end := n &^ 31
	for q := 0; q < end; q++ {
		if s[q] == '\\' || s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q
		}
	}
	return ^end
}
