package exec

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// defaultSortLimit is sort's limit without a count (docs/semantics.md,
// "Commands": 10000).
const defaultSortLimit = 10000

// dedup [N] fields [keepempty=b] [consecutive=b] [keepevents=b] [sortby
// ...]: keep the first N results (in current order, or in sortby's order:
// the results are sorted first) of each combination of values; results
// missing any field are dropped unless keepempty=true; keepevents=true
// keeps the duplicates too, without the dedup fields (Search Reference,
// "dedup"; docs/semantics.md, "Commands").
func (p *planner) compileDedup(c *spl.DedupCommand) (stageBuilder, error) {
	n := 1
	if c.Count != "" {
		n, _ = strconv.Atoi(c.Count)
		if n < 1 {
			return nil, errorf(c.Pos, "dedup: the count must be at least 1")
		}
	}
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	keepEmpty, consecutive, keepEvents := o.Bool("keepempty"), o.Bool("consecutive"), o.Bool("keepevents")
	var fields []string
	for _, f := range c.Fields.Items {
		fields = append(fields, fieldName(f))
	}
	maxGroups, pos, mem := p.opts.MaxGroups, c.Pos, p.mem
	var sorter func([]*value.Row) []*value.Row
	if len(c.SortBy) > 0 {
		keys, err := sortKeys(c.SortBy)
		if err != nil {
			return nil, err
		}
		sorter = func(rows []*value.Row) []*value.Row { return sortRows(rows, keys, false, 0) }
	}
	return func(next Stage) (Stage, error) {
		seen := map[string]int{}
		last := ""
		s := &streamStage{emitter: emitter{next: next}}
		// dup reports whether r repeats a combination already kept N times.
		dup := func(r *value.Row) (dup, empty bool, err error) {
			var key strings.Builder
			for _, f := range fields {
				v := r.Get(f)
				if v.IsNull() {
					return false, true, nil
				}
				key.WriteString(strings.Join(v.Values(), "\x00"))
				key.WriteByte(0xff)
			}
			k := key.String()
			if consecutive {
				d := k == last
				last = k
				return d, false, nil
			}
			if _, ok := seen[k]; !ok {
				if len(seen) >= maxGroups {
					return false, false, groupsError(pos, "dedup", maxGroups)
				}
				if err := mem.charge("dedup", 64+2*len(k)); err != nil {
					return false, false, err
				}
			}
			seen[k]++
			return seen[k] > n, false, nil
		}
		s.fn = func(r *value.Row) (bool, error) {
			d, empty, err := dup(r)
			switch {
			case err != nil:
				return false, err
			case empty:
				return keepEmpty, nil
			case d && keepEvents:
				for _, f := range fields {
					r.Delete(f)
				}
				return true, nil
			}
			return !d, nil
		}
		if sorter != nil {
			// sortby sorts the results, then dedup keeps the first of each
			// combination in that order.
			return &collectStage{emitter: emitter{next: s}, max: p.opts.MaxResultRows, mem: p.mem, done: sorter}, nil
		}
		return s, nil
	}, nil
}

func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "t", "true", "1", "yes":
		return true
	}
	return false
}

// sortKey is one key of sort or dedup's sortby.
type sortKey struct {
	field string
	desc  bool
	mode  string // "", auto, num, str, ip
}

func sortKeys(keys []*spl.SortKey) ([]sortKey, error) {
	var out []sortKey
	for _, k := range keys {
		sk := sortKey{field: fieldName(k.Key), desc: k.Sign == "-", mode: k.Func}
		switch sk.mode {
		case "", "auto", "num", "str", "ip":
		default:
			return nil, unsupported(k.Pos, "sort function %s() is not supported by the evaluator", k.Func)
		}
		out = append(out, sk)
	}
	return out, nil
}

// sort [N] keys [desc]: numbers numerically, IP addresses in address order,
// other values lexicographically; missing values last; at most N results,
// 10000 without a count, all with 0 (docs/semantics.md, "Commands").
func (p *planner) compileSort(c *spl.SortCommand) (stageBuilder, error) {
	limit := defaultSortLimit
	if c.Count != "" {
		limit, _ = strconv.Atoi(c.Count)
	}
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	if o.Has("limit") {
		limit = o.Int("limit")
	}
	keys, err := sortKeys(c.Keys)
	if err != nil {
		return nil, err
	}
	desc := c.Desc
	return func(next Stage) (Stage, error) {
		return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, done: func(rows []*value.Row) []*value.Row {
			return sortRows(rows, keys, desc, limit)
		}}, nil
	}, nil
}

func sortRows(rows []*value.Row, keys []sortKey, desc bool, limit int) []*value.Row {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			c := compareSortValues(rows[i].Get(k.field), rows[j].Get(k.field), k.mode)
			if c == 0 {
				continue
			}
			// Missing values stay last whatever the direction.
			if rows[i].Get(k.field).IsNull() || rows[j].Get(k.field).IsNull() {
				return c < 0
			}
			if k.desc != desc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}

// compareSortValues orders two values: nulls last, numbers before strings
// and numerically, IPs by address, strings lexicographically.
func compareSortValues(a, b value.Value, mode string) int {
	switch {
	case a.IsNull() && b.IsNull():
		return 0
	case a.IsNull():
		return 1
	case b.IsNull():
		return -1
	}
	x, y := a.First(), b.First()
	if mode == "str" {
		return strings.Compare(x, y)
	}
	if mode == "" || mode == "auto" || mode == "ip" {
		ax, aerr := netip.ParseAddr(x)
		bx, berr := netip.ParseAddr(y)
		if aerr == nil && berr == nil {
			return ax.Compare(bx)
		}
	}
	xn, xok := value.ParseNumber(x)
	yn, yok := value.ParseNumber(y)
	switch {
	case xok && yok:
		switch {
		case xn < yn:
			return -1
		case xn > yn:
			return 1
		}
		return 0
	case xok:
		return -1
	case yok:
		return 1
	}
	return strings.Compare(x, y)
}

// head [N | (expr)] [limit=N] [null=b] [keeplast=b] and tail [N]: the
// first N results (default 10), or results while expr is true; tail
// returns the last N, last first (Search Reference, "head", "tail"). With
// an expression, a null result stops head unless null=true, and
// keeplast=true keeps the result that stopped it. N and limit= together
// are an error.
func (p *planner) compileHead(c *spl.HeadCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	if o.Has("limit") && (c.Count != "" || c.Expr != nil) {
		return nil, errorf(o.Word("limit").Pos, "%s: give the number of results either as N or as limit=, not both", c.Kind)
	}
	n := headLimit(c, o)
	keepLast, nullTrue := false, false
	if c.Kind == "head" {
		keepLast, nullTrue = o.Bool("keeplast"), o.Bool("null")
	}
	var cond eval.Evaluator
	if c.Expr != nil {
		var err error
		if cond, err = p.ec.Compile(c.Expr); err != nil {
			return nil, exprError(err)
		}
	}
	if c.Kind == "tail" {
		return func(next Stage) (Stage, error) {
			return &collectStage{emitter: emitter{next: next}, max: p.opts.MaxResultRows, mem: p.mem, done: func(rows []*value.Row) []*value.Row {
				if len(rows) > n {
					rows = rows[len(rows)-n:]
				}
				for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
					rows[i], rows[j] = rows[j], rows[i]
				}
				return rows
			}}, nil
		}, nil
	}
	return func(next Stage) (Stage, error) {
		count, stopped := 0, false
		return &streamStage{emitter: emitter{next: next}, fn: func(r *value.Row) (bool, error) {
			if stopped {
				return false, nil
			}
			if cond != nil {
				b, ok := cond(r).Bool()
				if ok && b || !ok && nullTrue {
					return true, nil
				}
				stopped = true
				return keepLast, nil
			}
			count++
			return count <= n, nil
		}}, nil
	}, nil
}

// headLimit is the N of head or tail: N, limit=N, or 10.
func headLimit(c *spl.HeadCommand, o options) int {
	if o.Has("limit") {
		return o.Int("limit")
	}
	if c.Count != "" {
		n, _ := strconv.Atoi(c.Count)
		return n
	}
	return 10
}

// headCount reports whether cmd is head in its count form (head, head N,
// head limit=N: no expression, no null= or keeplast=, which only apply to
// an expression; Search Reference, "head"), and its N: such a head passes
// on the N first rows it gets and nothing after, so a stage before it
// needs no more than those.
func headCount(cmd spl.Command) (n int, ok bool) {
	c, ok := cmd.(*spl.HeadCommand)
	if !ok || c.Kind != "head" || c.Expr != nil {
		return 0, false
	}
	for _, opt := range c.Options.Items {
		if !strings.EqualFold(opt.Name, "limit") {
			return 0, false
		}
	}
	o, err := readOptions(c, c.Options)
	if err != nil || o.Has("limit") && c.Count != "" {
		return 0, false
	}
	return max(headLimit(c, o), 0), true
}
