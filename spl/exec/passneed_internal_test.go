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
	// In order, then back: a worker asked for a set again after others
	// (its last set is another's) gets that set's need.
	var order []int
	for i := range tests {
		order = append(order, i)
	}
	for i := range tests {
		order = append(order, len(tests)-1-i)
	}
	for _, i := range order {
		tt := tests[i]
		var set uint64 // the plans reached, as offer gives them to needOf
		for j, out := range tt.filtered {
			if !out {
				set |= 1 << j
			}
		}
		for w := 0; w < 4; w++ {
			for k := range 4 { // made, then kept; by need, then by needOf
				var got event.Need
				if k%2 == 0 {
					got = ms.need(w%2, tt.pass, reading, tt.filtered, tt.held, nil)
				} else {
					got = ms.needOf(w%2, tt.pass, reading, set, tt.held, nil)
				}
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

// TestNextReached: offer's walk of the plans an event reaches visits, in
// order, exactly the plans the pre-filters did not rule out, whether it
// walks the set of them (64 plans or fewer) or the reports themselves.
func TestNextReached(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 59, 63, 64, 65, 130} {
		for seed := range 20 {
			filtered := make([]bool, n)
			var set uint64
			var want []int
			for i := range filtered {
				filtered[i] = (i*7+seed*13+i*i*seed)%(seed%5+2) != 0
				if !filtered[i] {
					want = append(want, i)
					if i < 64 {
						set |= 1 << i
					}
				}
			}
			for _, few := range []bool{false, true} {
				if few && n > 64 {
					continue
				}
				var got []int
				for i := nextReached(0, set, filtered, few); i < n; i = nextReached(i+1, set, filtered, few) {
					got = append(got, i)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%d plans, seed %d, by set %v: %v, want %v", n, seed, few, got, want)
				}
			}
		}
	}
}
