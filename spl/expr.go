package spl

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/splharness/splharness/spl/diag"
)

// Expr is an eval expression, as used by eval, where, stats' eval(...),
// head (...) and the calculated fields of props.conf.
type Expr interface {
	node
	expr()
}

// NumberLit is a number literal, kept as written.
type NumberLit struct {
	Pos  Pos
	Text string
}

// StringLit is a double-quoted string literal, kept as written.
type StringLit struct {
	Pos Pos
	Raw string
}

// Value is the string with quotes removed and SPL escapes applied.
func (s *StringLit) Value() string { return unquoteValue(s.Raw) }

// FieldRef is a field name: bare (`user`) or single-quoted (`'a.b{}'`).
type FieldRef struct {
	Pos    Pos
	Name   string
	Quoted bool
}

// Call is a function call; Func is lowercase, as function names are
// case-insensitive.
type Call struct {
	Pos  Pos
	Func string
	Args []Expr
}

// Results are the arguments whose value the call returns as it is, when
// it is one of the eval functions that pick an argument: coalesce and
// ifnull (any argument), if (the second or third), case (every second
// argument) and null() (none). ok is false for any other call, or one
// with the wrong number of arguments. What a calculated field can hold
// is worked out from them (the raw pre-filters of the add-on's fields
// and of a data model's calculations).
func (e *Call) Results() (results []Expr, ok bool) {
	switch e.Func {
	case "null":
		return nil, len(e.Args) == 0
	case "coalesce", "ifnull":
		return e.Args, true
	case "if":
		if len(e.Args) != 3 {
			return nil, false
		}
		return e.Args[1:], true
	case "case":
		if len(e.Args)%2 != 0 {
			return nil, false
		}
		for i := 1; i < len(e.Args); i += 2 {
			results = append(results, e.Args[i])
		}
		return results, true
	}
	return nil, false
}

// Unary is `-x` or `NOT x`.
type Unary struct {
	Pos Pos
	Op  string
	X   Expr
}

// Binary is `l op r`. Op is one of + - * / % . = == != < <= > >= LIKE AND
// OR XOR.
type Binary struct {
	Pos Pos
	Op  string
	L   Expr
	R   Expr
}

// InExpr is `x IN (a, b, c)`.
type InExpr struct {
	Pos  Pos
	X    Expr
	List []Expr
}

func (*NumberLit) expr() {}
func (*StringLit) expr() {}
func (*FieldRef) expr()  {}
func (*Call) expr()      {}
func (*Unary) expr()     {}
func (*Binary) expr()    {}
func (*InExpr) expr()    {}

// Binding powers, lowest first: XOR, OR, AND, NOT, comparisons, + - .,
// * / %, unary minus. In eval AND binds tighter than OR (the reverse of
// the search command).
const (
	bpXor = iota + 1
	bpOr
	bpAnd
	bpNot
	bpCompare
	bpAdd
	bpMul
	bpUnary
)

func binaryPower(op string) int {
	switch op {
	case "XOR":
		return bpXor
	case "OR":
		return bpOr
	case "AND":
		return bpAnd
	case "=", "==", "!=", "<", "<=", ">", ">=", "LIKE", "IN":
		return bpCompare
	case "+", "-", ".":
		return bpAdd
	case "*", "/", "%":
		return bpMul
	}
	return 0
}

// piece kinds of the expression lexer.
const (
	pNum = iota + 1
	pIdent
	pField
	pOp
	pBad
)

// piece is one expression token cut out of a coarse Word.
type piece struct {
	kind int
	text string
	pos  Pos
}

// exprParser is a Pratt parser over the shared token stream. Coarse words
// are cut into pieces (`a.b+1` is a . b + 1) as the parser reaches them;
// an expression may only end at a word boundary.
//
// Nesting is capped by max_nesting: depth counts the parser's levels above
// the subexpression being parsed (parentheses, calls, prefix operators,
// right operands), so the parser's own recursion is bounded. A left-deep
// chain (a+b+c+..., x=1 OR x=2 OR ...) is parsed by a loop and is legal SPL
// of any length, so it does not count as nesting; but everything that later
// walks the tree (printing, compiling, evaluating) recurses once per level,
// so each parse also returns the height of the tree it built, and the
// height is capped by MaxExprHeight.
type exprParser struct {
	lex   tokens
	buf   []piece
	depth int
	max   int // max_nesting
}

func parseExprTop(lex *lexer.PeekingLexer) (Expr, error) {
	return parseExprFrom(lex, depthLimit(lex))
}

// tokens is the token stream the expression parser reads: participle's
// inside a search, a tokenSlice for a lone expression (ParseExpr).
type tokens interface {
	Peek() *lexer.Token
	Next() *lexer.Token
}

// parseExprFrom parses an expression from lex, nested at most max deep.
func parseExprFrom(lex tokens, max int) (Expr, error) {
	t := lex.Peek()
	if t.EOF() || t.Type == tokPipe || t.Type == tokRBracket || t.Type == tokRParen || t.Type == tokComma {
		// Every place that takes an expression requires one.
		return nil, fatal(lex, unexpected(t, "an expression"))
	}
	p := &exprParser{lex: lex, max: max}
	e, _, err := p.parse(0)
	if err == nil && len(p.buf) > 0 {
		err = participle.Errorf(p.buf[0].pos, "unexpected %q in expression", p.buf[0].text)
	}
	if err != nil {
		return nil, fatal(lex, err)
	}
	return e, nil
}

// tooDeep is the error for nesting past max_nesting.
func tooDeep(pos Pos, max int) error {
	return &codedError{pos, diag.Limit, fmt.Sprintf("expression nested more than %d deep (max_nesting)", max)}
}

// MaxExprHeight caps the height of an expression tree. The walkers of the
// tree recurse once per level, a few hundred bytes of stack each, so 10,000
// levels cost a few megabytes; a chain of 10,000 operators is far beyond
// any real search (ESCU's longest is under 100) and far below what the
// 1 MiB max_query_bytes would allow (about 500,000).
const MaxExprHeight = 10000

// check fails when descending levels more at pos would nest too deep.
func (p *exprParser) check(pos Pos, levels int) error {
	if p.depth+levels > p.max {
		return tooDeep(pos, p.max)
	}
	return nil
}

// checkHeight fails when a node of height h at pos makes the tree, from
// the top, taller than MaxExprHeight.
func (p *exprParser) checkHeight(pos Pos, h int) error {
	if p.depth+h > MaxExprHeight {
		return &codedError{pos, diag.Limit, fmt.Sprintf("expression more than %d levels tall (a chain of that many operators)", MaxExprHeight)}
	}
	return nil
}

// cut splits a word into expression pieces.
func cut(t *lexer.Token) []piece {
	var out []piece
	s := t.Value
	pos := t.Pos
	for i := 0; i < len(s); {
		p := pos
		p.Offset += i
		p.Column += i
		c := s[i]
		start := i
		kind := pBad
		switch {
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && isDigit(s[i+1]) && (len(out) == 0 || out[len(out)-1].kind == pOp):
			kind = pNum
			i = scanNumber(s, i)
		case c == '\'':
			n, ok := scanQuoted(s[i:], '\'')
			if ok {
				kind = pField
			}
			i += n
		case isIdentStart(c) || c == '<' && isTemplate(s[i:]):
			kind = pIdent
			for i < len(s) {
				if s[i] == '<' && isTemplate(s[i:]) {
					i += templateLen(s[i:])
				} else if isWordChar(s[i]) || s[i] == '$' {
					i++
				} else {
					break
				}
			}
		case strings.IndexByte("+-*/%.", c) >= 0:
			kind = pOp
			i++
		default:
			i++
		}
		out = append(out, piece{kind: kind, text: s[start:i], pos: p})
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

// scanNumber returns the end of the number starting at i: digits, an
// optional fraction and an optional exponent.
func scanNumber(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if s[j] == '+' || s[j] == '-' {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			return j
		}
	}
	return i
}

// firstPiece returns the first piece the parser would see next, without
// consuming anything.
func (p *exprParser) firstPiece() (piece, *lexer.Token, bool) {
	if len(p.buf) > 0 {
		return p.buf[0], nil, true
	}
	t := p.lex.Peek()
	if t.Type == tokWord || t.Type == tokNumber {
		ps := cut(t)
		return ps[0], t, true
	}
	return piece{}, t, false
}

// nextPiece consumes the next piece, cutting the next word when needed.
func (p *exprParser) nextPiece() piece {
	if len(p.buf) == 0 {
		p.buf = cut(p.lex.Next())
	}
	pc := p.buf[0]
	p.buf = p.buf[1:]
	return pc
}

// infixOp returns the binary operator that comes next, if any, and
// whether it is a piece of a word (rather than a coarse operator token).
func (p *exprParser) infixOp() (op string, isPiece bool, ok bool) {
	pc, t, ok := p.firstPiece()
	if ok {
		switch pc.kind {
		case pOp:
			return pc.text, true, true
		case pIdent:
			if kw := strings.ToUpper(pc.text); isInfixKeyword(kw) && (pc.text == kw || pc.text == strings.ToLower(kw)) {
				return kw, true, true
			}
		}
		return "", false, false
	}
	if t.Type == tokOp {
		return t.Value, false, true
	}
	return "", false, false
}

// isInfixKeyword reports whether kw is a word operator of eval. Like the
// other keywords, it is accepted in upper or lower case.
func isInfixKeyword(kw string) bool {
	switch kw {
	case "AND", "OR", "XOR", "LIKE", "IN":
		return true
	}
	return false
}

func (p *exprParser) errorAt(pos Pos, format string, args ...any) error {
	return participle.Errorf(pos, format, args...)
}

// parse parses an expression whose operators bind tighter than minPower,
// and returns the height of its tree.
func (p *exprParser) parse(minPower int) (Expr, int, error) {
	left, h, err := p.prefix()
	if err != nil {
		return nil, 0, err
	}
	for {
		op, isPiece, ok := p.infixOp()
		if !ok {
			return left, h, nil
		}
		power := binaryPower(op)
		if power <= minPower {
			return left, h, nil
		}
		var at Pos
		if isPiece {
			at = p.nextPiece().pos
		} else {
			at = p.lex.Next().Pos
		}
		if err := p.check(at, 1); err != nil {
			return nil, 0, err
		}
		p.depth++
		if op == "IN" {
			list, lh, err := p.inList()
			p.depth--
			if err != nil {
				return nil, 0, err
			}
			left, h = &InExpr{Pos: left.position(), X: left, List: list}, max(h, lh)+1
			if err := p.checkHeight(at, h); err != nil {
				return nil, 0, err
			}
			continue
		}
		right, rh, err := p.parse(power)
		p.depth--
		if err != nil {
			return nil, 0, err
		}
		left, h = &Binary{Pos: left.position(), Op: op, L: left, R: right}, max(h, rh)+1
		if err := p.checkHeight(at, h); err != nil {
			return nil, 0, err
		}
	}
}

// inList parses the list after IN; the height is that of its tallest
// element.
func (p *exprParser) inList() ([]Expr, int, error) {
	if len(p.buf) > 0 || p.lex.Peek().Type != tokLParen {
		pos := p.lex.Peek().Pos
		if len(p.buf) > 0 {
			pos = p.buf[0].pos
		}
		return nil, 0, p.errorAt(pos, "expected ( after IN")
	}
	open := p.lex.Next()
	return p.args(open)
}

// args parses a parenthesised, comma-separated argument list whose ( has
// been consumed, and returns the height of its tallest argument. The
// caller counts the level of the call or the IN.
func (p *exprParser) args(open *lexer.Token) ([]Expr, int, error) {
	var list []Expr
	if len(p.buf) == 0 && p.lex.Peek().Type == tokRParen {
		p.lex.Next()
		return list, 0, nil
	}
	h := 0
	for {
		e, eh, err := p.parse(0)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, e)
		h = max(h, eh)
		if len(p.buf) > 0 {
			return nil, 0, p.errorAt(p.buf[0].pos, "unexpected %q, expected , or )", p.buf[0].text)
		}
		t := p.lex.Peek()
		switch t.Type {
		case tokComma:
			p.lex.Next()
			continue
		case tokRParen:
			p.lex.Next()
			return list, h, nil
		}
		if t.EOF() || t.Type == tokPipe || t.Type == tokRBracket {
			return nil, 0, p.errorAt(open.Pos, "unbalanced parenthesis: ( has no matching )")
		}
		return nil, 0, unexpected(t, ", or )")
	}
}

// prefix parses a primary expression with its prefix operators: a run of
// signs or of NOTs is read by a loop, not by recursion.
func (p *exprParser) prefix() (Expr, int, error) {
	if len(p.buf) == 0 {
		t := p.lex.Peek()
		switch t.Type {
		case tokString:
			p.lex.Next()
			return &StringLit{Pos: t.Pos, Raw: t.Value}, 0, nil
		case tokLParen:
			p.lex.Next()
			if err := p.check(t.Pos, 1); err != nil {
				return nil, 0, err
			}
			p.depth++
			inner, h, err := p.parse(0)
			p.depth--
			if err != nil {
				return nil, 0, err
			}
			if len(p.buf) > 0 {
				return nil, 0, p.errorAt(p.buf[0].pos, "unexpected %q, expected )", p.buf[0].text)
			}
			c := p.lex.Peek()
			if c.Type != tokRParen {
				if c.EOF() || c.Type == tokPipe || c.Type == tokRBracket {
					return nil, 0, p.errorAt(t.Pos, "unbalanced parenthesis: ( has no matching )")
				}
				return nil, 0, unexpected(c, ")")
			}
			p.lex.Next()
			return inner, h + 1, nil
		case tokWord, tokNumber:
			// cut below
		case tokMacro:
			return nil, 0, unexpandedMacro(t)
		default:
			return nil, 0, unexpected(t, "an expression")
		}
	}
	pc := p.nextPiece()
	switch pc.kind {
	case pNum:
		return &NumberLit{Pos: pc.pos, Text: pc.text}, 0, nil
	case pField:
		return &FieldRef{Pos: pc.pos, Name: unquoteField(pc.text), Quoted: true}, 0, nil
	case pOp:
		if pc.text == "-" || pc.text == "+" {
			return p.unary(pc, "-", bpUnary, func(pc piece) bool { return pc.kind == pOp && (pc.text == "-" || pc.text == "+") })
		}
	case pIdent:
		if isNot(pc) {
			return p.unary(pc, "NOT", bpNot, isNot)
		}
		if len(p.buf) == 0 && p.lex.Peek().Type == tokLParen {
			open := p.lex.Next()
			if err := p.check(pc.pos, 1); err != nil {
				return nil, 0, err
			}
			p.depth++
			args, h, err := p.args(open)
			p.depth--
			if err != nil {
				return nil, 0, err
			}
			return &Call{Pos: pc.pos, Func: strings.ToLower(pc.text), Args: args}, h + 1, nil
		}
		return &FieldRef{Pos: pc.pos, Name: pc.text}, 0, nil
	}
	return nil, 0, p.errorAt(pc.pos, "unexpected %q in expression", pc.text)
}

// isNot reports whether a piece is the NOT operator (NOT or not).
func isNot(pc piece) bool {
	return pc.kind == pIdent && (pc.text == "NOT" || pc.text == "not")
}

// unary parses a run of prefix operators that starts with first (already
// read), each of which is one piece matching same, then their operand,
// which binds tighter than power. Op is the node's operator; a unary plus
// makes no node. Each node is a level of nesting.
func (p *exprParser) unary(first piece, op string, power int, same func(piece) bool) (Expr, int, error) {
	ops := []piece{first}
	for {
		pc, _, ok := p.firstPiece()
		if !ok || !same(pc) {
			break
		}
		ops = append(ops, p.nextPiece())
	}
	levels := 0
	for _, o := range ops {
		if o.text != "+" {
			levels++
			if err := p.check(o.pos, levels); err != nil {
				return nil, 0, err
			}
		}
	}
	p.depth += levels
	x, h, err := p.parse(power)
	p.depth -= levels
	if err != nil {
		return nil, 0, err
	}
	if err := p.checkHeight(first.pos, h+levels); err != nil {
		return nil, 0, err
	}
	for i := len(ops) - 1; i >= 0; i-- {
		if ops[i].text != "+" {
			x = &Unary{Pos: ops[i].pos, Op: op, X: x}
		}
	}
	return x, h + levels, nil
}
