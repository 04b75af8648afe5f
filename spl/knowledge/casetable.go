package knowledge

import (
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
// field alone still run, in their turn.
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
	plans    map[string][]caseStep // by the field's value
	other    []caseStep            // for any other value, or none
	orig     eval.Evaluator        // the whole case(), for values the table does not cover
}

// caseBranch is one condition and value of the case().
type caseBranch struct {
	cond, value eval.Evaluator
}

// caseStep is a branch to try: certain when its condition is known to be
// true for the value (a key condition), else its condition is evaluated.
type caseStep struct {
	branch  int
	certain bool
}

// compileCaseTable returns the table form of e when e is a case() with at
// least one key condition, nil otherwise.
func compileCaseTable(e spl.Expr, ec *eval.Compiler) (eval.Evaluator, error) {
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
	orig, err := ec.Compile(e)
	if err != nil {
		return nil, err
	}
	t := &caseTable{field: field, plans: map[string][]caseStep{}, orig: orig}
	type shape struct {
		key   map[string]bool // a key condition: true exactly for these values
		gate  map[string]bool // cannot be true unless the value is one of these
		gated bool
	}
	shapes := make([]shape, 0, len(call.Args)/2)
	for i := 0; i < len(call.Args); i += 2 {
		cond, err := ec.Compile(call.Args[i])
		if err != nil {
			return nil, err
		}
		val, err := ec.Compile(call.Args[i+1])
		if err != nil {
			return nil, err
		}
		t.branches = append(t.branches, caseBranch{cond, val})
		var sh shape
		if keys, ok := keyCondition(call.Args[i], field); ok {
			sh.key = keys
		} else if g, ok := gateOf(call.Args[i], field); ok && pure(call.Args[i]) {
			sh.gate, sh.gated = g, true
		}
		shapes = append(shapes, sh)
		for k := range sh.key {
			t.plans[k] = nil
		}
		for k := range sh.gate {
			t.plans[k] = nil
		}
	}
	plan := func(v string, known bool) []caseStep {
		var steps []caseStep
		for i, sh := range shapes {
			switch {
			case sh.key != nil:
				if known && sh.key[v] {
					return append(steps, caseStep{i, true})
				}
			case sh.gated:
				if known && sh.gate[v] {
					steps = append(steps, caseStep{i, false})
				}
			default:
				steps = append(steps, caseStep{i, false})
			}
		}
		return steps
	}
	for v := range t.plans {
		t.plans[v] = plan(v, true)
	}
	t.other = plan("", false)
	return t.eval, nil
}

func (t *caseTable) eval(r *value.Row) value.Value {
	v := r.Get(t.field)
	var steps []caseStep
	switch v.Kind() {
	case value.Null:
		steps = t.other
	case value.String:
		var ok bool
		if steps, ok = t.plans[v.String()]; !ok {
			steps = t.other
		}
	default:
		return t.orig(r)
	}
	for _, s := range steps {
		b := &t.branches[s.branch]
		if s.certain {
			return b.value(r)
		}
		if x, ok := b.cond(r).Bool(); ok && x {
			return b.value(r)
		}
	}
	return value.NullValue
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

// pure reports whether evaluating e has no effect beyond its value: it
// reads fields and literals and combines them with comparisons, AND, OR,
// NOT, in(), like(), isnull() and isnotnull(), none of which records an
// error or a warning. Skipping it changes nothing but time.
func pure(e spl.Expr) bool {
	switch e := e.(type) {
	case *spl.FieldRef, *spl.StringLit, *spl.NumberLit:
		return true
	case *spl.Unary:
		return e.Op == "NOT" && pure(e.X)
	case *spl.Binary:
		switch e.Op {
		case "=", "==", "!=", "<", "<=", ">", ">=", "AND", "OR", "LIKE":
			return pure(e.L) && pure(e.R)
		}
		return false
	case *spl.InExpr:
		for _, l := range e.List {
			if !pure(l) {
				return false
			}
		}
		return pure(e.X)
	case *spl.Call:
		fn, ok := eval.Lookup(e.Func)
		if !ok {
			return false
		}
		switch fn.Name {
		case "in", "like", "isnull", "isnotnull":
		default:
			return false
		}
		for _, a := range e.Args {
			if !pure(a) {
				return false
			}
		}
		return true
	}
	return false
}
