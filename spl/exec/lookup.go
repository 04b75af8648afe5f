package exec

import (
	"fmt"
	"strings"
	"sync"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/value"
)

// LookupResolver finds lookup tables by the name a search uses.
type LookupResolver interface {
	Lookup(name string) (*lookup.Table, error)
}

// memoryTables resolves tables, preferring those outputlookup wrote during
// this run.
type memoryTables struct {
	mu      sync.Mutex
	base    LookupResolver
	written map[string]*lookup.Table
}

func newMemoryTables(base LookupResolver) *memoryTables {
	return &memoryTables{base: base, written: map[string]*lookup.Table{}}
}

func (m *memoryTables) Lookup(name string) (*lookup.Table, error) {
	m.mu.Lock()
	t, ok := m.written[name]
	m.mu.Unlock()
	if ok {
		return t, nil
	}
	if m.base == nil {
		return nil, fmt.Errorf("lookup table %s is not defined", name)
	}
	return m.base.Lookup(name)
}

func (m *memoryTables) write(name string, t *lookup.Table) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.written[name] = t
}

func fieldsAs(list []*spl.FieldAs) []lookup.Field {
	var out []lookup.Field
	for _, f := range list {
		tf := lookup.Field{Column: fieldName(f.Field)}
		tf.Field = tf.Column
		if f.As != nil {
			tf.Field = fieldName(f.As)
		}
		out = append(out, tf)
	}
	return out
}

// lookup [options] table in [AS ev] ... [OUTPUT|OUTPUTNEW out [AS ev] ...]
// (docs/semantics.md, "Commands"): events missing an input field are not
// looked up; OUTPUT overwrites (and clears the outputs when nothing
// matches), OUTPUTNEW only fills absent fields; without an output list every
// other column is output.
func (p *planner) compileLookup(c *spl.LookupCommand) (stageBuilder, error) {
	if _, err := p.parseOptions(c, c.Options); err != nil {
		return nil, err
	}
	name := fieldName(c.Table)
	table, err := p.tables.Lookup(name)
	if err != nil {
		return nil, &Error{Pos: c.Table.Pos, Code: "lookup-undefined", Msg: err.Error()}
	}
	inputs := fieldsAs(c.Inputs)
	outputs := fieldsAs(c.Outputs)
	return p.lookupStage(table, c.Table.Pos, inputs, outputs, c.Mode == "outputnew")
}

func (p *planner) lookupStage(table *lookup.Table, pos spl.Pos, inputs, outputs []lookup.Field, outputNew bool) (stageBuilder, error) {
	l, err := table.Prepare(inputs, outputs, outputNew)
	if err != nil {
		return nil, &Error{Pos: pos, Code: "lookup-field", Msg: err.Error()}
	}
	return mapStage(l.Apply), nil
}

// inputlookup [append=t] table [where ...]: the table's rows as results.
func (p *planner) compileInputlookup(c *spl.InputlookupCommand, first bool) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	appendRows := o.Bool("append")
	if !first && !appendRows {
		return nil, errorf(c.Pos, "inputlookup must start the search, or use append=true")
	}
	name := fieldName(c.Table)
	var where matcher
	if c.Where != nil {
		m, err := (&searchCompiler{p: p}).compile(c.Where.Expr)
		if err != nil {
			return nil, err
		}
		where = m
	}
	tables := p.tables
	pos := c.Table.Pos
	return func(next Stage) (Stage, error) {
		t, err := tables.Lookup(name)
		if err != nil {
			return nil, &Error{Pos: pos, Code: "lookup-undefined", Msg: err.Error()}
		}
		return &appendStage{emitter: emitter{next: next}, rows: func() ([]*value.Row, error) {
			var out []*value.Row
			for _, rec := range t.Rows {
				row := value.NewRow(nil)
				for i, col := range t.Columns {
					if i < len(rec) && rec[i] != "" {
						row.Set(col, value.Str(rec[i]))
					}
				}
				if where == nil || where(row) {
					out = append(out, row)
				}
			}
			return out, nil
		}}, nil
	}, nil
}

// outputlookup table: writes the results to an in-memory table (later
// inputlookups of the same run read it) and passes them on.
func (p *planner) compileOutputlookup(c *spl.OutputlookupCommand) (stageBuilder, error) {
	if _, err := p.parseOptions(c, c.Options, c.After); err != nil {
		return nil, err
	}
	name := fieldName(c.Table)
	tables := p.tables
	return func(next Stage) (Stage, error) {
		return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, done: func(rows []*value.Row) []*value.Row {
			t := &lookup.Table{Name: name}
			seen := map[string]bool{}
			for _, r := range rows {
				for _, n := range r.Names() {
					if !seen[n] {
						seen[n] = true
						t.Columns = append(t.Columns, n)
					}
				}
			}
			for _, r := range rows {
				rec := make([]string, len(t.Columns))
				for i, col := range t.Columns {
					rec[i] = strings.Join(r.Get(col).Values(), "\n")
				}
				t.Rows = append(t.Rows, rec)
			}
			tables.write(name, t)
			return rows
		}}, nil
	}, nil
}

// appendStage passes rows through and, at the end, adds rows of its own
// (append, inputlookup append=t, makeresults).
type appendStage struct {
	emitter
	rows func() ([]*value.Row, error)
}

func (s *appendStage) Push(r *value.Row) error { return s.emit(r) }

func (s *appendStage) Flush() error {
	rows, err := s.rows()
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.emit(r); err != nil {
			return err
		}
	}
	return s.emitter.Flush()
}
