package event

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"strings"
)

// The planned extracting scan. fastScan, the extracting scan of a record
// that a search may match, built the flattened name of every value at a
// level the need reaches (each key of the top-level object, of
// userIdentity, ...), asked the matcher about each of them by a call,
// and passed each leaf wanted through an interface to the timestamp
// finder and the fields, which looked the name up again among the fields
// found so far. That made it cost two to three times the validating
// scan (quickScan) of the same record. The planned scan knows the need's names before the first
// record: a scanPlan files, for each object the need can reach, the keys
// that lead to a name or a nested object of it, by length and first and
// last 8 bytes. The scan (extractCursor.run, quickCursor's loop with one
// more thing to keep, the plan's node of each level) compares a key only
// when a key of its length leads somewhere from its object, builds no
// name, and hands back only the values wanted, with the index of their
// name: the name's string, its hash for the fields' table and its slot
// among the fields found are ready for it.

// scanPlan is a need's names (and the time fields) prepared for the
// planned scan (newScanPlan).
type scanPlan struct {
	// names are the leaves reported, by index; hashes are their hashes in
	// Fields' table (maphash with seed).
	names  []string
	hashes []uint64
	// stamps has, for each name, bit j set when it is time field j of
	// the stamp finder.
	stamps []uint8
	// nodes are the objects and arrays whose values can be wanted, by
	// flattened name: nodes[0] the record (the top-level object), then
	// one for each container path of the matcher.
	nodes []planNode
	// keys is an open-addressing table over (node, key): the key's text
	// (its first and last 8 bytes, the middle words in words) and where
	// it leads. Its size is a power of two, 1<<(64-shift). tags, beside
	// it, has 16 more bits of each key's hash (keySlot), never 0 but for
	// an empty slot: a probe reads this small array (1 KB for the 59
	// ESCU CloudTrail detections' names), and keys only for the key
	// that is most likely there. Read from keys at once, a probe missed
	// the processor's first cache about as often as not.
	keys  []planKey
	tags  []uint16
	words []uint64
	shift uint8
	// paths are the keys' texts, for the look-up of a key written with
	// escapes (scanPlan.find).
	paths map[planPath]planTarget
}

// planNode is an object or array the need reaches.
type planNode struct {
	// lens has bit n set when a key of n bytes (63 for 63 and more) is
	// filed for the node: a key of another length leads nowhere.
	lens uint64
	// elem is where an array's elements lead (path + "{}").
	elem planTarget
}

// planTarget is where a value's flattened name leads: name is the index
// of the name it is, node that of the container it is, each -1 for none.
type planTarget struct {
	name, node int32
}

var noTarget = planTarget{-1, -1}

// planKey is one key of one node in scanPlan.keys.
type planKey struct {
	node, n    int32
	head, tail uint64
	words      int32 // index in scanPlan.words of the key's middle words
	to         planTarget
}

// planPath is a key of a node, as scanPlan.paths files it.
type planPath struct {
	node int32
	key  string
}

// newScanPlan prepares m for the planned scan, with stampNames the time
// fields whose first values the scan also keeps. It returns nil for a
// matcher the planned scan does not serve: one that reports every leaf,
// enters every container, or has prefixes (whose names are built from
// the path as it goes).
func newScanPlan(m *matcher, stampNames []string) *scanPlan {
	if m == nil || m.containers == nil || len(m.prefixes) > 0 {
		return nil
	}
	pl := &scanPlan{paths: map[planPath]planTarget{}}
	nameIdx := map[string]int32{}
	for _, n := range sortedNames(m.names) {
		nameIdx[n] = int32(len(pl.names))
		pl.names = append(pl.names, n)
		pl.hashes = append(pl.hashes, maphash.String(seed, n))
	}
	pl.stamps = make([]uint8, len(pl.names))
	for j, n := range stampNames {
		if i, ok := nameIdx[n]; ok && j < 8 {
			pl.stamps[i] |= 1 << j
		}
	}
	containers := sortedNames(m.containers)
	nodeIdx := map[string]int32{}
	for i, c := range containers {
		nodeIdx[c] = int32(i + 1)
	}
	target := func(path string) planTarget {
		t := noTarget
		if i, ok := nameIdx[path]; ok {
			t.name = i
		}
		if i, ok := nodeIdx[path]; ok {
			t.node = i
		}
		return t
	}
	// Every path a key can lead to from a node: the names and the
	// containers.
	all := slices.Concat(pl.names, containers)
	slices.Sort(all)
	all = slices.Compact(all)
	pl.nodes = make([]planNode, len(containers)+1)
	for node := range pl.nodes {
		prefix := ""
		if node > 0 {
			prefix = containers[node-1] + "."
			pl.nodes[node].elem = target(containers[node-1] + "{}")
		}
		for _, path := range all {
			if !strings.HasPrefix(path, prefix) {
				continue
			}
			to := target(path)
			if path == "" {
				// A top-level key "" would name a field "", which no
				// field can be (scanner.leafWanted).
				to.name = -1
			}
			pl.paths[planPath{int32(node), path[len(prefix):]}] = to
		}
	}
	size := 8
	for size < 2*len(pl.paths) {
		size *= 2
	}
	pl.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	pl.keys, pl.tags = make([]planKey, size), make([]uint16, size)
	// Filed in a fixed order, so that a plan's table is the same from
	// run to run.
	paths := make([]planPath, 0, len(pl.paths))
	for p := range pl.paths {
		paths = append(paths, p)
	}
	slices.SortFunc(paths, func(a, b planPath) int {
		if a.node != b.node {
			return int(a.node - b.node)
		}
		return strings.Compare(a.key, b.key)
	})
	for _, p := range paths {
		head, tail := keyWords(p.key)
		e := planKey{node: p.node, n: int32(len(p.key)), head: head, tail: tail, words: int32(len(pl.words)), to: pl.paths[p]}
		for off := 8; off < len(p.key)-8; off += 8 {
			pl.words = append(pl.words, load64(p.key, off))
		}
		pl.nodes[p.node].lens |= lenBit(len(p.key))
		i, tag := keySlot(head, len(p.key), p.node, pl.shift)
		for ; pl.tags[i] != 0; i = (i + 1) & uint64(size-1) {
		}
		pl.keys[i], pl.tags[i] = e, tag
	}
	return pl
}

// keyWords is a key's first 8 bytes (zero beyond a shorter key) and its
// last 8 (zero for a key shorter than 8), little-endian.
func keyWords(key string) (head, tail uint64) {
	if len(key) >= 8 {
		return load64(key, 0), load64(key, len(key)-8)
	}
	for i := len(key) - 1; i >= 0; i-- {
		head = head<<8 | uint64(key[i])
	}
	return head, 0
}

// keySlot is where a key of n bytes whose first 8 are head is filed for
// node in a table of 1<<(64-shift) slots (shift <= 48), and its tag: the
// 16 bits of its hash below those of the slot, with the lowest set.
func keySlot(head uint64, n int, node int32, shift uint8) (slot uint64, tag uint16) {
	h := (head ^ uint64(n) ^ uint64(node)<<32) * 0x9e3779b97f4a7c15
	return h >> shift, uint16(h>>(shift-16)) | 1
}

// find is where key (unescaped) leads from node: the look-up of a key
// written with escapes, which extractCursor.run hands back.
func (pl *scanPlan) find(node int32, key string) planTarget {
	if t, ok := pl.paths[planPath{node, key}]; ok {
		return t
	}
	return noTarget
}

// extractCursor is the planned scan's state between the rounds of its
// loop (extractCursor.run), as quickCursor is quickScan's: run hands back
// what is rare, the value of a name and a key written with escapes at a
// level the plan reaches.
type extractCursor struct {
	i       int    // the byte being read
	p       int    // the last stop taken
	cw      int    // the word of stops that cm is
	cm      uint64 // the stops of word cw not taken yet
	depth   int
	objects uint64 // bit d set: level d+1 is an object
	escAt   int    // the last escape read
	// tracked is the deepest level whose node is known: levels 1 to
	// tracked are containers the plan has (level d's node in
	// nodes[d-1]), deeper ones lead nowhere.
	tracked int
	nodes   [64]int32 // level d's at d-1
	// lead is where the value being read leads: its name to report a
	// leaf under, its node to track a container by.
	lead  planTarget
	start int // the start of the value being read
	// The value run reports (extValue): its name, kind and span, without
	// the quotes of a string.
	name      int32
	kind      leafKind
	from, end int
	esc       bool
	at        int // where run resumes: atOpen, atAfterKey or atClosed
}

// What extractCursor.run hands back, besides quickFail and quickDone.
const (
	extKey   = quickValue + 1 + iota // a key with escapes at a tracked level: quotes at q.i and q.p
	extValue                         // a leaf of a name: q.name, q.kind, q.from, q.end, q.esc
)

// run reads s from where q is, to the end of s or to what the planned
// scan's driver must do (see extractCursor). It is quickCursor.run with
// the plan's nodes kept for the levels it reaches, its keys compared
// there, and the values of names handed back; as there, some steps are
// written out more than once, so that the loop makes no call.
func (q *extractCursor) run(s string, stops []uint64, pl *scanPlan) (what int) {
	lim := len(s)
	i, p, cw, cm := q.i, q.p, q.cw, q.cm
	to := q.lead
	inObject := q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	// lens is the lengths of the keys filed for the level being read
	// (planNode.lens), none when it is not tracked: kept here, it is the
	// one thing a key is tested against before its length rules it out.
	var lens uint64
	if q.depth > 0 && q.depth == q.tracked {
		lens = pl.nodes[q.nodes[(q.depth-1)&63]].lens
	}
	var c byte
	switch q.at {
	case atOpen:
		goto open
	case atAfterKey:
		goto afterKey
	}
	goto closed

open: // at '{' or '[', to where it leads
	if q.depth == 64 {
		return quickFail
	}
	c = s[i]
	q.depth++
	inObject = c == '{'
	if inObject {
		q.objects |= 1 << (uint(q.depth-1) & 63)
	} else {
		q.objects &^= 1 << (uint(q.depth-1) & 63)
	}
	lens = 0
	if to.node >= 0 {
		q.tracked = q.depth
		q.nodes[(q.depth-1)&63] = to.node
		nd := &pl.nodes[to.node]
		lens, to = nd.lens, nd.elem // an array's first element's, if any
	} else {
		to = noTarget
	}
	i++
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return quickFail
	}
	if s[i] == c+2 { // '{'+2 is '}', '['+2 is ']': empty
		i++
		goto close
	}
	if inObject {
		to = noTarget
		goto key
	}
	goto value

key: // at an object key
	if s[i] != '"' {
		return quickFail
	}
	for p <= i {
		for cm == 0 {
			cw++
			cm = stops[cw]
		}
		p = cw<<6 | bits.TrailingZeros64(cm)
		cm &= cm - 1
	}

keyBody: // in a key whose opening quote is s[i], at its stop p
	for {
		if uint(p) >= uint(lim) {
			return quickFail
		}
		if s[p] == '"' {
			break
		}
		if s[p] == '\\' && p+1 < lim && quickEscapes[s[p+1]] != 0 {
			q.escAt = p
			if quickEscapes[s[p+1]] == 2 { // '"' or '\\': a stop
				for cm == 0 {
					cw++
					cm = stops[cw]
				}
				cm &= cm - 1
			}
			for cm == 0 {
				cw++
				cm = stops[cw]
			}
			p = cw<<6 | bits.TrailingZeros64(cm)
			cm &= cm - 1
			continue
		}
		q.at = atKey
		goto special
	}
	to = noTarget
	if q.escAt > i && q.depth == q.tracked { // its length unescaped is not n
		q.at, what = atAfterKey, extKey
		goto save // i and p are the key's quotes
	}
	if n := p - i - 1; lens>>uint(min(n, 63))&1 != 0 {
		node := q.nodes[(q.depth-1)&63]
		var head, tail uint64
		switch {
		case n >= 8:
			head, tail = load64(s, i+1), load64(s, p-8)
		case i+9 <= lim:
			head = load64(s, i+1) & (1<<(uint(n)*8) - 1)
		default:
			for j := p - 1; j > i; j-- {
				head = head<<8 | uint64(s[j])
			}
		}
		mask := uint64(len(pl.tags) - 1)
		k, tag := keySlot(head, n, node, pl.shift)
		for ; pl.tags[k&mask] != 0; k++ {
			if pl.tags[k&mask] != tag {
				continue
			}
			if e := &pl.keys[k&mask]; e.node == node && int(e.n) == n && e.head == head && e.tail == tail {
				w := int(e.words)
				off := 8
				for ; off < n-8; off += 8 {
					if load64(s, i+1+off) != pl.words[w] {
						break
					}
					w++
				}
				if off >= n-8 {
					to = e.to
					break
				}
			}
		}
	}
	i = p + 1

afterKey: // after a key's closing quote
	if i+1 < lim && quickPair(s, i) == ':'|'"'<<8 {
		i++
		q.start = i
		for cm == 0 {
			cw++
			cm = stops[cw]
		}
		cm &= cm - 1
		for cm == 0 {
			cw++
			cm = stops[cw]
		}
		p = cw<<6 | bits.TrailingZeros64(cm)
		cm &= cm - 1
		goto stringBody
	}
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim || s[i] != ':' {
		return quickFail
	}
	i++
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return quickFail
	}

value: // at the first byte of a value, to where it leads
	q.start = i
	switch c = s[i]; {
	case c == '"':
		for p <= i {
			for cm == 0 {
				cw++
				cm = stops[cw]
			}
			p = cw<<6 | bits.TrailingZeros64(cm)
			cm &= cm - 1
		}
		goto stringBody
	case c == '{' || c == '[':
		goto open
	case c == '-' || isDigit(c):
		if c == '-' {
			i++
		}
		switch {
		case i >= lim:
			return quickFail
		case s[i] == '0':
			i++
		case isDigit(s[i]):
			for i++; i < lim && isDigit(s[i]); i++ {
			}
		default:
			return quickFail
		}
		if i < lim && s[i] == '.' {
			i++
			if i >= lim || !isDigit(s[i]) {
				return quickFail
			}
			for i++; i < lim && isDigit(s[i]); i++ {
			}
		}
		if i < lim && s[i]|0x20 == 'e' {
			i++
			if i < lim && (s[i] == '+' || s[i] == '-') {
				i++
			}
			if i >= lim || !isDigit(s[i]) {
				return quickFail
			}
			for i++; i < lim && isDigit(s[i]); i++ {
			}
		}
		q.kind = leafNumber
	case c == 't':
		if i+4 > lim || s[i+1] != 'r' || s[i+2] != 'u' || s[i+3] != 'e' {
			return quickFail
		}
		i += 4
		q.kind = leafTrue
	case c == 'f':
		if i+5 > lim || s[i+1] != 'a' || s[i+2] != 'l' || s[i+3] != 's' || s[i+4] != 'e' {
			return quickFail
		}
		i += 5
		q.kind = leafFalse
	case c == 'n':
		if i+4 > lim || s[i+1] != 'u' || s[i+2] != 'l' || s[i+3] != 'l' {
			return quickFail
		}
		i += 4
		q.kind = leafNull
	default:
		return quickFail
	}
	if to.name >= 0 {
		q.name, q.from, q.end, q.esc = to.name, q.start, i, false
		to = noTarget
		q.at, what = atClosed, extValue
		goto save
	}
	goto closed

stringBody: // in a string value whose opening quote is s[start], at its stop p
	for {
		if uint(p) >= uint(lim) {
			return quickFail
		}
		if s[p] == '"' {
			break
		}
		if s[p] == '\\' && p+1 < lim && quickEscapes[s[p+1]] != 0 {
			q.escAt = p
			if quickEscapes[s[p+1]] == 2 { // '"' or '\\': a stop
				for cm == 0 {
					cw++
					cm = stops[cw]
				}
				cm &= cm - 1
			}
			for cm == 0 {
				cw++
				cm = stops[cw]
			}
			p = cw<<6 | bits.TrailingZeros64(cm)
			cm &= cm - 1
			continue
		}
		q.at = atString
		goto special
	}
	i = p + 1 // past the closing quote
	if to.name >= 0 {
		q.name, q.kind, q.from, q.end, q.esc = to.name, leafString, q.start+1, p, q.escAt > q.start
		to = noTarget
		q.at, what = atClosed, extValue
		goto save
	}
	// A string value, then the next key.
	if inObject && i+1 < lim && quickPair(s, i) == ','|'"'<<8 {
		i++
		for cm == 0 {
			cw++
			cm = stops[cw]
		}
		cm &= cm - 1
		for cm == 0 {
			cw++
			cm = stops[cw]
		}
		p = cw<<6 | bits.TrailingZeros64(cm)
		cm &= cm - 1
		goto keyBody
	}

closed: // after a value, or after a container closed
	if q.depth == 0 {
		if skipSpaces(s, i, lim) != lim {
			return quickFail
		}
		return quickDone
	}
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return quickFail
	}
	c = s[i]
	i++
	switch {
	case c == ',':
		if i < lim && s[i] <= ' ' {
			i = skipSpaces(s, i, lim)
		}
		if i >= lim {
			return quickFail
		}
		if inObject {
			goto key
		}
		to = noTarget
		if q.depth == q.tracked {
			to = pl.nodes[q.nodes[(q.depth-1)&63]].elem
		}
		goto value
	case inObject && c == '}', !inObject && c == ']':
		goto close
	}
	return quickFail

special: // at a stop p in a string that is not its closing quote; back to q.at
	{
		var x int
		if c = s[p]; c == '\\' {
			if p+1 >= lim {
				return quickFail
			}
			switch s[p+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				x = p + 2
			case 'u':
				if p+6 > lim || !isHex(s[p+2]) || !isHex(s[p+3]) || !isHex(s[p+4]) || !isHex(s[p+5]) {
					return quickFail
				}
				x = p + 6
			default:
				return quickFail
			}
			q.escAt = p
		} else {
			// UTF-8, as utf8.DecodeRune accepts it.
			var n int
			switch {
			case c < 0xc2:
				return quickFail
			case c < 0xe0:
				n = 2
			case c < 0xf0:
				n = 3
			case c < 0xf5:
				n = 4
			default:
				return quickFail
			}
			if p+n > lim {
				return quickFail
			}
			lo, hi := byte(0x80), byte(0xbf)
			switch c {
			case 0xe0:
				lo = 0xa0
			case 0xed:
				hi = 0x9f
			case 0xf0:
				lo = 0x90
			case 0xf4:
				hi = 0x8f
			}
			if b := s[p+1]; b < lo || b > hi {
				return quickFail
			}
			for j := p + 2; j < p+n; j++ {
				if s[j]&0xc0 != 0x80 {
					return quickFail
				}
			}
			x = p + n
		}
		for p < x {
			for cm == 0 {
				cw++
				cm = stops[cw]
			}
			p = cw<<6 | bits.TrailingZeros64(cm)
			cm &= cm - 1
		}
	}
	if q.at == atKey {
		goto keyBody
	}
	goto stringBody

close: // after the end of the container at q.depth
	if q.tracked == q.depth {
		q.tracked--
	}
	q.depth--
	inObject = q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	lens = 0
	if q.depth > 0 && q.depth == q.tracked {
		lens = pl.nodes[q.nodes[(q.depth-1)&63]].lens
	}
	goto closed

save: // hand back to the driver, to resume at q.at
	q.i, q.p, q.cw, q.cm = i, p, cw, cm
	q.lead = to
	return what
}

// plannedScan validates raw as one JSON object of valid UTF-8, nested at
// most 64 deep, as quickScan does, and reports the leaves of pl's names
// to the time fields' hits and to f, as fastScan and stampAndFields do:
// the same values, in the same order, under the same names. f must hold
// no field yet. On anything else it returns false, having perhaps filled
// some hits and fields: the caller starts afresh and reads the record the
// careful way. stops are raw's stop bits (stopBits); slots, for the
// index+1 in f.list of each name's field, has room for pl.names.
func plannedScan(raw string, pl *scanPlan, hits *[8]hit, f *Fields, stops []uint64, slots []int32) bool {
	i := skipSpaces(raw, 0, len(raw))
	if i >= len(raw) || raw[i] != '{' {
		return false
	}
	clear(slots)
	q := extractCursor{i: i, p: -1, cm: stops[0], escAt: -1, at: atOpen, lead: planTarget{-1, 0}}
	for {
		switch q.run(raw, stops, pl) {
		case quickDone:
			return true
		case extValue:
			n := q.name
			for m := pl.stamps[n]; m != 0; m &= m - 1 {
				if j := bits.TrailingZeros8(m); !hits[j].ok {
					hits[j] = hit{ok: true, k: q.kind, start: q.from, end: q.end, esc: q.esc}
				}
			}
			f.leafAt(raw, q.kind, q.from, q.end, q.esc, pl.names[n], pl.hashes[n], &slots[n])
		case extKey:
			// s[q.i] and s[q.p] are the key's quotes.
			f.buf = appendUnescaped(f.buf[:0], raw[q.i+1:q.p])
			q.lead = pl.find(q.nodes[(q.depth-1)&63], string(f.buf))
			q.i, q.at = q.p+1, atAfterKey
		default:
			return false
		}
	}
}
