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
	lim := len(s)
	stops := stopBits(s, scratch)
	i := skipSpaces(s, 0, lim)
	if i >= lim || s[i] != '{' {
		return false
	}
	var (
		objects  uint64 // bit d set: level d is an object
		depth    int
		c        byte
		afterKey bool // the string being read is an object key
		ks       int  // start of the last key's text
		want     = -1 // at depth 1: the index in names of the key just read
		start    int  // start of the value being read
		// seek says top-level keys are still compared with names: once
		// each has its first value, and no leaves are wanted, there is
		// nothing more to find (nor a key with escapes to fear).
		seek = true
	)

open: // at '{' or '['
	if depth == 64 {
		return false
	}
	c = s[i]
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
		want = -1
		goto open
	case c == '-' || isDigit(c):
		if i = skipNumber(s, i, lim); i < 0 {
			return false
		}
		if want >= 0 {
			found(hits, leaves, want, hit{ok: true, k: leafNumber, start: start, end: i})
			want = -1
			seek = leaves != nil || !allFound(hits, len(names))
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
		if want >= 0 { // no timestamp, which parseStamp will say
			found(hits, leaves, want, hit{ok: true, k: k, start: start, end: i})
			want = -1
			seek = leaves != nil || !allFound(hits, len(names))
		}
	default:
		return false
	}
	goto closed

str: // at the opening quote of a string: to after its closing quote
	{
		esc := false
		i++
		for {
			// The next stop (stopBits), written out here: a call per
			// string is a good part of the cost of a record.
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
			if depth == 1 && seek {
				if esc {
					return false // could unescape to a time field's name
				}
				want = -1
				key := s[ks : i-1]
				for n, name := range names {
					if (leaves != nil || !hits[n].ok) && key == name {
						want = n
						break
					}
				}
			}
			// Compact JSON's commonest sequences go straight on: a key,
			// then a string value.
			if i+1 < lim && s[i] == ':' && s[i+1] == '"' {
				i++
				start = i
				afterKey = false
				goto str
			}
			goto colon
		}
		if want >= 0 {
			found(hits, leaves, want, hit{ok: true, k: leafString, start: start + 1, end: i - 1, esc: esc})
			want = -1
			seek = leaves != nil || !allFound(hits, len(names))
		}
		// A string value, then the next key.
		if i+1 < lim && s[i] == ',' && s[i+1] == '"' && objects&(1<<(depth-1)) != 0 {
			i++
			afterKey = true
			ks = i + 1
			goto str
		}
	}

closed: // after a value, or after a container closed
	if depth == 0 {
		return skipSpaces(s, i, lim) == lim
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
		depth--
		goto closed
	}
	return false
}

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
