package event

import (
	"math/bits"
	"unicode/utf8"
)

// quickFind validates s as a JSON object and collects the values of its
// top-level keys named in names (the time fields) into hits, in one loop
// with a bit stack, as skipContainer does for nested values: no path is
// built, no matcher asked, no call per value. It is the validating scan of
// a record the search has ruled out (ScanOptions.SkipValid), most records
// of a selective search, and of every record read without
// pre-extraction.
//
// It is for speed only: on anything it does not settle at once (invalid
// JSON or UTF-8, nesting deeper than 64, a top-level key written with
// escapes, more than len(hits) names) it returns false, and the caller
// scans the record again the careful way, which finds the exact error or
// the hit. A true result means s is valid UTF-8 (checked where a string
// holds a byte beyond ASCII, so that the caller need not read the record
// once more for it) and one valid JSON object (trailing whitespace
// allowed), and hits hold, for each name, its first top-level value.
func quickFind(s string, names []string, hits *[8]hit, stops *[]uint64) bool {
	return quickScan(s, names, hits, nil, stops)
}

// quickMulti is quickFind for names that are each 8 to 16 bytes long,
// which also reads every top-level key to the end of the record: other
// has bit n set when names[n] is written more than once, or has an object
// or an array for its value. hits hold, for each name, its first value
// that is not an object or an array, when that is its first value. Keys
// are compared within the scan's loop, not handed back one by one. out
// gets other, and for each name written once with an object for its
// value where that object's text starts and ends (zeros for the others);
// for each name of prefixed (a bit per name), its bit in out.flat when
// some top-level key starts with the name and a dot, whose fields the
// flattening names as the object's (`"userIdentity.userName": ...`); and,
// when children is not nil, for each name whose one value is an object,
// which of children.names[name] are keys at the object's top level (out.found)
// and which of those have a string of one byte or more (out.str).
func quickMulti(s string, names []string, prefixed uint8, children *gateChildren, hits *[8]hit, out *multiOut, scratch *[]uint64) bool {
	if len(names) > len(hits) {
		return false
	}
	var q multiCursor
	q.multi, q.mn = true, len(names)
	for k, name := range names {
		if len(name) < 8 || len(name) > 16 {
			return false
		}
		q.lens |= 1 << len(name)
		q.ml[k], q.mlo[k], q.mhi[k] = len(name), load64(name, 0), load64(name, len(name)-8)
		q.mfilter |= 1 << (multiHash(q.mlo[k], q.mhi[k]) & 63)
		if prefixed>>k&1 != 0 {
			q.pk[q.pn], q.pn = k, q.pn+1
			if q.pmin == 0 || len(name) < q.pmin {
				q.pmin = len(name)
			}
			q.pfilter |= 1 << (q.mlo[k] & 63)
		}
	}
	if children != nil {
		q.clens = children.lens
	}
	q.names, q.children = names, children
	stops := stopBits(s, scratch)
	i := skipSpaces(s, 0, len(s))
	if i >= len(s) || s[i] != '{' {
		return false
	}
	q.i, q.p, q.cm, q.escAt, q.seek = i, -1, stops[0], -1, true
	if q.runMulti(s, stops) != quickDone {
		return false
	}
	*hits = q.mhit
	out.other, out.flat, out.objs = q.mother, q.mflat|q.cesc, [8][2]int32{}
	out.found, out.str = q.cfound, q.cstr
	for k := range q.mn {
		if q.mobj>>k&1 != 0 {
			out.objs[k] = q.mspan[k]
		}
	}
	return true
}

// multiOut is what quickMulti reports besides the hits. flat also has the
// bit of a name whose object has a key written with an escape.
type multiOut struct {
	other, flat uint8
	objs        [8][2]int32
	found, str  [8]uint8
}

// multiCursor is quickCursor for quickMulti: runMulti compares every
// top-level key with the mn names itself, each 8 to 16 bytes long (ml,
// and its first and last 8 bytes mlo and mhi), to the end of the record:
// it keeps each name's first value in mhit, and sets its bit in mother
// when the name has a second value or a value that is an object or an
// array. mk is the name whose value is being read. Apart from
// quickCursor, so that quickScan's cursor stays small to clear.
type multiCursor struct {
	quickCursor
	multi         bool
	mn, mk        int
	ml            [8]int
	mlo, mhi      [8]uint64
	mhit          [8]hit
	mseen, mother uint8
	// mobj has bit n set while names[n] has one value, an object, which
	// is s[mspan[n][0]:mspan[n][1]]; mopen is n+1 while it is being read.
	mobj  uint8
	mopen int
	mspan [8][2]int32
	// pk are the pn names whose prefix (the name and a dot) top-level
	// keys are compared with, the shortest pmin bytes long; mflat has
	// the bit of each one a key starts with.
	names []string
	pk    [8]int
	pn    int
	pmin  int
	mflat uint8
	// children are, per name, the keys at its object's top level that
	// are looked for (child): cfound and cstr have their bits, cesc the
	// name's bit when a key there is written with an escape.
	children     *gateChildren
	cfound, cstr [8]uint8
	cesc         uint8
	// pfilter has bit b&63 of the first byte b of each prefixed name, and
	// clens bit n for each child's length n: most keys pass on one bit.
	pfilter, clens uint64
	// mfilter has bit multiHash&63 of each name set: most keys of a
	// name's length that are no name are passed over on one bit.
	mfilter uint64
}

// multiHash mixes a key's first and last 8 bytes; its top 6 bits pick
// the key's bit of multiCursor.mfilter.
func multiHash(lo, hi uint64) uint64 {
	return (lo ^ hi*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd >> 58
}

// quickLeaf is a top-level value of one of quickScan's names.
type quickLeaf struct {
	name int
	h    hit
}

// quickScan is quickFind that also appends to leaves, when not nil, every
// top-level value of the names, in document order (a name written twice
// has two), for extracting them (reader.quickExtract). scratch is
// memory for the record's stopBits, reused from record to record.
func quickScan(s string, names []string, hits *[8]hit, leaves *[]quickLeaf, scratch *[]uint64) bool {
	if len(names) > len(hits) {
		return false
	}
	stops := stopBits(s, scratch)
	i := skipSpaces(s, 0, len(s))
	if i >= len(s) || s[i] != '{' {
		return false
	}
	// Field by field: a composite literal was built in a temporary and
	// copied, a store-forwarding stall for every record.
	var q quickCursor
	q.i, q.p, q.cm, q.escAt, q.seek = i, -1, stops[0], -1, true
	for _, name := range names {
		if len(name) < 64 {
			q.lens |= 1 << len(name)
		} else {
			q.lens |= 1 // beyond: every key is compared
		}
	}
	if len(names) == 1 && leaves == nil && !hits[0].ok && len(names[0]) >= 8 && len(names[0]) <= 16 {
		q.one, q.name0, q.name1 = true, load64(names[0], 0), load64(names[0], len(names[0])-8)
	}
	want := -1 // the index in names of the top-level key just read
	for {
		switch q.run(s, stops) {
		case quickDone:
			if q.one {
				hits[0] = q.hit
			}
			return true
		case quickKey:
			// s[q.i] and s[q.p] are the key's quotes.
			want = -1
			key := s[q.i+1 : q.p]
			for n, name := range names {
				if (leaves != nil || !hits[n].ok) && key == name {
					want = n
					break
				}
			}
			q.want = want >= 0
			q.i, q.at = q.p+1, atAfterKey
		case quickValue:
			found(hits, leaves, want, hit{ok: true, k: q.kind, start: q.from, end: q.to, esc: q.esc})
			want, q.want = -1, false
			q.seek = leaves != nil || !allFound(hits, len(names))
			q.top = q.seek // at depth 1
		default:
			return false
		}
	}
}

// quickCursor is quickScan's state between the rounds of its loop
// (quickCursor.run), which hands back to quickScan what is rare: a
// top-level key to compare with the names, the value of one of them. run
// makes no call, so that what it reads with stays in registers (with
// calls in it, the compiler kept the position of the string being read
// on the stack).
//
// The stops (stopBits) are taken in order as the strings are read, the
// next one found from the last one taken (p, and the rest of its word,
// cm), not from the byte before it: the string's end is not waited for
// to start looking for the next.
type quickCursor struct {
	i       int    // the byte being read
	p       int    // the last stop taken
	cw      int    // the word of stops that cm is
	cm      uint64 // the stops of word cw not taken yet
	depth   int
	objects uint64 // bit d set: level d+1 is an object
	// escAt is the last escape read: a string holds one when escAt is
	// past its opening quote.
	escAt int
	// seek says top-level keys are still compared with names: once
	// each has its first value, and no leaves are wanted, there is
	// nothing more to find (nor a key with escapes to fear). top is seek
	// at depth 1; want says the value being read is a name's, whose
	// kind, span and escapes run reports.
	seek, top, want bool
	// one says run compares the keys with the one name itself, whose
	// first and last 8 bytes are name0 and name1 (it is 8 to 16 bytes
	// long), and keeps its first value in hit rather than hand either
	// back: a CloudTrail record's eventTime, read without two rounds
	// through quickScan.
	one          bool
	name0, name1 uint64
	hit          hit
	// lens has bit n set when a name is n bytes long, bit 0 when one is
	// 64 or more: only a key of such a length is handed back to compare.
	lens  uint64
	start int // the start of the value being read (its opening quote)
	// The value run reports (quickValue): its kind and span, without
	// the quotes of a string.
	kind     leafKind
	from, to int
	esc      bool
	at       int // where run resumes: atOpen, ...
}

// Where quickCursor.run resumes.
const (
	atOpen     = iota // at '{' or '[' (q.i)
	atKey             // in a key (where run's escapes go back to)
	atString          // in a string value
	atAfterKey        // after a key's closing quote
	atClosed          // after a value
)

// What quickCursor.run hands back.
const (
	quickFail  = iota // not valid JSON (or a case left to the careful scan)
	quickDone         // one valid object, then only spaces
	quickKey          // a key at the top while q.top: quotes at q.i and q.p
	quickValue        // a value of a key wanted: q.kind, q.from, q.to, q.esc
)

// run reads s from where q is, to the end of s or to what quickScan must
// do (see quickCursor). Some steps are written out more than once (the
// next stop, an escape in a key and in a string value): a call or a
// shared label there made the compiler keep the loop's position and
// stops on the stack, which cost more than the repetition (see
// docs/performance.md, scan17).
func (q *quickCursor) run(s string, stops []uint64) (what int) {
	lim := len(s)
	i, p, cw, cm := q.i, q.p, q.cw, q.cm
	top, want := q.top, q.want
	inObject := q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	var c byte
	switch q.at {
	case atOpen:
		goto open
	case atAfterKey:
		goto afterKey
	}
	goto closed

open: // at '{' or '['
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
	top = q.seek && q.depth == 1
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
		goto key
	}
	goto value

key: // at an object key
	if s[i] != '"' {
		return quickFail
	}
	// The stops up to the opening quote (whitespace between tokens is a
	// stop too: the structure checks those bytes), then the first in the
	// key.
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
		// The commonest escapes here, the rest (\u, and characters
		// beyond ASCII) at special.
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
	if top {
		if q.escAt > i {
			return quickFail // could unescape to a time field's name
		}
		if n := uint(p - i - 1); q.lens&1 != 0 || n < 64 && q.lens>>n&1 != 0 {
			if !q.one {
				q.at, what = atAfterKey, quickKey
				goto save // i and p are the key's quotes
			}
			want = load64(s, i+1) == q.name0 && load64(s, p-8) == q.name1
		}
	}
	i = p + 1

afterKey: // after a key's closing quote
	// Compact JSON's commonest sequence goes straight on: a key, then a
	// string value, whose opening quote is the next stop.
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

value: // at the first byte of a value
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
		want = false
		goto open
	case c == '-' || isDigit(c):
		// A number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
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
	if want { // no timestamp unless a number, which parseStamp will say
		q.from, q.to, q.esc = q.start, i, false
		want = false
		if !q.one {
			q.at, what = atClosed, quickValue
			goto save
		}
		q.hit.ok, q.hit.k, q.hit.start, q.hit.end, q.hit.esc = true, q.kind, q.start, i, false
		q.seek, top = false, false
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
		// The commonest escapes here, the rest (\u, and characters
		// beyond ASCII) at special.
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
	if want {
		want = false
		if !q.one {
			q.kind, q.from, q.to, q.esc = leafString, q.start+1, p, q.escAt > q.start
			q.at, what = atClosed, quickValue
			goto save
		}
		// Field by field, not a composite literal, which the compiler
		// built in a temporary and copied: 16-byte loads of 8-byte
		// stores just made, a store-forwarding stall each record.
		q.hit.ok, q.hit.k, q.hit.start, q.hit.end, q.hit.esc = true, leafString, q.start+1, p, q.escAt > q.start
		q.seek, top = false, false
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
		goto value
	case inObject && c == '}', !inObject && c == ']':
		goto close
	}
	return quickFail

special: // at a stop p in a string that is not its closing quote; back to q.at
	// An escape, or a character beyond ASCII: x is where it ends.
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
			// UTF-8, as utf8.DecodeRune accepts it: no overlong form,
			// no surrogate, nothing past U+10FFFF.
			var n int
			switch {
			case c < 0xc2:
				return quickFail // a control character, or not a first byte
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
		// The stops up to x (an escaped quote or backslash is one, each
		// byte beyond ASCII is one), and the next: x <= lim, and the stop
		// at lim ends this at the latest.
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
	q.depth--
	inObject = q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	top = q.seek && q.depth == 1
	goto closed

save: // hand back to quickScan, to resume at q.at
	q.i, q.p, q.cw, q.cm = i, p, cw, cm
	q.top, q.want = top, want
	return what
}

// runMulti is run for quickMulti (q.multi): the same loop, with the keys
// compared with the names within it. It is a copy, not a mode of run, so
// that run's registers and layout stay as they were for the records of
// a search without the gate (its branches on q.multi cost a detection
// alone 5% of its CPU).
func (q *multiCursor) runMulti(s string, stops []uint64) (what int) {
	lim := len(s)
	i, p, cw, cm := q.i, q.p, q.cw, q.cm
	top, want := q.top, q.want
	inObject := q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	var c byte
	switch q.at {
	case atOpen:
		goto open
	case atAfterKey:
		goto afterKey
	}
	goto closed

open: // at '{' or '['
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
	top = q.seek && q.depth == 1
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
		goto key
	}
	goto value

key: // at an object key
	if s[i] != '"' {
		return quickFail
	}
	// The stops up to the opening quote (whitespace between tokens is a
	// stop too: the structure checks those bytes), then the first in the
	// key.
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
		// The commonest escapes here, the rest (\u, and characters
		// beyond ASCII) at special.
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
	if top {
		if q.escAt > i {
			return quickFail // could unescape to a time field's name
		}
		if n := uint(p - i - 1); q.lens&1 != 0 || n < 64 && q.lens>>n&1 != 0 {
			if q.multi {
				// Every name is 8 to 16 bytes long: its first and last
				// 8 bytes are all of it.
				lo, hi := load64(s, i+1), load64(s, p-8)
				want = false
				if q.mfilter>>(multiHash(lo, hi)&63)&1 != 0 {
					for k := range q.mn {
						if q.ml[k] == int(n) && q.mlo[k] == lo && q.mhi[k] == hi {
							want, q.mk = true, k
							break
						}
					}
				}
			} else if !q.one {
				q.at, what = atAfterKey, quickKey
				goto save // i and p are the key's quotes
			} else {
				want = load64(s, i+1) == q.name0 && load64(s, p-8) == q.name1
			}
		}
		if q.pn != 0 && p-i-1 > q.pmin && q.pfilter>>(load64(s, i+1)&63)&1 != 0 {
			q.prefixes(s[i+1 : p])
		}
	} else if q.mopen != 0 && q.depth == 2 && q.children != nil && (q.escAt > i || q.clens>>uint(p-i-1)&1 != 0) {
		q.child(s, i, p) // a child's length, or an escape: any name
	}
	i = p + 1

afterKey: // after a key's closing quote
	// Compact JSON's commonest sequence goes straight on: a key, then a
	// string value, whose opening quote is the next stop.
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

value: // at the first byte of a value
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
		if want && q.multi { // not a leaf: no hit, and not a plain string
			if q.mseen>>q.mk&1 != 0 {
				q.mobj &^= 1 << q.mk // written twice
			} else if c == '{' {
				q.mobj |= 1 << q.mk
				q.mopen = q.mk + 1
				q.mspan[q.mk&7][0] = int32(i)
			}
			q.mseen |= 1 << q.mk
			q.mother |= 1 << q.mk
		}
		want = false
		goto open
	case c == '-' || isDigit(c):
		// A number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
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
	if want { // no timestamp unless a number, which parseStamp will say
		q.from, q.to, q.esc = q.start, i, false
		want = false
		if q.multi {
			if q.mseen>>q.mk&1 != 0 {
				q.mother |= 1 << q.mk
				q.mobj &^= 1 << q.mk
			} else {
				q.mseen |= 1 << q.mk
				h := &q.mhit[q.mk&7] // field by field: see run
				h.ok, h.k, h.start, h.end, h.esc = true, q.kind, q.start, i, false
			}
			goto closed
		}
		if !q.one {
			q.at, what = atClosed, quickValue
			goto save
		}
		q.hit.ok, q.hit.k, q.hit.start, q.hit.end, q.hit.esc = true, q.kind, q.start, i, false
		q.seek, top = false, false
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
		// The commonest escapes here, the rest (\u, and characters
		// beyond ASCII) at special.
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
	if want {
		want = false
		if q.multi {
			if q.mseen>>q.mk&1 != 0 {
				q.mother |= 1 << q.mk
				q.mobj &^= 1 << q.mk
			} else {
				q.mseen |= 1 << q.mk
				h := &q.mhit[q.mk&7] // field by field: see run
				h.ok, h.k, h.start, h.end, h.esc = true, leafString, q.start+1, p, q.escAt > q.start
			}
		} else if !q.one {
			q.kind, q.from, q.to, q.esc = leafString, q.start+1, p, q.escAt > q.start
			q.at, what = atClosed, quickValue
			goto save
		} else {
			q.hit.ok, q.hit.k, q.hit.start, q.hit.end, q.hit.esc = true, leafString, q.start+1, p, q.escAt > q.start
			q.seek, top = false, false
		}
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
		goto value
	case inObject && c == '}', !inObject && c == ']':
		goto close
	}
	return quickFail

special: // at a stop p in a string that is not its closing quote; back to q.at
	// An escape, or a character beyond ASCII: x is where it ends.
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
			// UTF-8, as utf8.DecodeRune accepts it: no overlong form,
			// no surrogate, nothing past U+10FFFF.
			var n int
			switch {
			case c < 0xc2:
				return quickFail // a control character, or not a first byte
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
		// The stops up to x (an escaped quote or backslash is one, each
		// byte beyond ASCII is one), and the next: x <= lim, and the stop
		// at lim ends this at the latest.
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
	q.depth--
	if q.mopen != 0 && q.depth == 1 { // a name's object ends at i
		q.mspan[(q.mopen-1)&7][1] = int32(i)
		q.mopen = 0
	}
	inObject = q.depth > 0 && q.objects>>(uint(q.depth-1)&63)&1 != 0
	top = q.seek && q.depth == 1
	goto closed

save: // hand back to quickScan, to resume at q.at
	q.i, q.p, q.cw, q.cm = i, p, cw, cm
	q.top, q.want = top, want
	return what
}

// child notes a key of the object being read (mopen) at its top level,
// whose quotes are s[i] and s[p], when it is one of the object's children:
// its bit in cfound, and in cstr when its value is a string of one byte or
// more written right after the colon. A key written with an escape sets
// the object's bit in cesc: no name is told for it.
func (q *multiCursor) child(s string, i, p int) {
	k := (q.mopen - 1) & 7
	if q.escAt > i {
		q.cesc |= 1 << k
		return
	}
	key := s[i+1 : p]
	for j, n := range q.children.names[k] {
		if key == n && j < 8 {
			q.cfound[k] |= 1 << j
			if p+3 < len(s) && s[p+1] == ':' && s[p+2] == '"' && s[p+3] != '"' {
				q.cstr[k] |= 1 << j
			}
		}
	}
}

// gateChildren are, per name of quickMulti, the names at its object's top
// level that it looks for (child), and lens the bit of each one's length.
type gateChildren struct {
	names [8][]string
	lens  uint64
}

// prefixes sets the bit in mflat of each name of pk that key starts with,
// followed by a dot.
func (q *multiCursor) prefixes(key string) {
	lo := load64(key, 0)
	for _, k := range q.pk[:q.pn] {
		if n := q.ml[k]; lo == q.mlo[k] && len(key) > n && key[n] == '.' && key[:n] == q.names[k] {
			q.mflat |= 1 << k
		}
	}
}

// quickPair is s[i] and s[i+1] as one number, for comparing the two in one
// load.
func quickPair(s string, i int) uint16 {
	b := s[i : i+2]
	return uint16(b[0]) | uint16(b[1])<<8
}

// quickEscapes marks the bytes that make a JSON escape after a backslash,
// but for 'u': 1, or 2 for those that are stops themselves.
var quickEscapes = [256]uint8{'"': 2, '\\': 2, '/': 1, 'b': 1, 'f': 1, 'n': 1, 'r': 1, 't': 1}

// quickStop marks the bytes that end quickScan's fast scan of a string's
// body: strStop's, and the bytes of characters beyond ASCII, which are
// checked to be UTF-8 there.
var quickStop = func() (t [256]bool) {
	t = strStop
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// allFound reports whether the first n hits are found.
func allFound(hits *[8]hit, n int) bool {
	for i := range n {
		if !hits[i].ok {
			return false
		}
	}
	return true
}

// found records a value of names[n]: the first in hits, each in leaves.
func found(hits *[8]hit, leaves *[]quickLeaf, n int, h hit) {
	if !hits[n].ok {
		hits[n] = h
	}
	if leaves != nil {
		*leaves = append(*leaves, quickLeaf{n, h})
	}
}
