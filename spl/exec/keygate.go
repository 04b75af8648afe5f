package exec

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// The by-field gate. A stats that drops every row whose BY field is null
// (docs/semantics.md, "Commands") gets nothing from an event without one, and
// the add-on's calculated fields are null for most events of some calls:
// ESCU search 30 (`eventName=Describe* OR eventName=List* OR
// eventName=Get* | stats ... by user userIdentity.arn`) reaches 620,000
// of the default data's 984,000 records, and 358,000 of them, an assumed
// role's calls among them, have no user. Each was extracted and its user
// computed, to be dropped by the stats.
//
// So, for a plan whose first command is such a stats, run on the workers
// (Plan.partialStats), and whose base search the field gate decides, the
// gate also reads what the BY fields' values depend on: the top-level
// keys that the knowledge's conditions read (eventType, for user), and
// the objects under which their raw fields are (userIdentity). For each
// combination of values it remembers (tupleMemo), it asks the knowledge
// which raw fields each BY field then has no value without
// (Options.NullUnlessGiven): for a DescribeRegions call of type
// AwsApiCall, user is null without userIdentity.userName; for a GetUser
// call, without errorMessage. A record none of whose
// sources for some BY field has a value is then not the plan's: it
// matched the plan's base search (it is counted as matched, and in
// Counts.NullBy), and the stats would have dropped it. The scan itself
// tells which of the sources' names are keys at the object's top level,
// and whether with a string (event.GateValue.Found, Str); a deeper name,
// or a value of another kind, is read by an event.ObjectProbe, with the
// record's own flattening.
//
// Where the knowledge shows that a BY field is one raw field's value for
// certain (Options.ExactGiven: user is userIdentity.userName, not only
// one of its sources), the plan's row takes it from there (substitute),
// and the record's need has that field instead of what the knowledge
// reads to make it (Plan.needWithout).
//
// It is exact where it acts and silent elsewhere: a source the gate does
// not read (a field of another object, a key written twice or with an
// array), a constant a lookup or a literal may give, a condition it
// cannot decide, all leave the plan as it was; and a record with a
// top-level key that flattens into an object's names (`"userIdentity.x":
// ...`), or a key written with an escape in the object, gets GateOther
// for the object and is not probed.

// maxByKeys is how many keys the by-field gate adds to the field gate's,
// within maxGateNames: each name costs every record a little.
const maxByKeys = 2

// maxGateNames is how many keys the validating scan reads for the gates
// together: it takes 8 names, CloudTrail's time field among them
// (event.ScanOptions.GateKeys).
const maxGateNames = 7

// byKeyGate is a pass's by-field gate: the plans it serves, with their
// BY fields, and the keys it has the validating scan read after the field
// gate's own (extra): first the string keys that the conditions read
// (conds of them), then the objects (objs).
type byKeyGate struct {
	plans  []byKeyPlan
	extra  []string
	conds  int
	objs   []string
	probes [][]string // per object, the names probed under it
	// children are, per object, those of probes at its top level (at
	// most 8), which the validating scan looks for (GateValue.Found).
	children [][]string
	// known is the keys whose string values the knowledge may read:
	// the field gate's, then the conditions'; relevant, those of them
	// that the conditions read: the requirements of a combination of
	// values depend on their values alone.
	known    []string
	relevant []int
}

// byKeyPlan is a plan the by-field gate serves.
type byKeyPlan struct {
	plan       int
	by         []string
	nullUnless func(field string, known func(string) (value.Value, bool)) ([]string, bool)
	exactGiven func(field string, known func(string) (value.Value, bool)) (string, bool)
}

// byKeyReq is what a combination of values requires of a record for one
// plan: for each BY field that needs a probe, its sources (any will do),
// none when nothing can give it a value; and the BY fields the plan's rows
// take straight from raw fields (exact), a worker's variant of the plan's
// need (fieldMemos.needSet) numbered variant, 0 for none.
type byKeyReq struct {
	plan    int
	fields  [][]byKeySource
	exact   []byKeyExact
	variant uint16
}

// byKeyExact is a BY field that is a raw field's value on every record of
// a combination (Options.ExactGiven): the row takes it straight from
// there, and the need has the raw field instead of what the knowledge
// reads to make it. The add-on's user is four field reads and a case()
// table's look-up, for the 320,000 records of search 30 that have one.
type byKeyExact struct {
	by, raw string
}

// byKeySource is a raw field under the gate's object obj (an index into
// byKeyGate.objs), name relative to it, child its index among the
// object's children (-1: none); or, with obj -1, a top-level key the gate
// reads, at key among the values (byKeyGate.known).
type byKeySource struct {
	obj   int
	name  string
	child int
	key   int
}

// newByKeyGate is the by-field gate of the plans reading, whose field gate
// is g; nil when no plan is served or no object's key fits.
func newByKeyGate(reading []*running, g *fieldGate) *byKeyGate {
	bg := &byKeyGate{}
	// The candidates: the top-level keys the knowledge's conditions read
	// (as NullUnlessGiven asks for them), and the objects under which the
	// BY fields' raw sources are, each scored by the BY fields (of the
	// plans served) that read it.
	conds, objs := map[string]int{}, map[string]int{}
	var condKeys []string // the keys the conditions read
	var under [][]string  // per plan served, the raw fields its BY fields can take
	for i, r := range reading {
		pl := r.plan
		if pl.opts.NullUnlessGiven == nil || pl.opts.NullSources == nil || len(pl.byFields) == 0 || g.decides[i/64]>>(i%64)&1 == 0 {
			continue
		}
		bg.plans = append(bg.plans, byKeyPlan{plan: i, by: pl.byFields, nullUnless: pl.opts.NullUnlessGiven, exactGiven: pl.opts.ExactGiven})
		var all []string
		for _, by := range pl.byFields {
			asked := map[string]bool{}
			pl.opts.NullUnlessGiven(by, func(f string) (value.Value, bool) {
				asked[f] = true
				return value.NullValue, false
			})
			for f := range asked {
				if k, ok := byKeyOf(f); ok && k == f {
					if !slices.Contains(g.keys, k) {
						conds[k]++
					}
					if !slices.Contains(condKeys, k) {
						condKeys = append(condKeys, k)
					}
				}
			}
			seen := map[string]bool{}
			for _, f := range pl.opts.NullSources(by) {
				all = append(all, f)
				if k, ok := byKeyOf(f); ok && k != f && !seen[k] {
					seen[k] = true
					objs[k]++
				}
			}
		}
		under = append(under, all)
	}
	if len(objs) == 0 {
		return nil // nothing to probe: the string keys alone decide no record
	}
	// The best object, then the conditions' keys, then more objects.
	o, c := byCount(objs), byCount(conds)
	keys := append(append(o[:1:1], c...), o[1:]...)
	keys = keys[:min(len(keys), maxByKeys, maxGateNames-len(g.keys))]
	slices.SortStableFunc(keys, func(a, b string) int { // strings, then objects
		return cmpBool(strings.HasSuffix(a, "."), strings.HasSuffix(b, "."))
	})
	for _, k := range keys {
		if obj, ok := strings.CutSuffix(k, "."); ok {
			bg.objs = append(bg.objs, obj)
			continue
		}
		bg.conds++
		bg.extra = append(bg.extra, k)
	}
	bg.known = append(slices.Clone(g.keys), bg.extra...)
	for i, k := range bg.known {
		if slices.Contains(condKeys, k) {
			bg.relevant = append(bg.relevant, i)
		}
	}
	for _, obj := range bg.objs {
		bg.extra = append(bg.extra, obj)
		var names []string
		for _, reads := range under {
			for _, f := range reads {
				if rest, ok := strings.CutPrefix(f, obj+"."); ok && !slices.Contains(names, rest) {
					names = append(names, rest)
				}
			}
		}
		bg.probes = append(bg.probes, names)
		var children []string
		for _, n := range names {
			if !strings.ContainsAny(n, ".{}") && len(children) < 8 {
				children = append(children, n)
			}
		}
		bg.children = append(bg.children, children)
	}
	return bg
}

// byKeyOf is the key a raw field read puts to the gate: the field itself
// when it is a top-level key the validating scan reads (gateKey's
// shapes), its object's key followed by a dot when it is a name under a
// top-level object whose key the scan reads.
func byKeyOf(f string) (string, bool) {
	fits := func(k string) bool { // a default field's name is no JSON field's (docs/semantics-events.md)
		return len(k) >= 8 && len(k) <= 16 && verbatimJSON(k) && !strings.ContainsAny(k, ".{}") && rawFields([]string{k}) && !isTagField(k)
	}
	if obj, rest, ok := strings.Cut(f, "."); ok {
		return obj + ".", fits(obj) && rest != ""
	}
	return f, fits(f)
}

// requirements are what the values (the field gate's keys' and the
// condition keys') require of a record for the plans of sure, the plans
// let through whose base searches they decide. A worker works them out
// once per plan and values of the relevant keys (byKeyScratch.derived).
func (bg *byKeyGate) requirements(s *byKeyScratch, values []event.GateValue, sure []uint64) []byKeyReq {
	known := func(f string) (value.Value, bool) {
		i := slices.Index(bg.known, f)
		if i < 0 || !slices.Contains(bg.relevant, i) {
			return value.NullValue, false
		}
		switch v := values[i]; v.Kind {
		case event.GateAbsent:
			return value.NullValue, true
		case event.GateString:
			return value.Str(v.Value), true
		}
		return value.NullValue, false
	}
	var reqs []byKeyReq
	for _, p := range bg.plans {
		if sure[p.plan/64]>>(p.plan%64)&1 == 0 {
			continue
		}
		b := binary.AppendUvarint(s.key[:0], uint64(p.plan))
		for _, i := range bg.relevant {
			v := values[i]
			b = append(b, byte(v.Kind))
			b = binary.AppendUvarint(b, uint64(len(v.Value)))
			b = append(b, v.Value...)
		}
		s.key = b
		req, ok := s.derived[string(b)]
		if !ok {
			req = byKeyReq{plan: p.plan}
			for _, by := range p.by {
				if sources, needed := bg.sources(p, by, known); needed {
					req.fields = append(req.fields, sources)
				}
				if p.exactGiven == nil {
					continue
				}
				if raw, ok := p.exactGiven(by, known); ok && raw != by {
					req.exact = append(req.exact, byKeyExact{by: by, raw: raw})
				}
			}
			if req.exact != nil {
				req.variant = s.variant(p.plan, req.exact)
			}
			if s.derived == nil || len(s.derived) >= maxGateTuples {
				s.derived = map[string]byKeyReq{}
			}
			s.derived[string(b)] = req
		}
		if len(req.fields) > 0 || req.variant != 0 {
			reqs = append(reqs, req)
		}
	}
	return reqs
}

// sources is where BY field by can take a value from, given the known
// values: needed is false when it may have one whatever the record's
// objects and keys hold. The requirements depend on the conditions' keys
// alone: a source that is a key the gate reads is looked at per record.
func (bg *byKeyGate) sources(p byKeyPlan, by string, known func(string) (value.Value, bool)) (out []byKeySource, needed bool) {
	raw, ok := p.nullUnless(by, known)
	if !ok {
		return nil, false
	}
	for _, f := range raw {
		if k := slices.Index(bg.known, f); k >= 0 {
			out = append(out, byKeySource{obj: -1, key: k})
			continue
		}
		obj, rest, found := strings.Cut(f, ".")
		at := slices.Index(bg.objs, obj)
		if !found || at < 0 || !slices.Contains(bg.probes[at], rest) {
			return nil, false // a source the gate does not read
		}
		out = append(out, byKeySource{obj: at, name: rest, child: slices.Index(bg.children[at], rest)})
	}
	return out, true
}

// byKeyScratch is a worker's memory for the by-field gate: a probe per
// object, and the outcome of a record some requirement ruled plans out of.
type byKeyScratch struct {
	probes  []*event.ObjectProbe
	outcome tupleOutcome
	// keyless counts, per plan, the records whose BY fields the gate
	// showed null: they matched the base search.
	keyless []int
	// derived is the requirements worked out, per plan and values of the
	// relevant keys (key, its scratch).
	derived map[string]byKeyReq
	key     []byte
	cleared []int // nullBy's list
	// variants numbers the plans' lists of substitutions (byKeyReq), the
	// same list of a plan for every combination that has it.
	variants map[string]uint16
	// exact is the requirements of the record the worker holds, whose
	// substitutions offer makes (fieldGate.exactHeld).
	exact []byKeyReq
}

// variant is the number of plan's list of substitutions subs, 0 when
// the worker has numbered too many.
func (s *byKeyScratch) variant(plan int, subs []byKeyExact) uint16 {
	key := fmt.Sprint(plan, subs)
	if v, ok := s.variants[key]; ok {
		return v
	}
	if len(s.variants) >= 1<<16-1 {
		return 0
	}
	if s.variants == nil {
		s.variants = map[string]uint16{}
	}
	v := uint16(len(s.variants) + 1)
	s.variants[key] = v
	return v
}

// exactHeld is the by-field gate's requirements of the record worker w
// holds, for the substitutions of the plans whose base searches the gate
// decided (fieldGate.held); nil when there are none.
func (g *fieldGate) exactHeld(w int) []byKeyReq {
	if g == nil || g.byKeys == nil {
		return nil
	}
	c := &g.caches[w]
	if !c.sureOK {
		return nil
	}
	return c.byKeys.exact
}

// applyByKeys is a remembered outcome t for a record, with the objects'
// values at the end of values: t, or the worker's copy of it without the
// plans whose BY fields the record shows null (nullBy), and whether no
// plan is left.
func (pf *prefilters) applyByKeys(w int, values []event.GateValue, file *event.Event, t *tupleOutcome) (*tupleOutcome, bool) {
	s := &pf.fgate.caches[w].byKeys
	cleared := pf.nullBy(w, values, file, t.reqs, t.pass)
	if len(cleared) == 0 {
		return t, false
	}
	out := &s.outcome
	out.pass = append(out.pass[:0], t.pass...)
	out.sure = append(out.sure[:0], t.sure...)
	out.outs = append(out.outs[:0], t.outs...)
	for _, i := range cleared {
		bit := uint64(1) << (i % 64)
		out.pass[i/64] &^= bit
		out.sure[i/64] &^= bit
		out.outs[i] = true
	}
	return out, !slices.ContainsFunc(out.pass, func(word uint64) bool { return word != 0 })
}

// nullBy lists the plans of reqs let through (pass) whose requirements the
// record, with the objects' values at the end of values, does not meet:
// none of the sources of some BY field has a value. It counts them
// (keyless): they matched their base searches, which a plan's default
// fields' tests must hold of for the record's file (baseHolds), or it is
// not listed. The list is the worker's, good until its next call.
func (pf *prefilters) nullBy(w int, values []event.GateValue, file *event.Event, reqs []byKeyReq, pass []uint64) []int {
	g, bg := pf.fgate, pf.fgate.byKeys
	s := &g.caches[w].byKeys
	objs := values[len(values)-len(bg.objs):]
	s.cleared = s.cleared[:0]
	for _, req := range reqs {
		if pass[req.plan/64]>>(req.plan%64)&1 == 0 || !g.baseHolds(w, req.plan, file) {
			continue
		}
		held := true
		for _, sources := range req.fields {
			has := false
			for _, src := range sources {
				if src.obj < 0 {
					if values[src.key].Kind != event.GateAbsent {
						has = true // a string, or anything else: a value
						break
					}
					continue
				}
				v := objs[src.obj]
				if v.Kind == event.GateOther {
					has = true // written twice, or an array
					break
				}
				if v.Kind != event.GateObject {
					continue // no such object: none of its names
				}
				if src.child >= 0 {
					if v.Found>>src.child&1 == 0 {
						continue // no such key at the object's top level
					}
					if v.Str>>src.child&1 != 0 {
						has = true // a string: the field's value
						break
					}
				}
				if s.probes[src.obj] == nil {
					s.probes[src.obj] = event.NewObjectProbe(bg.probes[src.obj])
				}
				if h, ok := s.probes[src.obj].Has(v.Value, src.name); h || !ok {
					has = true
					break
				}
			}
			if !has {
				held = false
				break
			}
		}
		if !held {
			s.cleared = append(s.cleared, req.plan)
			s.keyless[req.plan]++
		}
	}
	return s.cleared
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
