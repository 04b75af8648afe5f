package event

import (
	"slices"
	"unsafe"
)

// GateValue is what a record holds at one of ScanOptions.GateKeys: no
// such top-level key (GateAbsent), one whose value is a JSON string
// written without escapes (GateString, its text in Value), for a key of
// ScanOptions.GateObjects one whose value is an object (GateObject, its
// text in Value: ObjectProbe reads its fields), or anything else
// (GateOther): a number, true, false, null, an object or an array, a
// string with escapes, or the key written more than once, whose field the
// extraction makes multivalued.
type GateValue struct {
	Value string
	Kind  GateKind
	// Found and Str, of a GateObject, have bit j set when the object has
	// ScanOptions.GateChildren's j-th name of the key as a key at its top
	// level (Found), with a string of one byte or more written right after
	// the colon for its value (Str): the record's key.name then has a value.
	Found, Str uint8
}

// GateKind is what a GateValue is.
type GateKind uint8

// The kinds of GateValue.
const (
	GateAbsent GateKind = iota
	GateString
	GateOther
	GateObject
)

// gated decides a record by ScanOptions.SkipGated, and reports whether it
// was ruled out (validated, and counted as accepted and skipped). passed
// says it was let through; neither means the validating scan did not
// settle it, and SkipValid decides.
func (r *reader) gated(path string, data []byte, so ScanOptions, w int) bool {
	r.passed = false
	if so.Skip != nil || len(data) > r.opts.ExtractionCutoff || r.opts.ExtractionCutoff <= 0 {
		return false
	}
	raw := unsafe.String(unsafe.SliceData(data), len(data))
	t, ok := r.scan.quickGate(raw, r.stamps, so.GateKeys, so.GateObjects, so.GateChildren, &r.gate)
	if !ok {
		return false
	}
	if f := &r.gate.file; f.File != path || f.Source == "" {
		*f = Event{Index: r.opts.Index, Source: r.source(path), Sourcetype: r.opts.Sourcetype, Host: r.opts.Host, File: path}
	}
	if !so.SkipGated(w, data, r.gate.values, &r.gate.file) {
		r.passed = true
		return false
	}
	// What validate does for a record quickUTC reads.
	r.lastTime, r.hasLast = t, true
	r.unreadLines, r.unreadItems = nil, nil
	r.counts.Read++
	r.counts.Accepted++
	r.counts.Skipped++
	return true
}

// gateScan is a reader's memory for quickGate: the names quickMulti
// looks for (the time fields, then the gate keys that are not among
// them), where each key is among them, and the values handed on.
type gateScan struct {
	f       *stampFinder
	keys    []string
	objects []string
	names   []string
	at      []int
	values  []GateValue
	out     multiOut // quickMulti's report
	// prefixed has the bit of each of names that is one of the keys
	// whose objects are read (ScanOptions.GateObjects).
	prefixed   uint8
	children   *gateChildren // per name, ScanOptions.GateChildren's
	childrenOf [][]string    // the GateChildren they were made of
	// file is the default fields of the events of the record's file, as
	// record sets them, for SkipGated.
	file Event
	// multi says quickMulti takes the names: at most 8, each 8 to 16
	// bytes long.
	multi bool
}

// quickGate is quickUTC that also reads what the record holds at keys,
// into g.values: every top-level key is compared with the time fields and
// the keys (quickMulti), so that a key written twice, or with an object
// or array for its value, is seen. ok is false where quickUTC's would be,
// and for names quickMulti does not take: a key shorter than 8 bytes or
// longer than 16 (GateKeys says so), or the time fields of a sourcetype
// other than CloudTrail (_time, time).
func (ss *stampScan) quickGate(raw string, f *stampFinder, keys, objects []string, children [][]string, g *gateScan) (float64, bool) {
	if !f.quick {
		return 0, false
	}
	if g.f != f || !sameSlice(g.keys, keys) || !sameSlice(g.objects, objects) || !sameSlice(g.childrenOf, children) {
		g.f, g.keys, g.objects, g.childrenOf = f, keys, objects, children
		g.names = append(g.names[:0], f.names...)
		g.at = g.at[:0]
		for _, k := range keys {
			at := -1
			for i, n := range g.names {
				if n == k {
					at = i
				}
			}
			if at < 0 {
				at = len(g.names)
				g.names = append(g.names, k)
			}
			g.at = append(g.at, at)
		}
		// 8 values are 192 bytes, whole cache lines that the other
		// workers' readers do not write.
		g.values = make([]GateValue, len(keys), max(len(keys), 8))
		g.multi = len(g.names) <= len(ss.hits)
		g.prefixed, g.children = 0, nil
		for i, n := range g.names {
			g.multi = g.multi && len(n) >= 8 && len(n) <= 16
			if at := slices.Index(objects, n); at >= 0 && i < 8 {
				g.prefixed |= 1 << i
				if at < len(children) {
					if g.children == nil {
						g.children = new(gateChildren)
					}
					g.children.names[i] = children[at]
					for _, c := range children[at] {
						if len(c) < 64 {
							g.children.lens |= 1 << len(c)
						}
					}
				}
			}
		}
	}
	if len(g.names) > len(ss.hits) {
		return 0, false
	}
	if !g.multi || !quickMulti(raw, g.names, g.prefixed, g.children, &ss.hits, &g.out, &ss.stops) {
		return 0, false
	}
	other := g.out.other
	h := &ss.hits[0]
	if !h.ok || h.k != leafString || h.esc {
		return 0, false
	}
	t, ok := ss.days.utcSeconds(raw[h.start:h.end])
	if !ok {
		return 0, false
	}
	for j, at := range g.at {
		v := &g.values[j]
		switch h := &ss.hits[at]; {
		case g.out.flat>>at&1 != 0:
			*v = GateValue{Kind: GateOther} // another key flattens into its names
		case other>>at&1 != 0 && g.prefixed>>at&1 != 0 && g.out.objs[at][1] != 0:
			*v = GateValue{Kind: GateObject, Value: raw[g.out.objs[at][0]:g.out.objs[at][1]], Found: g.out.found[at], Str: g.out.str[at]}
		case other>>at&1 != 0:
			*v = GateValue{Kind: GateOther} // written twice, or an array
		case !h.ok:
			*v = GateValue{}
		case h.k == leafString && !h.esc:
			*v = GateValue{Kind: GateString, Value: raw[h.start:h.end]}
		default:
			*v = GateValue{Kind: GateOther}
		}
	}
	return t, true
}

// sameSlice reports whether a and b are the same slice: the same length
// and, unless empty, the same first element.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
