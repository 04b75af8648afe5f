package knowledge

import (
	"sort"
	"strings"
	"sync/atomic"

	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// Source wraps an event's extracted fields with the knowledge of its
// sourcetype. Each step is computed only when a field it makes is asked
// for, and each sees only the steps before it (docs/knowledge.md, "Order"):
//
//	raw (KV_MODE=json)  ←  EXTRACT/REPORT  ←  FIELDALIAS  ←  EVAL (in parallel)  ←  LOOKUP  ←  eventtype, tag
func (k *Knowledge) Source(sourcetype string, raw value.Source) value.Source {
	return k.sourceIn(nil, sourcetype, raw)
}

// noRules are the rules of a sourcetype the knowledge has none for, whose
// events still get event types and tags.
var noRules = &Rules{calcs: map[string]calcRule{}, derived: map[string]bool{}, made: map[string]*fieldRule{}}

// sourceIn is Source made in s, or in a new source when s is nil. s is
// made afresh: nothing it held for an earlier event stays, so what that
// event's readers took from it (values, slices of tags) is left intact.
func (k *Knowledge) sourceIn(s *source, sourcetype string, raw value.Source) value.Source {
	var r *Rules
	if s != nil && s.k == k && s.forRules != nil && s.forName == sourcetype {
		r = s.forRules
	} else if r = k.For(sourcetype); r == nil && len(k.eventtypes) == 0 && len(k.fieldTags) == 0 {
		return raw
	} else if r == nil {
		r = noRules
	}
	if s == nil {
		s = &source{}
	}
	if s.layers[0].s != s {
		for i := range s.layers {
			s.layers[i] = layer{s, i}
		}
	}
	s.forget()
	s.k, s.r, s.raw = k, r, raw
	s.rawID, _ = raw.(value.IDSource)
	s.forName, s.forRules = sourcetype, r
	return s
}

// forget drops what s holds of its last event, as a new source would
// have nothing: every source a goroutine makes for its events lives in
// one (Sourcetype.Reusing), and assigning it a whole new source cleared
// all its bytes and wrote its layers again for every event. The layers
// (views of s itself), the memory of calcMore, whose values were copied
// out and never lent, and the sourcetype's rules last looked up stay.
func (s *source) forget() {
	s.extracted, s.aliased, s.aliasSteps = nil, nil, 0
	clear(s.calcSmall[:min(s.calcN, len(s.calcSmall))])
	s.calcN, s.calcMore = 0, s.calcMore[:0]
	s.looked, s.lookedN, s.lookedSet = nil, 0, 0
	s.etypes, s.tags, s.etState, s.etRow, s.etGate = nil, nil, nil, nil, nil
}

// layer is a view of the fields after one step. The views live inside
// their source, so wrapping an event allocates once.
type layer struct {
	s    *source
	step int
}

func (l *layer) Field(name string) (value.Value, bool) {
	fr := l.s.r.rules.get(name)
	if fr == nil {
		// No step makes it: every layer shows the event's own value
		// (event types read sourcetype and eventName this way).
		return l.s.raw.Field(name)
	}
	switch l.step {
	case 0:
		return l.s.field0(name, fr)
	case 1:
		return l.s.field1(name, fr)
	case 2:
		return l.s.field2(name, fr)
	}
	return l.s.field3(name, fr)
}

func (l *layer) Each(func(string, value.Value)) {}

type source struct {
	k   *Knowledge
	r   *Rules
	raw value.Source
	// rawID is raw when it reads fields by ID (value.IDSource), nil
	// otherwise: asked once an event, not once a field read.
	rawID value.IDSource
	// forName and forRules are the sourcetype and rules of the last
	// event, kept across events: most of a goroutine's events are of one
	// sourcetype, and its rules are then not looked up again.
	forName  string
	forRules *Rules

	layers [4]layer // the fields after steps 0 (extractions) to 3 (lookups)

	extracted *value.Row // EXTRACT/REPORT outputs over raw
	aliased   *value.Row // aliases over l0
	// aliasSteps counts aliasValue's calls for one field.
	aliasSteps int
	// calcSmall then calcMore hold the calculated fields computed, the
	// first calcN of them in calcSmall, each under its rule's index.
	calcN     int
	calcSmall [6]calcValue
	calcMore  []calcValue
	calcRow   value.Row  // the row a calculated field reads from
	looked    *value.Row // lookups over l2
	lookedN   int        // how many of the lookups looked has applied (more than 64 lookups)
	lookedSet uint64     // the lookups looked has applied (64 or fewer)
	etypes    []string
	tags      map[string][]string // "tag" and "tag::<field>" values
	etState   []uint8             // per event type: etUnknown, etIn, etOut (tagged.go)
	etRow     *value.Row          // the fields after lookups, as event types read them
	// etGate, while set, rules event types out before their searches
	// run (SetEventtypeGate).
	etGate func(i int) bool
}

// field0: raw fields and regular-expression extractions. fr is what the
// rules do to name, nil when they do not make it.
func (s *source) field0(name string, fr *fieldRule) (value.Value, bool) {
	if len(s.r.extracts) > 0 && fr != nil {
		s.extract()
		if v := s.extracted.Get(name); !v.IsNull() {
			return v, true
		}
	}
	return s.raw.Field(name)
}

// field1: after aliases.
func (s *source) field1(name string, fr *fieldRule) (value.Value, bool) {
	if fr != nil && fr.alias {
		if s.aliased == nil && fr.aliasOf != "" {
			v, _ := s.raw.Field(fr.aliasOf)
			return v, !v.IsNull()
		}
		if s.aliased == nil {
			s.aliasSteps = 0
			if v, ok := s.aliasValue(name, len(s.r.aliases)); ok {
				return v, !v.IsNull()
			}
		}
		s.alias()
		v := s.aliased.Get(name)
		return v, !v.IsNull()
	}
	return s.field0(name, fr)
}

// maxAliasSteps bounds aliasValue's work for one field: a chain of aliases
// that write the same fields back and forth would otherwise cost time
// exponential in its length. Past it, every alias is applied in turn.
const maxAliasSteps = 256

// aliasValue is the value of name after the first n aliases, as alias
// computes it for every target, but reading only the fields that lead to
// name: a search that asks for src reads sourceIPAddress, not the sources
// of every other alias, which its field need may not cover (and one field
// outside the need costs a full extraction of the event). ok is false
// when the chain was too long to follow this way.
func (s *source) aliasValue(name string, n int) (v value.Value, ok bool) {
	if s.aliasSteps++; s.aliasSteps > maxAliasSteps {
		return value.NullValue, false
	}
	var fr *fieldRule
	if len(s.r.extracts) > 0 {
		fr = s.r.rules.get(name)
	}
	v, _ = s.field0(name, fr)
	for j := 0; j < n; j++ {
		a := s.r.aliases[j]
		if a.to != name || a.asNew && !v.IsNull() {
			continue
		}
		if v, ok = s.aliasValue(a.from, j); !ok {
			return v, false
		}
	}
	return v, true
}

// calcRule is a calculated field's expression and its index among the
// sourcetype's calculated fields.
type calcRule struct {
	fn  *calcFunc
	idx int32
	// direct: every field the expression reads is the event's own after
	// aliasing (no alias writes it, and no extraction runs), so it reads
	// them from the raw fields, without asking the layer of each.
	direct bool
}

// calcFunc is a calculated field's compiled expression, shared by the
// copies of its rule. A built-in rule's (Knowledge.deferred) is compiled
// when first evaluated (compile); calcField then calls what was compiled
// straight, and a case() table by its method: through a closure that
// asked a compileOnce closure for the expression and called it, each
// evaluation made two more indirect calls, and ESCU's stats `by user`
// evaluates the add-on's user case() on every record it reaches.
type calcFunc struct {
	ready   atomic.Pointer[calcCompiled] // nil until compiled
	compile func() calcCompiled
}

// calcCompiled is a compiled calculated field: its case() table when the
// expression compiled to one (compileCaseTable), else ev.
type calcCompiled struct {
	ev    eval.Evaluator
	table *caseTable
}

// eval is the field's value on r: the table called by its method.
func (c *calcCompiled) eval(r *value.Row) value.Value {
	if c.table != nil {
		return c.table.eval(r)
	}
	return c.ev(r)
}

// get is the compiled expression, compiled now if it was not yet.
func (f *calcFunc) get() *calcCompiled {
	if c := f.ready.Load(); c != nil {
		return c
	}
	return f.compileNow()
}

func (f *calcFunc) compileNow() *calcCompiled {
	c := f.compile()
	f.ready.Store(&c)
	return &c
}

// calcValue is the value of the calculated field of rule idx.
type calcValue struct {
	idx int32
	v   value.Value
}

// field2: after calculated fields.
func (s *source) field2(name string, fr *fieldRule) (value.Value, bool) {
	if c := fr.calc; c != nil {
		return s.calcField(c)
	}
	return s.field1(name, fr)
}

// calcField is the value of calculated field c, computed once an event.
func (s *source) calcField(c *calcRule) (value.Value, bool) {
	if v, done := s.calculated(c.idx); done {
		return v, !v.IsNull()
	}
	// Every calculated field sees the fields after aliasing, never
	// another calculated field (docs/knowledge.md, "Order"): reading
	// one never comes back here, so one row serves them all.
	if c.direct {
		s.calcRow.Reset(s.raw)
	} else {
		s.calcRow.Reset(&s.layers[1])
	}
	v := c.fn.get().eval(&s.calcRow)
	s.calcRow.Reset(nil)
	if v.Kind() == value.Bool {
		v = value.Str(v.String())
	}
	if s.calcN < len(s.calcSmall) {
		s.calcSmall[s.calcN] = calcValue{c.idx, v}
	} else {
		s.calcMore = append(s.calcMore, calcValue{c.idx, v})
	}
	s.calcN++
	return v, !v.IsNull()
}

// calculated returns the value of calculated field idx when it was
// computed for this event.
func (s *source) calculated(idx int32) (value.Value, bool) {
	for i := 0; i < min(s.calcN, len(s.calcSmall)); i++ {
		if s.calcSmall[i].idx == idx {
			return s.calcSmall[i].v, true
		}
	}
	for i := range s.calcMore {
		if s.calcMore[i].idx == idx {
			return s.calcMore[i].v, true
		}
	}
	return value.NullValue, false
}

// field3: after lookups, which override earlier steps. Like field2, it
// goes straight to the step that makes the field, past the steps that do
// nothing to it: a calculated field that a search reads on every record
// it reaches (ESCU's stats `by user`) no longer passes through field2.
func (s *source) field3(name string, fr *fieldRule) (value.Value, bool) {
	switch {
	case fr.lookups > 0:
		return s.lookedUp(name, fr.lookups)
	case fr.calc != nil:
		return s.calcField(fr.calc)
	}
	return s.field1(name, fr)
}

// lookedUp is name's value after the first n lookups.
func (s *source) lookedUp(name string, n int) (value.Value, bool) {
	s.lookup(n)
	v := s.looked.Get(name)
	return v, !v.IsNull()
}

// Size is the raw fields' size and a header for the knowledge's own.
func (s *source) Size() int {
	n := 512
	if r, ok := s.raw.(value.Sizer); ok {
		n += r.Size()
	}
	return n
}

// Field returns a field as the search sees it.
func (s *source) Field(name string) (value.Value, bool) {
	if tagName(name) {
		return s.tagField(name)
	}
	fr := s.r.rules.get(name)
	if fr == nil {
		// No step makes it: most fields a search reads are the event's
		// own, and one look-up here spares one per step.
		return s.raw.Field(name)
	}
	return s.field3(name, fr)
}

// FieldID is Field of f.Name, its rule found by f's ID (value.IDSource),
// and the event's own field read by ID where the event's source can.
func (s *source) FieldID(f value.Field) (value.Value, bool) {
	if tagName(f.Name) {
		return s.tagField(f.Name)
	}
	fr := s.r.rules.getID(f)
	if fr == nil {
		if s.rawID != nil {
			return s.rawID.FieldID(f)
		}
		return s.raw.Field(f.Name)
	}
	return s.field3(f.Name, fr)
}

// tagName reports whether name is a field of event types and tags.
func tagName(name string) bool {
	return name == "eventtype" || name == "tag" || strings.HasPrefix(name, "tag::")
}

// tagField is the value of eventtype, tag or tag::<field>.
func (s *source) tagField(name string) (value.Value, bool) {
	s.classify()
	var v value.Value
	if name == "eventtype" {
		v = value.MV(s.etypes)
	} else {
		v = value.MV(s.tags[name])
	}
	return v, !v.IsNull()
}

// Each yields every field: the raw ones in their order (with knowledge
// applied), then the fields the knowledge made.
func (s *source) Each(fn func(string, value.Value)) {
	seen := map[string]bool{}
	emit := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if v, ok := s.Field(name); ok {
			fn(name, v)
		}
	}
	s.raw.Each(func(name string, _ value.Value) { emit(name) })
	if len(s.r.extracts) > 0 {
		s.extract()
		s.extracted.Each(func(name string, _ value.Value) { emit(name) })
	}
	for _, a := range s.r.aliases {
		emit(a.to)
	}
	for _, c := range s.r.calcOrder {
		emit(c)
	}
	for _, l := range s.r.lookups {
		for _, o := range l.Outputs() {
			emit(o)
		}
	}
	emit("eventtype")
	emit("tag")
}

// extract runs EXTRACT- and REPORT- rules once. They see _raw, the default
// fields and earlier extractions, not the JSON fields, which come later
// (docs/knowledge.md, "Order": REPORT runs before KV_MODE).
func (s *source) extract() {
	if s.extracted != nil {
		return
	}
	s.extracted = value.NewRow(nil)
	for _, x := range s.r.extracts {
		var v value.Value
		if x.source == "_raw" || defaultField(x.source) {
			v, _ = s.raw.Field(x.source)
		} else {
			v = s.extracted.Get(x.source)
		}
		if v.IsNull() {
			continue
		}
		for _, text := range v.Values() {
			for _, m := range x.re.FindAllStringSubmatch(text, -1) {
				for _, f := range x.format {
					name, val := expandFormat(f, m, x)
					if name == "" {
						continue
					}
					if x.mvAdd {
						s.extracted.Set(name, value.MV(append(s.extracted.Get(name).Values(), val)))
					} else if s.extracted.Get(name).IsNull() {
						s.extracted.Set(name, value.Str(val))
					}
				}
				if !x.mvAdd {
					break
				}
			}
		}
	}
}

// expandFormat fills a FORMAT pair ($1::$2) or a named group from a match.
func expandFormat(f formatPair, m []string, x *extract) (string, string) {
	if f.value == "" {
		for i, n := range x.re.SubexpNames() {
			if n == f.name && i < len(m) {
				return n, m[i]
			}
		}
		return "", ""
	}
	sub := func(s string) string {
		for i := len(m) - 1; i >= 1; i-- {
			s = strings.ReplaceAll(s, "$"+string(rune('0'+i)), m[i])
		}
		return s
	}
	return sub(f.name), sub(f.value)
}

func defaultField(name string) bool {
	switch name {
	case "_raw", "_time", "index", "source", "sourcetype", "host", "linecount":
		return true
	}
	return false
}

// alias applies FIELDALIAS rules once, in class order: b gets a's values;
// when a is absent b is removed; ASNEW keeps an existing b
// (docs/knowledge.md, "Order").
func (s *source) alias() {
	if s.aliased != nil {
		return
	}
	s.aliased = value.NewRow(&s.layers[0])
	for _, a := range s.r.aliases {
		if a.asNew && !s.aliased.Get(a.to).IsNull() {
			continue
		}
		s.aliased.Set(a.to, s.aliased.Get(a.from))
	}
}

// lookup applies what the first n LOOKUP- rules, in class order, make
// of the fields after calculated fields, each rule once: a field's value
// is final after the last rule that writes it (Rules.lookupOutputs), so
// a search that asks only for action does not run the table lookups
// behind object_category or vendor. Of those rules only the last one's
// group runs (Rules.lookupGroups): no other rule reads or writes a field
// of the group, so the rules of other groups can run later, when a field
// of theirs is asked for, and give what running all in order gives.
func (s *source) lookup(n int) {
	if s.looked == nil {
		s.looked = value.NewRow(&s.layers[2])
	}
	if len(s.r.lookups) > 64 {
		for ; s.lookedN < n; s.lookedN++ {
			s.r.lookups[s.lookedN].Apply(s.looked)
		}
		return
	}
	g := s.r.lookupGroups[n-1]
	for i := g; i < n; i++ {
		if s.r.lookupGroups[i] == g && s.lookedSet&(1<<i) == 0 {
			s.lookedSet |= 1 << i
			s.r.lookups[i].Apply(s.looked)
		}
	}
}

// classify computes event types and tags once.
func (s *source) classify() {
	if s.tags != nil {
		return
	}
	s.tags = map[string][]string{}
	row := s.finalRow()
	seenTag := map[string]bool{}
	addTag := func(field string, tag string) {
		key := field + "\x00" + tag
		if seenTag[key] {
			return
		}
		seenTag[key] = true
		s.tags["tag"] = appendUnique(s.tags["tag"], tag)
		s.tags["tag::"+field] = append(s.tags["tag::"+field], tag)
	}
	for i, et := range s.k.eventtypes {
		if s.inEventtype(i) {
			s.etypes = append(s.etypes, et.name)
			for _, t := range et.tags {
				addTag("eventtype", t)
			}
		}
	}
	fvs := make([]string, 0, len(s.k.fieldTags))
	for fv := range s.k.fieldTags {
		fvs = append(fvs, fv)
	}
	sort.Strings(fvs)
	for _, fv := range fvs {
		tags := s.k.fieldTags[fv]
		field, value, _ := strings.Cut(fv, "=")
		for _, v := range row.Get(field).Values() {
			if v == value {
				for _, t := range tags {
					addTag(field, t)
				}
			}
		}
	}
	// Tags read in alphabetical order (UNCONFIRMED; docs/knowledge.md).
	for k := range s.tags {
		sort.Strings(s.tags[k])
	}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
