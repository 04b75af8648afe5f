package spl

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The lists below are the most repeated productions of the grammar (every
// detection has stats aggregations, BY fields, convert calls and option
// lists). Participle parses a repetition by trying a branch per item, which
// costs microseconds per item; these hand-written productions read the same
// syntax in a single pass, keeping the whole corpus parse fast.

// Options is a run of `name=value` options. (The lists are structs, not
// slices, because participle would parse a slice field item by item.)
type Options struct {
	Items []*Option
}

// Parse implements participle.Parseable.
func (o *Options) Parse(lex *lexer.PeekingLexer) error {
	for isOptionAhead(lex) {
		opt := &Option{}
		if err := opt.Parse(lex); err != nil {
			return err
		}
		o.Items = append(o.Items, opt)
	}
	if len(o.Items) == 0 {
		return participle.NextMatch
	}
	return nil
}

// Get returns the value of the last option named name (case-insensitive),
// as Splunk takes the last of repeated options.
func (o Options) Get(name string) (*Word, bool) {
	for i := len(o.Items) - 1; i >= 0; i-- {
		if strings.EqualFold(o.Items[i].Name, name) {
			return o.Items[i].Value, true
		}
	}
	return nil, false
}

// FieldList is fields separated by spaces or commas: `a b, c*`. It ends at
// an option (`span=1h`) or anything that is not a field. No word ends it:
// `table output, Filter` lists two fields, since a word is a keyword only
// in the commands whose syntax has it.
type FieldList struct {
	Items []*Word
}

// Parse implements participle.Parseable.
func (f *FieldList) Parse(lex *lexer.PeekingLexer) error {
	return parseFieldList(lex, &f.Items, "")
}

// FieldsBeforeBy is a FieldList that ends at the keyword BY (top, rare).
type FieldsBeforeBy struct {
	Items []*Word
}

// Parse implements participle.Parseable.
func (f *FieldsBeforeBy) Parse(lex *lexer.PeekingLexer) error {
	return parseFieldList(lex, &f.Items, "by")
}

// FieldsBeforeSortby is a FieldList that ends at the keyword SORTBY (dedup).
type FieldsBeforeSortby struct {
	Items []*Word
}

// Parse implements participle.Parseable.
func (f *FieldsBeforeSortby) Parse(lex *lexer.PeekingLexer) error {
	return parseFieldList(lex, &f.Items, "sortby")
}

// FieldsBeforeFilter is a FieldList that ends at the keyword FILTER
// (multikv's `fields a b filter t`).
type FieldsBeforeFilter struct {
	Items []*Word
}

// Parse implements participle.Parseable.
func (f *FieldsBeforeFilter) Parse(lex *lexer.PeekingLexer) error {
	return parseFieldList(lex, &f.Items, "filter")
}

// parseFieldList reads fields into items up to an option, a non-field, or
// the keyword stop (none when empty).
func parseFieldList(lex *lexer.PeekingLexer, items *[]*Word, stop string) error {
	for {
		t := lex.Peek()
		if t.Type == tokComma {
			// Commas separate fields, and may follow options: `fieldname=x, a, b`.
			lex.Next()
			continue
		}
		if !isWordToken(t) || t.Type == tokWord && (stop != "" && strings.EqualFold(t.Value, stop) || t.Value == "+" || t.Value == "-") || isOptionAhead(lex) {
			break
		}
		*items = append(*items, parseField(lex))
	}
	if len(*items) == 0 {
		return participle.NextMatch
	}
	return nil
}

// aggStopWords end an aggregation list.
var aggStopWords = map[string]bool{"by": true, "over": true, "from": true, "where": true, "as": true}

// Aggregations is a list of stats functions: `count dc(x) AS n, values(y)`.
type Aggregations struct {
	Items []*Aggregation
}

// Parse implements participle.Parseable.
func (a *Aggregations) Parse(lex *lexer.PeekingLexer) error {
	for {
		t := lex.Peek()
		if t.Type == tokComma && len(a.Items) > 0 {
			lex.Next()
			continue
		}
		if t.Type != tokWord || aggStopWords[strings.ToLower(t.Value)] || isOptionAhead(lex) {
			break
		}
		agg, err := parseAggregation(lex)
		if err != nil {
			return fatal(lex, err)
		}
		a.Items = append(a.Items, agg)
	}
	if len(a.Items) == 0 {
		return participle.NextMatch
	}
	return nil
}

func parseAggregation(lex *lexer.PeekingLexer) (*Aggregation, error) {
	name := lex.Next()
	agg := &Aggregation{Pos: name.Pos, Func: strings.ToLower(name.Value)}
	if open := lex.Peek(); open.Type == tokLParen {
		lex.Next()
		arg := &AggArg{Pos: lex.Peek().Pos}
		if isKeyword(lex.Peek(), "eval") {
			cp := lex.MakeCheckpoint()
			lex.Next()
			if lex.Peek().Type == tokLParen {
				lex.Next()
				e, err := parseExprTop(lex)
				if err != nil {
					return nil, err
				}
				if err := expectRParen(lex); err != nil {
					return nil, err
				}
				arg.Eval = e
			} else {
				lex.LoadCheckpoint(cp)
			}
		}
		if arg.Eval == nil {
			arg.Field = &Word{}
			if err := arg.Field.Parse(lex); err != nil {
				return nil, unexpected(lex.Peek(), "a field or eval(...) inside "+agg.Func+"()")
			}
		}
		if err := expectRParen(lex); err != nil {
			return nil, err
		}
		agg.Arg = arg
	}
	if isKeyword(lex.Peek(), "as") {
		lex.Next()
		if !isWordToken(lex.Peek()) {
			return nil, unexpected(lex.Peek(), "a field name after AS")
		}
		agg.As = parseField(lex)
	}
	return agg, nil
}

func expectRParen(lex *lexer.PeekingLexer) error {
	if t := lex.Peek(); t.Type != tokRParen {
		return unexpected(t, ")")
	}
	lex.Next()
	return nil
}

// Conversions is convert's list of `func(field) [AS new]`.
type Conversions struct {
	Items []*Conversion
}

// Parse implements participle.Parseable.
func (c *Conversions) Parse(lex *lexer.PeekingLexer) error {
	for {
		t := lex.Peek()
		if t.Type == tokComma && len(c.Items) > 0 {
			lex.Next()
			continue
		}
		if t.Type != tokWord || isOptionAhead(lex) {
			break
		}
		lex.Next()
		cv := &Conversion{Pos: t.Pos, Func: strings.ToLower(t.Value)}
		if lex.Peek().Type != tokLParen {
			return fatal(lex, unexpected(lex.Peek(), "( after "+t.Value))
		}
		lex.Next()
		cv.Field = &Word{}
		if err := cv.Field.Parse(lex); err != nil {
			return fatal(lex, unexpected(lex.Peek(), "a field inside "+cv.Func+"()"))
		}
		if err := expectRParen(lex); err != nil {
			return fatal(lex, err)
		}
		if isKeyword(lex.Peek(), "as") {
			lex.Next()
			cv.As = &Word{}
			if err := cv.As.Parse(lex); err != nil {
				return fatal(lex, unexpected(lex.Peek(), "a field name after AS"))
			}
		}
		c.Items = append(c.Items, cv)
	}
	if len(c.Items) == 0 {
		return participle.NextMatch
	}
	return nil
}
