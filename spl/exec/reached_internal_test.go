package exec

import (
	"slices"
	"testing"
)

// TestReachedSet: the plans an event reaches are those no pre-filter
// ruled out, as bits when the plans are few and counted in reached,
// whatever reached held before.
func TestReachedSet(t *testing.T) {
	many := make([]bool, 70)
	for i := range many {
		many[i] = i%3 != 0
	}
	for _, c := range []struct {
		name     string
		filtered []bool
		few      bool
		set      uint64
	}{
		{"none", nil, true, 0},
		{"all out", []bool{true, true, true}, true, 0},
		{"all in", []bool{false, false, false}, true, 0b111},
		{"mixed", []bool{true, false, true, false}, true, 0b1010},
		{"64th plan", append(make([]bool, 63), false), true, 1<<64 - 1},
		{"many: no bits", many, false, 0},
	} {
		reached := make([]int, len(c.filtered))
		for i := range reached {
			reached[i] = i // counts from earlier events
		}
		if got := reachedSet(c.filtered, reached, c.few); got != c.set {
			t.Errorf("%s: set %b, want %b", c.name, got, c.set)
		}
		want := make([]int, len(c.filtered))
		for i, out := range c.filtered {
			want[i] = i
			if !out {
				want[i]++
			}
		}
		if !slices.Equal(reached, want) {
			t.Errorf("%s: reached %v, want %v", c.name, reached, want)
		}
		if got := reachedSet(c.filtered, nil, c.few); got != c.set {
			t.Errorf("%s, not counted: set %b, want %b", c.name, got, c.set)
		}
	}
}
