package value

// Source supplies fields lazily: an event's extracted fields, computed only
// when a stage asks for them.
type Source interface {
	// Field returns the named field, ok false when the event has none.
	Field(name string) (v Value, ok bool)
	// Each calls fn for every field, in extraction order. It extracts all
	// fields, so it is for commands that need them all (table with
	// wildcards, output of whole events).
	Each(fn func(name string, v Value))
}

// Row is one event or result: fields in order. A row made from an event
// reads its fields through a Source on first use; fields set, renamed or
// removed by the pipeline are kept in the row itself and take precedence.
type Row struct {
	names  []string
	values []Value // NullValue marks a field removed from the source
	index  map[string]int
	src    Source
}

// indexAt is the number of own fields past which a map index is kept:
// small rows (stats results) are faster to scan.
const indexAt = 16

// Sizer is a Source that can estimate the memory it holds, for the
// memory budget of a search (max_mem_usage_mb).
type Sizer interface {
	Size() int
}

// rowFieldOverhead estimates the memory of one field beyond its name and
// value bytes: its entries in the names and values slices (a Value is
// about 64 bytes) and the string's allocation.
const rowFieldOverhead = 96

// Size estimates the memory the row holds: its own fields, and its
// source's when the source can tell (an event's text). It is an estimate
// for budgets, not an exact count.
func (r *Row) Size() int {
	n := 160 // the Row itself and its slice headers
	for i, name := range r.names {
		n += rowFieldOverhead + len(name) + r.values[i].size()
	}
	if s, ok := r.src.(Sizer); ok {
		n += s.Size()
	}
	return n
}

// NewRow returns an empty row reading missing fields from src (may be nil).
func NewRow(src Source) *Row { return &Row{src: src} }

// Reset makes r an empty row reading from src, as NewRow does, without
// allocating: for a row that its owner knows nobody holds any more. It
// keeps nothing of r's fields, so values read from r before stay intact.
func (r *Row) Reset(src Source) { *r = Row{src: src} }

// Recycle is Reset that keeps the memory of r's field lists for the
// fields set next: for a row whose owner knows that nobody holds it, nor
// a list of its names, any more. Values read from r before stay intact.
func (r *Row) Recycle(src Source) {
	names, values := r.names[:0], r.values[:0]
	clear(r.values[:cap(r.values)]) // hold no value of the last row's
	*r = Row{names: names, values: values, src: src}
}

func (r *Row) find(name string) int {
	if r.index != nil {
		if i, ok := r.index[name]; ok {
			return i
		}
		return -1
	}
	for i, n := range r.names {
		if n == name {
			return i
		}
	}
	return -1
}

// Get returns the named field's value, null when absent.
func (r *Row) Get(name string) Value {
	if i := r.find(name); i >= 0 {
		return r.values[i]
	}
	if r.src != nil {
		if v, ok := r.src.Field(name); ok {
			return v
		}
	}
	return NullValue
}

// Has reports whether the row has the field with a value.
func (r *Row) Has(name string) bool { return !r.Get(name).IsNull() }

// Set sets a field; setting null removes it. A booleans is stored as its
// text, since fields hold no booleans.
func (r *Row) Set(name string, v Value) {
	if v.kind == Bool {
		v = Str(v.String())
	}
	if i := r.find(name); i >= 0 {
		r.values[i] = v
		return
	}
	if v.IsNull() && (r.src == nil || !r.srcHas(name)) {
		return
	}
	r.names = append(r.names, name)
	r.values = append(r.values, v)
	if r.index != nil {
		r.index[name] = len(r.names) - 1
	} else if len(r.names) > indexAt {
		r.index = make(map[string]int, len(r.names)*2)
		for i, n := range r.names {
			r.index[n] = i
		}
	}
}

func (r *Row) srcHas(name string) bool {
	_, ok := r.src.Field(name)
	return ok
}

// Delete removes a field.
func (r *Row) Delete(name string) { r.Set(name, NullValue) }

// Each calls fn for every field with a value: the source's fields first, in
// their order (with the row's changes applied in place), then fields the
// pipeline added, in the order they were added.
func (r *Row) Each(fn func(name string, v Value)) {
	if r.src != nil {
		r.src.Each(func(name string, v Value) {
			if i := r.find(name); i >= 0 {
				if !r.values[i].IsNull() {
					fn(name, r.values[i])
				}
				return
			}
			fn(name, v)
		})
	}
	for i, n := range r.names {
		if r.values[i].IsNull() || r.src != nil && r.srcHas(n) {
			continue
		}
		fn(n, r.values[i])
	}
}

// Names returns the names of the fields with a value, in Each order.
func (r *Row) Names() []string {
	var out []string
	r.Each(func(name string, _ Value) { out = append(out, name) })
	return out
}

// Clone returns a copy whose own fields can change independently; the
// source is shared.
func (r *Row) Clone() *Row {
	c := &Row{
		names:  append([]string(nil), r.names...),
		values: append([]Value(nil), r.values...),
		src:    r.src,
	}
	if r.index != nil {
		c.index = make(map[string]int, len(r.index))
		for k, v := range r.index {
			c.index[k] = v
		}
	}
	return c
}

// Materialize copies every source field into the row and drops the source,
// so that the row no longer depends on the event (for commands that keep
// rows, such as sort).
func (r *Row) Materialize() {
	if r.src == nil {
		return
	}
	own := &Row{}
	r.Each(func(name string, v Value) { own.Set(name, v) })
	*r = *own
}
