package exec

import (
	"fmt"
	"strings"

	"github.com/splharness/splharness/spl"
)

// command describes how the evaluator runs one SPL command: the one place
// that says so. The grammar side of the command (its AST struct, syntax,
// doc line and example) is its entry in spl.Commands, under the same name;
// a test checks that the two registries name the same commands.
// docs/architecture.md, "Adding a command", lists the files a new command
// touches.
type command struct {
	// Name is the command's name as spl.Command.Name gives it (lower case).
	// Commands sharing a struct (stats, eventstats, streamstats) have one
	// descriptor each, since they differ in kind and order.
	Name string
	// Compile builds the command's stages once per plan; first is true when
	// the command starts the query (a generating command). Write it with
	// compileAs or compileFirst around a (*planner) method.
	Compile func(p *planner, cmd spl.Command, first bool) (stageBuilder, error)
	// Kind says whether the command streams, transforms or generates.
	Kind commandKind
	// RowByRow is true when each row's output depends on that row alone,
	// so that a run may feed it events in any order (orderSensitive).
	RowByRow bool
	// Order, when set, decides the command's effect on row order for one use
	// of it, instead of RowByRow (fillnull without fields, stats).
	Order func(cmd spl.Command) orderEffect
	// OrderDoc says in words what Order decides, for the reference pages;
	// required with Order.
	OrderDoc string
	// InForeach is true when the command may run inside foreach's
	// subpipeline, which offers it one row at a time.
	InForeach bool
	// Projects, when set, reports whether one use of the command outputs
	// only fields it names (stats, table, fields +), so that a search
	// using it need extract only the fields its text names
	// (neededFields); without it, every field is extracted.
	Projects func(cmd spl.Command) bool
	// Options are the name=value options the command takes; any other is
	// refused as unsupported at its position (parseOptions). A command
	// whose options the compile method reads takes them from
	// p.parseOptions, never from the AST.
	Options []option
}

// commandKind is how a command treats its input rows.
type commandKind int

const (
	// streaming commands handle each row as it comes (eval, where, rex).
	streaming commandKind = iota
	// transforming commands need all their input before they emit
	// (stats, sort, reverse).
	transforming
	// generating commands make rows themselves and may start a search
	// (makeresults, inputlookup).
	generating
)

func (k commandKind) String() string {
	switch k {
	case streaming:
		return "streaming"
	case transforming:
		return "transforming"
	}
	return "generating"
}

// orderEffect is what a command does to the order of the rows it passes on.
type orderEffect int

const (
	// orderMatters: the output depends on the order of the input rows.
	orderMatters orderEffect = iota
	// orderKept: each row's result depends on that row alone.
	orderKept
	// orderReset: the output is the same whatever the input order (stats
	// with order-free functions sorts its groups by their BY values).
	orderReset
)

// order is cmd's effect on row order, by its descriptor.
func (d *command) order(cmd spl.Command) orderEffect {
	if d.Order != nil {
		return d.Order(cmd)
	}
	if d.RowByRow {
		return orderKept
	}
	return orderMatters
}

// commands is the registry of the commands the evaluator knows, by name.
// It is filled by init functions (register), not by an initializer,
// because compile functions reach it again through compileCommand.
var commands = map[string]*command{}

// register adds descriptors to the registry; a name given twice is a
// programming error.
func register(ds ...*command) {
	for _, d := range ds {
		if _, dup := commands[d.Name]; dup {
			panic(fmt.Sprintf("exec: command %s registered twice", d.Name))
		}
		if d.Compile == nil {
			panic(fmt.Sprintf("exec: command %s has no Compile", d.Name))
		}
		if (d.Order == nil) != (d.OrderDoc == "") {
			panic(fmt.Sprintf("exec: command %s has Order without OrderDoc, or the reverse", d.Name))
		}
		commands[d.Name] = d
	}
}

// lookupCommand is the descriptor of cmd, nil when the evaluator does not
// run it.
func lookupCommand(cmd spl.Command) *command {
	return commands[strings.ToLower(cmd.Name())]
}

// compileAs adapts a compile method taking the command's own AST struct.
// A descriptor whose AST struct does not match its name is a programming
// error, caught by the registry test.
func compileAs[C spl.Command](f func(*planner, C) (stageBuilder, error)) func(*planner, spl.Command, bool) (stageBuilder, error) {
	return func(p *planner, cmd spl.Command, _ bool) (stageBuilder, error) {
		c, ok := cmd.(C)
		if !ok {
			return nil, errorf(spl.Position(cmd), "internal error: command %s compiled as %T", cmd.Name(), *new(C))
		}
		return f(p, c)
	}
}

// compileFirst adapts a compile method of a generating command, which is
// told whether the command starts the query.
func compileFirst[C spl.Command](f func(*planner, C, bool) (stageBuilder, error)) func(*planner, spl.Command, bool) (stageBuilder, error) {
	return func(p *planner, cmd spl.Command, first bool) (stageBuilder, error) {
		c, ok := cmd.(C)
		if !ok {
			return nil, errorf(spl.Position(cmd), "internal error: command %s compiled as %T", cmd.Name(), *new(C))
		}
		return f(p, c, first)
	}
}

// always is Projects for a command that always outputs only the fields it
// names.
func always(spl.Command) bool { return true }

// compileCommand compiles one command of a pipeline (after the base
// search) by its descriptor. first is true for a command that starts the
// query. A command without a descriptor is unsupported, at its position.
func (p *planner) compileCommand(cmd spl.Command, first bool) (stageBuilder, error) {
	d := lookupCommand(cmd)
	if d == nil {
		return nil, unsupported(spl.Position(cmd), "command %s is not supported by the evaluator", cmd.Name())
	}
	return d.Compile(p, cmd, first)
}

// CommandDoc is what a command's descriptor says of how the evaluator runs
// it, for the reference pages (spl/internal/refdocs).
type CommandDoc struct {
	// Kind is "streaming", "transforming" or "generating".
	Kind string
	// Order says whether each result depends on that result alone: "row
	// by row", the descriptor's OrderDoc when that depends on the
	// arguments, or "" when results depend on their order.
	Order string
	// InForeach is true when the command may run inside foreach.
	InForeach bool
	// Options are the options the command takes, each as one line of
	// text: its name, kind, default and limits.
	Options []string
}

// DescribeCommand is the descriptor of the command name as documentation;
// false when the evaluator does not run the command.
func DescribeCommand(name string) (CommandDoc, bool) {
	d, ok := commands[name]
	if !ok {
		return CommandDoc{}, false
	}
	doc := CommandDoc{Kind: d.Kind.String(), InForeach: d.InForeach}
	switch {
	case d.Order != nil:
		doc.Order = d.OrderDoc
	case d.RowByRow:
		doc.Order = "row by row"
	}
	for _, o := range d.Options {
		doc.Options = append(doc.Options, o.describe())
	}
	return doc, true
}

// describe is an option spec as one line of text, such as
// "`max_match` (a number, default `1`)".
func (o option) describe() string {
	var parts []string
	switch o.Kind {
	case optField:
		parts = append(parts, "a field")
	case optBool:
		parts = append(parts, "a boolean")
	case optInt:
		if o.Min >= 0 {
			parts = append(parts, fmt.Sprintf("a number, at least %d", o.Min))
		} else {
			parts = append(parts, "a number")
		}
	}
	if len(o.Allowed) > 0 {
		parts = append(parts, oneOf(quoteAll(o.Allowed)))
	}
	if o.Default != "" {
		d := o.Default
		if strings.TrimSpace(d) != d {
			d = `"` + d + `"`
		}
		parts = append(parts, "default `"+d+"`")
	}
	if o.TrueUnsupported {
		parts = append(parts, "true is not supported")
	}
	if o.Unsupported != "" {
		parts = append(parts, "not supported: "+o.Unsupported)
	}
	if o.Doc != "" {
		parts = append(parts, o.Doc)
	}
	s := "`" + o.Name + "`"
	if o.Name == otherNames {
		s = "any other name"
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, "; ") + ")"
	}
	return s
}

func quoteAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "`" + v + "`"
	}
	return out
}
