package spl

import (
	"errors"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// Limits on what one search may cost to parse. Untrusted text (content from
// many hands, fuzzers) must fail with a clear error, never exhaust memory or
// the stack.
const (
	// MaxQueryBytes is far above any real detection (the largest ESCU search
	// is about 3 KB expanded) but keeps a pathological input cheap to reject.
	MaxQueryBytes = 1 << 20
	// MaxNestingCap is the most max_nesting may be raised to. Parsing and
	// evaluating recurse once per level, so a level costs a few hundred
	// bytes of stack; a thousand levels stay far below Go's stack limit
	// (1 GB) even with participle's frames, and far above any real search
	// (ESCU nests at most 14 deep).
	MaxNestingCap = 1000
)

// Limits cap what parsing one search may cost. The zero value of a field
// means its default.
type Limits struct {
	// MaxBytes is the longest search accepted (default MaxQueryBytes).
	MaxBytes int
	// MaxDepth caps nesting (max_nesting): brackets and parentheses, and
	// inside an expression every operator, call and parenthesis, so that
	// a chain of 700,000 unary minus signs is an error, not a stack
	// overflow (default 100, at most MaxNestingCap).
	MaxDepth int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = MaxQueryBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = maxNesting
	}
	return l
}

// parseDepths holds the max_nesting of each parse under way, keyed by the
// first token of its token stream: participle hands the custom expression
// parsers a copy of the lexer, but the copy shares its tokens.
var parseDepths sync.Map

// depthLimit returns the max_nesting of the parse that lex belongs to.
func depthLimit(lex *lexer.PeekingLexer) int {
	if v, ok := parseDepths.Load(&lex.Range(0, 1)[0]); ok {
		return v.(int)
	}
	return maxNesting
}

// Parse parses the SPL text of src (already macro-expanded) into a Query.
// Errors are *diag.Error with code spl-syntax (or limit), positioned in src.
func Parse(src *diag.Source) (*Query, error) { return ParseWith(src, Limits{}) }

// ParseWith is Parse with limits.
func ParseWith(src *diag.Source, limits Limits) (*Query, error) {
	q := &Query{}
	err := parseSource(src, limits, func(peek *lexer.PeekingLexer) error { return q.parse(peek, false) })
	if err != nil {
		return nil, err
	}
	return q, nil
}

// parseSource runs parse over the tokens of src within limits, and
// requires it to consume every token. It is the one way into the parser:
// the whole search (ParseWith) and a lone expression (ParseExpr,
// ParseSearchExpr) share its checks, caps and error conversion.
func parseSource(src *diag.Source, limits Limits, parse func(*lexer.PeekingLexer) error) (err error) {
	limits = limits.withDefaults()
	defer recoverParse(src, &err)
	if err := checkLimits(src, limits); err != nil {
		return err
	}
	peek, err := lexer.Upgrade(&checkedLexer{src: src, scanner: newScanner(src), maxDepth: limits.MaxDepth})
	if err != nil {
		return toDiag(src, err)
	}
	first := &peek.Range(0, 1)[0]
	parseDepths.Store(first, limits.MaxDepth)
	defer parseDepths.Delete(first)
	if err := parse(peek); err != nil {
		return toDiag(src, err)
	}
	return checkEnd(src, peek.Peek())
}

// recoverParse turns a panic of the parsers into *err: participle and the
// custom parsers must never crash on user input; if one does, say so as
// an error at the start of the text.
func recoverParse(src *diag.Source, err *error) {
	if r := recover(); r != nil {
		*err = diag.Errorf(src, diag.Syntax, 0, "internal parser error: %v", r)
	}
}

// checkLimits refuses a text or limits beyond the caps, before lexing.
func checkLimits(src *diag.Source, limits Limits) error {
	if limits.MaxDepth > MaxNestingCap {
		return diag.Errorf(src, diag.Limit, 0, "max_nesting is %d, more than its hard cap of %d", limits.MaxDepth, MaxNestingCap)
	}
	if len(src.Text) > limits.MaxBytes {
		return diag.Errorf(src, diag.Limit, limits.MaxBytes, "search is %d bytes, more than the limit of %d (max_query_bytes)", len(src.Text), limits.MaxBytes)
	}
	return nil
}

// checkEnd requires t, the token after what was parsed, to end the text.
func checkEnd(src *diag.Source, t *lexer.Token) error {
	if !t.EOF() {
		if t.Type == tokRBracket {
			return diag.Errorf(src, diag.Syntax, t.Pos.Offset, "unexpected ]: no subsearch is open")
		}
		if t.Type == tokRParen {
			return diag.Errorf(src, diag.Syntax, t.Pos.Offset, "unbalanced parenthesis: ) has no matching (")
		}
		return diag.Errorf(src, diag.Syntax, t.Pos.Offset, "unexpected %s", describe(t))
	}
	return nil
}

// tokenSlice is the tokens of a text, read by the expression parser alone
// (ParseExpr): participle's lexer.Upgrade, which grows its token slice a
// token at a time, was a quarter of compiling the built-in knowledge's
// calculated fields and most of its garbage.
type tokenSlice struct {
	toks []lexer.Token
	next int
}

// tokenSlices are tokenSlices done with (release), whose room the next
// lexAll reuses: the built-in knowledge parses some thirty expressions one
// after another. Nothing a parse returns points into its tokens (the tree
// and the errors copy positions and text).
var tokenSlices = sync.Pool{New: func() any { return new(tokenSlice) }}

// lexAll reads every token of src as participle would (checkedLexer),
// into a pooled slice (tokenSlices) that grows only past the longest text
// it held. release gives the slice back once the parse is over.
func lexAll(src *diag.Source, maxDepth int) (*tokenSlice, error) {
	s := tokenSlices.Get().(*tokenSlice)
	for l := (checkedLexer{src: src, scanner: newScanner(src), maxDepth: maxDepth}); ; {
		t, err := l.Next()
		if err != nil {
			s.release()
			return nil, err
		}
		s.toks = append(s.toks, t)
		if t.EOF() {
			return s, nil
		}
	}
}

// release puts s back for another lexAll, without the text its tokens
// hold.
func (s *tokenSlice) release() {
	clear(s.toks)
	s.toks, s.next = s.toks[:0], 0
	tokenSlices.Put(s)
}

// Peek returns the next token, EOF at the end, as PeekingLexer's does.
func (s *tokenSlice) Peek() *lexer.Token { return &s.toks[s.next] }

// Next consumes the next token; EOF is never consumed, as in
// PeekingLexer.
func (s *tokenSlice) Next() *lexer.Token {
	t := &s.toks[s.next]
	if !t.EOF() {
		s.next++
	}
	return t
}

// ParseString parses SPL text that is not from a file.
func ParseString(text string) (*Query, error) {
	return Parse(diag.NewSource("<search>", text))
}

// checkedLexer feeds participle the tokens of a source, leaving out
// whitespace and comments, and turns lexical problems (unterminated strings,
// macros and comments) and excessive nesting into positioned errors before
// the grammar sees them.
type checkedLexer struct {
	src      *diag.Source
	scanner  *scanner
	depth    int
	maxDepth int
}

func (l *checkedLexer) Next() (lexer.Token, error) {
	for {
		t, _ := l.scanner.Next()
		switch t.Type {
		case tokSpace, tokComment:
			continue
		case tokError:
			return t, lexError(l.src, t)
		case tokLBracket, tokLParen:
			l.depth++
			if l.depth > l.maxDepth {
				return t, diag.Errorf(l.src, diag.Limit, t.Pos.Offset, "brackets and parentheses nested more than %d deep (max_nesting)", l.maxDepth)
			}
		case tokRBracket, tokRParen:
			l.depth--
		}
		return t, nil
	}
}

func lexError(src *diag.Source, t lexer.Token) error {
	off := t.Pos.Offset
	switch {
	case strings.HasPrefix(t.Value, "```"):
		return diag.Errorf(src, diag.Syntax, off, "unterminated comment: ``` has no closing ```")
	case strings.HasPrefix(t.Value, "`"):
		return diag.Errorf(src, diag.Syntax, off, "unterminated macro: ` has no closing `")
	case strings.HasPrefix(t.Value, `"`):
		return diag.Errorf(src, diag.Syntax, off, "unbalanced quote: \" has no closing \"")
	}
	return diag.Errorf(src, diag.Syntax, off, "unexpected %q", t.Value)
}

// codedError is a parse error with a code other than spl-syntax. It
// satisfies participle.Error so that participle passes it through.
type codedError struct {
	pos  Pos
	code diag.Code
	msg  string
}

func (e *codedError) Error() string   { return e.msg }
func (e *codedError) Message() string { return e.msg }
func (e *codedError) Position() Pos   { return e.pos }
func unexpandedMacro(t *lexer.Token) error {
	return &codedError{t.Pos, diag.MacroUnexpanded, "macro " + t.Value + " is not expanded (macros are expanded before parsing, by macro.Expand or ParseSearch)"}
}

// toDiag converts a participle or custom-parser error into a diag.Error.
func toDiag(src *diag.Source, err error) error {
	var d *diag.Error
	if errors.As(err, &d) {
		return d
	}
	var ce *codedError
	if errors.As(err, &ce) {
		return diag.Errorf(src, ce.code, ce.pos.Offset, "%s", ce.msg)
	}
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		t := ute.Unexpected
		msg := "unexpected " + describe(&t)
		if ute.Expect != "" {
			msg += ", expected " + ute.Expect
		}
		return diag.Errorf(src, codeFor(&t), t.Pos.Offset, "%s", msg)
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		return diag.Errorf(src, diag.Syntax, pe.Position().Offset, "%s", pe.Message())
	}
	return diag.Errorf(src, diag.Syntax, 0, "%v", err)
}

func codeFor(t *lexer.Token) diag.Code {
	if t.Type == tokMacro {
		return diag.MacroUnexpanded
	}
	return diag.Syntax
}

// normalizer is a command that puts itself in canonical form after
// parsing; a command declared in its own file (cmd_*.go) implements it
// instead of a case of normalizeCommand.
type normalizer interface {
	normalize() error
}

// normalizeCommand settles spellings: names that are case-insensitive in
// Splunk (commands, stats and convert functions, OUTPUT) are lowercased,
// `sort -count` is `sort - count` and `fields -x` is `fields - x`. It also
// parses the search inside `map search="..."`. It runs on each command as it
// is parsed, so nested pipelines are covered without walking the tree.
func normalizeCommand(cmd Command) error {
	if n, ok := cmd.(normalizer); ok {
		return n.normalize()
	}
	switch c := cmd.(type) {
	case *StatsCommand:
		c.Kind = strings.ToLower(c.Kind)
		// Options among the aggregations join those before them, or, with
		// no BY, those after: the canonical form keeps `count current=f`
		// as written. Their order, which decides a repeated option, is
		// kept.
		late := &c.Options
		if c.By == nil {
			late = &c.After
		}
		for _, l := range c.Late {
			late.Items = append(late.Items, l.Options.Items...)
			c.Aggregations.Items = append(c.Aggregations.Items, l.Aggregations.Items...)
		}
		c.Late = nil
		lowerFuncs(c.Aggregations.Items)
	case *TstatsCommand:
		c.Options.Items = append(c.Options.Items, c.LateOptions.Items...)
		c.Aggregations.Items = append(c.Aggregations.Items, c.LateAggregations.Items...)
		c.LateOptions, c.LateAggregations = Options{}, Aggregations{}
		if c.From == nil {
			// Without FROM, options after the aggregations are read as
			// late ones when the printed form is parsed again: they join
			// the others, in order, so that the tree survives a round
			// trip (FuzzParse: `tstats A A=0 A A=0`).
			c.Options.Items = append(c.Options.Items, c.Options2.Items...)
			c.Options2 = Options{}
		}
		lowerFuncs(c.Aggregations.Items)
	case *MstatsCommand:
		lowerFuncs(c.Aggregations.Items)
	case *TimechartCommand:
		c.Kind = strings.ToLower(c.Kind)
		lowerFuncs(c.Aggregations.Items)
	case *TopCommand:
		c.Kind = strings.ToLower(c.Kind)
	case *HeadCommand:
		c.Kind = strings.ToLower(c.Kind)
	case *BinCommand:
		c.Kind = strings.ToLower(c.Kind)
	case *ExtractCommand:
		c.Kind = strings.ToLower(c.Kind)
		c.Options.Items = append(c.Options.Items, c.More...)
		c.More = nil
	case *LookupCommand:
		c.Mode = strings.ToLower(c.Mode)
	case *ConvertCommand:
		for _, cv := range c.Conversions.Items {
			cv.Func = strings.ToLower(cv.Func)
		}
	case *FieldsCommand:
		fieldsSign(c)
	case *SortCommand:
		splitSigns(c.Keys)
	case *DedupCommand:
		splitSigns(c.SortBy)
	case *MapCommand:
		return c.parseInner()
	}
	return nil
}

func lowerFuncs(aggs []*Aggregation) {
	for _, a := range aggs {
		a.Func = strings.ToLower(a.Func)
	}
}

// fieldsSign turns `fields -x` into `fields - x`.
func fieldsSign(c *FieldsCommand) {
	if c.Mode == "" && len(c.Fields.Items) > 0 {
		if f := c.Fields.Items[0]; len(f.Raw) > 1 && (f.Raw[0] == '-' || f.Raw[0] == '+') && f.Raw[1] != '-' && f.Raw[1] != '+' && !f.IsQuoted() {
			c.Mode = f.Raw[:1]
			f.Raw = f.Raw[1:]
			f.Pos.Offset++
			f.Pos.Column++
		}
	}
}

// splitSigns turns a sort key `-x`, lexed as one word, into the sign and
// the field.
func splitSigns(keys []*SortKey) {
	for _, k := range keys {
		// A sign inside a function's parentheses (num(-x)) is part of the
		// field name: the order's sign stands before the function.
		if k.Sign == "" && k.Func == "" && k.Key != nil && len(k.Key.Raw) > 1 && (k.Key.Raw[0] == '-' || k.Key.Raw[0] == '+') {
			k.Sign = k.Key.Raw[:1]
			k.Key.Raw = k.Key.Raw[1:]
			k.Key.Pos.Offset++
			k.Key.Pos.Column++
		}
	}
}

// parseInner parses map's search="..." option, reporting errors at the
// string's position in the outer text.
func (c *MapCommand) parseInner() error {
	for _, o := range append(append([]*Option{}, c.Options.Items...), c.After.Items...) {
		if !strings.EqualFold(o.Name, "search") {
			continue
		}
		text := o.Value.Text()
		inner, err := Parse(diag.NewSource("", text))
		if err != nil {
			var d *diag.Error
			if errors.As(err, &d) && d.Code == diag.MacroUnexpanded {
				// Splunk expands the macros of map's search when it runs it,
				// not in the outer search; the inner text cannot be checked.
				continue
			}
			if errors.As(err, &d) {
				pos := o.Value.Pos
				pos.Offset += 1 + d.Offset
				pos.Column += 1 + d.Offset
				return participle.Errorf(pos, "in map search: %s", d.Message)
			}
			return err
		}
		c.Search = inner
	}
	return nil
}

// Node is any node of the syntax tree.
type Node interface {
	position() Pos
}

// Position returns where a node starts.
func Position(n Node) Pos { return n.position() }

// ParseSearch expands the macros of src with set, then parses the expanded
// text: the search Splunk would run. Errors, from either step, point into
// src. A nil set expands only the built-in macros.
func ParseSearch(src *diag.Source, set *macro.Set, opts macro.Options) (*Query, *macro.Expansion, error) {
	return ParseSearchWith(src, set, opts, Limits{})
}

// ParseSearchWith is ParseSearch with parse limits.
func ParseSearchWith(src *diag.Source, set *macro.Set, opts macro.Options, limits Limits) (*Query, *macro.Expansion, error) {
	exp, err := macro.Expand(src, set, opts)
	if err != nil {
		return nil, nil, err
	}
	q, err := ParseWith(exp.Source, limits)
	if err != nil {
		return nil, exp, err
	}
	return q, exp, nil
}
