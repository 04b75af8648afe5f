package engine

import (
	"time"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/value"
)

// FieldKnowledge is what a search compiled for one sourcetype learns of
// the fields that sourcetype's knowledge (props.conf, transforms.conf,
// event types, tags) makes beyond those in the raw event.
// *knowledge.Sourcetype is the implementation: (*knowledge.Knowledge).
// Sourcetype(name).
type FieldKnowledge interface {
	// Apply wraps the fields extracted from an event with those the
	// knowledge makes for it, computed when asked for.
	Apply(ev *event.Event, raw value.Source) value.Source
	// Derived reports whether the knowledge makes a field, so that the raw
	// pre-filter cannot require its value in the raw text.
	Derived(field string) bool
	// Origin tells which raw fields and constants a derived field's
	// values can be, ok false where it cannot be shown; where no constant
	// matches a search's value, the raw pre-filter may then require it.
	Origin(field string) (raw, consts []string, ok bool)
	// TagSearches lists the searches of the event types that can give
	// an event a value of eventtype or tag that match accepts, ok false
	// where something else can; the raw pre-filter derives tag=X's
	// literals from them.
	TagSearches(field string, match func(string) bool) (searches []string, ok bool)
	// EventtypeSearches lists the searches of every event type, in the
	// order (and so by the index) that the events' sources ask a gate
	// about before evaluating them (exec.Options.EventtypeSearches).
	EventtypeSearches() []string
	// Reads lists every field the knowledge reads, to extract besides
	// those a search names.
	Reads() []string
	// ReadsFor lists the fields the knowledge reads to make the given
	// ones: what a search naming them must extract.
	ReadsFor(fields []string) []string
}

// ReusingKnowledge is a FieldKnowledge that can also apply itself to one
// worker's events in the same memory, event after event
// (exec.Options.ReusedFields); *knowledge.Sourcetype is one.
type ReusingKnowledge interface {
	FieldKnowledge
	// Reusing returns Apply for one goroutine, whose result is good only
	// until its next call.
	Reusing() func(ev *event.Event, raw value.Source) value.Source
}

// LookupKnowledge is a FieldKnowledge that also tells what the lookups
// need of an event to give a field a value; *knowledge.Sourcetype is one.
type LookupKnowledge interface {
	FieldKnowledge
	// LookupOrigin tells, of a field the lookups write, its origin before
	// the lookups and the lookup rows that can give it a value accept
	// takes, ok false where it cannot be shown; the raw pre-filter then
	// requires a raw value or the inputs of one of those rows
	// (exec.Options.LookupOrigins).
	LookupOrigin(field string, accept func(string) bool) (raw, consts []string, rows []lookup.Via, ok bool)
}

// GivenKnowledge is a FieldKnowledge that can also tell, of an event whose
// values of some raw fields are known, where a field's value comes from;
// *knowledge.Sourcetype is one.
type GivenKnowledge interface {
	FieldKnowledge
	// NullUnlessGiven lists raw fields without any of which a field has
	// no value, on an event whose values of the raw fields known tells
	// are those (exec.Options.NullUnlessGiven).
	NullUnlessGiven(field string, known func(string) (value.Value, bool)) ([]string, bool)
	// NullSources lists every raw field NullUnlessGiven can name for a
	// field (exec.Options.NullSources).
	NullSources(field string) []string
	// ExactGiven names the raw field a field is on such an event
	// (exec.Options.ExactGiven).
	ExactGiven(field string, known func(string) (value.Value, bool)) (string, bool)
}

// withKnowledge wires k into a plan's options: the one place where the
// knowledge reaches the plan. origins false keeps the raw pre-filter to
// raw fields (Options.NoDerivedPrefilter).
func withKnowledge(opts *exec.Options, k FieldKnowledge, origins bool) {
	if k == nil {
		return
	}
	opts.Fields = k.Apply
	if r, ok := k.(ReusingKnowledge); ok {
		opts.ReusedFields = r.Reusing
	}
	opts.Derived = k.Derived
	if origins {
		opts.Origins = k.Origin
		if l, ok := k.(LookupKnowledge); ok {
			opts.LookupOrigins = l.LookupOrigin
		}
		if g, ok := k.(GivenKnowledge); ok {
			opts.NullUnlessGiven, opts.NullSources, opts.ExactGiven = g.NullUnlessGiven, g.NullSources, g.ExactGiven
		}
		opts.TagSearches = k.TagSearches
		opts.EventtypeSearches = k.EventtypeSearches()
	}
	opts.ExtraFields = k.Reads()
	opts.ReadsFor = k.ReadsFor
}

// LoadKnowledge loads the sourcetype knowledge of apps, later apps over
// earlier ones, with the searches of their event types compiled by the
// engine for time now, and the data models of the same apps
// (Knowledge.DataModels; their problems join the knowledge's).
func LoadKnowledge(apps []conf.App, now time.Time) *knowledge.Knowledge {
	k := knowledge.Load(apps, eval.NewContext(now), SearchCompiler(now))
	k.DataModels = datamodel.Load(apps)
	k.Problems = append(k.Problems, k.DataModels.Problems...)
	return k
}

// SearchCompiler compiles the search-language text of an event type into
// a test of one row, for time now.
func SearchCompiler(now time.Time) knowledge.SearchCompiler {
	return func(text string) (func(*value.Row) bool, error) { return exec.CompileSearch(text, now) }
}
