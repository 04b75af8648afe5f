package exec

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileTransaction: `transaction [fields] [maxspan=] [maxpause=]
// [maxevents=] [startswith=] [endswith=] [keeporphans=] [keepevicted=]
// [mvlist=] [delim=]` (Search Reference, "transaction"). Events with the
// same values of the fields form a transaction, in time order: one starts
// at an event matching startswith (any event without it), and ends after
// an event matching endswith, when the next event is more than maxpause
// after the last or more than maxspan after the first, or at maxevents
// events. A transaction is one result: _time is its first event's, _raw
// its events' texts in time order, one per line, duration the seconds from
// first to last, eventcount its events, and every other field the values
// of its events: distinct and sorted (mvlist=false, the default) or every
// value in time order (mvlist=true, or a list of the fields to treat so).
// With keepevicted=true, closed_txn is 1 for a closed transaction and 0
// for one endswith never closed. Results come out newest first, as
// Splunk's events do. The choices where
// the page is silent are in docs/semantics.md ("transaction").
//
// It holds every event until its input ends (to put them in time order):
// bounded by maxresultrows and charged to the memory budget.
//
// Descriptor: transforming; order does not matter (it sorts by _time).
func (p *planner) compileTransaction(c *spl.TransactionCommand) (stageBuilder, error) {
	t := &txnSpec{maxSpan: -1, maxPause: -1, maxEvents: 1000, delim: " "}
	for _, f := range c.Fields.Items {
		t.fields = append(t.fields, fieldName(f))
	}
	// The option parser reads name=value options; startswith= and
	// endswith= may hold a search instead of a value, which it checks by
	// name only: their searches are compiled here from the AST.
	var list spl.Options
	filters := map[*spl.Option]*spl.TransactionOption{}
	for _, o := range c.Args {
		opt := &spl.Option{Pos: o.Pos, Name: o.Name, Value: o.Value}
		list.Items = append(list.Items, opt)
		filters[opt] = o
	}
	opts, err := p.parseOptions(c, list)
	if err != nil {
		return nil, err
	}
	for _, o := range list.Items {
		if name := strings.ToLower(o.Name); o.Value == nil && name != "startswith" && name != "endswith" {
			return nil, errorf(o.Pos, "transaction %s takes a value, not a search", o.Name)
		}
	}
	if err := p.transactionOptions(t, opts, filters); err != nil {
		return nil, err
	}
	maxRows, mem := p.opts.MaxResultRows, p.mem
	return func(next Stage) (Stage, error) {
		return &transactionStage{collectStage: collectStage{emitter: emitter{next: next}, max: maxRows, mem: mem}, t: t}, nil
	}, nil
}

type txnSpec struct {
	fields               []string
	maxSpan, maxPause    float64 // seconds; -1 for no limit
	maxEvents            int     // -1 for no limit
	startsWith, endsWith func(*value.Row) bool
	keepOrphans          bool
	keepEvicted          bool
	mvlistAll            bool
	mvlist               map[string]bool
	delim                string
}

// transactionOptions reads transaction's options into t.
func (p *planner) transactionOptions(t *txnSpec, opts options, filters map[*spl.Option]*spl.TransactionOption) error {
	for _, name := range []string{"startswith", "endswith"} {
		o := opts.Option(name)
		if o == nil {
			continue
		}
		m, err := p.transactionFilter(filters[o])
		if err != nil {
			return err
		}
		if name == "startswith" {
			t.startsWith = m
		} else {
			t.endsWith = m
		}
	}
	for _, name := range []string{"maxspan", "maxpause"} {
		secs := -1.0
		if v := opts.String(name); v != "-1" {
			s, _, err := parseSpan(v, true)
			if err != nil {
				return errorf(opts.Word(name).Pos, "transaction %s: %v", name, err)
			}
			secs = s
		}
		if name == "maxspan" {
			t.maxSpan = secs
		} else {
			t.maxPause = secs
		}
	}
	n, err := strconv.Atoi(opts.String("maxevents"))
	if err != nil || n == 0 || n < -1 {
		w := opts.Word("maxevents")
		return errorf(w.Pos, "transaction maxevents=%s: want a positive number or -1", w.Raw)
	}
	t.maxEvents = n
	t.keepOrphans, t.keepEvicted = opts.Bool("keeporphans"), opts.Bool("keepevicted")
	// connected: every event here has all the fields (see
	// compileTransaction), so transactions are connected whatever it says.
	switch v := opts.String("mvlist"); {
	case isTrue(v):
		t.mvlistAll = true
	case isBool(v):
	default:
		t.mvlist = map[string]bool{}
		for _, f := range strings.Split(v, ",") {
			t.mvlist[strings.TrimSpace(f)] = true
		}
	}
	t.delim = opts.String("delim")
	return nil
}

// transactionFilter compiles a startswith/endswith: a search in
// parentheses, eval(condition), or a quoted search.
func (p *planner) transactionFilter(o *spl.TransactionOption) (func(*value.Row) bool, error) {
	switch {
	case o.Search != nil:
		return (&searchCompiler{p: p}).compile(o.Search)
	case o.Eval != nil:
		cond, err := p.ec.CompileCondition(o.Eval)
		if err != nil {
			return nil, exprError(err)
		}
		return cond, nil
	}
	m, err := p.searchMatcher(o.Value.Text())
	if err != nil {
		return nil, errorf(o.Value.Pos, "transaction %s: %v", o.Name, err)
	}
	return m, nil
}

type transactionStage struct {
	collectStage
	t *txnSpec
}

// txn is a transaction being built.
type txn struct {
	rows        []*value.Row
	first, last float64
	ended       bool // closed by endswith
}

func (s *transactionStage) Flush() error {
	defer func() { s.mem.release(s.held); s.held = 0 }()
	t := s.t
	rows := s.rows
	s.rows = nil
	times := make([]float64, len(rows))
	for i, r := range rows {
		times[i] = rowTime(r)
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	// Time order, oldest first; events of one time keep the reverse of
	// their input order, which is newest first.
	sort.SliceStable(idx, func(a, b int) bool {
		ta, tb := times[idx[a]], times[idx[b]]
		if ta != tb {
			return ta < tb || math.IsNaN(ta) && !math.IsNaN(tb)
		}
		return idx[a] > idx[b]
	})
	open := map[string]*txn{}
	var done []*txn
	var orphans []*value.Row
	closeTxn := func(k string) {
		if x := open[k]; x != nil {
			delete(open, k)
			if t.endsWith == nil || x.ended || t.keepEvicted {
				done = append(done, x)
			} else if t.keepOrphans {
				orphans = append(orphans, x.rows...)
			}
		}
	}
	for _, i := range idx {
		r, tm := rows[i], times[i]
		k, ok := txnKey(r, t.fields)
		if !ok {
			if t.keepOrphans {
				orphans = append(orphans, r)
			}
			continue
		}
		x := open[k]
		if x != nil && (t.maxSpan >= 0 && tm-x.first > t.maxSpan || t.maxPause >= 0 && tm-x.last > t.maxPause) {
			closeTxn(k)
			x = nil
		}
		starts := t.startsWith != nil && t.startsWith(r)
		if x != nil && starts {
			closeTxn(k)
			x = nil
		}
		if x == nil {
			if t.startsWith != nil && !starts {
				if t.keepOrphans {
					orphans = append(orphans, r)
				}
				continue
			}
			x = &txn{first: tm}
			open[k] = x
		}
		x.rows = append(x.rows, r)
		x.last = tm
		if t.endsWith != nil && t.endsWith(r) {
			x.ended = true
			closeTxn(k)
			continue
		}
		if t.maxEvents > 0 && len(x.rows) >= t.maxEvents {
			x.ended = true // a full transaction is complete
			closeTxn(k)
		}
	}
	keys := make([]string, 0, len(open))
	for k := range open {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		closeTxn(k)
	}
	type timed struct {
		r *value.Row
		t float64
	}
	out := make([]timed, 0, len(done)+len(orphans))
	for _, x := range done {
		out = append(out, timed{s.merge(x), x.first})
	}
	for _, r := range orphans {
		out = append(out, timed{r, rowTime(r)})
	}
	sort.SliceStable(out, func(a, b int) bool {
		ta, tb := out[a].t, out[b].t
		return ta > tb || !math.IsNaN(ta) && math.IsNaN(tb)
	})
	for _, o := range out {
		if err := s.emit(o.r); err != nil {
			return err
		}
	}
	return s.next.Flush()
}

// txnKey joins the values of the transaction's fields; ok is false when
// the event lacks one of them (it joins no transaction).
func txnKey(r *value.Row, fields []string) (string, bool) {
	var b strings.Builder
	for _, f := range fields {
		v := r.Get(f)
		if v.IsNull() {
			return "", false
		}
		b.WriteString(strings.Join(v.Values(), "\x00"))
		b.WriteByte(0xff)
	}
	return b.String(), true
}

// merge makes the result of a transaction.
func (s *transactionStage) merge(x *txn) *value.Row {
	t := s.t
	out := value.NewRow(nil)
	out.Set("_time", value.Num(x.first))
	var raws []string
	var order []string
	vals := map[string][]string{}
	for _, r := range x.rows {
		if raw := r.Get("_raw"); !raw.IsNull() {
			raws = append(raws, raw.String())
		}
		r.Each(func(n string, v value.Value) {
			if strings.HasPrefix(n, "_") {
				return
			}
			if _, seen := vals[n]; !seen {
				order = append(order, n)
			}
			vals[n] = append(vals[n], v.Values()...)
		})
	}
	if len(raws) > 0 {
		out.Set("_raw", value.Str(strings.Join(raws, "\n")))
	}
	for _, n := range order {
		vs := vals[n]
		if !t.mvlistAll && !t.mvlist[n] {
			vs = distinctSorted(vs)
		}
		out.Set(n, value.MV(vs))
	}
	out.Set("duration", value.Num(x.last-x.first))
	out.Set("eventcount", value.Num(float64(len(x.rows))))
	if t.keepEvicted {
		// closed_txn tells the evicted (0) from the closed (1).
		closed := 0.0
		if x.ended || t.endsWith == nil {
			closed = 1
		}
		out.Set("closed_txn", value.Num(closed))
	}
	return out
}

func distinctSorted(vs []string) []string {
	out := append([]string(nil), vs...)
	sort.Strings(out)
	j := 0
	for i, v := range out {
		if i == 0 || v != out[j-1] {
			out[j] = v
			j++
		}
	}
	return out[:j]
}
