// Package regex runs SPL's regular expressions, which are PCRE: a pattern
// Go's RE2 accepts runs on it, one that needs PCRE-only constructs runs,
// translated, on a backtracking engine with a time limit per match and a
// budget per search. It is a leaf: it imports no parser and no compiler.
package regex

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2"
)

// DefaultMatchTimeout limits one match of a pattern that needs the
// backtracking engine. Splunk's PCRE gives up on a match after a step
// budget (limits.conf match_limit) and treats it as no match; a time limit
// is the closest portable equivalent. A quarter second is thousands of
// times what a sane pattern needs on a large event, and few enough that a
// catastrophic pattern over a whole dataset still ends.
const DefaultMatchTimeout = 250 * time.Millisecond

// Regexp is a compiled SPL regular expression. SPL uses PCRE syntax: a
// pattern Go's RE2 engine accepts runs on it (linear time); a pattern that
// needs PCRE-only constructs (look-around, backreferences, atomic groups,
// possessive quantifiers, \K at the top level, conditionals) runs on a
// backtracking engine with a time limit per match. A match that hits the
// limit counts as no match and is counted (Timeouts). Group numbers follow
// PCRE: all groups, named or not, numbered left to right.
//
// A Regexp is safe for concurrent use.
type Regexp struct {
	pattern string
	re2     *regexp.Regexp  // nil when the pattern needs backtracking
	bt      *regexp2.Regexp // the backtracking program otherwise
	names   []string        // names[i] names group i, "" when unnamed
	timeout atomic.Int64    // matches that hit the time limit or found the budget spent
	budget  *Budget         // shared by the patterns of a search; nil: none
}

// DefaultBudget is the default of regex_budget_ms: the time the
// backtracking matches of one search (or one knowledge rule) may take in
// all. The per-match limit alone lets a catastrophic pattern take a
// quarter second per event, minutes over a dataset; real patterns spend
// microseconds per event, so five seconds is far above any real use.
const DefaultBudget = 5 * time.Second

// Budget is the time the backtracking matches of its patterns may
// take in all. Once it is spent every further backtracking match of those
// patterns counts as a time-out at once, and the owner reports the search
// as failed (Exhausted). Matches on the RE2 engine run in linear time and
// are not counted. A Budget is safe for concurrent use.
type Budget struct {
	limit time.Duration
	used  atomic.Int64 // nanoseconds
}

// NewBudget returns a budget of limit (zero or less: the default).
func NewBudget(limit time.Duration) *Budget {
	if limit <= 0 {
		limit = DefaultBudget
	}
	return &Budget{limit: limit}
}

// Limit is the budget's total.
func (b *Budget) Limit() time.Duration { return b.limit }

// Exhausted reports whether the budget is spent.
func (b *Budget) Exhausted() bool { return b != nil && time.Duration(b.used.Load()) >= b.limit }

// Reset makes the whole budget available again, for a new run.
func (b *Budget) Reset() { b.used.Store(0) }

// WithBudget returns a copy of re whose backtracking matches spend b.
func (re *Regexp) WithBudget(b *Budget) *Regexp {
	return &Regexp{pattern: re.pattern, re2: re.re2, bt: re.bt, names: re.names, budget: b}
}

// Budget is the regex budget re spends, nil when it has none.
func (re *Regexp) Budget() *Budget { return re.budget }

// begin starts a backtracking match: false when the budget is spent (the
// match then counts as a time-out and finds nothing).
func (re *Regexp) begin() (time.Time, bool) {
	if re.budget == nil {
		return time.Time{}, true
	}
	if re.budget.Exhausted() {
		re.timeout.Add(1)
		return time.Time{}, false
	}
	return time.Now(), true
}

// end charges a backtracking match begun at start to the budget.
func (re *Regexp) end(start time.Time) {
	if re.budget != nil {
		re.budget.used.Add(int64(time.Since(start)))
	}
}

// Compile compiles an SPL (PCRE) pattern with the default time
// limit per backtracking match. The error names the pattern and says what
// in it cannot run.
func Compile(pattern string) (*Regexp, error) {
	return CompileTimeout(pattern, DefaultMatchTimeout)
}

// capturesDifferOnRE2 reports whether RE2 would capture differently from
// PCRE: a loop (*, +, {n,} or {n,m} with m > 1) over a body that can match
// empty and holds a group. PCRE ends such a loop with one empty iteration,
// whose empty capture the group keeps ((a?)* on "a" gives group 1 = "" at
// 1); RE2 keeps the last iteration that consumed something ("a" at 0), a
// known disagreement (https://swtch.com/~rsc/regexp/regexp3.html, Caveats).
// Such patterns run on the backtracking engine, which captures as PCRE.
func capturesDifferOnRE2(pattern string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false // RE2 does not take it either
	}
	return hasNullableCaptureLoop(re)
}

func hasNullableCaptureLoop(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		if (re.Op != syntax.OpRepeat || re.Max == -1 || re.Max > 1) && nullable(re.Sub[0]) && hasCapture(re.Sub[0]) {
			return true
		}
	}
	for _, sub := range re.Sub {
		if hasNullableCaptureLoop(sub) {
			return true
		}
	}
	return false
}

// nullable reports whether re can match the empty string.
func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) == 0
	case syntax.OpCapture, syntax.OpPlus:
		return nullable(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !nullable(sub) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if nullable(sub) {
				return true
			}
		}
	}
	return false
}

func hasCapture(re *syntax.Regexp) bool {
	if re.Op == syntax.OpCapture {
		return true
	}
	for _, sub := range re.Sub {
		if hasCapture(sub) {
			return true
		}
	}
	return false
}

// MustCompile is Compile for patterns known to be valid (tests
// and built-in patterns); it panics on an error.
func MustCompile(pattern string) *Regexp {
	re, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return re
}

// CompileTimeout is Compile with a given limit for one match
// on the backtracking engine (zero or less: DefaultMatchTimeout).
func CompileTimeout(pattern string, limit time.Duration) (*Regexp, error) {
	if limit <= 0 {
		limit = DefaultMatchTimeout
	}
	tr, terr := translatePCRE(pattern)
	if !tr.re2Differs && !tr.invalid && !capturesDifferOnRE2(pattern) {
		if re, err := regexp.Compile(pattern); err == nil {
			return &Regexp{pattern: pattern, re2: re, names: re.SubexpNames()}, nil
		}
	}
	if terr != nil {
		return nil, fmt.Errorf("regular expression %q: %v", pattern, terr)
	}
	return compileBacktracking(pattern, tr, limit)
}

// compileBacktracking compiles a translated pattern for the backtracking
// engine.
func compileBacktracking(pattern string, tr *pcreTranslation, limit time.Duration) (*Regexp, error) {
	bt, err := regexp2.Compile(tr.text, regexp2.RE2)
	if err != nil {
		msg := err.Error()
		// regexp2 quotes the pattern it was given, which may be our
		// rewriting: keep only its reason.
		if i := strings.LastIndex(msg, " in `"); i > 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("regular expression %q: %s", pattern, strings.TrimPrefix(msg, "error parsing regexp: "))
	}
	bt.MatchTimeout = limit
	return &Regexp{pattern: pattern, bt: bt, names: tr.names}, nil
}

// String returns the pattern as written.
func (re *Regexp) String() string { return re.pattern }

// Backtracking reports whether the pattern runs on the backtracking
// engine (it uses PCRE constructs RE2 lacks).
func (re *Regexp) Backtracking() bool { return re.bt != nil }

// Timeouts returns how many matches hit the time limit so far.
func (re *Regexp) Timeouts() int64 { return re.timeout.Load() }

// NumSubexp returns the number of capture groups.
func (re *Regexp) NumSubexp() int { return len(re.names) - 1 }

// SubexpNames returns the names of the groups by number; index 0 and
// unnamed groups are "". The slice must not be modified.
func (re *Regexp) SubexpNames() []string { return re.names }

// MatchString reports whether s contains a match.
func (re *Regexp) MatchString(s string) bool {
	if re.re2 != nil {
		return re.re2.MatchString(s)
	}
	start, ok := re.begin()
	if !ok {
		return false
	}
	ok, err := re.bt.MatchString(s)
	re.end(start)
	if err != nil {
		re.timeout.Add(1)
		return false
	}
	return ok
}

// FindStringSubmatch returns the text of the first match and of its
// groups ("" for a group that did not take part), nil for no match.
func (re *Regexp) FindStringSubmatch(s string) []string {
	if re.re2 != nil {
		return re.re2.FindStringSubmatch(s)
	}
	all := re.FindAllStringSubmatch(s, 1)
	if len(all) == 0 {
		return nil
	}
	return all[0]
}

// FindAllStringSubmatch returns the successive matches of s, at most n (n
// < 0: all), each as FindStringSubmatch gives it.
func (re *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if re.re2 != nil {
		return re.re2.FindAllStringSubmatch(s, n)
	}
	var out [][]string
	for _, m := range re.FindAllStringSubmatchIndex(s, n) {
		sub := make([]string, len(m)/2)
		for g := range sub {
			if m[2*g] >= 0 {
				sub[g] = s[m[2*g]:m[2*g+1]]
			}
		}
		out = append(out, sub)
	}
	return out
}

// FindAllStringSubmatchIndex returns the byte offsets of the successive
// matches of s and their groups, at most n (n < 0: all), as Go's regexp
// does: pairs of start and end, -1 for a group that did not take part. A
// match that hits the time limit ends the search.
func (re *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if re.re2 != nil {
		return re.re2.FindAllStringSubmatchIndex(s, n)
	}
	if n == 0 {
		return nil
	}
	start, ok := re.begin()
	if !ok {
		return nil
	}
	defer re.end(start)
	runes := []rune(s)
	offset := runeOffsets(s, len(runes))
	var out [][]int
	m, err := re.bt.FindRunesMatch(runes)
	for m != nil {
		idx := make([]int, 2*len(re.names))
		for g := range re.names {
			grp := m.GroupByNumber(g)
			if grp == nil || len(grp.Captures) == 0 {
				idx[2*g], idx[2*g+1] = -1, -1
				continue
			}
			idx[2*g], idx[2*g+1] = offset(grp.Index), offset(grp.Index+grp.Length)
		}
		out = append(out, idx)
		if n > 0 && len(out) == n {
			break
		}
		m, err = re.bt.FindNextMatch(m)
	}
	if err != nil {
		re.timeout.Add(1)
	}
	return out
}

// runeOffsets maps the rune index of the backtracking engine to a byte
// offset of s. Invalid UTF-8 bytes are one rune each, as []rune(s) makes
// them.
func runeOffsets(s string, nRunes int) func(int) int {
	if nRunes == len(s) {
		return func(i int) int { return i } // ASCII
	}
	offs := make([]int, 0, nRunes+1)
	for i := range s {
		offs = append(offs, i)
	}
	offs = append(offs, len(s))
	return func(i int) int { return offs[i] }
}

// ReplaceAllString replaces every match in s by rep, where \0…\9 stand for
// the groups of the match (SPL's replace() and sed syntax).
func (re *Regexp) ReplaceAllString(s, rep string) string {
	return Replace(re, s, rep)
}

// Replace replaces every match of re in s by rep, where \0…\9 stand
// for the groups of the match (PCRE replacement style, as Splunk's
// replace() documents \1; a group that did not take part inserts nothing)
// and every other character is literal. re is a *Regexp or a Go
// *regexp.Regexp.
func Replace(re interface {
	FindAllStringSubmatchIndex(s string, n int) [][]int
}, s, rep string) string {
	out, _ := ReplaceMax(re, s, rep, -1)
	return out
}

// ReplaceMax is Replace that gives up, with ok false, once the
// result is longer than max bytes (max < 0: no cap).
func ReplaceMax(re interface {
	FindAllStringSubmatchIndex(s string, n int) [][]int
}, s, rep string, max int) (string, bool) {
	matches := re.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s, true
	}
	b := make([]byte, 0, len(s)+len(rep))
	last := 0
	for _, m := range matches {
		b = append(b, s[last:m[0]]...)
		b = AppendReplacement(b, rep, s, m)
		last = m[1]
		if max >= 0 && len(b) > max {
			return "", false
		}
	}
	b = append(b, s[last:]...)
	if max >= 0 && len(b) > max {
		return "", false
	}
	return string(b), true
}

// AppendReplacement appends rep to dst with \0…\9 replaced by the groups
// of match, a result of FindAllStringSubmatchIndex on s. A group that did
// not take part inserts nothing; a backslash before anything but a digit
// is literal.
func AppendReplacement(dst []byte, rep, s string, match []int) []byte {
	for i := 0; i < len(rep); i++ {
		if rep[i] == '\\' && i+1 < len(rep) && rep[i+1] >= '0' && rep[i+1] <= '9' {
			g := int(rep[i+1] - '0')
			if 2*g+1 < len(match) && match[2*g] >= 0 {
				dst = append(dst, s[match[2*g]:match[2*g+1]]...)
			}
			i++
			continue
		}
		dst = append(dst, rep[i])
	}
	return dst
}

// Timeout is a pattern of a search whose matches hit the time limit.
type Timeout struct {
	// Rule names the knowledge rule the pattern belongs to (for example
	// "EXTRACT-user of [aws:cloudtrail]"); empty for a search's own.
	Rule    string
	Pattern string
	Count   int64
}

// String says what happened, naming the pattern, for a report.
func (t Timeout) String() string {
	where := ""
	if t.Rule != "" {
		where = " (" + t.Rule + ")"
	}
	return fmt.Sprintf("regular expression %q%s: %d match(es) took longer than the time limit or found the regex budget spent, and counted as no match", t.Pattern, where, t.Count)
}
