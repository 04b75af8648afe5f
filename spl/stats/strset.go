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
// The table is small slots probed linearly from the hash, each the hash
// and the place of a string in strs (plus one: 0 is an empty slot), so
// that probing and growing touch 8 bytes a string, not the string.
type strSet struct {
	slots []setSlot
	strs  []string // in the order they came
	// block is the tail of the current block of copied strings: the
	// strings of a set point into its blocks, which are never written
	// over once a string is in them.
	block []byte
	last  string // the value the last add met, in the set's own memory
	ok    bool   // last is set
}

type setSlot struct {
	h uint32 // the string's hash
	i uint32 // its index in strs, plus one; 0 when the slot is empty
}

// setSeed is the seed of every set's hash: sets of one process merge
// without hashing again.
var setSeed = maphash.MakeSeed()

const (
	minSetSlots  = 8
	minBlockSize = 64
	maxBlockSize = 16 << 10
)

// len is the number of strings in the set.
func (t *strSet) len() int { return len(t.strs) }

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
		t.last, t.ok = t.strs[t.slots[at].i-1], true
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
	for at := h & mask; ; at = (at + 1) & mask {
		sl := t.slots[at]
		if sl.i == 0 {
			return int(at), false
		}
		if sl.h == h && t.strs[sl.i-1] == s {
			return int(at), true
		}
	}
}

// put stores s in empty slot at, growing the table past 3/4 full.
func (t *strSet) put(at int, h uint32, s string) {
	t.strs = append(t.strs, s)
	t.slots[at] = setSlot{h, uint32(len(t.strs))}
	if 4*len(t.strs) > 3*len(t.slots) {
		t.grow()
	}
}

func (t *strSet) grow() {
	old := t.slots
	t.slots = make([]setSlot, 2*len(old))
	mask := uint32(len(t.slots) - 1)
	for _, sl := range old {
		if sl.i == 0 {
			continue
		}
		at := sl.h & mask
		for t.slots[at].i != 0 {
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
	if len(o.strs) == 0 {
		return false
	}
	if len(t.strs) < len(o.strs) {
		small := *t
		t.slots, t.strs, t.block, t.ok = o.slots, o.strs, o.block, false
		t.mergeFrom(&small)
		return true // t ends with at least o's strings, more than it had
	}
	return t.mergeFrom(o)
}

// mergeFrom adds o's strings to t, reporting whether t gained one.
func (t *strSet) mergeFrom(o *strSet) bool {
	for 4*(len(t.strs)+len(o.strs)) > 3*len(t.slots) {
		t.grow()
	}
	added := false
	for _, sl := range o.slots {
		if sl.i == 0 {
			continue
		}
		s := o.strs[sl.i-1]
		if at, found := t.find(sl.h, s); !found {
			t.put(at, sl.h, s)
			added = true
		}
	}
	return added
}

// appendTo appends the set's strings to dst, in no order.
func (t *strSet) appendTo(dst []string) []string { return append(dst, t.strs...) }
