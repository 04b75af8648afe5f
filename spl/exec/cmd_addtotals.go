package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileAddtotals: `addtotals [row=b] [col=b] [fieldname=f] [labelfield=f]
// [label=s] [fields]` (Search Reference, "addtotals"). row=true (the
// default) sets fieldname (default Total) on every result to the sum of
// its numeric fields, or of the fields listed (wildcards allowed);
// internal fields (_time ...) are never summed. col=true adds one result
// after the others with the sum of each of those fields over all results
// (the row totals included), in the order the fields first appeared, and
// label (default Total) in labelfield when one is named.
//
// col=true keeps one sum per field, not the rows.
//
// Descriptor: streaming; row by row unless col=true.
func (p *planner) compileAddtotals(c *spl.AddtotalsCommand) (stageBuilder, error) {
	opts, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	row, col := opts.Bool("row"), opts.Bool("col")
	name, label, labelField := opts.Field("fieldname"), opts.String("label"), opts.Field("labelfield")
	var fields []string
	for _, f := range c.Fields.Items {
		fields = append(fields, fieldName(f))
	}
	// each calls fn for the fields a total takes from r.
	each := func(r *value.Row, fn func(n string, v value.Value)) {
		take := func(n string, v value.Value) {
			if n != name && n != labelField && !strings.HasPrefix(n, "_") {
				fn(n, v)
			}
		}
		if len(fields) == 0 {
			r.Each(take)
			return
		}
		for _, f := range fields {
			for _, m := range matchFields(r, f) {
				if v := r.Get(m); !v.IsNull() {
					take(m, v)
				}
			}
		}
	}
	rowTotal := func(r *value.Row) {
		total, any := 0.0, false
		each(r, func(_ string, v value.Value) {
			if f, ok := v.Number(); ok {
				total += f
				any = true
			}
		})
		if any {
			r.Set(name, value.Num(total))
		}
	}
	if !col {
		if !row {
			return mapStage(func(*value.Row) {}), nil
		}
		return mapStage(rowTotal), nil
	}
	return func(next Stage) (Stage, error) {
		return &colTotalStage{emitter: emitter{next: next}, row: row, rowTotal: rowTotal, each: each, name: name, label: label, labelField: labelField, sums: map[string]float64{}}, nil
	}, nil
}

// colTotalStage is addtotals col=true: it passes rows on, summing each
// field, and adds the summary result at the end.
type colTotalStage struct {
	emitter
	row        bool
	rowTotal   func(*value.Row)
	each       func(*value.Row, func(string, value.Value))
	name       string
	label      string
	labelField string
	order      []string
	sums       map[string]float64
	labelSeen  bool
	before     map[string]bool // fields before labelField in its first row
	rows       int
}

func (s *colTotalStage) Push(r *value.Row) error {
	s.rows++
	if s.row {
		s.rowTotal(r)
	}
	add := func(n string, v value.Value) {
		f, ok := v.Number()
		if !ok {
			return
		}
		if _, seen := s.sums[n]; !seen {
			n = strings.Clone(n)
			s.order = append(s.order, n)
		}
		s.sums[n] += f
	}
	if s.labelField != "" && !s.labelSeen && r.Has(s.labelField) {
		// The label goes where its field's column is: after the fields
		// before it in the first row that has it.
		s.labelSeen = true
		s.before = map[string]bool{}
		done := false
		r.Each(func(n string, _ value.Value) {
			if n == s.labelField {
				done = true
			} else if !done {
				s.before[strings.Clone(n)] = true
			}
		})
	}
	s.each(r, add)
	if s.row {
		add(s.name, r.Get(s.name))
	}
	return s.emit(r)
}

func (s *colTotalStage) Flush() error {
	if s.rows == 0 {
		// Nothing to total: no summary result either.
		return s.next.Flush()
	}
	sum := value.NewRow(nil)
	for _, n := range s.order {
		if s.before[n] {
			sum.Set(n, value.Num(s.sums[n]))
		}
	}
	if s.labelSeen {
		sum.Set(s.labelField, value.Str(s.label))
	}
	for _, n := range s.order {
		if !s.before[n] {
			sum.Set(n, value.Num(s.sums[n]))
		}
	}
	if s.labelField != "" && !s.labelSeen {
		// A label field no result has is a new column, the last.
		sum.Set(s.labelField, value.Str(s.label))
	}
	if err := s.emit(sum); err != nil {
		return err
	}
	return s.next.Flush()
}
