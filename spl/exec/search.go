package exec

import (
	"math"
	"net/netip"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/timefmt"
	"github.com/splharness/splharness/spl/value"
)

// matcher decides whether a row passes a search expression.
type matcher func(r *value.Row) bool

// searchCompiler compiles search-language expressions (docs/semantics.md,
// "Search command").
type searchCompiler struct {
	p *planner
	// base is true for the first search of a query, where earliest= and
	// latest= are time bounds.
	base bool
}

func (c *searchCompiler) compile(e spl.SearchExpr) (matcher, error) {
	switch e := e.(type) {
	case *spl.SearchAnd:
		ms, err := c.compileAll(e.Terms)
		if err != nil {
			return nil, err
		}
		return func(r *value.Row) bool {
			for _, m := range ms {
				if !m(r) {
					return false
				}
			}
			return true
		}, nil
	case *spl.SearchOr:
		ms, err := c.compileOr(e.Terms)
		if err != nil {
			return nil, err
		}
		return func(r *value.Row) bool {
			for _, m := range ms {
				if m(r) {
					return true
				}
			}
			return false
		}, nil
	case *spl.SearchNot:
		m, err := c.compile(e.Term)
		if err != nil {
			return nil, err
		}
		return func(r *value.Row) bool { return !m(r) }, nil
	case *spl.SearchKeyword:
		return keywordMatcher(newPattern(e.Value.Text(), false), false), nil
	case *spl.SearchTermFunc:
		if e.Func == "TERM" {
			return keywordMatcher(newPattern(e.Value.Text(), false), true), nil
		}
		return keywordMatcher(newPattern(e.Value.Text(), true), false), nil
	case *spl.SearchCompare:
		return c.compare(e)
	case *spl.SearchIn:
		field := e.Field.Text()
		pats := make([]valueMatcher, len(e.Values))
		for i, v := range e.Values {
			pats[i] = newValueMatcher(v.Text(), false)
		}
		test := func(v string) bool {
			for _, p := range pats {
				if p(v) {
					return true
				}
			}
			return false
		}
		tagged, f := isTagField(field), value.FieldOf(field)
		return func(r *value.Row) bool {
			if tagged {
				if has, ok := r.Tagged(field, test); ok {
					return has
				}
			}
			for _, v := range r.GetField(f).Values() {
				for _, p := range pats {
					if p(v) {
						return true
					}
				}
			}
			return false
		}, nil
	case *spl.SearchSubsearch:
		return c.p.subsearchFilter(e.Subsearch)
	}
	return nil, errorf(spl.Position(e), "unsupported search term %T", e)
}

// compileOr compiles the terms of an OR. A run of field=value terms on
// one field, as ESCU's eventName=Describe* OR eventName=List* OR
// eventName=Get*, becomes one matcher that reads the field once and tries
// every term's value on each of its values: some value matches some term
// exactly when some term matches some value, as term by term. Only
// neighbours join, so the fields read, and in what order, stay those of
// the terms one by one (a calculated field read is evaluated once either
// way).
func (c *searchCompiler) compileOr(terms []spl.SearchExpr) ([]matcher, error) {
	var out []matcher
	for i := 0; i < len(terms); {
		field, ok := c.equalsField(terms[i])
		j := i + 1
		for ok && j < len(terms) {
			if f, same := c.equalsField(terms[j]); !same || f != field {
				break
			}
			j++
		}
		if j-i < 2 {
			m, err := c.compile(terms[i])
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			i++
			continue
		}
		pats := make([]valueMatcher, 0, j-i)
		for _, t := range terms[i:j] {
			cmp := t.(*spl.SearchCompare)
			pats = append(pats, newValueMatcher(cmp.Value.Text(), cmp.Func == "CASE"))
		}
		f := value.FieldOf(field)
		out = append(out, func(r *value.Row) bool {
			for _, v := range r.GetField(f).Values() {
				for _, p := range pats {
					if p(v) {
						return true
					}
				}
			}
			return false
		})
		i = j
	}
	return out, nil
}

// equalsField is the field of a field=value term that compare would
// compile to a plain test of the field's values: not tag or eventtype
// (value.Tagger), nor earliest or latest in a base search (time bounds).
func (c *searchCompiler) equalsField(t spl.SearchExpr) (string, bool) {
	e, ok := t.(*spl.SearchCompare)
	if !ok || e.Op != "=" {
		return "", false
	}
	field := e.Field.Text()
	if lower := strings.ToLower(field); isTagField(field) || c.base && (lower == "earliest" || lower == "latest") {
		return "", false
	}
	return field, true
}

func (c *searchCompiler) compileAll(terms []spl.SearchExpr) ([]matcher, error) {
	out := make([]matcher, len(terms))
	for i, t := range terms {
		m, err := c.compile(t)
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// keywordMatcher matches a bare term or phrase against _raw; a result with
// no _raw (after stats) matches when any field value matches the term as a
// whole value (UNCONFIRMED; docs/semantics.md).
func keywordMatcher(p *pattern, major bool) matcher {
	return func(r *value.Row) bool {
		if p.any {
			return true
		}
		raw := r.Get("_raw")
		if !raw.IsNull() {
			return matchTerm(raw.First(), p, major)
		}
		found := false
		r.Each(func(_ string, v value.Value) {
			for _, s := range v.Values() {
				if !found && p.match(s) {
					found = true
				}
			}
		})
		return found
	}
}

// compare compiles field=value, field!=value and ordering comparisons.
func (c *searchCompiler) compare(e *spl.SearchCompare) (matcher, error) {
	field := e.Field.Text()
	want := e.Value.Text()
	lower := strings.ToLower(field)
	if c.base && (lower == "earliest" || lower == "latest") {
		return c.p.timeBound(e, lower == "earliest")
	}
	caseSensitive := e.Func == "CASE"
	f := value.FieldOf(field)
	switch e.Op {
	case "=":
		match := newValueMatcher(want, caseSensitive)
		tagged := isTagField(field)
		return func(r *value.Row) bool {
			if tagged {
				// Only the event types that can give a matching value
				// are evaluated (value.Tagger).
				if has, ok := r.Tagged(field, match); ok {
					return has
				}
			}
			for _, v := range r.GetField(f).Values() {
				if match(v) {
					return true
				}
			}
			return false
		}, nil
	case "!=":
		// f!=v: the field exists and no value matches (docs/semantics.md, "Search command", [D-not]).
		match := newValueMatcher(want, caseSensitive)
		return func(r *value.Row) bool {
			vals := r.GetField(f).Values()
			if len(vals) == 0 {
				return false
			}
			for _, v := range vals {
				if match(v) {
					return false
				}
			}
			return true
		}, nil
	}
	op := e.Op
	num, isNum := value.ParseNumber(want)
	return func(r *value.Row) bool {
		for _, v := range r.GetField(f).Values() {
			if orderCompare(op, v, want, num, isNum) {
				return true
			}
		}
		return false
	}, nil
}

// newValueMatcher returns the test of field=want for one value: want as a
// pattern, or, when want is a subnet in CIDR notation (IPv4 or IPv6),
// membership of the value's address in it (Search Reference, "search":
// "The search command supports IPv4 and IPv6 addresses and subnets that
// use CIDR notation"). A value that is not an address still matches the
// subnet's own text, as any value matches itself (our choice; the page is
// silent).
func newValueMatcher(want string, caseSensitive bool) valueMatcher {
	p := newPattern(want, caseSensitive)
	if strings.IndexByte(want, '/') < 0 || strings.IndexByte(want, '*') >= 0 {
		return p.match
	}
	prefix, err := netip.ParsePrefix(strings.TrimSpace(want))
	if err != nil {
		return p.match
	}
	prefix = prefix.Masked()
	return func(v string) bool {
		return eval.CIDRContains(prefix, v) || p.match(v)
	}
}

// valueMatcher tests one value of a field.
type valueMatcher func(v string) bool

// orderCompare is <, <=, >, >= in search: numeric when both sides are
// numbers, otherwise by string (UNCONFIRMED for SPL1; docs/semantics.md,
// "Search command").
func orderCompare(op, v, lit string, num float64, litNum bool) bool {
	cmp := 0
	if x, ok := value.ParseNumber(v); ok && litNum {
		switch {
		case x < num:
			cmp = -1
		case x > num:
			cmp = 1
		}
	} else {
		cmp = strings.Compare(strings.ToLower(v), strings.ToLower(lit))
	}
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	}
	return false
}

// timeBound turns earliest=/latest= of the base search into a filter on
// _time: earliest inclusive, latest exclusive ([SPL8212 searchbnf]).
func (p *planner) timeBound(e *spl.SearchCompare, earliest bool) (matcher, error) {
	bound, err := p.resolveTime(e.Value.Text())
	if err != nil {
		return nil, errorf(e.Value.Pos, "%s=%s: %v", e.Field.Text(), e.Value.Text(), err)
	}
	return func(r *value.Row) bool {
		t, ok := r.Get("_time").Number()
		if !ok {
			return false
		}
		if earliest {
			return t >= bound
		}
		return t < bound
	}, nil
}

// resolveTime reads a time modifier: epoch seconds, %m/%d/%Y:%H:%M:%S, now,
// 0, or a relative time such as -24h@h.
func (p *planner) resolveTime(s string) (float64, error) {
	if f, ok := value.ParseNumber(s); ok {
		return f, nil
	}
	if strings.EqualFold(s, "now") {
		return float64(p.ctx.Now.Unix()), nil
	}
	if !strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "@") {
		if t, ok := timefmt.Strptime(s, "%m/%d/%Y:%H:%M:%S", p.ctx.Location); ok {
			return float64(t.UnixNano()) / 1e9, nil
		}
	}
	t, err := timefmt.RelativeTime(p.ctx.Now, s, p.ctx.Location)
	if err != nil {
		return math.NaN(), err
	}
	return float64(t.UnixNano()) / 1e9, nil
}

// isTagField reports whether a field's values are event type names or
// tags, which a Tagger source answers for without computing them all.
func isTagField(field string) bool { return field == "eventtype" || field == "tag" }
