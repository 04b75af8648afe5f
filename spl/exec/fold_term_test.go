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
