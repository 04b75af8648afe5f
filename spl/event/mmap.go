package event

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// mapThreshold is the size from which a newline-delimited file is mapped
// rather than read (scanFile): below it, mapping and unmapping cost more
// than the copies they spare.
var mapThreshold int64 = 32 << 20

// releaseStep is how much of a mapping is processed before its pages are
// released (mapGuard.delivered): far fewer calls than blocks, and little
// memory held.
const releaseStep = 8 << 20

// mapLines maps f for scanMapped when it is a regular file of at least
// mapThreshold bytes, and reports false (the file is read) otherwise or
// when mapping fails.
func mapLines(f any) ([]byte, bool) {
	file, ok := f.(*os.File)
	if !ok {
		return nil, false
	}
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < mapThreshold || info.Size() == 0 {
		return nil, false
	}
	m, err := mapFile(file, info.Size())
	if err != nil {
		return nil, false
	}
	if !mapPays(file, m) {
		unmapFile(m)
		return nil, false
	}
	return m, true
}

// probeBytes is how much of a file mapPays copies and touches: a block,
// 64 pages, into a block buffer that the read then reuses (a fresh buffer
// would cost the very page faults the probe weighs).
const probeBytes = blockSize

// mapPays reports whether scanning a file through its mapping m costs less
// than reading it. Which one does depends on the host, and by a factor of
// ten (docs/performance.md): where a page's first touch through a mapping
// is cheap, mapping spares the kernel's copy of each byte; in a virtual
// machine whose hypervisor traps that first touch, each page costs several
// times its copy. So it tries both on the file's first probeBytes: it
// copies them three times (the first brings them and the buffer in; the
// faster of the other two is the copy's cost) and touches each of their
// pages in m once, and says whether the touch was the cheaper. The pages
// touched stay mapped for the scan. A tie or a fault (the file shrank)
// reads. A variable, so that tests can map every file.
var mapPays = func(f *os.File, m []byte) (pays bool) {
	n := min(len(m), probeBytes)
	buf := getBlockBuffer(n)
	defer putBlockBuffer(buf)
	copyCost := time.Duration(math.MaxInt64)
	for i := range 3 {
		start := time.Now()
		if _, err := f.ReadAt(buf, 0); err != nil {
			return false
		}
		if d := time.Since(start); i > 0 {
			copyCost = min(copyCost, d)
		}
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			pays = false
		}
	}()
	start := time.Now()
	touchSink.Store(int64(touchPages(m[:n])))
	return time.Since(start) < copyCost
}

// touchSink keeps touchPages's reads from being optimised away; atomic,
// as files may be probed on several goroutines at once.
var touchSink atomic.Int64

// touchPages reads one byte of each page of m and returns their sum.
func touchPages(m []byte) int {
	sum := 0
	for i := 0; i < len(m); i += pageSize {
		sum += int(m[i])
	}
	return sum
}

// pageSize is the size of the pages touchPages reads one byte of.
var pageSize = os.Getpagesize()

// mapGuard turns a fault in a file's mapping into an error: a file that
// shrinks while mapped faults (SIGBUS) where its end was, which would end
// the process. The goroutines that touch the mapping (the cutter and the
// workers, whose process reads events made in it) panic on faults
// (debug.SetPanicOnFault) and run under guard.run.
type mapGuard struct {
	path     string
	mem      []byte
	failed   atomic.Bool
	once     sync.Once
	err      error
	released int // bytes of mem released so far (delivered)
	// ahead holds a token for each block cut and not yet delivered:
	// blocks that wait behind one a worker holds (delivery is in order)
	// keep their pages, and would otherwise pile up without bound.
	ahead chan struct{}
}

// maxAhead is how many blocks may be cut and not yet delivered: 16 MB.
const maxAhead = 64

// run calls f and reports whether it returned; a fault in the mapping
// ends f and fails the guard. Any other panic goes on.
func (g *mapGuard) run(f func()) (ok bool) {
	defer func() {
		if e := recover(); e != nil {
			if !g.fault(e) {
				panic(e)
			}
			ok = false
		}
	}()
	f()
	return true
}

func (g *mapGuard) fault(e any) bool {
	fe, ok := e.(interface{ Addr() uintptr })
	if !ok {
		return false
	}
	a, base := fe.Addr(), uintptr(unsafe.Pointer(unsafe.SliceData(g.mem)))
	if a < base || a >= base+uintptr(len(g.mem)) {
		return false
	}
	g.once.Do(func() {
		g.err = &ioError{fmt.Errorf("read %s: the file changed while being read (it is shorter than the %d bytes it had)", g.path, len(g.mem))}
		g.failed.Store(true)
	})
	return true
}

// delivered takes back the token of a block about to be delivered, and
// releases the pages of the mapping before end, the block's end in the
// file (0 for a block of none), once that is releaseStep past what was
// released: the blocks before end are processed, and nothing made of
// them reads the mapping any more (events that keep their text copy it
// out first: reader.block). A page read again all the same would be
// mapped again, not lost.
func (g *mapGuard) delivered(end int) {
	<-g.ahead
	if end-g.released < releaseStep {
		return
	}
	upTo := end &^ (pageSize - 1)
	releaseMapped(g.mem[g.released:upTo])
	g.released = upTo
}

// scanMapped is scanLines over a file's mapping m: blocks are cut out of
// it, not copied.
func scanMapped(path string, m []byte, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	g := &mapGuard{path: path, mem: m, ahead: make(chan struct{}, maxAhead)}
	return scanBlocksGuarded(path, opts, so, process, deliver, func(work chan<- *block, stop <-chan struct{}) error {
		old := debug.SetPanicOnFault(true)
		defer debug.SetPanicOnFault(old)
		var err error
		if !g.run(func() { err = cutMapped(path, m, blockSize, newReader(opts, nil, nil), work, stop, g) }) {
			return g.err
		}
		return err
	}, g)
}

// cutMapped hands out blocks of whole lines of m, as cutBlocks does of a
// file it reads: blocks of at most size bytes (unless one line is
// longer), and a line longer than the limit with no end within it cut out
// as a marker block.
func cutMapped(path string, m []byte, size int, times *reader, work chan<- *block, stop <-chan struct{}, g *mapGuard) error {
	limit := times.opts.MaxEventBytes
	order := blockOrder{times: times}
	send := func(b *block) bool {
		order.number(b)
		select {
		case g.ahead <- struct{}{}:
		case <-stop:
			return false
		}
		select {
		case work <- b:
			return true
		case <-stop:
			return false
		}
	}
	for pos := 0; pos < len(m); {
		if g.failed.Load() {
			return nil
		}
		end := min(pos+size, len(m))
		if end < len(m) {
			// A line of limit+3 bytes or more with no end in sight is
			// too long to hand over (cutBlocks' test).
			long := limit <= len(m)-pos-3
			far := len(m)
			if long {
				far = pos + limit + 3
			}
			if nl := lastNewline(m[pos:end]); nl >= 0 {
				end = pos + nl + 1
			} else if nl := bytes.IndexByte(m[min(end, far):far], '\n'); nl >= 0 {
				end = min(end, far) + nl + 1 // one line, and its end
			} else if long {
				// One line longer than the limit: report it, skip to its end.
				if !send(&block{lines: 1, counts: Counts{Read: 1, Rejected: 1, Rejects: []Reject{{File: path, Line: 1, Reason: "line longer than MaxEventBytes (" + itoa(limit) + " bytes)"}}}}) {
					return nil
				}
				nl := bytes.IndexByte(m[pos+limit+3:], '\n')
				if nl < 0 {
					return nil
				}
				pos += limit + 3 + nl + 1
				continue
			} else {
				end = len(m) // the last line, unended
			}
		}
		if !send(&block{data: m[pos:end], mapped: true, end: end}) {
			return nil
		}
		pos = end
	}
	return nil
}

// afterMap, when set (by tests), is called once a file is mapped, before
// it is cut into blocks.
var afterMap func(path string)
