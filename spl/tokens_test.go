package spl

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []Token
	}{
		{"", nil},
		{"`cloudtrail` eventName=\"a|b\" | stats count(x) by user ```c | d```", []Token{
			{TokenMacro, 0, "`cloudtrail`"}, {TokenSpace, 12, " "}, {TokenWord, 13, "eventName"},
			{TokenOp, 22, "="}, {TokenString, 23, `"a|b"`}, {TokenSpace, 28, " "}, {TokenPipe, 29, "|"},
			{TokenSpace, 30, " "}, {TokenWord, 31, "stats"}, {TokenSpace, 36, " "}, {TokenWord, 37, "count"},
			{TokenLParen, 42, "("}, {TokenWord, 43, "x"}, {TokenRParen, 44, ")"}, {TokenSpace, 45, " "},
			{TokenWord, 46, "by"}, {TokenSpace, 48, " "}, {TokenWord, 49, "user"}, {TokenSpace, 53, " "},
			{TokenComment, 54, "```c | d```"},
		}},
		{"[search a!=1, b<=2]", []Token{
			{TokenLBracket, 0, "["}, {TokenWord, 1, "search"}, {TokenSpace, 7, " "}, {TokenWord, 8, "a"},
			{TokenOp, 9, "!="}, {TokenNumber, 11, "1"}, {TokenComma, 12, ","}, {TokenSpace, 13, " "},
			{TokenWord, 14, "b"}, {TokenOp, 15, "<="}, {TokenNumber, 17, "2"}, {TokenRBracket, 18, "]"},
		}},
		{`x="unterminated | y`, []Token{{TokenWord, 0, "x"}, {TokenOp, 1, "="}, {TokenError, 2, `"unterminated | y`}}},
	} {
		got := Tokens(tc.text)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Tokens(%q) (-want +got):\n%s", tc.text, diff)
		}
		var b strings.Builder
		for _, tok := range got {
			b.WriteString(tok.Text)
		}
		if b.String() != tc.text {
			t.Errorf("Tokens(%q) joined is %q", tc.text, b.String())
		}
	}
}
