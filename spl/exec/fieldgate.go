package exec

import (
	"math/bits"
	"slices"
	"strings"
	"unsafe"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/event"
)

// The field gate: a plan whose base search compares a top-level JSON field
// (eventName=X, eventName IN (...), eventSource=..., ORs of them) can only
// match a record whose value there matches. The validating scan of each
// record reads the values of a few such keys (event.ScanOptions.GateKeys),
// and the gate answers, per value, which plans it lets through, with the
// very test the base search runs on the field's values (newValueMatcher),
// remembered per worker. A plan the gate rules out is ruled out as its raw
// pre-filter rules it out; the others' pre-filters then test only the
// literals of the terms the gate did not decide (the residual pre-filter),
// so that the literal searches run only for records and plans that still
// need them.
//
// The gate reads a key's value only when the record holds it once, as a
// JSON string written without escapes: its field's value is then that
// string, verbatim (docs/semantics-events.md, "KV_MODE=json flattening").
// A key the record lacks gives its field no value, and no term on it
// matches. Anything else (a number, an array, an escape, the key written
// twice, a record the scan does not settle) leaves the key undecided, and
// the record goes through the plans' whole pre-filters.

// maxGateKeys is how many top-level keys the gate reads: the validating
// scan compares each top-level key of a matching length with them, and
// takes 8 names with the time field (event.ScanOptions.GateKeys).
const maxGateKeys = 5

// minGateLiterals is how many literals a pass's pre-filters search for
// before the gate pays: a Bedrock detection alone searches for two or
// three, and the search for its rare first one, which rules most records
// out, took 5-15% less CPU than reading the keys to the record's end and
// testing their values; the five Bedrock detections in one pass, seven
// literals, took 5-10% less gated.
const minGateLiterals = 5

// The bounds of a worker's memory of the plans a value lets through: a
// key's table holds maxGateValues values (a power of two), a new one
// taking an old one's place when its slots are taken (the data may hold a
// new value in every record), and a value longer than maxGateValueLen is
// tested every time, never kept.
const (
	maxGateValues   = 1024
	maxGateValueLen = 128
)

// maxDirectTests is how many value tests of a key, over all the plans,
// are run for each record rather than remembered per value: a detection
// alone has one or two, and a look-up in the worker's table costs more.
const maxDirectTests = 4

// tests counts the value tests of a condition.
func (c *gateCond) tests() int {
	if c == nil {
		return 0
	}
	if c.op == 'm' {
		return 1
	}
	n := 0
	for _, t := range c.terms {
		n += t.tests()
	}
	return n
}

// gateCond is what a plan's base search requires of one field's value: a
// test of the value (op 'm'), or all ('a') or any ('o') of its terms. A
// base search the gate decides (decideBase) is such a tree made exactly,
// with two more ops: field!=value ('x': the field holds a value and it
// does not match) and NOT ('n', of its one term).
type gateCond struct {
	op    byte
	match valueMatcher
	terms []*gateCond
}

// test reports whether a value of the field can let the plan's search
// match (of a decided base search's tree: whether its terms hold); absent
// says the record has no such field, whose tests then all fail.
func (c *gateCond) test(v string, absent bool) bool {
	switch c.op {
	case 'm':
		return !absent && c.match(v)
	case 'x':
		return !absent && !c.match(v)
	case 'n':
		return !c.terms[0].test(v, absent)
	case 'a':
		for _, t := range c.terms {
			if !t.test(v, absent) {
				return false
			}
		}
		return true
	}
	for _, t := range c.terms {
		if t.test(v, absent) {
			return true
		}
	}
	return false
}

// gateKey is the top-level JSON key whose string value decides
// field=values (IN) of a base search, and ok, when the knowledge shows it:
// the field is a raw one, or a derived one whose every value that can
// match is one raw field's value (rawOrigin, with a single raw field). The
// key is a name the flattening gives only a top-level key (no dot, no
// braces), printable ASCII that JSON writes as itself, 8 to 16 bytes long
// (the names the validating scan compares within its loop,
// event.ScanOptions.GateKeys: eventName, eventSource, errorCode). Default
// and internal fields, tag, eventtype and the time bounds are never
// gated.
func gateKey(field string, caseSensitive bool, values []string, k prefilterKnowledge) (string, bool) {
	if lf := strings.ToLower(field); lf == "earliest" || lf == "latest" || isTagField(field) {
		return "", false
	}
	key := field
	if k.derived != nil && k.derived(field) {
		if !rawOrigin(field, caseSensitive, values, k.origins) {
			return "", false
		}
		raw, _, _ := k.origins(field)
		if len(raw) != 1 {
			return "", false
		}
		key = raw[0]
	}
	if !rawFields([]string{key}) || !verbatimJSON(key) || strings.ContainsAny(key, ".{}") || len(key) < 8 || len(key) > 16 {
		return "", false
	}
	return key, true
}

// projectGate is what a base search requires of key's value alone, nil
// when nothing: the search's terms on other fields, and those the gate
// cannot read (NOT, !=, <, keywords, subsearches), are taken as true, so
// that the condition holds of every record the search matches.
func projectGate(e spl.SearchExpr, key string, k prefilterKnowledge) *gateCond {
	return projectGateAt(e, key, k, 0)
}

// projectGateAt is projectGate at depth of event type searches followed
// (tagged): tag=X and eventtype=Y require what one of the event types
// that can give the value requires, when the knowledge shows them all
// (TagSearches), as buildPrefilterTags derives their literals.
func projectGateAt(e spl.SearchExpr, key string, k prefilterKnowledge, depth int) *gateCond {
	switch e := e.(type) {
	case *spl.SearchAnd:
		all := &gateCond{op: 'a'}
		for _, t := range e.Terms {
			if c := projectGateAt(t, key, k, depth); c != nil {
				all.terms = append(all.terms, c)
			}
		}
		switch len(all.terms) {
		case 0:
			return nil
		case 1:
			return all.terms[0]
		}
		return all
	case *spl.SearchOr:
		any := &gateCond{op: 'o'}
		for _, t := range e.Terms {
			c := projectGateAt(t, key, k, depth)
			if c == nil {
				return nil
			}
			any.terms = append(any.terms, c)
		}
		return any
	case *spl.SearchCompare:
		if e.Op != "=" {
			return nil
		}
		if isTagField(e.Field.Text()) {
			return gateTagged(e.Field.Text(), newValueMatcher(e.Value.Text(), e.Func == "CASE"), key, k, depth)
		}
		return gateLeaf(e.Field.Text(), e.Func == "CASE", []string{e.Value.Text()}, key, k)
	case *spl.SearchIn:
		values := make([]string, len(e.Values))
		for i, v := range e.Values {
			values[i] = v.Text()
		}
		if isTagField(e.Field.Text()) {
			return gateTagged(e.Field.Text(), anyValue(values), key, k, depth)
		}
		return gateLeaf(e.Field.Text(), false, values, key, k)
	}
	return nil
}

// anyValue is the test of field IN (values) on one value.
func anyValue(values []string) valueMatcher {
	pats := make([]valueMatcher, len(values))
	for i, v := range values {
		pats[i] = newValueMatcher(v, false)
	}
	return func(v string) bool {
		return slices.ContainsFunc(pats, func(p valueMatcher) bool { return p(v) })
	}
}

// gateTagged is what tag=X (or eventtype=Y) requires of key's value: one
// of the searches of the event types that can give the event such a
// value matches it, so the OR of what each requires; nil when the
// knowledge does not show those searches, or one requires nothing.
func gateTagged(field string, match valueMatcher, key string, k prefilterKnowledge, depth int) *gateCond {
	searches := taggedSearches(field, match, k, depth)
	if len(searches) == 0 {
		return nil
	}
	any := &gateCond{op: 'o'}
	for _, se := range searches {
		if se == nil {
			return nil
		}
		c := projectGateAt(se, key, k, depth+1)
		if c == nil {
			return nil
		}
		any.terms = append(any.terms, c)
	}
	return any
}

// taggedSearches parses the searches of the event types that can give an
// event a value of field (tag or eventtype) that match takes, nil when
// the knowledge cannot show them all or depth is maxTagDepth; an entry is
// nil for a search that does not parse.
func taggedSearches(field string, match valueMatcher, k prefilterKnowledge, depth int) []spl.SearchExpr {
	if k.tagSearches == nil || depth >= maxTagDepth {
		return nil
	}
	texts, ok := k.tagSearches(field, match)
	if !ok {
		return nil
	}
	out := make([]spl.SearchExpr, len(texts))
	for i, text := range texts {
		if se, err := spl.ParseSearchExpr(diag.NewSource("eventtype", text), spl.Limits{}); err == nil {
			out[i] = se
		}
	}
	return out
}

// gateLeaf is the test of field=values (one, or IN's list) on key's value,
// nil when the field is not read from key or a value matches anything.
func gateLeaf(field string, caseSensitive bool, values []string, key string, k prefilterKnowledge) *gateCond {
	if got, ok := gateKey(field, caseSensitive, values, k); !ok || got != key {
		return nil
	}
	any := &gateCond{op: 'o'}
	for _, v := range values {
		if newPattern(v, caseSensitive).any {
			return nil
		}
		any.terms = append(any.terms, &gateCond{op: 'm', match: newValueMatcher(v, caseSensitive)})
	}
	if len(any.terms) == 1 {
		return any.terms[0]
	}
	return any
}

// gateKeys lists the keys the base search compares (gateKey), each once,
// those of the event type searches its tag and eventtype terms follow
// (gateTagged) among them; and raws, the keys that are the one raw
// origin of a derived field it compares that gateKey does not take (a
// lookup may write the field: fieldGate.raw).
func gateKeys(e spl.SearchExpr, k prefilterKnowledge) (keys, raws []string) {
	rawOf := func(field string) {
		if k.derived == nil || !k.derived(field) || k.origins == nil {
			return
		}
		if raw, _, ok := k.origins(field); ok && len(raw) == 1 && !slices.Contains(raws, raw[0]) {
			if _, ok := gateKey(raw[0], false, nil, prefilterKnowledge{}); ok {
				raws = append(raws, raw[0])
			}
		}
	}
	var walk func(e spl.SearchExpr, depth int)
	tagged := func(field string, match valueMatcher, depth int) {
		for _, se := range taggedSearches(field, match, k, depth) {
			if se != nil {
				walk(se, depth+1)
			}
		}
	}
	walk = func(e spl.SearchExpr, depth int) {
		switch e := e.(type) {
		case *spl.SearchAnd:
			for _, t := range e.Terms {
				walk(t, depth)
			}
		case *spl.SearchOr:
			for _, t := range e.Terms {
				walk(t, depth)
			}
		case *spl.SearchCompare:
			if e.Op == "=" && isTagField(e.Field.Text()) {
				tagged(e.Field.Text(), newValueMatcher(e.Value.Text(), e.Func == "CASE"), depth)
			} else if e.Op == "=" {
				if key, ok := gateKey(e.Field.Text(), e.Func == "CASE", []string{e.Value.Text()}, k); ok && !slices.Contains(keys, key) {
					keys = append(keys, key)
				} else if !ok {
					rawOf(e.Field.Text())
				}
			}
		case *spl.SearchIn:
			values := make([]string, len(e.Values))
			for i, v := range e.Values {
				values[i] = v.Text()
			}
			if isTagField(e.Field.Text()) {
				tagged(e.Field.Text(), anyValue(values), depth)
			} else if key, ok := gateKey(e.Field.Text(), false, values, k); ok && !slices.Contains(keys, key) {
				keys = append(keys, key)
			} else if !ok {
				rawOf(e.Field.Text())
			}
		}
	}
	walk(e, 0)
	return keys, raws
}

// fieldGate is the gate of one pass: the keys read, and per key and plan
// (in the pass's order) what the plan requires of the key's value (nil:
// nothing).
type fieldGate struct {
	keys  []string
	conds [][]*gateCond
	plans int
	// absent is, per key, the plans a record without the key lets
	// through, as a bit set over the plans.
	absent [][]uint64
	// residual is, per plan, its raw pre-filter without the terms on the
	// keys (buildPrefilterWith, prefilterKnowledge.gated), bound to the
	// pass's literals; residualAny its requiredAny.
	residual    []*prefilter
	residualAny [][]int
	literals    []bool // per plan: its residual has literals
	// noTuples turns the workers' tupleMemo off (Options.noGateTuples).
	noTuples bool
	// caches are the workers' memories of what values let through;
	// direct, per key, says its plans' tests are so few (maxDirectTests)
	// that running them costs less than looking the value up.
	caches []gateCache
	direct []bool
	// terms are, per key, the tests of the residual pre-filters' 'g'
	// terms on it (gateTerm.id), and none, per key, as many words of
	// zeros: no term holds of a record without the key.
	terms [][]*gateCond
	none  [][]uint64
	all   []uint64 // every plan's bit
	// decides is the plans whose base searches the gate decides
	// (decideBase): exact, per key and plan, what their terms make of
	// the key's value (nil: nothing); absentSure, per key, the plans
	// whose terms on it hold of a record without it; defaults, per plan,
	// its tests of default fields. sureWords is the words of a set of
	// plans when some plan is decided, 0 otherwise.
	decides    []uint64
	exact      [][]*gateCond
	absentSure [][]uint64
	defaults   [][]defaultTest
	sureWords  int
	// byKeys, when set, reads more keys after keys (byKeyGate.extra).
	byKeys *byKeyGate
}

// gateCache is one worker's memory of the plans each value of a key lets
// through, and its scratch.
type gateCache struct {
	byKey []valueTable
	// bits is the plans the record's values let through; long, per key,
	// what a value not kept lets through (fieldGate.lets); terms, per
	// key, the 'g' terms the record's value satisfies. bits and long are
	// in one allocation of whole cache lines (gateScratch), which no
	// other worker's writes share, and terms in another.
	bits  []uint64
	long  [][]uint64
	terms [][]uint64
	pass  []uint64 // the plans whose tests let the record through (skipGated)
	// sure is the plans whose base searches the record's values decide
	// true (but for their default fields' tests); sureOK says they are
	// those of the record skipGated held last (fieldGate.held).
	sure   []uint64
	sureOK bool
	// tuples is what records with the same values at every key decided.
	tuples tupleMemo
	// defaults is what the plans' default fields' tests gave (baseHolds).
	defaults defaultsMemo
	byKeys   byKeyScratch
	_        [64]byte // keeps the next worker's cache off this one's lines
}

// maxGateTuples bounds a worker's tupleMemo: when it is full it starts
// again empty (the data may hold a new combination in every record).
const maxGateTuples = 4096

// tupleMemo is a worker's memory of the outcome of skipGated's tests for
// a record's values at all the gate's keys together, where every key was
// decided (absent, or a string of at most maxGateValueLen bytes) and no
// plan's test searched for a literal: that outcome is then a function of
// the values alone. The per-key tables (valueTable) spare the tests of a
// value; this spares, for the few combinations most records hold, the
// look-up of each key's value, the sets' intersection and the residual
// pre-filters' tests of the plans let through, which were half of
// skipGated's time in the 59 ESCU CloudTrail detections' pass.
type tupleMemo struct {
	buf     []byte
	entries map[string]*tupleOutcome
}

// tupleOutcome is what one combination of values decided: the plans let
// through, those of them whose base searches the values decide true
// (gateCache.sure), whether no plan is let through, and ruleOut's report
// of each plan (outsOf).
type tupleOutcome struct {
	pass, sure []uint64
	skip       bool
	outs       []bool
	// reqs are what the by-field gate requires of the record for some
	// plans of sure (byKeyGate.requirements).
	reqs []byKeyReq
}

// key is the combination of values, as a string in t's scratch memory
// (valid until the next call), and whether it may be kept: false for a
// key that is not absent or a short plain string.
func (t *tupleMemo) key(values []event.GateValue) (string, bool) {
	b := t.buf[:0]
	for _, v := range values {
		switch {
		case v.Kind == event.GateAbsent:
			b = append(b, 0)
		case v.Kind == event.GateString && len(v.Value) <= maxGateValueLen:
			b = append(b, 1, byte(len(v.Value)))
			b = append(b, v.Value...)
		default:
			return "", false
		}
	}
	t.buf = b
	return unsafe.String(unsafe.SliceData(b), len(b)), true
}

// get is the outcome kept for key, nil when there is none.
func (t *tupleMemo) get(key string, keyed bool) *tupleOutcome {
	if !keyed || t.entries == nil {
		return nil
	}
	return t.entries[key]
}

// put keeps the outcome for key, of n plans.
func (t *tupleMemo) put(key string, pass, sure []uint64, skip bool, n int, reqs []byKeyReq) {
	if t.entries == nil || len(t.entries) >= maxGateTuples {
		t.entries = make(map[string]*tupleOutcome)
	}
	t.entries[strings.Clone(key)] = &tupleOutcome{pass: slices.Clone(pass), sure: slices.Clone(sure), skip: skip, outs: outsOf(nil, pass, n), reqs: reqs}
}

// gateScratch carves sets of the given numbers of words out of one block
// of whole cache lines (an allocation of 128 bytes or a multiple of 64 is
// laid on cache lines of its own): two workers writing their own small
// sets on one line took 10% of a detection's time.
func gateScratch(sizes ...int) [][]uint64 {
	n := 0
	for _, size := range sizes {
		n += size
	}
	b := make([]uint64, max((n+7)/8*8, 16))
	out := make([][]uint64, len(sizes))
	for i, size := range sizes {
		out[i], b = b[:size:size], b[size:]
	}
	return out
}

// newFieldGate makes the gate of a pass whose plans' base searches are
// exprs (nil for a plan without one), with the knowledge of each; nil
// when no key decides any plan. The keys are those the most plans compare,
// up to maxGateKeys.
func newFieldGate(exprs []spl.SearchExpr, ks []prefilterKnowledge, workers int) *fieldGate {
	count := map[string]int{}
	for i, e := range exprs {
		if e == nil {
			continue
		}
		keys, raws := gateKeys(e, ks[i])
		for _, key := range keys {
			if projectGate(e, key, ks[i]) != nil {
				count[key]++
			}
		}
		for _, key := range raws {
			if !slices.Contains(keys, key) {
				count[key]++ // for the residual pre-filter alone (fieldGate.raw)
			}
		}
	}
	if len(count) == 0 {
		return nil
	}
	keys := byCount(count)
	if len(keys) > maxGateKeys {
		keys = keys[:maxGateKeys]
	}
	g := &fieldGate{keys: keys, plans: len(exprs), caches: make([]gateCache, max(workers, 1))}
	words := (len(exprs) + 63) / 64
	for _, key := range keys {
		conds := make([]*gateCond, len(exprs))
		for i, e := range exprs {
			if e != nil {
				conds[i] = projectGate(e, key, ks[i])
			}
		}
		g.conds = append(g.conds, conds)
		absent := make([]uint64, words)
		for i, c := range conds {
			if c == nil || c.test("", true) {
				absent[i/64] |= 1 << (i % 64)
			}
		}
		g.absent = append(g.absent, absent)
	}
	g.terms = make([][]*gateCond, len(keys))
	return g
}

// finish readies the workers' memories once the residual pre-filters
// have their 'g' terms.
func (g *fieldGate) finish() {
	words := (g.plans + 63) / 64
	g.all = make([]uint64, words)
	for i := range g.plans {
		g.all[i/64] |= 1 << (i % 64)
	}
	sizes := []int{words, words, g.sureWords}
	for k := range g.keys {
		tests := len(g.terms[k]) + g.sureTests(k)
		for _, c := range g.conds[k] {
			tests += c.tests()
		}
		g.direct = append(g.direct, tests <= maxDirectTests)
		n := (len(g.terms[k]) + 63) / 64
		g.none = append(g.none, make([]uint64, n))
		sizes = append(sizes, words+n+g.sureWords)
	}
	for w := range g.caches {
		c := &g.caches[w]
		c.byKey = make([]valueTable, len(g.keys))
		for i := range c.byKey {
			if !g.direct[i] {
				c.byKey[i] = newValueTable()
			}
		}
		sets := gateScratch(sizes...)
		c.bits, c.pass, c.sure, c.long = sets[0], sets[1], sets[2], sets[3:]
		c.terms = make([][]uint64, len(g.keys))
	}
}

// newTerm is a 'g' term testing cond on the value at keys[at].
func (g *fieldGate) newTerm(at int, cond *gateCond) *prefilter {
	g.terms[at] = append(g.terms[at], cond)
	return &prefilter{op: 'g', gate: &gateTerm{key: g.keys[at], at: at, id: len(g.terms[at]) - 1}}
}

// gateTerm is a 'g' term of a residual pre-filter: the test of the
// value at key, the gate's keys[at].
type gateTerm struct {
	key string
	at  int
	id  int // the term's bit in the key's (fieldGate.terms)
}

// term gives, for the residual pre-filters, the term of field=values when
// one of the gate's keys decides it: a 'g' term testing the key's value
// as the search does, nil (no requirement) when a value matches anything.
func (g *fieldGate) term(k prefilterKnowledge) func(field string, caseSensitive bool, values []string) (*prefilter, bool) {
	return func(field string, caseSensitive bool, values []string) (*prefilter, bool) {
		key, ok := gateKey(field, caseSensitive, values, k)
		if !ok {
			return nil, false
		}
		at := slices.Index(g.keys, key)
		if at < 0 {
			return nil, false
		}
		c := gateLeaf(field, caseSensitive, values, key, k)
		if c == nil {
			return nil, true
		}
		return g.newTerm(at, c), true
	}
}

// raw gives, for the residual pre-filters, the term of raw field=values
// when the raw field is one of the gate's keys: a derived field's value
// before its lookups is that field's (viaLookups). The 'g' term tests the
// key's value as the search tests the derived field's; nil (no
// requirement) when a value matches anything.
func (g *fieldGate) raw(raw string, caseSensitive bool, values []string) (*prefilter, bool) {
	at := slices.Index(g.keys, raw)
	if at < 0 {
		return nil, false
	}
	any := &gateCond{op: 'o'}
	for _, v := range values {
		if newPattern(v, caseSensitive).any {
			return nil, true
		}
		any.terms = append(any.terms, &gateCond{op: 'm', match: newValueMatcher(v, caseSensitive)})
	}
	return g.newTerm(at, any), true
}

// input gives, for the residual pre-filters, the term of a lookup row's
// input field in matching its cell (inputLiteral), when the field is a
// raw one the gate reads: a 'g' term testing the key's value as the
// lookup compares it (lookup.Via.Matches).
func (g *fieldGate) input(k prefilterKnowledge) func(field string, match valueMatcher) (*prefilter, bool) {
	return func(field string, match valueMatcher) (*prefilter, bool) {
		if k.derived != nil && k.derived(field) {
			return nil, false
		}
		key, ok := gateKey(field, false, nil, k)
		if !ok {
			return nil, false
		}
		at := slices.Index(g.keys, key)
		if at < 0 {
			return nil, false
		}
		return g.newTerm(at, &gateCond{op: 'm', match: match}), true
	}
}

// cheapFirst orders the terms of each group of a residual pre-filter by
// how many literal searches it takes to find them false (searches): the
// gate's terms, which search for none, first, so that an OR they satisfy
// or an AND they fail costs no search at all. The 59 ESCU CloudTrail
// detections' data model search is an AND whose where clause fails on
// the gate's terms alone, after its constraints' OR of three literals.
func cheapFirst(f *prefilter) *prefilter {
	if f == nil {
		return nil
	}
	for _, t := range f.terms {
		cheapFirst(t)
	}
	slices.SortStableFunc(f.terms, func(x, y *prefilter) int { return x.searches() - y.searches() })
	return f
}

// searches is how many literals a pre-filter's test searches for, at
// most, to find it false, its groups ordered by cheapFirst: an OR all of
// its terms', an AND its cheapest term's.
func (f *prefilter) searches() int {
	switch f.op {
	case 'l':
		return 1
	case 'g':
		return 0
	case 'o':
		n := 0
		for _, t := range f.terms {
			n += t.searches()
		}
		return n
	}
	n := -1
	for _, t := range f.terms {
		if c := t.searches(); n < 0 || c < n {
			n = c
		}
	}
	return max(n, 0)
}

// settled is the value of a residual pre-filter that its 'g' terms give
// whatever its literals' answers, known false when they do not settle it.
func (f *prefilter) settled(m *literalMemo) (ok, known bool) {
	switch f.op {
	case 'g':
		return f.test("", m), true
	case 'l':
		return false, false
	case 'a':
		known = true
		for _, t := range f.terms {
			v, k := t.settled(m)
			if k && !v {
				return false, true
			}
			known = known && k
		}
		return true, known
	}
	known = true
	for _, t := range f.terms {
		v, k := t.settled(m)
		if k && v {
			return true, true
		}
		known = known && k
	}
	return false, known
}

// hasLiterals reports whether a pre-filter has a literal to search for.
func (f *prefilter) hasLiterals() bool {
	if f == nil {
		return false
	}
	if f.op == 'l' {
		return true
	}
	return slices.ContainsFunc(f.terms, (*prefilter).hasLiterals)
}

// rule works out, on worker w, which plans the record's values at the
// keys let through (bit i of lets, in the worker's scratch), and whether
// every key was decided (each held once as a plain string, or absent).
func (g *fieldGate) rule(w int, values []event.GateValue) (lets []uint64, terms [][]uint64, decided bool) {
	c := &g.caches[w]
	copy(c.bits, g.all)
	copy(c.sure, g.decides)
	decided = true
	words := len(c.bits)
	for k, v := range values {
		switch v.Kind {
		case event.GateAbsent:
			and(c.bits, g.absent[k])
			c.terms[k] = g.none[k]
			if g.sureWords > 0 {
				and(c.sure, g.absentSure[k])
			}
		case event.GateString:
			e := g.lets(c, k, v.Value)
			n := words + len(g.none[k])
			and(c.bits, e[:words])
			c.terms[k] = e[words:n]
			if g.sureWords > 0 {
				and(c.sure, e[n:])
			}
		default:
			decided = false
		}
	}
	return c.bits, c.terms, decided
}

// lets is what the value at key k lets through, from the worker's memory
// when it is there: the plans as a bit set, then the residual
// pre-filters' 'g' terms on the key (gateTerm.id) that it satisfies.
func (g *fieldGate) lets(c *gateCache, k int, value string) []uint64 {
	keep := len(value) <= maxGateValueLen && !g.direct[k]
	var h uint64
	if keep {
		h = valueHash(value)
		if bits := c.byKey[k].get(h, value); bits != nil {
			return bits
		}
	}
	bits := c.long[k]
	clear(bits)
	for i, cond := range g.conds[k] {
		if cond == nil || cond.test(value, false) {
			bits[i/64] |= 1 << (i % 64)
		}
	}
	terms := bits[len(c.bits):]
	for i, cond := range g.terms[k] {
		if cond.test(value, false) {
			terms[i/64] |= 1 << (i % 64)
		}
	}
	if g.sureWords > 0 {
		// An empty string decides nothing, as a precaution: it is rare,
		// and the base search then runs as before.
		sure := terms[len(g.none[k]):]
		for i, cond := range g.exact[k] {
			if cond == nil || value != "" && cond.test(value, false) {
				sure[i/64] |= 1 << (i % 64)
			}
		}
	}
	if keep {
		return c.byKey[k].put(h, value, bits)
	}
	return bits
}

// valueTable is a worker's memory of what the values of one key let
// through: maxGateValues slots, each value in one of the probeLen after
// its hash's, a new value taking the place of the first when they are
// all taken. It costs a third of a map look-up, and holds no more
// whatever the data.
type valueTable struct {
	slots []valueSlot
}

type valueSlot struct {
	h    uint64
	key  string
	bits []uint64 // nil: the slot is free
}

// probeLen is how many slots a value may be in.
const probeLen = 4

func newValueTable() valueTable { return valueTable{slots: make([]valueSlot, maxGateValues)} }

// get is what value (whose hash is h) lets through, nil when the table
// does not hold it.
func (t valueTable) get(h uint64, value string) []uint64 {
	mask := uint64(len(t.slots) - 1)
	for i := range uint64(probeLen) {
		sl := &t.slots[(h+i)&mask]
		if sl.bits == nil {
			return nil
		}
		if sl.h == h && sl.key == value {
			return sl.bits
		}
	}
	return nil
}

// put keeps a copy of bits for value, and returns it.
func (t valueTable) put(h uint64, value string, bits []uint64) []uint64 {
	mask := uint64(len(t.slots) - 1)
	sl := &t.slots[h&mask]
	for i := range uint64(probeLen) {
		if s := &t.slots[(h+i)&mask]; s.bits == nil {
			sl = s
			break
		}
	}
	if sl.bits == nil {
		sl.bits = make([]uint64, len(bits))
	}
	copy(sl.bits, bits)
	sl.h, sl.key = h, strings.Clone(value)
	return sl.bits
}

// valueHash mixes a value's length and its first and last 8 bytes (all
// of a shorter one): event names and sources differ there.
func valueHash(s string) uint64 {
	var a, b uint64
	if n := len(s); n >= 8 {
		a, b = le64(s, 0), le64(s, n-8)
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(s[i])
		}
	}
	h := (a ^ bits.RotateLeft64(b, 29) ^ uint64(len(s))*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	return h ^ h>>29
}

// le64 is the 8 bytes of s at i as a little-endian number.
func le64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func and(dst, src []uint64) {
	for i := range dst {
		dst[i] &= src[i]
	}
}

// knowledgeOf is what the raw pre-filter knows of the fields a plan's
// options make (planner.prefilterOf).
func knowledgeOf(opts Options) prefilterKnowledge {
	return prefilterKnowledge{
		derived:       opts.Derived,
		origins:       opts.Origins,
		lookupOrigins: opts.LookupOrigins,
		tagSearches:   opts.TagSearches,
	}
}

// newPassGate is the field gate of a pass over the plans reading, with
// their residual pre-filters bound to lits; nil when the options turn it
// off or no key decides a plan. A plan whose events come through a data
// model (tstats) has no base search of its own here: its residual is its
// whole pre-filter.
func newPassGate(reading []*running, lits map[string]*foldLiteral, workers int) *fieldGate {
	exprs := make([]spl.SearchExpr, len(reading))
	ks := make([]prefilterKnowledge, len(reading))
	for i, r := range reading {
		if r.plan.opts.NoFieldGate {
			return nil
		}
		exprs[i], ks[i] = r.plan.gateExpr, knowledgeOf(r.plan.opts)
	}
	g := newFieldGate(exprs, ks, workers)
	if g == nil {
		return nil
	}
	g.noTuples = slices.ContainsFunc(reading, func(r *running) bool { return r.plan.opts.noGateTuples })
	for i, r := range reading {
		f := r.plan.prefilter
		if exprs[i] != nil {
			k := ks[i]
			k.gated, k.gatedInput, k.gatedRaw = g.term(ks[i]), g.input(ks[i]), g.raw
			f = buildPrefilterWith(exprs[i], k, 0)
		}
		b := f.bind(lits)
		if exprs[i] != nil {
			b = cheapFirst(b)
		}
		g.residual = append(g.residual, b)
		g.literals = append(g.literals, b.hasLiterals())
	}
	bases := make([]spl.SearchExpr, len(reading))
	for i, r := range reading {
		if r.plan.gateBase && r.plan.view == nil && r.plan.base != nil {
			bases[i] = exprs[i]
		}
	}
	g.decide(bases, ks)
	g.finish()
	if !g.noTuples && g.sureWords > 0 && !slices.ContainsFunc(reading, func(r *running) bool { return r.plan.opts.noByKeys }) {
		if g.byKeys = newByKeyGate(reading, g); g.byKeys != nil {
			for w := range g.caches {
				s := &g.caches[w].byKeys
				s.probes = make([]*event.ObjectProbe, len(g.byKeys.objs))
				s.keyless = make([]int, len(reading))
			}
		}
	}
	return g
}

// scanKeys are the keys the validating scan reads for the gate: its own,
// then the by-field gate's.
func (g *fieldGate) scanKeys() []string {
	if g.byKeys == nil {
		return g.keys
	}
	return append(slices.Clip(g.keys), g.byKeys.extra...)
}

// skipGated is skip for a record whose values at the gate's keys the
// validating scan read (event.ScanOptions.SkipGated): the plans the gate
// rules out are out; of the rest, when the gate decided every key, only
// the residual pre-filters are tested, otherwise the whole ones. A record
// let through is held for offer, with what ruleOut reports of each plan,
// as skip holds it (one that may spell a literal with a \u escape by the
// gate's answers alone: letThrough). A held record also keeps, for
// offer, the plans whose base searches the gate decided true
// (fieldGate.held).
func (pf *prefilters) skipGated(w int, raw []byte, values []event.GateValue, file *event.Event) bool {
	m := &pf.memos[w]
	m.hasHeld = false
	if pf.fgate != nil {
		pf.fgate.caches[w].sureOK = false
	}
	if !pf.every || pf.skipUseless.Load() {
		return false
	}
	text := unsafe.String(unsafe.SliceData(raw), len(raw))
	pf.once.Do(func() { pf.setup(text) })
	g := pf.fgate
	c := &g.caches[w]
	n := len(pf.plans)
	pass := c.pass
	// A record whose values the worker has seen before, where no plan's
	// outcome took a literal search, has the plans that record had, but
	// for those whose BY fields it shows null (applyByKeys).
	all := values
	if g.byKeys != nil {
		values = values[:len(g.byKeys.known)]
	}
	key, keyed := c.tuples.key(values)
	keyed = keyed && !g.noTuples
	if t := c.tuples.get(key, keyed); t != nil {
		if t.skip {
			pf.count(true)
			return true
		}
		if t.reqs != nil {
			var none bool
			if t, none = pf.applyByKeys(w, all, file, t); none {
				pf.count(true)
				return true
			}
		}
		return pf.letThrough(m, c, text, raw, t.pass, nil, n, false, true, t, nil, nil)
	}
	values = values[:len(g.keys)]
	lets, terms, decided := g.rule(w, values)
	plans, anyOf := pf.plans, pf.anyOf
	if decided {
		plans, anyOf = g.residual, g.residualAny
	}
	m.gate = terms
	// The plans the gate lets through are tested, one set bit of lets
	// after another; the memo is readied for literals when the first is
	// asked. Plans the gate rules out are out without a look.
	prepared, searched := false, false
	skip := true
	for wi, word := range lets {
		pass[wi] = 0
		for word != 0 {
			i := wi*64 + bits.TrailingZeros64(word)
			word &= word - 1
			f, out := plans[i], true
			switch {
			case f == nil:
				out = false
			case decided && !g.literals[i]:
				out = !f.test(text, m)
			case decided:
				// The gate's terms may settle it before any literal.
				if ok, known := f.settled(m); known {
					out = !ok
					break
				}
				fallthrough
			default:
				if !prepared {
					pf.prepare(text, m)
					prepared = true
				}
				searched = true
				if ruledOut(anyOf[i], m.states()) {
					out = !m.tally.known(i, n, false)
				} else {
					out = !m.tally.test(i, n, f, text, m)
				}
			}
			if !out {
				pass[wi] |= 1 << (i % 64)
				skip = false
			}
		}
	}
	if decided && g.sureWords > 0 {
		and(c.sure, pass)
	}
	var reqs []byKeyReq
	if decided && g.byKeys != nil && !skip {
		reqs = g.byKeys.requirements(&c.byKeys, all, c.sure)
	}
	if decided && !prepared && keyed {
		c.tuples.put(key, pass, c.sure, skip, n, reqs)
	}
	if skip && !searched {
		m.raw, m.ready, m.gate = "", false, nil
		pf.count(true)
		return true
	}
	if reqs != nil {
		// A record the literals' answers decided for some plan is
		// never remembered: its requirements are met here, on the
		// plans let through once the escapes are seen to (letThrough).
		return pf.letThrough(m, c, text, raw, pass, lets, n, prepared, decided, nil, reqs, func(pass []uint64) {
			for _, i := range pf.nullBy(w, all, file, reqs, pass) {
				pass[i/64] &^= 1 << (i % 64)
				c.sure[i/64] &^= 1 << (i % 64)
			}
		})
	}
	return pf.letThrough(m, c, text, raw, pass, lets, n, prepared, decided, nil, nil, nil)
}

// letThrough finishes skipGated for a record that some plan's test let
// through (pass), or whose tests searched for a literal (prepared):
// unless no plan is let through, the record is held with ruleOut's
// report of each of the n plans, and, when the gate decided every key,
// the plans whose base searches its values decide true (c.sure, which
// skipGated has narrowed to pass). t, when the outcome is one the worker
// remembered, has them ready. A record that may spell a literal with a \u escape is held
// too, but with the plans the gate's keys let through (lets) where a
// literal's answer went into pass: the literals' answers do not hold for
// it, the gate's do (a value the gate reads has no escape), and a base
// search decides each plan it reaches. It was let through unheld, to
// every plan: in the 59 ESCU CloudTrail detections' pass, each of the
// 1,144 records of the default data with an escaped errorMessage ran
// all 61 plans' base searches and was extracted for all of them. nullBy,
// when set, then takes from pass (and c.sure) the plans whose BY fields
// the record shows null (the by-field gate).
func (pf *prefilters) letThrough(m *literalMemo, c *gateCache, text string, raw []byte, pass, lets []uint64, n int, prepared, decided bool, t *tupleOutcome, reqs []byKeyReq, nullBy func(pass []uint64)) bool {
	if !prepared {
		m.reset(len(pf.lits))
		m.raw, m.ready = text, true
	}
	escaped := pf.escaped(text, m)
	if escaped && prepared {
		copy(pass, lets)
	}
	if nullBy != nil {
		nullBy(pass)
	}
	skip := !slices.ContainsFunc(pass, func(word uint64) bool { return word != 0 })
	if !skip {
		if t != nil {
			m.outs = append(m.outs[:0], t.outs...)
		} else {
			m.outs = outsOf(m.outs, pass, n)
		}
		m.hasHeld, m.heldEscaped = true, escaped
		if decided && pf.fgate.sureWords > 0 {
			if t != nil {
				copy(c.sure, t.sure)
				reqs = t.reqs
			}
			c.sureOK = true
			c.byKeys.exact = reqs
		}
	}
	m.raw, m.ready, m.gate = "", false, nil
	pf.count(skip)
	return skip
}

// outsOf is ruleOut's report of each of n plans (true: ruled out) for a
// record that reaches the plans of pass, one bit per plan, in outs
// (reused). A record the gate lets through reaches one plan or a few of
// the many: all are set, then the few reached are cleared, where a test
// of each plan's bit was a sixth of skipGated's time in the 59 ESCU
// CloudTrail detections' pass.
func outsOf(outs []bool, pass []uint64, n int) []bool {
	outs = slices.Grow(outs[:0], n)[:n]
	for i := range outs {
		outs[i] = true
	}
	for wi, word := range pass {
		for ; word != 0; word &= word - 1 {
			if i := wi*64 + bits.TrailingZeros64(word); i < n {
				outs[i] = false
			}
		}
	}
	return outs
}

// The gate's decision of a base search: where every term of a plan's
// base search is a test of a key the gate reads, read soundly for the
// record, or of a default field (sourcetype, index, source, host), the
// gate knows the search's outcome itself, and offer does not run it
// (fieldGate.sure). A term decides only where the base search compares
// the field's values as the gate sees them: the field is no derived one
// (no alias, calculated field, extraction or lookup writes it), so its
// one value is the key's JSON string, verbatim, or it has none
// (docs/semantics-events.md, "KV_MODE=json flattening"); the value is
// tested with the very matcher the base search builds (newValueMatcher),
// NOT and != as the search compiles them (docs/semantics.md, "Search
// command", [D-not]). Anything else decides nothing, and the base search
// runs.

// exactField reports whether the base search's field=value on field is
// its key's value as the gate reads it: a raw field no knowledge writes,
// whose name the gate can read as a top-level key (gateKey).
func exactField(field string, k prefilterKnowledge) bool {
	if isTagField(field) || k.derived != nil && k.derived(field) {
		return false
	}
	key, ok := gateKey(field, false, nil, k)
	return ok && key == field
}

// exactOn is the key a term of a base search tests and what it makes of
// the key's value, nil when the term reads something else, or more than
// one key.
func exactOn(e spl.SearchExpr, k prefilterKnowledge) (string, *gateCond) {
	var terms []spl.SearchExpr
	var op byte
	switch e := e.(type) {
	case *spl.SearchAnd:
		terms, op = e.Terms, 'a'
	case *spl.SearchOr:
		terms, op = e.Terms, 'o'
	case *spl.SearchNot:
		key, t := exactOn(e.Term, k)
		if t == nil {
			return "", nil
		}
		return key, &gateCond{op: 'n', terms: []*gateCond{t}}
	case *spl.SearchCompare:
		field := e.Field.Text()
		if e.Op != "=" && e.Op != "!=" || !exactField(field, k) {
			return "", nil
		}
		op := byte('m')
		if e.Op == "!=" {
			op = 'x'
		}
		return field, &gateCond{op: op, match: newValueMatcher(e.Value.Text(), e.Func == "CASE")}
	case *spl.SearchIn:
		field := e.Field.Text()
		if !exactField(field, k) {
			return "", nil
		}
		values := make([]string, len(e.Values))
		for i, v := range e.Values {
			values[i] = v.Text()
		}
		return field, &gateCond{op: 'm', match: anyValue(values)}
	default:
		return "", nil
	}
	if len(terms) == 0 {
		return "", nil
	}
	key := ""
	c := &gateCond{op: op}
	for _, t := range terms {
		tk, tc := exactOn(t, k)
		if tc == nil || key != "" && tk != key {
			return "", nil
		}
		key, c.terms = tk, append(c.terms, tc)
	}
	return key, c
}

// defaultTest is a base search's field=value on a default field that the
// reader sets for every event (event.Event's Sourcetype, Index, Source,
// Host), tested on the event as the search tests the field: an empty
// default field is absent (docs/semantics-events.md).
type defaultTest struct {
	field string
	match valueMatcher
}

func (d defaultTest) holds(ev *event.Event) bool {
	var v string
	switch d.field {
	case "sourcetype":
		v = ev.Sourcetype
	case "index":
		v = ev.Index
	case "source":
		v = ev.Source
	case "host":
		v = ev.Host
	}
	return v != "" && d.match(v)
}

// defaultOn is the test of a term on a default field no knowledge writes,
// false when the term is something else.
func defaultOn(e spl.SearchExpr, k prefilterKnowledge) (defaultTest, bool) {
	c, ok := e.(*spl.SearchCompare)
	if !ok || c.Op != "=" {
		return defaultTest{}, false
	}
	switch f := c.Field.Text(); f {
	case "sourcetype", "index", "source", "host":
		if k.derived != nil && k.derived(f) {
			return defaultTest{}, false
		}
		return defaultTest{field: f, match: newValueMatcher(c.Value.Text(), c.Func == "CASE")}, true
	}
	return defaultTest{}, false
}

// decideBase splits a base search, an AND of terms, into what its terms
// make of each of keys' values (nil where none reads the key) and its
// tests of default fields; ok is false when a term is neither.
func decideBase(e spl.SearchExpr, keys []string, k prefilterKnowledge) (byKey []*gateCond, defaults []defaultTest, ok bool) {
	byKey = make([]*gateCond, len(keys))
	var walk func(e spl.SearchExpr) bool
	walk = func(e spl.SearchExpr) bool {
		if and, ok := e.(*spl.SearchAnd); ok {
			for _, t := range and.Terms {
				if !walk(t) {
					return false
				}
			}
			return true
		}
		if d, ok := defaultOn(e, k); ok {
			defaults = append(defaults, d)
			return true
		}
		key, c := exactOn(e, k)
		at := slices.Index(keys, key)
		if c == nil || at < 0 {
			return false
		}
		if byKey[at] == nil {
			byKey[at] = c
		} else {
			byKey[at] = &gateCond{op: 'a', terms: []*gateCond{byKey[at], c}}
		}
		return true
	}
	if !walk(e) {
		return nil, nil, false
	}
	return byKey, defaults, true
}

// decide marks the plans whose base searches (exprs, nil for a plan whose
// base search is not its gateExpr) the gate decides.
func (g *fieldGate) decide(exprs []spl.SearchExpr, ks []prefilterKnowledge) {
	words := (g.plans + 63) / 64
	g.decides = make([]uint64, words)
	g.exact = make([][]*gateCond, len(g.keys))
	for k := range g.keys {
		g.exact[k] = make([]*gateCond, g.plans)
	}
	g.defaults = make([][]defaultTest, g.plans)
	for i, e := range exprs {
		if e == nil {
			continue
		}
		byKey, defaults, ok := decideBase(e, g.keys, ks[i])
		if !ok {
			continue
		}
		g.decides[i/64] |= 1 << (i % 64)
		g.sureWords = words
		g.defaults[i] = defaults
		for k, c := range byKey {
			g.exact[k][i] = c
		}
	}
	for k := range g.keys {
		absent := make([]uint64, words)
		for i, c := range g.exact[k] {
			if c == nil || c.test("", true) {
				absent[i/64] |= 1 << (i % 64)
			}
		}
		g.absentSure = append(g.absentSure, absent)
	}
}

// sureTests counts the exact tests of key k's value, for the choice of
// remembering its values (maxDirectTests).
func (g *fieldGate) sureTests(k int) int {
	if g.sureWords == 0 {
		return 0
	}
	n := 0
	for _, c := range g.exact[k] {
		if c != nil {
			n++
		}
	}
	return n
}

// held is, for offer on worker w, the plans whose base searches the gate
// decided true, but for their default fields' tests, for the record
// skipGated let through and held last there; nil when it decided none,
// or the worker's last held record was not one skipGated held.
func (g *fieldGate) held(w int) []uint64 {
	c := &g.caches[w]
	if !c.sureOK {
		return nil
	}
	c.sureOK = false
	return c.sure
}

// baseHolds is the outcome of plan i's base search on ev, on worker w,
// where the gate decided its terms on the keys true (held): its default
// fields' tests. Their outcome is the same for every event of a file, and
// the worker remembers it per plan while the events' default fields stay
// the same: matching sourcetype=aws:cloudtrail for every record that
// search 30 of the 59 ESCU CloudTrail detections reads was 1.5% of the
// pass's CPU.
func (g *fieldGate) baseHolds(w, i int, ev *event.Event) bool {
	if len(g.defaults[i]) == 0 {
		return true
	}
	d := &g.caches[w].defaults
	if ev.Sourcetype != d.sourcetype || ev.Index != d.index || ev.Source != d.source || ev.Host != d.host || d.known == nil {
		d.sourcetype, d.index, d.source, d.host = ev.Sourcetype, ev.Index, ev.Source, ev.Host
		if d.known == nil {
			d.known, d.holds = make([]uint64, len(g.all)), make([]uint64, len(g.all))
		}
		clear(d.known)
	}
	bit := uint64(1) << (i % 64)
	if d.known[i/64]&bit != 0 {
		return d.holds[i/64]&bit != 0
	}
	holds := true
	for _, t := range g.defaults[i] {
		if !t.holds(ev) {
			holds = false
			break
		}
	}
	d.known[i/64] |= bit
	if holds {
		d.holds[i/64] |= bit
	} else {
		d.holds[i/64] &^= bit
	}
	return holds
}

// defaultsMemo is a worker's memory of the outcomes of the plans' default
// fields' tests (baseHolds) for events with the default fields it holds:
// known has bit i when plan i's outcome is known, holds when it is true.
type defaultsMemo struct {
	sourcetype, index, source, host string
	known, holds                    []uint64
}

// byCount lists count's keys, the most counted first, then by name.
func byCount(count map[string]int) []string {
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	return keys
}
