package macro

import (
	"fmt"
	"sort"
	"strings"

	"github.com/splharness/splharness/spl/diag"
)

// Default caps on what expanding untrusted text may cost.
const (
	// DefaultMaxDepth bounds macro nesting. Real content nests two or three
	// levels (the ESCU cloud detections at most 2); 50 leaves room for any
	// sane library while keeping a chain of distinct macros from growing
	// without bound.
	DefaultMaxDepth = 50
	// DefaultMaxSize bounds the expanded text, 1 MiB: a few macros that
	// each call the next twice double the text at every level, and real
	// searches expand to a few kilobytes, far below this.
	DefaultMaxSize = 1 << 20
)

// maxExpansions bounds the number of macro calls expanded for one search.
// Macros whose definitions are only further calls (or comments) can fan out
// exponentially without growing the text, which the size cap cannot see;
// real searches expand tens of calls, and 100k keeps the worst case under
// a tenth of a second.
const maxExpansions = 100_000

// Options tune Expand.
type Options struct {
	// AutoFilter expands an undefined zero-argument macro whose name ends
	// in "_filter" to `search *`, as contentctl generates one for every
	// detection that ships none.
	AutoFilter bool
	// MaxDepth caps macro nesting; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxSize caps the expanded text in bytes; 0 means DefaultMaxSize.
	MaxSize int
}

// Use is one macro call met during expansion, kept so that validation can
// check, for example, that every macro a detection uses is shipped.
type Use struct {
	Name  string
	Arity int
	// Offset is the offset in the original text of the backtick of the
	// call written there; for a call made inside a definition, of the
	// outermost call that led to it.
	Offset int
	// Depth is 0 for a call written in the search, 1 for a call inside its
	// definition, and so on.
	Depth int
	// Auto is true when the macro was undefined and Options.AutoFilter
	// stood in for it.
	Auto bool
}

// Expansion is the result of Expand: the text Splunk would parse, and the
// way back from it to the text that was written.
type Expansion struct {
	// Text is the search with comments removed and macros expanded.
	Text string
	// Source holds Text; its positions are those of the original text, so
	// errors found in Text render at the line and column that was written.
	Source *diag.Source
	// Uses lists every macro call expanded, in the order they were met.
	Uses []Use

	segs    []segment
	origLen int
}

// segment is a run of Text starting at out. A copied segment came from the
// original text at orig, byte for byte; a macro segment is the output of
// the call whose backtick is at orig.
type segment struct {
	out, orig int
	macro     bool
}

// OriginalOffset maps an offset of e.Text to the offset of the original
// text it came from: 1:1 in copied text, the call's backtick in text that a
// macro produced. The result is always within the original text.
func (e *Expansion) OriginalOffset(expandedOffset int) int {
	off := min(max(expandedOffset, 0), len(e.Text))
	i := sort.Search(len(e.segs), func(i int) bool { return e.segs[i].out > off }) - 1
	if i < 0 {
		return 0
	}
	s := e.segs[i]
	if s.macro {
		return s.orig
	}
	return min(s.orig+off-s.out, e.origLen)
}

// Expand removes ``` comments from src.Text and expands its macro calls
// with the macros of set (a nil set has only the built-ins), nested calls
// included. Errors are *diag.Error at the offending offset of src.Text.
func Expand(src *diag.Source, set *Set, opts Options) (*Expansion, error) {
	if src == nil {
		src = diag.NewSource("", "")
	}
	if set == nil {
		set = NewSet()
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = DefaultMaxSize
	}
	x := &expander{src: src, set: set, opts: opts}
	x.out.Grow(len(src.Text) + len(src.Text)/2)
	if err := x.scan(src.Text, 0, 0); err != nil {
		return nil, err
	}
	e := &Expansion{Text: x.out.String(), Uses: x.uses, origLen: len(src.Text)}
	e.segs = append(x.segs, segment{out: len(e.Text), orig: len(src.Text)})
	e.Source = &diag.Source{
		Name:   src.Name,
		Text:   e.Text,
		Locate: func(off int) diag.Position { return src.Position(e.OriginalOffset(off)) },
	}
	return e, nil
}

type expander struct {
	src        *diag.Source
	set        *Set
	opts       Options
	out        strings.Builder
	segs       []segment
	uses       []Use
	stack      []key // calls being expanded, outermost first
	expansions int
}

// scan copies text to the output, dropping comments and expanding calls.
// depth is 0 for the original text, where offsets are real; inside a
// definition every problem is reported at base, the outermost call.
func (x *expander) scan(text string, depth, base int) error {
	at := func(i int) int {
		if depth == 0 {
			return i
		}
		return base
	}
	start := 0 // of the text not yet copied
	for i := 0; i < len(text); {
		j := strings.IndexAny(text[i:], "\"`\\")
		if j < 0 {
			break
		}
		i += j
		switch {
		case text[i] == '\\':
			i += 2 // an escaped quote or backtick is plain text
			continue
		case text[i] == '"':
			i, _ = skipString(text, i)
			continue
		}
		if err := x.copy(text[start:i], start, depth, at(i)); err != nil {
			return err
		}
		if strings.HasPrefix(text[i:], "```") {
			end := strings.Index(text[i+3:], "```")
			if end < 0 {
				return x.errorf(diag.Syntax, at(i), "unterminated ``` comment")
			}
			i += 3 + end + 3
			start = i
			continue
		}
		end := strings.IndexByte(text[i+1:], '`')
		if end < 0 {
			return x.errorf(diag.Syntax, at(i), "unterminated macro call: missing closing backtick")
		}
		if err := x.call(text[i+1:i+1+end], i+1, depth, at(i)); err != nil {
			return err
		}
		i += 1 + end + 1
		start = i
	}
	return x.copy(text[start:], start, depth, at(len(text)))
}

// copy appends text taken from offset orig of the text being scanned.
func (x *expander) copy(text string, orig, depth, at int) error {
	if text == "" {
		return nil
	}
	before := x.out.Len()
	if depth == 0 {
		x.segs = append(x.segs, segment{out: before, orig: orig})
		at = orig + x.opts.MaxSize - before // the first byte over the cap
	}
	x.out.WriteString(text)
	if x.out.Len() > x.opts.MaxSize {
		return x.errorf(diag.Limit, at, "expanded search is larger than %d bytes", x.opts.MaxSize)
	}
	return nil
}

// call expands one call, the text between its backticks, which starts at
// offset textOff of the text being scanned; at is where errors point.
func (x *expander) call(text string, textOff, depth, at int) error {
	name, args, err := x.parseCall(text, textOff, depth, at)
	if err != nil {
		return err
	}
	k := key{name, len(args)}
	m, ok := x.set.macros[k]
	auto := false
	if !ok {
		if !x.opts.AutoFilter || len(args) != 0 || !strings.HasSuffix(name, "_filter") {
			return x.undefined(k, at)
		}
		m, auto = Macro{Name: name, Definition: filterDefinition}, true
	}
	for i, s := range x.stack {
		if s == k {
			return x.errorf(diag.MacroRecursion, at, "macro `%s` calls itself: %s", name, chain(append(x.stack[i:], k)))
		}
	}
	if depth+1 > x.opts.MaxDepth {
		return x.errorf(diag.Limit, at, "macros nested more than %d deep", x.opts.MaxDepth)
	}
	if x.expansions++; x.expansions > maxExpansions {
		return x.errorf(diag.Limit, at, "more than %d macro calls", maxExpansions)
	}
	x.uses = append(x.uses, Use{Name: name, Arity: len(args), Offset: at, Depth: depth, Auto: auto})
	outStart := x.out.Len()
	x.stack = append(x.stack, k)
	err = x.scan(substitute(m, args), depth+1, at)
	x.stack = x.stack[:len(x.stack)-1]
	if err != nil {
		return err
	}
	if depth == 0 && x.out.Len() > outStart {
		x.segs = append(x.segs, segment{out: outStart, orig: at, macro: true})
	}
	return nil
}

// parseCall splits `name` or `name(a, b)` into the name and the
// arguments, each trimmed of surrounding white space. Arguments split on commas outside double quotes and
// parentheses; `name()` has no arguments.
func (x *expander) parseCall(text string, textOff, depth, at int) (string, []string, error) {
	open := strings.IndexByte(text, '(')
	if open < 0 {
		name := strings.TrimSpace(text)
		if name == "" {
			return "", nil, x.errorf(diag.Syntax, at, "empty macro call")
		}
		return name, nil, nil
	}
	name := strings.TrimSpace(text[:open])
	if name == "" {
		return "", nil, x.errorf(diag.Syntax, at, "macro call has no name before (")
	}
	body := strings.TrimRight(text, " \t\r\n")
	if !strings.HasSuffix(body, ")") {
		return "", nil, x.errorf(diag.Syntax, at, "macro call `%s` has no closing parenthesis", name)
	}
	body = body[open+1 : len(body)-1]
	if strings.TrimSpace(body) == "" {
		return name, nil, nil
	}
	var args []string
	nest, from := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			j, closed := skipString(body, i)
			if !closed {
				argAt := at
				if depth == 0 {
					argAt = textOff + open + 1 + i
				}
				return "", nil, x.errorf(diag.Syntax, argAt, "unterminated string in the arguments of macro `%s`", name)
			}
			i = j - 1
		case '(':
			nest++
		case ')':
			nest = max(nest-1, 0)
		case ',':
			if nest == 0 {
				args = append(args, strings.TrimSpace(body[from:i]))
				from = i + 1
			}
		}
	}
	return name, append(args, strings.TrimSpace(body[from:])), nil
}

// skipString returns the offset just past the double-quoted string that
// starts at text[i], or len(text) and false when it is not closed. A
// backslash escapes the next character, as in SPL strings.
func skipString(text string, i int) (int, bool) {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(text), false
}

// substitute returns m's definition with every $arg$ replaced by the value
// at the argument's position, in one pass so that values are never
// substituted again. A $…$ that names no argument stays as written.
func substitute(m Macro, args []string) string {
	def := m.Definition
	if len(args) == 0 || strings.IndexByte(def, '$') < 0 {
		return def
	}
	var b strings.Builder
	b.Grow(len(def) + 16)
	for {
		i := strings.IndexByte(def, '$')
		if i < 0 {
			break
		}
		j := strings.IndexByte(def[i+1:], '$')
		if j < 0 {
			break
		}
		b.WriteString(def[:i])
		if v, ok := argValue(m.Args, args, def[i+1:i+1+j]); ok {
			b.WriteString(v)
			def = def[i+1+j+1:]
		} else {
			b.WriteByte('$')
			def = def[i+1:]
		}
	}
	b.WriteString(def)
	return b.String()
}

func argValue(names, values []string, name string) (string, bool) {
	for i, n := range names {
		if n == name && i < len(values) {
			return values[i], true
		}
	}
	return "", false
}

// undefined reports a call that matches no macro, saying which argument
// counts the name does have, if any.
func (x *expander) undefined(k key, at int) error {
	arities := x.set.arities[k.name]
	if len(arities) == 0 {
		return x.errorf(diag.MacroUndefined, at, "macro `%s` is not defined", k.name)
	}
	var takes string
	if len(arities) == 1 {
		takes = plural(arities[0], "argument")
	} else {
		parts := make([]string, len(arities))
		for i, a := range arities {
			parts[i] = fmt.Sprint(a)
		}
		takes = strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1] + " arguments"
	}
	return x.errorf(diag.MacroArity, at, "macro `%s` takes %s, called with %d", k.name, takes, k.arity)
}

// errorf returns a positioned error; inside a definition it says which
// macros were being expanded, since the offset only shows the outermost.
func (x *expander) errorf(code diag.Code, at int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if len(x.stack) > 0 && code != diag.MacroRecursion {
		msg += " (in " + chain(x.stack) + ")"
	}
	return diag.Errorf(x.src, code, at, "%s", msg)
}

// chain renders a list of calls as `a` → `b` → `c`.
func chain(ks []key) string {
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteString(" → ")
		}
		b.WriteString("`" + k.name + "`")
	}
	return b.String()
}
