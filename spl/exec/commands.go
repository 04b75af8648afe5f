package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// compileCommand compiles one command of a pipeline (after the base
// search). first is true for a generating command that starts the query.
func (p *planner) compileCommand(cmd spl.Command, first bool) (stageBuilder, error) {
	switch c := cmd.(type) {
	case *spl.SearchCommand:
		sc := &searchCompiler{p: p}
		m, err := sc.compile(c.Expr)
		if err != nil {
			return nil, err
		}
		return filterStage(func(r *value.Row) (bool, error) { return m(r), nil }), nil
	case *spl.WhereCommand:
		cond, err := p.ec.CompileCondition(c.Expr)
		if err != nil {
			return nil, exprError(err)
		}
		return filterStage(func(r *value.Row) (bool, error) { return cond(r), nil }), nil
	case *spl.EvalCommand:
		return p.compileEval(c)
	case *spl.RenameCommand:
		return p.compileRename(c)
	case *spl.TableCommand:
		return p.compileTable(c)
	case *spl.FieldsCommand:
		return p.compileFields(c)
	case *spl.ConvertCommand:
		return p.compileConvert(c)
	case *spl.FillnullCommand:
		return p.compileFillnull(c)
	case *spl.DedupCommand:
		return p.compileDedup(c)
	case *spl.SortCommand:
		return p.compileSort(c)
	case *spl.HeadCommand:
		return p.compileHead(c)
	case *spl.ReverseCommand:
		return func(next Stage) (Stage, error) { return &reverseStage{emitter: emitter{next: next}}, nil }, nil
	case *spl.BinCommand:
		return p.compileBin(c)
	case *spl.RexCommand:
		return p.compileRex(c)
	case *spl.RegexCommand:
		return p.compileRegex(c)
	case *spl.SpathCommand:
		return p.compileSpath(c)
	case *spl.MvexpandCommand:
		return p.compileMvexpand(c)
	case *spl.MakemvCommand:
		return p.compileMakemv(c)
	case *spl.StatsCommand:
		return p.compileStats(c)
	case *spl.TopCommand:
		return p.compileTop(c)
	case *spl.LookupCommand:
		return p.compileLookup(c)
	case *spl.InputlookupCommand:
		return p.compileInputlookup(c, first)
	case *spl.OutputlookupCommand:
		return p.compileOutputlookup(c)
	case *spl.AppendCommand:
		return p.compileAppend(c)
	case *spl.JoinCommand:
		return p.compileJoin(c)
	case *spl.ForeachCommand:
		return p.compileForeach(c)
	case *spl.MakeresultsCommand:
		return p.compileMakeresults(c, first)
	case *spl.AddtotalsCommand:
		return p.compileAddtotals(c)
	case *spl.FromjsonCommand:
		return p.compileFromjson(c)
	case *spl.TstatsCommand, *spl.DatamodelCommand, *spl.FromCommand:
		return p.compileSource(c, first)
	}
	return nil, unsupported(spl.Position(cmd), "command %s is not supported by the evaluator", cmd.Name())
}

// exprError positions an expression compile error.
func exprError(err error) error {
	if ce, ok := err.(*eval.CompileError); ok {
		if ce.Unsupported {
			return &Error{Pos: ce.Pos, Code: diag.UnsupportedFunction, Msg: ce.Msg}
		}
		return errorf(ce.Pos, "%s", ce.Msg)
	}
	return err
}

// streamStage applies fn to every row; fn returns false to drop it.
type streamStage struct {
	emitter
	fn func(r *value.Row) (bool, error)
}

func (s *streamStage) Push(r *value.Row) error {
	keep, err := s.fn(r)
	if err != nil || !keep {
		return err
	}
	return s.emit(r)
}

func filterStage(fn func(r *value.Row) (bool, error)) stageBuilder {
	return func(next Stage) (Stage, error) { return &streamStage{emitter: emitter{next: next}, fn: fn}, nil }
}

// mapStage changes every row in place.
func mapStage(fn func(r *value.Row)) stageBuilder {
	return filterStage(func(r *value.Row) (bool, error) { fn(r); return true, nil })
}

// fieldName is the field a value names: double quotes removed, and single
// quotes too (eval's '<<FIELD>>'=... in foreach).
func fieldName(v *spl.Word) string {
	s := v.Text()
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}

// matchFields returns the names of a row's fields matching a field pattern
// (wildcards allowed), in row order; a plain name is returned as is.
func matchFields(r *value.Row, name string) []string {
	if !strings.Contains(name, "*") {
		return []string{name}
	}
	p := newPattern(name, true)
	var out []string
	r.Each(func(n string, _ value.Value) {
		if p.match(n) {
			out = append(out, n)
		}
	})
	return out
}

// wildcardCapture returns the parts of name that the *s of pattern matched,
// or ok false when it does not match. "requestParameters.*" against
// "requestParameters.bucket" captures ["bucket"].
func wildcardCapture(pattern, name string) ([]string, bool) {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return nil, false
	}
	rest := name[len(parts[0]):]
	var caps []string
	for i := 1; i < len(parts); i++ {
		part := parts[i]
		var j int
		if i == len(parts)-1 {
			if !strings.HasSuffix(rest, part) {
				return nil, false
			}
			j = len(rest) - len(part)
		} else {
			j = strings.Index(rest, part)
			if j < 0 {
				return nil, false
			}
		}
		caps = append(caps, rest[:j])
		rest = rest[j+len(part):]
	}
	return caps, true
}

// fillWildcards replaces the *s of pattern with caps in order.
func fillWildcards(pattern string, caps []string) string {
	var b strings.Builder
	i := 0
	for _, c := range pattern {
		if c == '*' && i < len(caps) {
			b.WriteString(caps[i])
			i++
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
