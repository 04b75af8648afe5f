package event

import (
	"hash/maphash"
	"maps"
	"strconv"
	"strings"
	"sync"

	"github.com/splharness/splharness/spl/value"
)

// Need says which fields a search reads, so that extraction skips the
// rest. The zero Need extracts nothing until a field is asked for, and
// then everything.
type Need struct {
	// All extracts every field (table *, whole-event output).
	All bool
	// Names are fields read by name.
	Names map[string]bool
	// Prefixes are name prefixes read by a wildcard: "requestParameters."
	// for requestParameters.*.
	Prefixes []string

	m *matcher // set by Compile
}

// Compile prepares n for many events: it returns a Need that also knows
// which JSON objects and arrays can hold a needed field, so extraction
// skips the others without tracking their names. Call it once per search.
func (n Need) Compile() Need {
	if n.All {
		return n
	}
	m := &matcher{names: n.Names, prefixes: n.Prefixes, containers: map[string]bool{}, byLen: &byLen{}}
	for name := range n.Names {
		m.nameLens |= lenBit(len(name))
		addByLen(&m.byLen.names, name)
		for i := 0; i < len(name); i++ {
			if name[i] == '.' || name[i] == '{' {
				if !m.containers[name[:i]] {
					addByLen(&m.byLen.containers, name[:i])
				}
				m.containers[name[:i]] = true
				m.containerLens |= lenBit(i)
			}
		}
	}
	for l, names := range m.byLen.names {
		for _, name := range names {
			m.byLen.heads[l] = append(m.byLen.heads[l], head(name))
		}
	}
	n.m = m
	return n
}

// head is the first 8 bytes of a name, little-endian, zero beyond a
// shorter one: names of one length differ in it as a rule, so that a
// path is told from them by a comparison of words (matcher.leafName).
func head[T string | []byte](s T) uint64 {
	if len(s) >= 8 {
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	var h uint64
	for i := len(s) - 1; i >= 0; i-- {
		h = h<<8 | uint64(s[i])
	}
	return h
}

// addByLen files a name under its length, when shorter than 63 bytes
// (longer ones are looked up in the map).
func addByLen(byLen *[63][]string, name string) {
	if len(name) < len(byLen) {
		byLen[len(name)] = append(byLen[len(name)], name)
	}
}

// inByLen reports whether path is one of names, filed by length in byLen,
// or, when longer than byLen holds, a key of names.
func inByLen(byLen *[63][]string, names map[string]bool, path []byte) bool {
	if len(path) >= len(byLen) {
		return names[string(path)]
	}
	for _, n := range byLen[len(path)] {
		if string(path) == n {
			return true
		}
	}
	return false
}

// lenBit is the bit of a name length in a matcher's length masks; names
// of 63 bytes and more share the last bit.
func lenBit(n int) uint64 { return 1 << min(n, 63) }

// covers reports whether the Need asks for the field.
func (n *Need) covers(name string) bool {
	if n.All || n.Names[name] {
		return true
	}
	for _, p := range n.Prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// matcher selects the leaves a scan reports.
type matcher struct {
	names    map[string]bool
	prefixes []string
	// containers are the paths of objects and arrays that can hold a
	// named field; nil means every container is entered.
	containers map[string]bool
	// nameLens and containerLens have a bit for the length of each name
	// and container path, so most paths are turned down at once.
	nameLens, containerLens uint64
	// byLen files the names and container paths by length: a path is
	// compared with the few of its length rather than hashed for a map,
	// once per JSON key of every event. Set by Compile; else only the
	// maps are.
	byLen *byLen
}

type byLen struct {
	names, containers [63][]string
	// heads holds the head of each of names, in the same order.
	heads [63][]uint64
}

func (m *matcher) leaf(path []byte) bool {
	if m.byLen == nil {
		if m.names[string(path)] {
			return true
		}
	} else if m.nameLens&lenBit(len(path)) != 0 && inByLen(&m.byLen.names, m.names, path) {
		return true
	}
	for _, p := range m.prefixes {
		if len(path) >= len(p) && string(path[:len(p)]) == p {
			return true
		}
	}
	return false
}

// leafName is leaf that also gives, for a path the need names exactly
// (not by a prefix), the need's own string for it: a name for the field
// without a copy or a look-up (scanner.named).
func (m *matcher) leafName(path []byte) (string, bool) {
	if m.byLen == nil || len(path) >= len(m.byLen.names) {
		return "", m.leaf(path)
	}
	if m.nameLens&lenBit(len(path)) != 0 {
		h, names := head(path), m.byLen.names[len(path)]
		for j, nh := range m.byLen.heads[len(path)] {
			if nh == h && (len(path) <= 8 || string(path[8:]) == names[j][8:]) {
				return names[j], true
			}
		}
	}
	for _, p := range m.prefixes {
		if len(path) >= len(p) && string(path[:len(p)]) == p {
			return "", true
		}
	}
	return "", false
}

func (m *matcher) container(path []byte) bool {
	if m.containers == nil || m.containerLens&lenBit(len(path)) != 0 && inByLen(&m.byLen.containers, m.containers, path) {
		return true
	}
	for _, p := range m.prefixes {
		n := min(len(p), len(path))
		if string(path[:n]) == p[:n] {
			return true
		}
	}
	return false
}

// sink receives the leaves a scan reports.
type sink interface {
	leaf(sc *scanner, k leafKind, start, end int, esc bool)
}

// field is one extracted field: its first value, and all its values when
// it has several.
type field struct {
	name string
	val  string
	more int32 // index into Fields.mv, -1 for a single value
}

// smallFields is the number of fields up to which lookups scan the list
// rather than a hash table: a Need usually names a handful.
const smallFields = 8

var seed = maphash.MakeSeed()

// Fields is the search-time view of one event: the default fields, and
// the fields KV_MODE=json extracts from _raw (docs/semantics-events.md,
// "Default fields" and "KV_MODE=json flattening"), extracted on first use
// and only as far as the Need asks. It implements
// value.Source. A Fields is not safe for concurrent use.
type Fields struct {
	ev     *Event
	need   Need
	cutoff int
	mt     matcher // the matcher of an uncompiled Need

	level uint8 // what is extracted: levelNone, levelNeed or levelAll
	list  []field
	mv    [][]string
	table []int32 // open addressing over list: index+1, 0 empty
	scans int     // JSON scans run, for tests

	ts     stamp
	tsDone bool
	dates  *[8]string

	small [4]field // list's first backing array
	buf   []byte
}

const (
	levelNone uint8 = iota
	levelNeed
	levelAll
)

// NewFields returns the fields of ev for a search that reads need, from
// the first bytes of the event its reader's Options.ExtractionCutoff
// names. Nothing is extracted until a field is asked for.
func NewFields(ev *Event, need Need) *Fields {
	return NewFieldsCutoff(ev, need, ev.extractionCutoff())
}

// NewFieldsCutoff is NewFields with another extraction cutoff (limits.conf
// [spath] extraction_cutoff); cutoff <= 0 extracts from the whole event.
func NewFieldsCutoff(ev *Event, need Need, cutoff int) *Fields {
	if f := takePre(ev, need, cutoff); f != nil {
		return f
	}
	f := &Fields{ev: ev, need: need, cutoff: cutoff}
	f.list = f.small[:0]
	if !need.All && need.m == nil {
		f.mt = matcher{names: need.Names, prefixes: need.Prefixes}
	}
	return f
}

// NewFieldsIn is NewFields made in f, a Fields whose event nobody reads
// any more, keeping the memory of its field lists; a nil f is a new one.
// When the reader extracted ev's fields for need while validating, it
// returns those, as NewFields does, and f stays unused.
func NewFieldsIn(f *Fields, ev *Event, need Need) *Fields {
	cutoff := ev.extractionCutoff()
	if p := takePre(ev, need, cutoff); p != nil {
		return p
	}
	if f == nil {
		return NewFieldsCutoff(ev, need, cutoff)
	}
	list, mv, buf := f.list, f.mv, f.buf
	clear(list[:cap(list)]) // hold nothing of the last event
	clear(mv[:cap(mv)])
	*f = Fields{ev: ev, need: need, cutoff: cutoff, buf: buf[:0]}
	if cap(list) > len(f.small) {
		f.list, f.mv = list[:0], mv[:0]
	} else {
		f.list = f.small[:0]
	}
	if !need.All && need.m == nil {
		f.mt = matcher{names: need.Names, prefixes: need.Prefixes}
	}
	return f
}

// Size estimates the memory the fields hold: the event's text, which the
// extracted values share, and a header per field.
func (f *Fields) Size() int { return 256 + len(f.ev.Raw) + 64*len(f.list) }

// Field returns a field by name: a default field without parsing _raw,
// else an extracted JSON field. One value is a string, several a
// multivalue.
func (f *Fields) Field(name string) (value.Value, bool) {
	if maybeDefault(name) { // defaultField's frame costs more than the test
		if v, ok, isDefault := f.defaultField(name); isDefault {
			return v, ok
		}
	}
	i := -1
	if f.level != levelNone {
		// A field extracted at any level has all its values: only one
		// not found may need more extracted.
		i = f.find(name)
	}
	if i < 0 && f.level != levelAll {
		if f.level == levelNeed && f.need.covers(name) {
			// The need's fields are all extracted: the record has none
			// of this name. In the 59 ESCU CloudTrail detections' pass,
			// an assumed role's userIdentity.userName, 359,070 times.
			return value.NullValue, false
		}
		f.extractFor(name)
		i = f.find(name)
	}
	if i < 0 {
		return value.NullValue, false
	}
	// Each return builds its value in place: through f.value the value
	// was built, copied and copied again, and read back before its
	// stores were done.
	fl := &f.list[i]
	if fl.more < 0 {
		return value.Str(fl.val), true
	}
	return value.MV(f.mv[fl.more]), true
}

// Each calls fn for every field: the default fields, then the JSON fields
// in the order they first appear in _raw. A JSON field named like a
// default field is hidden by it.
func (f *Fields) Each(fn func(name string, v value.Value)) {
	for _, name := range defaultNames {
		if v, ok, _ := f.defaultField(name); ok {
			fn(name, v)
		}
	}
	f.EachJSON(func(name string, v value.Value) {
		if !isDefaultName(name) {
			fn(name, v)
		}
	})
}

// EachJSON calls fn for every field extracted from _raw, in the order
// they first appear, including any named like a default field (for spath,
// which sets them all).
func (f *Fields) EachJSON(fn func(name string, v value.Value)) {
	f.extractAll()
	for i := range f.list {
		fn(f.list[i].name, f.value(i))
	}
}

// defaultNames lists the default fields in the order Each gives them.
var defaultNames = []string{
	"_raw", "_time", "index", "source", "sourcetype", "host", "linecount", "splunk_server",
	"date_second", "date_minute", "date_hour", "date_mday", "date_month", "date_year",
	"date_wday", "date_zone", "timestartpos", "timeendpos",
}

func isDefaultName(name string) bool {
	_, _, ok := defaultKind(name)
	return ok
}

// defaultShapes has bit n of entry c set when a default field's name is
// n bytes long (all are shorter than 16) and begins with c: a name of
// another shape is no default field, told without comparing it with
// them (Field asks it of every name a search reads).
var defaultShapes = func() (t [256]uint16) {
	for _, n := range defaultNames {
		t[n[0]] |= 1 << len(n)
	}
	return t
}()

// maybeDefault reports whether name has the shape of a default field's.
func maybeDefault(name string) bool {
	return len(name) > 0 && len(name) < 16 && defaultShapes[name[0]]>>len(name)&1 != 0
}

// defaultKind classifies a default field name: date is which date_* field
// (an index into Fields.dates) or -1, pos is true for timestartpos and
// timeendpos, ok false for a name that is no default field.
func defaultKind(name string) (date int, pos bool, ok bool) {
	if !maybeDefault(name) {
		return -1, false, false
	}
	switch name {
	case "_raw", "_time", "index", "source", "sourcetype", "host", "linecount", "splunk_server":
		return -1, false, true
	case "timestartpos", "timeendpos":
		return -1, true, true
	case "date_second":
		return 0, false, true
	case "date_minute":
		return 1, false, true
	case "date_hour":
		return 2, false, true
	case "date_mday":
		return 3, false, true
	case "date_month":
		return 4, false, true
	case "date_year":
		return 5, false, true
	case "date_wday":
		return 6, false, true
	case "date_zone":
		return 7, false, true
	}
	return -1, false, false
}

// defaultField returns a default field; isDefault is false for other
// names.
func (f *Fields) defaultField(name string) (v value.Value, ok, isDefault bool) {
	if !maybeDefault(name) {
		return value.NullValue, false, false
	}
	ev := f.ev
	nonEmpty := func(s string) (value.Value, bool, bool) {
		if s == "" {
			return value.NullValue, false, true
		}
		return value.Str(s), true, true
	}
	switch name {
	case "_raw":
		return value.Str(ev.Raw), true, true
	case "_time":
		return value.Num(ev.Time), true, true
	case "index":
		return nonEmpty(ev.Index)
	case "source":
		return nonEmpty(ev.Source)
	case "sourcetype":
		return nonEmpty(ev.Sourcetype)
	case "host":
		return nonEmpty(ev.Host)
	case "linecount":
		return value.Str(strconv.Itoa(strings.Count(ev.Raw, "\n") + 1)), true, true
	case "splunk_server":
		return value.Str(SplunkServer), true, true
	}
	d, pos, isDef := defaultKind(name)
	if !isDef {
		return value.NullValue, false, false
	}
	ts := f.stamp()
	if !ts.found {
		return value.NullValue, false, true
	}
	if pos {
		if name == "timestartpos" {
			return value.Str(strconv.Itoa(ts.start)), true, true
		}
		return value.Str(strconv.Itoa(ts.end)), true, true
	}
	if f.dates == nil {
		f.dates = dateFields(ts)
	}
	return value.Str(f.dates[d]), true, true
}

// stamp returns where the event's timestamp is, finding it in _raw for an
// event that Read did not make.
func (f *Fields) stamp() stamp {
	if f.ev.tsSet {
		return f.ev.ts
	}
	if !f.tsDone {
		f.tsDone = true
		f.ts, _ = findStamp(f.ev.Raw, defaultStampFinder(f.ev.Sourcetype), f.ev.Sourcetype == cloudtrail)
	}
	return f.ts
}

func (f *Fields) value(i int) value.Value {
	fl := &f.list[i]
	if fl.more < 0 {
		return value.Str(fl.val)
	}
	return value.MV(f.mv[fl.more])
}

// extractFor makes sure the named field is extracted if _raw has it.
func (f *Fields) extractFor(name string) {
	switch f.level {
	case levelNone:
		if f.need.covers(name) && !f.need.All {
			f.extract(levelNeed)
		} else {
			f.extract(levelAll)
		}
	case levelNeed:
		if !f.need.covers(name) {
			f.extract(levelAll)
		}
	}
}

func (f *Fields) extractAll() {
	if f.level != levelAll {
		f.extract(levelAll)
	}
}

// extract scans _raw once for the fields of level. Invalid JSON yields no
// fields (docs/semantics-events.md, "KV_MODE=json flattening", rule 6).
func (f *Fields) extract(level uint8) {
	f.level = level
	f.scans++
	raw := f.ev.Raw
	lim := len(raw)
	if f.cutoff > 0 && f.cutoff < lim {
		lim = f.cutoff
	}
	f.list, f.mv, f.table = f.list[:0], f.mv[:0], nil
	var m *matcher
	switch {
	case level == levelAll:
		// Keys end with a colon: an estimate of the fields, a little
		// high for colons in values, that spares growing the list.
		if n := strings.Count(raw[:lim], ":"); n > len(f.small) {
			f.list = make([]field, 0, n)
			if n > smallFields {
				f.table = make([]int32, tableSize(n))
			}
		}
	case f.need.m != nil:
		m = f.need.m
	default:
		m = &f.mt
	}
	sc := scanners.Get().(*scanner)
	stops := sc.stops
	*sc = scanner{s: raw, lim: lim, m: m, path: sc.path[:0], sink: f}
	if lim < len(raw) || !sc.fastScan(&stops) {
		// What fastScan does not settle, the careful scan reads afresh.
		f.list, f.mv = f.list[:0], f.mv[:0]
		clear(f.table)
		*sc = scanner{s: raw, lim: lim, m: m, path: sc.path[:0], sink: f}
		if st := sc.parse(true); st == scanInvalid || sc.top != '{' {
			f.list, f.mv, f.table = f.list[:0], f.mv[:0], nil
		}
	}
	*sc = scanner{path: sc.path[:0], stops: stops} // hold no event
	scanners.Put(sc)
}

// scanners are the scanners of extractions after the first, kept apart
// from Fields (one per event) with their path buffers and stop bitmaps.
var scanners = sync.Pool{New: func() any { return &scanner{path: make([]byte, 0, 128)} }}

// leaf adds one leaf value to its field.
func (f *Fields) leaf(sc *scanner, k leafKind, start, end int, esc bool) {
	val := f.leafValue(sc.s, k, start, end, esc)
	var h uint64
	if f.table != nil || len(f.list) >= smallFields {
		h = maphash.Bytes(seed, sc.path)
	}
	if i := f.findBytes(sc.path, h); i >= 0 {
		f.another(i, val)
		return
	}
	f.add(sc.name(), val, h)
}

// another adds val to field i, which then holds several values.
func (f *Fields) another(i int, val string) {
	fl := &f.list[i]
	if fl.more < 0 {
		fl.more = int32(len(f.mv))
		f.mv = append(f.mv, []string{fl.val, val})
	} else {
		f.mv[fl.more] = append(f.mv[fl.more], val)
	}
}

// add appends a new field of one value, and files it by h, its name's
// hash, once the fields are many enough for the table.
func (f *Fields) add(name, val string, h uint64) {
	f.list = append(f.list, field{name: name, val: val, more: -1})
	switch n := len(f.list); {
	case f.table != nil && n*2 <= len(f.table):
		f.insert(n-1, h)
	case n > smallFields:
		f.rehash()
	}
}

// leafValue is the value of a leaf whose text is s[start:end] (inside
// the quotes for a string).
func (f *Fields) leafValue(s string, k leafKind, start, end int, esc bool) string {
	switch k {
	case leafString:
		if esc {
			f.buf = appendUnescaped(f.buf[:0], s[start:end])
			return string(f.buf)
		}
		return s[start:end]
	case leafNumber:
		return s[start:end]
	case leafTrue:
		return "true"
	case leafFalse:
		return "false"
	}
	return "null"
}

// leafAt is leaf for the planned scan, which knows the leaf's field by
// its name's index in the plan: name, its hash h (maphash with seed),
// and slot, the index+1 in list of the field once it is found (0 before).
func (f *Fields) leafAt(s string, k leafKind, start, end int, esc bool, name string, h uint64, slot *int32) {
	val := f.leafValue(s, k, start, end, esc)
	if *slot > 0 {
		f.another(int(*slot-1), val)
		return
	}
	f.add(name, val, h)
	*slot = int32(len(f.list))
}

// tableSize is the hash table size for n fields: a power of two, at most
// half full.
func tableSize(n int) int {
	size := 32
	for size < n*2 {
		size *= 2
	}
	return size
}

func (f *Fields) rehash() {
	f.table = make([]int32, tableSize(len(f.list)*2))
	for i := range f.list {
		f.insert(i, maphash.String(seed, f.list[i].name))
	}
}

// insert adds list[i], whose name hashes to h, to the table.
func (f *Fields) insert(i int, h uint64) {
	mask := uint64(len(f.table) - 1)
	for h &= mask; ; h = (h + 1) & mask {
		if f.table[h] == 0 {
			f.table[h] = int32(i + 1)
			return
		}
	}
}

// find returns the index of the named field in list, or -1.
func (f *Fields) find(name string) int {
	if f.table == nil {
		for i := range f.list {
			if f.list[i].name == name {
				return i
			}
		}
		return -1
	}
	mask := uint64(len(f.table) - 1)
	for h := maphash.String(seed, name) & mask; ; h = (h + 1) & mask {
		j := f.table[h]
		if j == 0 {
			return -1
		}
		if f.list[j-1].name == name {
			return int(j - 1)
		}
	}
}

// findBytes is find for a name held in bytes, without converting it; h is
// its hash when the table is in use.
func (f *Fields) findBytes(name []byte, h uint64) int {
	if f.table == nil {
		for i := range f.list {
			if f.list[i].name == string(name) {
				return i
			}
		}
		return -1
	}
	mask := uint64(len(f.table) - 1)
	for h &= mask; ; h = (h + 1) & mask {
		j := f.table[h]
		if j == 0 {
			return -1
		}
		if f.list[j-1].name == string(name) {
			return int(j - 1)
		}
	}
}

// Union returns a Need asking for the fields of both.
func (n Need) Union(o Need) Need {
	u := Need{Names: map[string]bool{}}
	u.Add(n)
	u.Add(o)
	return u
}

// Add makes n ask for o's fields too, in n's own map: a pass of many
// searches adds each one's need to one, where a Union per search copied
// the union so far (for the 59 ESCU CloudTrail detections, 3 ms before
// the first record was read).
func (n *Need) Add(o Need) {
	if n.Names == nil {
		n.Names = map[string]bool{}
	}
	n.All = n.All || o.All
	maps.Copy(n.Names, o.Names)
	n.Prefixes = append(n.Prefixes, o.Prefixes...)
	n.m = nil // to be compiled again
}
