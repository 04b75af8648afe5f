package spl

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/splharness/splharness/spl/diag"
)

// ParseExpr parses the whole of src.Text as one eval expression, the
// language of eval, where and the EVAL- calculated fields of props.conf.
// It shares the lexer, the Pratt parser and the caps of Parse (max_nesting
// from limits, MaxExprHeight, the size limit); errors are *diag.Error
// positioned in src, so a src whose Locate maps into a file reports that
// file's line and column. Text after the expression is an error.
func ParseExpr(src *diag.Source, limits Limits) (Expr, error) {
	var e Expr
	err := parseSource(src, limits, func(lex *lexer.PeekingLexer) (err error) {
		e, err = parseExprTop(lex)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ParseSearchExpr parses the whole of src.Text as the terms of the search
// command (OR binding tighter than AND, AND implied, values as patterns),
// as in an event type's search or searchmatch(). Like ParseExpr it shares
// Parse's lexer, caps and positioned errors.
func ParseSearchExpr(src *diag.Source, limits Limits) (SearchExpr, error) {
	var e SearchExpr
	err := parseSource(src, limits, func(lex *lexer.PeekingLexer) (err error) {
		e, err = parseSearchExprTop(lex)
		if err == participle.NextMatch {
			return unexpected(lex.Peek(), "a search term")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}
