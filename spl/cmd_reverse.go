package spl

// This file is the whole grammar side of the reverse command: its AST
// struct, its registry entry, and its printing (docs/architecture.md,
// "Adding a command"). The evaluator's side is spl/exec/cmd_reverse.go.

var _ = registerCommand(CommandInfo{
	Name:    "reverse",
	Doc:     "reverse result order",
	Example: "| reverse",
	parse:   grammarFor[ReverseCommand](),
})

// ReverseCommand is `reverse`.
type ReverseCommand struct {
	Pos     Pos
	Keyword string `parser:"@'reverse'"`
}

// Name implements Command.
func (*ReverseCommand) Name() string { return "reverse" }

func (c *ReverseCommand) position() Pos    { return c.Pos }
func (c *ReverseCommand) print(p *printer) { p.s("reverse") }

// normalize writes the keyword in lower case, as it prints.
func (c *ReverseCommand) normalize() error {
	c.Keyword = "reverse"
	return nil
}
