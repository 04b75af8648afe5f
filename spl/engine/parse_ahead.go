package engine

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// Parses are searches being parsed ahead of their use, on other
// goroutines (ParseAhead), or each in its turn (ParseInTurn); Each hands
// them out in order.
type Parses struct {
	// srcs, macros and opts are kept by ParseInTurn, whose Each parses.
	srcs    []*diag.Source
	macros  *macro.Set
	opts    Options
	inTurn  bool
	results []parsed
	next    atomic.Int64
	stop    atomic.Bool
	wg      sync.WaitGroup
}

type parsed struct {
	s        *Search
	problems diag.List
	done     chan struct{}
}

// ParseAhead starts parsing each of srcs as Parse does, on up to
// GOMAXPROCS goroutines, in order, and returns at once: the caller goes
// on with other work (loading the knowledge, compiling the searches
// already parsed) while they parse. ESCU's 59 CloudTrail searches spent a
// tenth of their start-up parsing, one after another. macros must not
// change until Each or Stop returns; Parse only reads them.
func ParseAhead(srcs []*diag.Source, macros *macro.Set, opts Options) *Parses {
	p := &Parses{results: make([]parsed, len(srcs))}
	for i := range p.results {
		p.results[i].done = make(chan struct{})
	}
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		p.wg.Go(func() {
			for !p.stop.Load() {
				i := int(p.next.Add(1) - 1)
				if i >= len(srcs) {
					return
				}
				r := &p.results[i]
				r.s, r.problems = Parse(srcs[i], macros, opts)
				close(r.done)
			}
		})
	}
	return p
}

// ParseInTurn is ParseAhead without the goroutines: Each parses each
// search when its turn comes. Waking a goroutine costs more than it
// saves for a search or two over few macros (the embedded content's).
func ParseInTurn(srcs []*diag.Source, macros *macro.Set, opts Options) *Parses {
	return &Parses{srcs: srcs, macros: macros, opts: opts, inTurn: true}
}

// Each calls yield with each search's result in order: yield(i, ...)
// comes after yield(i-1, ...), as soon as search i is parsed. yield
// returning false stops it, as Stop does. Each is called at most once,
// and never after Stop.
func (p *Parses) Each(yield func(i int, s *Search, problems diag.List) bool) {
	if p.inTurn {
		for i, src := range p.srcs {
			s, problems := Parse(src, p.macros, p.opts)
			if !yield(i, s, problems) {
				return
			}
		}
		return
	}
	defer p.Stop()
	for i := range p.results {
		r := &p.results[i]
		<-r.done
		if !yield(i, r.s, r.problems) {
			return
		}
	}
}

// Stop starts no more parses and returns once those under way end. It
// may be called again.
func (p *Parses) Stop() {
	p.stop.Store(true)
	p.wg.Wait()
}
