package spl

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// commandGrammar parses one command of struct type T with participle. A
// command must end at a pipe, a closing bracket or the end of the text;
// anything else is an error at the deepest point the grammar reached.
type commandGrammar[T any] struct {
	Cmd *T `parser:"@@ (?= Pipe | RBracket | EOF)"`
}

// grammarFor returns a lazily built participle parser for command struct T.
// Each command has its own parser, chosen by the command's name, so that a
// command costs one grammar, not a trial of every command in turn.
func grammarFor[T any, PT interface {
	*T
	Command
}]() func(*lexer.PeekingLexer) (Command, error) {
	var (
		once sync.Once
		p    *participle.Parser[commandGrammar[T]]
	)
	build := func() {
		p = participle.MustBuild[commandGrammar[T]](
			participle.Lexer(splLexer{}),
			participle.Elide("Whitespace", "Comment"),
			participle.CaseInsensitive("Word"),
			participle.UseLookahead(lookahead),
			participle.ParseTypeWith(parseSearchExprTop),
			participle.ParseTypeWith(parseExprTop),
		)
	}
	registerSyntax(reflect.TypeFor[T](), func() string { once.Do(build); return p.String() })
	return func(lex *lexer.PeekingLexer) (Command, error) {
		once.Do(build)
		g, err := p.ParseFromLexer(lex, participle.AllowTrailing(true))
		if err != nil {
			return nil, err
		}
		return PT(g.Cmd), nil
	}
}

// lookahead is how many tokens participle may read past a branch point
// before committing: none. Every alternative of the grammar is decided by
// its first token (or a lookahead group), so an error is reported where it
// is, not at an earlier branch point.
const lookahead = 0

// parseCommand parses one command at the lexer's position: a command of
// the registry by its own grammar, any other as a GenericCommand.
func parseCommand(lex *lexer.PeekingLexer) (Command, error) {
	name := lex.Peek().Value
	info, known := commandByName[strings.ToLower(name)]
	if !known {
		g := &GenericCommand{}
		if err := g.parse(lex); err != nil {
			return nil, err
		}
		return g, nil
	}
	cmd, err := info.parse(lex)
	if err != nil {
		// Participle's own errors name the token but not what was wanted;
		// say which command's arguments are wrong.
		var ute *participle.UnexpectedTokenError
		if errors.As(err, &ute) && ute.Unexpected.Type == tokMacro {
			return nil, unexpandedMacro(&ute.Unexpected)
		}
		if errors.As(err, &ute) && ute.Expect == "" {
			t := ute.Unexpected
			return nil, participle.Errorf(t.Pos, "unexpected %s in the arguments of %s", describe(&t), info.Name)
		}
		return nil, err
	}
	if err := normalizeCommand(cmd); err != nil {
		return nil, err
	}
	return cmd, nil
}

func isKeyword(t *lexer.Token, kw string) bool {
	return (t.Type == tokWord) && strings.EqualFold(t.Value, kw)
}

func isWordToken(t *lexer.Token) bool {
	return t.Type == tokWord || t.Type == tokString || t.Type == tokNumber
}

// adjacent reports whether b starts exactly where a ends.
func adjacent(a, b *lexer.Token) bool {
	return a.Pos.Offset+len(a.Value) == b.Pos.Offset
}

// Parse implements participle.Parseable: a run of adjacent words and quoted
// strings with no space between them.
func (v *Word) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isWordToken(t) {
		return participle.NextMatch
	}
	v.Pos = t.Pos
	var b strings.Builder
	prev := lex.Next()
	b.WriteString(prev.Value)
	for {
		n := lex.Peek()
		if !isWordToken(n) || !adjacent(prev, n) {
			break
		}
		prev = lex.Next()
		b.WriteString(prev.Value)
	}
	v.Raw = b.String()
	return nil
}

// Parse implements participle.Parseable for a whole query.
func (q *Query) Parse(lex *lexer.PeekingLexer) error {
	return q.parse(lex, false)
}

// parse reads commands separated by pipes. In a subsearch a first word that
// names a command is that command (`[inputlookup t]`); elsewhere text before
// the first pipe is the implicit search.
func (q *Query) parse(lex *lexer.PeekingLexer, sub bool) error {
	t := lex.Peek()
	q.Pos = t.Pos
	switch {
	case t.Type == tokPipe:
		// Generating command first: `| tstats ...`.
	case isKeyword(t, "search"):
		cmd, err := parseCommand(lex)
		if err != nil {
			return err
		}
		q.Commands = append(q.Commands, cmd)
	case sub && t.Type == tokWord && isCommandName(t.Value):
		cmd, err := parseCommand(lex)
		if err != nil {
			return err
		}
		q.Commands = append(q.Commands, cmd)
	default:
		s := &SearchCommand{Pos: t.Pos, Implicit: true}
		expr, err := parseSearchExpr(lex, false)
		if err != nil && err != participle.NextMatch {
			return err
		}
		s.Expr = expr
		if expr == nil && t.Type != tokPipe {
			if t.EOF() || t.Type == tokRBracket {
				return participle.Errorf(t.Pos, "empty search")
			}
			return unexpected(t, "a search term")
		}
		q.Commands = append(q.Commands, s)
	}
	return parsePipeTail(lex, &q.Commands)
}

// parsePipeTail reads `| command` pairs until the end of the (sub)search.
func parsePipeTail(lex *lexer.PeekingLexer, cmds *[]Command) error {
	for {
		t := lex.Peek()
		if t.Type != tokPipe {
			return nil
		}
		lex.Next()
		n := lex.Peek()
		if n.Type != tokWord {
			return unexpected(n, "a command name after |")
		}
		cmd, err := parseCommand(lex)
		if err != nil {
			return err
		}
		*cmds = append(*cmds, cmd)
	}
}

// unexpected builds the error for token t where want was expected.
func unexpected(t *lexer.Token, want string) error {
	return participle.Errorf(t.Pos, "unexpected %s, expected %s", describe(t), want)
}

// describe names a token for an error message.
func describe(t *lexer.Token) string {
	switch t.Type {
	case lexer.EOF:
		return "end of search"
	case tokString:
		return "string " + t.Value
	case tokMacro:
		return "macro " + t.Value
	}
	return "\"" + t.Value + "\""
}

// Parse implements participle.Parseable for `[ ... ]`.
func (s *Subsearch) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, s.parse(lex)) }

func (s *Subsearch) parse(lex *lexer.PeekingLexer) error {
	open := lex.Peek()
	if open.Type != tokLBracket {
		return participle.NextMatch
	}
	s.Pos = open.Pos
	lex.Next()
	q := &Query{}
	if err := q.parse(lex, true); err != nil {
		return err
	}
	s.Query = q
	return expectClose(lex, open)
}

func expectClose(lex *lexer.PeekingLexer, open *lexer.Token) error {
	t := lex.Peek()
	if t.Type != tokRBracket {
		if t.EOF() {
			return participle.Errorf(open.Pos, "unclosed subsearch: [ has no matching ]")
		}
		return unexpected(t, "| or ]")
	}
	lex.Next()
	return nil
}

// Parse implements participle.Parseable for a bracketed pipeline that
// continues the outer results: `[ eval x=1 | stats count ]`.
func (s *Subpipeline) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, s.parse(lex)) }

func (s *Subpipeline) parse(lex *lexer.PeekingLexer) error {
	open := lex.Peek()
	if open.Type != tokLBracket {
		return participle.NextMatch
	}
	s.Pos = open.Pos
	lex.Next()
	if lex.Peek().Type == tokPipe {
		lex.Next()
	}
	t := lex.Peek()
	if t.Type != tokWord {
		return unexpected(t, "a command name")
	}
	cmd, err := parseCommand(lex)
	if err != nil {
		return err
	}
	s.Commands = append(s.Commands, cmd)
	if err := parsePipeTail(lex, &s.Commands); err != nil {
		return err
	}
	return expectClose(lex, open)
}

// Parse implements participle.Parseable for `search <expression>`.
func (s *SearchCommand) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, s.parse(lex)) }

func (s *SearchCommand) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isKeyword(t, "search") {
		return participle.NextMatch
	}
	s.Pos = t.Pos
	lex.Next()
	expr, err := parseSearchExpr(lex, false)
	if err == participle.NextMatch {
		return unexpected(lex.Peek(), "a search term")
	}
	if err != nil {
		return err
	}
	s.Expr = expr
	return nil
}

// Parse implements participle.Parseable for `where <search expression>`
// clauses (tstats, mstats, inputlookup), which end at `by`.
func (c *SearchClause) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, c.parse(lex)) }

func (c *SearchClause) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isKeyword(t, "where") {
		return participle.NextMatch
	}
	c.Pos = t.Pos
	lex.Next()
	expr, err := parseSearchExpr(lex, true)
	if err == participle.NextMatch {
		return unexpected(lex.Peek(), "a search term")
	}
	if err != nil {
		return err
	}
	c.Expr = expr
	return nil
}

// Parse implements participle.Parseable for commands the grammar does not
// know: the name and raw arguments up to the next top-level pipe.
func (g *GenericCommand) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, g.parse(lex)) }

func (g *GenericCommand) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokWord {
		return participle.NextMatch
	}
	g.Pos = t.Pos
	g.Command = lex.Next().Value
	var b strings.Builder
	var prev *lexer.Token
	depth := 0
	for {
		t := lex.Peek()
		if t.EOF() && depth > 0 {
			return participle.Errorf(t.Pos, "unexpected end of search: a bracket or parenthesis in the arguments of %s is not closed", g.Command)
		}
		if t.EOF() || depth == 0 && (t.Type == tokPipe || t.Type == tokRBracket || t.Type == tokRParen) {
			break
		}
		switch t.Type {
		case tokLBracket, tokLParen:
			depth++
		case tokRBracket, tokRParen:
			depth--
		case tokError, tokMacro:
			return unexpected(t, "an argument")
		}
		t = lex.Next()
		if prev != nil && !adjacent(prev, t) {
			b.WriteByte(' ')
		}
		b.WriteString(t.Value)
		prev = t
	}
	g.Args = b.String()
	return nil
}

// Parse implements participle.Parseable for `by f1 f2, f3`.
func (c *ByClause) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, c.parse(lex)) }

func (c *ByClause) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isKeyword(t, "by") {
		return participle.NextMatch
	}
	c.Pos = t.Pos
	lex.Next()
	for {
		n := lex.Peek()
		if n.Type == tokComma && len(c.Fields) > 0 {
			lex.Next()
			continue
		}
		if isOptionAhead(lex) {
			// tstats and timechart allow `by _time span=1h user`: an option
			// between fields belongs to the BY clause. One after the last
			// field is left for the command.
			cp := lex.MakeCheckpoint()
			var opts []*Option
			for isOptionAhead(lex) {
				opt := &Option{}
				if err := opt.Parse(lex); err != nil {
					return err
				}
				opts = append(opts, opt)
				if lex.Peek().Type == tokComma && !startsField(lex) {
					lex.Next()
				}
			}
			if len(c.Fields) > 0 && startsField(lex) {
				c.Options.Items = append(c.Options.Items, opts...)
				continue
			}
			lex.LoadCheckpoint(cp)
			break
		}
		if !isWordToken(n) {
			break
		}
		c.Fields = append(c.Fields, parseField(lex))
	}
	if len(c.Fields) == 0 {
		return unexpected(lex.Peek(), "a field name after BY")
	}
	return nil
}

// startsField reports whether a field name (not an option) comes next,
// after an optional comma.
func startsField(lex *lexer.PeekingLexer) bool {
	cp := lex.MakeCheckpoint()
	defer lex.LoadCheckpoint(cp)
	if lex.Peek().Type == tokComma {
		lex.Next()
	}
	return isWordToken(lex.Peek()) && !isOptionAhead(lex)
}

// parseField reads a field name: a value, plus an adjacent parenthesised
// suffix, as in the MLTK output field IsOutlier(count). Splunk splits
// arguments at spaces, so such a name is one argument.
func parseField(lex *lexer.PeekingLexer) *Word {
	v := &Word{}
	_ = v.Parse(lex)
	open := lex.Peek()
	if open.Type != tokLParen || open.Pos.Offset != v.Pos.Offset+len(v.Raw) {
		return v
	}
	cp := lex.MakeCheckpoint()
	var b strings.Builder
	b.WriteString(v.Raw)
	prev := lex.Next()
	b.WriteString(prev.Value)
	depth := 1
	for depth > 0 {
		t := lex.Peek()
		if t.EOF() || !adjacent(prev, t) {
			lex.LoadCheckpoint(cp)
			return v
		}
		switch t.Type {
		case tokLParen:
			depth++
		case tokRParen:
			depth--
		}
		prev = lex.Next()
		b.WriteString(prev.Value)
	}
	v.Raw = b.String()
	return v
}

// isOptionAhead reports whether the next tokens are `word =`.
func isOptionAhead(lex *lexer.PeekingLexer) bool {
	cp := lex.MakeCheckpoint()
	defer lex.LoadCheckpoint(cp)
	if lex.Next().Type != tokWord {
		return false
	}
	n := lex.Peek()
	return n.Type == tokOp && n.Value == "="
}

// Parse implements participle.Parseable for `from AS to`.
func (r *Rename) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, r.parse(lex)) }

func (r *Rename) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isWordToken(t) {
		return participle.NextMatch
	}
	r.Pos = t.Pos
	r.From = parseField(lex)
	if !isKeyword(lex.Peek(), "as") {
		return unexpected(lex.Peek(), "AS after "+r.From.Raw)
	}
	lex.Next()
	if !isWordToken(lex.Peek()) {
		return unexpected(lex.Peek(), "a new field name after AS")
	}
	r.To = parseField(lex)
	return nil
}

// fatal ends the parse with err. Participle treats an error as "this branch
// did not match" when the branch read fewer tokens than its lookahead, and
// would then report a vaguer error elsewhere; moving the lexer to the end
// makes the branch too long to retry, so err is what the user sees.
func fatal(lex tokens, err error) error {
	if err == nil || err == participle.NextMatch {
		return err
	}
	for !lex.Peek().EOF() {
		lex.Next()
	}
	return err
}

// Parse implements participle.Parseable for `name=value`.
func (o *Option) Parse(lex *lexer.PeekingLexer) error {
	if !isOptionAhead(lex) {
		return participle.NextMatch
	}
	name := lex.Next()
	o.Pos, o.Name = name.Pos, name.Value
	lex.Next()
	o.Value = &Word{}
	if err := o.Value.Parse(lex); err != nil {
		return fatal(lex, unexpected(lex.Peek(), "a value after "+o.Name+"="))
	}
	return nil
}

// Parse implements participle.Parseable for a sort key.
func (k *SortKey) Parse(lex *lexer.PeekingLexer) error { return fatal(lex, k.parse(lex)) }

func (k *SortKey) parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type == tokWord && (t.Value == "+" || t.Value == "-") {
		k.Sign = t.Value
		lex.Next()
		t = lex.Peek()
	}
	k.Pos = t.Pos
	k.Key = &Word{}
	if err := k.Key.Parse(lex); err != nil {
		if k.Sign != "" {
			return unexpected(t, "a field to sort by")
		}
		return participle.NextMatch
	}
	if open := lex.Peek(); open.Type == tokLParen {
		lex.Next()
		k.Func = strings.ToLower(k.Key.Raw)
		if k.Sign == "" && len(k.Func) > 1 && (k.Func[0] == '-' || k.Func[0] == '+') {
			// -str(url): the sign, lexed with the function's name, orders.
			k.Sign, k.Func = k.Func[:1], k.Func[1:]
		}
		k.Key = &Word{}
		if err := k.Key.Parse(lex); err != nil {
			return unexpected(lex.Peek(), "a field inside "+k.Func+"()")
		}
		if c := lex.Peek(); c.Type != tokRParen {
			return unexpected(c, ")")
		}
		lex.Next()
	}
	return nil
}

// Parse implements participle.Parseable for the regex command's arguments.
func (c *RegexCommand) Parse(lex *lexer.PeekingLexer) error {
	if !isKeyword(lex.Peek(), "regex") {
		return participle.NextMatch
	}
	c.Pos = lex.Next().Pos
	return fatal(lex, c.parse(lex))
}

func (c *RegexCommand) parse(lex *lexer.PeekingLexer) error {
	first := &Word{}
	if err := first.Parse(lex); err != nil {
		return unexpected(lex.Peek(), "a regular expression")
	}
	if op := lex.Peek(); op.Type == tokOp && (op.Value == "=" || op.Value == "!=") {
		lex.Next()
		c.Field, c.Op = first, op.Value
		c.Regex = &Word{}
		if err := c.Regex.Parse(lex); err != nil {
			return unexpected(lex.Peek(), "a regular expression after "+first.Raw+op.Value)
		}
		return nil
	}
	c.Regex = first
	return nil
}

// Parse implements participle.Parseable for `from datamodel=X` or `from X`.
func (d *DatasetRef) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !isKeyword(t, "from") {
		return participle.NextMatch
	}
	d.Pos = lex.Next().Pos
	if isOptionAhead(lex) {
		d.Kind = &Word{}
		_ = d.Kind.Parse(lex)
		lex.Next()
	}
	d.Name = &Word{}
	if err := d.Name.Parse(lex); err != nil {
		return fatal(lex, unexpected(lex.Peek(), "a data model name after from"))
	}
	return nil
}
