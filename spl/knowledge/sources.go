package knowledge

import (
	"slices"
	"strings"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/value"
)

// Origin is what a field's values can be, as far as the rules show it:
// every value of the field is a value of one of the raw fields Raw (as
// the event itself has it, before any rule) or one of the constants
// Consts. A field no rule makes is its own raw field.
type Origin struct {
	Raw    []string
	Consts []string
}

// Sources returns, for events of a sourcetype, the origin of a field's
// values after every rule, and false where the rules do not show one (a
// field an extraction, an event type or a tag makes, or a calculated
// field whose expression is not one of the shapes below). A lookup adds
// the cells of the column it writes as constants. The
// raw pre-filter uses it: when no constant can match a search's value,
// a match means a raw field has the value, so the raw text holds it.
//
// It follows the rules step by step as Source applies them
// (docs/knowledge.md, "Order"), and recognises only expressions that
// return one of their operands unchanged: a field, a string literal,
// null(), and coalesce, ifnull, if and case of those (the conditions of
// if and case never become the value). Anything else derives nothing.
func (k *Knowledge) Sources(sourcetype string) func(field string) (Origin, bool) {
	r := k.For(sourcetype)
	return func(field string) (Origin, bool) {
		if field == "eventtype" || field == "tag" || strings.HasPrefix(field, "tag::") {
			return Origin{}, false
		}
		if r == nil || !r.derived[field] {
			return Origin{Raw: []string{field}}, true
		}
		return r.origin(field)
	}
}

// Known tells, of a raw field, its value in an event (null for none) and
// whether it is known.
type Known = func(field string) (value.Value, bool)

// NullUnlessGiven returns, for events of a sourcetype whose values of
// some raw fields known tells, raw fields such that a field has no value on
// an event where none of them has one; ok is false where the rules do not
// show such fields (a constant, a lookup or an expression may give it a
// value whatever the event holds). A field no rule makes is its own; a
// calculated field's expression follows its fields through the aliases, a
// coalesce(), ifnull() and the branches of a case() or if() that known
// leaves possible (a condition is decided on known values as ExactGiven
// decides it), and the first argument of replace(), split(), mvindex()
// and mvjoin(), which return null when it is (docs/semantics-functions.md);
// null() has none. The add-on's user is case(eventName="PutBucketAcl", ...,
// true(), 'userIdentity.userName'): for a DescribeRegions call of type
// AwsApiCall, an event without userIdentity.userName has no user; for a
// GetUser call, one without errorMessage (replace(errorMessage, ...)).
// exec's by-field gate takes such events from a stats BY user.
func (k *Knowledge) NullUnlessGiven(sourcetype string) func(field string, known Known) ([]string, bool) {
	r := k.For(sourcetype)
	return func(field string, known Known) ([]string, bool) {
		if field == "eventtype" || field == "tag" || strings.HasPrefix(field, "tag::") {
			return nil, false
		}
		if r == nil || !r.derived[field] {
			return []string{field}, true
		}
		if r.lookupOutputs[field] > 0 {
			return nil, false
		}
		expr, ok := r.calcExprs[field]
		if !ok {
			return r.rawOnly(field)
		}
		var o Origin
		if !r.nullUnless(expr, known, &o) {
			return nil, false
		}
		return o.Raw, true
	}
}

// nullPropagating are the eval functions that return null when their
// first argument is null (docs/semantics-functions.md), whatever the rest.
var nullPropagating = map[string]bool{"replace": true, "split": true, "mvindex": true, "mvjoin": true}

// nullUnless adds to o.Raw raw fields e has no value without (NullUnlessGiven);
// false when it may have one whatever they hold.
func (r *Rules) nullUnless(e spl.Expr, known Known, o *Origin) bool {
	switch e := e.(type) {
	case *spl.FieldRef:
		raw, ok := r.rawOnly(e.Name)
		for _, f := range raw {
			o.addRaw(f)
		}
		return ok
	case *spl.Call:
		if nullPropagating[e.Func] && len(e.Args) > 0 {
			return r.nullUnless(e.Args[0], known, o)
		}
		values, ok := e.Results()
		if !ok {
			return false
		}
		if known != nil && (e.Func == "case" || e.Func == "if") {
			values = r.taken(e, known)
		}
		for _, v := range values {
			if !r.nullUnless(v, known, o) {
				return false
			}
		}
		return true
	}
	return false
}

// rawOnly is the raw fields a field the calculated fields read has its
// values from (after the aliases), ok false when it may have another
// value: a constant, an extraction's, or none known.
func (r *Rules) rawOnly(field string) ([]string, bool) {
	a, ok := r.aliasOrigin(field)
	if !ok || len(a.Consts) > 0 || a.Raw == nil {
		return nil, false
	}
	return a.Raw, true
}

// ExactGiven returns, for events of a sourcetype whose values of some raw
// fields known tells, the raw field whose value a field has on every such
// event, null where it has none, when the rules show one: the field itself
// when no rule makes it; for a calculated field that no extraction, alias
// or lookup writes too, the field its expression takes for certain, with
// its conditions decided by known: a branch whose condition
// holds, every condition before it decided not to, that is a field no
// extraction or alias writes. The add-on's user is userIdentity.userName
// for a DescribeRegions call of type AwsApiCall: the by-field gate reads
// it straight (exec.Options.ExactGiven).
func (k *Knowledge) ExactGiven(sourcetype string) func(field string, known Known) (string, bool) {
	r := k.For(sourcetype)
	return func(field string, known Known) (string, bool) {
		if r == nil || !r.derived[field] {
			return field, true
		}
		expr, ok := r.calcExprs[field]
		if !ok || r.lookupOutputs[field] > 0 || !r.plain(field) {
			return "", false
		}
		return r.exact(expr, known)
	}
}

// plain reports whether no extraction or alias writes field: its value
// when the calculated fields read it is the event's own.
func (r *Rules) plain(field string) bool {
	o, ok := r.extractOrigin(field)
	return ok && !r.aliasTargets[field] && len(o.Raw) == 1 && o.Raw[0] == field
}

// exact is the raw field e is on every event known describes (ExactGiven).
func (r *Rules) exact(e spl.Expr, known Known) (string, bool) {
	switch e := e.(type) {
	case *spl.FieldRef:
		return e.Name, r.plain(e.Name)
	case *spl.Call:
		if _, ok := e.Results(); !ok || e.Func != "case" && e.Func != "if" {
			return "", false
		}
		branches := r.taken(e, known)
		if len(branches) != 1 {
			return "", false
		}
		// One branch is left: it is certain when its condition is
		// decided true, or it is if()'s else, all before decided false.
		if e.Func == "if" {
			if _, decided := r.decide(e.Args[0], known); !decided {
				return "", false
			}
			return r.exact(branches[0], known)
		}
		for i := 0; i < len(e.Args); i += 2 {
			if e.Args[i+1] != branches[0] {
				continue
			}
			if truth, decided := r.decide(e.Args[i], known); !truth || !decided {
				return "", false
			}
			return r.exact(branches[0], known)
		}
	}
	return "", false
}

// NullSources returns, for events of a sourcetype, every raw field that
// NullUnlessGiven can name for a field, whatever the values: itself when no
// rule makes it, else those of every branch of its calculated field, and
// the first arguments of replace(), split(), mvindex() and mvjoin(). They
// are what the by-field gate looks for in a record (exec.Options.NullSources).
func (k *Knowledge) NullSources(sourcetype string) func(field string) []string {
	r := k.For(sourcetype)
	return func(field string) []string {
		if r == nil || !r.derived[field] {
			return []string{field}
		}
		expr, ok := r.calcExprs[field]
		if !ok {
			a, _ := r.aliasOrigin(field)
			return a.Raw
		}
		var o Origin
		r.nullSources(expr, &o)
		return o.Raw
	}
}

// nullSources adds to o.Raw every raw field nullUnless can add of e.
func (r *Rules) nullSources(e spl.Expr, o *Origin) {
	switch e := e.(type) {
	case *spl.FieldRef:
		a, _ := r.aliasOrigin(e.Name)
		for _, f := range a.Raw {
			o.addRaw(f)
		}
	case *spl.Call:
		if nullPropagating[e.Func] && len(e.Args) > 0 {
			r.nullSources(e.Args[0], o)
			return
		}
		values, _ := e.Results()
		for _, v := range values {
			r.nullSources(v, o)
		}
	}
}

// maxLookupConsts caps the cells of lookup columns an origin lists: each
// is matched against every value a search compares the field with, once
// per search, so a huge table derives nothing rather than slow every
// compilation.
const maxLookupConsts = 10000

// origin follows a field back from the last step (lookups) to the raw
// event. A lookup gives a field one of its column's cells or its
// default_match, or leaves the field as it was (OUTPUTNEW, an input
// missing).
func (r *Rules) origin(field string) (Origin, bool) {
	o, ok := r.calcOrigin(field)
	if !ok || r.lookupOutputs[field] == 0 {
		return o, ok
	}
	seen := map[string]bool{}
	for _, c := range o.Consts {
		seen[c] = true
	}
	for _, l := range r.lookups {
		cells, _ := l.Writes(field)
		for _, c := range cells {
			if !seen[c] {
				seen[c] = true
				o.Consts = append(o.Consts, c)
			}
		}
		if len(o.Consts) > maxLookupConsts {
			return Origin{}, false
		}
	}
	return o, true
}

// calcOrigin is the origin of a field after the calculated fields.
func (r *Rules) calcOrigin(field string) (Origin, bool) {
	expr, ok := r.calcExprs[field]
	if !ok {
		return r.aliasOrigin(field)
	}
	var o Origin
	if !r.exprOrigin(expr, &o) {
		return Origin{}, false
	}
	return o, true
}

// exprOrigin adds to o what a calculated field's expression can return,
// reading the fields after the aliases; false when it cannot tell.
func (r *Rules) exprOrigin(e spl.Expr, o *Origin) bool {
	switch e := e.(type) {
	case *spl.StringLit:
		o.addConst(e.Value())
		return true
	case *spl.FieldRef:
		a, ok := r.aliasOrigin(e.Name)
		if !ok {
			return false
		}
		for _, f := range a.Raw {
			o.addRaw(f)
		}
		for _, c := range a.Consts {
			o.addConst(c)
		}
		return true
	case *spl.Call:
		values, ok := e.Results()
		if !ok {
			return false
		}
		for _, v := range values {
			if !r.exprOrigin(v, o) {
				return false
			}
		}
		return true
	}
	return false
}

// taken is the results of a case() or if() (of the right arity, as
// Results checked) that known leaves possible: a branch whose condition
// it decides false is not taken, and none after one it decides true is.
func (r *Rules) taken(e *spl.Call, known Known) []spl.Expr {
	type branch struct{ cond, result spl.Expr }
	var branches []branch
	if e.Func == "if" {
		branches = []branch{{e.Args[0], e.Args[1]}, {nil, e.Args[2]}}
	} else {
		for i := 0; i < len(e.Args); i += 2 {
			branches = append(branches, branch{e.Args[i], e.Args[i+1]})
		}
	}
	var out []spl.Expr
	for _, b := range branches {
		if b.cond == nil { // if()'s else
			out = append(out, b.result)
			break
		}
		truth, decided := r.decide(b.cond, known)
		if decided && !truth {
			continue
		}
		out = append(out, b.result)
		if decided {
			break
		}
	}
	return out
}

// decide tells whether a condition holds on the known values (as case()
// and if() take it: when it is true, not when it is false or null), when
// they decide it: it is pure (eval.Pure), and either reads only known
// fields that the event gives the calculated fields as they are, or is an
// AND one of whose sides they decide does not hold, or an OR one of whose
// sides they decide holds (eval's AND and OR are three-valued: false AND
// anything is false, true OR anything true). Every field it reads is
// asked of known, decided or not.
func (r *Rules) decide(cond spl.Expr, known Known) (truth, decided bool) {
	if c, ok := cond.(*spl.Call); ok && len(c.Args) == 0 && (c.Func == "true" || c.Func == "false") {
		return c.Func == "true", true // case()'s catch-all, true()
	}
	if !eval.Pure(cond) {
		r.ask(cond, known)
		return false, false
	}
	if b, ok := cond.(*spl.Binary); ok && (b.Op == "AND" || b.Op == "OR") {
		lt, ld := r.decide(b.L, known)
		rt, rd := r.decide(b.R, known)
		if b.Op == "AND" {
			return lt && rt, ld && rd || ld && !lt || rd && !rt
		}
		return lt || rt, ld && rd || ld && lt || rd && rt
	}
	row, all := r.ask(cond, known)
	if !all {
		return false, false
	}
	ev, err := (&eval.Compiler{Ctx: eval.NewContext(time.Time{})}).Compile(cond)
	if err != nil {
		return false, false
	}
	x, ok := ev(row).Bool()
	return ok && x, true
}

// ask asks known for every field e reads: the row of their values, and
// whether all are known fields that no extraction or alias writes.
func (r *Rules) ask(e spl.Expr, known Known) (row *value.Row, all bool) {
	row, all = value.NewRow(nil), true
	spl.Walk(e, func(n spl.Node) bool {
		f, ok := n.(*spl.FieldRef)
		if !ok {
			return true
		}
		v, isKnown := known(f.Name)
		o, ok := r.aliasOrigin(f.Name)
		if !isKnown || !ok || r.aliasTargets[f.Name] || len(o.Raw) != 1 || o.Raw[0] != f.Name || len(o.Consts) > 0 {
			all = false
		}
		row.Set(f.Name, v)
		return true
	})
	return row, all
}

// aliasOrigin is the origin of a field after the aliases: replayed in
// their order, each `a AS b` gives b a's values (or none), ASNEW keeps b's
// own when it has some.
func (r *Rules) aliasOrigin(field string) (Origin, bool) {
	if !r.aliasTargets[field] {
		return r.extractOrigin(field)
	}
	now := map[string]*Origin{}
	get := func(f string) (*Origin, bool) {
		if o, ok := now[f]; ok {
			return o, o != nil
		}
		o, ok := r.extractOrigin(f)
		if !ok {
			now[f] = nil
			return nil, false
		}
		now[f] = &o
		return &o, true
	}
	for _, a := range r.aliases {
		from, ok := get(a.from)
		var to Origin
		if ok {
			to = from.clone()
		}
		if a.asNew {
			prev, pok := get(a.to)
			if !ok || !pok {
				now[a.to] = nil
				continue
			}
			for _, f := range prev.Raw {
				to.addRaw(f)
			}
			for _, c := range prev.Consts {
				to.addConst(c)
			}
		} else if !ok {
			now[a.to] = nil
			continue
		}
		now[a.to] = &to
	}
	o := now[field]
	if o == nil {
		return Origin{}, false
	}
	return *o, true
}

// extractOrigin is the origin of a field after the extractions: the raw
// field unless an extraction may write it. An extraction whose field
// names come from the match ($1 in FORMAT, _KEY_n groups) may write any.
func (r *Rules) extractOrigin(field string) (Origin, bool) {
	for _, x := range r.extracts {
		for _, f := range x.format {
			if f.name == field || strings.Contains(f.name, "$") || strings.HasPrefix(f.name, "_KEY_") {
				return Origin{}, false
			}
		}
	}
	return Origin{Raw: []string{field}}, true
}

func (o *Origin) addRaw(f string) {
	if !slices.Contains(o.Raw, f) {
		o.Raw = append(o.Raw, f)
	}
}

func (o *Origin) addConst(c string) {
	if !slices.Contains(o.Consts, c) {
		o.Consts = append(o.Consts, c)
	}
}

func (o *Origin) clone() Origin {
	return Origin{Raw: slices.Clone(o.Raw), Consts: slices.Clone(o.Consts)}
}

// maxLookupRows caps the rows LookupSources lists: each becomes an
// alternative of the raw pre-filter, searched for in every record.
const maxLookupRows = 64

// LookupSources returns, for events of a sourcetype, what can give a field
// that the lookups write a value that accept reports true for: the
// field's origin before the lookups (raw fields and the constants of
// calculated fields), and the lookup rows whose cell accept takes. A
// lookup gives a field one of its cells or its default_match, or leaves
// the field as it was, so the field has such a value only when its value
// before the lookups does or when the event's inputs match one of the
// rows. ok is false where the rules do not show it: the field is not a
// lookup's output, its origin before the lookups is unknown, a lookup's
// default_match is accepted or it matches an input by CIDR, or more than
// maxLookupRows rows are.
func (k *Knowledge) LookupSources(sourcetype string) func(field string, accept func(string) bool) (before Origin, rows []lookup.Via, ok bool) {
	r := k.For(sourcetype)
	return func(field string, accept func(string) bool) (Origin, []lookup.Via, bool) {
		if r == nil || !r.derived[field] || r.lookupOutputs[field] == 0 {
			return Origin{}, nil, false
		}
		before, ok := r.calcOrigin(field)
		if !ok {
			return Origin{}, nil, false
		}
		var rows []lookup.Via
		for _, l := range r.lookups {
			if !slices.Contains(l.Outputs(), field) {
				continue
			}
			got, ok := l.Giving(field, accept)
			if !ok || len(rows)+len(got) > maxLookupRows {
				return Origin{}, nil, false
			}
			rows = append(rows, got...)
		}
		return before, rows, true
	}
}
