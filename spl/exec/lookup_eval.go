package exec

import (
	"strings"
	"sync"

	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/value"
)

// evalLookup gives eval's lookup() the tables the lookup command reads
// (Evaluation functions, lookup): the same names, definitions and files.
func (p *planner) evalLookup(name string) (eval.LookupTable, error) {
	t, err := p.tables.Lookup(name)
	if err != nil {
		return nil, err
	}
	return EvalLookupTable(t), nil
}

// EvalLookupTable is t as eval's lookup() reads it.
func EvalLookupTable(t *lookup.Table) eval.LookupTable {
	return &evalTable{table: t, prepared: map[string]*lookup.Lookup{}}
}

// evalTable matches lookup() calls against one table, preparing each
// combination of input and output columns once.
type evalTable struct {
	table    *lookup.Table
	mu       sync.Mutex // expressions may run on several goroutines (stats)
	prepared map[string]*lookup.Lookup
}

func (e *evalTable) Match(inputs, vals, outputs []string) ([]string, [][]string, error) {
	key := strings.Join(inputs, "\x00") + "\xff" + strings.Join(outputs, "\x00")
	e.mu.Lock()
	l, ok := e.prepared[key]
	if !ok {
		var err error
		if l, err = e.table.Prepare(columns(inputs), columns(outputs), false); err != nil {
			e.mu.Unlock()
			return nil, nil, err
		}
		e.prepared[key] = l
	}
	e.mu.Unlock()
	r := value.NewRow(nil)
	for i, in := range inputs {
		r.Set(in, value.Str(vals[i]))
	}
	l.Apply(r)
	var names []string
	var values [][]string
	for _, out := range l.Outputs() {
		if v := r.Get(out); !v.IsNull() {
			names = append(names, out)
			values = append(values, v.Values())
		}
	}
	return names, values, nil
}

func columns(names []string) []lookup.Field {
	out := make([]lookup.Field, len(names))
	for i, n := range names {
		out[i] = lookup.Field{Column: n, Field: n}
	}
	return out
}
