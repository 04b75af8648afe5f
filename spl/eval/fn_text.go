package eval

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// Text functions ([SPL8212 searchbnf eval-function], Splunk docs: Text
// functions). String-to-string functions work on every value of a
// multivalue; null in gives null out.

func init() {
	Register(
		&Function{
			Name: "lower", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the string in lowercase.",
			Example: `lower("AbC")`, Want: `"abc"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				return fnMapStrings(a[0], strings.ToLower), nil
			},
		},
		&Function{
			Name: "upper", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the string in uppercase.",
			Example: `upper("AbC")`, Want: `"ABC"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				return fnMapStrings(a[0], strings.ToUpper), nil
			},
		},
		&Function{
			Name: "trim", MinArgs: 1, MaxArgs: 2,
			Doc:     "Removes the characters of the second argument (default space and tab) from both ends.",
			Example: `trim("   ZZZZabcZZ ", " Z")`, Want: `"abc"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return trimCall(a, strings.Trim) },
		},
		&Function{
			Name: "ltrim", MinArgs: 1, MaxArgs: 2,
			Doc:     "Removes the characters of the second argument (default space and tab) from the left.",
			Example: `ltrim("  ZZabcZZ", " Z")`, Want: `"abcZZ"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return trimCall(a, strings.TrimLeft) },
		},
		&Function{
			Name: "rtrim", MinArgs: 1, MaxArgs: 2,
			Doc:     "Removes the characters of the second argument (default space and tab) from the right.",
			Example: `rtrim("ZZabcZZ  ", " Z")`, Want: `"ZZabc"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call:   func(_ *Context, a []value.Value) (value.Value, error) { return trimCall(a, strings.TrimRight) },
		},
		&Function{
			Name: "len", MinArgs: 1, MaxArgs: 1,
			Doc:     "Returns the number of characters (not bytes) of the string.",
			Example: `len("héllo")`, Want: `Number(5)`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].IsNull() {
					return value.NullValue, nil
				}
				return value.Num(float64(utf8.RuneCountInString(a[0].First()))), nil
			},
		},
		&Function{
			Name: "substr", MinArgs: 2, MaxArgs: 3,
			Doc:     "Returns the substring starting at a 1-based position (negative counts from the end), optionally of a given length (SQLite semantics).",
			Example: `substr("string", 1, 3) . substr("string", -3)`, Want: `"string"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call:   substrCall,
		},
		&Function{
			Name: "replace", MinArgs: 3, MaxArgs: 3,
			Doc:     `Replaces every match of the regular expression with the replacement, in which \1…\9 insert groups.`,
			Example: `replace("1/12/2009", "^(\d{1,2})/(\d{1,2})/", "\2/\1/")`, Want: `"12/1/2009"`,
			Source: "docs/semantics-functions.md; " + srcText,
			Call:   replaceCall,
		},
		&Function{
			Name: "urldecode", MinArgs: 1, MaxArgs: 1,
			Doc:     "Decodes %XX escapes (and + as a space) of a URL.",
			Example: `urldecode("http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader")`, Want: `"http://www.splunk.com/download?r=header"`,
			Source: srcText,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				return fnMapStrings(a[0], URLDecode), nil
			},
		},
	)
}

// defaultTrim is what trim() removes without a second argument: "spaces
// and tabs" [SPL8212 searchbnf eval-function].
const defaultTrim = " \t"

func trimCall(a []value.Value, trim func(string, string) string) (value.Value, error) {
	set := defaultTrim
	if len(a) > 1 {
		if a[1].IsNull() {
			return value.NullValue, nil
		}
		set = a[1].First()
	}
	return fnMapStrings(a[0], func(s string) string { return trim(s, set) }), nil
}

// substrCall follows SQLite's substr(): positions count characters from 1;
// 0 is the position before the first character; a negative start counts
// from the end; a negative length takes the characters before start.
func substrCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	start, ok := fnInt(a[1])
	if !ok {
		return value.NullValue, errors.New("substr: start is not a number")
	}
	length, hasLen := -1, len(a) == 3
	if hasLen {
		if length, ok = fnInt(a[2]); !ok {
			return value.NullValue, errors.New("substr: length is not a number")
		}
	}
	return fnMapStrings(a[0], func(s string) string { return Substr(s, start, length, hasLen) }), nil
}

// Substr is SQLite's substr(s, start[, length]) over characters; hasLen
// false takes the rest of the string.
func Substr(s string, start, length int, hasLen bool) string {
	n := utf8.RuneCountInString(s)
	p1, p2 := start, n+1
	neg := false
	if hasLen {
		p2 = length
		if p2 < 0 {
			p2, neg = -p2, true
		}
	}
	switch {
	case p1 < 0:
		p1 += n
		if p1 < 0 {
			p2 += p1
			if p2 < 0 {
				p2 = 0
			}
			p1 = 0
		}
	case p1 > 0:
		p1--
	case p2 > 0:
		p2--
	}
	if neg {
		p1 -= p2
		if p1 < 0 {
			p2 += p1
			p1 = 0
		}
	}
	if p1 >= n || p2 <= 0 {
		return ""
	}
	if p1+p2 > n {
		p2 = n - p1
	}
	if n == len(s) {
		return s[p1 : p1+p2]
	}
	// Map character positions to byte offsets.
	from, to, i := len(s), len(s), 0
	for off := range s {
		if i == p1 {
			from = off
		}
		if i == p1+p2 {
			to = off
			break
		}
		i++
	}
	return s[from:to]
}

func replaceCall(c *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	re, err := c.Regexp(a[1].First())
	if err != nil {
		return value.NullValue, err
	}
	rep := a[2].First()
	var over *LimitError
	v := fnMapStrings(a[0], func(s string) string {
		out, ok := c.Replace(re, s, rep)
		if !ok && over == nil {
			over = c.tooLong("replace()", -1)
		}
		return out
	})
	if over != nil {
		return value.NullValue, over
	}
	return v, nil
}

// Replace is regex.Replace within max_value_bytes: past it, ok is false,
// the search's limit error is recorded (Err) and s is returned as it was.
// Used by replace() and rex mode=sed.
func (c *Context) Replace(re *regex.Regexp, s, rep string) (string, bool) {
	out, ok := regex.ReplaceMax(re, s, rep, c.maxValueBytes())
	if !ok {
		c.fail(c.tooLong("a regular-expression replacement", -1))
		return s, false
	}
	return out, true
}

// URLDecode decodes %XX escapes and + (a space in query strings); a % not
// followed by two hex digits stays as written.
func URLDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && fnIsHex(s[i+1]) && fnIsHex(s[i+2]):
			b = append(b, fnUnhex(s[i+1])<<4|fnUnhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func fnIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func fnUnhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
