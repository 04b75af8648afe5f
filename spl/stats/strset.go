package stats

import (
	"hash/maphash"
	"strings"
	"unsafe"
)

// strSet is the set of distinct strings behind dc() and values(). A Go
// map costs a set two hashes for each new value (a look, then an insert
// under a copied key) and one allocation for the copy; strSet hashes once,
// keeps each string's hash in its table (growing moves entries without
// hashing them again, merging takes another set's entries with their
// hashes), and copies new strings into large shared blocks instead of one
// allocation each. CloudTrail's values(src) meets a new address on about
// every other row of a group.
//
// The table is 16-byte slots probed linearly from the hash, each a
// string's hash, length and bytes.
type strSet struct {
	slots []setSlot
	n     int
	// block is the tail of the current block of copied strings: the
	// strings of a set point into its blocks, which are never written
	// over once a string is in them.
	block []byte
	last  string // the value the last add met, in the set's own memory
	ok    bool   // last is set
}

// setSlot is one string of a set: n is its length plus one (0 for an
// empty slot), p its bytes. A string's length is far below 4 GiB: values
// are capped (eval's max_value_bytes, an event's TRUNCATE).
type setSlot struct {
	p *byte
	n uint32
	h uint32
}

func (sl *setSlot) str() string { return unsafe.String(sl.p, sl.n-1) }

// setSeed is the seed of every set's hash: sets of one process merge
// without hashing again.
var setSeed = maphash.MakeSeed()

const (
	minSetSlots  = 8
	minBlockSize = 64
	maxBlockSize = 16 << 10
)

// len is the number of strings in the set.
func (t *strSet) len() int { return t.n }

// add puts s in the set (copied, so s may share another's memory) and
// reports whether it was new. A run of the same value costs one string
// comparison each after the first: rows of a group often repeat a value.
func (t *strSet) add(s string) bool {
	if t.ok && t.last == s {
		return false
	}
	h := uint32(maphash.String(setSeed, s))
	at, found := t.find(h, s)
	if found {
		t.last, t.ok = t.slots[at].str(), true
		return false
	}
	s = t.copy(s)
	t.put(at, h, s)
	t.last, t.ok = s, true
	return true
}

// find is the slot holding s (found), or the empty slot where s goes.
// The table is allocated on first use.
func (t *strSet) find(h uint32, s string) (int, bool) {
	if t.slots == nil {
		t.slots = make([]setSlot, minSetSlots)
	}
	mask := uint32(len(t.slots) - 1)
	n := uint32(len(s)) + 1
	for at := h & mask; ; at = (at + 1) & mask {
		sl := &t.slots[at]
		if sl.n == 0 {
			return int(at), false
		}
		if sl.h == h && sl.n == n && sl.str() == s {
			return int(at), true
		}
	}
}

// put stores s, held by the set, in empty slot at, growing the table
// past 3/4 full.
func (t *strSet) put(at int, h uint32, s string) {
	t.slots[at] = setSlot{p: unsafe.StringData(s), n: uint32(len(s)) + 1, h: h}
	t.n++
	if 4*t.n > 3*len(t.slots) {
		t.grow()
	}
}

func (t *strSet) grow() {
	old := t.slots
	t.slots = make([]setSlot, 2*len(old))
	mask := uint32(len(t.slots) - 1)
	for _, sl := range old {
		if sl.n == 0 {
			continue
		}
		at := sl.h & mask
		for t.slots[at].n != 0 {
			at = (at + 1) & mask
		}
		t.slots[at] = sl
	}
}

// copy is s in the set's own memory.
func (t *strSet) copy(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > cap(t.block)-len(t.block) {
		if len(s) > maxBlockSize/4 {
			return strings.Clone(s) // a long value is a block of its own
		}
		// Blocks double from a small first one: a set of a few short
		// values (one caller's agents) stays small.
		t.block = make([]byte, 0, min(max(2*cap(t.block), minBlockSize, 2*len(s)), maxBlockSize))
	}
	start := len(t.block)
	t.block = append(t.block, s...)
	return unsafe.String(&t.block[start], len(s))
}

// merge adds o's strings to t, without copying them (they stay in o's
// memory, which nothing writes over); o is not used afterwards. It
// reports whether t gained a string. The smaller set goes into the larger:
// t takes o's table when o's is larger, and makes room for the other's
// strings at once.
func (t *strSet) merge(o *strSet) bool {
	if o.n == 0 {
		return false
	}
	if t.n < o.n {
		small := *t
		t.slots, t.n, t.block, t.ok = o.slots, o.n, o.block, false
		t.mergeFrom(&small)
		return true // t ends with at least o's strings, more than it had
	}
	return t.mergeFrom(o)
}

// mergeFrom adds o's strings to t, reporting whether t gained one.
func (t *strSet) mergeFrom(o *strSet) bool {
	for 4*(t.n+o.n) > 3*len(t.slots) {
		t.grow()
	}
	added := false
	for i := range o.slots {
		sl := &o.slots[i]
		if sl.n == 0 {
			continue
		}
		s := sl.str()
		if at, found := t.find(sl.h, s); !found {
			t.put(at, sl.h, s)
			added = true
		}
	}
	return added
}

// appendTo appends the set's strings to dst, in no order.
func (t *strSet) appendTo(dst []string) []string {
	for i := range t.slots {
		if t.slots[i].n != 0 {
			dst = append(dst, t.slots[i].str())
		}
	}
	return dst
}
