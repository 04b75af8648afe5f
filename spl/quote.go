package spl

import "strings"

// unquoteValue returns the text a value stands for: double-quoted parts lose
// their quotes, and in every part `\"` and `\\` become `"` and `\`. Other
// backslash sequences stay as written, so regular expressions such as
// "\d+\.dll" keep their meaning.
func unquoteValue(raw string) string {
	if strings.IndexByte(raw, '"') < 0 && strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			// Quote marks delimit; they are not part of the text.
		case c == '\\' && i+1 < len(raw) && (raw[i+1] == '"' || raw[i+1] == '\\'):
			b.WriteByte(raw[i+1])
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unquoteField returns the name inside a single-quoted eval field name.
func unquoteField(raw string) string {
	if len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'' {
		raw = raw[1 : len(raw)-1]
	}
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	return strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(raw)
}

// isWholeString reports whether raw is exactly one double-quoted string.
func isWholeString(raw string) bool {
	if len(raw) < 2 || raw[0] != '"' {
		return false
	}
	n, ok := scanQuoted(raw, '"')
	return ok && n == len(raw)
}

// Quote returns s as an SPL double-quoted string.
func Quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
