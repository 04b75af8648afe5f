// Package diag holds positioned diagnostics for SPL text: a stable error
// code, a byte offset, and rendering with the source line and a caret.
//
// Every SPL stage (macro expansion, lexing, parsing, compiling) reports
// problems as *Error so that tools can filter on Code and people can see
// exactly where the problem is, in the file the text came from.
package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code is a stable word naming a class of problem. Tools filter on it, so
// existing codes never change meaning.
type Code string

// Codes used by the SPL language core.
const (
	Syntax             Code = "spl-syntax"
	MacroUndefined     Code = "macro-undefined"
	MacroArity         Code = "macro-arity"
	MacroRecursion     Code = "macro-recursion"
	MacroUnexpanded    Code = "macro-unexpanded"
	Limit              Code = "limit"
	UnsupportedCommand Code = "unsupported-command"
	// UnsupportedFunction is an eval or stats function the evaluator
	// does not implement.
	UnsupportedFunction Code = "unsupported-function"
	// DatamodelUndefined is a data model or dataset no model defines;
	// DatamodelField a Dataset.field its model does not define.
	DatamodelUndefined Code = "datamodel-undefined"
	DatamodelField     Code = "datamodel-field"
	// YAML is unreadable YAML; Schema a missing, unknown or mistyped key.
	YAML   Code = "yaml"
	Schema Code = "schema"
)

// Position is a human position: 1-based line and column (in characters).
type Position struct {
	File   string
	Line   int
	Column int
	// LineText is the whole source line holding the position, without its
	// line terminator, for rendering a caret under the column.
	LineText string
}

func (p Position) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Source is a text that SPL was read from. When the text was taken out of a
// larger file (a search inside a YAML document), Locate maps offsets in Text
// to positions in that file.
type Source struct {
	Name string
	Text string
	// Locate maps a byte offset of Text to a position in the file the text
	// came from. Nil means Text is the whole file.
	Locate func(offset int) Position
}

// NewSource returns a source whose text is the whole of the named file.
func NewSource(name, text string) *Source { return &Source{Name: name, Text: text} }

// Position returns the human position of a byte offset of s.Text.
func (s *Source) Position(offset int) Position {
	if s == nil {
		return Position{Line: 1, Column: offset + 1}
	}
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.Text) {
		offset = len(s.Text)
	}
	if s.Locate != nil {
		return s.Locate(offset)
	}
	p := TextPosition(s.Text, offset)
	p.File = s.Name
	return p
}

// TextPosition computes line, column and line text of an offset in text.
func TextPosition(text string, offset int) Position {
	if offset > len(text) {
		offset = len(text)
	}
	lineStart := strings.LastIndexByte(text[:offset], '\n') + 1
	lineEnd := strings.IndexByte(text[offset:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text)
	} else {
		lineEnd += offset
	}
	line := strings.Count(text[:lineStart], "\n") + 1
	col := utf8.RuneCountInString(text[lineStart:offset]) + 1
	return Position{Line: line, Column: col, LineText: strings.TrimSuffix(text[lineStart:lineEnd], "\r")}
}

// Error is one problem at a byte offset of a source.
type Error struct {
	Code    Code
	Offset  int
	Message string
	Source  *Source
}

// Errorf returns an error of the given code at offset.
func Errorf(src *Source, code Code, offset int, format string, args ...any) *Error {
	return &Error{Code: code, Offset: offset, Message: fmt.Sprintf(format, args...), Source: src}
}

// Position is where the error is, in the file the text came from.
func (e *Error) Position() Position { return e.Source.Position(e.Offset) }

// Error renders the error on one line: "file:line:col: code: message".
// A message longer than maxMessageBytes (one that quotes a huge word of
// the search) is cut, with "…".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Position(), e.Code, clip(e.Message, maxMessageBytes))
}

// maxMessageBytes caps the message of an error as shown: a message names
// the words it is about, and a word of a search can be megabytes long.
const maxMessageBytes = 1000

// clip cuts s to at most n bytes, at a character boundary, marking the cut
// with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Render returns the one-line error followed by the source line and a caret
// under the column, the form shown to people.
func (e *Error) Render() string {
	p := e.Position()
	var b strings.Builder
	b.WriteString(e.Error())
	b.WriteByte('\n')
	if p.LineText == "" && p.Line == 0 {
		return b.String()
	}
	text, col := window(p.LineText, p.Column)
	b.WriteString("  ")
	b.WriteString(text)
	b.WriteString("\n  ")
	// Keep tabs so the caret lines up in a terminal.
	n := 0
	for _, r := range text {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	for ; n < col-1; n++ {
		b.WriteByte(' ')
	}
	b.WriteString("^\n")
	return b.String()
}

// contextChars is how many characters of the source line Render shows on
// each side of the column: a search of megabytes on one line would
// otherwise be echoed whole with every error.
const contextChars = 80

// window cuts a long line to contextChars characters either side of the
// 1-based column col, marking each cut with "…", and returns the column
// in the cut text.
func window(line string, col int) (string, int) {
	n := utf8.RuneCountInString(line)
	if n <= 2*contextChars+1 {
		return line, col
	}
	from := max(0, col-1-contextChars)
	to := min(n, col+contextChars)
	// Byte offsets of the characters from and to.
	start, end, i := 0, len(line), 0
	for off := range line {
		if i == from {
			start = off
		}
		if i == to {
			end = off
			break
		}
		i++
	}
	text := line[start:end]
	if from > 0 {
		text = "…" + text
		col = col - from + 1
	}
	if to < n {
		text += "…"
	}
	return text, col
}
