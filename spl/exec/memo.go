package exec

import "github.com/splharness/splharness/spl/value"

// fieldMemo remembers what an event's source answered for each field
// asked of it. A field is read by the base search, again by the stages in
// the ordered goroutine, and by every plan of a story; behind the source
// are the knowledge layers and the JSON fields, which cost far more than a
// look here. An event's fields never change, so the answers stay true.
type fieldMemo struct {
	src   value.Source
	kept  []keptValue // values the plans share (shared)
	n     int
	small [4]memoEntry // the first answers, without another allocation
	more  []memoEntry
}

type memoEntry struct {
	name string
	v    value.Value
	ok   bool
}

// maxMemo bounds what one event remembers: past it, fields are asked of
// the source again.
const maxMemo = 64

// Size is the memoized source's size and the memo's own.
func (m *fieldMemo) Size() int {
	n := 128 + 32*len(m.more)
	if s, ok := m.src.(value.Sizer); ok {
		n += s.Size()
	}
	return n
}

func (m *fieldMemo) Field(name string) (value.Value, bool) {
	for i := 0; i < min(m.n, len(m.small)); i++ {
		if e := &m.small[i]; e.name == name {
			return e.v, e.ok
		}
	}
	for i := range m.more {
		if e := &m.more[i]; e.name == name {
			return e.v, e.ok
		}
	}
	v, ok := m.src.Field(name)
	switch {
	case m.n < len(m.small):
		m.small[m.n] = memoEntry{name, v, ok}
	case m.n < maxMemo:
		m.more = append(m.more, memoEntry{name, v, ok})
	default:
		return v, ok
	}
	m.n++
	return v, ok
}

func (m *fieldMemo) Each(fn func(string, value.Value)) { m.src.Each(fn) }

// Tagged passes the question to the source, which keeps event type
// membership itself, shared by every plan that reads the event.
func (m *fieldMemo) Tagged(field string, match func(string) bool) (bool, bool) {
	if t, ok := m.src.(value.Tagger); ok {
		return t.Tagged(field, match)
	}
	return false, false
}

type keptValue struct {
	key, value any
}

// shared returns the value kept under key for this event, made by make
// on first use: state that every plan of the pass reading the event
// shares (a data model's decided datasets, dmView.shared).
func (m *fieldMemo) shared(key any, make func() any) any {
	for _, k := range m.kept {
		if k.key == key {
			return k.value
		}
	}
	v := make()
	m.kept = append(m.kept, keptValue{key, v})
	return v
}

// fieldMemos makes the memos of the events the workers offer. When every
// plan uses each event up on its worker (usedUp), each worker has one memo
// that every event it offers reuses; otherwise each event gets its own,
// read again by the ordered goroutine, with room for as many answers as
// the worker's last event's memo held.
type fieldMemos struct {
	reuse   bool
	workers []workerMemo
}

type workerMemo struct {
	scratch fieldMemo
	hint    int      // answers the last event's memo held
	_       [64]byte // workers write their own: no shared cache line
}

func newFieldMemos(workers int, reuse bool) *fieldMemos {
	return &fieldMemos{reuse: reuse, workers: make([]workerMemo, max(workers, 1))}
}

// get returns worker w's memo of an event's source; used says the event
// is used up on the worker (ScanOptions.ConsumedOf), so that the worker's
// one memo may serve it though the pass's events are not all.
func (ms *fieldMemos) get(w int, src value.Source, used bool) *fieldMemo {
	wm := &ms.workers[w]
	if ms.reuse || used {
		m := &wm.scratch
		more, kept := m.more[:0], m.kept[:0]
		clear(m.more[:cap(m.more)]) // hold nothing of the last event
		clear(m.kept[:cap(m.kept)])
		*m = fieldMemo{src: src, more: more, kept: kept}
		return m
	}
	m := &fieldMemo{src: src}
	if n := wm.hint - len(m.small); n > 0 {
		m.more = make([]memoEntry, 0, n)
	}
	return m
}

// done notes what worker w's memo m held once the worker was done with
// its event.
func (ms *fieldMemos) done(w int, m *fieldMemo) {
	if m != &ms.workers[w].scratch {
		ms.workers[w].hint = min(m.n, maxMemo)
	}
}
