package value

import "sync"

// Field is a field name resolved once, when a search is compiled, for the
// readers that ask for it on every event (a base search's terms, stats'
// BY and function fields): ID numbers the name in this process, so that a
// source that keeps what it answered (an event's memo, the knowledge's
// rules) finds it by index instead of comparing names (IDSource). ID is
// -1 when the names numbered reached maxFieldIDs: such a Field reads by
// name.
type Field struct {
	Name string
	ID   int32
}

// maxFieldIDs bounds the names numbered: the names a process compiles
// searches with are few, but a fuzzer compiles a great many.
const maxFieldIDs = 1 << 14

var fieldIDs struct {
	sync.Mutex
	ids map[string]int32
	n   int32
}

// FieldOf returns name's Field, numbering the name on first use.
func FieldOf(name string) Field {
	fieldIDs.Lock()
	defer fieldIDs.Unlock()
	if id, ok := fieldIDs.ids[name]; ok {
		return Field{name, id}
	}
	if fieldIDs.n >= maxFieldIDs {
		return Field{name, -1}
	}
	if fieldIDs.ids == nil {
		fieldIDs.ids = map[string]int32{}
	}
	id := fieldIDs.n
	fieldIDs.ids[name] = id
	fieldIDs.n++
	return Field{name, id}
}

// FieldsOf is FieldOf of each name.
func FieldsOf(names []string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = FieldOf(n)
	}
	return out
}

// FieldIDs is the number of names numbered so far: every Field's ID is
// below it.
func FieldIDs() int {
	fieldIDs.Lock()
	defer fieldIDs.Unlock()
	return int(fieldIDs.n)
}

// IDSource is a Source that reads a field by its Field, giving what Field
// gives for its name.
type IDSource interface {
	Source
	FieldID(f Field) (Value, bool)
}

// GetField is Get of f.Name, read by f's ID where the source can
// (IDSource).
func (r *Row) GetField(f Field) Value {
	if len(r.names) > 0 {
		if i := r.find(f.Name); i >= 0 {
			return r.values[i]
		}
	}
	if r.src == nil {
		return NullValue
	}
	var v Value
	var ok bool
	if s, isID := r.src.(IDSource); isID && f.ID >= 0 {
		v, ok = s.FieldID(f)
	} else {
		v, ok = r.src.Field(f.Name)
	}
	if ok {
		return v
	}
	return NullValue
}
