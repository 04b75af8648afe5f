package exec

import "testing"

// foldTermCases are keywords against raw text in both cases, with
// breakers around and inside the matches.
var foldTermCases = []struct {
	raw, kw string
	major   bool
}{
	{`{"eventName":"DeleteBucket"}`, "*Delete*", false},
	{`{"eventName":"deletebucket"}`, "*DELETE*", false},
	{`{"eventName":"Undelete"}`, "Delete", false},
	{`{"eventName":"Un-Delete"}`, "Delete", false},
	{`{"eventName":"Un-Delete"}`, "Delete", true},
	{`a "Un Delete" b`, "Delete", true},
	{`RemoveUserFromGroup x`, "*remove*group", false},
	{`Remove User FromGroup`, "*remove*group", false},
	{`reboot`, "REBOOT*", false},
	{`xreboot`, "REBOOT*", false},
	{`10.0.0.1`, "0.0.1", false},
	{`a.b.c`, "b.c", false},
	{`AbcAbcAbd`, "*abd", false},
	{``, "x", false},
	{`x`, "*", false},
}

// TestMatchTermFold: over ASCII text, the keyword match that folds case
// in place answers as the one over a lowercased copy.
func TestMatchTermFold(t *testing.T) {
	for _, c := range foldTermCases {
		checkFold(t, c.raw, c.kw, c.major)
	}
}

func checkFold(t *testing.T, raw, kw string, major bool) {
	t.Helper()
	p := newPattern(kw, false)
	if !isASCII(raw) || p.any || !p.asciiParts() {
		return
	}
	if got, want := matchTermFold(raw, p, major), matchTermLower(raw, p, major); got != want {
		t.Errorf("keyword %q (major %v) in %q: folding says %v, lowercasing %v", kw, major, raw, got, want)
	}
}

// FuzzMatchTermFold checks the same on any text and keyword.
func FuzzMatchTermFold(f *testing.F) {
	for _, c := range foldTermCases {
		f.Add(c.raw, c.kw, c.major)
	}
	f.Fuzz(func(t *testing.T, raw, kw string, major bool) {
		checkFold(t, raw, kw, major)
	})
}

// TestPatternMatchFold: a value pattern matches ASCII text with case
// folded in place as over a lowercased copy.
func TestPatternMatchFold(t *testing.T) {
	values := []string{"", "a", "DeleteBucket", "deletebucket", "GetObject", "xGETy", "Create", "AbcAbcAbd", "abd", "ab"}
	pats := []string{"", "*", "**", "delete*", "*BUCKET", "*get*", "get", "Create*", "*abd", "a*d", "ab*ab*d", "*b*", "x*y", "ab"}
	for _, v := range values {
		for _, ps := range pats {
			checkPatternFold(t, ps, v)
		}
	}
}

func checkPatternFold(t *testing.T, pat, v string) {
	t.Helper()
	p := newPattern(pat, false)
	if p.any || !p.asciiParts() || !isASCII(v) {
		return
	}
	lower := &pattern{parts: p.parts, leading: p.leading, trailing: p.trailing, caseSensitive: true}
	want := lower.match(lowerASCII(v))
	if got := p.matchFold(v); got != want {
		t.Errorf("pattern %q on %q: folding says %v, lowercasing %v", pat, v, got, want)
	}
}

// FuzzPatternMatchFold checks the same on any value and pattern.
func FuzzPatternMatchFold(f *testing.F) {
	f.Add("*get*", "GetObject")
	f.Add("ab*ab*d", "AbcAbcAbd")
	f.Fuzz(func(t *testing.T, pat, v string) { checkPatternFold(t, pat, v) })
}
