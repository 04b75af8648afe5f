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
func ParseExpr(src *diag.Source, limits Limits) (e Expr, err error) {
	// As parseSource, over a tokenSlice instead of participle's lexer:
	// the expression parser alone reads the tokens.
	limits = limits.withDefaults()
	defer recoverParse(src, &err)
	if err := checkLimits(src, limits); err != nil {
		return nil, err
	}
	lex, err := lexAll(src, limits.MaxDepth)
	if err != nil {
		return nil, toDiag(src, err)
	}
	defer lex.release()
	if e, err = parseExprFrom(lex, limits.MaxDepth); err != nil {
		return nil, toDiag(src, err)
	}
	if err := checkEnd(src, lex.Peek()); err != nil {
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
