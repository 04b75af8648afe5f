package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	rowByRow := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error), opts ...option) *command {
		return &command{Name: name, Compile: compile, Kind: streaming, RowByRow: true, Options: opts}
	}
	binOptions := []option{
		{Name: "span"},
		{Name: "bins", Kind: optInt, Min: 1, Default: "100"},
		{Name: "minspan"},
		{Name: "start"},
		{Name: "end"},
		{Name: "aligntime"},
	}
	bin := func(name string) *command {
		return &command{Name: name, Compile: compileAs((*planner).compileBin), Order: binOrder,
			OrderDoc: "row by row with span=; without it, the span comes from all the rows", Options: binOptions}
	}
	headOptions := []option{{Name: "limit", Kind: optInt, Min: anyInt}}
	topOptions := []option{
		{Name: "limit", Kind: optInt, Min: anyInt},
		{Name: "countfield", Default: "count"},
		{Name: "percentfield", Default: "percent"},
		{Name: "showcount", Kind: optBool, Default: "true"},
		{Name: "showperc", Kind: optBool, Default: "true"},
		{Name: "useother", Kind: optBool},
		{Name: "otherstr", Default: "OTHER"},
	}
	register(
		&command{Name: "search", Compile: compileAs((*planner).compileSearch), RowByRow: true},
		&command{Name: "where", Compile: compileAs((*planner).compileWhere), RowByRow: true},
		&command{Name: "eval", Compile: compileAs((*planner).compileEval), RowByRow: true, InForeach: true},
		&command{Name: "rename", Compile: compileAs((*planner).compileRename), RowByRow: true, InForeach: true},
		&command{Name: "table", Compile: compileAs((*planner).compileTable), RowByRow: true, Projects: always},
		&command{Name: "fields", Compile: compileAs((*planner).compileFields), RowByRow: true, Projects: fieldsProjects},
		&command{Name: "convert", Compile: compileAs((*planner).compileConvert), RowByRow: true, InForeach: true,
			Options: []option{{Name: "timeformat", Default: "%m/%d/%Y %H:%M:%S"}}},
		&command{Name: "fillnull", Compile: compileAs((*planner).compileFillnull), Order: fillnullOrder, OrderDoc: "row by row when it names its fields", InForeach: true,
			Options: []option{{Name: "value", Default: "0"}}},
		&command{Name: "dedup", Compile: compileAs((*planner).compileDedup),
			Options: []option{{Name: "keepempty", Kind: optBool}, {Name: "consecutive", Kind: optBool}, {Name: "keepevents", Kind: optBool}}},
		&command{Name: "sort", Compile: compileAs((*planner).compileSort), Kind: transforming, Options: headOptions},
		&command{Name: "head", Compile: compileAs((*planner).compileHead),
			Options: append([]option{{Name: "keeplast", Kind: optBool}, {Name: "null", Kind: optBool}}, headOptions...)},
		&command{Name: "tail", Compile: compileAs((*planner).compileHead), Kind: transforming, Options: headOptions},
		bin("bin"),
		bin("bucket"),
		&command{Name: "rex", Compile: compileAs((*planner).compileRex), RowByRow: true, InForeach: true,
			Options: []option{
				{Name: "field", Kind: optField, Default: "_raw"},
				{Name: "max_match", Kind: optInt, Default: "1"},
				{Name: "mode", Allowed: []string{"sed"}},
				{Name: "offset_field", Kind: optField},
			}},
		rowByRow("regex", compileAs((*planner).compileRegex)),
		rowByRow("spath", compileAs((*planner).compileSpath),
			option{Name: "input", Kind: optField, Default: "_raw"}, option{Name: "output", Kind: optField}, option{Name: "path"}),
		&command{Name: "mvexpand", Compile: compileAs((*planner).compileMvexpand),
			Options: []option{{Name: "limit", Kind: optInt, Min: anyInt}}},
		&command{Name: "stats", Compile: compileAs((*planner).compileStats), Kind: transforming, Order: statsOrder, OrderDoc: "output independent of the input's order when every function is order free",
			Projects: always,
			// partitions only spreads the work in Splunk; results are the same.
			Options: []option{{Name: "partitions"}}},
		&command{Name: "eventstats", Compile: compileAs((*planner).compileStats), Kind: transforming,
			Options: []option{{Name: "allnum", Kind: optBool}}},
		&command{Name: "streamstats", Compile: compileAs((*planner).compileStats),
			Options: []option{
				{Name: "current", Kind: optBool, Default: "true"},
				{Name: "window", Kind: optInt},
				{Name: "global"},
				{Name: "reset_on_change", Kind: optBool},
				{Name: "reset_before"},
				{Name: "reset_after"},
				{Name: "time_window"},
			}},
		&command{Name: "top", Compile: compileAs((*planner).compileTop), Kind: transforming, Projects: always, Options: topOptions},
		&command{Name: "rare", Compile: compileAs((*planner).compileTop), Kind: transforming, Projects: always, Options: topOptions},
		rowByRow("lookup", compileAs((*planner).compileLookup),
			// Where a lookup runs and whether it reloads do not change
			// its result here.
			option{Name: "local"}, option{Name: "update"}, option{Name: "event_time_field"}),
		&command{Name: "inputlookup", Compile: compileFirst((*planner).compileInputlookup), Kind: generating,
			Options: []option{{Name: "append", Kind: optBool}}},
		&command{Name: "outputlookup", Compile: compileAs((*planner).compileOutputlookup), Kind: transforming,
			// The written table is only read back by later commands of the
			// same search, and its rows pass on unchanged: these options
			// change neither (UNCONFIRMED for append=true, which Splunk
			// applies to the stored table).
			Options: []option{
				{Name: "append", Kind: optBool}, {Name: "create_empty", Kind: optBool}, {Name: "override_if_empty", Kind: optBool},
				{Name: "max", Kind: optInt}, {Name: "key_field"}, {Name: "createinapp", Kind: optBool}, {Name: "output_format"},
			}},
		&command{Name: "append", Compile: compileAs((*planner).compileAppend),
			// Time limits and the time range do not apply to a run over
			// files.
			Options: []option{{Name: "maxout", Kind: optInt, Min: anyInt}, {Name: "maxtime"}, {Name: "timeout"}, {Name: "extendtimerange"}}},
		&command{Name: "join", Compile: compileAs((*planner).compileJoin),
			Options: []option{
				{Name: "type", Default: "inner", Allowed: []string{"inner", "outer", "left"}},
				{Name: "max", Kind: optInt, Default: "1"},
				{Name: "overwrite", Kind: optBool, Default: "true"},
				{Name: "usetime", Kind: optBool, TrueUnsupported: true},
				{Name: "earlier", Kind: optBool, TrueUnsupported: true},
			}},
		&command{Name: "foreach", Compile: compileAs((*planner).compileForeach)},
		&command{Name: "makeresults", Compile: compileFirst((*planner).compileMakeresults), Kind: generating,
			Options: []option{{Name: "count", Kind: optInt, Default: "1"}, {Name: "annotate", Kind: optBool, TrueUnsupported: true}}},
		rowByRow("fromjson", compileAs((*planner).compileFromjson), option{Name: "prefix"}),
		rowByRow("iplocation", compileAs((*planner).compileIplocation),
			option{Name: "prefix"}, option{Name: "allfields", Kind: optBool}, option{Name: "lang", Default: "en"}),
	)
}

// fieldsProjects: fields keeps only the fields it names, unless it
// removes them (fields -).
func fieldsProjects(cmd spl.Command) bool {
	c, ok := cmd.(*spl.FieldsCommand)
	return ok && c.Mode != "-"
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

// exprError positions an expression compile error.
func exprError(err error) error {
	if ce, ok := err.(*eval.CompileError); ok {
		if ce.Unsupported {
			return &Error{Pos: ce.Pos, Code: diag.UnsupportedFunction, Msg: ce.Msg}
		}
		if ce.Code != "" {
			return &Error{Pos: ce.Pos, Code: diag.Code(ce.Code), Msg: ce.Msg}
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
