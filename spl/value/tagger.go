package value

// Tagger is a Source that can tell whether an event has a value of
// eventtype or tag for which a test is true without working out every
// event type: only those whose name (eventtype) or tags (tag) pass the
// test need evaluating. ok is false when the source cannot answer for
// the field; the caller then reads the field's values.
type Tagger interface {
	Tagged(field string, match func(string) bool) (has, ok bool)
}

// Tagged asks the row's source whether the event has a value of field
// (eventtype or tag) that passes match (Tagger), unless the row holds
// the field itself. ok is false when the source cannot answer.
func (r *Row) Tagged(field string, match func(string) bool) (has, ok bool) {
	if r.find(field) >= 0 {
		return false, false
	}
	if t, isTagger := r.src.(Tagger); isTagger {
		return t.Tagged(field, match)
	}
	return false, false
}
