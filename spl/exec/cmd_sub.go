package exec

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// runSubsearch runs a subsearch over the same input, in a read of its
// own. More than max rows is an error naming limit: Splunk keeps the first
// max and goes on with a message in the job inspector, which a
// command-line run would lose (limits.conf, [subsearch] maxout;
// docs/reliability.md). With limit "" the first max rows are kept and the
// rest dropped, as a maxout written in the search asks.
func (p *planner) runSubsearch(sub *Plan, pos spl.Pos, max int, limit string) ([]*value.Row, error) {
	s := &subsearch{plan: sub, pos: pos, max: max, limit: limit}
	_, err := sub.Run(*p.input, s.collect)
	return s.rows, err
}

// subsearch is the subsearch of a join or an append. RunAll runs it as a
// hidden plan of the same pass as the search that holds it (Plan.subs),
// so that the events are read once: its rows are known when the pass has
// ended and it has been flushed, before the search that holds it is.
// Outside a pass that folds it (folded false) it runs alone, in a read of
// its own, when its rows are asked for, as runSubsearch does.
type subsearch struct {
	plan  *Plan
	pos   spl.Pos
	max   int    // the rows kept
	limit string // the limit more rows hit; "": they are dropped
	owner *Plan  // the plan whose stages use its rows
	// foldable is set when the subsearch may read in its search's pass:
	// it reads events, and no command of the pass's searches can write
	// what it reads (addSubsearch).
	foldable bool

	// The state of one run.
	folded bool         // it runs as a hidden plan of the current pass
	done   bool         // its run has ended: rows and err are final
	rows   []*value.Row // its first max rows
	err    error
}

// collect takes one row of the subsearch's results.
func (s *subsearch) collect(r *value.Row) error {
	if len(s.rows) == s.max {
		if s.limit == "" {
			return nil
		}
		return &LimitError{Pos: s.pos, Limit: s.limit, Msg: fmt.Sprintf("subsearch: more than %d rows (limit %s)", s.max, s.limit)}
	}
	s.rows = append(s.rows, r)
	return nil
}

// start readies the subsearch for a new run of its owner: folded into the
// pass when fold is set and it may be.
func (s *subsearch) start(fold bool) {
	s.folded, s.done, s.rows, s.err = fold && s.foldable, false, nil, nil
}

// end records the end of the subsearch's hidden run.
func (s *subsearch) end(err error) {
	s.done, s.err = true, err
	if err != nil {
		s.rows = nil
	}
}

// results are the subsearch's rows: those of its hidden run once the
// pass has ended, or of a run of its own.
func (s *subsearch) results(p *planner) ([]*value.Row, error) {
	if !s.folded {
		return p.runSubsearch(s.plan, s.pos, s.max, s.limit)
	}
	if !s.done {
		return nil, fmt.Errorf("internal error: the rows of the subsearch at offset %d were asked for before the pass ended", s.pos.Offset)
	}
	return s.rows, s.err
}

// addSubsearch compiles the subsearch of a join or an append and adds it
// to the subsearches of the plan being compiled.
func (p *planner) addSubsearch(ss *spl.Subsearch, max int, limit string) (*subsearch, error) {
	sub, err := p.compileQuery(ss.Query)
	if err != nil {
		return nil, err
	}
	s := &subsearch{plan: sub, pos: ss.Pos, max: max, limit: limit}
	s.foldable = !sub.generating && !p.writes && !readsModels(ss.Query)
	p.subs = append(p.subs, s)
	return s, nil
}

// ReadsTwice reports whether a run of the plan reads its input more than
// once: a subsearch used as a search term reads on its own before the
// search does, as does (when its rows are asked for) a join or append
// subsearch that cannot read in the search's pass and reads events. An
// input that can be read only once (standard input) must then be kept.
func (pl *Plan) ReadsTwice() bool {
	if len(pl.prepare) > 0 {
		return true
	}
	for _, s := range pl.subs {
		if s.plan.ReadsTwice() || !s.foldable && s.plan.readsEvents() {
			return true
		}
	}
	return false
}

// readsEvents reports whether a run of the plan reads the input at all:
// it reads events, or one of its subsearches does.
func (pl *Plan) readsEvents() bool {
	if !pl.generating || len(pl.prepare) > 0 {
		return true
	}
	for _, s := range pl.subs {
		if s.plan.readsEvents() {
			return true
		}
	}
	return false
}

// writesState reports whether a query writes what a subsearch could read:
// a lookup table (outputlookup) or a model (fit ... into). Its join and
// append subsearches then run alone when their rows are asked for, as
// they always did, so that each reads what the commands before it wrote.
func writesState(q *spl.Query) bool {
	return queryHas(q, func(n spl.Node) bool {
		switch n.(type) {
		case *spl.OutputlookupCommand, *spl.FitCommand:
			return true
		}
		return false
	})
}

// readsModels reports whether a query reads a model (apply, summary),
// which another search of the pass may fit as it is flushed: such a
// subsearch runs alone when its rows are asked for.
func readsModels(q *spl.Query) bool {
	return queryHas(q, func(n spl.Node) bool {
		switch n.(type) {
		case *spl.ApplyCommand, *spl.SummaryCommand:
			return true
		}
		return false
	})
}

// queryHas reports whether some node of q, subsearches included, is one
// that is reports true for.
func queryHas(q *spl.Query, is func(spl.Node) bool) bool {
	found := false
	spl.Walk(q, func(n spl.Node) bool {
		found = found || is(n)
		return !found
	})
	return found
}

// subsearchFilter compiles a subsearch used as a search term: its results
// become (f1=v1 AND f2=v2) OR (...), as Splunk's format command writes
// them. No results match nothing (UNCONFIRMED; docs/semantics.md, "Search
// command").
func (p *planner) subsearchFilter(s *spl.Subsearch) (matcher, error) {
	sub, err := p.compileQuery(s.Query)
	if err != nil {
		return nil, err
	}
	var (
		once  sync.Once
		terms []matcher
		fail  error
	)
	// The subsearch runs once, before the search reads its events (as
	// Splunk runs subsearches first), so that its error fails the
	// search; rows may then be matched from several goroutines.
	run := func() error {
		once.Do(func() {
			rows, err := p.runSubsearch(sub, s.Pos, p.opts.MaxSubsearchRows, "max_subsearch_rows")
			if err != nil {
				fail = err
				return
			}
			for _, row := range rows {
				terms = append(terms, rowMatcher(row))
			}
		})
		return fail
	}
	p.prepares = append(p.prepares, run)
	return func(r *value.Row) bool {
		if run() != nil {
			return false
		}
		for _, t := range terms {
			if t(r) {
				return true
			}
		}
		return false
	}, nil
}

// rowMatcher matches rows having every (non-internal) field of row with one
// of its values, compared as search values are (a subnet value matches
// the addresses in it, as in field="10.0.0.0/8").
func rowMatcher(row *value.Row) matcher {
	type cond struct {
		field string
		pats  []valueMatcher
	}
	var conds []cond
	row.Each(func(name string, v value.Value) {
		if strings.HasPrefix(name, "_") {
			return
		}
		c := cond{field: name}
		for _, s := range v.Values() {
			c.pats = append(c.pats, newValueMatcher(s, false))
		}
		conds = append(conds, c)
	})
	return func(r *value.Row) bool {
		for _, c := range conds {
			ok := false
			for _, v := range r.Get(c.field).Values() {
				for _, match := range c.pats {
					if match(v) {
						ok = true
					}
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
}

// searchMatcher compiles the text of searchmatch().
func (p *planner) searchMatcher(text string) (func(*value.Row) bool, error) {
	q, err := spl.ParseString(text)
	if err != nil {
		return nil, err
	}
	s, ok := q.Commands[0].(*spl.SearchCommand)
	if !ok || len(q.Commands) != 1 {
		return nil, fmt.Errorf("searchmatch() takes search terms only")
	}
	m, err := (&searchCompiler{p: p}).compile(s.Expr)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// The rows append and join take from their subsearch by default (Splunk's
// append maxout, and limits.conf [join] subsearch_maxout): more is an
// error naming the limit.
const (
	appendMaxout = 50000
	joinMaxout   = 50000
)

// append [subsearch]: the subsearch's results after the current ones.
func (p *planner) compileAppend(c *spl.AppendCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	max, explicit := appendMaxout, o.Has("maxout")
	if explicit {
		max = o.Int("maxout")
	}
	limit := "append maxout"
	if explicit {
		limit = ""
	}
	sub, err := p.addSubsearch(c.Subsearch, max, limit)
	if err != nil {
		return nil, err
	}
	return func(next Stage) (Stage, error) {
		return &appendStage{emitter: emitter{next: next}, rows: func() ([]*value.Row, error) {
			return sub.results(p)
		}}, nil
	}, nil
}

// join [type=inner|outer|left] [max=1] [overwrite=t] fields [subsearch]
// (docs/semantics.md, "Commands"): each result is joined with the first max
// subsearch results that have equal values in the join fields (all common
// fields when none are named); subsearch fields overwrite unless
// overwrite=false.
func (p *planner) compileJoin(c *spl.JoinCommand) (stageBuilder, error) {
	var fields []string
	var opts spl.Options
	for _, a := range c.Args {
		if a.Field != nil {
			fields = append(fields, fieldName(a.Field))
			continue
		}
		opts.Items = append(opts.Items, a.Option)
	}
	o, err := p.parseOptions(c, opts)
	if err != nil {
		return nil, err
	}
	typ, max, overwrite := strings.ToLower(o.String("type")), o.Int("max"), o.Bool("overwrite")
	sub, err := p.addSubsearch(c.Subsearch, joinMaxout, "join subsearch_maxout")
	if err != nil {
		return nil, err
	}
	mem := p.mem
	return func(next Stage) (Stage, error) {
		s := &joinStage{emitter: emitter{next: next}, fields: fields, keep: typ != "inner", max: max, overwrite: overwrite, mem: mem}
		if sub.folded && !sub.done {
			// Built before the pass: the subsearch reads in it, and its
			// error is the search's, as when it ran here (Plan.early).
			sub.owner.early = append(sub.owner.early, sub)
			s.sub = sub
			return s, nil
		}
		right, err := sub.results(p)
		if err != nil {
			return nil, err
		}
		s.right = right
		return s, nil
	}, nil
}

// joinStage joins each row with the subsearch's rows. When the subsearch
// reads in the same pass (sub set) and its rows are not known yet, the
// rows that come are held, in order and charged to the memory budget,
// until they are.
type joinStage struct {
	emitter
	right     []*value.Row
	fields    []string
	keep      bool // outer/left: keep rows without a match
	max       int  // 0: all matches
	overwrite bool

	sub   *subsearch // set until its rows are in right
	held  []*value.Row
	bytes int // what the held rows charged to mem
	mem   *memBudget
}

func (s *joinStage) Push(r *value.Row) error {
	if s.sub != nil {
		if !s.sub.done {
			n := rowSize(r)
			s.bytes += n
			s.held = append(s.held, r)
			return s.mem.charge("rows held by join until its subsearch ends", n)
		}
		if err := s.ready(); err != nil {
			return err
		}
	}
	return s.join(r)
}

// ready takes the subsearch's rows, once its run has ended, and joins the
// rows held until then.
func (s *joinStage) ready() error {
	right, err := s.sub.results(nil)
	if err != nil {
		return err
	}
	s.right, s.sub = right, nil
	held := s.held
	s.held = nil
	s.mem.release(s.bytes)
	s.bytes = 0
	for _, r := range held {
		if err := s.join(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *joinStage) Flush() error {
	if s.sub != nil {
		if err := s.ready(); err != nil {
			return err
		}
	}
	return s.emitter.Flush()
}

func (s *joinStage) join(r *value.Row) error {
	matches := 0
	for _, rr := range s.right {
		fields := s.fields
		if len(fields) == 0 {
			for _, n := range rr.Names() {
				if r.Has(n) {
					fields = append(fields, n)
				}
			}
			if len(fields) == 0 {
				continue
			}
		}
		if !sameValues(r, rr, fields) {
			continue
		}
		out := r.Clone()
		rr.Each(func(n string, v value.Value) {
			if s.overwrite || out.Get(n).IsNull() {
				out.Set(n, v)
			}
		})
		if err := s.emit(out); err != nil {
			return err
		}
		matches++
		if s.max > 0 && matches == s.max {
			break
		}
	}
	if matches == 0 && s.keep {
		return s.emit(r)
	}
	return nil
}

// sameValues reports whether two rows have equal (exact, case-sensitive)
// values in every field.
func sameValues(a, b *value.Row, fields []string) bool {
	for _, f := range fields {
		x, y := a.Get(f), b.Get(f)
		if x.IsNull() || y.IsNull() || x.String() != y.String() {
			return false
		}
	}
	return true
}

// foreach fields [subpipeline]: runs the subpipeline once per matching
// field, with <<FIELD>> and <<MATCHSTR>> replaced ([SPL8212 searchbnf
// foreach]; Search Reference, "foreach"). Each field gets a copy of the
// parsed subpipeline with the templates replaced (spl.Substitute), compiled
// once and cached; nothing is printed and parsed again. The subpipeline may
// hold streaming commands only.
func (p *planner) compileForeach(c *spl.ForeachCommand) (stageBuilder, error) {
	if _, err := p.parseOptions(c, c.Options, c.After); err != nil {
		return nil, err
	}
	var patterns []string
	for _, f := range c.Fields.Items {
		patterns = append(patterns, fieldName(f))
	}
	pos := c.Pipeline.Pos
	for _, cmd := range c.Pipeline.Commands {
		if d := lookupCommand(cmd); d == nil || !d.InForeach {
			return nil, unsupported(pos, "foreach: command %s is not supported inside foreach", cmd.Name())
		}
	}
	cache := map[string][]stageBuilder{}
	compileFor := func(field, match string) ([]stageBuilder, error) {
		if b, ok := cache[field]; ok {
			return b, nil
		}
		repl := strings.NewReplacer("<<FIELD>>", field, "<<MATCHSTR>>", match, "<<MATCHSEG1>>", match)
		cmds, err := spl.Substitute(c.Pipeline.Commands, repl.Replace)
		if err != nil {
			var se *spl.SubstituteError
			if errors.As(err, &se) {
				return nil, errorf(se.Pos, "foreach %s: %s", field, se.Msg)
			}
			return nil, errorf(pos, "foreach %s: %v", field, err)
		}
		var bs []stageBuilder
		for _, cmd := range cmds {
			b, err := p.compileCommand(cmd, false)
			if err != nil {
				return nil, err
			}
			bs = append(bs, b)
		}
		cache[field] = bs
		return bs, nil
	}
	// Compile once with a placeholder field so that errors surface now.
	if _, err := compileFor("x", "x"); err != nil {
		return nil, err
	}
	delete(cache, "x")
	return func(next Stage) (Stage, error) {
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			var fields []string
			for _, pat := range patterns {
				fields = append(fields, matchFields(r, pat)...)
			}
			for _, f := range fields {
				match := f
				for _, pat := range patterns {
					if caps, ok := wildcardCapture(pat, f); ok && len(caps) > 0 {
						match = strings.Join(caps, "")
						break
					}
				}
				bs, err := compileFor(f, match)
				if err != nil {
					return false, err
				}
				var out Stage = &sink{fn: func(*value.Row) error { return nil }}
				for i := len(bs) - 1; i >= 0; i-- {
					if out, err = bs[i](out); err != nil {
						return false, err
					}
				}
				if err := out.Push(r); err != nil {
					return false, err
				}
			}
			return true, nil
		}}, nil
	}, nil
}

// makeresults [count=N]: N results with only _time (now).
func (p *planner) compileMakeresults(c *spl.MakeresultsCommand, first bool) (stageBuilder, error) {
	if !first {
		return nil, errorf(c.Pos, "makeresults must start the search (or a subsearch)")
	}
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	n := o.Int("count")
	if n > p.opts.MaxResultRows {
		return nil, &Error{Pos: o.Word("count").Pos, Code: diag.Limit, Msg: fmt.Sprintf("makeresults: count=%d is more than %d (limit maxresultrows)", n, p.opts.MaxResultRows)}
	}
	now := float64(p.ctx.Now.Unix())
	return func(next Stage) (Stage, error) {
		return &appendStage{emitter: emitter{next: next}, rows: func() ([]*value.Row, error) {
			out := make([]*value.Row, n)
			for i := range out {
				out[i] = value.NewRow(nil)
				out[i].Set("_time", value.Num(now))
			}
			return out, nil
		}}, nil
	}, nil
}

// CompileSearch compiles search-language text, such as an event type's
// search, into a test of one row.
func CompileSearch(text string, now time.Time) (func(*value.Row) bool, error) {
	ctx := eval.NewContext(now)
	p := &planner{opts: Options{Now: now, MaxSubsearchRows: 10000, MaxGroups: DefaultMaxGroups, MaxResultRows: DefaultMaxResultRows}, ctx: ctx, input: new(Input), tables: newMemoryTables(nil)}
	p.ec = &eval.Compiler{Ctx: ctx, Opts: eval.Options{SearchMatcher: p.searchMatcher}}
	return p.searchMatcher(text)
}
