package knowledge

import (
	"strings"
	"sync/atomic"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// The add-on's calculated fields are long case() expressions whose
// conditions mostly compare eventName with literal names
// (`eventName="CreateUser"`, `in(eventName, "DeleteUser", ...)`), so
// evaluating one walked a chain of comparisons, each reading eventName
// through the knowledge layers again. compileCaseTable turns such a case()
// into a table keyed on the field's value: for each name, the branches
// that can hold for it, in order; conditions that do not depend on the
// field alone still run, in their turn. A condition that reads only the
// key field (`like(eventName, "%Instances")`, `NOT eventName="a"`) is
// decided once per value: the first event with a value the table has no
// plan for makes one (learn), which later events with that value use.
//
// It is exact, not approximate. Compare (eval's `=`, which in() uses too)
// holds a single string value equal to a literal that is not a number
// exactly when the two are the same bytes; a condition skipped for a value
// is one that cannot be true for it, and whose evaluation has no effect
// (only field reads, literals, comparisons, AND, OR, in(), like(),
// isnull(), isnotnull()). A multivalue or non-string key value, and any
// case() with nothing to key on, uses the expression as it was.

// caseTable is a case() compiled to a lookup on one field's value.
type caseTable struct {
	field    string
	branches []caseBranch
	shapes   []caseShape
	// plans are the branches to try for each value of the field met so
	// far: the literals of key conditions and gates from the start, any
	// other value once an event has it (learn), up to maxLearned of them.
	// The map is never changed once stored: a new value stores a copy.
	plans   atomic.Pointer[map[string][]caseStep]
	learned atomic.Int32
	null    []caseStep     // for no value
	other   []caseStep     // for a value past maxLearned
	orig    eval.Evaluator // the whole case(), for values the table does not cover
}

// caseBranch is one condition and value of the case(). fields is set when
// the value is a field or a coalesce() of fields (the add-on's
// coalesce('userIdentity.userName', ...)), read straight from the row:
// the first of them with a value, as coalesce() gives it.
type caseBranch struct {
	cond, value eval.Evaluator
	fields      []string
}

// result is the branch's value on r.
func (b *caseBranch) result(r *value.Row) value.Value {
	if b.fields == nil {
		return b.value(r)
	}
	for _, f := range b.fields {
		if v := r.Get(f); !v.IsNull() {
			return v
		}
	}
	return value.NullValue
}

// resultFields is the fields a branch's value e reads straight: e itself
// when it is a field, the arguments of a coalesce() of fields; nil for
// any other value.
func resultFields(e spl.Expr) []string {
	switch e := e.(type) {
	case *spl.FieldRef:
		return []string{e.Name}
	case *spl.Call:
		if fn, ok := eval.Lookup(e.Func); !ok || fn.Name != "coalesce" || len(e.Args) == 0 {
			return nil
		}
		var out []string
		for _, a := range e.Args {
			f, ok := a.(*spl.FieldRef)
			if !ok {
				return nil
			}
			out = append(out, f.Name)
		}
		return out
	}
	return nil
}

// caseShape is what the table knows of a branch's condition.
type caseShape struct {
	key   map[string]bool // a key condition: true exactly for these values
	gate  map[string]bool // cannot be true unless the value is one of these
	gated bool
	// keyOnly: the condition reads no field but the key field, and has
	// no effect (eval.Pure), so its truth for a value is the same on every
	// event: the plan of a value decides it once.
	keyOnly bool
	// parts, for a pure (eval.Pure) condition of AND and OR over some key-only
	// conditions and some others, is its tree: the plan of a value
	// decides the key-only ones, and tests the rest.
	parts *condPart
	// is, for a key condition on another field (eventType="AwsApiCall"),
	// tests it without eval.
	is *fieldIs
}

// condPart is a node of a condition's tree of AND and OR: an operator
// over two parts, or a condition under neither (leaf), key-only or not.
// Neither operator stops early (eval's three-valued and, or), and for a
// branch only whether the condition is true counts: an AND is true when
// both its sides are, an OR when either is.
type condPart struct {
	op      string // "AND", "OR", or "" for a leaf
	l, r    *condPart
	leaf    eval.Evaluator
	keyOnly bool
	is      *fieldIs // for a leaf that is a key condition on another field
}

// fieldIs is a key condition (keyCondition) on a field other than the
// table's: true exactly when the field's single string value is one of
// the literals, which a comparison of strings tells without eval (the
// add-on's eventType="AwsConsoleSignIn"). Any other value (none, a
// number, a multivalue) is given to the condition itself.
type fieldIs struct {
	field string
	one   string          // the literal, when there is one
	keys  map[string]bool // the literals, when there are more
	cond  eval.Evaluator
}

// newFieldIs is the fieldIs of condition e (compiled to cond), nil when
// e is no key condition.
func newFieldIs(e spl.Expr, cond eval.Evaluator) *fieldIs {
	f := keyConditionField(e)
	if f == "" {
		return nil
	}
	keys, _ := keyCondition(e, f)
	m := &fieldIs{field: f, cond: cond}
	if len(keys) == 1 {
		for k := range keys {
			m.one = k
		}
	} else {
		m.keys = keys
	}
	return m
}

func (m *fieldIs) test(r *value.Row) bool {
	v := r.Get(m.field)
	if v.Kind() == value.String {
		if m.keys == nil {
			return v.String() == m.one
		}
		return m.keys[v.String()]
	}
	x, ok := m.cond(r).Bool()
	return ok && x
}

// caseStep is a branch to try: certain when its condition is known to be
// true for the value (a key condition), else its condition is evaluated,
// or test, when set: what is left of it once its key-only parts are
// decided for the value.
type caseStep struct {
	branch  int
	certain bool
	test    func(*value.Row) bool
}

// maxLearned bounds the values a table learns plans for; past it, other
// values evaluate every condition that is not a key condition or a gate,
// as they did before any was learned.
const maxLearned = 4096

// compileCaseTable returns the table form of e when e is a case() with at
// least one key condition, nil otherwise. orig is e compiled by ec, nil to
// have it compiled here: the calculated fields have compiled it already.
func compileCaseTable(e spl.Expr, orig eval.Evaluator, ec *eval.Compiler) (*caseTable, error) {
	call, ok := e.(*spl.Call)
	if !ok || len(call.Args) < 2 || len(call.Args)%2 != 0 {
		return nil, nil
	}
	if fn, ok := eval.Lookup(call.Func); !ok || fn.Name != "case" {
		return nil, nil
	}
	field := keyField(call)
	if field == "" {
		return nil, nil
	}
	if orig == nil {
		var err error
		if orig, err = ec.Compile(e); err != nil {
			return nil, err
		}
	}
	t := &caseTable{field: field, orig: orig}
	plans := map[string][]caseStep{}
	for i := 0; i < len(call.Args); i += 2 {
		cond, err := ec.Compile(call.Args[i])
		if err != nil {
			return nil, err
		}
		val, err := ec.Compile(call.Args[i+1])
		if err != nil {
			return nil, err
		}
		br := caseBranch{cond: cond, value: val, fields: resultFields(call.Args[i+1])}
		t.branches = append(t.branches, br)
		var sh caseShape
		if keys, ok := keyCondition(call.Args[i], field); ok {
			sh.key = keys
		} else if keyOnly(call.Args[i], field) {
			sh.keyOnly = true
		} else if g, ok := gateOf(call.Args[i], field); ok && eval.Pure(call.Args[i]) {
			sh.gate, sh.gated = g, true
		}
		if sh.key == nil && !sh.keyOnly && eval.Pure(call.Args[i]) {
			if sh.parts, err = condParts(call.Args[i], field, ec); err != nil {
				return nil, err
			}
		}
		if sh.key == nil && !sh.keyOnly && sh.parts == nil {
			sh.is = newFieldIs(call.Args[i], cond)
		}
		t.shapes = append(t.shapes, sh)
		for k := range sh.key {
			plans[k] = nil
		}
		for k := range sh.gate {
			plans[k] = nil
		}
	}
	for v := range plans {
		plans[v] = t.plan(value.Str(v))
	}
	t.plans.Store(&plans)
	t.null = t.plan(value.NullValue)
	for i, sh := range t.shapes {
		if sh.key == nil && !sh.gated {
			t.other = append(t.other, caseStep{branch: i})
		}
	}
	return t, nil
}

// plan lists the branches to try for a value of the key field (a string,
// or null for none): a key condition or a key-only condition is decided
// here, a gated condition is tried only for its gate's values, any other
// is tried.
func (t *caseTable) plan(v value.Value) []caseStep {
	var row *value.Row // the key field alone, for key-only conditions
	var steps []caseStep
	for i, sh := range t.shapes {
		switch {
		case sh.key != nil:
			if v.Kind() == value.String && sh.key[v.String()] {
				return append(steps, caseStep{branch: i, certain: true})
			}
			continue
		case sh.keyOnly:
			if row == nil {
				row = value.NewRow(nil)
				row.Set(t.field, v)
			}
			if x, ok := t.branches[i].cond(row).Bool(); ok && x {
				return append(steps, caseStep{branch: i, certain: true})
			}
			continue
		case sh.gated:
			if v.Kind() != value.String || !sh.gate[v.String()] {
				continue
			}
		}
		step := caseStep{branch: i}
		if sh.is != nil {
			step.test = sh.is.test
		}
		if sh.parts != nil {
			if row == nil {
				row = value.NewRow(nil)
				row.Set(t.field, v)
			}
			known, truth, test := sh.parts.decide(row)
			switch {
			case known && truth:
				return append(steps, caseStep{branch: i, certain: true})
			case known:
				continue
			}
			step.test = test
		}
		steps = append(steps, step)
	}
	return steps
}

// condParts returns the tree of a condition's AND and OR when some of its
// leaves are key-only and some are not, nil otherwise.
func condParts(e spl.Expr, field string, ec *eval.Compiler) (*condPart, error) {
	var some, all int
	var build func(e spl.Expr) (*condPart, error)
	build = func(e spl.Expr) (*condPart, error) {
		if b, ok := e.(*spl.Binary); ok && (b.Op == "AND" || b.Op == "OR") {
			l, err := build(b.L)
			if err != nil {
				return nil, err
			}
			r, err := build(b.R)
			if err != nil {
				return nil, err
			}
			return &condPart{op: b.Op, l: l, r: r}, nil
		}
		leaf, err := ec.Compile(e)
		if err != nil {
			return nil, err
		}
		p := &condPart{leaf: leaf, keyOnly: keyOnly(e, field)}
		if !p.keyOnly {
			p.is = newFieldIs(e, leaf)
		}
		all++
		if p.keyOnly {
			some++
		}
		return p, nil
	}
	p, err := build(e)
	if err != nil || some == 0 || some == all {
		return nil, err
	}
	return p, nil
}

// decide evaluates the key-only leaves of p on row, which holds only the
// key field: known is true when that settles whether p is true (truth);
// otherwise test tells it for an event, from the other leaves.
func (p *condPart) decide(row *value.Row) (known, truth bool, test func(*value.Row) bool) {
	if p.op == "" {
		if p.keyOnly {
			x, ok := p.leaf(row).Bool()
			return true, ok && x, nil
		}
		if p.is != nil {
			return false, false, p.is.test
		}
		leaf := p.leaf
		return false, false, func(r *value.Row) bool {
			x, ok := leaf(r).Bool()
			return ok && x
		}
	}
	lk, lt, ltest := p.l.decide(row)
	rk, rt, rtest := p.r.decide(row)
	and := p.op == "AND"
	switch {
	case lk && rk:
		if and {
			return true, lt && rt, nil
		}
		return true, lt || rt, nil
	case lk:
		if lt != and { // true OR x, false AND x
			return true, lt, nil
		}
		return false, false, rtest // true AND x, false OR x
	case rk:
		if rt != and {
			return true, rt, nil
		}
		return false, false, ltest
	}
	if and {
		return false, false, func(r *value.Row) bool { return ltest(r) && rtest(r) }
	}
	return false, false, func(r *value.Row) bool { return ltest(r) || rtest(r) }
}

// learn returns the plan of a string value the table has none for, and
// keeps it while the table holds fewer than maxLearned.
func (t *caseTable) learn(s string) []caseStep {
	if t.learned.Load() >= maxLearned {
		return t.other
	}
	steps := t.plan(value.Str(s))
	key := strings.Clone(s) // s may share the memory of a block of input
	for {
		old := t.plans.Load()
		if _, ok := (*old)[s]; ok {
			return steps
		}
		m := make(map[string][]caseStep, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
		m[key] = steps
		if t.plans.CompareAndSwap(old, &m) {
			t.learned.Add(1)
			return steps
		}
	}
}

func (t *caseTable) eval(r *value.Row) value.Value {
	v := r.Get(t.field)
	var steps []caseStep
	switch v.Kind() {
	case value.Null:
		steps = t.null
	case value.String:
		var ok bool
		if steps, ok = (*t.plans.Load())[v.String()]; !ok {
			steps = t.learn(v.String())
		}
	default:
		return t.orig(r)
	}
	for _, s := range steps {
		b := &t.branches[s.branch]
		if s.certain {
			return b.result(r)
		}
		if s.test != nil {
			if s.test(r) {
				return b.result(r)
			}
			continue
		}
		if x, ok := b.cond(r).Bool(); ok && x {
			return b.result(r)
		}
	}
	return value.NullValue
}

// keyOnly reports whether e reads no field but field, and has no effect
// beyond its value (eval.Pure, or true() and false()): its value on an event
// is its value on a row that holds only that field's value.
func keyOnly(e spl.Expr, field string) bool {
	only := true
	spl.Walk(e, func(n spl.Node) bool {
		if f, ok := n.(*spl.FieldRef); ok && f.Name != field {
			only = false
		}
		return only
	})
	return only && pureOrConst(e)
}

// pureOrConst is eval.Pure, also allowing true() and false().
func pureOrConst(e spl.Expr) bool {
	if c, ok := e.(*spl.Call); ok && len(c.Args) == 0 {
		if fn, ok := eval.Lookup(c.Func); ok && (fn.Name == "true" || fn.Name == "false") {
			return true
		}
	}
	return eval.Pure(e)
}

// keyField is the field most key conditions of a case() test, "" when no
// condition is one.
func keyField(call *spl.Call) string {
	count := map[string]int{}
	best := ""
	for i := 0; i < len(call.Args); i += 2 {
		f := keyConditionField(call.Args[i])
		if f == "" {
			continue
		}
		count[f]++
		if count[f] > count[best] || count[f] == count[best] && f < best {
			best = f
		}
	}
	return best
}

// keyConditionField is the field a key condition tests, "" if e is none.
func keyConditionField(e spl.Expr) string {
	var f string
	switch e := e.(type) {
	case *spl.Binary:
		if x, ok := e.L.(*spl.FieldRef); ok {
			f = x.Name
		}
	case *spl.Call:
		if len(e.Args) > 0 {
			if x, ok := e.Args[0].(*spl.FieldRef); ok {
				f = x.Name
			}
		}
	case *spl.InExpr:
		if x, ok := e.X.(*spl.FieldRef); ok {
			f = x.Name
		}
	}
	if _, ok := keyCondition(e, f); !ok {
		return ""
	}
	return f
}

// keyCondition reports whether e is true exactly when a single string
// value of field is one of the returned literals: `field=lit`,
// `field==lit`, `in(field, lit, ...)` or `field IN (lit, ...)`, every
// literal a string that is not a number (Compare would compare numbers as
// numbers).
func keyCondition(e spl.Expr, field string) (map[string]bool, bool) {
	var x spl.Expr
	var lits []spl.Expr
	switch e := e.(type) {
	case *spl.Binary:
		if e.Op != "=" && e.Op != "==" {
			return nil, false
		}
		x, lits = e.L, []spl.Expr{e.R}
	case *spl.Call:
		if fn, ok := eval.Lookup(e.Func); !ok || fn.Name != "in" || len(e.Args) < 2 {
			return nil, false
		}
		x, lits = e.Args[0], e.Args[1:]
	case *spl.InExpr:
		x, lits = e.X, e.List
	default:
		return nil, false
	}
	if f, ok := x.(*spl.FieldRef); !ok || f.Name != field {
		return nil, false
	}
	keys := map[string]bool{}
	for _, l := range lits {
		s, ok := l.(*spl.StringLit)
		if !ok {
			return nil, false
		}
		v := s.Value()
		if _, num := value.Str(v).Number(); num {
			return nil, false
		}
		keys[v] = true
	}
	return keys, true
}

// gateOf returns values outside which e cannot be true: e is a key
// condition on field, an AND with such a side, or an OR of such sides.
func gateOf(e spl.Expr, field string) (map[string]bool, bool) {
	if keys, ok := keyCondition(e, field); ok {
		return keys, true
	}
	b, ok := e.(*spl.Binary)
	if !ok {
		return nil, false
	}
	switch b.Op {
	case "AND":
		// false on either side makes AND false (eval's three-valued and).
		if g, ok := gateOf(b.L, field); ok {
			return g, true
		}
		return gateOf(b.R, field)
	case "OR":
		l, lok := gateOf(b.L, field)
		r, rok := gateOf(b.R, field)
		if !lok || !rok {
			return nil, false
		}
		out := map[string]bool{}
		for k := range l {
			out[k] = true
		}
		for k := range r {
			out[k] = true
		}
		return out, true
	}
	return nil, false
}
