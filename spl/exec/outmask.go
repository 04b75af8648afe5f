package exec

import (
	"encoding/binary"
	"unsafe"
)

// outMask is the pre-filters' answers for at most 64 plans as bits: bit
// i is outs[i]. Eight answers are packed at a time: with 59 plans, the
// loops of a bool each that worked out the plans a record reaches, for
// its need, for whether only partial stats read it, and for offer, cost
// more than the plans' stats for most records.
func outMask(outs []bool) uint64 {
	// A bool is one byte, 0 or 1.
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(outs))), len(outs))
	var m uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		// Byte k (0 or 1) of w lands at bit 56+k of the product, and no
		// other byte's does: bits 56 to 63 are the eight answers.
		w := binary.LittleEndian.Uint64(b[i:])
		m |= (w * 0x0102040810204080 >> 56) << i
	}
	for ; i < len(b); i++ {
		m |= uint64(b[i]) << i
	}
	return m
}

// allPlans is the set of n plans (n at most 64), bit i for plan i.
func allPlans(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

// reachedMask is the set of plans the answers outs let through (false),
// bit i for plan i, of at most 64.
func reachedMask(outs []bool) uint64 { return ^outMask(outs) & allPlans(len(outs)) }
