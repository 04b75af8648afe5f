package engine

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// ParseEach parses each of srcs as Parse does and calls yield with the
// results in order: yield(i, ...) comes after yield(i-1, ...), as soon as
// search i is parsed. The parsing runs on up to GOMAXPROCS goroutines,
// ahead of yield, so that a caller that compiles each search as it comes
// compiles one while the next ones parse (ESCU's 59 CloudTrail searches
// spent a tenth of their start-up parsing, one after another). yield
// returning false stops it: no more parses start, and ParseEach returns
// once those under way end. macros must not change meanwhile; Parse only
// reads them.
func ParseEach(srcs []*diag.Source, macros *macro.Set, opts Options, yield func(i int, s *Search, problems diag.List) bool) {
	workers := min(runtime.GOMAXPROCS(0), len(srcs))
	if workers <= 1 {
		for i, src := range srcs {
			s, problems := Parse(src, macros, opts)
			if !yield(i, s, problems) {
				return
			}
		}
		return
	}
	type parsed struct {
		s        *Search
		problems diag.List
		done     chan struct{}
	}
	results := make([]parsed, len(srcs))
	for i := range results {
		results[i].done = make(chan struct{})
	}
	var next atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop.Store(true)
	for range workers {
		wg.Go(func() {
			for !stop.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(srcs) {
					return
				}
				r := &results[i]
				r.s, r.problems = Parse(srcs[i], macros, opts)
				close(r.done)
			}
		})
	}
	for i := range results {
		r := &results[i]
		<-r.done
		if !yield(i, r.s, r.problems) {
			return
		}
	}
}
