package knowledge

import (
	"sort"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// tagSource is one tag and what can give it to an event: the event
// types that carry it (by index in Knowledge.eventtypes) and the
// field=value pairs of tags.conf that do.
type tagSource struct {
	tag         string
	eventtypes  []int
	fieldValues []fieldValue
}

type fieldValue struct{ field, value string }

// indexTags builds k.tagIndex from the event types and field tags, so
// that tag=X evaluates only the event types that carry X.
func (k *Knowledge) indexTags() {
	byTag := map[string]*tagSource{}
	get := func(t string) *tagSource {
		if byTag[t] == nil {
			byTag[t] = &tagSource{tag: t}
		}
		return byTag[t]
	}
	for i, et := range k.eventtypes {
		for _, t := range et.tags {
			ts := get(t)
			if len(ts.eventtypes) == 0 || ts.eventtypes[len(ts.eventtypes)-1] != i {
				ts.eventtypes = append(ts.eventtypes, i)
			}
		}
	}
	for fv, tags := range k.fieldTags {
		field, val, _ := strings.Cut(fv, "=")
		for _, t := range tags {
			ts := get(t)
			ts.fieldValues = append(ts.fieldValues, fieldValue{field, val})
		}
	}
	k.tagIndex = make([]*tagSource, 0, len(byTag))
	for _, ts := range byTag {
		sort.Slice(ts.fieldValues, func(i, j int) bool {
			a, b := ts.fieldValues[i], ts.fieldValues[j]
			return a.field+"="+a.value < b.field+"="+b.value
		})
		k.tagIndex = append(k.tagIndex, ts)
	}
	sort.Slice(k.tagIndex, func(i, j int) bool { return k.tagIndex[i].tag < k.tagIndex[j].tag })
}

// The states of an event type for one event: not evaluated yet, the
// event is of the type, it is not.
const (
	etUnknown uint8 = iota
	etIn
	etOut
)

// inEventtype reports whether the event is of event type i, evaluating
// its search on first use only: every plan and data model dataset that
// reads the event shares the answer.
func (s *source) inEventtype(i int) bool {
	if s.etState == nil {
		s.etState = make([]uint8, len(s.k.eventtypes))
	}
	switch s.etState[i] {
	case etIn:
		return true
	case etOut:
		return false
	}
	if s.etGate != nil && !s.etGate(i) {
		s.etState[i] = etOut
		return false
	}
	in := s.k.eventtypes[i].match(s.finalRow())
	s.etState[i] = etOut
	if in {
		s.etState[i] = etIn
	}
	return in
}

// SetEventtypeGate makes the event's source ask mayMatch(i) before it
// evaluates event type i (by its index in Knowledge.EventtypeSearches),
// until it is set to nil: false rules the event type out at once. The
// caller promises that mayMatch is false only for event types whose
// search cannot match the event, as the raw pre-filter of the search
// shows from the event's text; the answers are then those of evaluating
// every search, for less.
func (s *source) SetEventtypeGate(mayMatch func(i int) bool) { s.etGate = mayMatch }

// EventtypeSearches lists the searches of the event types, in the order
// the knowledge evaluates them (by priority, then name): the index of a
// search here is the one SetEventtypeGate's function is asked about.
func (k *Knowledge) EventtypeSearches() []string {
	if k == nil {
		return nil
	}
	out := make([]string, len(k.eventtypes))
	for i, et := range k.eventtypes {
		out[i] = et.search
	}
	return out
}

// EventtypeSearches is Knowledge.EventtypeSearches.
func (s *Sourcetype) EventtypeSearches() []string {
	if s == nil {
		return nil
	}
	return s.k.EventtypeSearches()
}

// finalRow is the event's fields after every props.conf step, which
// event types and field tags read.
func (s *source) finalRow() *value.Row {
	if s.etRow == nil {
		s.etRow = value.NewRow(&s.layers[3])
	}
	return s.etRow
}

// Tagged reports whether the event has an event type (field eventtype)
// or a tag (field tag) for which match is true, evaluating only the
// event types that can give such a value (value.Tagger). The answer is
// the one the field's values give: a tag comes from a matching event
// type that carries it, or from a field=value pair of tags.conf.
func (s *source) Tagged(field string, match func(string) bool) (bool, bool) {
	switch field {
	case "eventtype":
		for i, et := range s.k.eventtypes {
			if match(et.name) && s.inEventtype(i) {
				return true, true
			}
		}
		return false, true
	case "tag":
		for _, ts := range s.k.tagIndex {
			if !match(ts.tag) {
				continue
			}
			for _, i := range ts.eventtypes {
				if s.inEventtype(i) {
					return true, true
				}
			}
			for _, fv := range ts.fieldValues {
				for _, v := range s.finalRow().Get(fv.field).Values() {
					if v == fv.value {
						return true, true
					}
				}
			}
		}
		return false, true
	}
	return false, false
}

// TagSearches lists the searches of the event types that can give an
// event a value of field (eventtype or tag) for which match is true: the
// event has such a value only when one of them matches it. ok is false
// when something else can give the value (a field=value pair of
// tags.conf) or the field is another.
func (k *Knowledge) TagSearches(field string, match func(string) bool) (searches []string, ok bool) {
	if k == nil {
		return nil, false
	}
	switch field {
	case "eventtype":
		for _, et := range k.eventtypes {
			if match(et.name) {
				searches = append(searches, et.search)
			}
		}
		return searches, true
	case "tag":
		seen := map[int]bool{}
		for _, ts := range k.tagIndex {
			if !match(ts.tag) {
				continue
			}
			if len(ts.fieldValues) > 0 {
				return nil, false
			}
			for _, i := range ts.eventtypes {
				if !seen[i] {
					seen[i] = true
					searches = append(searches, k.eventtypes[i].search)
				}
			}
		}
		return searches, true
	}
	return nil, false
}

// TagSearches is Knowledge.TagSearches.
func (s *Sourcetype) TagSearches(field string, match func(string) bool) ([]string, bool) {
	if s == nil {
		return nil, false
	}
	return s.k.TagSearches(field, match)
}
