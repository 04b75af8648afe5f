package knowledge

import (
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/value"
)

// Sourcetype is the knowledge of a set of apps as a search compiled for
// events of one sourcetype sees it: the fields the rules make, where
// their values come from, and what making them reads. It is the
// engine's FieldKnowledge (spl/engine), so that a search's fields can be
// followed from the engine into these rules by reading the code.
type Sourcetype struct {
	k       *Knowledge
	name    string
	derived func(string) bool
	origins func(string) (Origin, bool)
}

// Sourcetype returns the knowledge for searches over events of a
// sourcetype. A nil Knowledge gives a Sourcetype that makes no field.
func (k *Knowledge) Sourcetype(sourcetype string) *Sourcetype {
	if k == nil {
		return nil
	}
	return &Sourcetype{k: k, name: sourcetype, derived: k.Derived(sourcetype), origins: k.Sources(sourcetype)}
}

// Apply wraps the fields extracted from an event with the knowledge of
// the event's own sourcetype (Knowledge.Source): the rules a search was
// compiled for decide what it reads, each event's sourcetype what it gets.
func (s *Sourcetype) Apply(ev *event.Event, raw value.Source) value.Source {
	if s == nil {
		return raw
	}
	return s.k.Source(ev.Sourcetype, raw)
}

// Reusing returns Apply for one goroutine that makes every event's source
// in the same memory: what it returns is good only until its next call.
// It is for a caller that knows no event's fields are read past that (an
// event used up where it was read), and spares an allocation per event.
func (s *Sourcetype) Reusing() func(ev *event.Event, raw value.Source) value.Source {
	if s == nil {
		return func(_ *event.Event, raw value.Source) value.Source { return raw }
	}
	scratch := new(source)
	return func(ev *event.Event, raw value.Source) value.Source {
		return s.k.sourceIn(scratch, ev.Sourcetype, raw)
	}
}

// Derived reports whether the rules make a field, so that the raw text
// need not hold its value (Knowledge.Derived).
func (s *Sourcetype) Derived(field string) bool {
	return s != nil && s.derived(field)
}

// Origin tells which raw fields and constants a field's values can be,
// ok false where the rules do not show it (Knowledge.Sources).
func (s *Sourcetype) Origin(field string) (raw, consts []string, ok bool) {
	if s == nil {
		return []string{field}, nil, true
	}
	o, ok := s.origins(field)
	return o.Raw, o.Consts, ok
}

// NullUnlessGiven lists raw fields without any of which a field has no
// value, on an event whose values of the raw fields known tells are those
// (Knowledge.NullUnlessGiven).
func (s *Sourcetype) NullUnlessGiven(field string, known Known) ([]string, bool) {
	if s == nil {
		return []string{field}, true
	}
	return s.k.NullUnlessGiven(s.name)(field, known)
}

// ExactGiven is the raw field whose value a field has on every event whose
// values of the raw fields known tells are those (Knowledge.ExactGiven).
func (s *Sourcetype) ExactGiven(field string, known Known) (string, bool) {
	if s == nil {
		return field, true
	}
	return s.k.ExactGiven(s.name)(field, known)
}

// NullSources lists every raw field NullUnlessGiven can name for a field
// (Knowledge.NullSources).
func (s *Sourcetype) NullSources(field string) []string {
	if s == nil {
		return []string{field}
	}
	return s.k.NullSources(s.name)(field)
}

// Reads lists, sorted, every field the rules read (Knowledge.Reads).
func (s *Sourcetype) Reads() []string {
	if s == nil {
		return nil
	}
	return s.k.Reads(s.name)
}

// ReadsFor lists the fields the rules read to make the given ones
// (Knowledge.ReadsFor).
func (s *Sourcetype) ReadsFor(fields []string) []string {
	if s == nil {
		return nil
	}
	return s.k.ReadsFor(s.name, fields)
}

// LookupOrigin tells, of a field the lookups write, which raw fields and
// constants its values can be before the lookups, and through which
// lookup rows it can get a value accept takes; ok false where the rules do
// not show it (Knowledge.LookupSources).
func (s *Sourcetype) LookupOrigin(field string, accept func(string) bool) (raw, consts []string, rows []lookup.Via, ok bool) {
	if s == nil {
		return nil, nil, nil, false
	}
	o, rows, ok := s.k.LookupSources(s.name)(field, accept)
	return o.Raw, o.Consts, rows, ok
}
