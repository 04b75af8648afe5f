package eval

import (
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	// The engine checks its clock every 100ms by default; a fine clock
	// lets the time-limit test end in milliseconds. It must be set before
	// any timed match starts, hence init.
	regexp2.SetTimeoutCheckPeriod(time.Millisecond)
}

// TestRegexpTimeout: a catastrophic pattern stops at the time limit and
// counts as no match; the context reports the pattern.
func TestRegexpTimeout(t *testing.T) {
	ctx := NewContext(time.Unix(0, 0))
	ctx.MatchTimeout = time.Millisecond
	pattern := `^(\w+\s?)+(?=$)`
	re, err := ctx.Regexp(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if !re.Backtracking() {
		t.Fatal("a look-ahead pattern must run on the backtracking engine")
	}
	input := strings.Repeat("a", 40) + "!"
	start := time.Now()
	if re.MatchString(input) {
		t.Error("MatchString matched")
	}
	if got := re.FindAllStringSubmatch(input, -1); got != nil {
		t.Errorf("FindAllStringSubmatch = %q", got)
	}
	if got := re.ReplaceAllString(input, "x"); got != input {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("three timed-out matches took %v", d)
	}
	if re.Timeouts() != 3 {
		t.Errorf("Timeouts() = %d, want 3", re.Timeouts())
	}
	want := []regex.Timeout{{Pattern: pattern, Count: 3}}
	if diff := cmp.Diff(want, ctx.RegexpTimeouts()); diff != "" {
		t.Errorf("RegexpTimeouts (-want +got):\n%s", diff)
	}
	// The same pattern matches a short input within the limit.
	if !re.MatchString("ab cd") {
		t.Error("no match on a short input")
	}
}

// TestRegexpFunctions: match(), replace() and mvfind() with PCRE-only
// patterns.
func TestRegexpFunctions(t *testing.T) {
	fnRunCases(t, []fnCase{
		{`match("foobar", "foo(?=bar)")`, nil, `Boolean(true)`},
		{`match("foobaz", "foo(?=bar)")`, nil, `Boolean(false)`},
		{`match(f, "^(?!svc-)")`, map[string]value.Value{"f": fnMV("svc-a", "bob")}, `Boolean(true)`},
		{`replace("a1b22", "(\d)\1", "<\1>")`, nil, `"a1b<2>"`},
		{`replace("user=bob", "(?<=user=)\w+", "X")`, nil, `"user=X"`},
		{`mvfind(split("ab,aa,bb", ","), "^(\w)\1$")`, nil, `Number(1)`},
		{`match("x", "(?R)")`, nil, `null`},
	})
}

// TestRegexBudget: once the patterns of a search have spent their budget,
// every further backtracking match counts as a time-out at once, without
// running; RE2 matches are not charged.
func TestRegexBudget(t *testing.T) {
	for _, c := range []struct {
		name      string
		pattern   string
		budget    time.Duration
		matches   int
		exhausted bool
		timeouts  int64
	}{
		// The first match runs (and is charged); the budget of 1ns is then
		// spent, so the other 399 count as time-outs without running.
		{"backtracking, spent", `^(\w+\s?)+(?=!)`, time.Nanosecond, 400, true, 399},
		{"backtracking, within", `^(\w+\s?)+(?=!)`, time.Hour, 400, false, 0},
		{"RE2 is not charged", `^(\w+\s?)+!`, time.Nanosecond, 400, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := NewContext(time.Unix(0, 0))
			ctx.RegexBudget = regex.NewBudget(c.budget)
			re, err := ctx.Regexp(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < c.matches; i++ {
				if !re.MatchString("ab cd!") {
					if i == 0 || !c.exhausted {
						t.Fatalf("match %d failed", i)
					}
				}
			}
			if got := ctx.RegexBudget.Exhausted(); got != c.exhausted {
				t.Errorf("Exhausted() = %v, want %v", got, c.exhausted)
			}
			if got := re.Timeouts(); got != c.timeouts {
				t.Errorf("Timeouts() = %d, want %d", got, c.timeouts)
			}
		})
	}
}
