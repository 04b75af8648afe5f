package spl

import (
	"io"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/splharness/splharness/spl/diag"
)

// Token types of the SPL lexer.
//
// SPL is lexed coarsely: every run of characters that is not a separator is
// one Word, whatever it holds (`aws:cloudtrail`, `*.amazonaws.com`, `10.1.2.3`,
// `a.b+1`). The grammar decides what a word means where it stands: a keyword,
// a field name, a search value, or an eval expression, which the expression
// parser splits further (see expr_lexer.go). Whitespace and ```comments``` are
// elided, but tokens keep byte offsets, so adjacency stays visible.
const (
	tokWord lexer.TokenType = iota + 1
	tokNumber
	tokString
	tokMacro
	tokPipe
	tokLBracket
	tokRBracket
	tokLParen
	tokRParen
	tokComma
	tokOp
	tokComment
	tokSpace
	tokError
)

var tokenNames = map[string]lexer.TokenType{
	"EOF":        lexer.EOF,
	"Word":       tokWord,
	"Number":     tokNumber,
	"String":     tokString,
	"Macro":      tokMacro,
	"Pipe":       tokPipe,
	"LBracket":   tokLBracket,
	"RBracket":   tokRBracket,
	"LParen":     tokLParen,
	"RParen":     tokRParen,
	"Comma":      tokComma,
	"Op":         tokOp,
	"Comment":    tokComment,
	"Whitespace": tokSpace,
	"Error":      tokError,
}

// splLexer is the participle lexer definition for SPL.
type splLexer struct{}

func (splLexer) Symbols() map[string]lexer.TokenType { return tokenNames }

func (d splLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

func (splLexer) LexString(filename string, s string) (lexer.Lexer, error) {
	return &scanner{src: s, file: filename, line: 1, col: 1}, nil
}

func newScanner(src *diag.Source) *scanner {
	return &scanner{src: src.Text, file: src.Name, line: 1, col: 1}
}

// scanner produces tokens one at a time.
type scanner struct {
	src       string
	file      string
	off       int
	line, col int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isBreak reports whether c ends a word.
func isBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '"', '|', '[', ']', '(', ')', ',', '=', '<', '>', '`':
		return true
	}
	return false
}

func (s *scanner) pos() lexer.Position {
	return lexer.Position{Filename: s.file, Offset: s.off, Line: s.line, Column: s.col}
}

func (s *scanner) advance(n int) string {
	text := s.src[s.off : s.off+n]
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.line++
			s.col = 1
		} else if text[i]&0xC0 != 0x80 {
			s.col++
		}
	}
	s.off += n
	return text
}

func (s *scanner) Next() (lexer.Token, error) {
	if s.off >= len(s.src) {
		return lexer.EOFToken(s.pos()), nil
	}
	pos := s.pos()
	typ, n := s.scan()
	return lexer.Token{Type: typ, Value: s.advance(n), Pos: pos}, nil
}

// scan returns the type and byte length of the token at s.off.
func (s *scanner) scan() (lexer.TokenType, int) {
	rest := s.src[s.off:]
	c := rest[0]
	switch {
	case isSpace(c):
		n := 1
		for n < len(rest) && isSpace(rest[n]) {
			n++
		}
		return tokSpace, n
	case strings.HasPrefix(rest, "```"):
		end := strings.Index(rest[3:], "```")
		if end < 0 {
			return tokError, len(rest)
		}
		return tokComment, end + 6
	case c == '`':
		end := strings.IndexByte(rest[1:], '`')
		if end < 0 {
			return tokError, len(rest)
		}
		return tokMacro, end + 2
	case c == '"':
		n, ok := scanQuoted(rest, '"')
		if !ok {
			return tokError, len(rest)
		}
		return tokString, n
	case c == '|':
		return tokPipe, 1
	case c == '[':
		return tokLBracket, 1
	case c == ']':
		return tokRBracket, 1
	case c == '(':
		return tokLParen, 1
	case c == ')':
		return tokRParen, 1
	case c == ',':
		return tokComma, 1
	case c == '=':
		if len(rest) > 1 && rest[1] == '=' {
			return tokOp, 2
		}
		return tokOp, 1
	case c == '!' && len(rest) > 1 && rest[1] == '=':
		return tokOp, 2
	case (c == '<' || c == '>') && !isTemplate(rest):
		if len(rest) > 1 && rest[1] == '=' {
			return tokOp, 2
		}
		return tokOp, 1
	}
	n := scanWord(rest)
	if isDigits(rest[:n]) {
		return tokNumber, n
	}
	return tokWord, n
}

// isDigits reports whether s is a non-empty run of ASCII digits: a count
// such as `sort 0` or `head 10`, lexed as Number so that the grammar can
// tell a count from a field name.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// scanQuoted returns the length of the quoted text at the start of s,
// quotes included, honouring backslash escapes.
func scanQuoted(s string, q byte) (int, bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1, true
		}
	}
	return len(s), false
}

// isTemplate reports whether s starts with a foreach template such as
// <<FIELD>> or <<MATCHSTR>>, which is part of a word, not two operators.
func isTemplate(s string) bool {
	if !strings.HasPrefix(s, "<<") {
		return false
	}
	i := 2
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return i > 2 && strings.HasPrefix(s[i:], ">>")
}

func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func templateLen(s string) int {
	return strings.Index(s, ">>") + 2
}

// scanWord returns the length of the word at the start of s. A word runs to
// the next separator; a backslash escapes the next character, a foreach
// template is kept whole, and a single-quoted part (an eval field name such
// as 'a b') is kept whole when it is closed and does not start inside a name
// (O'Brien is a plain word).
func scanWord(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i += 2
			continue
		case c == '\'' && (i == 0 || !isWordChar(s[i-1])):
			if n, ok := scanQuoted(s[i:], '\''); ok {
				i += n
				continue
			}
		case c == '<' && isTemplate(s[i:]):
			i += templateLen(s[i:])
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '=':
			return i
		case isBreak(c):
			if i == 0 {
				return 1 // a lone separator we do not know: one error-prone word
			}
			return i
		}
		i++
	}
	return i
}
