package spl

// This file is the whole grammar side of the Machine Learning Toolkit's
// fit command: its AST struct, its registry entry, and its printing
// (docs/architecture.md, "Adding a command"). The evaluator's side is
// spl/exec/cmd_mltk.go.

var _ = registerCommand(CommandInfo{
	Name:    "fit",
	Doc:     "fit a machine learning model (MLTK)",
	Example: `| fit DensityFunction bytes dist=norm threshold=0.5 show_density=true`,
	parse:   grammarFor[FitCommand](),
})

// FitCommand is the MLTK `fit <algorithm> [options] <field> [by "<f1,f2>"]
// [into <model>] [options]` (MLTK User Guide, "fit"). By is one word: the
// by fields, comma-separated within quotes when there are several.
type FitCommand struct {
	Pos       Pos
	Algorithm *Word   `parser:"'fit' @@"`
	Options   Options `parser:"@@?"`
	Field     *Word   `parser:"@@"`
	By        *Word   `parser:"( 'by' @@ )?"`
	Into      *Word   `parser:"( 'into' @@ )?"`
	After     Options `parser:"@@?"`
}

// Name implements Command.
func (*FitCommand) Name() string { return "fit" }

func (c *FitCommand) position() Pos { return c.Pos }

func (c *FitCommand) print(p *printer) {
	p.s("fit")
	p.value(c.Algorithm)
	p.options(c.Options)
	p.value(c.Field)
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
