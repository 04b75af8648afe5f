package exec

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// An event source is what a query that starts with tstats, datamodel or
// from datamodel reads instead of a base search: the events of a data
// model dataset, each seen through the dataset (its fields named
// Dataset.field), or the events' indexed fields for tstats without a data
// model. Splunk documents that a search of an un-accelerated data model is
// its constraint search plus its field extraction ("tstats", Search
// Reference; "Design data models", Knowledge Manager Manual); that is what
// runs here, over the same events a base search reads.
type eventSource struct {
	// match is the plan's base: the event is in the dataset and passes
	// the where clause.
	match matcher
	// view wraps an event's fields as the stages see them.
	view func(value.Source) value.Source
	// ordered is set when the stages after the source depend on event
	// order.
	ordered bool
	// prefilter is the raw pre-filter the datasets' constraints imply,
	// nil when they imply none (dmCompiled.prefilter).
	prefilter *prefilter
	// gateExpr, when set, is a search whose raw pre-filter is prefilter:
	// the field gate reads it (newPassGate).
	gateExpr spl.SearchExpr
}

// compileSource compiles tstats, datamodel and from datamodel. first is
// true when the command starts the query; it then becomes the plan's
// event source (p.source), and the stage it returns aggregates (tstats)
// or passes the events on.
func (p *planner) compileSource(cmd spl.Command, first bool) (stageBuilder, error) {
	if !first {
		return nil, unsupported(spl.Position(cmd), "command %s is not supported by the evaluator after the start of a search", cmd.Name())
	}
	switch c := cmd.(type) {
	case *spl.TstatsCommand:
		return p.compileTstats(c)
	case *spl.DatamodelCommand:
		if c.Model == nil || c.Dataset == nil {
			return nil, unsupported(c.Pos, "datamodel without a model and dataset describes the models, which the evaluator does not do")
		}
		if _, err := p.parseOptions(c, c.Options, c.After); err != nil {
			return nil, err
		}
		mode := "search"
		if c.Mode != nil {
			mode = strings.ToLower(c.Mode.Text())
		}
		if mode != "search" && mode != "flat" {
			return nil, unsupported(c.Mode.Pos, "datamodel %s is not supported by the evaluator (search and flat are)", mode)
		}
		return p.compileDatasetEvents(c.Model, c.Model.Text(), c.Dataset.Text(), mode == "flat")
	case *spl.FromCommand:
		kind := c.Kind.Text()
		ref := ""
		switch {
		case strings.HasPrefix(strings.ToLower(kind), "datamodel:"):
			ref = kind[len("datamodel:"):]
		case strings.EqualFold(kind, "datamodel") && c.Dataset != nil:
			ref = c.Dataset.Text()
		default:
			return nil, unsupported(c.Pos, "from %s is not supported by the evaluator (from datamodel:<model>.<dataset> is)", kind)
		}
		model, ds := datamodel.Path(strings.Trim(ref, `"`))
		return p.compileDatasetEvents(c.Kind, model, ds, false)
	}
	return nil, unsupported(spl.Position(cmd), "command %s is not supported by the evaluator", cmd.Name())
}

// compileDatasetEvents makes the plan read the events of model.ds, with
// their own fields and the dataset's.
func (p *planner) compileDatasetEvents(at *spl.Word, model, ds string, flat bool) (stageBuilder, error) {
	dm, err := p.compileModel(at.Pos, model, ds)
	if err != nil {
		return nil, err
	}
	if err := dm.need(nil, true); err != nil {
		return nil, err
	}
	mode := viewEvents
	if flat {
		mode = viewFlat
	}
	p.source = &eventSource{
		match:     func(r *value.Row) bool { return r.Get(dmInName).String() == "1" },
		view:      func(src value.Source) value.Source { return dm.newView(src, mode) },
		prefilter: dm.prefilter(p),
	}
	return mapStage(func(r *value.Row) { r.Delete(dmInName) }), nil
}

// dmInName is a field only the view answers: "1" when the event is in
// the dataset the query reads. It is no name a data model or an event
// can have.
const dmInName = "\x00in"

// tstatsOptionSpecs are the options tstats takes. Those about summaries
// and where the search runs are accepted without effect: the events are
// read as if the model were accelerated with complete summaries, so they
// do not change the rows (docs/datamodels/README.md).
var tstatsOptionSpecs = []option{
	{Name: "summariesonly", Kind: optBool},
	{Name: "allow_old_summaries", Kind: optBool},
	{Name: "local", Kind: optBool},
	{Name: "chunk_size", Kind: optInt},
	{Name: "include_reduced_buckets", Kind: optBool},
	{Name: "fillnull_value"},
	{Name: "prestats", Kind: optBool},
	{Name: "append", Kind: optBool, TrueUnsupported: true},
	{Name: "span"},
}

func init() {
	register(
		&command{Name: "tstats", Compile: (*planner).compileSource, Kind: generating, Order: tstatsOrder,
			OrderDoc: "output independent of the events' order when every function is order free",
			Projects: always, Options: tstatsOptionSpecs},
		&command{Name: "datamodel", Compile: (*planner).compileSource, Kind: generating},
		&command{Name: "from", Compile: (*planner).compileSource, Kind: generating},
	)
}

// tstatsOrder is the order effect of tstats, as of stats: it resets the
// order when every function is order free.
func tstatsOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.TstatsCommand)
	if !ok {
		return orderMatters
	}
	return aggregationsOrder(c.Aggregations.Items)
}

// tstatsOptions reads tstats' options, wherever the command has them
// (before the aggregations, after from, at the end, inside BY).
func (p *planner) tstatsOptions(c *spl.TstatsCommand) (fill *value.Value, prestats bool, span float64, err error) {
	lists := []spl.Options{c.Options, c.Options2, c.After}
	if c.By != nil {
		lists = append(lists, c.By.Options)
	}
	o, err := p.parseOptions(c, lists...)
	if err != nil {
		return nil, false, 0, err
	}
	if o.Has("fillnull_value") {
		f := value.Str(o.String("fillnull_value"))
		fill = &f
	}
	if w := o.Word("span"); w != nil {
		if span, _, err = parseSpan(w.Text(), true); err != nil {
			return nil, false, 0, errorf(w.Pos, "tstats: %v", err)
		}
	}
	return fill, o.Bool("prestats"), span, nil
}

// compileTstats compiles tstats: its rows are stats over the events of a
// data model dataset (or over indexed fields), grouped by the BY fields.
// A null BY value drops the event unless fillnull_value gives it one
// ("tstats", Search Reference).
func (p *planner) compileTstats(c *spl.TstatsCommand) (stageBuilder, error) {
	fill, prestats, span, err := p.tstatsOptions(c)
	if err != nil {
		return nil, err
	}
	var view func(value.Source) value.Source
	var pf *prefilter
	var gateExpr spl.SearchExpr
	in := func(*value.Row) bool { return true }
	if c.From != nil {
		if c.From.Kind != nil && !strings.EqualFold(c.From.Kind.Text(), "datamodel") {
			return nil, unsupported(c.From.Kind.Pos, "tstats from %s= is not supported by the evaluator (from datamodel= is)", c.From.Kind.Text())
		}
		model, ds := datamodel.Path(c.From.Name.Text())
		dm, err := p.compileModel(c.From.Name.Pos, model, ds)
		if err != nil {
			return nil, err
		}
		if err := dm.need(queryNames(c), false); err != nil {
			return nil, err
		}
		view = func(src value.Source) value.Source { return dm.newView(src, viewTstats) }
		in = func(r *value.Row) bool { return r.Get(dmInName).String() == "1" }
		pf = dm.prefilter(p)
		gateExpr = dm.constraints()
		if c.Where != nil {
			if w := dm.whereSearch(c.Where.Expr); w != nil {
				gateExpr = &spl.SearchAnd{Terms: []spl.SearchExpr{gateExpr, w}}
				if wp := joinedPrefilter(p.prefilterOf(w)); wp != nil && pf != nil {
					pf = joinPrefilters('a', []*prefilter{pf, wp})
				} else if wp != nil {
					pf = wp
				}
			}
		}
	} else {
		view = func(src value.Source) value.Source { return indexedView{src} }
	}
	match := in
	if c.Where != nil {
		w, err := (&searchCompiler{p: p, base: true}).compile(c.Where.Expr)
		if err != nil {
			return nil, err
		}
		match = func(r *value.Row) bool { return in(r) && w(r) }
	}
	specs, err := p.compileAggs(c.Aggregations.Items)
	if err != nil {
		return nil, err
	}
	by, err := tstatsBy(c.By)
	if err != nil {
		return nil, err
	}
	p.source = &eventSource{match: match, view: view, ordered: tstatsOrder(c) != orderReset, prefilter: pf, gateExpr: gateExpr}
	get := func(r *value.Row, f string) value.Value {
		v := r.Get(f)
		if f == "_time" && span > 0 {
			if t, ok := v.Number(); ok {
				v = value.Num(math.Floor(t/span) * span)
			}
		}
		if v.IsNull() && fill != nil {
			return *fill
		}
		return v
	}
	if prestats {
		for _, s := range specs {
			if s.expr != nil || s.wildcard() {
				return nil, unsupported(c.Pos, "tstats prestats=true with eval() or wildcard aggregations is not supported by the evaluator")
			}
		}
		return tstatsPrestats(specs, by, get), nil
	}
	usesTime := false
	for _, sp := range specs {
		usesTime = usesTime || sp.fn.UsesTime
	}
	maxGroups, pos := p.opts.MaxGroups, c.Pos
	reads := newAggReads(specs)
	return func(next Stage) (Stage, error) {
		return &statsStage{emitter: emitter{next: next}, specs: specs, by: by, groups: map[string]*group{}, max: maxGroups, pos: pos, usesTime: usesTime, mem: p.mem, get: get, reads: reads}, nil
	}, nil
}

// tstatsBy is tstats' BY fields; span= may stand among them.
func tstatsBy(b *spl.ByClause) ([]string, error) {
	if b == nil {
		return nil, nil
	}
	var out []string
	for _, f := range b.Fields {
		out = append(out, fieldName(f))
	}
	return out, nil
}

// tstatsPrestats passes each event on as a row of the BY fields and the
// aggregated fields, for a following stats, chart or timechart to
// aggregate: what tstats' prestats output gives them ("tstats", Search
// Reference). An event with a null BY value (and no fillnull_value) is
// left out, as tstats leaves it out of its groups.
func tstatsPrestats(specs []*aggSpec, by []string, get func(*value.Row, string) value.Value) stageBuilder {
	return rowMap(func(r *value.Row) *value.Row {
		out := value.NewRow(nil)
		out.Set("_time", r.Get("_time"))
		for _, f := range by {
			v := get(r, f)
			if v.IsNull() {
				return nil
			}
			out.Set(f, v)
		}
		for _, s := range specs {
			if s.field != "" && s.field != "_time" {
				out.Set(s.field, r.Get(s.field))
			}
		}
		return out
	})
}

// rowMapStage passes on the row fn makes of each input row, nothing when
// fn returns nil.
type rowMapStage struct {
	emitter
	fn func(*value.Row) *value.Row
}

func (s *rowMapStage) Push(r *value.Row) error {
	if out := s.fn(r); out != nil {
		return s.emit(out)
	}
	return nil
}

func rowMap(fn func(*value.Row) *value.Row) stageBuilder {
	return func(next Stage) (Stage, error) { return &rowMapStage{emitter: emitter{next: next}, fn: fn}, nil }
}

// indexedFields are the fields tstats reads without a data model: the
// index-time fields every event has. CloudTrail's fields are extracted at
// search time (KV_MODE=json), so tstats sees none of them.
var indexedFields = map[string]bool{"_time": true, "index": true, "source": true, "sourcetype": true, "host": true, "splunk_server": true, "_indextime": true}

// indexedView shows only an event's indexed fields.
type indexedView struct{ ev value.Source }

func (v indexedView) Field(name string) (value.Value, bool) {
	if !indexedFields[name] {
		return value.NullValue, false
	}
	return v.ev.Field(name)
}

func (v indexedView) Each(fn func(string, value.Value)) {
	v.ev.Each(func(n string, x value.Value) {
		if indexedFields[n] {
			fn(n, x)
		}
	})
}

// dmCompiled is a data model compiled for one query: each dataset's
// constraints and calculated fields, and the dataset the query reads.
type dmCompiled struct {
	model  *datamodel.Model
	sets   []*dmSet
	target []int // the datasets the query reads (a model's roots, or one dataset)
	// related marks the targets, their ancestors and their descendants:
	// the datasets whose fields a row of the query carries.
	related []bool
	// fields maps each qualified field name (All_Changes.user) to its
	// dataset and plain name.
	fields map[string]dmField
	// plain maps a plain field name to the qualified names it has, for the
	// flat view.
	plain map[string]dmField
	// ctx is the plan's evaluation context, which the calculations record
	// in.
	ctx *eval.Context
}

type dmField struct {
	set  int
	name string
}

type dmSet struct {
	ds     *datamodel.Dataset
	parent int // -1 for a root
	// broken says why the dataset cannot be evaluated (a calculation
	// type the evaluator lacks); its events and fields are then unknown,
	// and a query that needs them fails to compile (dmCompiled.need).
	broken   *Error
	cons     []matcher
	exprs    []spl.SearchExpr // the constraints, for the raw pre-filter
	required []string
	calcs    []dmCalc
}

type dmCalc struct {
	name string
	expr spl.Expr // for the raw pre-filter of a where clause (dmCompiled.origin)
	eval eval.Evaluator
}

// compileModel resolves model.ds (ds empty: the whole model) and compiles
// the model's searches and expressions.
func (p *planner) compileModel(pos spl.Pos, model, ds string) (*dmCompiled, error) {
	m := p.opts.DataModels.Model(model)
	if m == nil && datamodel.Provider(model) != "" {
		// Valid Splunk: the model is Splunk's, only not loaded here.
		return nil, unsupported(pos, "data model %s (from %s) is not among the loaded models (%s): give an app that defines it with --app", model, datamodel.Provider(model), strings.Join(p.opts.DataModels.Names(), ", "))
	}
	if m == nil {
		return nil, &Error{Pos: pos, Code: diag.DatamodelUndefined, Msg: fmt.Sprintf("data model %s is not defined (models: %s)", model, strings.Join(p.opts.DataModels.Names(), ", "))}
	}
	c := &dmCompiled{model: m, fields: map[string]dmField{}, plain: map[string]dmField{}, ctx: p.ctx}
	index := map[*datamodel.Dataset]int{}
	for i, d := range m.Datasets {
		index[d] = i
		s := &dmSet{ds: d, parent: -1}
		if d.Parent != nil {
			s.parent = index[d.Parent]
		}
		for _, text := range d.Constraints {
			e, err := spl.ParseSearchExpr(diag.NewSource(m.Name+"."+d.Name, text), spl.Limits{})
			if err != nil {
				return nil, errorf(pos, "data model %s, dataset %s: constraint %q: %v", m.Name, d.Name, text, err)
			}
			mt, err := (&searchCompiler{p: p}).compile(e)
			if err != nil {
				return nil, errorf(pos, "data model %s, dataset %s: constraint %q: %v", m.Name, d.Name, text, err)
			}
			s.cons = append(s.cons, mt)
			s.exprs = append(s.exprs, e)
		}
		for _, f := range d.Fields {
			if f.Required {
				s.required = append(s.required, f.Name)
			}
		}
		for _, calc := range d.Calcs {
			if !strings.EqualFold(calc.Type, "Eval") {
				s.broken = unsupported(pos, "data model %s, dataset %s: calculated field %s of type %s is not supported by the evaluator (Eval is)", m.Name, d.Name, calc.ID, calc.Type)
				break
			}
			if len(calc.Outputs) != 1 {
				return nil, errorf(pos, "data model %s, dataset %s: Eval calculation %s must have one output field", m.Name, d.Name, calc.ID)
			}
			e, err := spl.ParseExpr(diag.NewSource(m.Name+"."+d.Name, calc.Expression), spl.Limits{})
			if err != nil {
				return nil, errorf(pos, "data model %s, dataset %s: calculation %s: %v", m.Name, d.Name, calc.ID, err)
			}
			ev, err := p.ec.Compile(e)
			if err != nil {
				return nil, errorf(pos, "data model %s, dataset %s: calculation %s: %v", m.Name, d.Name, calc.ID, exprError(err))
			}
			s.calcs = append(s.calcs, dmCalc{name: calc.Outputs[0].Name, expr: e, eval: ev})
		}
		for _, f := range d.OwnFields() {
			c.fields[d.Lineage+"."+f] = dmField{set: i, name: f}
			if _, ok := c.plain[f]; !ok {
				c.plain[f] = dmField{set: i, name: f}
			}
		}
		c.sets = append(c.sets, s)
	}
	if ds == "" {
		for i, s := range c.sets {
			if s.parent < 0 {
				c.target = append(c.target, i)
			}
		}
		return c, c.needTargets()
	}
	d := m.Dataset(ds)
	if d == nil {
		var names []string
		for _, x := range m.Datasets {
			names = append(names, x.Name)
		}
		return nil, &Error{Pos: pos, Code: diag.DatamodelUndefined, Msg: fmt.Sprintf("data model %s has no dataset %s (datasets: %s)", m.Name, ds, strings.Join(names, ", "))}
	}
	c.target = []int{index[d]}
	return c, c.needTargets()
}

// prefilter is the raw pre-filter that the constraints of the query's
// datasets imply: an event is in a target dataset only when it passes
// that dataset's constraints and its ancestors', so it must pass the
// pre-filter of their conjunction for one target at least. Nil when a
// target's constraints require no literal.
func (c *dmCompiled) prefilter(p *planner) *prefilter {
	var any []*prefilter
	for _, t := range c.target {
		var all []*prefilter
		for i := t; i >= 0; i = c.sets[i].parent {
			for _, e := range c.sets[i].exprs {
				if f := p.prefilterOf(e); f != nil {
					all = append(all, f)
				}
			}
		}
		if len(all) == 0 {
			return nil
		}
		any = append(any, joinPrefilters('a', all))
	}
	if len(any) == 0 {
		return nil
	}
	return joinPrefilters('o', any)
}

// constraints is the search of the query's datasets' constraints whose
// raw pre-filter is prefilter's: the OR, over the targets, of the AND of
// the constraints of the target and its ancestors.
func (c *dmCompiled) constraints() spl.SearchExpr {
	any := &spl.SearchOr{}
	for _, t := range c.target {
		all := &spl.SearchAnd{}
		for i := t; i >= 0; i = c.sets[i].parent {
			all.Terms = append(all.Terms, c.sets[i].exprs...)
		}
		any.Terms = append(any.Terms, all)
	}
	return any
}

// whereSearch is the base search that a tstats where clause implies of
// the events it lets into the query, for their raw pre-filter
// (prefilterOf) and the field gate. A term Dataset.field=value (or IN)
// holds only when the dataset's value of the field matches, and that
// value is, by the dataset's calculated fields (origin), an event field's
// value or one of some constants. When no constant matches, an event
// field matches the value: the term becomes the OR of the same term on
// each event field the value can come from (fieldSearch). The CIM's
// calculations are mostly of this shape (All_Changes.object_category is
// if(isnull(object_category) OR object_category="","unknown",object_category)).
// Nil where the clause requires nothing that can be shown (NOT, !=,
// keywords, other fields).
func (c *dmCompiled) whereSearch(e spl.SearchExpr) spl.SearchExpr {
	switch e := e.(type) {
	case *spl.SearchAnd:
		all := &spl.SearchAnd{}
		for _, t := range e.Terms {
			if w := c.whereSearch(t); w != nil {
				all.Terms = append(all.Terms, w)
			}
		}
		if len(all.Terms) == 0 {
			return nil
		}
		return all
	case *spl.SearchOr:
		any := &spl.SearchOr{}
		for _, t := range e.Terms {
			w := c.whereSearch(t)
			if w == nil {
				return nil
			}
			any.Terms = append(any.Terms, w)
		}
		if len(any.Terms) == 0 {
			return nil
		}
		return any
	case *spl.SearchCompare:
		if e.Op != "=" {
			return nil
		}
		return c.fieldSearch(e.Field.Text(), e.Func == "CASE", []string{e.Value.Text()}, func(field *spl.Word) spl.SearchExpr {
			return &spl.SearchCompare{Pos: e.Pos, Field: field, Op: e.Op, Value: e.Value, Func: e.Func}
		})
	case *spl.SearchIn:
		values := make([]string, len(e.Values))
		for i, v := range e.Values {
			values[i] = v.Text()
		}
		return c.fieldSearch(e.Field.Text(), false, values, func(field *spl.Word) spl.SearchExpr {
			return &spl.SearchIn{Pos: e.Pos, Field: field, Values: e.Values}
		})
	}
	return nil
}

// fieldSearch is the search a match of the qualified dataset field name
// against one of values implies (whereSearch): the OR of same over the
// event fields the dataset's value can come from; nil when a constant the
// value can be matches, or the origin is not known.
func (c *dmCompiled) fieldSearch(name string, caseSensitive bool, values []string, same func(field *spl.Word) spl.SearchExpr) spl.SearchExpr {
	f, ok := c.fields[name]
	if !ok {
		return nil
	}
	var o dmOrigin
	if !c.origin(f.set, f.name, len(c.sets[f.set].calcs), &o, 0) || len(o.fields) == 0 {
		return nil
	}
	for _, v := range values {
		if slices.ContainsFunc(o.consts, newValueMatcher(v, caseSensitive)) {
			return nil
		}
	}
	any := &spl.SearchOr{}
	for _, g := range o.fields {
		if g == "" || strings.ContainsAny(g, "\"'`*=()[]| \t\n") {
			return nil
		}
		any.Terms = append(any.Terms, same(&spl.Word{Raw: g}))
	}
	return any
}

// dmOrigin is what a dataset field's value can be: the value of one of
// the event fields (as the event's knowledge gives them) or one of the
// constants.
type dmOrigin struct {
	fields, consts []string
}

// maxOriginDepth bounds how far origin follows calculations through
// each other; deeper, nothing is shown.
const maxOriginDepth = 32

// origin adds to o what field name of dataset i can be after its first
// before calculations: the last of them that writes it, or else the
// parent's value, or else the event's field (a dataset's row reads its
// parent's, a root's reads the event: dmView.isIn). False when a
// calculation on the way is not of a shape that returns one of its
// operands unchanged (a field, a string, null(), and coalesce, ifnull,
// if and case of those, as knowledge's Sources follows an event's
// calculated fields).
func (c *dmCompiled) origin(i int, name string, before int, o *dmOrigin, depth int) bool {
	if depth > maxOriginDepth {
		return false
	}
	s := c.sets[i]
	for k := before - 1; k >= 0; k-- {
		if s.calcs[k].name == name {
			return c.exprOrigin(i, k, s.calcs[k].expr, o, depth+1)
		}
	}
	if s.parent >= 0 {
		return c.origin(s.parent, name, len(c.sets[s.parent].calcs), o, depth+1)
	}
	if !slices.Contains(o.fields, name) {
		o.fields = append(o.fields, name)
	}
	return true
}

// exprOrigin adds to o what calculation k of dataset i, whose expression
// is e, can return (origin).
func (c *dmCompiled) exprOrigin(i, k int, e spl.Expr, o *dmOrigin, depth int) bool {
	switch e := e.(type) {
	case *spl.StringLit:
		if v := e.Value(); !slices.Contains(o.consts, v) {
			o.consts = append(o.consts, v)
		}
		return true
	case *spl.FieldRef:
		return c.origin(i, e.Name, k, o, depth)
	case *spl.Call:
		values, ok := e.Results()
		if !ok {
			return false
		}
		for _, v := range values {
			if !c.exprOrigin(i, k, v, o, depth) {
				return false
			}
		}
		return true
	}
	return false
}

// needTargets marks the related datasets, and fails when a dataset the
// query reads, or one of its ancestors, cannot be evaluated.
func (c *dmCompiled) needTargets() error {
	c.related = make([]bool, len(c.sets))
	for i := range c.sets {
		for _, t := range c.target {
			for a := i; a >= 0; a = c.sets[a].parent {
				c.related[i] = c.related[i] || a == t // i is t or below it
			}
			for a := t; a >= 0; a = c.sets[a].parent {
				c.related[i] = c.related[i] || a == i // i is above t
			}
		}
	}
	for _, t := range c.target {
		for i := t; i >= 0; i = c.sets[i].parent {
			if c.sets[i].broken != nil {
				return c.sets[i].broken
			}
		}
	}
	return nil
}

// need fails when a query names a field of a dataset that cannot be
// evaluated, or nodename while any cannot (its value would be partial);
// all is set when the query's rows carry every dataset field (datamodel
// search).
func (c *dmCompiled) need(names []string, all bool) error {
	for i, s := range c.sets {
		if s.broken == nil {
			continue
		}
		if all && c.related[i] {
			return s.broken
		}
		for _, n := range names {
			if n == "nodename" || strings.HasPrefix(n, s.ds.Lineage+".") {
				return s.broken
			}
		}
	}
	return nil
}

// queryNames lists the words of a command: the field names it can read.
func queryNames(n spl.Node) []string {
	var out []string
	spl.Walk(n, func(n spl.Node) bool {
		switch n := n.(type) {
		case *spl.SearchCompare:
			out = append(out, n.Field.Text())
			return false
		case *spl.SearchIn:
			out = append(out, n.Field.Text())
			return false
		case *spl.Word:
			out = append(out, n.Text())
		}
		return true
	})
	return out
}

// reads are the event fields a data model's searches and calculations
// can read: for the plan's field needs.
func modelReads(m *datamodel.Model) []string {
	seen := map[string]bool{"tag": true, "eventtype": true}
	out := []string{"tag", "eventtype"}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, d := range m.Datasets {
		for _, f := range d.OwnFields() {
			add(f)
		}
		for _, text := range d.Constraints {
			if e, err := spl.ParseSearchExpr(diag.NewSource("", text), spl.Limits{}); err == nil {
				spl.Walk(e, func(n spl.Node) bool {
					switch n := n.(type) {
					case *spl.SearchCompare:
						add(n.Field.Text())
						return false
					case *spl.SearchIn:
						add(n.Field.Text())
						return false
					}
					return true
				})
			}
		}
		for _, calc := range d.Calcs {
			if e, err := spl.ParseExpr(diag.NewSource("", calc.Expression), spl.Limits{}); err == nil {
				spl.Walk(e, func(n spl.Node) bool {
					switch n := n.(type) {
					case *spl.FieldRef:
						add(n.Name)
					case *spl.Word:
						add(n.Text())
					}
					return true
				})
			}
		}
	}
	for _, b := range datamodel.BaseFields() {
		add(b)
	}
	return out
}

// sourceReads lists what a query's event source reads from the events
// besides the fields it names: the fields of the data model it reads.
func (p *planner) sourceReads(cmd spl.Command) []string {
	var ref string
	switch c := cmd.(type) {
	case *spl.TstatsCommand:
		if c.From == nil {
			return nil
		}
		ref = c.From.Name.Text()
	case *spl.DatamodelCommand:
		if c.Model == nil {
			return nil
		}
		ref = c.Model.Text()
	case *spl.FromCommand:
		k := c.Kind.Text()
		if strings.HasPrefix(strings.ToLower(k), "datamodel:") {
			ref = k[len("datamodel:"):]
		} else if c.Dataset != nil {
			ref = c.Dataset.Text()
		}
	default:
		return nil
	}
	model, _ := datamodel.Path(ref)
	m := p.opts.DataModels.Model(model)
	if m == nil {
		return nil
	}
	return modelReads(m)
}

// viewMode is how a data model view names fields.
type viewMode int

const (
	// viewTstats: dataset fields by qualified name, BaseEvent fields and
	// indexed fields by plain name, nothing else (tstats reads only
	// these).
	viewTstats viewMode = iota
	// viewEvents: dataset fields by qualified name and every event field
	// (datamodel <M> <D> search, from datamodel:).
	viewEvents
	// viewFlat: dataset fields by plain name, over the event's own
	// (datamodel <M> <D> flat).
	viewFlat
)

// dmView is one event seen through a data model: which datasets it is in
// and their fields, each computed on first use.
type dmView struct {
	c     *dmCompiled
	ev    value.Source
	mode  viewMode
	state []uint8 // per dataset: dmUnknown, dmIn, dmOut
	rows  []*value.Row
	// st holds state and rows, shared with the pass's other views of the
	// model (dmView.shared); replayed marks the datasets whose record
	// this view has replayed.
	st       *dmState
	replayed map[int]bool
}

func (c *dmCompiled) newView(ev value.Source, mode viewMode) *dmView {
	return &dmView{c: c, ev: ev, mode: mode}
}

// rowSource reads a row's fields, to layer a dataset's row over its
// parent's.
type rowSource struct{ r *value.Row }

func (s rowSource) Field(name string) (value.Value, bool) {
	v := s.r.Get(name)
	return v, !v.IsNull()
}

func (s rowSource) Each(fn func(string, value.Value)) { s.r.Each(fn) }

// Tagged answers from the parent's row: a child dataset's constraint
// tag=X asks the event's knowledge, as the parent's does.
func (s rowSource) Tagged(field string, match func(string) bool) (bool, bool) {
	return s.r.Tagged(field, match)
}

// isIn reports whether the event is in dataset i, deciding it on first
// use, its parent first: a dataset's constraints see its parent's
// calculated fields, and its own calculated fields are evaluated, in
// order, once it is in. Datasets a query never asks about are never
// evaluated.
func (v *dmView) isIn(i int) bool {
	if v.st == nil {
		v.st = v.shared()
		v.state, v.rows = v.st.state, v.st.rows
	}
	if v.state[i] != dmUnknown {
		if v.st.recs != nil {
			// Its row reads its ancestors' rows.
			for j := i; j >= 0; j = v.c.sets[j].parent {
				if v.st.by[j] != v.c.ctx {
					v.replay(j)
				}
			}
		}
		return v.state[i] == dmIn
	}
	v.st.by[i] = v.c.ctx
	v.state[i] = dmOut
	s := v.c.sets[i]
	if s.broken != nil {
		return false
	}
	var r *value.Row
	if s.parent < 0 {
		r = value.NewRow(v.ev)
	} else {
		if !v.isIn(s.parent) {
			return false
		}
		r = value.NewRow(rowSource{v.rows[s.parent]})
	}
	// What this dataset's own constraints and calculations record (its
	// parent's is kept with the parent).
	mark := v.c.ctx.Mark()
	defer func() {
		if rec := v.c.ctx.Since(mark); !rec.Empty() {
			if v.st.recs == nil {
				v.st.recs = map[int]eval.Record{}
			}
			v.st.recs[i] = rec
		}
	}()
	for _, m := range s.cons {
		if !m(r) {
			return false
		}
	}
	for _, f := range s.required {
		if r.Get(f).IsNull() {
			return false
		}
	}
	for _, calc := range s.calcs {
		r.Set(calc.name, calc.eval(r))
	}
	v.state[i], v.rows[i] = dmIn, r
	return true
}

// dmState is what an event's views of one data model have decided: per
// dataset, whether the event is in it and its row. The slices are made
// once, at their full length, so that views sharing them see each
// other's decisions.
type dmState struct {
	state []uint8
	rows  []*value.Row
	// by is the context that decided each dataset; recs what it
	// recorded meanwhile (a capped value, a failed call), when anything:
	// another plan's view that uses the dataset replays it (eval.Record).
	by   []*eval.Context
	recs map[int]eval.Record
}

// passShared is an event's source that keeps values for every plan of
// a pass that reads the event (fieldMemo): the plans of one data model
// then decide its datasets and evaluate their calculated fields once.
type passShared interface {
	shared(key any, make func() any) any
}

// shared is the state of the view's model for its event: the pass's,
// when the event's source is shared by the plans of a pass. Every plan
// compiles the same model's datasets alike (the same constraints, fields
// and calculations, in order), so any of them may decide for the rest.
func (v *dmView) shared() *dmState {
	mk := func() any {
		return &dmState{state: make([]uint8, len(v.c.sets)), rows: make([]*value.Row, len(v.c.sets)), by: make([]*eval.Context, len(v.c.sets))}
	}
	if ps, ok := v.ev.(passShared); ok {
		if st, ok := ps.shared(v.c.model, mk).(*dmState); ok && len(st.state) == len(v.c.sets) {
			return st
		}
	}
	return mk().(*dmState)
}

// replay records in the view's context what deciding dataset i recorded
// in another plan's, once per view.
func (v *dmView) replay(i int) {
	rec, ok := v.st.recs[i]
	if !ok {
		return
	}
	if v.replayed == nil {
		v.replayed = map[int]bool{}
	}
	if !v.replayed[i] {
		v.replayed[i] = true
		v.c.ctx.Replay(rec)
	}
}

// The states of a dataset in a view: not decided yet, in, out.
const (
	dmUnknown uint8 = iota
	dmIn
	dmOut
)

func (v *dmView) Field(name string) (value.Value, bool) {
	if name == dmInName {
		for _, t := range v.c.target {
			if v.isIn(t) {
				return value.Str("1"), true
			}
		}
		return value.NullValue, false
	}
	if name == "nodename" {
		var nodes []string
		for i, s := range v.c.sets {
			if v.isIn(i) {
				nodes = append(nodes, s.ds.Lineage)
			}
		}
		switch len(nodes) {
		case 0:
			return value.NullValue, false
		case 1:
			return value.Str(nodes[0]), true
		}
		return value.MV(nodes), true
	}
	if v.mode == viewFlat {
		if f, ok := v.c.plain[name]; ok && v.isIn(f.set) {
			x := v.rows[f.set].Get(f.name)
			return x, !x.IsNull()
		}
		return v.ev.Field(name)
	}
	if f, ok := v.c.fields[name]; ok {
		if !v.isIn(f.set) {
			return value.NullValue, false
		}
		x := v.rows[f.set].Get(f.name)
		return x, !x.IsNull()
	}
	if v.mode == viewEvents || indexedFields[name] {
		return v.ev.Field(name)
	}
	return value.NullValue, false
}

func (v *dmView) Each(fn func(string, value.Value)) {
	seen := map[string]bool{}
	for i, s := range v.c.sets {
		if !v.c.related[i] || !v.isIn(i) {
			continue
		}
		for _, f := range s.ds.OwnFields() {
			name := s.ds.Lineage + "." + f
			if v.mode == viewFlat {
				name = f
			}
			if seen[name] {
				continue
			}
			if x := v.rows[i].Get(f); !x.IsNull() {
				seen[name] = true
				fn(name, x)
			}
		}
	}
	v.ev.Each(func(n string, x value.Value) {
		if seen[n] || (v.mode == viewTstats && !indexedFields[n]) {
			return
		}
		fn(n, x)
	})
}

// Size is the event's size, for the memory budget.
func (v *dmView) Size() int {
	if s, ok := v.ev.(value.Sizer); ok {
		return s.Size() + 64
	}
	return 64
}
