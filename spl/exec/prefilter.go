package exec

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/lookup"
)

// prefilter is a necessary condition for an event to match the base
// search, checked on the raw bytes before any JSON is decoded (as Splunk's
// index narrows a search by its terms). It may only reject events that
// cannot match: every literal it requires is one the event's text must
// contain verbatim (case-insensitively) for the search to match.
type prefilter struct {
	op  byte // 'a' all children, 'o' any child, 'l' literal, 'g' gate term
	lit string
	// gate, in a 'g' term of a residual pre-filter (fieldGate), is the
	// test of the field gate's key that the search's term makes: the
	// record's value there, which the gate read, is tested as the search
	// tests it.
	gate  *gateTerm
	terms []*prefilter
	// fold is the search for lit in the copy a pass makes (bind), one per
	// distinct literal of the pass; nil in a plan's own pre-filter.
	fold *foldLiteral
	// pairs, in a bound OR whose terms are all literals of the pass's
	// several-pair batch, is that batch: the OR is answered by one walk
	// that stops at the first of them found (literalMemo.anyPairs).
	pairs *pairBatch
}

// defaultFields never come from the raw text.
var defaultFields = map[string]bool{
	"_raw": true, "_time": true, "index": true, "source": true, "sourcetype": true, "host": true,
	"linecount": true, "splunk_server": true, "punct": true, "timestartpos": true, "timeendpos": true,
	"eventtype": true, "tag": true, "date_second": true, "date_minute": true, "date_hour": true,
	"date_mday": true, "date_month": true, "date_year": true, "date_wday": true, "date_zone": true,
}

// buildPrefilter derives the pre-filter of a base search, nil when the
// search requires no literal text. A derived field's value is used only
// when origins shows that every value matching it is a raw field's value
// (rawOrigin).
func buildPrefilter(e spl.SearchExpr, derived func(string) bool, origins func(string) ([]string, []string, bool)) *prefilter {
	return buildPrefilterTags(e, derived, origins, nil, 0)
}

// maxTagDepth bounds how deep event type searches that name event types
// or tags themselves are followed; deeper, nothing is derived.
const maxTagDepth = 3

// buildPrefilterTags is buildPrefilter that also derives literals for
// tag=X and eventtype=Y (and IN) from the searches of the event types
// that can give the event such a value (tagSearches, Options.TagSearches):
// an event has tag X only when one of those event types matches it, so
// when each of their searches requires some literal, the event's text
// holds one of them. Where tagSearches cannot show it (a tags.conf
// field=value pair gives the tag, a search that cannot be read, one that
// requires nothing), nothing is derived.
func buildPrefilterTags(e spl.SearchExpr, derived func(string) bool, origins func(string) ([]string, []string, bool), tagSearches func(field string, match func(string) bool) ([]string, bool), depth int) *prefilter {
	return buildPrefilterWith(e, prefilterKnowledge{derived: derived, origins: origins, tagSearches: tagSearches}, depth)
}

// prefilterKnowledge is what the raw pre-filter knows of the fields the
// knowledge makes (Options.Derived, Origins, LookupOrigins and
// TagSearches); any of them may be nil.
type prefilterKnowledge struct {
	derived       func(string) bool
	origins       func(string) ([]string, []string, bool)
	lookupOrigins func(field string, accept func(string) bool) ([]string, []string, []lookup.Via, bool)
	tagSearches   func(field string, match func(string) bool) ([]string, bool)
	// gated, when set, gives field=values that one of the field gate's
	// keys decides its term of the residual pre-filter (fieldGate.term),
	// ok false for another field.
	gated func(field string, caseSensitive bool, values []string) (f *prefilter, ok bool)
	// gatedRaw, when set, gives the term of raw field=values that one of
	// the field gate's keys decides (fieldGate.raw), the raw field being
	// where a derived field's value comes from; ok false for another.
	gatedRaw func(raw string, caseSensitive bool, values []string) (f *prefilter, ok bool)
	// gatedInput, when set, gives the term of a lookup row's input field
	// matching its cell (match) that the field gate decides
	// (fieldGate.input), ok false for another field.
	gatedInput func(field string, match valueMatcher) (f *prefilter, ok bool)
}

// buildPrefilterWith is buildPrefilterTags that also derives, for a field
// a lookup writes, what one of the lookup's rows needs of the event
// (viaLookups).
func buildPrefilterWith(e spl.SearchExpr, k prefilterKnowledge, depth int) *prefilter {
	derived, origins, tagSearches := k.derived, k.origins, k.tagSearches
	tagged := func(field string, match func(string) bool) *prefilter {
		if tagSearches == nil || depth >= maxTagDepth {
			return nil
		}
		searches, ok := tagSearches(field, match)
		if !ok || len(searches) == 0 {
			return nil
		}
		var any []*prefilter
		for _, text := range searches {
			se, err := spl.ParseSearchExpr(diag.NewSource("eventtype", text), spl.Limits{})
			if err != nil {
				return nil
			}
			f := buildPrefilterWith(se, k, depth+1)
			if f == nil {
				return nil
			}
			any = append(any, f)
		}
		return joinPrefilters('o', any)
	}
	isDerived := func(field string, caseSensitive bool, values ...string) bool {
		return derived != nil && derived(field) && !rawOrigin(field, caseSensitive, values, origins)
	}
	var walk func(e spl.SearchExpr) *prefilter
	walk = func(e spl.SearchExpr) *prefilter {
		switch e := e.(type) {
		case *spl.SearchAnd:
			all := &prefilter{op: 'a'}
			for _, t := range e.Terms {
				if f := walk(t); f != nil {
					all.terms = append(all.terms, f)
				}
			}
			if len(all.terms) == 0 {
				return nil
			}
			return all
		case *spl.SearchOr:
			any := &prefilter{op: 'o'}
			for _, t := range e.Terms {
				f := walk(t)
				if f == nil {
					return nil // one alternative needs nothing: no constraint
				}
				any.terms = append(any.terms, f)
			}
			return any
		case *spl.SearchKeyword:
			return literal(e.Value.Text())
		case *spl.SearchTermFunc:
			return literal(e.Value.Text())
		case *spl.SearchCompare:
			field := e.Field.Text()
			if lf := strings.ToLower(field); lf == "earliest" || lf == "latest" {
				return nil // a time bound, not a field
			}
			if e.Op == "=" && isTagField(field) {
				return tagged(field, newValueMatcher(e.Value.Text(), e.Func == "CASE"))
			}
			if e.Op != "=" || defaultFields[field] || strings.HasPrefix(field, "date_") || strings.ContainsAny(field, "*") {
				return nil
			}
			if k.gated != nil {
				if f, ok := k.gated(field, e.Func == "CASE", []string{e.Value.Text()}); ok {
					return f
				}
			}
			if isDerived(field, e.Func == "CASE", e.Value.Text()) {
				return viaLookups(field, e.Func == "CASE", []string{e.Value.Text()}, k)
			}
			return valueLiteral(e.Value.Text())
		case *spl.SearchIn:
			field := e.Field.Text()
			values := make([]string, len(e.Values))
			for i, v := range e.Values {
				values[i] = v.Text()
			}
			if isTagField(field) {
				pats := make([]valueMatcher, len(values))
				for i, v := range values {
					pats[i] = newValueMatcher(v, false)
				}
				return tagged(field, func(v string) bool {
					for _, p := range pats {
						if p(v) {
							return true
						}
					}
					return false
				})
			}
			if defaultFields[field] {
				return nil
			}
			if k.gated != nil {
				if f, ok := k.gated(field, false, values); ok {
					return f
				}
			}
			if isDerived(field, false, values...) {
				return viaLookups(field, false, values, k)
			}
			any := &prefilter{op: 'o'}
			for _, v := range e.Values {
				f := valueLiteral(v.Text())
				if f == nil {
					return nil
				}
				any.terms = append(any.terms, f)
			}
			return any
		}
		return nil // NOT, !=, <, subsearches: no literal requirement
	}
	return walk(e)
}

// rawOrigin reports whether a match of field against any of the values
// (field=value, field IN (values)) means that a raw field of the event has
// a matching value, so that the value's literal is in the raw text as for
// a raw field: the knowledge shows that the field's values are raw
// fields' values (an alias, coalesce(errorCode, "success")) or constants,
// and no constant matches a value as the search compares it. Default and
// internal (_name) fields never come from the raw JSON, so an origin among
// them counts for nothing.
func rawOrigin(field string, caseSensitive bool, values []string, origins func(string) ([]string, []string, bool)) bool {
	if origins == nil {
		return false
	}
	raw, consts, ok := origins(field)
	if !ok || len(raw) == 0 {
		return false
	}
	for _, f := range raw {
		if defaultFields[f] || strings.HasPrefix(f, "date_") || strings.HasPrefix(f, "_") || strings.ContainsAny(f, "*") {
			return false
		}
	}
	for _, v := range values {
		p := newPattern(v, caseSensitive)
		for _, c := range consts {
			if p.match(c) {
				return false
			}
		}
	}
	return true
}

// viaLookups is the requirement on the raw text that a derived field,
// which lookups write, match one of values (field=value, field IN
// (values)), nil when the knowledge cannot show one. The field matches
// only when its value before the lookups does, and then a raw field has
// the value (rawOrigin, with the constants of the calculated fields), or
// when a lookup gives it one of the rows' cells that match: then the
// event's input fields match that row's input cells (cellLiteral). So the
// text holds one value's literal or the literals of one row's inputs.
func viaLookups(field string, caseSensitive bool, values []string, k prefilterKnowledge) *prefilter {
	if k.lookupOrigins == nil {
		return nil
	}
	pats := make([]*pattern, len(values))
	for i, v := range values {
		pats[i] = newPattern(v, caseSensitive)
	}
	accept := func(c string) bool {
		for _, p := range pats {
			if p.match(c) {
				return true
			}
		}
		return false
	}
	raw, consts, rows, ok := k.lookupOrigins(field, accept)
	if !ok {
		return nil
	}
	var any []*prefilter
	if len(raw) > 0 {
		if !rawFields(raw) || slices.ContainsFunc(consts, accept) {
			return nil
		}
		if k.gatedRaw != nil && len(raw) == 1 {
			if f, ok := k.gatedRaw(raw[0], caseSensitive, values); ok {
				if f == nil {
					return nil
				}
				any = append(any, f)
				values = nil // the gate's term, not literals
			}
		}
		for _, v := range values {
			f := valueLiteral(v)
			if f == nil {
				return nil
			}
			any = append(any, f)
		}
	}
	for _, row := range rows {
		var all []*prefilter
		for i, in := range row.Inputs {
			if f := inputLiteral(in, row, i, k); f != nil {
				all = append(all, f)
			}
		}
		if len(all) == 0 {
			return nil // a row whose inputs need nothing of the text
		}
		any = append(any, joinPrefilters('a', all))
	}
	if len(any) == 0 {
		return nil
	}
	return joinPrefilters('o', any)
}

// rawFields reports whether every field is one read from the raw JSON:
// default and internal (_name) fields never are, and a name with a
// wildcard may be either.
func rawFields(fields []string) bool {
	for _, f := range fields {
		if defaultFields[f] || strings.HasPrefix(f, "date_") || strings.HasPrefix(f, "_") || strings.ContainsAny(f, "*") {
			return false
		}
	}
	return true
}

// inputLiteral is what the text holds when input field in of an event
// matches cell i of a lookup row: the cell's literal (cellLiteral), when
// the field's values are raw fields' values and no constant it can be
// matches the cell as the lookup compares; nil when nothing is required.
// Those values are leaves of the record's JSON, so when only a JSON
// string can match the cell (cellString), the literal takes the string's
// quotes where it starts or ends the cell, as valueLiteral's.
func inputLiteral(in string, row lookup.Via, i int, k prefilterKnowledge) *prefilter {
	if k.gatedInput != nil {
		if f, ok := k.gatedInput(in, func(v string) bool { return row.Matches(i, v) }); ok {
			return f
		}
	}
	fields := []string{in}
	if k.derived != nil && k.derived(in) {
		if k.origins == nil {
			return nil
		}
		raw, consts, ok := k.origins(in)
		if !ok || len(raw) == 0 || slices.ContainsFunc(consts, func(c string) bool { return row.Matches(i, c) }) {
			return nil
		}
		fields = raw
	}
	if !rawFields(fields) {
		return nil
	}
	lit := cellLiteral(row.Cells[i], row.Wildcard[i], row.CaseInsensitive, cellString(row, i))
	if lit == "" {
		return nil
	}
	return &prefilter{op: 'l', lit: lit}
}

// cellString reports whether only a JSON string's value can match cell i
// of a lookup row as the lookup compares (lookup.Via.Matches): not true,
// false or null, and no number, since the cell holds a character, not
// its wildcard, that no JSON number has in any case (strings.EqualFold
// and strings.ToLower make no digit, sign, point or e of another
// character).
func cellString(row lookup.Via, i int) bool {
	if row.Matches(i, "true") || row.Matches(i, "false") || row.Matches(i, "null") {
		return false
	}
	return strings.ContainsFunc(row.Cells[i], func(r rune) bool {
		return !strings.ContainsRune("0123456789+-.eE", r) && (r != '*' || !row.Wildcard[i])
	})
}

// cellLiteral is the run of a lookup cell that a value matching it must
// hold verbatim in the raw text, lowercased as the pre-filter's literals
// are; "" when none of two bytes or more. A wildcard cell's * matches
// anything; a case-insensitive cell matches as strings.EqualFold does,
// which takes the Kelvin sign for k and the long s for s, so those
// letters are left out, and so is i, which strings.ToLower (a wildcard
// cell's matching) makes of the dotted capital I; and only printable
// ASCII that JSON does not escape (not " \ or /) is its own spelling in
// the text. When str says the matching value is a JSON string, a run
// that starts the cell takes the string's opening quote before it and
// one that ends the cell its closing quote after it; of the runs, the
// one with the longest literal is taken.
func cellLiteral(cell string, wildcard, caseInsensitive, str bool) string {
	best, start := "", 0
	for i := 0; i <= len(cell); i++ {
		if i < len(cell) {
			c := cell[i]
			cut := c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/' || (wildcard && c == '*')
			if caseInsensitive {
				switch c | 0x20 {
				case 'i', 'k', 's':
					cut = true
				}
			}
			if !cut {
				continue
			}
		}
		if run := cell[start:i]; len(run) >= 2 {
			lit := strings.ToLower(run)
			if str && start == 0 {
				lit = `"` + lit
			}
			if str && i == len(cell) {
				lit += `"`
			}
			if len(lit) > len(best) {
				best = lit
			}
		}
		start = i + 1
	}
	return best
}

// literal is the requirement that the longest wildcard-free part of a
// pattern appears in the text. Only printable ASCII without characters
// JSON may escape (" and \) is used, so the text of a value is its bytes.
func literal(pat string) *prefilter {
	lit := newPattern(pat, false).longestLiteral()
	if len(lit) < 2 || !verbatimJSON(lit) {
		return nil
	}
	return &prefilter{op: 'l', lit: lit}
}

// verbatimJSON reports whether JSON text spells s as its own bytes, or
// else only with \u escapes (prefilters.escaped): s is printable ASCII
// without the characters JSON writes with a short escape (\" \\ \/).
func verbatimJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/' {
			return false
		}
	}
	return true
}

// valueLiteral is the requirement that field=pat puts on the raw text
// when every value of the field is a leaf of the record's JSON: a raw
// field (KV_MODE=json gives a string's unescaped text, and a number,
// true, false or null as written: docs/semantics-events.md, "KV_MODE=json
// flattening") or a field whose values are raw fields' values
// (rawOrigin). A value matching pat holds each of its wildcard-free
// parts; the literal is the one that gives the longest requirement. When
// no number, true, false or null can match pat (jsonString), the value
// is a JSON string, written between quotes: a part that starts pat (no
// leading *) follows the string's opening quote in the text, and one
// that ends it (no trailing *) comes before the closing quote, so the
// literal takes the quote there ("get for Get*, policy" for *Policy,
// "deletetrail" for DeleteTrail). The part's characters are its own
// bytes in the text but for \u escapes, which the pre-filter lets
// through (prefilters.escaped); a quote delimiting a string is always
// the byte itself.
func valueLiteral(pat string) *prefilter {
	p := newPattern(pat, false)
	str := jsonString(p)
	best := ""
	for i, part := range p.parts {
		if len(part) < 2 || !verbatimJSON(part) {
			continue
		}
		lit := part
		if str && i == 0 && !p.leading {
			lit = `"` + lit
		}
		if str && i == len(p.parts)-1 && !p.trailing {
			lit += `"`
		}
		if len(lit) > len(best) {
			best = lit
		}
	}
	if best == "" {
		return nil
	}
	return &prefilter{op: 'l', lit: best}
}

// jsonString reports whether only a JSON string's value can match p (a
// case-insensitive pattern): not true, false or null, and no number,
// since a part of p holds a character no JSON number has.
func jsonString(p *pattern) bool {
	if p.any || p.match("true") || p.match("false") || p.match("null") {
		return false
	}
	for _, part := range p.parts {
		if strings.ContainsFunc(part, func(r rune) bool { return !strings.ContainsRune("0123456789+-.eE", r) }) {
			return true
		}
	}
	return false
}

// String shows what the pre-filter requires of an event's raw text:
// quoted literals joined by AND and OR, with parentheses where a group
// sits inside another.
func (f *prefilter) String() string {
	if f == nil {
		return "<nil>"
	}
	if f.op == 'l' {
		return strconv.Quote(f.lit)
	}
	if f.op == 'g' {
		return "gate(" + f.gate.key + ")"
	}
	sep := " AND "
	if f.op == 'o' {
		sep = " OR "
	}
	parts := make([]string, len(f.terms))
	for i, t := range f.terms {
		parts[i] = t.String()
		if t.op != 'l' && t.op != f.op && len(t.terms) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

// bind copies the pre-filter for one pass, each literal bound to the
// pass's search for that text (one per text, made and kept in lits).
func (f *prefilter) bind(lits map[string]*foldLiteral) *prefilter {
	if f == nil {
		return nil
	}
	c := &prefilter{op: f.op, lit: f.lit, gate: f.gate}
	if f.op == 'l' {
		if lits[f.lit] == nil {
			lits[f.lit] = newFoldLiteral(f.lit)
			lits[f.lit].id = len(lits) - 1
		}
		c.fold = lits[f.lit]
	}
	for _, t := range f.terms {
		c.terms = append(c.terms, t.bind(lits))
	}
	if f.op == 'a' {
		// An AND's literals are tested before its groups: one literal
		// the record lacks rules it out at the cost of one search,
		// where a group (the OR of a tag's event types) may cost many.
		slices.SortStableFunc(c.terms, func(x, y *prefilter) int {
			return boolInt(x.op != 'l') - boolInt(y.op != 'l')
		})
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// requiredLiteral is the id of a literal a bound pre-filter requires
// (the pre-filter itself, or the first literal of its AND), -1 when it
// requires none alone.
func (f *prefilter) requiredLiteral() int {
	switch {
	case f == nil:
		return -1
	case f.op == 'l':
		return f.fold.id
	case f.op == 'a':
		for _, t := range f.terms {
			if t.op == 'l' {
				return t.fold.id
			}
		}
	}
	return -1
}

// requiredAny is the ids of literals one of which a record must hold
// for a bound pre-filter to let it through, nil when it shows none: a
// literal's own id, an OR's literals (for an OR with groups, the union of
// its alternatives' sets, when each has one), an AND's smallest set among
// its terms'. The 59 ESCU CloudTrail detections' data model search
// requires, among its ORs, one of seven security group literals: when
// the memo knows the record holds none, the plan is out without a walk
// of its pre-filter.
func (f *prefilter) requiredAny() []int {
	switch {
	case f == nil:
		return nil
	case f.op == 'l':
		return []int{f.fold.id}
	case f.op == 'o':
		var ids []int
		for _, t := range f.terms {
			sub := t.requiredAny()
			if sub == nil {
				return nil
			}
			for _, id := range sub {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	var best []int
	for _, t := range f.terms {
		if sub := t.requiredAny(); sub != nil && (best == nil || len(sub) < len(best)) {
			best = sub
		}
	}
	return best
}

// ruledOut reports whether the memo's states show a record holds none of
// the literals ids (requiredAny), one of which it must hold.
func ruledOut(ids []int, states []uint8) bool {
	if ids == nil {
		return false
	}
	for _, id := range ids {
		if states[id] != litOut {
			return false
		}
	}
	return true
}

// test evaluates a bound pre-filter over text; memo remembers the
// literals already searched for in it.
func (f *prefilter) test(raw string, memo *literalMemo) bool {
	switch f.op {
	case 'l':
		return memo.contains(raw, f.fold)
	case 'g':
		return memo.gate[f.gate.at][f.gate.id/64]>>(f.gate.id%64)&1 != 0
	case 'a':
		for _, t := range f.terms {
			if !t.test(raw, memo) {
				return false
			}
		}
		return true
	}
	if f.pairs != nil {
		return memo.anyPairs(raw, f)
	}
	for _, t := range f.terms {
		if t.test(raw, memo) {
			return true
		}
	}
	return false
}

// prefilters are the raw pre-filters of the plans one pass reads for, in
// plan order (nil for a plan without one), with what a record check needs
// to know of them worked out once per pass.
type prefilters struct {
	plans []*prefilter // bound copies (prefilter.bind)
	// required is, per plan, the id of a literal its pre-filter requires
	// (itself, or one of its AND's), -1 when none: skip rules the plan out
	// by that literal's answer alone when the memo has it.
	required []int
	// anyOf is, per plan, the literals one of which its pre-filter
	// requires (prefilter.requiredAny), nil when it shows none: skip and
	// reach rule the plan out when the memo knows the record holds none.
	anyOf [][]int
	some  bool // a plan has a pre-filter: records are worth searching
	every bool // every plan has one: a record can be skipped unread
	// eventtypes are the bound pre-filters of the knowledge's event
	// types, by index, when a plan reads event types or tags
	// (Plan.eventtypes); an event's source asks them before it
	// evaluates an event type (gate).
	eventtypes []*prefilter
	lits       map[string]*foldLiteral // every literal of the plans, by its text
	// grams, in a pass with many literals (indexGrams), answers for
	// every literal of three bytes or more in one walk over a record;
	// gramStates is a memo's states before the walk: litOut for those
	// literals, litUnknown for the rest (searched for when asked). Both
	// are made once, by the first worker whose trial finds the walk pays
	// (gramIndex): a pass over a few records never makes them.
	grams      *gramIndex
	gramStates []uint8
	gramsOnce  sync.Once
	once       sync.Once // anchors chosen from the first record searched
	// memos are the workers' memos of the record each is offering
	// (memo), kept for the event types' gate while the plans read it.
	memos []literalMemo
	// gates are the workers' gates (gate.mayMatch), made once.
	gates []func(i int) bool
	// fgate, when set, is the pass's field gate (skipGated).
	fgate *fieldGate
	// anchors rule out, a block of lines at a time, the records that
	// hold none of the literals every match needs (skipBlock).
	anchors blockAnchors
	// skipAsked and skipped count the first gateTrial records skip
	// checked and those it skipped; when it let through more than
	// gateUseless of them, skipUseless is set and it no longer checks:
	// the workers check each record again anyway.
	skipAsked, skipped atomic.Uint32
	skipUseless        atomic.Bool
	_                  [64]byte // keeps the counters off the lines of the fields after them
}

func newPrefilters(reading []*running, workers int) *prefilters {
	pf := &prefilters{every: true, lits: map[string]*foldLiteral{}, memos: make([]literalMemo, max(workers, 1))}
	gates := true
	for _, r := range reading {
		pf.plans = append(pf.plans, r.plan.prefilter.bind(pf.lits))
		pf.some = pf.some || r.plan.prefilter != nil
		pf.every = pf.every && r.plan.prefilter != nil
		gates = gates && !r.plan.opts.NoPrefilter
	}
	if pf.every && gates && (len(pf.lits) >= minGateLiterals || slices.ContainsFunc(reading, func(r *running) bool { return r.plan.opts.alwaysGate })) {
		pf.fgate = newPassGate(reading, pf.lits, workers)
	}
	for w := range pf.memos {
		pf.gates = append(pf.gates, (&gate{pf: pf, w: w}).mayMatch)
		pf.memos[w].tally = &tally{}
	}
	for _, r := range reading {
		if gates && r.plan.eventtypes != nil {
			// The plans of a pass share their knowledge (RunAll): any
			// plan's event types are every plan's.
			for _, f := range r.plan.eventtypes {
				pf.eventtypes = append(pf.eventtypes, f.bind(pf.lits))
			}
			break
		}
	}
	return pf
}

// skip reports whether no plan's pre-filter can match a raw record,
// checked on worker w (event.ScanOptions.Skip). It stops at the first
// plan that lets the record through, trying first the plan that let the
// worker's last record through. For a record it lets through it then
// works out what ruleOut reports of every plan (reach), and keeps that
// in the worker's memo with the literals' answers and a copy of the
// record, for offer to use instead of checking the record again
// (literalMemo.held): each plan's pre-filter is tested once a record.
func (pf *prefilters) skip(w int, raw []byte) bool {
	m := &pf.memos[w]
	m.hasHeld = false
	if !pf.every || pf.skipUseless.Load() {
		return false
	}
	text := unsafe.String(unsafe.SliceData(raw), len(raw))
	skip := pf.prepare(text, m)
	if skip {
		if m.first >= len(pf.plans) {
			m.first = 0
		}
		states := m.states()
		for k := range pf.plans {
			i := (m.first + k) % len(pf.plans)
			if ruledOut(pf.anyOf[i], states) {
				continue
			}
			if pf.plans[i] == nil || pf.plans[i].test(text, m) {
				m.first, skip = i, false
				break
			}
		}
	}
	if pf.escaped(text, m) {
		// Let through, and checked again by ruleOut, which lets every
		// plan have it.
		skip, m.ready = false, false
	}
	if !skip && m.ready {
		m.outs = pf.reach(text, m, m.outs)
		m.hasHeld, m.heldEscaped = true, false
	}
	m.raw, m.ready = "", false
	pf.count(skip)
	return skip
}

// count counts a record skip or skipGated answered for into their trial:
// when they let through more than gateUseless of the first gateTrial
// records, skipUseless is set.
func (pf *prefilters) count(skip bool) {
	// The counter is only written during the trial: an increment per
	// record on a line every worker reads cost 13% of a selective
	// search's CPU (the line bounced between the cores).
	if pf.skipAsked.Load() >= gateTrial {
		return
	}
	if n := pf.skipAsked.Add(1); n <= gateTrial {
		if skip {
			pf.skipped.Add(1)
		}
		if n == gateTrial && float64(gateTrial-pf.skipped.Load()) > gateUseless*gateTrial {
			pf.skipUseless.Store(true)
		}
	}
}

// ruleOut sets outs[i], for every plan, to whether its pre-filter rules
// the raw record out. Every literal is searched for case-insensitively in
// the record as it is, once however many plans require it; memo keeps
// the answers for the record (and the event types' gate) until the next
// call with it. A record that may spell a literal with a \u escape is let
// through (escaped). When skip or skipGated let the record through on this
// worker right before it became the event (vetted, event.Event.Vetted),
// their answers are copied as they are, and held is true. It fills a list
// rather than calling back per plan: the 59 ESCU CloudTrail detections
// made a call per plan for every record offered.
func (pf *prefilters) ruleOut(raw string, vetted bool, memo *literalMemo, outs []bool) (held bool) {
	held = memo.hasHeld && vetted
	if !pf.prepareHeld(raw, memo, held) {
		clear(outs)
		return false
	}
	if held {
		copy(outs, memo.outs)
		memo.ready = memo.ready && !memo.heldEscaped
		return true
	}
	if pf.escaped(raw, memo) {
		memo.ready = false
		clear(outs)
		return false
	}
	memo.outs = pf.reach(raw, memo, memo.outs)
	copy(outs, memo.outs)
	return false
}

// reach is, for every plan, whether its pre-filter rules out the raw
// record that memo is ready for, in outs (reused): a plan whose
// pre-filter requires a literal the memo knows the record lacks is out
// without a walk of its pre-filter. The worker's tally counts each
// answer, and stops testing a plan whose pre-filter lets nearly every
// record through.
func (pf *prefilters) reach(raw string, memo *literalMemo, outs []bool) []bool {
	outs = slices.Grow(outs[:0], len(pf.plans))[:len(pf.plans)]
	states := memo.states()
	for i, f := range pf.plans {
		switch {
		case f == nil:
			outs[i] = false
		case ruledOut(pf.anyOf[i], states):
			outs[i] = !memo.tally.known(i, len(pf.plans), false)
		default:
			outs[i] = !memo.tally.test(i, len(pf.plans), f, raw, memo)
		}
	}
	return outs
}

// escaped reports whether a record may spell a literal with a \u escape,
// and must be let through. The literals hold no character JSON escapes
// with a short escape (\" \\ \/ and control characters), so their only
// other spelling is a \uXXXX escape. It is asked after the plans'
// literals, and only when no search of a literal has gone through the
// whole record and found no backslash (literalMemo.noEsc): a record a
// plan rules out has had such a search, as a rule.
func (pf *prefilters) escaped(raw string, memo *literalMemo) bool {
	return !memo.noEsc && strings.Contains(raw, `\u`)
}

// prepare readies memo to answer for the literals of the raw record, and
// reports false when the record is to be let through unsearched.
func (pf *prefilters) prepare(raw string, memo *literalMemo) bool {
	return pf.prepareHeld(raw, memo, false)
}

// prepareHeld is prepare for a caller that has compared the record with
// the memo's held one already (same): a record is about 1 KB.
func (pf *prefilters) prepareHeld(raw string, memo *literalMemo, same bool) bool {
	memo.ready = false
	memo.hasHeld = false
	if (!pf.some && pf.eventtypes == nil) || len(raw) == 0 {
		return false
	}
	pf.once.Do(func() { pf.setup(raw) })
	if !same {
		// The detections of a story share literals (bedrock.amazonaws.com in
		// all five): each is searched for once per record, or all at once
		// by the pass's gram index.
		memo.reset(len(pf.lits))
		if pf.indexesGrams() && memo.useGrams() {
			if g := pf.gramIndex(raw); g != nil {
				copy(memo.states(), pf.gramStates)
				g.scan(raw, memo.states())
			}
		}
	}
	memo.raw, memo.ready = raw, true
	return true
}

// setup works out, from the first record searched, what the pass's
// searches need: each literal's anchor and pair, the groups, each plan's
// required literals, the pair batch (the gram index waits: gramIndex).
func (pf *prefilters) setup(raw string) {
	var freq [256]int
	for i := 0; i < len(raw); i++ {
		freq[raw[i]]++
	}
	at := samplePositions(raw)
	for _, f := range pf.lits {
		f.chooseAnchor(&freq)
		f.choosePair(raw, at, &freq)
	}
	pf.groupAnchors()
	for _, f := range pf.plans {
		pf.required = append(pf.required, f.requiredLiteral())
		pf.anyOf = append(pf.anyOf, f.requiredAny())
	}
	if g := pf.fgate; g != nil {
		for _, f := range g.residual {
			g.residualAny = append(g.residualAny, f.requiredAny())
		}
	}
	pf.batchPairs()
}

// tally counts, per plan, the records one worker checked against the
// plan's pre-filter and those it let through, as gate does for the event
// types: a plan's pre-filter that lets nearly every record through (the
// OR of every event type of tag=change, one of which requires only
// ".amazonaws.com") costs its tests and rules nothing out, and after
// gateTrial records is no longer tested. Nil (a record checked on the
// stack, prefilters.skip) tests every time.
type tally struct{ asked, passed []uint32 }

func (t *tally) test(i, n int, f *prefilter, raw string, memo *literalMemo) bool {
	if t == nil {
		return f.test(raw, memo)
	}
	if t.asked == nil {
		t.asked, t.passed = make([]uint32, n), make([]uint32, n)
	}
	if t.asked[i] >= gateTrial {
		if float64(t.passed[i]) > gateUseless*gateTrial {
			return true
		}
		return f.test(raw, memo)
	}
	ok := f.test(raw, memo)
	t.asked[i]++
	if ok {
		t.passed[i]++
	}
	return ok
}

// known is test for a plan whose answer is known without its test (ok):
// counted as test counts it, and let through as test lets it through
// once the plan's pre-filter is no longer tested.
func (t *tally) known(i, n int, ok bool) bool {
	if t == nil {
		return ok
	}
	if t.asked == nil {
		t.asked, t.passed = make([]uint32, n), make([]uint32, n)
	}
	if t.asked[i] >= gateTrial {
		return ok || float64(t.passed[i]) > gateUseless*gateTrial
	}
	t.asked[i]++
	if ok {
		t.passed[i]++
	}
	return ok
}

// groupAnchors gives the literals of the pass that share an anchor byte
// their group (foldLiteral.group): the detections of a story ask for
// several event names in the records of one service (the five Bedrock
// detections' "deleteknowledgebase" and "invokemodel" both anchor on k,
// "listfoundationmodels" and the logging configuration's on f), and each
// scan for the byte in either case then serves them all.
//
// Only a pass with few literals (fewer than manyLiterals) is grouped,
// and only literals the pair search does not find (foldLiteral.pair):
// for the five Bedrock detections in one pass, seven pair searches took
// less CPU than the grouped walks.
// A group's walk compares every literal not yet found at each occurrence
// of the anchor, and goes on until all are found; with many literals
// (a content library's detections in one pass: 59 of them took 8% more
// CPU grouped) most are never asked for once a first literal has ruled
// the record out, and a common anchor byte then costs a compare per
// literal at each of its hundred occurrences.
func (pf *prefilters) groupAnchors() {
	if len(pf.lits) >= manyLiterals {
		return
	}
	byAnchor := map[byte][]*foldLiteral{}
	for _, f := range pf.lits {
		if f.pair {
			continue // its own pair search costs less than a walk
		}
		byAnchor[f.lo] = append(byAnchor[f.lo], f)
	}
	for _, g := range byAnchor {
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(a, b *foldLiteral) int { return a.id - b.id })
		for _, f := range g {
			f.group = g
		}
	}
}

// batchPairs makes the literals of the plans that no plan requires
// alone (prefilters.required) one batch (foldLiteral.batch), searched
// for in one walk (literalMemo.searchPairs), when there are three to
// maxPairs of them, all found by the pair search, in a pass without a
// gram index. The five Bedrock detections in one pass all require
// bedrock.amazonaws.com, which rules out most records by itself; in the
// rest, their five event names and accessdenied are sought in one walk
// instead of six. A detection alone, with one or two such literals,
// searches as before: the second is often not asked for.
func (pf *prefilters) batchPairs() {
	if pf.indexesGrams() || !pairSearch {
		return
	}
	required := map[int]bool{}
	for _, id := range pf.required {
		required[id] = true
	}
	var batch []*foldLiteral
	seen := map[*foldLiteral]bool{}
	var walk func(f *prefilter) bool
	walk = func(f *prefilter) bool {
		if f == nil {
			return true
		}
		if f.op == 'l' {
			if !required[f.fold.id] && !seen[f.fold] {
				seen[f.fold] = true
				batch = append(batch, f.fold)
			}
			return f.fold.pair && f.fold.group == nil
		}
		for _, t := range f.terms {
			if !walk(t) {
				return false
			}
		}
		return true
	}
	for _, f := range pf.plans {
		if !walk(f) {
			return
		}
	}
	if len(batch) < 3 || len(batch) > maxPairs {
		return
	}
	pb := newPairBatch(batch)
	for _, f := range batch {
		f.batch = pb
	}
	var mark func(f *prefilter)
	mark = func(f *prefilter) {
		if f == nil || f.op == 'l' {
			return
		}
		if f.op == 'o' && !slices.ContainsFunc(f.terms, func(t *prefilter) bool { return t.op != 'l' || t.fold.batch != pb }) {
			f.pairs = pb
		}
		for _, t := range f.terms {
			mark(t)
		}
	}
	for _, f := range pf.plans {
		mark(f)
	}
}

// indexesGrams reports whether the pass has manyLiterals literals or
// more, enough for a gram index (indexGrams).
func (pf *prefilters) indexesGrams() bool { return len(pf.lits) >= manyLiterals }

// gramIndex returns the pass's gram index, made by the first caller from
// sample, the record at hand; nil where there is none. Building it is
// most of a search's start (the filter's plan weighs every literal's
// grams), so it waits for a worker's trial to find that the walk pays
// (useGrams): a test's twenty events never get there, the same answers
// come from the searches one by one.
func (pf *prefilters) gramIndex(sample string) *gramIndex {
	pf.gramsOnce.Do(func() { pf.indexGrams(sample) })
	return pf.grams
}

// indexGrams makes the pass's gram index when it has manyLiterals
// literals or more (indexesGrams), each literal filed under its gram that
// sample holds least often: a record's walk then answers for all of them
// (but those under three bytes), however many the plans ask for.
func (pf *prefilters) indexGrams(sample string) {
	if !pf.indexesGrams() {
		return
	}
	byID := make([]string, len(pf.lits))
	for _, f := range pf.lits {
		byID[f.id] = f.lit
	}
	g := newGramIndex(byID, sample)
	if g == nil {
		return
	}
	pf.grams, pf.gramStates = g, make([]uint8, len(byID))
	for id := range byID {
		if g.indexed(id) {
			pf.gramStates[id] = litOut
		}
	}
}

// gate is what an event's source asks before it evaluates event type i
// (knowledge's SetEventtypeGate) while worker w offers the event: false
// when the event type's pre-filter rules the record out, by the
// literals w's memo holds for it.
type gate struct {
	pf *prefilters
	w  int
	// asked and passed count, per event type, the records this worker
	// checked and those the pre-filter let through: one that lets
	// nearly every record through (".amazonaws.com", which every
	// CloudTrail record holds) is not worth its searches, and is no
	// longer checked (gateUseless).
	asked, passed []uint32
}

// gateTrial and gateUseless: after gateTrial records, an event type's
// pre-filter that let through more than 15 in 16 of them is dropped for
// the rest of the pass. Either way the answers are those of the
// searches; only the cost differs.
const (
	gateTrial   = 4096
	gateUseless = 15.0 / 16
)

func (g *gate) mayMatch(i int) bool {
	m := &g.pf.memos[g.w]
	if !m.ready || i >= len(g.pf.eventtypes) || g.pf.eventtypes[i] == nil {
		return true
	}
	if g.asked == nil {
		g.asked, g.passed = make([]uint32, len(g.pf.eventtypes)), make([]uint32, len(g.pf.eventtypes))
	}
	if g.asked[i] >= gateTrial {
		if float64(g.passed[i]) > gateUseless*gateTrial {
			return true
		}
		return g.pf.eventtypes[i].test(m.raw, m)
	}
	ok := g.pf.eventtypes[i].test(m.raw, m)
	g.asked[i]++
	if ok {
		g.passed[i]++
	}
	return ok
}

// literalMemo remembers the answers of substring searches over one text,
// one per literal of the pass (by foldLiteral.id): however many plans
// require a literal, and however many literals the plans have, each is
// searched for at most once per record.
type literalMemo struct {
	// small holds, per literal, litUnknown, litIn or litOut: room for
	// the literals of a content library's detections and of the event
	// types they read, so that the memo of a record checked on the
	// stack (prefilters.skip) allocates nothing.
	small [256]uint8
	big   []uint8 // the same, when the pass has more literals than small holds
	// raw is the text the answers are about, and ready is set while they
	// are (ruleOut).
	raw   string
	ready bool
	// noEsc says the text is known to hold no backslash: a literal's
	// pair search went through it all (foldLiteral.inNoEsc).
	noEsc bool
	// pairsFrom is where the next walk of the pass's several-pair batch
	// starts in the text (searchPairs): every position before it is
	// tested for the batch's literals not yet answered; pairsEsc says a
	// backslash is among those positions.
	pairsFrom int
	pairsEsc  bool
	// tally, in a worker's memo, counts what the plans' pre-filters let
	// through.
	tally *tally
	// hasHeld: skip or skipGated, on the worker, searched the record
	// and let it through, and offer, next on the same worker, uses the
	// answers instead of searching again, when the reader made the event
	// right after (event.Event.Vetted). It took a copy of each record let
	// through, and a comparison of about 1 KB in offer, to tell.
	hasHeld bool
	// heldEscaped says the held record may spell a literal with a \u
	// escape (skipGated holds such a record by its gate's answers): the
	// literals' answers do not hold for it, and ruleOut leaves the memo
	// unready, so that the event types' gate does not read them.
	heldEscaped bool
	// first is the plan that let the last record skip checked through:
	// tried first on the next.
	first int
	// outs are, while hasHeld, what ruleOut reports of each plan for
	// the held record (prefilters.reach).
	outs []bool
	// searched counts the literals searched for one by one, records the
	// records of the worker's trial of the pass's gram index (useGrams);
	// grams is its outcome, once decided.
	searched, records int
	decided, grams    bool
	// gate, while skipGated reads a record, is per key of the field gate
	// the residual pre-filters' 'g' terms on it that the record's value
	// there satisfies (gateTerm.id).
	gate [][]uint64
	// pad keeps the next worker's memo (prefilters.memos) off the cache
	// line of this one's last fields, which every search writes.
	_ [64]byte
}

// gramTrial and gramSearches: a worker searches for the literals of its
// first gramTrial records one by one, as they are asked; when that took
// gramSearches searches a record or more, a walk answering for all of
// them (gramIndex.scan, about 1.4 ns a byte of record) costs less than
// the searches (about 100 ns each in a 1 KB record), and the worker walks
// each record from then on. A detection alone whose eventName IN lists
// eight names asks for eight; the 59 ESCU CloudTrail detections in one
// pass for several dozen. Either way the answers are the same.
const (
	gramTrial    = 64
	gramSearches = 6
)

// useGrams reports whether the memo's next record is walked by the gram
// index, counting it into the trial until it is decided.
func (m *literalMemo) useGrams() bool {
	if !m.decided {
		if m.records < gramTrial {
			m.records++
			return false
		}
		m.decided, m.grams = true, m.searched >= gramSearches*gramTrial
	}
	return m.grams
}

// manyLiterals is how many literals a pass has before a walk over each
// record that answers for all of them (gramIndex) pays: a selective
// detection alone asks for one or two, each a search of a rare byte.
const manyLiterals = 8

// The states of a literal in a memo: not searched for yet, in the text,
// not in it.
const (
	litUnknown uint8 = iota
	litIn
	litOut
)

// reset readies the memo for a new text and n literals, none answered.
func (m *literalMemo) reset(n int) {
	if n > len(m.small) {
		if cap(m.big) < n {
			m.big = make([]uint8, n)
		}
		m.big = m.big[:n]
		clear(m.big)
	} else {
		m.big = nil
		clear(m.small[:n])
	}
	m.noEsc = false
	m.pairsFrom, m.pairsEsc = 0, false
}

// states is the memo's state of each literal, by id.
func (m *literalMemo) states() []uint8 {
	if m.big != nil {
		return m.big
	}
	return m.small[:]
}

func (m *literalMemo) contains(text string, lit *foldLiteral) bool {
	var state *uint8
	if m.big != nil {
		state = &m.big[lit.id]
	} else {
		state = &m.small[lit.id]
	}
	switch *state {
	case litIn:
		return true
	case litOut:
		return false
	}
	m.searched++
	if lit.batch != nil {
		m.searchPairs(text, lit.batch, lit.bit)
		return *state == litIn
	}
	if lit.group != nil {
		m.searchGroup(text, lit.group)
		return *state == litIn
	}
	hit, noEsc := lit.inNoEsc(text)
	m.noEsc = m.noEsc || noEsc
	*state = litOut
	if hit {
		*state = litIn
	}
	return hit
}

func (m *literalMemo) state(lit *foldLiteral) *uint8 {
	if m.big != nil {
		return &m.big[lit.id]
	}
	return &m.small[lit.id]
}

// searchGroup answers, for every literal of a group (one anchor byte)
// not yet searched for in text, whether text holds it, walking the
// anchor's occurrences in either case once for all of them and stopping
// when every one is found. At each occurrence each literal still
// unanswered is compared where its own anchor offset puts it.
func (m *literalMemo) searchGroup(text string, group []*foldLiteral) {
	left := 0
	for _, f := range group {
		s := m.state(f)
		if *s != litUnknown {
			continue
		}
		if len(f.lit) > len(text) {
			*s = litOut
			continue
		}
		left++
	}
	lo, up := group[0].lo, group[0].up
	nextLo, nextUp := -1, -1
	if lo == up {
		nextUp = len(text) // one byte: one walk
	}
	for p := 0; left > 0 && p < len(text); p++ {
		if nextLo < p {
			nextLo = indexFrom(text, lo, p)
		}
		if nextUp < p {
			nextUp = indexFrom(text, up, p)
		}
		p = min(nextLo, nextUp)
		if p == len(text) {
			break
		}
		for _, f := range group {
			s := m.state(f)
			if start := p - f.at; *s == litUnknown && start >= 0 && start+len(f.lit) <= len(text) && equalLowerASCII(text[start:start+len(f.lit)], f.lit) {
				*s = litIn
				left--
			}
		}
	}
	for _, f := range group {
		if s := m.state(f); *s == litUnknown {
			*s = litOut
		}
	}
}

// foldASCII lowercases an ASCII letter, and leaves any other byte.
func foldASCII(c byte) byte {
	if c-'A' < 26 {
		return c + 'a' - 'A'
	}
	return c
}

// foldTable is foldASCII of every byte.
var foldTable = func() (t [256]byte) {
	for i := range t {
		t[i] = foldASCII(byte(i))
	}
	return t
}()

// implied reports whether another literal among terms makes lit's
// requirement redundant in a group of op: in an OR, a shorter literal
// inside lit ("instance" for "runinstances") lets through every text lit
// does; in an AND, a longer literal holding lit requires it already.
func implied(op byte, lit string, terms []*prefilter) bool {
	for _, u := range terms {
		if u.op != 'l' || u.lit == lit {
			continue
		}
		if op == 'o' && strings.Contains(lit, u.lit) || op == 'a' && strings.Contains(u.lit, lit) {
			return true
		}
	}
	return false
}

// joinedPrefilter is f with every group rebuilt by joinPrefilters: nested
// groups of the same kind flattened, repeated literals kept once.
func joinedPrefilter(f *prefilter) *prefilter {
	if f == nil || f.op == 'l' {
		return f
	}
	terms := make([]*prefilter, len(f.terms))
	for i, t := range f.terms {
		terms[i] = joinedPrefilter(t)
	}
	return joinPrefilters(f.op, terms)
}

// joinPrefilters joins pre-filters with AND (op 'a') or OR ('o'): a group of the
// same op is spliced in, a literal already there or implied by another
// (implied) is not repeated, and a group of one is that one. It requires what the plain group requires.
func joinPrefilters(op byte, terms []*prefilter) *prefilter {
	g := &prefilter{op: op}
	seen := map[string]bool{}
	var add func(t *prefilter)
	add = func(t *prefilter) {
		for t.op != 'l' && len(t.terms) == 1 {
			t = t.terms[0] // a group of one requires what its term does
		}
		switch {
		case t.op == op:
			for _, u := range t.terms {
				add(u)
			}
		case t.op == 'l':
			if !seen[t.lit] {
				seen[t.lit] = true
				g.terms = append(g.terms, t)
			}
		default:
			g.terms = append(g.terms, t)
		}
	}
	for _, t := range terms {
		add(t)
	}
	g.terms = slices.DeleteFunc(g.terms, func(t *prefilter) bool { return t.op == 'l' && implied(op, t.lit, g.terms) })
	if len(g.terms) == 1 {
		return g.terms[0]
	}
	return g
}
