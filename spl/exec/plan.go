// Package exec runs SPL: it compiles a parsed query into a plan of stages
// and pushes events through them with Splunk's search-time semantics.
//
// Commands the evaluator cannot run fail at compile time with their name
// and position, never at run time and never silently.
package exec

import (
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/internal/inorder"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// Error is a compile error at a position of the searched text.
type Error struct {
	Pos  spl.Pos
	Code diag.Code
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Errors is every compile error of a query, in the order they were found
// (source order, a subsearch's errors where the subsearch is). Compile
// returns it, never empty, so that validate reports every unsupported
// command and function of a detection at once. errors.As with an *Error
// gives the first; Unwrap gives them all, each an *Error.
type Errors []*Error

// Error is the messages, one a line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Msg
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors, each an *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxCompileErrors caps the errors one Compile reports: a search at the
// size limit could hold thousands of unsupported calls, and a reader fixes
// the first ones before the rest matter.
const maxCompileErrors = 100

// addError adds err, found compiling the node at pos, to es: an Errors
// (a subsearch's) is flattened, an *Error kept, and any other error made
// an *Error at pos. An error at the same place with the same message as
// one already there is not repeated.
func (es Errors) addError(err error, pos spl.Pos) Errors {
	var list []*Error
	var many Errors
	var one *Error
	switch {
	case errors.As(err, &many):
		list = many
	case errors.As(err, &one):
		list = []*Error{one}
	default:
		list = []*Error{{Pos: pos, Code: diag.Syntax, Msg: err.Error()}}
	}
	for _, e := range list {
		if len(es) == maxCompileErrors {
			break
		}
		if !slices.ContainsFunc(es, func(x *Error) bool { return x.Pos.Offset == e.Pos.Offset && x.Msg == e.Msg }) {
			es = append(es, e)
		}
	}
	return es
}

// callErrors adds the errors of every eval function call in cmd whose
// function the evaluator does not know, refuses, or cannot give that many
// arguments (eval.CheckCall), outside its subsearches, which report their
// own: compiling an expression stops at its first error, and a reader
// wants all of them.
func (es Errors) callErrors(cmd spl.Command) Errors {
	spl.Walk(cmd, func(n spl.Node) bool {
		switch n := n.(type) {
		case *spl.Subsearch, *spl.Subpipeline, *spl.Query:
			return false
		case *spl.Call:
			if ce := eval.CheckCall(n); ce != nil {
				es = es.addError(exprError(ce), n.Pos)
			}
		}
		return true
	})
	return es
}

func errorf(pos spl.Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Code: diag.Syntax, Msg: fmt.Sprintf(format, args...)}
}

func unsupported(pos spl.Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Code: diag.UnsupportedCommand, Msg: fmt.Sprintf(format, args...)}
}

// Stage is one step of a plan. Streaming stages pass rows on as they come;
// blocking stages (stats, sort) keep what they need and emit on Flush.
type Stage interface {
	Push(r *value.Row) error
	Flush() error
}

// emitter is the part every stage shares: where its rows go, and the
// count of rows it passed on when the plan counts them (Counts.Stages).
type emitter struct {
	next Stage
	rows *int
}

func (e *emitter) emit(r *value.Row) error {
	if e.rows != nil {
		*e.rows++
	}
	return e.next.Push(r)
}

func (e *emitter) Flush() error { return e.next.Flush() }

// out gives the builder of a plan the emitter of the stage it built.
func (e *emitter) out() *emitter { return e }

// sink collects the final rows. It stops the run at the first row after
// an expression hit a cap on one value (ctx.Err).
type sink struct {
	fn  func(*value.Row) error
	ctx *eval.Context
}

func (s *sink) Push(r *value.Row) error {
	if err := valueLimit(s.ctx); err != nil {
		return err
	}
	return s.fn(r)
}

func (s *sink) Flush() error { return nil }

// valueLimit is the LimitError of the first cap on one value (max_value_bytes,
// max_mv_values) an expression of the search hit, nil if none.
func valueLimit(ctx *eval.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	var le *eval.LimitError
	if errors.As(err, &le) {
		return &LimitError{Limit: le.Limit, Msg: le.Msg}
	}
	return err
}

// Options configure compilation and running.
type Options struct {
	// Now is the search's start time: now(), relative times.
	Now time.Time
	// Lookups resolves lookup tables by name; nil means there are none.
	Lookups LookupResolver
	// Derived reports fields computed at search time (aliases, calculated
	// fields, lookups) rather than read from the raw JSON; the raw
	// pre-filter relies on them only where Origins shows a raw origin.
	Derived func(field string) bool
	// Origins, when set, tells of a derived field which raw fields and
	// constants its values can be, false where the knowledge cannot show
	// it; the raw pre-filter then requires a value no constant matches
	// (knowledge.Knowledge.Sources).
	Origins func(field string) (raw, consts []string, ok bool)
	// LookupOrigins, when set, tells of a field the lookups write its
	// origin before them and the lookup rows that can give it a value
	// accept takes, ok false where the knowledge cannot show it: a
	// derived field's match then requires a raw value or one row's
	// inputs (knowledge.Knowledge.LookupSources).
	LookupOrigins func(field string, accept func(string) bool) (raw, consts []string, rows []lookup.Via, ok bool)
	// NullUnlessGiven, when set, lists raw fields without any of which a
	// field has no value, on an event whose values of the raw fields known
	// tells are those, ok false where the knowledge does not show them
	// (knowledge.Knowledge.NullUnlessGiven): the by-field gate (byKeyGate)
	// asks it of a stats's BY fields.
	NullUnlessGiven func(field string, known func(string) (value.Value, bool)) (raw []string, ok bool)
	// ExactGiven, set with NullUnlessGiven, names the raw field a field is on
	// an event whose values of the raw fields known tells are those, ok
	// false where the knowledge does not show one: the by-field gate's
	// rows take such a BY field straight from it
	// (knowledge.Knowledge.ExactGiven).
	ExactGiven func(field string, known func(string) (value.Value, bool)) (raw string, ok bool)
	// NullSources, set with NullUnlessGiven, lists every raw field that
	// can name for a field, which the by-field gate looks for
	// (knowledge.Knowledge.NullSources).
	NullSources func(field string) []string
	// TagSearches, when set, gives the searches of the event types that
	// can give an event a value of field (eventtype or tag) for which
	// match is true, ok false when something else can (a tags.conf
	// field=value pair): the raw pre-filter derives tag=X's literals from
	// them (knowledge.Knowledge.TagSearches).
	TagSearches func(field string, match func(string) bool) (searches []string, ok bool)
	// EventtypeSearches, when set, are the searches of the knowledge's
	// event types, by the index an event's source asks its gate about
	// (knowledge's SetEventtypeGate): a plan that reads event types or
	// tags derives each search's raw pre-filter, and a pass then rules
	// out, per record, the event types its text cannot match, before
	// their searches run.
	EventtypeSearches []string
	// NoPrefilter turns off the raw-byte pre-filter (to compare results),
	// the event types' as well.
	NoPrefilter bool
	// NoFieldGate turns off the field gate alone (fieldGate), to compare
	// results.
	NoFieldGate bool
	// alwaysGate makes a pass use the field gate however few literals it
	// has (minGateLiterals), for the tests (AlwaysFieldGate).
	alwaysGate bool
	// noGateTuples turns off the field gate's memory of whole
	// combinations of values (tupleMemo), for the tests that compare
	// its outcomes with the tests' own.
	noGateTuples bool
	// noByKeys turns off the by-field gate (byKeyGate) alone, for the
	// tests that compare its counts.
	noByKeys bool
	// Fields wraps an event's extracted fields, for example with the
	// knowledge of its sourcetype (aliases, calculated fields, lookups).
	Fields func(ev *event.Event, raw value.Source) value.Source
	// ReusedFields, when set, makes a Fields for one worker that may
	// reuse the memory of what it returned for the worker's previous
	// event. A pass uses it where no event's fields outlive the worker's
	// offer of the event (every plan's stats runs on the workers).
	ReusedFields func() func(ev *event.Event, raw value.Source) value.Source
	// ExtraFields are fields to extract besides those the query names:
	// the inputs of the knowledge that Fields applies.
	ExtraFields []string
	// ReadsFor, when set, narrows ExtraFields to the knowledge inputs of
	// the fields a query names (aliases' sources, calculated fields'
	// operands, lookups' inputs). ExtraFields stays the fallback for
	// queries that read fields by wildcard.
	ReadsFor func(fields []string) []string
	// MaxSubsearchRows caps the rows a subsearch returns (Splunk's
	// [subsearch] maxout, 10000; join and append use 50000).
	MaxSubsearchRows int
	// Workers is how many goroutines offer events to the plans (field
	// extraction and base searches); 0 means one per CPU. Results do not
	// depend on it.
	Workers int
	// MaxGroups caps the groups of one stats, eventstats or top (default
	// DefaultMaxGroups): memory grows with groups, so a runaway BY clause
	// fails with an error instead of exhausting it.
	MaxGroups int
	// MaxValueBytes and MaxMVValues cap one value that an expression makes
	// (max_value_bytes, max_mv_values; zero: eval's defaults).
	MaxValueBytes int
	MaxMVValues   int
	// MaxMemMB is the estimated memory one run may hold in its blocking
	// commands (max_mem_usage_mb; zero: DefaultMaxMemMB).
	MaxMemMB int
	// MaxResultRows caps the rows one command holds (sort, eventstats,
	// top, ...) or makes (makeresults, mvexpand), and the events an
	// order-sensitive search holds to sort newest first (maxresultrows;
	// zero: DefaultMaxResultRows).
	MaxResultRows int
	// IPLocation opens the IP location database that iplocation reads
	// (limits.conf [iplocation] db_path, or a flag); nil when none is
	// configured, and iplocation then refuses to run.
	IPLocation func() (*geoip.DB, error)
	// DataModels are the data models tstats, datamodel and from
	// datamodel read; nil means there are none.
	DataModels *datamodel.Set
	// Models holds the Machine Learning Toolkit models of the run: fit ...
	// into puts one there, apply and summary read it; nil means none (fit
	// still runs, and apply and summary find no model).
	Models *mltk.Store
	// RegexBudget is the time the backtracking regular-expression matches
	// of one run may take in all (regex_budget_ms; zero: the default,
	// regex.DefaultBudget).
	RegexBudget time.Duration

	// separateSubsearches makes every join and append subsearch read the
	// input again on its own, as before they read in the pass of the
	// search that holds them: the tests compare the two.
	separateSubsearches bool
}

// DefaultMaxResultRows is the default of Options.MaxResultRows: about
// three times the events of a gigabyte of CloudTrail, few enough that the
// rows one command holds stay within a few gigabytes.
const DefaultMaxResultRows = 2_000_000

// DefaultMaxGroups is the default of Options.MaxGroups: far more than a
// detection's results, few enough to stay within memory.
const DefaultMaxGroups = 1_000_000

// Input supplies events to a plan: each call reads them all, in any order.
type Input interface {
	Events(fn func(*event.Event) error) error
}

// ParallelInput is an Input that can do part of the work on several
// goroutines (as event.Scan does): skip drops records by their raw bytes,
// process runs on a worker for each event, deliver gets every event with
// process's result in input order (those with a result, so.Sparse), and
// so.BlockDone's results in their place. It returns how many records it
// skipped.
type ParallelInput interface {
	Input
	ScanEvents(so event.ScanOptions, process func(worker int, ev *event.Event) any, deliver func(*event.Event, any) error) (skipped int, err error)
}

// Plan is a compiled query.
type Plan struct {
	query *spl.Query
	opts  Options
	ctx   *eval.Context
	base  matcher // the leading search, nil when the query generates its rows
	// view, when set, wraps each event's fields before the base search
	// and the stages see them: the data model view of an event source
	// (tstats, datamodel, from datamodel).
	view      func(value.Source) value.Source
	prefilter *prefilter
	// gateExpr is the base search the pass's field gate reads (fieldGate),
	// or the search of a tstats's data model constraints and where clause
	// (eventSource.gateExpr); nil when the pre-filter comes from neither.
	gateExpr spl.SearchExpr
	// gateBase says gateExpr is the base search itself, which the field
	// gate may decide (fieldGate.decide).
	gateBase bool
	// eventtypes are the raw pre-filters of the knowledge's event types
	// (Options.EventtypeSearches), nil entries where a search requires
	// no literal; nil when the plan reads no event type or tag.
	eventtypes []*prefilter
	need       event.Need
	touch      []string // need.Names in order, read ahead on the workers
	// ownNames are the fields the query names, sorted, when the
	// knowledge's reads for them (Options.ReadsFor) are added to need.
	ownNames []string
	// build makes fresh stages feeding out, each counting the rows it
	// passes on into rows (one entry per stage); stats is the stage at
	// partialAt when partialStats is set.
	build func(out Stage, rows []StageCount) (head Stage, stats *statsStage, err error)
	// partialStats, when set, makes a fresh copy of the plan's stages up
	// to its first stats, when that stats's result does not depend on row
	// order and its aggregations can be merged, and the stages before it
	// (partialAt of them) only change each row in place (rename): each
	// worker then takes the rows it matches through them, counting what
	// each stage before the stats passes on in rows, and the stats of the
	// ordered goroutine merges the workers' at the end (see partial).
	partialStats func(rows []int) (head Stage, stats *statsStage)
	partialAt    int
	// byFields are the BY fields of that stats when it is the plan's
	// first command and reads them from the rows as they are: a row
	// with one of them null is dropped there (byKeyGate).
	byFields []string
	// generating is true when the first command makes rows itself.
	generating bool
	// ordered is true when results depend on event order, so that matched
	// events must be sorted newest first before the stages see them.
	ordered bool
	// bounded is set on an ordered plan whose first stage is head N
	// (firstN, headCount): only the N first events newest first can reach
	// its output, so a run holds no more than N (heldEvents).
	bounded   bool
	firstN    int
	bindInput func(Input)
	// prepare runs the plan's filter subsearches before its events are
	// read: an error in one (a limit) fails the search.
	prepare []func() error
	// subs are the subsearches of the plan's join and append commands,
	// in the order of the query; RunAll runs them as hidden plans of the
	// same pass (see subsearch). early are those of its joins whose
	// stages the run built before the pass, in the order it built them:
	// when one of them fails, the search fails with its error before
	// reading anything, as when a join ran its subsearch as its stage was
	// built.
	subs  []*subsearch
	early []*subsearch
	// stages name the commands the stages run, in order: every command
	// after the base search, or all of them for a generating query; each
	// run copies them and counts its rows in the copy.
	stages []StageCount
	mem    *memBudget
}

// planner holds what compiling one query needs.
type planner struct {
	opts   Options
	ctx    *eval.Context
	ec     *eval.Compiler
	input  *Input // set when running; subsearches read the same events
	tables *memoryTables
	mem    *memBudget // shared by the plan's stages and its subsearches
	// prepares run the subsearches used as search terms, each once.
	prepares []func() error
	// subs are the join and append subsearches of the query being
	// compiled (Plan.subs).
	subs []*subsearch
	// writes is set when the query writes a lookup table or a model
	// (writesState).
	writes bool
	// source is the event source the first command of the query being
	// compiled made (tstats, datamodel, from datamodel), nil if none.
	source *eventSource
	// after and next are the command being compiled in a pipeline and
	// the one after it (nil for the last), set by Compile's loop: a stats
	// followed by a where filters its groups before it computes what the
	// where does not read (statsFilter).
	after, next spl.Command
}

// Compile compiles a parsed query.
func Compile(q *spl.Query, opts Options) (*Plan, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.MaxSubsearchRows == 0 {
		opts.MaxSubsearchRows = 10000
	}
	if opts.MaxGroups <= 0 {
		opts.MaxGroups = DefaultMaxGroups
	}
	if opts.MaxResultRows <= 0 {
		opts.MaxResultRows = DefaultMaxResultRows
	}
	ctx := eval.NewContext(opts.Now)
	ctx.RegexBudget = regex.NewBudget(opts.RegexBudget)
	ctx.MaxValueBytes, ctx.MaxMVValues = opts.MaxValueBytes, opts.MaxMVValues
	p := &planner{opts: opts, ctx: ctx, input: new(Input), tables: newMemoryTables(opts.Lookups), mem: newMemBudget(opts.MaxMemMB)}
	p.ec = &eval.Compiler{Ctx: ctx, Opts: eval.Options{SearchMatcher: p.searchMatcher, Lookup: p.evalLookup}}
	p.writes = writesState(q)
	return p.compileQuery(q)
}

func (p *planner) compileQuery(q *spl.Query) (*Plan, error) {
	plan := &Plan{query: q, opts: p.opts, ctx: p.ctx, need: neededFields(q), mem: p.mem}
	firstPrepare := len(p.prepares)
	outerSubs := p.subs
	p.subs = nil
	defer func() {
		plan.prepare = p.prepares[firstPrepare:len(p.prepares):len(p.prepares)]
		plan.subs = p.subs
		for _, s := range plan.subs {
			s.owner = plan
		}
		p.subs = outerSubs
	}()
	plan.touch = slices.Sorted(maps.Keys(plan.need.Names))
	if len(q.Commands) > 0 {
		for _, f := range p.sourceReads(q.Commands[0]) {
			plan.need.Names[f] = true
		}
	}
	if !p.opts.NoPrefilter && readsTags(plan.need) {
		plan.eventtypes = p.eventtypePrefilters()
	}
	extra := p.opts.ExtraFields
	if p.opts.ReadsFor != nil && !plan.need.All && len(plan.need.Prefixes) == 0 {
		names := make([]string, 0, len(plan.need.Names))
		for f := range plan.need.Names {
			names = append(names, f)
		}
		sort.Strings(names)
		extra = p.opts.ReadsFor(names)
		plan.ownNames = names
	}
	for _, f := range extra {
		plan.need.Names[f] = true
	}
	// Every command is compiled even after one fails, so that the errors
	// of the whole query come back together.
	var errs Errors
	cmds := q.Commands
	if len(cmds) > 0 {
		if s, ok := cmds[0].(*spl.SearchCommand); ok {
			sc := &searchCompiler{p: p, base: true}
			m, err := sc.compile(s.Expr)
			if err != nil {
				errs = errs.addError(err, s.Pos)
			}
			plan.base = m
			if !p.opts.NoPrefilter {
				plan.prefilter = p.prefilterOf(s.Expr)
				plan.gateExpr, plan.gateBase = s.Expr, true
			}
			cmds = cmds[1:]
			plan.ordered = orderSensitive(cmds)
			if len(cmds) > 0 {
				plan.firstN, plan.bounded = headCount(cmds[0])
			}
		} else {
			plan.generating = true
		}
	}
	// Compile every stage now, so that errors surface before any event is
	// read; build makes fresh stage state for each run.
	for _, c := range cmds {
		plan.stages = append(plan.stages, StageCount{Command: c.Name(), Text: spl.Format(c)})
	}
	builders := make([]stageBuilder, len(cmds))
	outer := p.source
	p.source = nil
	defer func() { p.source = outer }()
	for i, cmd := range cmds {
		p.after, p.next = cmd, nil
		if i+1 < len(cmds) {
			p.next = cmds[i+1]
		}
		b, err := p.compileCommand(cmd, i == 0 && plan.generating)
		p.after, p.next = nil, nil
		if err != nil {
			errs = errs.addError(err, spl.Position(cmd))
			if lookupCommand(cmd) != nil {
				errs = errs.callErrors(cmd)
			}
			continue
		}
		builders[i] = b
		if i == 0 && p.source != nil {
			// The first command reads events (tstats, datamodel): they
			// pass its match as a base search would, seen through its view.
			plan.generating = false
			plan.base, plan.view = p.source.match, p.source.view
			plan.gateBase = false
			if !p.opts.NoPrefilter {
				plan.prefilter, plan.gateExpr = p.source.prefilter, p.source.gateExpr
			}
			plan.ordered = p.source.ordered || orderSensitive(cmds[1:])
			if _, ok := cmd.(*spl.TstatsCommand); ok {
				plan.ordered = p.source.ordered
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	k := 0 // the stages that change rows in place, before a stats
	for k < len(cmds) && !plan.generating && (k > 0 || p.source == nil) && inPlace(cmds[k]) {
		k++
	}
	if !plan.generating && k < len(builders) {
		if st, err := builders[k](nil); err == nil {
			if first, ok := st.(*statsStage); ok && first.mergeable() {
				prefix, b := builders[:k], builders[k]
				plan.partialAt = k
				if k == 0 && first.get == nil {
					plan.byFields = first.by
				}
				plan.partialStats = func(rows []int) (Stage, *statsStage) {
					st, _ := b(nil)
					next := st
					for i := k - 1; i >= 0; i-- {
						// In-place stages are built without error.
						next, _ = prefix[i](&counter{next: next, n: &rows[i]})
					}
					return next, st.(*statsStage)
				}
			}
		}
	}
	plan.build = func(out Stage, rows []StageCount) (Stage, *statsStage, error) {
		next := out
		var stats *statsStage
		for i := len(builders) - 1; i >= 0; i-- {
			c := &counter{next: next, n: &rows[i].Rows}
			s, err := builders[i](c)
			if err != nil {
				return nil, nil, err
			}
			if i == plan.partialAt && plan.partialStats != nil {
				stats = s.(*statsStage)
			}
			// A stage that feeds the counter itself counts in its emitter
			// instead, which saves a call per row; a command built of
			// several stages keeps the counter after its last one.
			if st, ok := s.(interface{ out() *emitter }); ok {
				if e := st.out(); e.next == Stage(c) {
					e.next, e.rows = c.next, c.n
				}
			}
			next = s
		}
		return next, stats, nil
	}
	plan.bindInput = func(in Input) { *p.input = in }
	return plan, nil
}

// stageBuilder makes a stage feeding next.
type stageBuilder func(next Stage) (Stage, error)

// Counts says what a run read, and where its rows went: enough to tell
// why a search returned nothing (splharness explain).
type Counts struct {
	Events   int // events offered by the input
	Filtered int // skipped by the raw pre-filter without decoding
	Matched  int // passed the base search
	// NullBy are the events of Matched that the by-field gate took
	// before they were read, each with a BY field of the plan's stats
	// null (byKeyGate): the stats would have dropped them.
	NullBy int
	// Stages are the rows each following command passed on, in order:
	// every command after the base search, or every command of a query
	// that generates its rows.
	Stages []StageCount
}

// StageCount is the rows one command of a plan passed on.
type StageCount struct {
	Command string // the command's name, such as "stats"
	Text    string // the command as canonical SPL
	Rows    int
}

// counter counts the rows a stage passes on to the next. Stages run on
// one goroutine, so a plain int will do.
type counter struct {
	next Stage
	n    *int
}

func (c *counter) Push(r *value.Row) error { *c.n++; return c.next.Push(r) }
func (c *counter) Flush() error            { return c.next.Flush() }

// Prefilter says what the raw pre-filter requires of an event's text for
// the base search to have a chance, such as "bedrock.amazonaws.com" AND
// "deleteguardrail" (in lower case: they are searched for in any case);
// "" when it requires nothing (or is off).
func (pl *Plan) Prefilter() string {
	if pl.prefilter == nil {
		return ""
	}
	return pl.prefilter.String()
}

// Generating reports whether the query's first command makes its rows
// (makeresults, inputlookup) instead of reading events.
func (pl *Plan) Generating() bool { return pl.generating }

// stageCounts is a fresh, zeroed Counts.Stages for one run of the plan.
func (pl *Plan) stageCounts() []StageCount { return slices.Clone(pl.stages) }

// Run pushes the input's events (newest first, as Splunk's search does)
// through the plan and calls out for every result row, in order.
func (pl *Plan) Run(in Input, out func(*value.Row) error) (Counts, error) {
	counts, errs := RunAll([]*Plan{pl}, in, []func(*value.Row) error{out})
	return counts[0], errs[0]
}

// running is one plan's state during RunAll.
type running struct {
	plan   *Plan
	head   Stage
	counts Counts
	// held are matched rows kept to be sorted newest first, for plans
	// whose results depend on event order; other plans stream.
	held heldEvents
	// part is set while the plan's stats runs on the workers; stats is
	// the plan's own stats, which takes in theirs at the end.
	part  *partial
	stats *statsStage
	// err is the error that stopped the plan (a limit, a stage's error);
	// set, with stopped, by the goroutine that runs the stages.
	err error
	// stopped tells the workers to offer the plan no more events: a plan
	// that failed stops alone, the others of the pass read on.
	stopped atomic.Bool
	// sub is set on the hidden run of a join's or append's subsearch.
	sub *subsearch
}

// fail stops the plan with err; it reports whether every plan of the pass
// has now stopped, so that reading can end.
func (r *running) fail(err error, reading []*running) bool {
	r.err = err
	r.stopped.Store(true)
	for _, o := range reading {
		if !o.stopped.Load() {
			return false
		}
	}
	return true
}

// partial is a plan's stats running on the workers (Plan.partialStats):
// each worker adds the rows it matches to its own stats, through its own
// copy of the stages before it, and the plan's stats (running.stats)
// takes them all in when the input is read. The stats functions allowed
// here give the same result whichever rows each worker saw, and the
// stages before them treat each row alone, so results are those of one
// stats over every row.
type partial struct {
	workers []partialWorker
}

type partialWorker struct {
	head    Stage // the stages before stats, then stats
	stats   *statsStage
	rows    []int // the rows each stage before stats passed on
	matched int
	err     error
	// scratch is the row of the event the worker is offering: a row
	// given to partial stats goes nowhere else, and stats keeps its
	// values, never the row, so one row per worker serves every event.
	scratch value.Row
	_       [64]byte // workers update their own counters: no shared cache line
}

func newPartial(pl *Plan, workers int) *partial {
	p := &partial{workers: make([]partialWorker, workers)}
	for w := range p.workers {
		pw := &p.workers[w]
		pw.rows = make([]int, pl.partialAt)
		pw.head, pw.stats = pl.partialStats(pw.rows)
	}
	return p
}

// startPartials moves the stats of the plans that allow it onto the
// workers.
func startPartials(reading []*running, workers int) {
	for _, r := range reading {
		if r.plan.partialStats != nil {
			r.part = newPartial(r.plan, workers)
		}
	}
}

// finishPartials merges the workers' stats into each plan's own; a plan
// whose stats failed on a worker keeps that error.
func finishPartials(reading []*running) {
	for _, r := range reading {
		if r.part == nil {
			continue
		}
		if err := r.part.finish(r); err != nil && r.err == nil {
			r.err = err
		}
		r.part = nil
	}
}

// row is worker w's row for an event's fields src, good until its next
// call: the row offer matches against the base search and gives to add.
func (p *partial) row(w int, src value.Source) *value.Row {
	row := &p.workers[w].scratch
	row.Recycle(src)
	return row
}

// add gives a matched row to worker w's stats. A worker whose stats fails
// (a limit) stops the plan: no worker offers it more events.
func (p *partial) add(w int, row *value.Row, r *running) {
	pw := &p.workers[w]
	pw.matched++
	if pw.err == nil {
		if pw.err = pw.head.Push(row); pw.err != nil {
			r.stopped.Store(true)
		}
	}
}

// finish merges the workers' stats into head and counts their rows.
func (p *partial) finish(r *running) error {
	head := r.stats
	var first error
	for w := range p.workers {
		pw := &p.workers[w]
		r.counts.Matched += pw.matched
		for i, n := range pw.rows {
			r.counts.Stages[i].Rows += n
		}
		if first != nil {
			continue
		}
		if first = pw.err; first == nil {
			first = head.absorb(pw.stats)
		}
	}
	return first
}

// RunAll runs several plans over one pass of the input: each event is read
// and its fields extracted once, then offered to every plan. The plans
// must share their Fields and ExtraFields options (as the detections of one
// sourcetype do). Results are exactly those of running each plan alone.
//
// Memory does not grow with the input: a plan whose results do not depend
// on the order of events (its first order-resetting command, such as stats
// with order-independent functions, comes before anything order-sensitive)
// streams events through; any other plan keeps only the events that match
// its base search, to sort them newest first (docs/semantics.md, "Commands").
//
// The subsearches of join and append read in the same pass, as hidden
// plans whose counts are no search's: each is flushed when the input is
// read, before the plan that uses its rows, which a join holds until then.
// A join's failed subsearch fails its search with nothing counted, as if
// it had run first. Subsearches used as search terms still run first, in
// a read of their own, as does a join or append subsearch that makes its
// rows (makeresults) or whose search writes a lookup table or a model
// (subsearch.foldable).
//
// Errors are per plan: errs[i] is plan i's, nil when it ran to the end. A
// plan that fails (a limit such as max_groups, its regex budget, a cap on
// one value) stops alone: it is offered no later events, and the other
// plans finish as if it had never been in the pass. An error reading the
// input is every plan's that was still running.
func RunAll(plans []*Plan, in Input, outs []func(*value.Row) error) ([]Counts, []error) {
	ps := &pass{in: in}
	runs := make([]*running, len(plans))
	counts := make([]Counts, len(plans))
	errs := make([]error, len(plans))
	for i, pl := range plans {
		var hidden []*running
		runs[i], hidden = ps.start(pl, outs[i])
		ps.keep(runs[i], hidden)
	}
	need := event.Need{Names: map[string]bool{}}
	var fields func(*event.Event, value.Source) value.Source
	var reused func() func(*event.Event, value.Source) value.Source
	for _, r := range ps.reading {
		need.Add(r.plan.need)
		if r.plan.opts.Fields != nil {
			fields, reused = r.plan.opts.Fields, r.plan.opts.ReusedFields
		}
	}
	reading := ps.reading
	if len(reading) > 0 && in != nil {
		need = need.Compile()
		workers := plans[0].opts.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		var err error
		if pin, ok := in.(ParallelInput); ok && workers > 1 {
			err = runScan(reading, pin, need, fields, reused, workers)
		} else if workers <= 1 {
			err = runSequential(reading, in, need, fields)
		} else {
			err = runParallel(reading, in, need, fields, reused, workers)
		}
		if errors.Is(err, errStopped) {
			err = nil // every plan failed, each with its own error
		}
		if err != nil {
			for _, r := range reading {
				if r.err == nil {
					r.err = err
				}
			}
		}
	}
	// The hidden plans end first, each before the plan that uses its
	// rows (ps.hidden is in that order), then the searches, in order.
	for _, h := range ps.hidden {
		h.end()
		h.sub.end(h.err)
	}
	for _, r := range runs {
		r.end()
	}
	for i, r := range runs {
		errs[i] = r.err
	}
	return collect(runs, counts), errs
}

// pass is the runs of one RunAll: the searches', and the hidden ones of
// their join and append subsearches.
type pass struct {
	in Input
	// reading are the runs that read events, hidden ones included.
	reading []*running
	// hidden are the runs of subsearches, each before the run of the
	// plan that uses its rows.
	hidden []*running
}

// start readies one plan's run: its budgets, its filter subsearches
// (prepare), its stages, and (unless its options keep them apart) the
// hidden runs of its join and append subsearches, returned in the order
// they must end. A subsearch that fails before the pass fails its search
// when a join built before the pass needs its rows (Plan.early).
func (ps *pass) start(pl *Plan, out func(*value.Row) error) (*running, []*running) {
	pl.bindInput(ps.in)
	pl.ctx.RegexBudget.Reset()
	pl.ctx.ResetErr()
	pl.mem.reset()
	pl.early = nil
	r := &running{plan: pl, counts: Counts{Stages: pl.stageCounts()}}
	r.held.plan = pl
	for _, prepare := range pl.prepare {
		if err := prepare(); err != nil {
			r.err = err
			return r, nil
		}
	}
	fold := !pl.opts.separateSubsearches
	for _, s := range pl.subs {
		s.start(fold)
	}
	r.head, r.stats, r.err = pl.build(&sink{fn: out, ctx: pl.ctx}, r.counts.Stages)
	if r.err != nil {
		return r, nil
	}
	var hidden []*running
	for _, s := range pl.subs {
		if !s.folded {
			continue
		}
		h, below := ps.start(s.plan, s.collect)
		h.sub = s
		if h.err != nil {
			s.end(h.err)
		}
		hidden = append(hidden, below...)
		hidden = append(hidden, h)
	}
	if err := pl.earlyError(); err != nil {
		r.err = err
		return r, nil
	}
	return r, hidden
}

// keep adds a run and the hidden runs of its subsearches to the pass,
// those of them that read events to its reading. The hidden runs of a
// plan that failed before the pass are left out: nothing needs their
// rows.
func (ps *pass) keep(r *running, hidden []*running) {
	if r.err != nil {
		return
	}
	for _, h := range hidden {
		if h.err == nil && !h.plan.generating {
			ps.reading = append(ps.reading, h)
		}
	}
	ps.hidden = append(ps.hidden, hidden...)
	if !r.plan.generating {
		ps.reading = append(ps.reading, r)
	}
}

// earlyError is the error of the first subsearch in Plan.early that has
// ended with one, nil if none has.
func (pl *Plan) earlyError() error {
	for _, s := range pl.early {
		if s.done && s.err != nil {
			return s.err
		}
	}
	return nil
}

// end ends a run after the pass: a subsearch of a join built before the
// pass that failed fails it, with nothing read, as when the join ran it
// alone before the pass; otherwise its held events go to its stages and
// they are flushed.
func (r *running) end() {
	if err := r.plan.earlyError(); err != nil {
		r.err = err
		r.counts = Counts{Stages: r.plan.stageCounts()}
	}
	if r.err == nil {
		r.err = r.finish()
	}
	if r.err == nil {
		r.err = r.plan.RegexBudgetError()
	}
	r.held.events = nil
}

// finish passes a plan's held events to its stages, newest first, and
// flushes them.
func (r *running) finish() error {
	if r.plan.ordered {
		// Newest first (docs/semantics.md, "Commands"); events with the same time keep input
		// order (UNCONFIRMED; docs/semantics.md).
		for _, row := range r.held.sorted() {
			if err := r.head.Push(row); err != nil {
				return err
			}
		}
	}
	if err := r.head.Flush(); err != nil {
		return err
	}
	return valueLimit(r.plan.ctx)
}

// offer gives one event to the plans: the raw pre-filter, then field
// extraction (once, shared) and each plan's base search. matched[i] is the
// row of reading[i] when it matched; filtered[i] when the pre-filter
// skipped it. matched holds no row when offer is called: the caller
// takes out the rows of the last event (scanWorker.escape does), rather
// than offer clearing the 59 of a pass of many plans for every event,
// which nearly always leaves none.
//
// w is the worker offer runs on, for plans whose stats runs on the
// workers: their rows go there, and matched[i] stays nil.
//
// preHeld says the reader extracted, for a record skip let through on
// this worker, the need of the plans it reaches (ScanOptions.NeedOf).
//
// reached, when not nil, counts per plan the events its pre-filter let
// through, for a caller that counts Filtered in bulk (runScan). offer
// returns how many rows it put in matched.
func offer(w int, ev *event.Event, reading []*running, pf *prefilters, memos *fieldMemos, need event.Need, fields func(*event.Event, value.Source) value.Source, matched []*value.Row, filtered []bool, reached []int, touch, preHeld bool) (rows int) {
	var src value.Source
	var gated eventtypeGated
	var memo *fieldMemo
	// set has bit i for each plan i the event reaches, when the plans
	// are few enough (nextReached).
	few := len(reading) <= 64
	held := pf.ruleOut(ev.Raw, ev.Vetted(), &pf.memos[w], filtered)
	set := reachedSet(filtered, reached, few)
	// sure has bit i for each plan i whose base search the field gate
	// decided true for this record (fieldGate.held).
	var sure []uint64
	var exact []byKeyReq // the by-field gate's substitutions (fieldGate.exactHeld)
	if held && pf.fgate != nil {
		exact = pf.fgate.exactHeld(w) // before held, which clears them
		sure = pf.fgate.held(w)
	}
	for i := nextReached(0, set, filtered, few); i < len(reading); i = nextReached(i+1, set, filtered, few) {
		r := reading[i]
		if r.stopped.Load() {
			continue
		}
		if src == nil {
			src = memos.fields(w, ev, memos.needOf(w, need, reading, set, held && preHeld, exact))
			if fields != nil {
				src = fields(ev, src)
			}
			if g, ok := src.(eventtypeGated); ok && pf.eventtypes != nil {
				// The gate reads this worker's memo of the record: it
				// holds while the plans read the event here, and is
				// taken away before the event moves on.
				gated = g
				gated.SetEventtypeGate(pf.gates[w])
			}
			if r.part == nil || nextReached(i+1, set, filtered, few) < len(reading) {
				// Fields are read more than once: by several plans, or on
				// the worker and again by the ordered goroutine. Not when
				// the event reaches one plan, whose stats runs here: most
				// of a pass's events, ruled out for every other plan by
				// their raw text, and remembering what that plan reads
				// once costs more than it spares.
				memo = memos.get(w, src)
				src = memo
			}
		}
		rsrc := src
		if r.plan.view != nil {
			rsrc = r.plan.view(src)
		}
		var row *value.Row
		if r.part != nil {
			row = r.part.row(w, rsrc)
		} else {
			row = value.NewRow(rsrc)
		}
		if sure != nil && sure[i/64]>>(i%64)&1 != 0 {
			if !pf.fgate.baseHolds(w, i, ev) {
				continue
			}
		} else if r.plan.base != nil && !r.plan.base(row) {
			continue
		}
		if r.part != nil {
			if exact != nil && sure != nil && sure[i/64]>>(i%64)&1 != 0 {
				substitute(row, rsrc, exact, i)
			}
			r.part.add(w, row, r)
			continue
		}
		if touch {
			// Compute the fields the stages will read here, in a worker,
			// rather than later in the one goroutine that runs the stages.
			for _, name := range r.plan.touch {
				row.Get(name)
			}
		}
		matched[i] = row
		rows++
	}
	if gated != nil {
		gated.SetEventtypeGate(nil)
	}
	if src != nil {
		memos.done(w, memo, rows > 0)
	}
	// The memo must not keep the record's block from being reused.
	pf.memos[w].raw, pf.memos[w].ready = "", false
	return rows
}

// reachedSet is the set of plans an event reaches, bit i for plan i
// when they are few (64 or fewer), by the pre-filters' answers
// (filtered); it counts each in reached, when not nil.
func reachedSet(filtered []bool, reached []int, few bool) uint64 {
	if !few {
		for i, out := range filtered {
			if !out && reached != nil {
				reached[i]++
			}
		}
		return 0
	}
	set := reachedMask(filtered)
	if reached != nil {
		for rest := set; rest != 0; rest &= rest - 1 {
			reached[bits.TrailingZeros64(rest)]++
		}
	}
	return set
}

// eventtypeGated is an event's source that evaluates event types (the
// knowledge's) and can be told, by their raw pre-filters, which ones the
// event's text rules out (prefilters.eventtypes, gate).
type eventtypeGated interface {
	SetEventtypeGate(mayMatch func(i int) bool)
}

// accept passes one event's outcome to the plans' stages, in input order.
// A plan whose stages fail stops (running.fail); accept returns errStopped
// once every plan has. A plan counts the events up to the one it failed
// on.
func accept(reading []*running, matched []*value.Row, filtered []bool) error {
	for i, r := range reading {
		if r.err != nil {
			continue
		}
		r.counts.Events++
		if filtered[i] {
			r.counts.Filtered++
			continue
		}
		if row := matched[i]; row != nil {
			if err := r.accept(row, reading); err != nil {
				return err
			}
		}
	}
	return nil
}

// accept passes a row that the plan's base search matched to its stages,
// unless the plan has failed. A plan whose stages fail stops
// (running.fail); accept returns errStopped once every plan has.
func (r *running) accept(row *value.Row, reading []*running) error {
	if r.err != nil {
		return nil
	}
	r.counts.Matched++
	if err := r.push(row); err != nil && r.fail(err, reading) {
		return errStopped
	}
	return nil
}

// push passes one matched row to a plan's stages, or holds it to sort.
// A plan whose regex budget is spent stops: its later matches would all
// count as time-outs, and its run is an error (Plan.RegexBudgetError).
func (r *running) push(row *value.Row) error {
	if err := valueLimit(r.plan.ctx); err != nil {
		return err
	}
	if r.plan.ctx.RegexBudget.Exhausted() {
		return r.plan.RegexBudgetError()
	}
	if r.plan.ordered {
		return r.held.add(row)
	}
	return r.head.Push(row)
}

func runSequential(reading []*running, in Input, need event.Need, fields func(*event.Event, value.Source) value.Source) error {
	matched := make([]*value.Row, len(reading))
	filtered := make([]bool, len(reading))
	pf := newPrefilters(reading, 1)
	memos := newFieldMemos(1, false)
	return in.Events(func(ev *event.Event) error {
		clear(matched)
		offer(0, ev, reading, pf, memos, need, fields, matched, filtered, nil, false, false)
		return accept(reading, matched, filtered)
	})
}

// scanWorker is what one worker of runScan keeps: the outcome of the
// event it is offering, and its counts of the events of its block so far.
// Only the rows that the ordered goroutine must pass to a plan's stages
// travel to it with their event (escaped); the counts go once per block
// (event.ScanOptions.BlockDone). With many plans, nearly every event has a
// pre-filter verdict for some plan and reaches one whose stats runs on
// the workers, and handing each event's verdicts over (the plans' lists,
// from a sync.Pool, walked plan by plan in the ordered goroutine) was a
// tenth of the CPU time of ESCU's 59 CloudTrail detections in one pass.
type scanWorker struct {
	matched  []*value.Row
	filtered []bool
	// block counts the events of the worker's block so far.
	block blockCounts
	// escapes is where the worker's escaped events are made: fresh
	// when full, and dropped by the blocks that deliver them.
	escapes []escaped
	_       [64]byte // no shared cache line with the next worker's
}

// apart makes a list that a worker writes for every event, a cache line
// clear of anything else on each side: small lists of the workers side
// by side, in one cache line (a pass of one plan), made such a pass 20%
// slower.
func apart[T any](n int) []T {
	var zero T
	pad := 64/max(int(unsafe.Sizeof(zero)), 1) + 1
	return make([]T, pad+n+pad)[pad : pad+n : pad+n]
}

// blockCounts are the events a worker offered of one block, and per plan
// those that its pre-filter let through.
type blockCounts struct {
	events  int
	reached []int
}

// add counts a block's events for the plans that have not failed: a
// failed plan counts the events up to the one it failed on (escaped).
func (bc *blockCounts) add(reading []*running) {
	for i, r := range reading {
		if r.err == nil {
			r.counts.Events += bc.events
			r.counts.Filtered += bc.events - bc.reached[i]
		}
	}
}

// escaped is the rows that one event passes on to the plans' stages, in
// the order of the plans (one, as a rule, kept in first), and where the
// event is in its block: the events of the block up to it.
type escaped struct {
	first  planRow
	rest   []planRow
	events int
}

// planRow is a row for plan's stages, and the events of its block up to
// the row's that the plan's pre-filter let through.
type planRow struct {
	plan    int
	reached int
	row     *value.Row
}

// escapesSize is how many escaped events a worker makes room for at a
// time: one allocation for many, each kept until its block is delivered.
const escapesSize = 128

// escape hands a worker's rows in matched (rows of them) over to the
// ordered goroutine, clearing matched.
func (sw *scanWorker) escape(rows int) *escaped {
	if len(sw.escapes) == cap(sw.escapes) {
		sw.escapes = make([]escaped, 0, escapesSize)
	}
	sw.escapes = sw.escapes[:len(sw.escapes)+1]
	e := &sw.escapes[len(sw.escapes)-1]
	e.events = sw.block.events
	if rows > 1 {
		e.rest = make([]planRow, 0, rows-1)
	}
	first := true
	for i, row := range sw.matched {
		if row == nil {
			continue
		}
		sw.matched[i] = nil
		pr := planRow{plan: i, reached: sw.block.reached[i], row: row}
		if first {
			e.first, first = pr, false
		} else {
			e.rest = append(e.rest, pr)
		}
	}
	return e
}

// accept passes an escaped event's rows to their plans' stages. A plan
// that fails on its row counts the events of the block up to this one,
// as accept counts them event by event.
func (e *escaped) accept(reading []*running) error {
	first, rest := e.first, e.rest
	*e = escaped{events: e.events} // the worker's memory must not keep the rows alive
	if err := e.acceptRow(first, reading); err != nil {
		return err
	}
	for _, pr := range rest {
		if err := e.acceptRow(pr, reading); err != nil {
			return err
		}
	}
	return nil
}

func (e *escaped) acceptRow(pr planRow, reading []*running) error {
	r := reading[pr.plan]
	if r.err != nil {
		return nil
	}
	err := r.accept(pr.row, reading)
	if r.err != nil {
		r.counts.Events += e.events
		r.counts.Filtered += e.events - pr.reached
	}
	return err
}

// runScan lets a ParallelInput read and offer events on its workers; only
// records that no plan's raw pre-filter can rule out become events.
func runScan(reading []*running, in ParallelInput, need event.Need, fields func(*event.Event, value.Source) value.Source, reused func() func(*event.Event, value.Source) value.Source, workers int) error {
	pf := newPrefilters(reading, workers)
	startPartials(reading, workers)
	wfields := newWorkerFields(fields, reused, workers)
	memos := newFieldMemos(workers, usedUp(reading))
	sws := make([]scanWorker, workers)
	for w := range sws {
		sws[w].matched = apart[*value.Row](len(reading))
		sws[w].filtered = apart[bool](len(reading))
		sws[w].block.reached = apart[int](len(reading))
	}
	// An event that leaves no row for the ordered goroutine (no plan
	// whose stages run there matched it: every event of a search whose
	// stats runs on the workers) is counted on its worker and not
	// delivered (ScanOptions.Sparse).
	process := func(w int, ev *event.Event) any {
		sw := &sws[w]
		sw.block.events++
		rows := offer(w, ev, reading, pf, memos, need, wfields.of[w], sw.matched, sw.filtered, sw.block.reached, true, true)
		wfields.offered(w, rows > 0)
		if rows == 0 {
			return nil
		}
		return sw.escape(rows)
	}
	blockDone := func(w int) any {
		sw := &sws[w]
		if sw.block.events == 0 {
			return nil
		}
		bc := &blockCounts{events: sw.block.events, reached: slices.Clone(sw.block.reached)}
		sw.block.events = 0
		clear(sw.block.reached)
		return bc
	}
	deliver := func(_ *event.Event, v any) error {
		switch v := v.(type) {
		case *escaped:
			return v.accept(reading)
		case *blockCounts:
			v.add(reading)
		}
		return nil
	}
	// Events may share their block's memory when no plan keeps them: the
	// rows of an order-free plan go into stats, which copies what it
	// keeps; an ordered plan holds its matched events until the end. It
	// pays only when most records become events: when every plan has a
	// raw pre-filter, the few records it lets through are cheaper to copy
	// than fresh blocks (which must be zeroed) are to allocate.
	share := !pf.every
	for _, r := range reading {
		share = share && !r.plan.ordered
	}
	// When every plan's stats runs on the workers, an event is used up on
	// its worker: partial stats copies what it keeps, and the ordered
	// goroutine gets no row, only counts.
	consumed := usedUp(reading)
	// A record skip lets through is extracted, while the reader validates
	// it, for the plans it reaches (fieldMemos.need, held).
	needOf := func(w int) event.Need {
		if m := &pf.memos[w]; m.hasHeld {
			return memos.need(w, need, reading, m.outs, true, pf.fgate.exactHeld(w))
		}
		return need
	}
	// A record whose plans that read it all run their stats on the
	// workers is used up on its worker, as every record is when every
	// plan does (consumed): the reader makes its event in the worker's
	// reused memory, sharing its block's text. Half the records of the 59
	// ESCU CloudTrail detections in one pass reach one such plan alone,
	// though other plans of the pass keep the events they read.
	var consumedOf func(w int) bool
	if !consumed && pf.every && slices.ContainsFunc(reading, func(r *running) bool { return r.part != nil }) {
		partials := partialPlans(reading)
		consumedOf = func(w int) bool {
			m := &pf.memos[w]
			return m.hasHeld && partialOnly(reading, m.outs, partials)
		}
	}
	so := event.ScanOptions{Workers: workers, Need: need, NeedOf: needOf, Skip: pf.skip, SkipBlock: pf.skipBlock, ShareRaw: share, Consumed: consumed, ConsumedOf: consumedOf, Sparse: true, BlockDone: blockDone}
	if g := pf.fgate; g != nil {
		so.GateKeys, so.SkipGated = g.scanKeys(), pf.skipGated
		if g.byKeys != nil {
			so.GateObjects, so.GateChildren = g.byKeys.objs, g.byKeys.children
		}
		if g.sureWords > 0 {
			// A record skip holds is not one the gate decided.
			so.Skip = func(w int, raw []byte) bool {
				g.caches[w].sureOK = false
				return pf.skip(w, raw)
			}
		}
	}
	skipped, err := in.ScanEvents(so, process, deliver)
	for w := range sws {
		// What no block took: a read that failed, or an input that
		// does not count per block.
		sws[w].block.add(reading)
	}
	for _, r := range reading {
		r.counts.Events += skipped
		r.counts.Filtered += skipped
	}
	if g := pf.fgate; g != nil && g.byKeys != nil {
		// The records the by-field gate took from a plan matched its base
		// search: they were counted as filtered.
		for w := range g.caches {
			for i, n := range g.caches[w].byKeys.keyless {
				reading[i].counts.Matched += n
				reading[i].counts.Filtered -= n
				reading[i].counts.NullBy += n
			}
		}
	}
	finishPartials(reading)
	return err
}

// workerFields are the Fields functions of the workers: where the options
// have one (Options.ReusedFields), one for each worker that makes every
// event's source in the same memory while no row of an event outlives the
// worker's offer of it. When every plan's stats runs on the workers
// (usedUp) none does; otherwise an event one of whose rows goes on to the
// ordered goroutine keeps its source, and the worker takes a new one for
// its next event (offered). Without ReusedFields, fields, shared.
type workerFields struct {
	of     []func(*event.Event, value.Source) value.Source
	reused func() func(*event.Event, value.Source) value.Source
}

func newWorkerFields(fields func(*event.Event, value.Source) value.Source, reused func() func(*event.Event, value.Source) value.Source, workers int) *workerFields {
	wf := &workerFields{of: make([]func(*event.Event, value.Source) value.Source, workers)}
	if fields != nil && reused != nil {
		wf.reused = reused
	}
	for w := range wf.of {
		if wf.reused != nil {
			wf.of[w] = wf.reused()
		} else {
			wf.of[w] = fields
		}
	}
	return wf
}

// offered notes that worker w offered an event, escaped when a row of it
// went on to the ordered goroutine, which reads its source after the
// worker has moved on.
func (wf *workerFields) offered(w int, escaped bool) {
	if escaped && wf.reused != nil {
		wf.of[w] = wf.reused()
	}
}

// usedUp reports whether every plan's stats runs on the workers, so that
// an event is used up on the worker that offers it: partial stats keeps
// values, never rows, and the ordered goroutine gets only counts.
func usedUp(reading []*running) bool {
	for _, r := range reading {
		if r.part == nil {
			return false
		}
	}
	return true
}

// partialOnly reports whether every plan a record reaches (filtered
// false) runs its stats on the workers, using the record up there;
// partials are those plans (partialPlans), as bits when they are 64 or
// fewer.
func partialOnly(reading []*running, filtered []bool, partials uint64) bool {
	if len(filtered) <= 64 {
		return reachedMask(filtered)&^partials == 0
	}
	for i, out := range filtered {
		if !out && reading[i].part == nil {
			return false
		}
	}
	return true
}

// partialPlans is the set of plans whose stats run on the workers, bit i
// for reading[i], of the first 64.
func partialPlans(reading []*running) uint64 {
	var set uint64
	for i, r := range reading[:min(len(reading), 64)] {
		if r.part != nil {
			set |= 1 << i
		}
	}
	return set
}

// batchSize is how many events a worker takes at a time: large enough to
// make handing them over cheap, small enough to keep memory flat.
const batchSize = 256

// batch is a run of events and, once a worker is done, their outcomes.
type batch struct {
	seq      int
	events   []*event.Event
	matched  [][]*value.Row
	filtered [][]bool
}

// runParallel offers events to the plans on several workers, and runs the
// stages in one goroutine, in input order, so that results are exactly
// those of runSequential.
func runParallel(reading []*running, in Input, need event.Need, fields func(*event.Event, value.Source) value.Source, reused func() func(*event.Event, value.Source) value.Source, workers int) error {
	pf := newPrefilters(reading, workers)
	work := make(chan *batch, workers*2)
	done := make(chan *batch, workers*2)
	startPartials(reading, workers)
	wfields := newWorkerFields(fields, reused, workers)
	memos := newFieldMemos(workers, usedUp(reading))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.matched = make([][]*value.Row, len(b.events))
				b.filtered = make([][]bool, len(b.events))
				for i, ev := range b.events {
					b.matched[i] = make([]*value.Row, len(reading))
					b.filtered[i] = make([]bool, len(reading))
					rows := offer(w, ev, reading, pf, memos, need, wfields.of[w], b.matched[i], b.filtered[i], nil, true, false)
					wfields.offered(w, rows > 0)
				}
				done <- b
			}
		}()
	}
	var (
		stageErr error
		stopped  atomic.Bool
		finished = make(chan struct{})
	)
	go func() {
		defer close(finished)
		inorder.Deliver(done, func(b *batch) int { return b.seq }, func(p *batch) {
			if stageErr != nil {
				return
			}
			for i := range p.events {
				if err := accept(reading, p.matched[i], p.filtered[i]); err != nil {
					stageErr = err
					stopped.Store(true)
					return
				}
			}
		})
	}()
	cur := &batch{}
	seq := 0
	readErr := in.Events(func(ev *event.Event) error {
		if stopped.Load() {
			return errStopped
		}
		cur.events = append(cur.events, ev)
		if len(cur.events) == batchSize {
			cur.seq = seq
			seq++
			work <- cur
			cur = &batch{}
		}
		return nil
	})
	if len(cur.events) > 0 {
		cur.seq = seq
		work <- cur
	}
	close(work)
	wg.Wait()
	close(done)
	<-finished
	finishPartials(reading)
	if stageErr != nil {
		return stageErr
	}
	return readErr
}

// errStopped ends reading when every plan of the pass has failed.
var errStopped = errors.New("stopped")

func collect(runs []*running, counts []Counts) []Counts {
	for i, r := range runs {
		if r != nil {
			counts[i] = r.counts
		}
	}
	return counts
}

// neededFields lists the fields a query can read, so that extraction skips
// the rest. It over-approximates: every field name and value word of the
// query counts. A query whose output is whole events, or that names fields
// by a wildcard other than a prefix, needs all fields.
func neededFields(q *spl.Query) event.Need {
	need := event.Need{Names: map[string]bool{"_raw": true, "_time": true}}
	// appendpipe: a command reads every field whatever the query names.
	transforming, appendpipe := false, false
	add := func(name string) {
		switch i := strings.IndexByte(name, '*'); {
		case i < 0:
			need.Names[name] = true
		case i == len(name)-1 && i > 0:
			need.Prefixes = append(need.Prefixes, name[:i])
		default:
			need.All = true
		}
	}
	spl.Walk(q, func(n spl.Node) bool {
		switch n := n.(type) {
		case *spl.SearchCompare:
			// The value is a pattern, not a field: *.amazonaws.com must not
			// make the search need every field.
			add(n.Field.Text())
			return false
		case *spl.SearchIn:
			add(n.Field.Text())
			return false
		case *spl.SearchKeyword, *spl.SearchTermFunc:
			return false // terms match _raw
		case *spl.Word:
			add(n.Text())
		case *spl.FieldRef:
			add(n.Name)
		case *spl.AppendpipeCommand:
			// Its subpipeline may transform a copy while the results
			// themselves pass on whole.
			appendpipe = true
		case *spl.AddtotalsCommand:
			// Without fields it sums every numeric field, named or not.
			if len(n.Fields.Items) == 0 {
				appendpipe = true
			}
		}
		if c, ok := n.(spl.Command); ok {
			if d := lookupCommand(c); d != nil && d.Projects != nil && d.Projects(c) {
				transforming = true
			}
		}
		return true
	})
	if !transforming || appendpipe {
		need.All = true
	}
	return need
}

// EventtypePrefilters shows the raw pre-filter of each event type's
// search (Options.EventtypeSearches), as Prefilter does a plan's, "" where
// one requires nothing; nil when the plan reads no event type or tag.
func (pl *Plan) EventtypePrefilters() []string {
	if pl.eventtypes == nil {
		return nil
	}
	out := make([]string, len(pl.eventtypes))
	for i, f := range pl.eventtypes {
		if f != nil {
			out[i] = f.String()
		}
	}
	return out
}

// readsTags reports whether a plan that needs these fields asks each
// event's event types or tags as it searches: it names tag, tag::field
// or eventtype, as a search term, a data model's constraint or a field
// it reads. A plan that needs every field only for the events it passes
// on whole does not count: for its few events the gate would not pay
// for the literals it adds to the pass.
func readsTags(n event.Need) bool {
	for name := range n.Names {
		if name == "tag" || name == "eventtype" || strings.HasPrefix(name, "tag::") {
			return true
		}
	}
	for _, pre := range n.Prefixes {
		if strings.HasPrefix("tag::", pre) || strings.HasPrefix(pre, "tag") || strings.HasPrefix("eventtype", pre) {
			return true
		}
	}
	return false
}

// eventtypePrefilters derives the raw pre-filter of each event type's
// search (Options.EventtypeSearches) as a base search's: an event whose
// text fails one is not of that type. Nil when no search requires a
// literal.
func (p *planner) eventtypePrefilters() []*prefilter {
	var out []*prefilter
	some := false
	for _, text := range p.opts.EventtypeSearches {
		var f *prefilter
		if e, err := spl.ParseSearchExpr(diag.NewSource("eventtype", text), spl.Limits{}); err == nil {
			f = p.prefilterOf(e)
		}
		out = append(out, f)
		some = some || f != nil
	}
	if !some {
		return nil
	}
	return out
}

// prefilterOf is the raw pre-filter of a base search (or a data model
// constraint) with the knowledge of the options.
func (p *planner) prefilterOf(e spl.SearchExpr) *prefilter {
	return buildPrefilterWith(e, prefilterKnowledge{
		derived:       p.opts.Derived,
		origins:       p.opts.Origins,
		lookupOrigins: p.opts.LookupOrigins,
		tagSearches:   p.opts.TagSearches,
	}, 0)
}

// needWithout is the plan's need when its rows take the BY fields of subs
// straight from raw fields: the knowledge's reads of the fields the query
// names but those, and the raw fields.
func (pl *Plan) needWithout(subs []byKeyExact) event.Need {
	if pl.ownNames == nil || pl.opts.ReadsFor == nil {
		return pl.need
	}
	names := make([]string, 0, len(pl.ownNames))
	for _, f := range pl.ownNames {
		if !slices.ContainsFunc(subs, func(s byKeyExact) bool { return s.by == f }) {
			names = append(names, f)
		}
	}
	n := event.Need{Names: map[string]bool{}}
	for _, f := range names {
		n.Names[f] = true
	}
	for _, f := range pl.opts.ReadsFor(names) {
		n.Names[f] = true
	}
	for _, s := range subs {
		n.Names[s.raw] = true
	}
	return n
}

// substitute gives row, plan i's, the BY fields that exact takes straight
// from raw fields for that plan: the values the knowledge would make of
// them, which a row's own field hides.
func substitute(row *value.Row, src value.Source, exact []byKeyReq, i int) {
	for _, req := range exact {
		if req.plan != i {
			continue
		}
		for _, s := range req.exact {
			v, _ := src.Field(s.raw)
			row.Set(s.by, v)
		}
	}
}
