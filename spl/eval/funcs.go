package eval

import (
	"fmt"
	"regexp"
	"sort"
	"sync"
	"time"
)

// Context is what evaluation needs besides the row: the search's start
// time (now()), the time zone for rendering times, and a cache of compiled
// regular expressions.
type Context struct {
	Now      time.Time
	Location *time.Location

	mu      sync.Mutex
	regexes map[string]*regexp.Regexp
}

// NewContext returns a context for a search started at now, rendering
// times in UTC (spec §7: reproduce as UTC by default).
func NewContext(now time.Time) *Context {
	return &Context{Now: now, Location: time.UTC}
}

// Regexp compiles an SPL (PCRE-style) regular expression once per search.
func (c *Context) Regexp(pattern string) (*regexp.Regexp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.regexes[pattern]; ok {
		return re, nil
	}
	re, err := CompileRegexp(pattern)
	if err != nil {
		return nil, err
	}
	if c.regexes == nil {
		c.regexes = map[string]*regexp.Regexp{}
	}
	c.regexes[pattern] = re
	return re, nil
}

// CompileRegexp compiles a PCRE-style pattern with Go's regexp (RE2
// syntax). Named groups (?<name>...) and (?P<name>...) both work; PCRE-only
// constructs (look-around, backreferences) are an error naming the pattern.
func CompileRegexp(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %v", pattern, err)
	}
	return re, nil
}

// Function is an eval function of the registry.
type Function struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: any number
	Doc     string
	// Example is an eval expression using the function and Want what it
	// evaluates to (Value.GoString form); a test runs every example.
	Example string
	Want    string
	// Source names the spec section or Splunk page the behaviour follows.
	Source string
	// Call computes the result from evaluated arguments.
	Call func(c *Context, args []Value) (Value, error)
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Function{}
)

// Register adds functions to the registry. It panics on a duplicate name,
// a programming error caught by any test.
func Register(fns ...*Function) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, f := range fns {
		if _, dup := registry[f.Name]; dup {
			panic("eval: duplicate function " + f.Name)
		}
		registry[f.Name] = f
	}
}

// Lookup returns the function of a (lowercase) name.
func Lookup(name string) (*Function, bool) {
	registryMu.Lock()
	defer registryMu.Unlock()
	f, ok := registry[name]
	return f, ok
}

// Functions returns every registered function, sorted by name.
func Functions() []*Function {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Function, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
