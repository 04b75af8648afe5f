package spl

// This file is the whole grammar side of the Machine Learning Toolkit's
// fit command: its AST struct, its registry entry, and its printing
// (docs/architecture.md, "Adding a command"). The evaluator's side is
// spl/exec/cmd_mltk.go.

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

var _ = registerCommand(CommandInfo{
	Name:    "fit",
	Doc:     "fit a machine learning model (MLTK)",
	Example: `| fit DensityFunction bytes dist=norm threshold=0.5 show_density=true`,
	parse:   grammarFor[FitCommand](),
})

// FitCommand is the MLTK `fit <algorithm> [options] <fields> [from
// <fields>] [options] [by "<f1,f2>"] [into <model>] [options]` (MLTK User
// Guide, "fit"). By is one word: the by fields, comma-separated within
// quotes when there are several.
type FitCommand struct {
	Pos       Pos
	Algorithm *Word      `parser:"'fit' @@"`
	Options   Options    `parser:"@@?"`
	Fields    FitFields  `parser:"@@"`
	From      *FitFields `parser:"( 'from' @@ )?"`
	Mid       Options    `parser:"@@?"`
	By        *Word      `parser:"( 'by' @@ )?"`
	Into      *Word      `parser:"( 'into' @@ )?"`
	After     Options    `parser:"@@?"`
}

// FitFields is a list of fields of fit, which ends at FROM, BY, INTO or
// an option.
type FitFields struct {
	Items []*Word
}

// Parse implements participle.Parseable.
func (f *FitFields) Parse(lex *lexer.PeekingLexer) error {
	for {
		t := lex.Peek()
		if t.Type == tokComma {
			lex.Next()
			continue
		}
		if !isWordToken(t) || t.Type == tokWord && fitStopWords[strings.ToLower(t.Value)] || isOptionAhead(lex) {
			break
		}
		f.Items = append(f.Items, parseField(lex))
	}
	if len(f.Items) == 0 {
		return participle.NextMatch
	}
	return nil
}

// fitStopWords end a list of fit's fields.
var fitStopWords = map[string]bool{"from": true, "by": true, "into": true}

// Name implements Command.
func (*FitCommand) Name() string { return "fit" }

func (c *FitCommand) position() Pos { return c.Pos }

func (c *FitCommand) print(p *printer) {
	p.s("fit")
	p.value(c.Algorithm)
	p.options(c.Options)
	for _, f := range c.Fields.Items {
		p.value(f)
	}
	if c.From != nil {
		p.word("from")
		for _, f := range c.From.Items {
			p.value(f)
		}
	}
	p.options(c.Mid)
	if c.By != nil {
		p.word("by")
		p.value(c.By)
	}
	if c.Into != nil {
		p.word("into")
		p.value(c.Into)
	}
	p.options(c.After)
}
