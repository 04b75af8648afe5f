package exec

import (
	"container/heap"
	"fmt"
	"math"
	"slices"

	"github.com/splharness/splharness/spl/value"
)

// heldEvent is a matched event an ordered plan holds until it can sort
// them newest first: its row, its _time, its place in the input and what
// it charged to the memory budget.
type heldEvent struct {
	row  *value.Row
	time float64
	seq  int
	size int
}

// newerFirst orders held events as they enter an ordered plan's stages:
// newest _time first, input order among equal times (docs/semantics.md,
// "Commands"). A _time that is not a number goes after every time: events
// always have one, so this only makes the order total.
func newerFirst(a, b heldEvent) int {
	an, bn := math.IsNaN(a.time), math.IsNaN(b.time)
	switch {
	case an != bn:
		if an {
			return 1
		}
		return -1
	case !an && a.time != b.time:
		if a.time > b.time {
			return -1
		}
		return 1
	}
	return a.seq - b.seq
}

// heldEvents are the matched events of an ordered plan, kept to be sorted
// newest first. When the plan's first stage is head N (Plan.firstN) only
// the N first of that order can reach its output, so at most N are kept:
// a heap whose top is the last of them, which a newer event replaces.
type heldEvents struct {
	plan   *Plan
	events []heldEvent
	seq    int
	bytes  int // what the held events charged to the memory budget
}

// add holds one matched row, or drops it (or the one it replaces) when
// the plan needs only its first N.
func (h *heldEvents) add(row *value.Row) error {
	e := heldEvent{row: row, time: rowTime(row), seq: h.seq}
	h.seq++
	pl := h.plan
	if pl.bounded && len(h.events) >= pl.firstN {
		if len(h.events) == 0 || newerFirst(e, h.events[0]) > 0 {
			return nil
		}
		h.bytes -= h.events[0].size
		pl.mem.release(h.events[0].size)
		e.size = rowSize(row)
		h.events[0] = e
		heap.Fix((*lastOnTop)(&h.events), 0)
		h.bytes += e.size
		return pl.mem.charge("events held to sort newest first", e.size)
	}
	if max := pl.opts.MaxResultRows; len(h.events) >= max {
		return &LimitError{Limit: "maxresultrows", Msg: fmt.Sprintf("more than %d matched events held to sort newest first (limit maxresultrows)", max)}
	}
	e.size = rowSize(row)
	h.bytes += e.size
	if err := pl.mem.charge("events held to sort newest first", e.size); err != nil {
		return err
	}
	if pl.bounded {
		heap.Push((*lastOnTop)(&h.events), e)
	} else {
		h.events = append(h.events, e)
	}
	return nil
}

// sorted gives the held rows newest first and releases what they charged.
func (h *heldEvents) sorted() []*value.Row {
	slices.SortFunc(h.events, newerFirst)
	rows := make([]*value.Row, len(h.events))
	for i, e := range h.events {
		rows[i] = e.row
	}
	h.events = nil
	h.plan.mem.release(h.bytes)
	h.bytes = 0
	return rows
}

// lastOnTop is a heap of held events whose top is the one that comes last
// newest first: the one a newer event replaces.
type lastOnTop []heldEvent

func (q lastOnTop) Len() int           { return len(q) }
func (q lastOnTop) Less(i, j int) bool { return newerFirst(q[i], q[j]) > 0 }
func (q lastOnTop) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *lastOnTop) Push(x any)        { *q = append(*q, x.(heldEvent)) }
func (q *lastOnTop) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
