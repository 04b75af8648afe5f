package event

// skipContainer validates the object or array at sc.i and moves sc.i past
// it, without reporting anything: the path for the values a search does
// not read, which are most of every event (userIdentity, requestParameters,
// responseElements, ...). It is one loop with a bit stack instead of a
// call per value, for speed only: when the value is not valid JSON, ends
// at the window's limit or nests deeper than 64, it returns false with
// sc unchanged and the caller scans it again the careful way, which
// finds the exact error, truncation or depth limit.
func (sc *scanner) skipContainer() bool {
	s, i, lim := sc.s, sc.i, sc.lim
	var objects uint64 // bit d set: level d is an object
	depth := 0
	var c byte

open: // at '{' or '['
	if depth == 64 || sc.depth+depth >= maxDepth {
		return false
	}
	c = s[i]
	depth++
	if c == '{' {
		objects |= 1 << (depth - 1)
	} else {
		objects &^= 1 << (depth - 1)
	}
	if i = skipSpaces(s, i+1, lim); i >= lim {
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
	if i = skipString(s, i, lim); i < 0 {
		return false
	}
	if i = skipSpaces(s, i, lim); i >= lim || s[i] != ':' {
		return false
	}
	if i = skipSpaces(s, i+1, lim); i >= lim {
		return false
	}
	goto value

value: // at the first byte of a value
	switch c = s[i]; {
	case c == '"':
		if i = skipString(s, i, lim); i < 0 {
			return false
		}
	case c == '{' || c == '[':
		goto open
	case c == '-' || isDigit(c):
		if i = skipNumber(s, i, lim); i < 0 {
			return false
		}
	case c == 't':
		if !hasWord(s, i, lim, "true") {
			return false
		}
		i += 4
	case c == 'f':
		if !hasWord(s, i, lim, "false") {
			return false
		}
		i += 5
	case c == 'n':
		if !hasWord(s, i, lim, "null") {
			return false
		}
		i += 4
	default:
		return false
	}

closed: // after a value, or after a container closed
	if depth == 0 {
		sc.i = i
		return true
	}
	if i = skipSpaces(s, i, lim); i >= lim {
		return false
	}
	c = s[i]
	i++
	inObject := objects&(1<<(depth-1)) != 0
	switch {
	case c == ',':
		if i = skipSpaces(s, i, lim); i >= lim {
			return false
		}
		if inObject {
			goto key
		}
		goto value
	case inObject && c == '}' || !inObject && c == ']':
		depth--
		goto closed
	}
	return false
}

// skipSpaces returns the index of the first byte at or after i that is not
// JSON whitespace, lim when there is none.
func skipSpaces(s string, i, lim int) int {
	for i < lim && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipString returns the index after the string whose opening quote is at
// s[i], or -1 when it is not a valid JSON string ending before lim.
func skipString(s string, i, lim int) int {
	i++
	for {
		// To the first stop byte: the loop of scanner.str.
		for i+8 <= lim {
			if m := stopMask(load64(s, i)); m != 0 {
				i += tzBytes(m)
				goto stop
			}
			i += 8
		}
		for i < lim && !strStop[s[i]] {
			i++
		}
	stop:
		if i >= lim {
			return -1
		}
		switch s[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= lim {
				return -1
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > lim || !isHex(s[i+2]) || !isHex(s[i+3]) || !isHex(s[i+4]) || !isHex(s[i+5]) {
					return -1
				}
				i += 6
			default:
				return -1
			}
		default:
			return -1 // a control character
		}
	}
}

// skipNumber returns the index after the JSON number at s[i], or -1 when
// it is not one or reaches lim (where it might go on).
func skipNumber(s string, i, lim int) int {
	if s[i] == '-' {
		i++
	}
	switch {
	case i >= lim:
		return -1
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i++; i < lim && isDigit(s[i]); i++ {
		}
	default:
		return -1
	}
	if i < lim && s[i] == '.' {
		i++
		if i >= lim || !isDigit(s[i]) {
			return -1
		}
		for i < lim && isDigit(s[i]) {
			i++
		}
	}
	if i < lim && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < lim && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= lim || !isDigit(s[i]) {
			return -1
		}
		for i < lim && isDigit(s[i]) {
			i++
		}
	}
	if i >= lim {
		return -1
	}
	return i
}

func hasWord(s string, i, lim int, word string) bool {
	return i+len(word) <= lim && s[i:i+len(word)] == word
}
