package event

import (
	"math/bits"
	"unicode/utf8"
)

// The extracting scan, faster. A record that a search's pre-filter lets
// through and whose need names nested fields (userIdentity.arn,
// resources{}.ARN) was validated and extracted by the scanner's methods,
// a call per value and a byte test at a time for each string end: about
// three times what quickScan costs per record. fastScan is the same walk
// in quickScan's manner (one loop, the position and state in registers,
// string ends from the stop bitmap, the `":"` and `","` of compact JSON
// taken at once), that keeps the path of the levels the matcher wants and
// reports their leaves to the sink as the scanner's object and array do:
// the same leaves, in the same order, under the same names.

// fastScan is parse(true) for a whole document (lim == len(s)) that is a
// JSON object, valid UTF-8, and nested at most 64 deep: it reports the
// leaves sc.m selects to sc.sink exactly as parse(true) does and returns
// true. On anything else (invalid JSON or UTF-8, a cut window, deeper
// nesting, a top-level value that is not an object) it returns false,
// having perhaps reported some leaves: the caller then starts its sink
// afresh and scans the record the careful way, which finds the exact
// error. scratch is memory for the record's stopBits.
func (sc *scanner) fastScan(scratch *[]uint64) bool {
	s, lim := sc.s, sc.lim
	if lim != len(s) {
		return false
	}
	stops := stopBits(s, scratch)
	i := skipSpaces(s, 0, lim)
	if i >= lim || s[i] != '{' {
		return false
	}
	sc.top = '{'
	var (
		objects uint64 // bit d set: level d+1 is an object
		depth   int
		// tracked is the deepest level whose path is kept: levels 1 to
		// tracked are those the matcher wants, deeper ones are skipped
		// as skipContainer skips them.
		tracked  int
		base     [64]int // the length of path when each level opened
		path     = sc.path[:0]
		c        byte
		afterKey bool // the string being read is an object key
		ks       int  // start of the last key's text
		start    int  // start of the value being read
		esc      bool
	)

open: // at '{' or '['
	if depth == 64 {
		return false
	}
	c = s[i]
	if depth == tracked {
		sc.path = path
		if depth == 0 || sc.containerWanted() {
			base[depth] = len(path)
			tracked++
			if c == '[' {
				path = append(path, '{', '}')
			}
		}
	}
	depth++
	if c == '{' {
		objects |= 1 << (depth - 1)
	} else {
		objects &^= 1 << (depth - 1)
	}
	i++
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return false
	}
	if s[i] == c+2 { // '{'+2 is '}', '['+2 is ']': empty
		i++
		if tracked == depth {
			tracked--
			path = path[:base[tracked]]
		}
		depth--
		goto closed
	}
	if c == '{' {
		goto key
	}
	goto value

key: // at an object key
	if s[i] != '"' {
		return false
	}
	afterKey = true
	ks = i + 1
	goto str

colon: // after a key
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim || s[i] != ':' {
		return false
	}
	i++
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return false
	}
	goto value

value: // at the first byte of a value
	start = i
	switch c = s[i]; {
	case c == '"':
		afterKey = false
		goto str
	case c == '{' || c == '[':
		goto open
	case c == '-' || isDigit(c):
		if i = skipNumber(s, i, lim); i < 0 {
			return false
		}
		if tracked == depth {
			sc.path = path
			if sc.leafNamed() {
				sc.depth = depth
				sc.sink.leaf(sc, leafNumber, start, i, false)
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		word, k := "true", leafTrue
		if c == 'f' {
			word, k = "false", leafFalse
		} else if c == 'n' {
			word, k = "null", leafNull
		}
		if !hasWord(s, i, lim, word) {
			return false
		}
		i += len(word)
		if tracked == depth {
			sc.path = path
			if sc.leafNamed() {
				sc.depth = depth
				sc.sink.leaf(sc, k, start, i, false)
			}
		}
	default:
		return false
	}
	goto closed

str: // at the opening quote of a string: to after its closing quote
	esc = false
	i++
	for {
		// The next stop, as quickScan finds it.
		m := stops[i>>6] >> (i & 63)
		for m == 0 {
			i = (i | 63) + 1
			m = stops[i>>6]
		}
		i += bits.TrailingZeros64(m)
		if i >= lim {
			return false
		}
		if s[i] == '"' {
			break
		}
		if s[i] >= utf8.RuneSelf {
			if r, n := utf8.DecodeRuneInString(s[i:lim]); r != utf8.RuneError || n > 1 {
				i += n
				continue
			}
			return false // not UTF-8
		}
		if s[i] != '\\' || i+1 >= lim {
			return false // a control character, or the end
		}
		esc = true
		switch s[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > lim || !isHex(s[i+2]) || !isHex(s[i+3]) || !isHex(s[i+4]) || !isHex(s[i+5]) {
				return false
			}
			i += 6
		default:
			return false
		}
	}
	i++ // past the closing quote
	if afterKey {
		if tracked == depth {
			path = path[:base[depth-1]]
			if depth > 1 {
				path = append(path, '.')
			} else {
				sc.key0, sc.key0Raw = s[ks:i-1], !esc
			}
			if esc {
				path = appendUnescaped(path, s[ks:i-1])
			} else {
				path = append(path, s[ks:i-1]...)
			}
		}
		// Compact JSON's commonest sequence: a key, then a string value.
		if i+1 < lim && s[i] == ':' && s[i+1] == '"' {
			i++
			start = i
			afterKey = false
			goto str
		}
		goto colon
	}
	if tracked == depth {
		sc.path = path
		if sc.leafNamed() {
			sc.depth = depth
			sc.sink.leaf(sc, leafString, start+1, i-1, esc)
		}
	}
	// A string value, then the next key.
	if i+1 < lim && s[i] == ',' && s[i+1] == '"' && objects&(1<<(depth-1)) != 0 {
		i++
		afterKey = true
		ks = i + 1
		goto str
	}

closed: // after a value, or after a container closed
	if depth == 0 {
		sc.path = path
		sc.i = skipSpaces(s, i, lim)
		return sc.i == lim
	}
	if i < lim && s[i] <= ' ' {
		i = skipSpaces(s, i, lim)
	}
	if i >= lim {
		return false
	}
	c = s[i]
	i++
	if objects&(1<<(depth-1)) != 0 {
		switch c {
		case ',':
			if i < lim && s[i] <= ' ' {
				i = skipSpaces(s, i, lim)
			}
			if i >= lim {
				return false
			}
			goto key
		case '}':
			if tracked == depth {
				tracked--
				path = path[:base[tracked]]
			}
			depth--
			goto closed
		}
		return false
	}
	switch c {
	case ',':
		if i < lim && s[i] <= ' ' {
			i = skipSpaces(s, i, lim)
		}
		if i >= lim {
			return false
		}
		goto value
	case ']':
		if tracked == depth {
			tracked--
			path = path[:base[tracked]]
		}
		depth--
		goto closed
	}
	return false
}

// fastFindWith is findWith by fastScan: ok is false when fastScan cannot
// settle the record, which findWith then reads (with s started afresh).
// When ok, raw is valid UTF-8 and a JSON object.
func (ss *stampScan) fastFindWith(raw string, f *stampFinder, strict bool, m *matcher, s sink) (st stamp, err error, ok bool) {
	ss.f, ss.hits = f, [8]hit{}
	ss.sc = scanner{s: raw, lim: len(raw), m: m, sink: s, path: ss.pathBuf[:0]}
	if !ss.sc.fastScan(&ss.stops) {
		return stamp{}, nil, false
	}
	st, err = ss.stamp(raw, f, strict)
	return st, err, true
}

// fastFindAndExtract is findAndExtract by fastScan: ok is false when
// fastScan cannot settle the record, and f may then hold some of its
// fields, which the caller clears before findAndExtract reads it. kept
// says ss.stops holds raw's stop bits already: the gate's validating scan
// of the record (reader.gated) just found them.
func (ss *stampScan) fastFindAndExtract(raw string, sf *stampFinder, strict bool, pe *preExtract, f *Fields, kept bool) (st stamp, err error, ok bool) {
	if pe.plan != nil {
		ss.f, ss.hits = sf, [8]hit{}
		var stops []uint64
		if kept {
			stops = ss.stops[:len(raw)/64+1]
		} else {
			stops = stopBits(raw, &ss.stops)
		}
		if !plannedScan(raw, pe.plan, &ss.hits, f, stops, pe.slots) {
			return stamp{}, nil, false
		}
		st, err = ss.stamp(raw, sf, strict)
		return st, err, true
	}
	ss.both = stampAndFields{ss, f}
	st, err, ok = ss.fastFindWith(raw, sf, strict, pe.m, &ss.both)
	ss.both.f = nil // hold no event
	return st, err, ok
}

// leafNamed is leafWanted that also sets sc.named to the matcher's string
// for the leaf's path, when it names the path exactly.
func (sc *scanner) leafNamed() bool {
	sc.named = ""
	if len(sc.path) == 0 {
		return false
	}
	if sc.m == nil {
		return true
	}
	name, ok := sc.m.leafName(sc.path)
	sc.named = name
	return ok
}
