package eval

import "github.com/splharness/splharness/spl"

// Pure reports whether evaluating e has no effect beyond its value: it
// reads fields and literals and combines them with comparisons, AND, OR,
// NOT, IN, in(), like(), isnull() and isnotnull(), none of which records an
// error or a warning. Evaluating it once more, or not at all, changes
// nothing but time.
func Pure(e spl.Expr) bool {
	switch e := e.(type) {
	case *spl.FieldRef, *spl.StringLit, *spl.NumberLit:
		return true
	case *spl.Unary:
		return e.Op == "NOT" && Pure(e.X)
	case *spl.Binary:
		switch e.Op {
		case "=", "==", "!=", "<", "<=", ">", ">=", "AND", "OR", "LIKE":
			return Pure(e.L) && Pure(e.R)
		}
		return false
	case *spl.InExpr:
		for _, l := range e.List {
			if !Pure(l) {
				return false
			}
		}
		return Pure(e.X)
	case *spl.Call:
		fn, ok := Lookup(e.Func)
		if !ok {
			return false
		}
		switch fn.Name {
		case "in", "like", "isnull", "isnotnull":
		default:
			return false
		}
		for _, a := range e.Args {
			if !Pure(a) {
				return false
			}
		}
		return true
	}
	return false
}
