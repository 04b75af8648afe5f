package main

import (
	"runtime"
	"syscall"
	"unsafe"
)

// Page faults are dear on some hosts: on a Firecracker virtual machine each
// costs about 20 µs, and a pass of ESCU's 59 CloudTrail detections over
// 1 GB took 11,000 of them, nearly all in the Go heap as it grew. Where the
// kernel gives transparent huge pages only to memory that asks for them
// (the "madvise" setting, a common default), the heap never asks: the
// runtime maps it in pieces and advises nothing. adviseHugeHeap asks, for
// the heap's first arena: the 59 then take 2,000 faults
// (docs/performance.md). It is only advice: a kernel without huge pages,
// or set to "never", ignores it.

// heapArenaBytes is the size and alignment of the Go heap's arenas on
// 64-bit Linux (runtime/malloc.go).
const heapArenaBytes = 64 << 20

// madvHugepage is MADV_HUGEPAGE, which package syscall does not name.
const madvHugepage = 14

// adviseHugeHeap makes the runtime map most of its first heap arena at once,
// by allocating a block the size of an arena that nothing writes (fresh
// memory from the kernel is not cleared), asks for huge pages over the
// arena up to the block's end, and frees the block with a collection, so
// that the heap's next allocations land in the advised range, lowest
// addresses first. Called once, at the start of the process; the
// collection over a heap of a few hundred kilobytes takes well under a
// millisecond. It returns the block's place, for tests.
func adviseHugeHeap() (block, blockEnd uintptr) {
	b := make([]byte, heapArenaBytes)
	block = uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	blockEnd = block + uintptr(len(b))
	arena := block &^ (heapArenaBytes - 1)
	// Errors (ENOMEM for the unmapped gaps of the range, EINVAL where
	// the kernel has no huge pages) leave the heap as it was.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, arena, blockEnd-arena, madvHugepage)
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
	return block, blockEnd
}
