package event

import (
	"slices"
	"strings"
)

// Extracting while validating: the reader scans every record once to
// validate it and find its timestamp, and a search's first field access
// scanned it again for the fields it needs. When the reader knows the need
// (ScanOptions.Need), the validating scan also keeps those fields, and the
// search's Fields starts from them: one scan per event instead of two.

// preExtract is a reader's setup for extracting during validation.
type preExtract struct {
	need Need     // the search's need, compiled; Fields built here carry it
	m    *matcher // need's names and the time fields: what the scan reports
	// quick, when the need is top-level names only (as `stats count by
	// eventSource` has), lists the time fields then those names, for
	// quickScan; quickPath holds each as bytes, the path Fields files it
	// by.
	quick     []string
	quickPath [][]byte
	// plan, when the need has no prefixes, serves the planned scan
	// (plannedScan), with slots its memory for the fields' indexes.
	plan  *scanPlan
	slots []int32
}

func newPreExtract(need Need, stamps *stampFinder) *preExtract {
	if need.All || need.m == nil {
		return nil
	}
	names := make(map[string]bool, len(need.Names)+len(stamps.names))
	for n := range need.Names {
		names[n] = true
	}
	for _, n := range stamps.names {
		names[n] = true
	}
	both := Need{Names: names, Prefixes: need.Prefixes}.Compile()
	pe := &preExtract{need: need, m: both.m}
	if pe.plan = newScanPlan(both.m, stamps.names); pe.plan != nil {
		pe.slots = make([]int32, len(pe.plan.names))
	}
	if stamps.quick && len(need.Prefixes) == 0 {
		quick := append([]string(nil), stamps.names...)
		for _, n := range sortedNames(need.Names) {
			if !slices.Contains(quick, n) {
				quick = append(quick, n)
			}
		}
		ok := len(quick) <= len(stampScan{}.hits)
		for _, n := range quick {
			ok = ok && n != "" && !strings.ContainsAny(n, ".{}")
		}
		if ok {
			pe.quick = quick
			for _, n := range quick {
				pe.quickPath = append(pe.quickPath, []byte(n))
			}
		}
	}
	return pe
}

// preExtractFor is the reader's setup for extracting need (compiled),
// made once per Need and kept: nil when need has All, which the
// validating scan does not extract.
func (r *reader) preExtractFor(need Need) *preExtract {
	if need.All || need.m == nil {
		return nil
	}
	if pe, ok := r.pres[need.m]; ok {
		return pe
	}
	pe := newPreExtract(need, r.stamps)
	if r.pres == nil {
		r.pres = map[*matcher]*preExtract{}
	}
	r.pres[need.m] = pe
	return pe
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// quickExtract is findAndExtract by quickScan, for a need of top-level
// names only (preExtract.quick); ok is false when quickScan cannot settle
// the record, which the careful scan then reads.
func (r *reader) quickExtract(raw string, f *Fields) (ts stamp, err error, ok bool) {
	pe, ss := r.pre, &r.scan
	for i := range min(len(pe.quick), len(ss.hits)) { // quickScan writes no other
		ss.hits[i] = hit{}
	}
	r.leaves = r.leaves[:0]
	if !quickScan(raw, pe.quick, &ss.hits, &r.leaves, &ss.stops) {
		return stamp{}, nil, false
	}
	sc := &r.qsc
	*sc = scanner{s: raw, depth: 1, key0Raw: true}
	for _, l := range r.leaves {
		sc.key0, sc.path = pe.quick[l.name], pe.quickPath[l.name]
		f.leaf(sc, l.h.k, l.h.start, l.h.end, l.h.esc)
	}
	*sc = scanner{}
	ts, err = ss.stamp(raw, r.stamps, r.strict)
	return ts, err, true
}

// stampAndFields passes each reported leaf to the timestamp finder and to
// the event's fields. A time field the search did not ask for lands in the
// fields too, which is harmless: it is a field of the event.
type stampAndFields struct {
	ss *stampScan
	f  *Fields
}

func (s *stampAndFields) leaf(sc *scanner, k leafKind, start, end int, esc bool) {
	s.ss.leaf(sc, k, start, end, esc)
	s.f.leaf(sc, k, start, end, esc)
}

// findAndExtract is stampScan.find that also fills f with the leaves the
// pre-extraction matcher reports. raw must fit within the extraction
// cutoff, so that the fields are those Fields.extract would find.
func (ss *stampScan) findAndExtract(raw string, sf *stampFinder, strict bool, pe *preExtract, f *Fields) (stamp, error) {
	// The sink lives in ss: a value made here would be allocated for
	// every record, as it escapes through the sink interface.
	ss.both = stampAndFields{ss, f}
	st, err := ss.findWith(raw, sf, strict, pe.m, &ss.both)
	ss.both.f = nil // hold no event
	return st, err
}

// takePre returns the fields the reader extracted for ev when they were
// extracted for this need and cutoff, nil otherwise. They are handed out
// once.
func takePre(ev *Event, need Need, cutoff int) *Fields {
	f := ev.pre
	if f == nil || need.m == nil || f.need.m != need.m || f.cutoff != cutoff {
		return nil
	}
	ev.pre = nil
	return f
}
