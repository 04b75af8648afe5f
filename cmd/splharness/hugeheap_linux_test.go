package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestAdviseHugeHeap: after adviseHugeHeap, the heap memory its block
// took, where the process's next allocations go (in a process as fresh as
// main's; here other tests have grown the heap), lies in mappings that ask
// for huge pages ("hg" in their VmFlags, proc(5)), where the kernel has
// transparent huge pages at all.
func TestAdviseHugeHeap(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages:", err)
	}
	block, end := adviseHugeHeap()
	for _, addr := range []uintptr{block, end - 1} {
		flags, err := vmFlags(addr)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(" "+flags+" ", " hg ") {
			t.Errorf("heap memory at %#x: VmFlags %q, want hg among them", addr, flags)
		}
	}
}

// vmFlags returns the VmFlags line of the mapping of this process that
// holds addr, from /proc/self/smaps.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}
