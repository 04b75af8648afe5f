package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/value"
)

// Env is what running and validating detections needs besides the
// content: the sourcetype knowledge and the search time.
type Env struct {
	Knowledge *knowledge.Knowledge
	Now       time.Time
	Limits    Limits
	// NoPrefilter turns off the raw-text pre-filter, to check that it
	// never changes results.
	NoPrefilter bool
	// NoDerivedPrefilter keeps the pre-filter to raw fields' values: a
	// field the knowledge makes counts for nothing, even where its origin
	// shows its values are a raw field's (knowledge.Knowledge.Sources).
	NoDerivedPrefilter bool
}

// Limits cap what a search may cost; zero fields mean the defaults.
type Limits struct {
	Parse            spl.Limits
	MaxEventBytes    int
	MaxGroups        int
	MaxSubsearchRows int
	// RegexBudget is each search's regex_budget_ms (zero: the default).
	RegexBudget time.Duration
	// MaxResultRows is each search's maxresultrows (zero: the default).
	MaxResultRows int
	// MaxValueBytes and MaxMVValues are max_value_bytes and max_mv_values
	// (zero: the defaults).
	MaxValueBytes, MaxMVValues int
	// MaxMemMB is each search's max_mem_usage_mb (zero: the default).
	MaxMemMB int
	// ExtractionCutoff is limits.conf [spath] extraction_cutoff (zero:
	// the default, event.ExtractionCutoff).
	ExtractionCutoff int
}

// NewEnv loads knowledge apps (built-in first, then --app folders).
func NewEnv(apps []conf.App, now time.Time) *Env {
	return &Env{Knowledge: LoadKnowledge(apps, now), Now: now}
}

// LoadKnowledge loads the sourcetype knowledge of apps, later apps over
// earlier ones, with searches (event types) compiled for time now.
func LoadKnowledge(apps []conf.App, now time.Time) *knowledge.Knowledge {
	compile := func(s string) (func(*value.Row) bool, error) { return exec.CompileSearch(s, now) }
	return knowledge.Load(apps, eval.NewContext(now), compile)
}

// Prepared is a detection's search, expanded, parsed and compiled.
type Prepared struct {
	Detection *Detection
	Expansion *macro.Expansion
	Query     *spl.Query
	Plan      *exec.Plan
}

// Prepare expands, parses and compiles a detection's search for events of
// a sourcetype. Errors are findings positioned in the detection's file.
func (e *Env) Prepare(c *Content, d *Detection, sourcetype string) (*Prepared, []Finding) {
	if d.searchProblem != nil {
		return nil, []Finding{*d.searchProblem}
	}
	if d.searchSource == nil {
		return nil, []Finding{{File: d.File, Line: d.Line, Column: 1, Code: string(diag.Schema), Severity: SeverityError, Message: "the detection has no search"}}
	}
	set := c.Macros
	set.AddDetectionFilter(d.Name) // already there for loaded content: a no-op read
	q, exp, err := spl.ParseSearchWith(d.searchSource, set, macro.Options{}, e.Limits.Parse)
	if err != nil {
		return nil, []Finding{findingFromError(err, d.File)}
	}
	plan, err := exec.Compile(q, e.PlanOptions(c, sourcetype))
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			f := findingFromError(diag.Errorf(exp.Source, ee.Code, ee.Pos.Offset, "%s", ee.Msg), d.File)
			return &Prepared{Detection: d, Expansion: exp, Query: q}, []Finding{f}
		}
		return nil, []Finding{{File: d.File, Line: d.Line, Column: 1, Code: string(diag.Syntax), Severity: SeverityError, Message: err.Error()}}
	}
	return &Prepared{Detection: d, Expansion: exp, Query: q, Plan: plan}, nil
}

// PlanOptions wires knowledge and lookups into a plan's options.
func (e *Env) PlanOptions(c *Content, sourcetype string) exec.Options {
	opts := WithKnowledge(e.Knowledge, sourcetype, exec.Options{
		Now:              e.Now,
		MaxGroups:        e.Limits.MaxGroups,
		MaxSubsearchRows: e.Limits.MaxSubsearchRows,
		RegexBudget:      e.Limits.RegexBudget,
		MaxResultRows:    e.Limits.MaxResultRows,
		MaxValueBytes:    e.Limits.MaxValueBytes,
		MaxMVValues:      e.Limits.MaxMVValues,
		MaxMemMB:         e.Limits.MaxMemMB,
		NoPrefilter:      e.NoPrefilter,
	})
	opts.Lookups = &tables{c: c, k: e.Knowledge}
	if e.NoDerivedPrefilter {
		opts.Origins = nil
	}
	return opts
}

// WithKnowledge wires k into a plan's options for events of one
// sourcetype: the fields its rules make, which of them the raw pre-filter
// must not trust, and what extracting them reads.
func WithKnowledge(k *knowledge.Knowledge, sourcetype string, opts exec.Options) exec.Options {
	opts.Fields = func(ev *event.Event, raw value.Source) value.Source { return k.Source(ev.Sourcetype, raw) }
	opts.Derived = k.Derived(sourcetype)
	sources := k.Sources(sourcetype)
	opts.Origins = func(field string) ([]string, []string, bool) {
		o, ok := sources(field)
		return o.Raw, o.Consts, ok
	}
	opts.ExtraFields = k.Reads(sourcetype)
	opts.ReadsFor = func(fields []string) []string { return k.ReadsFor(sourcetype, fields) }
	return opts
}

// tables resolves lookup names: the content's lookup definitions (by name
// or CSV file), then the knowledge apps' tables.
type tables struct {
	c *Content
	k *knowledge.Knowledge
}

func (t *tables) Lookup(name string) (*lookup.Table, error) {
	for _, l := range t.c.Lookups {
		if l.Name == name || l.Filename == name {
			if l.Filename == "" {
				return nil, fmt.Errorf("lookup %s is a KV store collection, which the evaluator cannot read", name)
			}
			f, err := t.c.FS.Open(path.Join("lookups", l.Filename))
			if err != nil {
				return nil, fmt.Errorf("lookup %s: %v", name, err)
			}
			defer f.Close()
			tab, err := lookup.ReadCSV(l.Filename, f)
			if err != nil {
				return nil, err
			}
			applyLookupOptions(l, tab)
			return tab, nil
		}
	}
	return t.k.Table(name)
}

var wildcardColumns = regexp.MustCompile(`(?i)WILDCARD\(([^)]*)\)`)

// applyLookupOptions applies a lookup definition's matching options, the
// same ones transforms.conf has.
func applyLookupOptions(l *Lookup, t *lookup.Table) {
	if v, ok := scalar(get(l.node, "case_sensitive_match")); ok {
		t.CaseInsensitive = strings.EqualFold(v, "false")
	}
	if v, ok := scalar(get(l.node, "match_type")); ok {
		t.Wildcard = map[string]bool{}
		for _, m := range wildcardColumns.FindAllStringSubmatch(v, -1) {
			for _, col := range strings.Split(m[1], ",") {
				t.Wildcard[strings.TrimSpace(col)] = true
			}
		}
	}
	if v, ok := scalar(get(l.node, "min_matches")); ok {
		t.MinMatches, _ = strconv.Atoi(v)
	}
	if v, ok := scalar(get(l.node, "max_matches")); ok {
		t.MaxMatches, _ = strconv.Atoi(v)
	}
	if v, ok := scalar(get(l.node, "default_match")); ok {
		t.DefaultMatch = v
	}
}

// isDefinedLookup reports whether a lookup name resolves.
func (c *Content) isDefinedLookup(name string, k *knowledge.Knowledge) bool {
	for _, l := range c.Lookups {
		if l.Name == name || l.Filename == name {
			return true
		}
	}
	if _, err := fs.Stat(c.FS, path.Join("lookups", name)); err == nil {
		return true
	}
	_, err := k.Table(name)
	return err == nil
}
