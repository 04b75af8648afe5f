package spl

// This file is the whole grammar side of the makemv command: its AST
// struct, its registry entry, and its printing (docs/architecture.md,
// "Adding a command"). The evaluator's side is spl/exec/cmd_makemv.go.

var _ = registerCommand(CommandInfo{
	Name:    "makemv",
	Doc:     "split a field into values",
	Example: `| makemv delim="," src`,
	parse:   grammarFor[MakemvCommand](),
})

// MakemvCommand is `makemv [delim=s|tokenizer=re] [allowempty=b] [setsv=b] field`.
type MakemvCommand struct {
	Pos     Pos
	Options Options `parser:"'makemv' @@?"`
	Field   *Word   `parser:"@@"`
}

// Name implements Command.
func (*MakemvCommand) Name() string { return "makemv" }

func (c *MakemvCommand) position() Pos { return c.Pos }

func (c *MakemvCommand) print(p *printer) {
	p.s("makemv")
	p.options(c.Options)
	p.value(c.Field)
}
