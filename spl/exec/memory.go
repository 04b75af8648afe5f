package exec

import (
	"fmt"
	"sync/atomic"

	"github.com/splharness/splharness/spl/value"
)

// DefaultMaxMemMB is the default memory budget of one run of a search,
// max_mem_usage_mb: what its blocking commands hold (sorted and collected
// rows, stats groups, events held to sort newest first), as estimated,
// not measured. Splunk's own max_mem_usage_mb (200 MB, [default] in
// limits.conf) bounds a batch before stats spills to disk; the harness
// does not spill, so its budget is what one machine can hold and a
// search that needs more stops with an error naming the limit.
const DefaultMaxMemMB = 4096

// memBudget is the estimated memory a run of a search holds. The stages
// of the ordered goroutine and stats on the workers charge it, so it is
// atomic.
type memBudget struct {
	max  int64
	used atomic.Int64
}

func newMemBudget(mb int) *memBudget {
	if mb <= 0 {
		mb = DefaultMaxMemMB
	}
	return &memBudget{max: int64(mb) << 20}
}

// charge adds n bytes held by what; over the budget it is the
// max_mem_usage_mb error.
func (b *memBudget) charge(what string, n int) error {
	if b == nil {
		return nil
	}
	if b.used.Add(int64(n)) > b.max {
		return &LimitError{Limit: "max_mem_usage_mb", Msg: fmt.Sprintf("%s: the search holds more than %d MB (estimated; limit max_mem_usage_mb)", what, b.max>>20)}
	}
	return nil
}

// release gives back n bytes that are no longer held.
func (b *memBudget) release(n int) {
	if b != nil {
		b.used.Add(-int64(n))
	}
}

// reset empties the budget for a new run.
func (b *memBudget) reset() {
	if b != nil {
		b.used.Store(0)
	}
}

// groupSize estimates the memory of a new group: its key, one
// aggregator per function, and the map entry.
func groupSize(key string, aggs int) int { return 128 + 2*len(key) + 96*aggs }

// rowSize estimates a row held by a blocking command.
func rowSize(r *value.Row) int { return 8 + r.Size() }
