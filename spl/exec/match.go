package exec

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// pattern is a search-language value: `*` matches any run of characters,
// everything else literally, case-insensitively unless caseSensitive
// (docs/semantics.md, "Search command": values are case-insensitive; CASE()
// makes them sensitive).
type pattern struct {
	parts         []string // literal parts between wildcards, lowercased unless caseSensitive
	leading       bool     // starts with *
	trailing      bool     // ends with *
	caseSensitive bool
	any           bool // the pattern is only wildcards: matches every value
	// folds search for parts in text of either case (asciiParts), made
	// on first use; foldOK when every part is ASCII.
	foldOnce sync.Once
	folds    []*foldLiteral
	foldOK   bool
}

func newPattern(s string, caseSensitive bool) *pattern {
	p := &pattern{caseSensitive: caseSensitive}
	if !caseSensitive {
		s = strings.ToLower(s)
	}
	p.leading = strings.HasPrefix(s, "*")
	p.trailing = strings.HasSuffix(s, "*")
	for _, part := range strings.Split(s, "*") {
		if part != "" {
			p.parts = append(p.parts, part)
		}
	}
	p.any = len(p.parts) == 0 && strings.Contains(s, "*")
	return p
}

// longestLiteral is the longest wildcard-free part, for the raw pre-filter.
func (p *pattern) longestLiteral() string {
	best := ""
	for _, part := range p.parts {
		if len(part) > len(best) {
			best = part
		}
	}
	return best
}

// match reports whether the whole of s matches the pattern.
func (p *pattern) match(s string) bool {
	if p.any {
		return true
	}
	if !p.caseSensitive {
		if p.asciiParts() && isASCII(s) {
			return p.matchFold(s)
		}
		s = lowerASCII(s)
	}
	if len(p.parts) == 0 {
		return s == ""
	}
	parts := p.parts
	if !p.leading {
		if !strings.HasPrefix(s, parts[0]) {
			return false
		}
		s = s[len(parts[0]):]
		parts = parts[1:]
		if len(parts) == 0 {
			return p.trailing || s == ""
		}
	}
	last := len(parts) - 1
	for i, part := range parts {
		if i == last && !p.trailing {
			return strings.HasSuffix(s, part)
		}
		j := strings.Index(s, part)
		if j < 0 {
			return false
		}
		s = s[j+len(part):]
	}
	return true
}

// lowerASCII lowercases s, allocating only when it has uppercase letters.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	return s
}

// Breakers of Splunk's default segmentation (segmenters.conf): major
// breakers end terms; minor breakers split terms into segments that are
// also searchable.
const (
	majorBreakers = " \t\n\r[]<>(){}|!;,'\"*&?+"
	minorBreakers = "/:=@.-$#%\\_"
)

func isMajor(c byte) bool { return strings.IndexByte(majorBreakers, c) >= 0 }
func isMinor(c byte) bool { return strings.IndexByte(minorBreakers, c) >= 0 }

// matchTerm reports whether a keyword matches _raw as Splunk's indexed terms
// do (docs/semantics.md, "Search command"): the keyword (with * wildcards)
// must match a run of raw text that starts and ends at segment boundaries (a
// breaker, or the start or end of the text). With major true (TERM()), the
// run must be bounded by major breakers only.
func matchTerm(raw string, kw *pattern, major bool) bool {
	if kw.any {
		return true
	}
	if !kw.caseSensitive && kw.asciiParts() && isASCII(raw) {
		return matchTermFold(raw, kw, major)
	}
	return matchTermLower(raw, kw, major)
}

// matchTermLower is matchTerm over a lowercased copy of the text.
func matchTermLower(raw string, kw *pattern, major bool) bool {
	text := raw
	if !kw.caseSensitive {
		text = lowerASCII(raw)
	}
	boundary := func(c byte) bool {
		if major {
			return isMajor(c)
		}
		return isMajor(c) || isMinor(c)
	}
	if len(kw.parts) == 0 {
		return false
	}
	first := kw.parts[0]
	for start := 0; start <= len(text)-len(first); {
		i := strings.Index(text[start:], first)
		if i < 0 {
			return false
		}
		i += start
		start = i + 1
		if !kw.leading && i > 0 && !boundary(text[i-1]) {
			continue
		}
		if end, ok := matchRest(text, i+len(first), kw.parts[1:], kw.trailing); ok {
			if kw.trailing || end == len(text) || boundary(text[end]) {
				return true
			}
		}
	}
	return false
}

// matchRest matches the remaining literal parts in order after position
// pos, returning where the last one ends. Wildcards in a term do not cross
// major breakers.
func matchRest(text string, pos int, parts []string, trailing bool) (int, bool) {
	for _, part := range parts {
		j := strings.Index(text[pos:], part)
		if j < 0 {
			return 0, false
		}
		for k := pos; k < pos+j; k++ {
			if isMajor(text[k]) {
				return 0, false
			}
		}
		pos += j + len(part)
	}
	if trailing {
		// A trailing * extends to the end of the term.
		for pos < len(text) && !isMajor(text[pos]) {
			pos++
		}
	}
	return pos, true
}
