package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	rowByRow := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error)) *command {
		return &command{Name: name, Compile: compile, Kind: streaming, RowByRow: true}
	}
	register(
		&command{Name: "search", Compile: compileAs((*planner).compileSearch), RowByRow: true},
		&command{Name: "where", Compile: compileAs((*planner).compileWhere), RowByRow: true},
		&command{Name: "eval", Compile: compileAs((*planner).compileEval), RowByRow: true, InForeach: true},
		&command{Name: "rename", Compile: compileAs((*planner).compileRename), RowByRow: true, InForeach: true},
		rowByRow("table", compileAs((*planner).compileTable)),
		rowByRow("fields", compileAs((*planner).compileFields)),
		&command{Name: "convert", Compile: compileAs((*planner).compileConvert), RowByRow: true, InForeach: true},
		&command{Name: "fillnull", Compile: compileAs((*planner).compileFillnull), Order: fillnullOrder, InForeach: true},
		&command{Name: "dedup", Compile: compileAs((*planner).compileDedup)},
		&command{Name: "sort", Compile: compileAs((*planner).compileSort), Kind: transforming},
		&command{Name: "head", Compile: compileAs((*planner).compileHead)},
		&command{Name: "tail", Compile: compileAs((*planner).compileHead), Kind: transforming},
		&command{Name: "reverse", Compile: compileAs((*planner).compileReverse), Kind: transforming},
		rowByRow("bin", compileAs((*planner).compileBin)),
		rowByRow("bucket", compileAs((*planner).compileBin)),
		&command{Name: "rex", Compile: compileAs((*planner).compileRex), RowByRow: true, InForeach: true},
		rowByRow("regex", compileAs((*planner).compileRegex)),
		rowByRow("spath", compileAs((*planner).compileSpath)),
		&command{Name: "mvexpand", Compile: compileAs((*planner).compileMvexpand)},
		rowByRow("makemv", compileAs((*planner).compileMakemv)),
		&command{Name: "stats", Compile: compileAs((*planner).compileStats), Kind: transforming, Order: statsOrder},
		&command{Name: "eventstats", Compile: compileAs((*planner).compileStats), Kind: transforming},
		&command{Name: "streamstats", Compile: compileAs((*planner).compileStats)},
		&command{Name: "top", Compile: compileAs((*planner).compileTop), Kind: transforming},
		&command{Name: "rare", Compile: compileAs((*planner).compileTop), Kind: transforming},
		rowByRow("lookup", compileAs((*planner).compileLookup)),
		&command{Name: "inputlookup", Compile: compileFirst((*planner).compileInputlookup), Kind: generating},
		&command{Name: "outputlookup", Compile: compileAs((*planner).compileOutputlookup), Kind: transforming},
		&command{Name: "append", Compile: compileAs((*planner).compileAppend), Kind: transforming},
		&command{Name: "join", Compile: compileAs((*planner).compileJoin)},
		&command{Name: "foreach", Compile: compileAs((*planner).compileForeach)},
		&command{Name: "makeresults", Compile: compileFirst((*planner).compileMakeresults), Kind: generating},
		rowByRow("addtotals", compileAs((*planner).compileAddtotals)),
		rowByRow("fromjson", compileAs((*planner).compileFromjson)),
	)
}

// compileSearch compiles a search command after the first: a filter.
func (p *planner) compileSearch(c *spl.SearchCommand) (stageBuilder, error) {
	sc := &searchCompiler{p: p}
	m, err := sc.compile(c.Expr)
	if err != nil {
		return nil, err
	}
	return filterStage(func(r *value.Row) (bool, error) { return m(r), nil }), nil
}

// compileWhere compiles where: a filter by an eval condition.
func (p *planner) compileWhere(c *spl.WhereCommand) (stageBuilder, error) {
	cond, err := p.ec.CompileCondition(c.Expr)
	if err != nil {
		return nil, exprError(err)
	}
	return filterStage(func(r *value.Row) (bool, error) { return cond(r), nil }), nil
}

// compileReverse compiles reverse: every result, last first.
func (p *planner) compileReverse(*spl.ReverseCommand) (stageBuilder, error) {
	return func(next Stage) (Stage, error) { return &reverseStage{emitter: emitter{next: next}}, nil }, nil
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
