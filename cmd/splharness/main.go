package main

import (
	"os"
	"runtime"
)

// gcFloor is heap the garbage collector counts but the program never
// touches, so it costs address space, not memory: reading events makes
// about 2.5 GB of short-lived garbage per GB of CloudTrail over a live heap
// of 15-25 MB, and with the default pacing (collect when the heap doubles)
// that was 166 collections, a quarter of the CPU time with their write
// barriers and preemptions. Counting 64 MB more live data spaces them out
// about four times as far; a large live heap (many stats groups) paces as
// before. docs/performance.md has the figures.
const gcFloor = 64 << 20

func main() {
	floor := make([]byte, gcFloor)
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	runtime.KeepAlive(floor)
	os.Exit(code)
}
