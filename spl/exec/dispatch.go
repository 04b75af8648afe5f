package exec

import (
	"slices"

	"github.com/splharness/splharness/spl/event"
)

// reachNeeds are the fields to extract from an event for the plans of a
// pass that it reaches (those whose raw pre-filter lets it through), one
// compiled Need per set of plans, kept per worker. A pass's Need is the
// union of every plan's: when one plan needs every field (a `fillnull`
// without fields, a search whose output is whole events), every event
// any plan reads was extracted whole, though that plan's pre-filter
// rules nearly all of them out; the 59 ESCU CloudTrail detections in one
// pass decoded all of half the records for `eventName=Describe* OR ...`,
// which reads a few dozen fields of them. The answers are the same whatever the
// Need: a field it leaves out is extracted when asked (event.Fields).
type reachNeeds struct {
	union event.Need   // the pass's, compiled
	plans []event.Need // by plan, uncompiled
	// preUnion says the reader extracts union while it validates a record
	// that skip did not work out the reach of (event.ScanOptions.Need):
	// its events must ask for union too, to get what was extracted.
	preUnion bool
	workers  []reachCache
}

// reachCache is one worker's Needs, by reach key: a bit per plan.
type reachCache struct {
	needs map[string]event.Need
	key   []byte
	_     [64]byte // workers write their own: no shared cache line
}

// maxReachSets bounds the sets of plans a worker keeps a Need for: past
// it, an event of a new set gets the pass's union.
const maxReachSets = 256

func newReachNeeds(reading []*running, union event.Need, workers int, preUnion bool) *reachNeeds {
	rn := &reachNeeds{union: union, preUnion: preUnion && !union.All, workers: make([]reachCache, max(workers, 1))}
	for _, r := range reading {
		rn.plans = append(rn.plans, r.plan.need)
	}
	return rn
}

// forEvent is the Need of worker w's event for the plans filtered does
// not mark, when skip worked them out on the worker (held), as the
// reader asked for it (held, ScanOptions.NeedOf), or the reader extracts
// nothing for it; otherwise the pass's union.
func (rn *reachNeeds) forEvent(w int, filtered []bool, held bool) event.Need {
	if !held && rn.preUnion {
		return rn.union
	}
	return rn.reach(w, filtered)
}

// reach is the union of the Needs of the plans filtered does not mark,
// compiled once per set on each worker.
func (rn *reachNeeds) reach(w int, filtered []bool) event.Need {
	if !slices.Contains(filtered, true) {
		return rn.union // every plan: the union, as the reader compiled it
	}
	c := &rn.workers[w]
	c.key = c.key[:0]
	var b byte
	for i, out := range filtered {
		if !out {
			b |= 1 << (i & 7)
		}
		if i&7 == 7 || i == len(filtered)-1 {
			c.key = append(c.key, b)
			b = 0
		}
	}
	if n, ok := c.needs[string(c.key)]; ok {
		return n
	}
	if len(c.needs) >= maxReachSets {
		return rn.union
	}
	u := event.Need{Names: map[string]bool{}}
	for i, out := range filtered {
		if !out {
			u = u.Union(rn.plans[i])
		}
	}
	n := u.Compile()
	if c.needs == nil {
		c.needs = map[string]event.Need{}
	}
	c.needs[string(c.key)] = n
	return n
}
