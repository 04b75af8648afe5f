package stats

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// How a row's value reaches an aggregator: a null (or a false boolean, so
// that count(eval(x="a")) counts only the rows where the test holds)
// contributes nothing; a multivalue contributes each of its values; a true
// boolean contributes the string "true", as Row.Set would store it.

// Aggregators copy (strings.Clone) every string they keep: an event's
// values share the memory of the block of input it was read from
// (spl/event), and one kept substring would keep the whole block.

// eachString calls fn with every value of v as a string.
func eachString(v value.Value, fn func(string)) {
	switch v.Kind() {
	case value.Null:
	case value.Multi:
		for _, s := range v.Values() {
			fn(s)
		}
	case value.Bool:
		if b, _ := v.Bool(); b {
			fn("true")
		}
	default:
		fn(v.String())
	}
}

// eachValue calls fn with every value of v as a single value: a number
// stays a number, each value of a multivalue becomes a string.
func eachValue(v value.Value, fn func(value.Value)) {
	switch v.Kind() {
	case value.Null:
	case value.Multi:
		for _, s := range v.Values() {
			fn(value.Str(s))
		}
	case value.Bool:
		if b, _ := v.Bool(); b {
			fn(value.Str("true"))
		}
	default:
		fn(v)
	}
}

// eachNumber calls fn with every numeric value of v: numbers and strings
// that read as numbers; other values are skipped.
func eachNumber(v value.Value, fn func(float64)) {
	switch v.Kind() {
	case value.Number:
		if n, _ := v.Number(); !math.IsNaN(n) && !math.IsInf(n, 0) {
			fn(n)
		}
	case value.String:
		if n, ok := value.ParseNumber(v.String()); ok {
			fn(n)
		}
	case value.Multi:
		for _, s := range v.Values() {
			if n, ok := value.ParseNumber(s); ok {
				fn(n)
			}
		}
	}
}

// count counts values: rows for plain count (the caller passes one
// non-null value per row), each value of a multivalue for count(x).
type count struct{ n int }

func (c *count) Add(v value.Value, _ float64) {
	switch v.Kind() {
	case value.Null:
	case value.Multi:
		c.n += v.Len()
	case value.Bool:
		if b, _ := v.Bool(); b {
			c.n++
		}
	default:
		c.n++
	}
}

func (c *count) Result() value.Value { return value.Num(float64(c.n)) }

func (c *count) Merge(o Aggregator) { c.n += o.(*count).n }

// Remove takes back an Add of v.
func (c *count) Remove(v value.Value, t float64) {
	var back count
	back.Add(v, t)
	c.n -= back.n
}

// counted is dc (sorted false) or values (sorted true) over a sliding
// window: each distinct value with how many times it is in the window.
type counted struct {
	n      map[string]int
	values bool
	sorted []string
	dirty  bool
}

func newCounted(values bool) *counted { return &counted{n: map[string]int{}, values: values} }

func (a *counted) Add(v value.Value, _ float64) {
	eachString(v, func(s string) {
		if a.n[s] == 0 {
			a.n[strings.Clone(s)] = 1
			a.dirty = true
			return
		}
		a.n[s]++
	})
}

func (a *counted) Remove(v value.Value, _ float64) {
	eachString(v, func(s string) {
		if a.n[s] <= 1 {
			delete(a.n, s)
			a.dirty = true
			return
		}
		a.n[s]--
	})
}

func (a *counted) Result() value.Value {
	if !a.values {
		return value.Num(float64(len(a.n)))
	}
	if a.dirty {
		a.sorted = make([]string, 0, len(a.n))
		for s := range a.n {
			a.sorted = append(a.sorted, s)
		}
		sort.Strings(a.sorted)
		a.dirty = false
	}
	if len(a.sorted) == 0 {
		return newValues().Result()
	}
	return value.MV(a.sorted)
}

// distinct counts distinct string values (dc, estdc).
type distinct struct{ set strSet }

func newDistinct() *distinct { return &distinct{} }

func (d *distinct) Add(v value.Value, _ float64) {
	if v.Kind() == value.String {
		d.set.add(v.String())
		return
	}
	eachString(v, func(s string) { d.set.add(s) })
}

func (d *distinct) Result() value.Value { return value.Num(float64(d.set.len())) }

func (d *distinct) Merge(o Aggregator) { d.set.merge(&o.(*distinct).set) }

// values keeps the distinct values; the sorted result is rebuilt only when
// a new value arrived since the last Result (streamstats asks every row).
//
// Merge only keeps the other aggregator's set (more): the result sorts
// the strings of every set together and drops the repeats, which costs
// no more than sorting their union, without putting each string of the
// smaller set into the larger. A stats that merges its workers' sets
// (spl/exec's partial stats) does that work only for the groups whose
// result it writes. An Add after a Merge puts the kept sets in first.
type values struct {
	set    strSet
	more   []*strSet // sets merged in, not yet in set
	sorted []string
	dirty  bool
}

func newValues() *values { return &values{} }

func (a *values) Merge(o Aggregator) {
	ov := o.(*values)
	if ov.set.len() > 0 {
		a.more = append(a.more, &ov.set)
	}
	a.more = append(a.more, ov.more...)
	if len(ov.more) > 0 || ov.set.len() > 0 {
		a.dirty = true
	}
}

// take puts the sets kept by Merge into a's own.
func (a *values) take() {
	for _, m := range a.more {
		a.set.merge(m)
	}
	a.more = nil
}

func (a *values) Add(v value.Value, _ float64) {
	if a.more != nil {
		a.take()
	}
	if v.Kind() == value.String {
		if a.set.add(v.String()) {
			a.dirty = true
		}
		return
	}
	eachString(v, func(s string) {
		if a.set.add(s) {
			a.dirty = true
		}
	})
}

func (a *values) Result() value.Value {
	if a.dirty {
		n := a.set.len()
		for _, m := range a.more {
			n += m.len()
		}
		a.sorted = a.set.appendTo(make([]string, 0, n))
		for _, m := range a.more {
			a.sorted = m.appendTo(a.sorted)
		}
		sort.Strings(a.sorted)
		if len(a.more) > 0 {
			a.sorted = slices.Compact(a.sorted)
		}
		a.dirty = false
	}
	return value.MV(a.sorted)
}

// distinct is the number of distinct values a holds.
func (a *values) distinct() int {
	if len(a.more) == 0 {
		return a.set.len()
	}
	a.Result()
	return len(a.sorted)
}

// DistinctOf returns an aggregator whose result is dc() of the values that
// a, a values() aggregator, takes in: the number of values in a's set,
// which is exactly the set a dc() of the same field would keep. A stats
// that has both of one field keeps one set instead of two. The returned
// aggregator's Add and Merge do nothing, since a takes the values (its
// Merge merges the set): the caller adds and merges a, never it. ok is
// false when a is no values() aggregator.
func DistinctOf(a Aggregator) (dc Aggregator, ok bool) {
	if v, ok := a.(*values); ok {
		return distinctOf{v}, true
	}
	return nil, false
}

// distinctOf is DistinctOf's view of a values() aggregator's set.
type distinctOf struct{ v *values }

func (d distinctOf) Add(value.Value, float64) {}

func (d distinctOf) Merge(Aggregator) {}

func (d distinctOf) Result() value.Value { return value.Num(float64(d.v.distinct())) }

// listMax is limits.conf [stats] list_maxsize: list() keeps the first 100
// values.
const listMax = 100

// list keeps the first listMax values in input order.
type list struct{ vals []string }

func (a *list) Add(v value.Value, _ float64) {
	if len(a.vals) >= listMax {
		return
	}
	eachString(v, func(s string) {
		if len(a.vals) < listMax {
			a.vals = append(a.vals, strings.Clone(s))
		}
	})
}

// Result caps the slice so that a caller appending to it cannot reach
// values added later.
func (a *list) Result() value.Value { return value.MV(a.vals[:len(a.vals):len(a.vals)]) }

// extreme is min, max and range. Numbers (and numeric strings) and other
// strings are tracked apart: numbers order below strings.
type extreme struct {
	max, rng       bool
	hasNum, hasStr bool
	lo, hi         float64
	slo, shi       string
}

func (e *extreme) Add(v value.Value, _ float64) {
	switch v.Kind() {
	case value.Number:
		if n, _ := v.Number(); !math.IsNaN(n) && !math.IsInf(n, 0) {
			e.num(n)
		}
	case value.String:
		e.str(v.String())
	case value.Multi:
		for _, s := range v.Values() {
			e.str(s)
		}
	case value.Bool:
		if b, _ := v.Bool(); b {
			e.str("true")
		}
	}
}

func (e *extreme) str(s string) {
	if n, ok := value.ParseNumber(s); ok {
		e.num(n)
		return
	}
	if !e.hasStr {
		s = strings.Clone(s)
		e.slo, e.shi, e.hasStr = s, s, true
		return
	}
	if s < e.slo {
		e.slo = strings.Clone(s)
	}
	if s > e.shi {
		e.shi = strings.Clone(s)
	}
}

func (e *extreme) num(n float64) {
	if !e.hasNum {
		e.lo, e.hi, e.hasNum = n, n, true
		return
	}
	e.lo = math.Min(e.lo, n)
	e.hi = math.Max(e.hi, n)
}

func (e *extreme) Merge(o Aggregator) {
	x := o.(*extreme)
	if x.hasNum {
		e.num(x.lo)
		e.num(x.hi)
	}
	if x.hasStr {
		e.str(x.slo)
		e.str(x.shi)
	}
}

func (e *extreme) Result() value.Value {
	switch {
	case e.rng:
		if e.hasNum {
			return value.Num(e.hi - e.lo)
		}
	case e.max:
		if e.hasStr {
			return value.Str(e.shi)
		}
		if e.hasNum {
			return value.Num(e.hi)
		}
	default:
		if e.hasNum {
			return value.Num(e.lo)
		}
		if e.hasStr {
			return value.Str(e.slo)
		}
	}
	return value.NullValue
}

// slidingExtreme is min, max and range over a sliding window: for each of
// the lowest and highest number and string, a queue of the values that
// can still become it (the monotonic-queue method), each tagged with the
// Add it came from. Results equal extreme's over the same values,
// including math.Min's -0 below +0.
type slidingExtreme struct {
	max, rng       bool
	added, removed int
	numLo, numHi   []seqNum
	strLo, strHi   []seqStr
}

type seqNum struct {
	seq int
	n   float64
}

type seqStr struct {
	seq int
	s   string
}

// numBelow orders numbers as math.Min and math.Max do: -0 below +0.
func numBelow(a, b float64) bool { return a < b || a == b && math.Signbit(a) && !math.Signbit(b) }

func (e *slidingExtreme) Add(v value.Value, _ float64) {
	seq := e.added
	e.added++
	switch v.Kind() {
	case value.Number:
		if n, _ := v.Number(); !math.IsNaN(n) && !math.IsInf(n, 0) {
			e.num(seq, n)
		}
	case value.String:
		e.str(seq, v.String())
	case value.Multi:
		for _, s := range v.Values() {
			e.str(seq, s)
		}
	case value.Bool:
		if b, _ := v.Bool(); b {
			e.str(seq, "true")
		}
	}
}

func (e *slidingExtreme) str(seq int, s string) {
	if n, ok := value.ParseNumber(s); ok {
		e.num(seq, n)
		return
	}
	s = strings.Clone(s)
	for len(e.strLo) > 0 && !(e.strLo[len(e.strLo)-1].s < s) {
		e.strLo = e.strLo[:len(e.strLo)-1]
	}
	e.strLo = append(e.strLo, seqStr{seq, s})
	for len(e.strHi) > 0 && !(e.strHi[len(e.strHi)-1].s > s) {
		e.strHi = e.strHi[:len(e.strHi)-1]
	}
	e.strHi = append(e.strHi, seqStr{seq, s})
}

func (e *slidingExtreme) num(seq int, n float64) {
	for len(e.numLo) > 0 && !numBelow(e.numLo[len(e.numLo)-1].n, n) {
		e.numLo = e.numLo[:len(e.numLo)-1]
	}
	e.numLo = append(e.numLo, seqNum{seq, n})
	for len(e.numHi) > 0 && !numBelow(n, e.numHi[len(e.numHi)-1].n) {
		e.numHi = e.numHi[:len(e.numHi)-1]
	}
	e.numHi = append(e.numHi, seqNum{seq, n})
}

// Remove drops what the oldest Add left in the queues.
func (e *slidingExtreme) Remove(value.Value, float64) {
	seq := e.removed
	e.removed++
	for len(e.numLo) > 0 && e.numLo[0].seq <= seq {
		e.numLo = e.numLo[1:]
	}
	for len(e.numHi) > 0 && e.numHi[0].seq <= seq {
		e.numHi = e.numHi[1:]
	}
	for len(e.strLo) > 0 && e.strLo[0].seq <= seq {
		e.strLo = e.strLo[1:]
	}
	for len(e.strHi) > 0 && e.strHi[0].seq <= seq {
		e.strHi = e.strHi[1:]
	}
}

func (e *slidingExtreme) Result() value.Value {
	hasNum, hasStr := len(e.numLo) > 0, len(e.strLo) > 0
	switch {
	case e.rng:
		if hasNum {
			return value.Num(e.numHi[0].n - e.numLo[0].n)
		}
	case e.max:
		if hasStr {
			return value.Str(e.strHi[0].s)
		}
		if hasNum {
			return value.Num(e.numHi[0].n)
		}
	default:
		if hasNum {
			return value.Num(e.numLo[0].n)
		}
		if hasStr {
			return value.Str(e.strLo[0].s)
		}
	}
	return value.NullValue
}

// Kinds of moments.
const (
	momAvg = iota
	momSum
	momSumsq
	momVar
	momVarp
	momStdev
	momStdevp
)

// moments is every function computed from count, sum and sum of squares,
// the three numbers Splunk's sistats keeps for them.
type moments struct {
	kind       int
	n          int
	sum, sumsq float64
}

func (m *moments) Add(v value.Value, _ float64) {
	eachNumber(v, func(x float64) {
		m.n++
		m.sum += x
		m.sumsq += x * x
	})
}

func (m *moments) Result() value.Value {
	if m.n == 0 {
		return value.NullValue
	}
	n := float64(m.n)
	switch m.kind {
	case momAvg:
		return value.Num(m.sum / n)
	case momSum:
		return value.Num(m.sum)
	case momSumsq:
		return value.Num(m.sumsq)
	case momVarp:
		return value.Num(m.variance(n))
	case momStdevp:
		return value.Num(math.Sqrt(m.variance(n)))
	}
	if m.n == 1 {
		return value.Num(0)
	}
	if m.kind == momVar {
		return value.Num(m.variance(n - 1))
	}
	return value.Num(math.Sqrt(m.variance(n - 1)))
}

// Merge adds o's count, sum and sum of squares (chart's OTHER column):
// the sums are added in another order than one aggregator would, which
// can change the last digit.
func (m *moments) Merge(o Aggregator) {
	x := o.(*moments)
	m.n += x.n
	m.sum += x.sum
	m.sumsq += x.sumsq
}

// variance is the sum of squared deviations divided by d; rounding can
// make the difference slightly negative, which is clamped to 0.
func (m *moments) variance(d float64) float64 {
	ss := m.sumsq - m.sum*m.sum/float64(m.n)
	if ss < 0 {
		ss = 0
	}
	return ss / d
}

// order is median and the percentiles: the numeric values, sorted when a
// result is asked for, and the value at fractional 0-based rank
// F = p/100 × (n−1), interpolated linearly between the values at floor(F)
// and ceil(F): limits.conf's "interpolated" perc_method, which is what the
// examples of the Statistical and charting functions page show
// (perc50 of 1..10 is 5.5, perc95 is 9.55).
type order struct {
	p      float64
	xs     []float64
	sorted bool
}

func (o *order) Add(v value.Value, _ float64) {
	eachNumber(v, func(x float64) {
		o.xs = append(o.xs, x)
		o.sorted = false
	})
}

func (o *order) Merge(x Aggregator) {
	o.xs = append(o.xs, x.(*order).xs...)
	o.sorted = false
}

func (o *order) Result() value.Value {
	n := len(o.xs)
	if n == 0 {
		return value.NullValue
	}
	if !o.sorted {
		sort.Float64s(o.xs)
		o.sorted = true
	}
	return value.Num(interpolate(o.xs, o.p))
}

// interpolate is the p-th percentile of sorted xs: F = p/100 × (n−1), the
// values at floor(F) and ceil(F) weighted by the fraction of F. p×(n−1)
// is divided last so that whole ranks come out exact.
func interpolate(xs []float64, p float64) float64 {
	n := len(xs)
	f := p * float64(n-1) / 100
	f = max(0, min(f, float64(n-1)))
	lo := int(math.Floor(f))
	hi := int(math.Ceil(f))
	if lo == hi {
		return xs[lo]
	}
	frac := f - float64(lo)
	return xs[lo] + (xs[hi]-xs[lo])*frac
}

// mode counts each distinct string; the result is the most frequent, the
// first seen on a tie.
type mode struct {
	index  map[string]int
	vals   []string
	counts []int
}

func newMode() *mode { return &mode{index: make(map[string]int)} }

func (a *mode) Add(v value.Value, _ float64) {
	eachString(v, func(s string) {
		i, ok := a.index[s]
		if !ok {
			i = len(a.vals)
			s = strings.Clone(s)
			a.index[s] = i
			a.vals = append(a.vals, s)
			a.counts = append(a.counts, 0)
		}
		a.counts[i]++
	})
}

func (a *mode) Result() value.Value {
	best := -1
	for i, c := range a.counts {
		if best < 0 || c > a.counts[best] {
			best = i
		}
	}
	if best < 0 {
		return value.NullValue
	}
	return value.Str(a.vals[best])
}

// seen is first and last: the first or last value in input order.
type seen struct {
	last, has bool
	v         value.Value
}

func (a *seen) Add(v value.Value, _ float64) {
	if a.has && !a.last {
		return
	}
	eachValue(v, func(x value.Value) {
		if a.last || !a.has {
			a.v, a.has = x.Clone(), true
		}
	})
}

func (a *seen) Result() value.Value { return a.v }

// timed is earliest, latest and their _time variants. On equal times
// earliest keeps the first value seen and latest takes the last one seen.
// A row without a time (NaN) counts as older than any time.
type timed struct {
	latest, wantTime bool
	has              bool
	t                float64
	v                value.Value
}

func (a *timed) Add(v value.Value, t float64) {
	if math.IsNaN(t) {
		t = math.Inf(-1)
	}
	eachValue(v, func(x value.Value) {
		if !a.has || (a.latest && t >= a.t) || (!a.latest && t < a.t) {
			a.v, a.t, a.has = x.Clone(), t, true
		}
	})
}

// Merge keeps the earlier (later) of the two. On equal times the value
// kept depends on which came first, so only earliest_time and latest_time,
// whose result is the time, may be merged; stats merges no other.
func (a *timed) Merge(o Aggregator) {
	x := o.(*timed)
	if x.has && (!a.has || a.latest && x.t > a.t || !a.latest && x.t < a.t) {
		a.v, a.t, a.has = x.v, x.t, true
	}
}

func (a *timed) Result() value.Value {
	if !a.has {
		return value.NullValue
	}
	if a.wantTime {
		if math.IsInf(a.t, 0) {
			return value.NullValue
		}
		return value.Num(a.t)
	}
	return a.v
}
