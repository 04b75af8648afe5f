package spl

import "github.com/alecthomas/participle/v2/lexer"

// TokenKind is what a piece of SPL text is to the lexer the parser uses.
type TokenKind int

// The kinds of token. Every byte of the text belongs to exactly one token:
// whitespace, comments and unterminated quotes included.
const (
	TokenWord     TokenKind = iota + 1 // any run of non-separators: a name, a term, an expression
	TokenNumber                        // a run of digits
	TokenString                        // "…", quotes included
	TokenMacro                         // `…`, backticks included
	TokenPipe                          // |
	TokenLBracket                      // [
	TokenRBracket                      // ]
	TokenLParen                        // (
	TokenRParen                        // )
	TokenComma                         // ,
	TokenOp                            // = == != < <= > >=
	TokenComment                       // ```…```
	TokenSpace                         // whitespace, line breaks included
	TokenError                         // an unterminated string, macro or comment, to the end
)

var tokenKinds = map[lexer.TokenType]TokenKind{
	tokWord: TokenWord, tokNumber: TokenNumber, tokString: TokenString,
	tokMacro: TokenMacro, tokPipe: TokenPipe, tokLBracket: TokenLBracket,
	tokRBracket: TokenRBracket, tokLParen: TokenLParen, tokRParen: TokenRParen,
	tokComma: TokenComma, tokOp: TokenOp, tokComment: TokenComment,
	tokSpace: TokenSpace, tokError: TokenError,
}

// Token is one token of SPL text and its byte offset.
type Token struct {
	Kind   TokenKind
	Offset int
	Text   string
}

// Tokens splits SPL text into the tokens the parser reads, keeping the
// whitespace and comments the parser skips, so that tools which show SPL
// (a highlighter, a layout) cut it exactly where the parser does. The texts
// of the tokens, joined, are the text.
func Tokens(text string) []Token {
	s := &scanner{src: text, line: 1, col: 1}
	var out []Token
	for s.off < len(s.src) {
		off := s.off
		typ, n := s.scan()
		out = append(out, Token{Kind: tokenKinds[typ], Offset: off, Text: s.advance(n)})
	}
	return out
}
