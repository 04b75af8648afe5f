package event

import (
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth caps the nesting of JSON values, the limit encoding/json uses,
// so a hostile event cannot exhaust the stack; deeper input is invalid.
const maxDepth = 10000

// leafKind is the JSON type of a leaf value.
type leafKind uint8

const (
	leafString leafKind = iota
	leafNumber
	leafTrue
	leafFalse
	leafNull
)

// scanStatus is how a scan ended.
type scanStatus uint8

const (
	scanOK        scanStatus = iota
	scanTruncated            // the window ended inside the document
	scanInvalid              // a syntax error inside the window
)

// scanner is a single-pass, validating JSON reader over one event that
// reports the leaf values of the top-level object under their flattened
// names (docs/semantics-events.md, "KV_MODE=json flattening"). It reads
// s[:lim]; when lim < len(s) the document is cut there, and running out of
// input is truncation rather than an error. Skipped values cost no
// allocation.
type scanner struct {
	s     string
	i     int
	lim   int
	depth int
	// path is the flattened name of the current value while want is set.
	path []byte
	// key0 is the current key of the top-level object, and key0Raw
	// whether it is written without escapes (so it can serve as a name
	// without a copy).
	key0    string
	key0Raw bool
	// stops is memory for fastScan's stop bitmap, kept with a pooled
	// scanner (Fields.extract).
	stops []uint64
	// named, when set, is the name of the leaf being reported, as the
	// matcher holds it (fastScan).
	named string
	// m selects the leaves reported; nil reports all.
	m *matcher
	// sink receives each selected leaf: its kind, the bytes of its text
	// (inside the quotes for a string) and whether that text holds
	// escapes.
	sink   sink
	status scanStatus
	errAt  int
	errMsg string
	// top is the first byte of the top-level value.
	top byte
}

// parse scans the whole document. When want is false the scan validates
// only; otherwise leaves of a top-level object are reported.
func (sc *scanner) parse(want bool) scanStatus {
	sc.status = scanOK
	sc.skipWS()
	if sc.i >= sc.lim {
		sc.eof()
		return sc.status
	}
	sc.top = sc.s[sc.i]
	var ok bool
	if sc.top == '{' {
		ok = !want && sc.skipContainer() || sc.object(want)
	} else {
		ok = sc.value(false)
	}
	if !ok {
		return sc.status
	}
	sc.skipWS()
	if sc.i < sc.lim {
		sc.fail("after top-level value")
	}
	return sc.status
}

func (sc *scanner) skipWS() {
	// Compact JSON has no whitespace: one comparison settles most calls.
	if sc.i < sc.lim && sc.s[sc.i] > ' ' {
		return
	}
	i := sc.i
	for i < sc.lim {
		switch sc.s[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	sc.i = i
}

// eof handles the end of the window: truncation when the document goes
// on, else a syntax error.
func (sc *scanner) eof() bool {
	if sc.lim < len(sc.s) {
		sc.status = scanTruncated
	} else {
		sc.status = scanInvalid
		sc.errAt = sc.i
		sc.errMsg = "unexpected end of JSON input"
	}
	return false
}

// fail records a syntax error at the current byte; context says what was
// being read ("after object key", ...).
func (sc *scanner) fail(context string) bool {
	sc.status = scanInvalid
	sc.errAt = sc.i
	sc.errMsg = "invalid character " + quoteByte(sc.s[sc.i]) + " " + context
	return false
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	return `'\x` + strconv.FormatUint(uint64(c), 16) + `'`
}

func (sc *scanner) push() bool {
	sc.depth++
	if sc.depth > maxDepth {
		sc.status = scanInvalid
		sc.errAt = sc.i - 1
		sc.errMsg = "nesting deeper than " + strconv.Itoa(maxDepth)
		return false
	}
	return true
}

// value reads one value. want says whether the current path is tracked
// and may lead to a selected leaf.
func (sc *scanner) value(want bool) bool {
	sc.skipWS()
	if sc.i >= sc.lim {
		return sc.eof()
	}
	c := sc.s[sc.i]
	switch {
	case c == '"':
		start := sc.i + 1
		esc, ok := sc.str()
		if !ok {
			return false
		}
		if want && sc.leafWanted() {
			return sc.emit(leafString, start, sc.i-1, esc)
		}
		return true
	case c == '{' || c == '[':
		want = want && sc.containerWanted()
		if !want && sc.skipContainer() {
			return true
		}
		if c == '{' {
			return sc.object(want)
		}
		return sc.array(want)
	case c == '-' || c >= '0' && c <= '9':
		start := sc.i
		if !sc.number() {
			return false
		}
		if want && sc.leafWanted() {
			return sc.emit(leafNumber, start, sc.i, false)
		}
		return true
	case c == 't':
		return sc.literal("true", leafTrue, want)
	case c == 'f':
		return sc.literal("false", leafFalse, want)
	case c == 'n':
		return sc.literal("null", leafNull, want)
	}
	return sc.fail("looking for beginning of value")
}

func (sc *scanner) emit(k leafKind, start, end int, esc bool) bool {
	sc.sink.leaf(sc, k, start, end, esc)
	return true
}

// leafWanted reports whether the leaf at the current path is selected. A
// top-level key "" would name a field "", which no field can be.
func (sc *scanner) leafWanted() bool {
	if len(sc.path) == 0 {
		return false
	}
	return sc.m == nil || sc.m.leaf(sc.path)
}

func (sc *scanner) containerWanted() bool {
	return sc.m == nil || sc.m.container(sc.path)
}

func (sc *scanner) literal(word string, k leafKind, want bool) bool {
	start := sc.i
	for j := 0; j < len(word); j++ {
		if sc.i >= sc.lim {
			return sc.eof()
		}
		if sc.s[sc.i] != word[j] {
			return sc.fail("in literal " + word)
		}
		sc.i++
	}
	if want && sc.leafWanted() {
		return sc.emit(k, start, sc.i, false)
	}
	return true
}

// strStop marks the bytes that end the fast scan of a string's body.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'] = true
	t['\\'] = true
	return t
}()

// str reads a string starting at its opening quote and leaves sc.i after
// the closing one; esc reports escapes in its body.
func (sc *scanner) str() (esc bool, ok bool) {
	s, i, lim := sc.s, sc.i+1, sc.lim
	for {
		// To the first stop byte. skipString has the same loop: as a
		// function too large to inline, a call per string cost 10% of a
		// validating scan.
		for i+8 <= lim {
			if m := stopMask(load64(s, i)); m != 0 {
				i += tzBytes(m) // the first stop byte, exactly
				goto stop
			}
			i += 8
		}
		for i < lim && !strStop[s[i]] {
			i++
		}
	stop:
		if i >= lim {
			sc.i = i
			return esc, sc.eof()
		}
		switch c := s[i]; c {
		case '"':
			sc.i = i + 1
			return esc, true
		case '\\':
			esc = true
			i++
			if i >= lim {
				sc.i = i
				return esc, sc.eof()
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for k := 0; k < 4; k++ {
					if i >= lim {
						sc.i = i
						return esc, sc.eof()
					}
					if !isHex(s[i]) {
						sc.i = i
						return esc, sc.fail("in \\u hexadecimal character escape")
					}
					i++
				}
			default:
				sc.i = i
				return esc, sc.fail("in string escape code")
			}
		default:
			sc.i = i
			return esc, sc.fail("in string literal")
		}
	}
}

// load64 reads 8 bytes of s at i, little-endian.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stopMask has the high bit set in the bytes of a word of 8 string bytes
// that may be a quote, a backslash or a control character. The lowest set
// bit is exact: a subtraction borrows only out of a byte that matched, so
// only bytes above the first stop can be flagged wrongly.
func stopMask(w uint64) uint64 {
	quote := w ^ ('"' * ones)
	slash := w ^ ('\\' * ones)
	return ((quote-ones)&^quote | (slash-ones)&^slash | (w-0x20*ones)&^w) & highs
}

// tzBytes is the index of the lowest byte flagged in a stopMask.
func tzBytes(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a JSON number. A number that reaches the end of a cut
// window and could go on past it is truncated, not complete.
func (sc *scanner) number() bool {
	s, lim := sc.s, sc.lim
	i := sc.i
	if s[i] == '-' {
		i++
		if i >= lim {
			sc.i = i
			return sc.eof()
		}
	}
	switch {
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		i++
		for i < lim && isDigit(s[i]) {
			i++
		}
	default:
		sc.i = i
		return sc.fail("in numeric literal")
	}
	if i < lim && s[i] == '.' {
		i++
		if i >= lim {
			sc.i = i
			return sc.eof()
		}
		if !isDigit(s[i]) {
			sc.i = i
			return sc.fail("after decimal point in numeric literal")
		}
		for i < lim && isDigit(s[i]) {
			i++
		}
	}
	if i < lim && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i >= lim {
			sc.i = i
			return sc.eof()
		}
		if s[i] == '+' || s[i] == '-' {
			i++
			if i >= lim {
				sc.i = i
				return sc.eof()
			}
		}
		if !isDigit(s[i]) {
			sc.i = i
			return sc.fail("in exponent of numeric literal")
		}
		for i < lim && isDigit(s[i]) {
			i++
		}
	}
	if i == lim && lim < len(s) {
		switch c := s[lim]; {
		case isDigit(c), c == '.', c == 'e', c == 'E', c == '+', c == '-':
			sc.i = i
			return sc.eof()
		}
	}
	sc.i = i
	return true
}

func (sc *scanner) object(want bool) bool {
	sc.i++
	if !sc.push() {
		return false
	}
	sc.skipWS()
	if sc.i >= sc.lim {
		return sc.eof()
	}
	if sc.s[sc.i] == '}' {
		sc.i++
		sc.depth--
		return true
	}
	for {
		if sc.s[sc.i] != '"' {
			return sc.fail("looking for beginning of object key string")
		}
		ks := sc.i + 1
		esc, ok := sc.str()
		if !ok {
			return false
		}
		ke := sc.i - 1
		sc.skipWS()
		if sc.i >= sc.lim {
			return sc.eof()
		}
		if sc.s[sc.i] != ':' {
			return sc.fail("after object key")
		}
		sc.i++
		if want {
			mark := len(sc.path)
			if sc.depth > 1 {
				sc.path = append(sc.path, '.')
			} else {
				sc.key0, sc.key0Raw = sc.s[ks:ke], !esc
			}
			if esc {
				sc.path = appendUnescaped(sc.path, sc.s[ks:ke])
			} else {
				sc.path = append(sc.path, sc.s[ks:ke]...)
			}
			ok = sc.value(true)
			sc.path = sc.path[:mark]
		} else {
			ok = sc.value(false)
		}
		if !ok {
			return false
		}
		sc.skipWS()
		if sc.i >= sc.lim {
			return sc.eof()
		}
		switch sc.s[sc.i] {
		case ',':
			sc.i++
			sc.skipWS()
			if sc.i >= sc.lim {
				return sc.eof()
			}
		case '}':
			sc.i++
			sc.depth--
			return true
		default:
			return sc.fail("after object key:value pair")
		}
	}
}

func (sc *scanner) array(want bool) bool {
	sc.i++
	if !sc.push() {
		return false
	}
	mark := len(sc.path)
	if want {
		sc.path = append(sc.path, '{', '}')
	}
	sc.skipWS()
	if sc.i >= sc.lim {
		return sc.eof()
	}
	if sc.s[sc.i] == ']' {
		sc.i++
		sc.depth--
		sc.path = sc.path[:mark]
		return true
	}
	for {
		if !sc.value(want) {
			return false
		}
		sc.skipWS()
		if sc.i >= sc.lim {
			return sc.eof()
		}
		switch sc.s[sc.i] {
		case ',':
			sc.i++
		case ']':
			sc.i++
			sc.depth--
			sc.path = sc.path[:mark]
			return true
		default:
			return sc.fail("after array element")
		}
	}
}

// name returns the current path as a string, without a copy when it is a
// top-level key written without escapes.
func (sc *scanner) name() string {
	if sc.named != "" {
		return sc.named
	}
	if sc.depth == 1 && sc.key0Raw {
		return sc.key0
	}
	if n, ok := commonNames[string(sc.path)]; ok {
		return n
	}
	return string(sc.path)
}

// appendUnescaped appends the text of a JSON string body (valid JSON
// escapes assumed, as the scanner checked them) with its escapes decoded
// as encoding/json does: a lone or invalid surrogate becomes U+FFFD.
func appendUnescaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(s) {
			return append(dst, c)
		}
		e := s[i+1]
		i += 2
		switch e {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i)
			if !ok {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						i += 6
						dst = utf8.AppendRune(dst, dec)
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, e)
		}
	}
	return dst
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
