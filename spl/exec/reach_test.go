package exec

import (
	"fmt"
	"slices"
	"testing"

	"github.com/splharness/splharness/spl/event"
)

// TestReachNeeds: an event's Need is the union of the Needs of the plans
// it reaches, made once per set on each worker, or the pass's union when
// the reader extracted the union for it (preUnion, and skip did not work
// out its reach) or the worker has maxReachSets sets already.
func TestReachNeeds(t *testing.T) {
	needs := []event.Need{
		{Names: map[string]bool{"eventName": true, "user": true}},
		{All: true},
		{Names: map[string]bool{"eventSource": true}, Prefixes: []string{"requestParameters."}},
	}
	var reading []*running
	union := event.Need{Names: map[string]bool{}}
	for _, n := range needs {
		reading = append(reading, &running{plan: &Plan{need: n}})
		union = union.Union(n)
	}
	union = union.Compile()
	names := func(n event.Need) string {
		var s []string
		for k := range n.Names {
			s = append(s, k)
		}
		slices.Sort(s)
		return fmt.Sprint(n.All, s, n.Prefixes)
	}
	for _, c := range []struct {
		filtered []bool
		want     string
	}{
		{[]bool{false, true, true}, "false [eventName user] []"},
		{[]bool{true, true, false}, "false [eventSource] [requestParameters.]"},
		{[]bool{false, true, false}, "false [eventName eventSource user] [requestParameters.]"},
		{[]bool{true, false, true}, "true [] []"},
	} {
		for _, preUnion := range []bool{false, true} {
			rn := newReachNeeds(reading, union, 2, preUnion)
			for _, held := range []bool{false, true} {
				got := rn.forEvent(1, c.filtered, held)
				want := c.want
				if preUnion && !held && !union.All {
					want = names(union)
				}
				if names(got) != want {
					t.Errorf("%v (preUnion %v, held %v): %s, want %s", c.filtered, preUnion, held, names(got), want)
				}
			}
			a, b := rn.reach(0, c.filtered), rn.reach(0, c.filtered)
			if fmt.Sprintf("%p", a.Names) != fmt.Sprintf("%p", b.Names) {
				t.Errorf("%v: a Need made twice on one worker", c.filtered)
			}
		}
	}
	// An event every plan reaches asks for the union itself, as the
	// reader compiled it.
	rn := newReachNeeds(reading, union, 1, false)
	if got := rn.reach(0, []bool{false, false, false}); fmt.Sprintf("%p", got.Names) != fmt.Sprintf("%p", union.Names) {
		t.Errorf("every plan reached: %s, want the union", names(got))
	}
	// Past maxReachSets sets, the union.
	many := make([]*running, 10)
	for i := range many {
		many[i] = &running{plan: &Plan{need: event.Need{Names: map[string]bool{fmt.Sprint("f", i): true}}}}
	}
	manyUnion := event.Need{Names: map[string]bool{"all": true}}.Compile()
	rn = newReachNeeds(many, manyUnion, 1, false)
	for set := 1; set <= maxReachSets+1; set++ {
		filtered := make([]bool, len(many))
		for i := range filtered {
			filtered[i] = set&(1<<i) == 0
		}
		got := rn.reach(0, filtered)
		if isUnion := got.Names["all"]; isUnion != (set > maxReachSets) {
			t.Errorf("set %d: the union %v", set, isUnion)
		}
	}
}
