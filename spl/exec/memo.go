package exec

import (
	"math/bits"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

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
	// at finds an answer by its field's ID (value.Field): the entry's
	// index plus one, 0 when the field was not read by ID yet. A read by
	// ID costs one index, not a scan of the names read before; reset
	// clears only the IDs its entries hold.
	at []uint8
	// named counts the answers kept for reads by name, which a read by
	// ID that misses must look through.
	named int
}

type memoEntry struct {
	name string
	v    value.Value
	ok   bool
	id   int32 // the ID at holds it under, -1 for none
}

// maxMemo bounds what one event remembers: past it, fields are asked of
// the source again. It fits fieldMemo.at's entries.
const maxMemo = 64

// maxMemoIDs bounds fieldMemo.at, which is as long as the highest ID
// read: a process that has numbered more names (one that compiled a
// great many searches) finds the fields of the later ones by name.
const maxMemoIDs = 4096

// Size is the memoized source's size and the memo's own.
func (m *fieldMemo) Size() int {
	n := 128 + 32*len(m.more) + len(m.at)
	if s, ok := m.src.(value.Sizer); ok {
		n += s.Size()
	}
	return n
}

func (m *fieldMemo) entry(i int) *memoEntry {
	if i < len(m.small) {
		return &m.small[i]
	}
	return &m.more[i-len(m.small)]
}

// find is the index of name's entry, or -1.
func (m *fieldMemo) find(name string) int {
	for i := 0; i < min(m.n, len(m.small)); i++ {
		if m.small[i].name == name {
			return i
		}
	}
	for i := range m.more {
		if m.more[i].name == name {
			return len(m.small) + i
		}
	}
	return -1
}

// store keeps the source's answer for name and returns its index, -1
// when the memo is full.
func (m *fieldMemo) store(name string, v value.Value, ok bool) int {
	switch {
	case m.n < len(m.small):
		m.small[m.n] = memoEntry{name, v, ok, -1}
	case m.n < maxMemo:
		m.more = append(m.more, memoEntry{name, v, ok, -1})
	default:
		return -1
	}
	m.n++
	return m.n - 1
}

func (m *fieldMemo) Field(name string) (value.Value, bool) {
	if i := m.find(name); i >= 0 {
		e := m.entry(i)
		return e.v, e.ok
	}
	v, ok := m.src.Field(name)
	if m.store(name, v, ok) >= 0 {
		m.named++
	}
	return v, ok
}

// FieldID is Field of f.Name, found by f's ID after its first read
// (value.IDSource); the source is asked by ID too when it can be.
func (m *fieldMemo) FieldID(f value.Field) (value.Value, bool) {
	id := int(f.ID)
	switch {
	case id < 0 || id >= maxMemoIDs:
		return m.Field(f.Name)
	case id < len(m.at):
		if j := m.at[id]; j > 0 {
			e := m.entry(int(j) - 1)
			return e.v, e.ok
		}
	default:
		m.at = append(m.at, make([]uint8, max(id+1, min(value.FieldIDs(), maxMemoIDs))-len(m.at))...)
	}
	// Not read by ID yet: maybe by name.
	i := -1
	if m.named > 0 {
		i = m.find(f.Name)
	}
	if i < 0 {
		var v value.Value
		var ok bool
		if s, isID := m.src.(value.IDSource); isID {
			v, ok = s.FieldID(f)
		} else {
			v, ok = m.src.Field(f.Name)
		}
		if i = m.store(f.Name, v, ok); i < 0 {
			return v, ok
		}
	}
	e := m.entry(i)
	e.id, m.at[id] = f.ID, uint8(i+1)
	return e.v, e.ok
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
	hint    int // answers the last event's memo held
	// spare is the memo of the worker's last event when nothing of that
	// event outlived its offer: the next event's, without an allocation.
	spare *fieldMemo
	// fields are the event fields the worker made for its event
	// (fieldMemos.fields), and spareFields the last event's when nothing
	// of it outlived its offer.
	fields, spareFields *event.Fields
	// needs are the needs made for the sets of plans that events let
	// through their pre-filters (fieldMemos.need), by set and the
	// variants of those that take BY fields straight (needSet's exact);
	// last is the key asked for last, whose need is lastNeed (lastOK):
	// most records of a pass of many plans reach the same few, and each
	// is asked for twice (by the reader, then by offer).
	needs    map[needKey]event.Need
	last     needKey
	lastNeed event.Need
	lastOK   bool
	// all has bit i set when reading[i] needs every field (allKnown: it
	// was worked out).
	all      uint64
	allKnown bool
	_        [64]byte // workers write their own: no shared cache line
}

// maxNeeds bounds the needs a worker keeps: past it, an event whose set
// of plans has none extracts what the pass needs.
const maxNeeds = 256

// need is what worker w extracts first from an event that the plans of
// reading read, those not filtered out by their raw pre-filters: the
// pass's need (pass), or, when that is every field, the union of the
// needs of the plans the event is for. In a pass of many detections one
// that outputs whole events needs every field, but the events that only
// others read (nearly all of them) need their few: a field outside them,
// when asked for, makes the event's Fields extract the rest, so the rows
// stay the same (event.Fields.Field). Not when the pass's need is
// narrower: the reader extracts that one while it validates the record;
// unless held, when the pass's skip let the record through on the worker
// and the reader asked for this need to extract (event.ScanOptions.NeedOf:
// the same Need, so that the event's Fields are those it extracted).
func (ms *fieldMemos) need(w int, pass event.Need, reading []*running, filtered []bool, held bool, exact []byKeyReq) event.Need {
	if !pass.All && !held || len(reading) < 2 || len(reading) > 64 {
		return pass
	}
	return ms.needSet(w, pass, reading, reachedMask(filtered), exact)
}

// needOf is need for the set of plans (bit i for reading[i]) the event
// reaches, which offer knows from the pre-filters' reports.
func (ms *fieldMemos) needOf(w int, pass event.Need, reading []*running, set uint64, held bool, exact []byKeyReq) event.Need {
	if !pass.All && !held || len(reading) < 2 || len(reading) > 64 {
		return pass
	}
	return ms.needSet(w, pass, reading, set, exact)
}

// needSet is the need of the plans in set, made once per worker and set
// of plans (bit i for reading[i]); pass when one of them needs every
// field. A plan of exact (the by-field gate's, for the record) whose BY
// fields the row takes straight from raw fields (byKeyExact) needs those
// fields for them, not what the knowledge reads to make them.
func (ms *fieldMemos) needSet(w int, pass event.Need, reading []*running, set uint64, exact []byKeyReq) event.Need {
	wm := &ms.workers[w]
	if !wm.allKnown {
		for i, r := range reading {
			if r.plan.need.All {
				wm.all |= 1 << i
			}
		}
		wm.allKnown = true
	}
	if set&wm.all != 0 {
		return pass
	}
	key, narrowed := needKey{set: set}, false
	if exact != nil {
		if k, ok := variantKey(set, exact); ok {
			key, narrowed = k, true
		}
	}
	if wm.lastOK && wm.last == key {
		return wm.lastNeed
	}
	if n, ok := wm.needs[key]; ok {
		wm.last, wm.lastNeed, wm.lastOK = key, n, true
		return n
	}
	if len(wm.needs) >= maxNeeds {
		return pass
	}
	n := event.Need{Names: map[string]bool{}}
	for i, r := range reading {
		if set>>i&1 == 0 {
			continue
		}
		if subs := substitutions(exact, i); narrowed && subs != nil {
			n.Add(r.plan.needWithout(subs))
		} else {
			n.Add(r.plan.need)
		}
	}
	n = n.Compile()
	if wm.needs == nil {
		wm.needs = map[needKey]event.Need{}
	}
	wm.needs[key] = n
	return n
}

// nextReached is the first plan from i on that an event reaches, by the
// pre-filters' reports (filtered), len(filtered) when none: found in set
// (bit i for plan i) when few (64 plans or fewer), so that an event of a
// pass of many plans costs nothing for the plans it does not reach.
func nextReached(i int, set uint64, filtered []bool, few bool) int {
	if few {
		rest := set >> i
		if rest == 0 {
			return len(filtered)
		}
		return i + bits.TrailingZeros64(rest)
	}
	for i < len(filtered) && filtered[i] {
		i++
	}
	return i
}

func newFieldMemos(workers int, reuse bool) *fieldMemos {
	return &fieldMemos{reuse: reuse, workers: make([]workerMemo, max(workers, 1))}
}

// get returns worker w's memo of an event's source.
func (ms *fieldMemos) get(w int, src value.Source) *fieldMemo {
	wm := &ms.workers[w]
	if ms.reuse {
		return wm.scratch.reset(src)
	}
	if m := wm.spare; m != nil {
		wm.spare = nil
		return m.reset(src)
	}
	m := &fieldMemo{src: src}
	if n := wm.hint - len(m.small); n > 0 {
		m.more = make([]memoEntry, 0, n)
	}
	return m
}

// fields returns worker w's fields of ev for need, in the memory of its
// last event's when nothing of that event outlived its offer.
func (ms *fieldMemos) fields(w int, ev *event.Event, need event.Need) *event.Fields {
	wm := &ms.workers[w]
	if wm.spareFields == nil {
		wm.spareFields = new(event.Fields)
	}
	f := event.NewFieldsIn(wm.spareFields, ev, need)
	wm.fields = nil
	if f == wm.spareFields {
		// Made here, not the reader's (which it may reuse itself).
		wm.spareFields, wm.fields = nil, f
	}
	return f
}

// reset makes m a memo of src that remembers nothing, keeping its memory.
func (m *fieldMemo) reset(src value.Source) *fieldMemo {
	for i := range m.n {
		if id := m.entry(i).id; id >= 0 {
			m.at[id] = 0
		}
	}
	// Hold nothing of the last event: past their lengths the lists hold
	// nothing already, as every reset clears what they held.
	clear(m.more)
	clear(m.kept)
	more, kept, at := m.more[:0], m.kept[:0], m.at
	*m = fieldMemo{src: src, more: more, kept: kept, at: at}
	return m
}

// done notes what worker w's memo m (nil for none) held once the worker
// was done with its event; escaped is true when a row of the event went
// on to the ordered goroutine, which reads m later. Otherwise m, and the
// event's fields, serve the worker's next event.
func (ms *fieldMemos) done(w int, m *fieldMemo, escaped bool) {
	wm := &ms.workers[w]
	if !escaped && wm.fields != nil {
		wm.spareFields = wm.fields
	}
	wm.fields = nil
	if ms.reuse || m == nil {
		return
	}
	wm.hint = min(m.n, maxMemo)
	if !escaped {
		m.reset(nil)
		wm.spare = m
	}
}

// needKey is a set of plans, and the variants (byKeyReq.variant) of the
// by-field gate's substitutions of up to four of them, 16 bits each.
type needKey struct {
	set, variants uint64
}

// variantKey is the key of set with the substitutions of exact for plans
// in set; ok is false when there are none, or more than four.
func variantKey(set uint64, exact []byKeyReq) (needKey, bool) {
	k, n := needKey{set: set}, 0
	for _, req := range exact {
		if req.variant == 0 || set>>req.plan&1 == 0 {
			continue
		}
		if n == 4 {
			return needKey{}, false
		}
		k.variants |= uint64(req.variant) << (16 * n)
		n++
	}
	return k, n > 0
}

// substitutions are exact's substitutions for plan i, nil for none.
func substitutions(exact []byKeyReq, i int) []byKeyExact {
	for _, req := range exact {
		if req.plan == i && req.variant != 0 {
			return req.exact
		}
	}
	return nil
}
