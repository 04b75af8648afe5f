package harness

import (
	"fmt"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
)

// dataModelRefs reports the data model fields a tstats search names that
// its model does not define (datamodel-field), and nodename values that
// are no dataset of it (datamodel-undefined), each at the word. Splunk
// runs such a search, but the field is null in every row: the BY clause
// then drops every row, or the condition never holds.
func (c *Content) dataModelRefs(p *Prepared, e *Env) []Finding {
	if e.Knowledge == nil || e.Knowledge.DataModels == nil {
		return nil
	}
	var out []Finding
	add := func(w *spl.Word, code diag.Code, msg string) {
		pos := p.Expansion.Source.Position(w.Pos.Offset)
		out = append(out, Finding{File: pos.File, Line: pos.Line, Column: pos.Column, Code: string(code), Severity: SeverityOf(string(code)), Message: msg})
	}
	spl.Walk(p.Query, func(n spl.Node) bool {
		t, ok := n.(*spl.TstatsCommand)
		if !ok || t.From == nil {
			return true
		}
		name, _ := datamodel.Path(t.From.Name.Text())
		m := e.Knowledge.DataModels.Model(name)
		if m == nil {
			return false // the compile error says so (datamodel-undefined)
		}
		check := func(w *spl.Word) {
			if w == nil {
				return
			}
			f := w.Text()
			if strings.Contains(f, "*") || !inModel(m, f) || m.HasField(f) {
				return
			}
			add(w, diag.DatamodelField, fmt.Sprintf("data model %s does not define the field %s", m.Name, f))
		}
		for _, a := range t.Aggregations.Items {
			if a.Arg != nil {
				check(a.Arg.Field)
			}
		}
		if t.By != nil {
			for _, f := range t.By.Fields {
				check(f)
			}
		}
		if t.Where != nil {
			spl.Walk(t.Where.Expr, func(n spl.Node) bool {
				switch n := n.(type) {
				case *spl.SearchCompare:
					if n.Field.Text() == "nodename" {
						if v := n.Value.Text(); !strings.Contains(v, "*") && m.Dataset(v) == nil {
							add(n.Value, diag.DatamodelUndefined, fmt.Sprintf("data model %s has no dataset %s", m.Name, v))
						}
						return false
					}
					check(n.Field)
					return false
				case *spl.SearchIn:
					check(n.Field)
					return false
				}
				return true
			})
		}
		return false
	})
	return out
}

// inModel reports whether a field name is qualified by one of m's
// datasets (All_Changes.x, Authentication.x): a name the model should
// define, as opposed to an indexed field such as sourcetype.
func inModel(m *datamodel.Model, f string) bool {
	for _, d := range m.Roots() {
		if strings.HasPrefix(f, d.Lineage+".") {
			return true
		}
	}
	return false
}
