package eval

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// Context is what evaluation needs besides the row: the search's start
// time (now()), the time zone for rendering times, and a cache of compiled
// regular expressions.
type Context struct {
	Now      time.Time
	Location *time.Location
	// MatchTimeout limits one match of a regular expression that needs the
	// backtracking engine; zero means DefaultMatchTimeout.
	MatchTimeout time.Duration
	// RegexBudget is what the backtracking matches of the search's
	// patterns may take in all (regex_budget_ms); nil means none. Set it
	// before the first Regexp call.
	RegexBudget *regex.Budget
	// MaxValueBytes and MaxMVValues cap one value (max_value_bytes,
	// max_mv_values; zero: DefaultMaxValueBytes, DefaultMaxMVValues).
	MaxValueBytes int
	MaxMVValues   int

	limitErr atomic.Pointer[LimitError]
	fnErrs   map[string]*FunctionError // under mu

	mu      sync.Mutex
	regexes map[string]*regex.Regexp
}

// NewContext returns a context for a search started at now, rendering
// times in UTC (docs/semantics.md, "Time": reproduce as UTC by default).
func NewContext(now time.Time) *Context {
	return &Context{Now: now, Location: time.UTC}
}

// Regexp compiles an SPL (PCRE) regular expression once per search.
func (c *Context) Regexp(pattern string) (*regex.Regexp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.regexes[pattern]; ok {
		return re, nil
	}
	re, err := regex.CompileTimeout(pattern, c.MatchTimeout)
	if err != nil {
		return nil, err
	}
	if c.RegexBudget != nil {
		re = re.WithBudget(c.RegexBudget)
	}
	if c.regexes == nil {
		c.regexes = map[string]*regex.Regexp{}
	}
	c.regexes[strings.Clone(pattern)] = re // the pattern may be an event's text
	return re, nil
}

// RegexpTimeouts lists the regular expressions of the search (those
// compiled through Regexp) whose matches hit the time limit, by pattern.
// Such a match counted as no match, so a verdict that depends on it is in
// doubt: callers report these.
func (c *Context) RegexpTimeouts() []regex.Timeout {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []regex.Timeout
	for p, re := range c.regexes {
		if n := re.Timeouts(); n > 0 {
			out = append(out, regex.Timeout{Pattern: p, Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}

// Function is an eval function of the registry: every function the
// compiler knows is one entry, and the compiler checks the argument count
// against MinArgs, MaxArgs and EvenArgs before it compiles the call. Exactly
// one of Call and Compile is set.
type Function struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: any number
	// EvenArgs requires an even number of arguments (condition/value pairs).
	EvenArgs bool
	// Boolean says the function returns a boolean, which eval cannot
	// assign to a field (Compiler.CompileAssignment).
	Boolean bool
	Doc     string
	// Example is an eval expression using the function and Want what it
	// evaluates to (Value.GoString form); a test runs every example.
	Example string
	Want    string
	// Source names our docs page and the Splunk page the behaviour follows.
	Source string
	// Call computes the result from evaluated arguments: the compiler
	// evaluates every argument for the row, then calls it. An error gives
	// null and is counted (Context.FunctionErrors).
	Call func(c *Context, args []value.Value) (value.Value, error)
	// Compile builds the evaluator from the call's syntax, once at compile
	// time, for a function that evaluates its arguments lazily (if, case,
	// coalesce) or reads them as syntax (mvfilter, searchmatch). The
	// argument count is already checked when it runs.
	Compile func(c *Compiler, call *spl.Call) (Evaluator, error)
	// Unsupported registers a documented function the evaluator cannot
	// run offline (lookup() needs the lookup tables), saying why: the
	// compiler refuses every call of it as unsupported, naming it. Such an
	// entry has neither Call nor Compile, and no Want.
	Unsupported string
}

// check reports an entry the registry cannot use.
func (f *Function) check() error {
	switch {
	case f.Name == "" || f.Name != strings.ToLower(f.Name):
		return fmt.Errorf("eval: function name %q is not lowercase", f.Name)
	case f.Unsupported != "" && (f.Call != nil || f.Compile != nil):
		return fmt.Errorf("eval: unsupported function %s has Call or Compile", f.Name)
	case f.Unsupported == "" && (f.Call == nil) == (f.Compile == nil):
		return fmt.Errorf("eval: function %s needs exactly one of Call and Compile", f.Name)
	case f.MinArgs < 0 || f.MaxArgs >= 0 && f.MaxArgs < f.MinArgs:
		return fmt.Errorf("eval: function %s takes %d to %d arguments", f.Name, f.MinArgs, f.MaxArgs)
	}
	return nil
}

// arity says whether the function takes n arguments, and if not, how many
// it takes, in words for the error message.
func (f *Function) arity(n int) (want string, ok bool) {
	if n >= f.MinArgs && (f.MaxArgs < 0 || n <= f.MaxArgs) && (!f.EvenArgs || n%2 == 0) {
		return "", true
	}
	switch {
	case f.EvenArgs:
		return "an even number of", false
	case f.MaxArgs < 0:
		return fmt.Sprintf("at least %d", f.MinArgs), false
	case f.MaxArgs != f.MinArgs:
		return fmt.Sprintf("%d to %d", f.MinArgs, f.MaxArgs), false
	}
	return fmt.Sprint(f.MinArgs), false
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Function{}
)

// Register adds functions to the registry. It panics on a duplicate name
// or an entry that fails check, programming errors caught by any test.
func Register(fns ...*Function) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, f := range fns {
		if err := f.check(); err != nil {
			panic(err.Error())
		}
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
