package eval

// Record is what a context recorded over a stretch of evaluation (Mark,
// Since): the limit error it hit and the function calls that failed.
// Another context that uses the values evaluated there replays it, so
// that a value computed once for several searches fails or warns each of
// them as if it had computed the value itself.
type Record struct {
	limit *LimitError
	fails []FunctionError // Count calls of Func failed, the first with First
}

// Empty reports whether nothing was recorded.
func (r Record) Empty() bool { return r.limit == nil && len(r.fails) == 0 }

// Mark is a point in what a context records.
type Mark struct {
	limit *LimitError
	calls map[string]int64
}

// Mark returns the point now.
func (c *Context) Mark() Mark {
	if c == nil {
		return Mark{}
	}
	m := Mark{limit: c.limitErr.Load()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.fnErrs) > 0 {
		m.calls = make(map[string]int64, len(c.fnErrs))
		for f, e := range c.fnErrs {
			m.calls[f] = e.Count
		}
	}
	return m
}

// Since returns what the context recorded after m.
func (c *Context) Since(m Mark) Record {
	var r Record
	if c == nil {
		return r
	}
	if e := c.limitErr.Load(); e != nil && e != m.limit {
		r.limit = e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for f, e := range c.fnErrs {
		if n := e.Count - m.calls[f]; n > 0 {
			r.fails = append(r.fails, FunctionError{Func: f, First: e.First, Count: n})
		}
	}
	return r
}

// Replay records r in c as if c had evaluated what r was recorded over.
func (c *Context) Replay(r Record) {
	if c == nil || r.Empty() {
		return
	}
	if r.limit != nil {
		c.fail(r.limit)
	}
	if len(r.fails) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fnErrs == nil {
		c.fnErrs = map[string]*FunctionError{}
	}
	for _, f := range r.fails {
		e, ok := c.fnErrs[f.Func]
		if !ok {
			e = &FunctionError{Func: f.Func, First: f.First}
			c.fnErrs[f.Func] = e
		}
		e.Count += f.Count
	}
}
