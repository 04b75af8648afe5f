package main

import (
	"os"
	"path/filepath"
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
const gcFloor = 64 << 20

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

// raiseGCFloor lays the GC floor, once per process; the package variable
// keeps it alive.
func raiseGCFloor() {
	floorOnce.Do(func() {
		// No collection while the pieces are laid (the heap doubles with
		// every few of them): one after, as for the floor in one piece.
		gcPercent := debug.SetGCPercent(-1)
		floor = make([][]byte, gcFloor/gcFloorChunk)
		for i := range floor {
			floor[i] = make([]byte, gcFloorChunk)
		}
		debug.SetGCPercent(gcPercent)
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
