package event

// ObjectProbe reads fields out of the object a gate key holds
// (GateObject), before the record is made into an event: whether the
// record has a value for userIdentity.userName is whether the object at
// userIdentity has one for userName. The gate gives an object only for a
// key written once at the top level (GateValue), so the fields the
// record's flattening names key.x are the object's flattened x (rule 1 of
// docs/semantics-events.md, "KV_MODE=json flattening"), but for those of
// other top-level keys that hold a dot (`"userIdentity.userName": ...`),
// for which the gate gives GateOther (ScanOptions.GateObjects). The gate
// itself tells of the names at the object's top level (GateValue.Found);
// the probe reads the others, and a value other than a string. One probe
// serves one goroutine.
type ObjectProbe struct {
	need Need
	// plan serves the planned scan of an object (plannedScan), with its
	// memory; nil when the need has no plan, and Fields reads lazily.
	plan  *scanPlan
	slots []int32
	hits  [8]hit
	stops []uint64
	ev    Event
	f     Fields
	read  bool
}

// NewObjectProbe makes a probe that reads the given names, relative to the
// object: userName for userIdentity.userName. A name a default field
// hides (host, source, date_*, ...) cannot be read by it (Has).
func NewObjectProbe(names []string) *ObjectProbe {
	keep := map[string]bool{}
	for _, n := range names {
		if _, _, isDefault := defaultKind(n); !isDefault {
			keep[n] = true
		}
	}
	p := &ObjectProbe{need: Need{Names: keep}.Compile()}
	if p.need.m != nil {
		if p.plan = newScanPlan(p.need.m, nil); p.plan != nil {
			p.slots = make([]int32, len(p.plan.names))
		}
	}
	return p
}

// Has reports whether the object whose text is obj (a GateObject's Value)
// has a value for name, as the record's fields would have one for the
// key's name joined to it; ok is false for a name the probe does not
// read. The object is read once for all of its names, at the first call
// with a new obj.
func (p *ObjectProbe) Has(obj, name string) (has, ok bool) {
	if _, _, isDefault := defaultKind(name); isDefault || !p.need.covers(name) {
		return false, false
	}
	if !p.read || p.ev.Raw != obj {
		p.read = true
		p.scan(obj)
	}
	v, _ := p.f.Field(name)
	return !v.IsNull(), true
}

// scan reads obj's fields into p.f: by the planned scan, as the reader
// extracts a record's (reader.record), else lazily.
func (p *ObjectProbe) scan(obj string) {
	p.ev = Event{Raw: obj, cutoff: len(obj) + 1}
	list, mv, table := p.f.list, p.f.mv, p.f.table
	p.f = Fields{need: p.need, cutoff: len(obj) + 1}
	if cap(list) > len(p.f.small) {
		p.f.list, p.f.mv = list[:0], mv[:0]
		if table != nil {
			clear(table)
			p.f.table = table
		}
	} else {
		p.f.list = p.f.small[:0]
	}
	if p.plan != nil && plannedScan(obj, p.plan, &p.hits, &p.f, stopBits(obj, &p.stops), p.slots) {
		p.f.ev, p.f.level, p.f.scans = &p.ev, levelNeed, 1
		return
	}
	NewFieldsIn(&p.f, &p.ev, p.need)
}
