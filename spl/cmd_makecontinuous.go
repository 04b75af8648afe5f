package spl

// This file is the whole grammar side of the makecontinuous command: its
// AST struct, its registry entry, and its printing (docs/architecture.md,
// "Adding a command"). The evaluator's side is
// spl/exec/cmd_makecontinuous.go.

var _ = registerCommand(CommandInfo{
	Name:    "makecontinuous",
	Doc:     "add empty buckets where a field has no value",
	Example: `| makecontinuous span=30s _time`,
	parse:   grammarFor[MakecontinuousCommand](),
})

// MakecontinuousCommand is `makecontinuous [options] [field] [options]`.
type MakecontinuousCommand struct {
	Pos     Pos
	Options Options `parser:"'makecontinuous' @@?"`
	Field   *Word   `parser:"@@?"`
	After   Options `parser:"@@?"`
}

// Name implements Command.
func (*MakecontinuousCommand) Name() string { return "makecontinuous" }

func (c *MakecontinuousCommand) position() Pos { return c.Pos }

func (c *MakecontinuousCommand) print(p *printer) {
	p.s("makecontinuous")
	p.options(c.Options)
	p.value(c.Field)
	p.options(c.After)
}
