package macro

import (
	"strings"
	"unicode/utf8"
)

// fastMacro decodes a macro file of the shape ESCU's tooling writes (one
// `key: value` line per key at the left margin, plain or single-quoted
// values, folded over indented lines, and an arguments list of plain
// names) without building a YAML tree: decoding every file with yaml.v3
// was a tenth of the start of a search with --content. ok is false for
// anything outside that shape, and for any file that does not give a
// macro with a name and a definition: parseMacro then decodes it with
// yaml.v3, which also words the problem. What fastMacro accepts it decodes
// exactly as yaml.v3 does (FuzzFastMacro checks it against yaml.v3).
func fastMacro(name, text string) (m Macro, nameLine int, ok bool) {
	if !fastText(text) {
		return Macro{}, 0, false
	}
	lines := strings.Split(text, "\n")
	m.File = name
	seen := map[string]bool{}
	haveDef := false
	for i := 0; i < len(lines); {
		line := lines[i]
		if strings.TrimLeft(line, " ") == "" {
			i++
			continue
		}
		key, rest, ok := cutKey(line)
		if !ok || seen[key] {
			return Macro{}, 0, false
		}
		seen[key] = true
		keyLine := i + 1
		rest = strings.TrimLeft(rest, " ")
		var value string
		var items []string
		scalar := true
		switch {
		case strings.TrimRight(rest, " ") == "":
			// A null, or a list of plain names below the key.
			scalar = false
			items, i, ok = fastList(lines, i+1)
		case rest[0] == '\'':
			value, i, ok = fastQuoted(lines, i, len(line)-len(rest)+1)
		default:
			value, i, ok = fastPlain(lines, i, rest)
		}
		if !ok {
			return Macro{}, 0, false
		}
		switch key {
		case "name":
			if !scalar || value == "" {
				return Macro{}, 0, false
			}
			m.Name, nameLine = value, keyLine
		case "definition":
			if !scalar || value == "" {
				return Macro{}, 0, false
			}
			m.Definition, m.Line, haveDef = value, keyLine, true
		case "arguments":
			if scalar {
				return Macro{}, 0, false
			}
			m.Args = items
		}
	}
	if m.Name == "" || !haveDef {
		return Macro{}, 0, false
	}
	return m, nameLine, true
}

// fastText reports whether text has only characters whose YAML meaning
// fastMacro handles: printable ones other than tab, carriage return, the
// byte-order mark and Unicode's other line breaks, and no comment.
func fastText(text string) bool {
	if !utf8.ValidString(text) || strings.Contains(text, " #") || strings.HasPrefix(text, "#") || strings.Contains(text, "\n#") {
		return false
	}
	for _, r := range text {
		switch {
		case r == '\n', r >= 0x20 && r <= 0x7e:
		case r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029, r >= 0xe000 && r <= 0xfffd && r != 0xfeff, r >= 0x10000:
		default:
			return false
		}
	}
	return true
}

// cutKey splits a line `key: rest` or `key:` at the left margin whose key
// is a plain name.
func cutKey(line string) (key, rest string, ok bool) {
	i := 0
	for i < len(line) && (isLetter(line[i]) || line[i] == '_' || i > 0 && line[i] >= '0' && line[i] <= '9') {
		i++
	}
	// YAML takes a key of up to 1024 characters without a `?`.
	if i == 0 || i > 128 || i == len(line) || line[i] != ':' {
		return "", "", false
	}
	if i+1 < len(line) && line[i+1] != ' ' {
		return "", "", false
	}
	return line[:i], line[i+1:], true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// fastList reads the block list of plain names from line i on (`- name`
// lines, all at one indentation); none is a null value. It returns the
// line after it.
func fastList(lines []string, i int) ([]string, int, bool) {
	var items []string
	indent := -1
	for ; i < len(lines); i++ {
		line := lines[i]
		t := strings.TrimLeft(line, " ")
		if t == "" {
			if items == nil {
				continue
			}
			break
		}
		n := len(line) - len(t)
		if !strings.HasPrefix(t, "- ") {
			if n > 0 {
				return nil, 0, false // a value on an indented line
			}
			break
		}
		if indent < 0 {
			indent = n
		} else if n != indent {
			return nil, 0, false
		}
		item := strings.TrimRight(t[2:], " ")
		if !plainName(item) {
			return nil, 0, false
		}
		items = append(items, item)
	}
	// What follows must be a key at the left margin, or the end.
	for j := i; j < len(lines); j++ {
		if t := strings.TrimLeft(lines[j], " "); t != "" {
			if len(t) != len(lines[j]) {
				return nil, 0, false
			}
			break
		}
	}
	return items, i, true
}

// plainName reports whether s is a YAML plain scalar that is a string: a
// name of letters, digits, _ and -, starting with a letter, and not one
// YAML resolves to a boolean or null.
func plainName(s string) bool {
	if s == "" || !isLetter(s[0]) || resolvesAsNonString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// resolvesAsNonString reports whether a plain scalar of this text could be
// something other than a string to yaml.v3 (a boolean, a null, a number
// ...), erring on the side of yes.
func resolvesAsNonString(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "":
		return true
	}
	c := s[0]
	return !(isLetter(c) || c == '(' || c == '_' || c == '$' || c >= 0x80)
}

// fastPlain reads a plain scalar that starts with first on line i and goes
// on over the more indented lines below, folded as YAML folds them: a line
// break is a space, and each blank line between is a line break. It
// returns the line after it.
func fastPlain(lines []string, i int, first string) (string, int, bool) {
	if resolvesAsNonString(strings.TrimRight(first, " ")) {
		return "", 0, false
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(first, " "))
	if !plainLine(b.String()) {
		return "", 0, false
	}
	i++
	blanks := 0
	for ; i < len(lines); i++ {
		line := lines[i]
		t := strings.Trim(line, " ")
		if t == "" {
			blanks++
			continue
		}
		if line[0] != ' ' {
			break
		}
		if !plainLine(t) || strings.ContainsRune(`-?:,[]{}#&*!|>'"%@`+"`", rune(t[0])) {
			return "", 0, false
		}
		if blanks == 0 {
			b.WriteByte(' ')
		}
		for ; blanks > 0; blanks-- {
			b.WriteByte('\n')
		}
		b.WriteString(t)
	}
	return b.String(), i, true
}

// plainLine reports whether t can be a line of a plain scalar as is: no
// `: ` or final `:` (a mapping), no document marker.
func plainLine(t string) bool {
	return !strings.Contains(t, ": ") && !strings.HasSuffix(t, ":") && !strings.HasPrefix(t, "---") && !strings.HasPrefix(t, "...")
}

// fastQuoted reads a single-quoted scalar whose opening quote is at byte
// col-1 of line i, folded over more indented lines as plain ones are, two
// quotes in a row standing for one. Nothing but spaces may follow the closing quote.
// It returns the line after it.
func fastQuoted(lines []string, i, col int) (string, int, bool) {
	var parts []string
	seg := lines[i][col:]
	for {
		end := closingQuote(seg)
		part := seg
		if end >= 0 {
			part = seg[:end]
		}
		if len(parts) > 0 {
			part = strings.TrimLeft(part, " ")
		}
		if end < 0 {
			part = strings.TrimRight(part, " ")
		}
		parts = append(parts, strings.ReplaceAll(part, "''", "'"))
		if end >= 0 {
			if strings.TrimRight(seg[end+1:], " ") != "" {
				return "", 0, false
			}
			return fold(parts), i + 1, true
		}
		i++
		if i == len(lines) {
			return "", 0, false
		}
		seg = lines[i]
		t := strings.TrimLeft(seg, " ")
		if t != "" && len(t) == len(seg) || strings.HasPrefix(t, "---") || strings.HasPrefix(t, "...") {
			return "", 0, false // a line at the left margin, or a document marker, inside the quotes
		}
	}
}

// fold joins the lines of a folded scalar, each trimmed, as YAML does: a
// line break between two lines is a space, and a run of n empty lines
// between them is n line breaks.
func fold(parts []string) string {
	var b strings.Builder
	b.WriteString(parts[0])
	blanks := 0
	for j, p := range parts[1:] {
		if p == "" && j+1 < len(parts)-1 {
			blanks++
			continue
		}
		if blanks == 0 {
			b.WriteByte(' ')
		}
		for ; blanks > 0; blanks-- {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// closingQuote is the index of the quote that closes a single-quoted
// scalar in s, -1 when s has none; ” is a quote inside it.
func closingQuote(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			i++
			continue
		}
		return i
	}
	return -1
}
