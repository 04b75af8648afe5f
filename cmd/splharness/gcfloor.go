package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
)

// gcFloor is heap the garbage collector counts but the program never
// touches, so it costs address space, not memory: reading events makes
// about 2.5 GB of short-lived garbage per GB of CloudTrail over a live heap
// of 15-25 MB, and with the default pacing (collect when the heap doubles)
// that was 166 collections, a quarter of the CPU time with their write
// barriers and preemptions. Counting 64 MB more live data spaces them out
// about four times as far; a large live heap (many stats groups) paces as
// before. docs/performance.md has the figures.
//
// The floor is laid only by a command about to read that much
// (raiseGCFloor): allocating it sets off a collection at once, 4-7 ms of
// CPU, a sixth of a short search's, for input whose garbage the default
// pacing collects in a few cheap collections.
//
// And only once the read has shown that it makes garbage fast
// (gcFloorAfter): most large reads now make little, their events used up
// in reused memory on the workers, and for them the floor cost more than
// it spared. Every byte allocated under it is fresh memory, faulted in
// and zeroed, where without it the collector hands back the same few
// megabytes, in the cache: ESCU's 59 CloudTrail detections over 1 GB
// made 12-13 collections without it, and took 5-20% more CPU time and
// 40 MB more peak RSS with it; a pass whose rows go on to stages on one
// goroutine (`* | eval n=1 | stats count by eventSource`) made 478, and
// took half as much CPU time again without it. docs/performance.md has
// the figures.
const gcFloor = 64 << 20

// gcFloorAfter is how many collections a read makes before the floor is
// laid: more than a gigabyte of ESCU's 59 CloudTrail detections makes, a
// small part of one that makes garbage at every event.
const gcFloorAfter = 16

// gcFloorChunk is the size of each of the floor's pieces. In one piece,
// the runtime cleared all 64 MB whenever the span it found began in heap
// that the start-up had used and freed (it clears a span whole when any of
// it may be dirty): in a third of the runs of ESCU's 59 CloudTrail
// searches, 16,000 page faults and 64 MB more peak RSS. In 1 MB pieces,
// only those laid in such used heap are cleared, and their pages are
// resident already.
const gcFloorChunk = 1 << 20

var (
	floorOnce sync.Once
	floor     [][]byte
)

// raiseGCFloor lays the GC floor once gcFloorAfter collections have run
// from now, once per process; the package variable keeps it alive.
func raiseGCFloor() {
	floorOnce.Do(func() { afterCollections(gcFloorAfter, layGCFloor) })
}

// layGCFloor lays the floor. It runs on the goroutine of the finalizers
// (afterCollections), and nothing reads floor.
func layGCFloor() {
	// No collection while the pieces are laid (the heap doubles with
	// every few of them): one after, as for the floor in one piece.
	gcPercent := debug.SetGCPercent(-1)
	floor = make([][]byte, gcFloor/gcFloorChunk)
	for i := range floor {
		floor[i] = make([]byte, gcFloorChunk)
	}
	debug.SetGCPercent(gcPercent)
}

// gcSentinel is garbage whose finalizer tells that a collection has run:
// large enough and with a pointer, so that it is an object of its own,
// never one the tiny allocator packs with others that may live on.
type gcSentinel struct{ _ [4]*byte }

// afterCollections calls fn, on the goroutine of the finalizers, once at
// least n collections have run from now. It costs nothing between them:
// each collection finds the last sentinel unreachable and queues its
// finalizer, which leaves the next one.
func afterCollections(n int, fn func()) {
	s := new(gcSentinel)
	runtime.SetFinalizer(s, func(*gcSentinel) {
		if n <= 1 {
			fn()
			return
		}
		afterCollections(n-1, fn)
	})
}

// readsMuch reports whether events read from paths (files and folders, as
// --data and --attack-data name them) can reach gcFloor bytes: a folder's
// files are counted, standard input ("-") and anything that cannot be
// measured count as much.
func readsMuch(paths []string) bool {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return true
		}
		st, err := os.Stat(p)
		if err != nil {
			return true // the read reports it
		}
		if !st.IsDir() {
			total += st.Size()
			continue
		}
		err = filepath.WalkDir(p, func(_ string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				total += info.Size()
				if total >= gcFloor {
					return filepath.SkipAll
				}
			}
			return nil
		})
		if err != nil {
			return true
		}
	}
	return total >= gcFloor
}
