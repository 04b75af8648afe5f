package harness

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/mltk"
)

// Env is what running and validating detections needs besides the
// content: the sourcetype knowledge and the search time.
type Env struct {
	Knowledge *knowledge.Knowledge
	Now       time.Time
	Limits    Limits
	// IPLocation opens iplocation's database (see IPLocation); nil when
	// none is configured.
	IPLocation func() (*geoip.DB, error)
	// NoPrefilter turns off the raw-text pre-filter, to check that it
	// never changes results.
	NoPrefilter bool
	// NoDerivedPrefilter keeps the pre-filter to raw fields' values: a
	// field the knowledge makes counts for nothing, even where its origin
	// shows its values are a raw field's (knowledge.Knowledge.Sources).
	NoDerivedPrefilter bool
	// NoFieldGate turns off the field gate of the pre-filter (the values
	// of top-level keys, read while each record is validated), to check
	// that it never changes results.
	NoFieldGate bool
	// Workers is how many goroutines read and match events; 0 means one
	// per CPU.
	Workers int
}

// Limits cap what a search may cost; zero fields mean the defaults. The
// engine's caps a search's compilation and run; the other two cap the
// input's records, which the runner reads.
type Limits struct {
	engine.Limits
	MaxEventBytes int
	// ExtractionCutoff is limits.conf [spath] extraction_cutoff (zero:
	// the default, event.ExtractionCutoff).
	ExtractionCutoff int
}

// NewEnv loads knowledge apps (built-in first, then --app folders).
func NewEnv(apps []conf.App, now time.Time) *Env {
	return &Env{Knowledge: engine.LoadKnowledge(apps, now), Now: now}
}

// Prepared is a detection's search, expanded, parsed and compiled.
type Prepared struct {
	Detection *Detection
	Expansion *macro.Expansion
	Query     *spl.Query
	// Plan is the compiled search, nil when it does not compile (the
	// findings say why; Query is then still set).
	Plan *engine.Program
}

// Prepare expands, parses and compiles a detection's search for events of
// a sourcetype. Errors are findings positioned in the detection's file:
// every problem the compiler finds, not only the first.
func (e *Env) Prepare(c *Content, d *Detection, sourcetype string) (*Prepared, []Finding) {
	return e.prepare(c, d, sourcetype, nil, nil, nil, nil, e.Now)
}

// prepare is Prepare with a test's KV store contents (files of root),
// when ipl is set, the IP location database its data names instead of
// the run's, the models its folder's baselines fitted (models, nil for
// none), and the search time now (a replayed test's, see
// runner.replayNow).
func (e *Env) prepare(c *Content, d *Detection, sourcetype string, root fs.FS, kv kvSupply, ipl func() (*geoip.DB, error), models *mltk.Store, now time.Time) (*Prepared, []Finding) {
	if d.searchProblem != nil {
		return nil, []Finding{*d.searchProblem}
	}
	if d.searchSource == nil {
		return nil, []Finding{{File: d.File, Line: d.Line, Column: 1, Code: string(diag.Schema), Severity: SeverityError, Message: "the detection has no search"}}
	}
	set := c.Macros
	set.AddDetectionFilter(d.Name) // already there for loaded content: a no-op read
	opts := e.Options(c)
	opts.Now = now
	opts.Lookups = &tables{c: c, k: e.Knowledge, root: root, kv: kv}
	if ipl != nil {
		opts.IPLocation = ipl
	}
	opts.Models = models
	s, problems := engine.Parse(d.searchSource, set, opts)
	if len(problems) > 0 {
		return nil, []Finding{findingFromError(problems[0], d.File)}
	}
	p := &Prepared{Detection: d, Expansion: s.Expansion, Query: s.Query}
	plan, problems := s.Compile(e.Knowledge.Sourcetype(sourcetype), opts)
	if len(problems) == 0 {
		p.Plan = plan
		return p, nil
	}
	var findings []Finding
	for _, pr := range problems {
		if engine.Unplaced(pr) {
			// The compiler could not place it: at the detection.
			return nil, []Finding{{File: d.File, Line: d.Line, Column: 1, Code: string(diag.Syntax), Severity: SeverityError, Message: pr.Message}}
		}
		findings = append(findings, findingFromError(pr, d.File))
	}
	return p, findings
}

// Options are the engine's options for the searches of content c: the
// search time, the limits, the pre-filter switches, and c's lookups
// before the knowledge apps' tables.
func (e *Env) Options(c *Content) engine.Options {
	return engine.Options{
		Now:                e.Now,
		Limits:             e.Limits.Limits,
		Lookups:            &tables{c: c, k: e.Knowledge},
		NoPrefilter:        e.NoPrefilter,
		NoDerivedPrefilter: e.NoDerivedPrefilter,
		NoFieldGate:        e.NoFieldGate,
		Workers:            e.Workers,
		IPLocation:         e.IPLocation,
		DataModels:         e.Knowledge.DataModels,
	}
}

// tables resolves lookup names: the content's lookup definitions (by name
// or CSV file), then the knowledge apps' tables. A KV store lookup reads
// the CSV file a test supplied for it (kv, files of root; see kvSupply).
type tables struct {
	c    *Content
	k    *knowledge.Knowledge
	root fs.FS
	kv   kvSupply
}

func (t *tables) Lookup(name string) (*lookup.Table, error) {
	for _, l := range t.c.Lookups {
		if l.Name == name || l.Filename == name {
			if l.Filename == "" {
				if p, ok := t.kv[l.Name]; ok {
					return readKVStore(l, t.root, p)
				}
				return nil, fmt.Errorf("lookup %s is a KV store collection, which the evaluator cannot read unless the test's data supplies its contents (kvstore: in the dataset's splharness.yml)", name)
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
			if err := applyLookupOptions(l, tab); err != nil {
				return nil, fmt.Errorf("lookup %s: %v", name, err)
			}
			return tab, nil
		}
	}
	return t.k.Table(name)
}

// applyLookupOptions applies a lookup definition's matching options, the
// same ones transforms.conf has (match_type WILDCARD and CIDR columns).
func applyLookupOptions(l *Lookup, t *lookup.Table) error {
	if v, ok := scalar(get(l.node, "case_sensitive_match")); ok {
		t.CaseInsensitive = strings.EqualFold(v, "false")
	}
	if v, ok := scalar(get(l.node, "match_type")); ok {
		if err := t.SetMatchType(v); err != nil {
			return err
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
	return nil
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
