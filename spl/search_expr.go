package spl

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// SearchExpr is a logical expression of the search command. Its rules
// differ from eval's: OR binds tighter than AND, AND is implied between
// terms, operators are uppercase only, and values are patterns.
type SearchExpr interface {
	node
	searchExpr()
}

// SearchAnd is terms joined by AND (written or implied).
type SearchAnd struct {
	Pos   Pos
	Terms []SearchExpr
}

// SearchOr is terms joined by OR.
type SearchOr struct {
	Pos   Pos
	Terms []SearchExpr
}

// SearchNot is NOT applied to the next term.
type SearchNot struct {
	Pos  Pos
	Term SearchExpr
}

// SearchCompare is `field op value`: `eventName=Describe*`, `count>9`,
// `host=CASE(LOCALHOST)`.
type SearchCompare struct {
	Pos   Pos
	Field *Word
	Op    string // = != < <= > >=
	Value *Word
	// Func is CASE when the value is CASE(...) (a case-sensitive match) or
	// TERM for TERM(...); empty otherwise.
	Func string
}

// SearchIn is `field IN (v1, "v 2", v3*)`.
type SearchIn struct {
	Pos    Pos
	Field  *Word
	Values []*Word
}

// SearchKeyword is a bare term or quoted phrase matched against _raw.
type SearchKeyword struct {
	Pos   Pos
	Value *Word
}

// SearchTermFunc is `TERM(x)` or `CASE(x)`.
type SearchTermFunc struct {
	Pos   Pos
	Func  string // TERM or CASE, uppercase
	Value *Word
}

// SearchSubsearch is a subsearch used as a search term.
type SearchSubsearch struct {
	Pos       Pos
	Subsearch *Subsearch
}

func (*SearchAnd) searchExpr()       {}
func (*SearchOr) searchExpr()        {}
func (*SearchNot) searchExpr()       {}
func (*SearchCompare) searchExpr()   {}
func (*SearchIn) searchExpr()        {}
func (*SearchKeyword) searchExpr()   {}
func (*SearchTermFunc) searchExpr()  {}
func (*SearchSubsearch) searchExpr() {}

// maxNesting is the default of max_nesting (Limits.MaxDepth): it caps
// parentheses, brackets, function calls and operators inside one another.
// Real searches nest fewer than 15 deep; the cap keeps hostile input from
// exhausting the stack.
const maxNesting = 100

// searchParser parses search expressions from the shared token stream.
type searchParser struct {
	lex    *lexer.PeekingLexer
	clause bool // a where clause of tstats/mstats/inputlookup: stop at `by`
	depth  int
	max    int // max_nesting
}

func parseSearchExprTop(lex *lexer.PeekingLexer) (SearchExpr, error) {
	e, err := parseSearchExpr(lex, false)
	return e, fatal(lex, err)
}

// parseSearchExpr parses a search expression, or returns NextMatch when
// the next token cannot start one.
func parseSearchExpr(lex *lexer.PeekingLexer, clause bool) (SearchExpr, error) {
	p := &searchParser{lex: lex, clause: clause, max: depthLimit(lex)}
	return p.and()
}

// startsTerm reports whether t can begin a search term.
func (p *searchParser) startsTerm(t *lexer.Token) bool {
	switch t.Type {
	case tokWord:
		if p.clause && strings.EqualFold(t.Value, "by") {
			return false
		}
		return t.Value != "OR" && t.Value != "AND"
	case tokNumber, tokString, tokLParen, tokLBracket:
		return true
	}
	return false
}

func (p *searchParser) and() (SearchExpr, error) {
	first := p.lex.Peek()
	var terms []SearchExpr
	for {
		t := p.lex.Peek()
		if t.Type == tokWord && t.Value == "AND" {
			if len(terms) == 0 {
				return nil, unexpected(t, "a search term before AND")
			}
			p.lex.Next()
			if !p.startsTerm(p.lex.Peek()) {
				return nil, unexpected(p.lex.Peek(), "a search term after AND")
			}
			continue
		}
		if !p.startsTerm(t) {
			if t.Type == tokWord && t.Value == "OR" && len(terms) == 0 {
				return nil, unexpected(t, "a search term before OR")
			}
			if t.Type == tokMacro {
				return nil, unexpandedMacro(t)
			}
			break
		}
		term, err := p.or()
		if err != nil {
			return nil, err
		}
		terms = append(terms, term)
	}
	switch len(terms) {
	case 0:
		return nil, participle.NextMatch
	case 1:
		return terms[0], nil
	}
	return &SearchAnd{Pos: first.Pos, Terms: terms}, nil
}

func (p *searchParser) or() (SearchExpr, error) {
	first, err := p.not()
	if err != nil {
		return nil, err
	}
	terms := []SearchExpr{first}
	for {
		t := p.lex.Peek()
		if t.Type != tokWord || t.Value != "OR" {
			break
		}
		p.lex.Next()
		if !p.startsTerm(p.lex.Peek()) {
			return nil, unexpected(p.lex.Peek(), "a search term after OR")
		}
		next, err := p.not()
		if err != nil {
			return nil, err
		}
		terms = append(terms, next)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &SearchOr{Pos: first.position(), Terms: terms}, nil
}

func (p *searchParser) not() (SearchExpr, error) {
	t := p.lex.Peek()
	if t.Type == tokWord && t.Value == "NOT" {
		p.lex.Next()
		if !p.startsTerm(p.lex.Peek()) {
			return nil, unexpected(p.lex.Peek(), "a search term after NOT")
		}
		if err := p.enter(t); err != nil {
			return nil, err
		}
		term, err := p.not()
		p.depth--
		if err != nil {
			return nil, err
		}
		return &SearchNot{Pos: t.Pos, Term: term}, nil
	}
	return p.primary()
}

func (p *searchParser) enter(t *lexer.Token) error {
	p.depth++
	if p.depth > p.max {
		return tooDeep(t.Pos, p.max)
	}
	return nil
}

func (p *searchParser) primary() (SearchExpr, error) {
	t := p.lex.Peek()
	switch t.Type {
	case tokLParen:
		if err := p.enter(t); err != nil {
			return nil, err
		}
		p.lex.Next()
		if c := p.lex.Peek(); c.Type == tokRParen {
			// Empty parentheses match every event: the Common Information
			// Model's cim_<Model>_indexes macros are () until an index list
			// is set ("Set up the Splunk Common Information Model Add-on").
			p.lex.Next()
			p.depth--
			return &SearchKeyword{Pos: t.Pos, Value: &Word{Pos: t.Pos, Raw: "*"}}, nil
		}
		inner, err := p.and()
		if err == participle.NextMatch {
			return nil, unexpected(p.lex.Peek(), "a search term after (")
		}
		if err != nil {
			return nil, err
		}
		if c := p.lex.Peek(); c.Type != tokRParen {
			if c.EOF() || c.Type == tokPipe || c.Type == tokRBracket {
				return nil, participle.Errorf(t.Pos, "unbalanced parenthesis: ( has no matching )")
			}
			return nil, unexpected(c, ")")
		}
		p.lex.Next()
		p.depth--
		return inner, nil
	case tokLBracket:
		if err := p.enter(t); err != nil {
			return nil, err
		}
		sub := &Subsearch{}
		if err := sub.parse(p.lex); err != nil {
			return nil, err
		}
		p.depth--
		return &SearchSubsearch{Pos: t.Pos, Subsearch: sub}, nil
	}
	// TERM(x) and CASE(x).
	if fn, v, ok, err := p.termFunc(); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return &SearchTermFunc{Pos: t.Pos, Func: fn, Value: v}, nil
	}
	field, ok := p.term(false)
	if !ok {
		return nil, unexpected(t, "a search term")
	}
	op := p.lex.Peek()
	if op.Type == tokOp {
		if op.Value == "==" {
			return nil, participle.Errorf(op.Pos, "the search command compares with =, not ==")
		}
		p.lex.Next()
		if fn, v, ok, err := p.termFunc(); ok || err != nil {
			if err != nil {
				return nil, err
			}
			return &SearchCompare{Pos: t.Pos, Field: field, Op: op.Value, Value: v, Func: fn}, nil
		}
		v, ok := p.term(true)
		if !ok {
			return nil, unexpected(p.lex.Peek(), "a value after "+field.Raw+op.Value)
		}
		return &SearchCompare{Pos: t.Pos, Field: field, Op: op.Value, Value: v}, nil
	}
	if op.Type == tokWord && (op.Value == "IN" || op.Value == "in") {
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		if open := p.lex.Peek(); open.Type == tokLParen {
			p.lex.Next()
			in := &SearchIn{Pos: t.Pos, Field: field}
			for {
				c := p.lex.Peek()
				if c.Type == tokRParen {
					p.lex.Next()
					break
				}
				if c.Type == tokComma {
					p.lex.Next()
					continue
				}
				v := &Word{}
				if err := v.Parse(p.lex); err != nil {
					if c.EOF() || c.Type == tokPipe {
						return nil, participle.Errorf(open.Pos, "unbalanced parenthesis: ( has no matching )")
					}
					return nil, unexpected(c, "a value or ) in the IN list")
				}
				in.Values = append(in.Values, v)
			}
			if len(in.Values) == 0 {
				return nil, participle.Errorf(open.Pos, "empty IN list")
			}
			return in, nil
		}
		p.lex.LoadCheckpoint(cp)
	}
	return &SearchKeyword{Pos: t.Pos, Value: field}, nil
}

// termFunc reads TERM(x) or CASE(x) when they come next (the name directly
// followed by a parenthesis); ok is false, with nothing read, otherwise.
func (p *searchParser) termFunc() (fn string, v *Word, ok bool, err error) {
	t := p.lex.Peek()
	if t.Type != tokWord || !strings.EqualFold(t.Value, "TERM") && !strings.EqualFold(t.Value, "CASE") {
		return "", nil, false, nil
	}
	cp := p.lex.MakeCheckpoint()
	p.lex.Next()
	open := p.lex.Peek()
	if open.Type != tokLParen || !adjacent(t, open) {
		p.lex.LoadCheckpoint(cp)
		return "", nil, false, nil
	}
	p.lex.Next()
	fn = strings.ToUpper(t.Value)
	v = &Word{}
	if err := v.Parse(p.lex); err != nil {
		return "", nil, true, unexpected(p.lex.Peek(), "a term inside "+fn+"()")
	}
	if c := p.lex.Peek(); c.Type != tokRParen {
		return "", nil, true, unexpected(c, ")")
	}
	p.lex.Next()
	return fn, v, true, nil
}

// term reads one search term: like Word, adjacent words and quoted strings
// with no space between them, and also a parenthesised part directly after
// a word, kept whole with what it encloses (`*GetCurrent()*`,
// `relative_time(now(), "-10m@m")`): Splunk groups with parentheses only
// where a term starts, so these are literal text. A parenthesis that is
// not closed before the end of the (sub)search leaves the term at the
// word, for the caller to report.
//
// In a value (after an operator), a quoted string ends the term when a
// field comparison follows it directly, as in
// `process="* Nul*"process="*&gt;*"` (two comparisons): a quoted value
// cannot go on into a field name.
func (p *searchParser) term(value bool) (*Word, bool) {
	t := p.lex.Peek()
	if !isWordToken(t) {
		return nil, false
	}
	w := &Word{Pos: t.Pos}
	var b strings.Builder
	prev := p.lex.Next()
	b.WriteString(prev.Value)
	for {
		n := p.lex.Peek()
		if !adjacent(prev, n) {
			break
		}
		if n.Type == tokLParen && prev.Type == tokWord {
			if strings.EqualFold(b.String(), "IN") {
				// IN( starts a value list after a field, never a
				// term's text: `(x)IN()` must not print as `x IN()`.
				break
			}
			group, last, ok := p.parenGroup()
			if !ok {
				break
			}
			b.WriteString(group)
			prev = last
			continue
		}
		if !isWordToken(n) || value && prev.Type == tokString && n.Type == tokWord && p.comparisonAhead() {
			break
		}
		prev = p.lex.Next()
		b.WriteString(prev.Value)
	}
	w.Raw = b.String()
	return w, true
}

// comparisonAhead reports whether the next tokens are a word and a
// comparison operator.
func (p *searchParser) comparisonAhead() bool {
	cp := p.lex.MakeCheckpoint()
	defer p.lex.LoadCheckpoint(cp)
	p.lex.Next()
	return p.lex.Peek().Type == tokOp
}

// parenGroup reads a balanced parenthesised group at the lexer's position
// and returns its text (tokens separated by a space where the source has
// space) and its last token; ok is false, with nothing read, when the
// group is not closed before a pipe, a bracket or the end of the text.
func (p *searchParser) parenGroup() (text string, last *lexer.Token, ok bool) {
	cp := p.lex.MakeCheckpoint()
	var b strings.Builder
	depth := 0
	var prev *lexer.Token
	for {
		t := p.lex.Peek()
		switch t.Type {
		case tokLParen:
			depth++
		case tokRParen:
			depth--
		case tokPipe, tokLBracket, tokRBracket, tokMacro, tokError, lexer.EOF:
			p.lex.LoadCheckpoint(cp)
			return "", nil, false
		}
		if depth > p.max {
			p.lex.LoadCheckpoint(cp)
			return "", nil, false
		}
		t = p.lex.Next()
		if prev != nil && !adjacent(prev, t) {
			b.WriteByte(' ')
		}
		b.WriteString(t.Value)
		prev = t
		if depth == 0 {
			return b.String(), prev, true
		}
	}
}
