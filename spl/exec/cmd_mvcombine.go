package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileMvcombine: `mvcombine [delim=s] field` (Search Reference,
// "mvcombine"): results identical except for field become one result
// whose field holds all their values, in input order, as a multivalue.
// Results come out in the order of each group's first result, after all
// input (it is transforming). delim is the separator of the field's
// single-value form, which the harness never shows (a multivalue field is
// output as its list of values), so it is accepted and checked only.
//
// It holds one row and the values of each group: charged to the memory
// budget, and bounded by max_groups.
//
// Descriptor: transforming, order matters (values keep input order).
func (p *planner) compileMvcombine(c *spl.MvcombineCommand) (stageBuilder, error) {
	if _, err := p.parseOptions(c, c.Options); err != nil {
		return nil, err
	}
	field := fieldName(c.Field)
	maxGroups, pos, mem := p.opts.MaxGroups, c.Pos, p.mem
	return func(next Stage) (Stage, error) {
		return &mvcombineStage{emitter: emitter{next: next}, field: field, index: map[string]int{}, max: maxGroups, pos: pos, mem: mem}, nil
	}, nil
}

type mvcombineStage struct {
	emitter
	field  string
	index  map[string]int // row key without field → group
	groups []*mvGroup
	max    int
	pos    spl.Pos
	mem    *memBudget
	held   int
}

type mvGroup struct {
	row  *value.Row
	vals []string
}

func (s *mvcombineStage) Push(r *value.Row) error {
	k := rowKey(r, s.field)
	vals := r.Get(s.field).Values()
	i, ok := s.index[k]
	if !ok {
		if len(s.groups) >= s.max {
			return groupsError(s.pos, "mvcombine", s.max)
		}
		r.Materialize()
		n := rowSize(r) + 2*len(k)
		s.held += n
		if err := s.mem.charge("mvcombine", n); err != nil {
			return err
		}
		i = len(s.groups)
		s.index[k] = i
		s.groups = append(s.groups, &mvGroup{row: r})
	}
	g := s.groups[i]
	for _, v := range vals {
		v = strings.Clone(v)
		s.held += 16 + len(v)
		if err := s.mem.charge("mvcombine", 16+len(v)); err != nil {
			return err
		}
		g.vals = append(g.vals, v)
	}
	return nil
}

func (s *mvcombineStage) Flush() error {
	defer func() { s.mem.release(s.held); s.held = 0 }()
	for _, g := range s.groups {
		g.row.Set(s.field, value.MV(g.vals))
		if err := s.emit(g.row); err != nil {
			return err
		}
	}
	s.groups, s.index = nil, nil
	return s.next.Flush()
}
