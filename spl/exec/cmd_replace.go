package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileReplace: `replace old WITH new, ... [IN fields]` (Search
// Reference, "replace"). A value is replaced when the whole of it matches
// old, case-sensitively; a * in old matches any text, which a * in new
// puts back (`replace "* localhost" WITH "localhost *"`). The last pair
// that matches a value wins. Without IN every field is searched except the
// internal ones (names starting with _), which must be named. Each value
// of a multivalue field is replaced on its own.
//
// Descriptor: streaming, row by row.
func (p *planner) compileReplace(c *spl.ReplaceCommand) (stageBuilder, error) {
	type pair struct {
		old, new string
		wild     bool
	}
	pairs := make([]pair, 0, len(c.Pairs))
	for _, rp := range c.Pairs {
		old, nw := rp.Old.Text(), rp.New.Text()
		wild := strings.Contains(old, "*")
		if !wild && strings.Contains(nw, "*") {
			return nil, errorf(rp.New.Pos, "replace: %s has a wildcard but %s has none to fill it", rp.New.Raw, rp.Old.Raw)
		}
		if wild && strings.Count(nw, "*") > strings.Count(old, "*") {
			return nil, errorf(rp.New.Pos, "replace: %s has more wildcards than %s", rp.New.Raw, rp.Old.Raw)
		}
		pairs = append(pairs, pair{old: old, new: nw, wild: wild})
	}
	replaceOne := func(s string) (string, bool) {
		for i := len(pairs) - 1; i >= 0; i-- {
			pr := pairs[i]
			if !pr.wild {
				if s == pr.old {
					return pr.new, true
				}
				continue
			}
			if caps, ok := wildcardCapture(pr.old, s); ok {
				return fillWildcards(pr.new, caps), true
			}
		}
		return s, false
	}
	replaceValue := func(r *value.Row, name string) {
		v := r.Get(name)
		if v.IsNull() {
			return
		}
		vals := v.Values()
		var out []string
		for i, s := range vals {
			n, ok := replaceOne(s)
			if !ok {
				continue
			}
			if out == nil {
				out = append([]string(nil), vals...)
			}
			out[i] = n
		}
		if out == nil {
			return
		}
		if v.Kind() == value.Multi {
			r.Set(name, value.MV(out))
		} else {
			r.Set(name, value.Str(out[0]))
		}
	}
	var fields []string
	for _, f := range c.Fields.Items {
		fields = append(fields, fieldName(f))
	}
	return mapStage(func(r *value.Row) {
		if len(fields) == 0 {
			for _, n := range r.Names() {
				if !strings.HasPrefix(n, "_") {
					replaceValue(r, n)
				}
			}
			return
		}
		for _, f := range fields {
			for _, n := range matchFields(r, f) {
				replaceValue(r, n)
			}
		}
	}), nil
}
