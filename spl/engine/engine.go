// Package engine is the one way from SPL text to rows. It expands a
// search's macros, parses it, compiles it for the fields a sourcetype's
// knowledge makes, and runs it over events read from files, folders,
// standard input or an fs.FS:
//
//	text ─► Parse (macro.Expand, spl.Parse) ─► Search ─► Compile (exec) ─► Program ─► Run/RunAll ─► rows
//
// Every problem is a *diag.Error placed in the search's text: Compile
// returns all it finds, and a limit one program hits while running is
// placed in that program's own text. The commands and the test runner
// call only this package; spl/exec, which holds the plan and its hot
// loop, is its implementation (docs/architecture.md, "The engine").
package engine

import (
	"errors"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/regex"
)

// Options say how to read, compile and run searches.
type Options struct {
	// Now is the search's start time: now(), relative times; zero means
	// the time of compilation.
	Now time.Time
	// Limits cap what a search may cost; zero fields mean the defaults.
	Limits Limits
	// AutoFilter expands an undefined `<name>_filter` macro to `search *`,
	// as contentctl ships one for every detection (macro.Options).
	AutoFilter bool
	// Lookups resolves the lookup tables a search names; nil means there
	// are none.
	Lookups Lookups
	// NoPrefilter turns off the raw-text pre-filter, to check that it
	// never changes results.
	NoPrefilter bool
	// NoDerivedPrefilter keeps the pre-filter to raw fields' values: a
	// field the knowledge makes counts for nothing, even where its origin
	// shows its values are a raw field's (FieldKnowledge.Origin).
	NoDerivedPrefilter bool
	// NoFieldGate turns off the pre-filter's field gate alone
	// (exec.Options.NoFieldGate), to check that it never changes results.
	NoFieldGate bool
	// Workers is how many goroutines read and match events; 0 means one
	// per CPU. Results do not depend on it.
	Workers int
	// IPLocation opens the IP location database iplocation reads
	// (limits.conf [iplocation] db_path, or a flag); nil when none is
	// configured.
	IPLocation func() (*geoip.DB, error)
	// DataModels are the data models tstats, datamodel and from read
	// (Knowledge.DataModels); nil means none.
	DataModels *datamodel.Set
	// Models holds the run's Machine Learning Toolkit models: fit ...
	// into stores one, apply and summary of a later search read it; nil
	// means none.
	Models *mltk.Store
}

// Limits cap what a search may cost; zero fields mean the defaults.
type Limits struct {
	// Parse caps the search's text: max_query_bytes, max_nesting.
	Parse spl.Limits
	// MaxGroups is max_groups: the groups of one stats, eventstats or top.
	MaxGroups int
	// MaxSubsearchRows caps the rows a subsearch returns.
	MaxSubsearchRows int
	// RegexBudget is regex_budget_ms, the time one run's backtracking
	// regular expressions may take in all.
	RegexBudget time.Duration
	// MaxResultRows is maxresultrows: the rows one command holds or makes.
	MaxResultRows int
	// MaxValueBytes and MaxMVValues are max_value_bytes and max_mv_values,
	// the caps on one value an expression makes.
	MaxValueBytes, MaxMVValues int
	// MaxMemMB is max_mem_usage_mb, the memory one run's blocking commands
	// may hold.
	MaxMemMB int
}

// Lookups finds the lookup tables a search names.
type Lookups interface {
	Lookup(name string) (*lookup.Table, error)
}

// Search is a search's text with its macros expanded, and the query
// parsed from it.
type Search struct {
	Query *spl.Query
	// Expansion is the expanded text; its Source places offsets of the
	// query in the text the search was read from.
	Expansion *macro.Expansion
}

// Parse expands the macros of src with macros (nil: only the built-in
// ones) and parses the expanded text. Problems are placed in src.
func Parse(src *diag.Source, macros *macro.Set, opts Options) (*Search, diag.List) {
	q, exp, err := spl.ParseSearchWith(src, macros, macro.Options{AutoFilter: opts.AutoFilter}, opts.Limits.Parse)
	if err != nil {
		var d *diag.Error
		if errors.As(err, &d) {
			return nil, diag.List{d}
		}
		return nil, diag.List{diag.Errorf(src, diag.Syntax, 0, "%v", err)}
	}
	return &Search{Query: q, Expansion: exp}, nil
}

// Compile expands, parses and compiles src for events whose fields k
// knows (nil: raw fields only). The list holds every problem found; the
// program is nil when there is any.
func Compile(src *diag.Source, macros *macro.Set, k FieldKnowledge, opts Options) (*Program, diag.List) {
	s, problems := Parse(src, macros, opts)
	if len(problems) > 0 {
		return nil, problems
	}
	return s.Compile(k, opts)
}

// Compile compiles a parsed search for events whose fields k knows (nil:
// raw fields only). The list holds every problem the compiler found, each
// placed in the search's text, except one the compiler could not place,
// which has a nil Source (Unplaced); the program is nil when there is any.
func (s *Search) Compile(k FieldKnowledge, opts Options) (*Program, diag.List) {
	eo := exec.Options{
		Now:              opts.Now,
		Lookups:          opts.Lookups,
		NoPrefilter:      opts.NoPrefilter,
		NoFieldGate:      opts.NoFieldGate,
		Workers:          opts.Workers,
		MaxGroups:        opts.Limits.MaxGroups,
		MaxSubsearchRows: opts.Limits.MaxSubsearchRows,
		RegexBudget:      opts.Limits.RegexBudget,
		MaxResultRows:    opts.Limits.MaxResultRows,
		MaxValueBytes:    opts.Limits.MaxValueBytes,
		MaxMVValues:      opts.Limits.MaxMVValues,
		MaxMemMB:         opts.Limits.MaxMemMB,
		IPLocation:       opts.IPLocation,
		DataModels:       opts.DataModels,
		Models:           opts.Models,
	}
	withKnowledge(&eo, k, !opts.NoDerivedPrefilter)
	plan, err := exec.Compile(s.Query, eo)
	if err != nil {
		return nil, compileProblems(err, s.Expansion.Source)
	}
	return &Program{search: s, plan: plan}, nil
}

// compileProblems turns exec.Compile's error into diagnostics placed in
// src: each *exec.Error of an error that holds several (Unwrap() []error),
// or the one error. An error that is no *exec.Error (one the compiler did
// not place) keeps its message, with a nil Source.
func compileProblems(err error, src *diag.Source) diag.List {
	var out diag.List
	var walk func(error)
	walk = func(err error) {
		if many, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range many.Unwrap() {
				walk(e)
			}
			return
		}
		var ee *exec.Error
		if errors.As(err, &ee) {
			out = append(out, diag.Errorf(src, ee.Code, ee.Pos.Offset, "%s", ee.Msg))
			return
		}
		out = append(out, &diag.Error{Code: diag.Syntax, Message: err.Error()})
	}
	walk(err)
	return out
}

// Unplaced reports whether a problem has no place in the search's text
// (a nil Source), so that a caller places it itself: at the detection,
// say.
func Unplaced(e *diag.Error) bool { return e.Source == nil }

// Program is a compiled search, ready to run over events any number of
// times.
type Program struct {
	search *Search
	plan   *exec.Plan
}

// Query is the parsed search.
func (p *Program) Query() *spl.Query { return p.search.Query }

// Expansion is the search's expanded text.
func (p *Program) Expansion() *macro.Expansion { return p.search.Expansion }

// Source is the expanded text, placing offsets in the text the search
// was read from: where the program's problems are shown.
func (p *Program) Source() *diag.Source { return p.search.Expansion.Source }

// Prefilter says what the raw pre-filter requires of an event's text for
// the base search to have a chance, "" when it requires nothing.
func (p *Program) Prefilter() string { return p.plan.Prefilter() }

// Generating reports whether the first command makes the rows
// (makeresults, inputlookup) instead of reading events.
func (p *Program) Generating() bool { return p.plan.Generating() }

// ReadsEvents reports whether the search starts by reading events (a
// search of events, or tstats, datamodel and from datamodel, which read
// a data model's), so that it needs some to read.
func (p *Program) ReadsEvents() bool {
	return len(p.search.Query.Commands) > 0 && !p.plan.Generating()
}

// readsTwice reports whether a run of the search reads the events more
// than once (exec.Plan.ReadsTwice): a subsearch used as a search term
// does; those of join and append read in the search's own pass.
func (p *Program) readsTwice() bool { return p.plan.ReadsTwice() }

// RegexpTimeouts lists the program's regular expressions whose matches
// timed out (and so counted as no match), over every run so far.
func (p *Program) RegexpTimeouts() []regex.Timeout { return p.plan.RegexpTimeouts() }

// TimeoutCount is the number of the program's regex time-outs so far.
func (p *Program) TimeoutCount() int64 {
	var n int64
	for _, t := range p.plan.RegexpTimeouts() {
		n += t.Count
	}
	return n
}

// FunctionErrors lists the eval functions whose calls failed and gave
// null, for a report.
func (p *Program) FunctionErrors() []eval.FunctionError { return p.plan.FunctionErrors() }

// RegexBudgetError is the *LimitError of a run whose regular expressions
// spent the search's regex budget, nil otherwise.
func (p *Program) RegexBudgetError() error { return p.runError(p.plan.RegexBudgetError()) }
