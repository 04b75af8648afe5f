package event

import (
	"math/bits"
	"strings"
	"unsafe"
)

// structFind is quickFind for the records most files hold: compact JSON
// (no whitespace between tokens), ASCII, no escapes. Instead of a loop
// over the record's tokens, whose branches the processor mispredicts at
// every key and value, it classifies the record's bytes 64 at a time into
// bitmaps (quotes, brackets, colons, commas; structBits) and checks the
// grammar with bit arithmetic on those words, as simdjson's first stage
// does (Langdale and Lemire, "Parsing Gigabytes of JSON per Second"):
//
//   - the bytes inside strings are the prefix xor of the quote bits (no
//     backslash means every quote is a string's end);
//   - each structural byte outside strings says what may follow it ('{':
//     a string or '}'; ':' and ',': a value; a string: ':' ',' '}' or
//     ']'; a number or word: ',' '}' or ']'), tested for every position
//     of a word at once with a shift and a mask;
//   - a string is a key when '{', or a ',' directly inside an object,
//     comes before it; the closing quotes of keys are found by adding
//     the keys' opening quotes to the in-string bits (the carry runs to
//     each key's end), and they must be exactly the bytes before colons;
//   - only the brackets (a CloudTrail record has about 20) are walked one
//     by one, to match them and to say which commas are in an object;
//     the numbers and words (true, false, null) between structural bytes
//     are checked where they are.
//
// It returns false, leaving the record to quickScan, on anything else:
// a backslash, a control character or a byte beyond ASCII anywhere,
// whitespace or any other byte outside strings, nesting deeper than 64,
// invalid JSON, or time field names it cannot look for (a quote in one,
// one asked twice). A true result means what quickFind's does, with the
// same hits. asm says whether structBits may use assembly.
func structFind(s string, names []string, hits *[8]hit, scratch *[]uint64, asm bool) bool {
	n := len(s)
	if len(names) > len(hits) || n < 2 || s[0] != '{' || s[n-1] != '}' {
		return false
	}
	for i, name := range names {
		if strings.IndexByte(name, '"') >= 0 || name == "" {
			return false
		}
		for _, other := range names[:i] {
			if other == name {
				return false
			}
		}
	}
	words := (n + 63) / 64
	size := words * structOut
	if cap(*scratch) < size {
		*scratch = make([]uint64, size, size+size/4)
	}
	m := (*scratch)[:size]
	var st structState
	structBits(s, m, &st, asm)

	var (
		objCarry, topCarry uint64 // carried from word to word
		pKeyEnd            uint64 // the previous word's bit 63 of keyEnd&obj
		bad                uint64
		stack              uint64 // bit d: level d+1 is an object
		depth              int
		inObj, atTop       bool // of the innermost level
	)
	for k := range words {
		w := m[k*structOut : k*structOut+structOut : k*structOut+structOut]
		valid := ^uint64(0)
		if r := n - k*64; r < 64 {
			valid = 1<<r - 1
		}
		var objT, topT uint64 // where the innermost level turns object or not, top or not
		for br := w[0] & valid; br != 0; br &= br - 1 {
			i := bits.TrailingZeros64(br)
			pos := k*64 + i
			switch s[pos] {
			case '{':
				if depth == 64 {
					return false
				}
				stack |= 1 << depth
				depth++
			case '[':
				if depth == 64 {
					return false
				}
				stack &^= 1 << depth
				depth++
			case '}':
				if depth == 0 || stack>>(depth-1)&1 == 0 {
					return false
				}
				depth--
			default: // ']'
				if depth == 0 || stack>>(depth-1)&1 != 0 {
					return false
				}
				depth--
			}
			if depth == 0 && pos != n-1 {
				return false // the record's object closed before its end
			}
			obj := depth > 0 && stack>>(depth-1)&1 != 0
			if obj != inObj {
				objT |= 1 << i
				inObj = obj
			}
			if (depth == 1) != atTop {
				topT |= 1 << i
				atTop = depth == 1
			}
		}
		obj, top := objCarry, topCarry
		if objT|topT != 0 {
			obj = prefixXor(objT) ^ objCarry
			objCarry = uint64(int64(obj) >> 63)
			top = prefixXor(topT) ^ topCarry
			topCarry = uint64(int64(top) >> 63)
		}
		// A colon comes after each key of an object, and only there.
		keyEnd := w[1] & obj
		bad |= (w[5] | ((keyEnd<<1 | pKeyEnd) ^ w[2])) & valid
		pKeyEnd = keyEnd >> 63
		w[3] &= top

		for r := w[4] & valid; r != 0; r &= r - 1 {
			pos := k*64 + bits.TrailingZeros64(r)
			e := -1
			switch c := s[pos]; {
			case c == '-' || isDigit(c):
				e = skipNumber(s, pos, n)
			case c == 't' && hasWord(s, pos, n, "true"):
				e = pos + 4
			case c == 'f' && hasWord(s, pos, n, "false"):
				e = pos + 5
			case c == 'n' && hasWord(s, pos, n, "null"):
				e = pos + 4
			}
			if e < 0 || e >= n || (s[e] != ',' && s[e] != '}' && s[e] != ']') {
				return false
			}
		}
	}
	if bad != 0 || st.inStr != 0 || depth != 0 {
		return false
	}
	for i, name := range names {
		hits[i] = topValue(s, name, m)
	}
	return true
}

// topValue is the first leaf value of the top-level key name in s, a
// record structFind has checked, whose structBits m hold, at
// structKeys, the bits of its top-level keys' opening quotes.
func topValue(s, name string, m []uint64) hit {
	n := len(s)
	for k := 0; k*structOut < len(m); k++ {
		for w := m[k*structOut+structKeys]; w != 0; w &= w - 1 {
			o := k*64 + bits.TrailingZeros64(w)
			e := o + 1 + len(name)
			if e+2 >= n || s[e] != '"' || s[o+1:e] != name {
				continue
			}
			v := e + 2
			switch c := s[v]; {
			case c == '"':
				return hit{ok: true, k: leafString, start: v + 1, end: v + 1 + strings.IndexByte(s[v+1:], '"')}
			case c == '-' || isDigit(c):
				return hit{ok: true, k: leafNumber, start: v, end: skipNumber(s, v, n)}
			case c == 't':
				return hit{ok: true, k: leafTrue, start: v, end: v + 4}
			case c == 'f':
				return hit{ok: true, k: leafFalse, start: v, end: v + 5}
			case c == 'n':
				return hit{ok: true, k: leafNull, start: v, end: v + 4}
			}
			// An object or an array: not a leaf; a later key may give one.
		}
	}
	return hit{}
}

// structBits makes, for each 64 bytes of a record, structOut words:
//
//	0: the brackets outside strings;
//	1: the closing quotes of the strings that '{' or ',' comes before
//	   (the keys, where the ',' is in an object);
//	2: the colons outside strings;
//	3 (structKeys): the opening quotes of those strings;
//	4: the first bytes of numbers and words (anything outside strings
//	   that is not structural or a quote);
//	5: the bytes where the record is not what structFind settles: a
//	   backslash, a control character or a byte beyond ASCII anywhere,
//	   or a byte that may not follow the one before it.
//
// structFind checks the rest: the brackets, which commas are in objects
// (so which of word 1's strings are keys, each followed by a colon), the
// numbers and words.
const (
	structOut  = 6
	structKeys = 3
)

// structState is what structBits carries from 64 bytes to the next: all
// ones when inside a string, the carry of the keys' sum, and bit 63 of
// the masks the checks shift (each moved to bit 0).
type structState struct {
	inStr, keyCarry                         uint64
	pSep, pLb, pLs, pShut, pX, pEnd, pComma uint64
}

// structBits fills m with structOut words for each 64 bytes of s, the
// last block's bits beyond s as if s went on with spaces, with assembly
// where asm and the processor allow.
func structBits(s string, m []uint64, st *structState, asm bool) {
	full := len(s) &^ 63
	structBitsBlocks(s[:full], m, st, asm)
	if full == len(s) {
		return
	}
	var tail [64]byte
	copy(tail[copy(tail[:], s[full:]):], spaces64)
	structBitsBlocks(unsafe.String(&tail[0], len(tail)), m[full/64*structOut:], st, asm)
}

const spaces64 = "                                                                "

// structBitsGeneric is structBitsBlocks in Go, for each whole 64 bytes of
// s.
func structBitsGeneric(s string, m []uint64, st *structState) {
	for k := 0; k+64 <= len(s); k += 64 {
		var q, esc, lb, rb, ls, rs, colon, comma uint64
		for i := range 64 {
			c := s[k+i]
			bit := uint64(1) << i
			switch {
			case c == '"':
				q |= bit
			case c == '\\' || c < 0x20 || c >= 0x80:
				esc |= bit
			case c == '{':
				lb |= bit
			case c == '}':
				rb |= bit
			case c == '[':
				ls |= bit
			case c == ']':
				rs |= bit
			case c == ':':
				colon |= bit
			case c == ',':
				comma |= bit
			}
		}
		in := prefixXor(q) ^ st.inStr // from each opening quote to before its closing one
		st.inStr = uint64(int64(in) >> 63)
		out := ^(in | q)
		lb, rb, ls, rs, colon, comma = lb&out, rb&out, ls&out, rs&out, colon&out, comma&out
		x := out &^ (lb | rb | ls | rs | colon | comma)
		open, shut := q&in, q&^in
		end := rb | rs
		predX := x<<1 | st.pX
		xStart := x &^ predX
		value := open | lb | ls | xStart
		predLb := lb<<1 | st.pLb
		key := open & (predLb | comma<<1 | st.pComma)
		sum, carry := bits.Add64(in, key, st.keyCarry)

		w := m[k/64*structOut : k/64*structOut+structOut : k/64*structOut+structOut]
		w[0] = lb | rb | ls | rs
		w[1] = sum &^ in // the carry from a key's opening quote stops at its closing one
		w[2] = colon
		w[3] = key
		w[4] = xStart
		w[5] = esc |
			((colon|comma)<<1|st.pSep)&^value |
			predLb&^(open|rb) |
			(ls<<1|st.pLs)&^(value|rs) |
			(shut<<1|st.pShut)&^(colon|comma|end) |
			predX&^(x|comma|end) |
			(end<<1|st.pEnd)&^(comma|end)

		st.keyCarry = carry
		st.pSep, st.pLb, st.pLs, st.pShut = (colon|comma)>>63, lb>>63, ls>>63, shut>>63
		st.pX, st.pEnd, st.pComma = x>>63, end>>63, comma>>63
	}
}

// prefixXor sets each bit of x to the xor of it and the bits below it: a
// run of set bits from each odd set bit of x to before the next.
func prefixXor(x uint64) uint64 {
	x ^= x << 1
	x ^= x << 2
	x ^= x << 4
	x ^= x << 8
	x ^= x << 16
	x ^= x << 32
	return x
}
