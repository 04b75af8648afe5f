package harness

import (
	"fmt"
	"slices"
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

// DataModelUse is a data model a search reads, and the datasets it names
// in it (from datamodel=M.D, datamodel M D, nodename=...), empty when it
// reads the whole model.
type DataModelUse struct {
	Model    string
	Datasets []string
}

// String is "Change" or "Change (All_Changes.Account_Management)".
func (u DataModelUse) String() string {
	if len(u.Datasets) == 0 {
		return u.Model
	}
	return u.Model + " (" + strings.Join(u.Datasets, ", ") + ")"
}

// DataModelUses lists the data models a parsed search reads, in the order
// it names them, with their datasets: for the docs pages of a detection.
func DataModelUses(q *spl.Query) []DataModelUse {
	var out []DataModelUse
	add := func(ref string, more ...string) {
		model, ds := datamodel.Path(ref)
		if model == "" {
			return
		}
		i := slices.IndexFunc(out, func(u DataModelUse) bool { return u.Model == model })
		if i < 0 {
			out = append(out, DataModelUse{Model: model})
			i = len(out) - 1
		}
		for _, d := range append([]string{ds}, more...) {
			if d != "" && !slices.Contains(out[i].Datasets, d) {
				out[i].Datasets = append(out[i].Datasets, d)
			}
		}
	}
	spl.Walk(q, func(n spl.Node) bool {
		switch c := n.(type) {
		case *spl.TstatsCommand:
			if c.From == nil {
				return true
			}
			var nodes []string
			if c.Where != nil {
				spl.Walk(c.Where.Expr, func(n spl.Node) bool {
					if s, ok := n.(*spl.SearchCompare); ok && s.Field.Text() == "nodename" && s.Op == "=" {
						nodes = append(nodes, s.Value.Text())
					}
					return true
				})
			}
			add(c.From.Name.Text(), nodes...)
		case *spl.DatamodelCommand:
			if c.Model != nil {
				ref := c.Model.Text()
				if c.Dataset != nil {
					ref += "." + c.Dataset.Text()
				}
				add(ref)
			}
		case *spl.FromCommand:
			k := c.Kind.Text()
			switch {
			case strings.HasPrefix(strings.ToLower(k), "datamodel:"):
				add(k[len("datamodel:"):])
			case strings.EqualFold(k, "datamodel") && c.Dataset != nil:
				add(c.Dataset.Text())
			}
		}
		return true
	})
	return out
}
