package eval

import (
	"errors"
	"fmt"
	"sort"

	"github.com/splharness/splharness/spl/value"
)

// Defaults of the caps on one value. Real values are at most an event
// (max_event_bytes, 8 MiB by default) and real multivalue fields hold
// tens of values; the caps stop a runaway expression (a string doubled
// thirty times, nested mvappend) long before memory runs out.
const (
	// DefaultMaxValueBytes caps the bytes of one value (max_value_bytes):
	// a string, or the values of a multivalue field together.
	DefaultMaxValueBytes = 64 << 20
	// DefaultMaxMVValues caps the values of one multivalue field
	// (max_mv_values); it was mvrange()'s own cap.
	DefaultMaxMVValues = 100_000
)

// LimitError is a cap on one value that an expression hit. The search
// fails with it: the value became null, so results would be wrong.
type LimitError struct {
	Limit string // max_value_bytes or max_mv_values
	Msg   string
}

func (e *LimitError) Error() string { return e.Msg }

// FunctionError counts the calls of one eval function that failed (and
// so gave null), with the first failure's message.
type FunctionError struct {
	Func  string
	Count int64
	First string
}

// String says what happened, for a report.
func (e FunctionError) String() string {
	return fmt.Sprintf("%s(): %d call(s) failed and gave null, first: %s", e.Func, e.Count, e.First)
}

// maxValueBytes is max_value_bytes. A nil Context (an expression
// compiled without one) has the defaults and records nothing.
func (c *Context) maxValueBytes() int {
	if c != nil && c.MaxValueBytes > 0 {
		return c.MaxValueBytes
	}
	return DefaultMaxValueBytes
}

func (c *Context) maxMVValues() int {
	if c != nil && c.MaxMVValues > 0 {
		return c.MaxMVValues
	}
	return DefaultMaxMVValues
}

// tooLong is the error for a value of n bytes made by what; n < 0 when
// the making stopped at the cap.
func (c *Context) tooLong(what string, n int) *LimitError {
	if n < 0 {
		return &LimitError{Limit: "max_value_bytes", Msg: fmt.Sprintf("%s: a value of more than %d bytes (limit max_value_bytes)", what, c.maxValueBytes())}
	}
	return &LimitError{Limit: "max_value_bytes", Msg: fmt.Sprintf("%s: a value of %d bytes, more than %d (limit max_value_bytes)", what, n, c.maxValueBytes())}
}

// tooMany is the error for a multivalue of n values made by what.
func (c *Context) tooMany(what string, n int) *LimitError {
	return &LimitError{Limit: "max_mv_values", Msg: fmt.Sprintf("%s: %d values, more than %d (limit max_mv_values)", what, n, c.maxMVValues())}
}

// fail records the first limit error of the search.
func (c *Context) fail(e *LimitError) {
	if c != nil {
		c.limitErr.CompareAndSwap(nil, e)
	}
}

// Err returns the first cap an expression of the search hit, nil if none.
// Stages check it and stop the search.
func (c *Context) Err() error {
	if c == nil {
		return nil
	}
	if e := c.limitErr.Load(); e != nil {
		return e
	}
	return nil
}

// ResetErr forgets the limit error of an earlier run of the search.
func (c *Context) ResetErr() { c.limitErr.Store(nil) }

// checkValue returns v, or null (recording the limit error) when v is
// over a cap. Only strings and multivalues are measured.
func (c *Context) checkValue(what string, v value.Value) value.Value {
	switch v.Kind() {
	case value.String:
		if len(v.String()) > c.maxValueBytes() {
			c.fail(c.tooLong(what, len(v.String())))
			return value.NullValue
		}
	case value.Multi:
		if len(v.Values()) > c.maxMVValues() {
			c.fail(c.tooMany(what, len(v.Values())))
			return value.NullValue
		}
		n := 0
		for _, s := range v.Values() {
			n += len(s)
		}
		if n > c.maxValueBytes() {
			c.fail(c.tooLong(what, n))
			return value.NullValue
		}
	}
	return v
}

// callFailed records a failed call of function fn: a limit error fails
// the search; any other is counted, to be reported.
func (c *Context) callFailed(fn string, err error) {
	var le *LimitError
	if errors.As(err, &le) {
		c.fail(le)
		return
	}
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fnErrs == nil {
		c.fnErrs = map[string]*FunctionError{}
	}
	e, ok := c.fnErrs[fn]
	if !ok {
		e = &FunctionError{Func: fn, First: err.Error()}
		c.fnErrs[fn] = e
	}
	e.Count++
}

// FunctionErrors lists the eval functions of the search whose calls
// failed and gave null, by name: Splunk's eval gives null there too, but
// a result that depends on it deserves a word.
func (c *Context) FunctionErrors() []FunctionError {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]FunctionError, 0, len(c.fnErrs))
	for _, e := range c.fnErrs {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Func < out[j].Func })
	return out
}

// concat is a . b (and + of two strings), within max_value_bytes.
func (c *Context) concat(op string, a, b string) value.Value {
	if n := len(a) + len(b); n > c.maxValueBytes() {
		c.fail(c.tooLong("the "+op+" operator", n))
		return value.NullValue
	}
	return value.Str(a + b)
}
