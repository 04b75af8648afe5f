package spl

// Commands that work on the values of results one after another: strcat,
// mvcombine, rangemap, filldown, uniq, accum, delta, autoregress. Each is
// one struct, registered in Commands, printed canonically below.

// StrcatCommand is `strcat [allrequired=b] source... dest`: quoted sources
// are literal strings, the others fields; the last word is the new field.
type StrcatCommand struct {
	Pos     Pos
	Options Options   `parser:"'strcat' @@?"`
	Fields  FieldList `parser:"@@"`
}

// MvcombineCommand is `mvcombine [delim=s] field`.
type MvcombineCommand struct {
	Pos     Pos
	Options Options `parser:"'mvcombine' @@?"`
	Field   *Word   `parser:"@@"`
}

// RangemapCommand is `rangemap field=f name=lo-hi... [default=s]`: every
// argument is an option.
type RangemapCommand struct {
	Pos     Pos
	Options Options `parser:"'rangemap' @@"`
}

// FilldownCommand is `filldown [fields]`.
type FilldownCommand struct {
	Pos    Pos
	Fields FieldList `parser:"'filldown' @@?"`
}

// UniqCommand is `uniq`.
type UniqCommand struct {
	Pos     Pos
	Keyword string `parser:"@'uniq'"`
}

// AccumCommand is `accum field [AS new]`.
type AccumCommand struct {
	Pos   Pos
	Field *Word `parser:"'accum' @@"`
	As    *Word `parser:"( 'as' @@ )?"`
}

// DeltaCommand is `delta field [AS new] [p=N]`.
type DeltaCommand struct {
	Pos     Pos
	Field   *Word   `parser:"'delta' @@"`
	As      *Word   `parser:"( 'as' @@ )?"`
	Options Options `parser:"@@?"`
}

// AutoregressCommand is `autoregress field [AS new] [p=N | p=M-N]`.
type AutoregressCommand struct {
	Pos     Pos
	Field   *Word   `parser:"'autoregress' @@"`
	As      *Word   `parser:"( 'as' @@ )?"`
	Options Options `parser:"@@?"`
}

func (*StrcatCommand) Name() string      { return "strcat" }
func (*MvcombineCommand) Name() string   { return "mvcombine" }
func (*RangemapCommand) Name() string    { return "rangemap" }
func (*FilldownCommand) Name() string    { return "filldown" }
func (*UniqCommand) Name() string        { return "uniq" }
func (*AccumCommand) Name() string       { return "accum" }
func (*DeltaCommand) Name() string       { return "delta" }
func (*AutoregressCommand) Name() string { return "autoregress" }

func (c *StrcatCommand) position() Pos      { return c.Pos }
func (c *MvcombineCommand) position() Pos   { return c.Pos }
func (c *RangemapCommand) position() Pos    { return c.Pos }
func (c *FilldownCommand) position() Pos    { return c.Pos }
func (c *UniqCommand) position() Pos        { return c.Pos }
func (c *AccumCommand) position() Pos       { return c.Pos }
func (c *DeltaCommand) position() Pos       { return c.Pos }
func (c *AutoregressCommand) position() Pos { return c.Pos }

func (c *StrcatCommand) print(p *printer) {
	p.s("strcat")
	p.options(c.Options)
	p.values(c.Fields, " ")
}

func (c *MvcombineCommand) print(p *printer) {
	p.s("mvcombine")
	p.options(c.Options)
	p.value(c.Field)
}

func (c *RangemapCommand) print(p *printer) {
	p.s("rangemap")
	p.options(c.Options)
}

func (c *FilldownCommand) print(p *printer) {
	p.s("filldown")
	p.values(c.Fields, " ")
}

func (c *UniqCommand) print(p *printer) { p.s("uniq") }

func (c *AccumCommand) print(p *printer) {
	p.s("accum")
	p.value(c.Field)
	p.as(c.As)
}

func (c *DeltaCommand) print(p *printer) {
	p.s("delta")
	p.value(c.Field)
	p.as(c.As)
	p.options(c.Options)
}

func (c *AutoregressCommand) print(p *printer) {
	p.s("autoregress")
	p.value(c.Field)
	p.as(c.As)
	p.options(c.Options)
}

// normalize writes the keyword in lower case, as it prints.
func (c *UniqCommand) normalize() error {
	c.Keyword = "uniq"
	return nil
}
