//go:build !linux

package main

// adviseHugeHeap asks for huge pages only on Linux (hugeheap_linux.go).
func adviseHugeHeap() (block, blockEnd uintptr) { return 0, 0 }
