package exec

import (
	"maps"
	"slices"
	"testing"

	"github.com/splharness/splharness/spl/event"
)

// TestFieldMemosNeed: an event that only plans with a few fields let
// through their pre-filters is extracted for those plans' fields; one
// that a plan needing every field reads, or any event of a pass whose need
// is narrower than every field (the reader extracts that need as it
// validates), is extracted as the pass says; unless skip let it through
// and the reader asked for the need of the plans it reaches (held).
func TestFieldMemosNeed(t *testing.T) {
	names := func(ns ...string) event.Need {
		n := event.Need{Names: map[string]bool{}}
		for _, s := range ns {
			n.Names[s] = true
		}
		return n
	}
	all := event.Need{All: true, Names: map[string]bool{"x": true}}
	reading := []*running{
		{plan: &Plan{need: names("a", "b")}},
		{plan: &Plan{need: all}},
		{plan: &Plan{need: event.Need{Names: map[string]bool{"c": true}, Prefixes: []string{"p."}}}},
	}
	ms := newFieldMemos(2, false)
	tests := []struct {
		pass     event.Need
		filtered []bool
		held     bool // skip let the record through, and the reader asked for the need (NeedOf)
		wantAll  bool
		want     []string // the names, when not every field
		prefixes []string
	}{
		{all, []bool{false, true, true}, false, false, []string{"a", "b"}, nil},
		{all, []bool{false, true, false}, false, false, []string{"a", "b", "c"}, []string{"p."}},
		{all, []bool{true, true, false}, false, false, []string{"c"}, []string{"p."}},
		{all, []bool{false, false, true}, false, true, nil, nil},
		{names("a", "b", "c"), []bool{false, true, true}, false, false, []string{"a", "b", "c"}, nil},
		{names("a", "b", "c", "p.x"), []bool{false, true, true}, true, false, []string{"a", "b"}, nil},
		{names("a", "b", "c", "p.x"), []bool{true, true, false}, true, false, []string{"c"}, []string{"p."}},
		{all, []bool{true, false, true}, true, true, nil, nil},
	}
	for i, tt := range tests {
		for w := 0; w < 2; w++ {
			for range 2 { // made, then kept
				got := ms.need(w, tt.pass, reading, tt.filtered, tt.held)
				if got.All != tt.wantAll {
					t.Errorf("case %d: All %v, want %v", i, got.All, tt.wantAll)
					continue
				}
				if tt.wantAll {
					continue
				}
				if n := slices.Sorted(maps.Keys(got.Names)); !slices.Equal(n, tt.want) || !slices.Equal(got.Prefixes, tt.prefixes) {
					t.Errorf("case %d: names %q prefixes %q, want %q %q", i, n, got.Prefixes, tt.want, tt.prefixes)
				}
			}
		}
	}
}
