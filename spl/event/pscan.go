package event

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"github.com/splharness/splharness/spl/internal/inorder"
	"io"
	"io/fs"
	"math/bits"
	"os"
	"runtime/debug"
	"sync"
)

// ScanOptions make reading fast for a search that needs only some events.
type ScanOptions struct {
	// Workers is how many goroutines process records; below 2 reading is
	// sequential.
	Workers int
	// Skip reports, from a record's raw bytes alone, that the caller cannot
	// want it (a search's raw pre-filter). A skipped record is counted
	// (Counts.Skipped) but neither validated nor turned into an event:
	// whatever it holds, the search could not have matched it. It runs on
	// the worker that then processes the record if it is not skipped, and
	// gets that worker's number, as process does: a caller can keep, per
	// worker, what it worked out for a record it lets through.
	Skip func(worker int, raw []byte) bool
	// SkipValid is Skip for a caller that must count every bad record (a
	// detection test, whose verdict counts rejects): a record is validated
	// first, and one it rules out is counted as accepted and skipped but
	// not made into an event. It gets the worker's number, as Skip does.
	SkipValid func(worker int, raw []byte) bool
	// GateKeys and SkipGated decide a record by the values of a few of
	// its top-level keys, read while it is validated: for each record,
	// when the validating scan settles it at once (a valid object whose
	// time is read as quickUTC reads it, no longer than the extraction
	// cutoff, no top-level key written with escapes; the keys and the
	// time fields, at most 8, each 8 to 16 bytes long), SkipGated gets, per
	// key of GateKeys, what the record holds there (GateValue). true
	// rules the record out: it is counted as accepted and skipped, as
	// SkipValid's. false lets it through, to be made into an event
	// (SkipValid is not asked). A record the scan does not settle goes to
	// SkipValid. It is ignored when Skip is set, whose records are not
	// validated. file holds the default fields (Index, Source, Sourcetype,
	// Host, File) that the record's event would have, and nothing else.
	GateKeys  []string
	SkipGated func(worker int, raw []byte, values []GateValue, file *Event) bool
	// GateObjects are keys of GateKeys whose objects the caller reads
	// (GateObject, ObjectProbe): a record that also has a top-level key
	// starting with one of them and a dot, which flattens into the same
	// names (`"userIdentity.userName": ...`), gets GateOther there.
	GateObjects []string
	// GateChildren are, per key of GateObjects, names at its object's top
	// level (at most 8) that GateValue.Found and Str report on.
	GateChildren [][]string
	// Need, when compiled (Need.Compile), is what the caller's searches
	// read: the validating scan of each record extracts those fields too,
	// and NewFields with the same Need uses them.
	Need Need
	// NeedOf, when set, is asked on the worker, for each record that
	// Skip or SkipValid has just let through there, what to extract from
	// it in place of Need (compiled, or with All): the fields of the
	// searches whose pre-filters the record passes, when a pass of many
	// searches needs far more of the others'.
	NeedOf func(worker int) Need
	// ConsumedOf, when set, is asked on the worker, for each record that
	// Skip or SkipValid has just let through there, whether Consumed's
	// promise holds for that record's event (a pass whose plans that read
	// it all use it up, where others keep the events they read): it is
	// then made in the worker's reused memory, sharing its block's text,
	// and deliver gets nil for it.
	ConsumedOf func(worker int) bool
	// ShareRaw lets the events of a block share its memory instead of
	// each copying its text: a copy per event was 15% of the CPU time of
	// a search that reads every event. Any string taken from such an event
	// (Raw, a field's value, a field's name) keeps the whole block, about
	// 256 KB, in memory; a caller that keeps events or their strings past
	// deliver must copy them (strings.Clone, value.Value.Clone) or leave
	// ShareRaw off.
	ShareRaw bool
	// Sparse keeps from deliver the events whose process result is nil:
	// they are counted, but the goroutine that delivers in order gets
	// nothing of them, and a block none of whose events has a result
	// costs it no more than its counts. For a caller whose deliver does
	// nothing with such an event (a pass whose plans took the event up on
	// its worker, or ruled it out), and counts what it must of them in
	// bulk (BlockDone).
	Sparse bool
	// BlockDone, when set, is called on a worker once it has processed a
	// block of records, and a result other than nil goes to deliver, with
	// a nil event, after the events of that block and before any later
	// one: what the worker counted of the block's events, for the caller
	// to take in, in input order, per block rather than per event. The
	// events the worker processed since its last call are that block's.
	// Records read in turn (not cut into blocks: gzip, a byte order mark,
	// one worker) are one block per file.
	BlockDone func(worker int) any
	// Consumed promises more: process uses each event up, and neither it
	// nor deliver reads the event's text or fields, or keeps any string
	// of it, once process has returned. Events then share their block's
	// memory and the block is reused as soon as it is processed: no copy
	// per event and no fresh, zeroed buffer for each block. A worker's events
	// are one Event reused, and deliver gets nil for each (with process's
	// result).
	Consumed bool
	// SkipBlock, when set with Skip or SkipValid, is asked on worker w
	// for each block of lines before its records, and may give a test
	// that rules a record of the block out as Skip or SkipValid would,
	// without their call: out(start, end), asked with the record's
	// offsets data[start:end] in the order of the block's records, true
	// when the record is ruled out (it is then handled as one Skip or
	// SkipValid ruled out). A record it does not rule out is asked of
	// Skip or SkipValid. Nil: every record is asked of them. For a
	// search that rules out nearly every record by one walk over the
	// block, as grep does, in place of a call per record.
	SkipBlock func(worker int, data []byte) (out func(start, end int) bool)
}

// Scan reads events like Read, faster: newline-delimited files are cut
// into blocks that several workers process, and records the caller skips
// cost no more than a look at their bytes. process runs on a worker for
// each event, with the worker's number (0 to so.Workers-1; 0 when reading
// is sequential), so that a caller can keep state per worker, and with
// ev.Line counted from the start of the worker's block (the lines before
// it are counted in file order, at delivery: no goroutine counts every
// line of the file ahead of the workers); deliver then
// gets every event with process's result, in the
// order Read would give them. Records of other formats (CloudTrail,
// arrays, gzip) are read as Read reads them, with process and deliver
// called in turn.
func Scan(paths []string, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	open := func(p string) (io.ReadCloser, error) { return os.Open(p) }
	return scanFiles(paths, listFiles, open, opts, so, process, deliver)
}

// ScanFS is Scan over a file system, as ReadFS is Read.
func ScanFS(fsys fs.FS, paths []string, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	list := func(p string) ([]string, []SkippedPath, error) { return listFilesFS(fsys, p) }
	open := func(p string) (io.ReadCloser, error) { return fsys.Open(p) }
	return scanFiles(paths, list, open, opts, so, process, deliver)
}

func scanFiles(paths []string, list listFunc, open func(string) (io.ReadCloser, error), opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	var total Counts
	for _, p := range paths {
		files, skipped, err := list(p)
		total.skip(skipped)
		if err != nil {
			return total, err
		}
		for _, file := range files {
			c, err := scanFile(file, open, opts, so, process, deliver)
			total.add(c)
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

func (c *Counts) add(o Counts) {
	c.Read += o.Read
	c.Accepted += o.Accepted
	c.Rejected += o.Rejected
	c.Skipped += o.Skipped
	c.TimeFallbacks += o.TimeFallbacks
	for _, f := range o.Fallbacks {
		if len(c.Fallbacks) < maxRejects {
			c.Fallbacks = append(c.Fallbacks, f)
		}
	}
	c.SkippedPaths += o.SkippedPaths - len(o.Skips)
	c.skip(o.Skips)
	for _, r := range o.Rejects {
		if len(c.Rejects) < maxRejects {
			c.Rejects = append(c.Rejects, r)
		}
	}
}

// blockSize is how much of a file one worker takes at a time: small
// enough that the block the reading goroutine has just copied in is still
// in the cache when a worker reads it (a selective search over 1 GB took
// about a tenth less CPU time with 256 KB blocks than with 1 MB ones),
// large enough that handing blocks over costs nothing to speak of.
const blockSize = 256 << 10

// block is a run of whole lines of a file and, once processed, its events.
type block struct {
	seq     int
	data    []byte
	buf     []byte // the pooled buffer data lies in
	lines   int    // lines in data (or 1, for a line cut out as too long)
	events  []*Event
	results []any
	counts  Counts
	// done is ScanOptions.BlockDone's result for the block.
	done any
	// values marks a block of records cut out of a Records or array file
	// (items), rather than of lines.
	values bool
	items  []valueItem
	// prev is the time of the last record before the block that has a
	// timestamp of its own (hasPrev), for the timestamp fallback of the
	// block's first records: only the reading goroutine sees the blocks
	// in file order.
	prev    float64
	hasPrev bool
	// mapped says data lies in a file's mapping (scanMapped), which
	// ends with the scan: an event kept past it must not share it. end
	// is where data ends in the file.
	mapped bool
	end    int
}

func scanFile(path string, open func(string) (io.ReadCloser, error), opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	plain := func() (Counts, error) {
		r := newReader(opts, open, func(ev *Event) error {
			res := process(0, ev)
			if res == nil && so.Sparse {
				return nil
			}
			return deliver(ev, res)
		})
		c, err := r.paths([]string{path}, single)
		if err == nil && so.BlockDone != nil {
			if done := so.BlockDone(0); done != nil {
				err = deliver(nil, done)
			}
		}
		return c, err
	}
	if so.Workers < 2 {
		return plain()
	}
	f, err := open(path)
	if err != nil {
		return Counts{}, err
	}
	defer f.Close()
	opts.fileTime = modTime(f)
	br := bufio.NewReaderSize(fileReader{f}, bufSize)
	head, _ := br.Peek(2)
	gz := len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b
	if gz {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return plain() // which reports the broken stream
		}
		defer zr.Close()
		br = bufio.NewReaderSize(gzipReader{zr}, bufSize)
	}
	b, _ := br.Peek(len(bom))
	hasBOM := bytes.Equal(b, bom)
	if hasBOM {
		br.Discard(len(bom))
	}
	if detect(br) {
		return scanValues(path, br, opts.withDefaults(), so, process, deliver)
	}
	if gz || hasBOM {
		return plain()
	}
	if m, ok := mapLines(f); ok {
		defer unmapFile(m)
		if afterMap != nil {
			afterMap(path)
		}
		return scanMapped(path, m, opts.withDefaults(), so, process, deliver)
	}
	return scanLines(path, br, opts.withDefaults(), so, process, deliver)
}

// scanLines processes a newline-delimited file in blocks on so.Workers
// goroutines and delivers in file order.
func scanLines(path string, br *bufio.Reader, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	return scanBlocks(path, opts, so, process, deliver, func(work chan<- *block, stop <-chan struct{}) error {
		return cutBlocks(path, br, newReader(opts, nil, nil), work, stop)
	})
}

// scanBlocks processes the blocks cut sends on so.Workers goroutines and
// delivers their events in file order.
func scanBlocks(path string, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error, cut func(work chan<- *block, stop <-chan struct{}) error) (Counts, error) {
	return scanBlocksGuarded(path, opts, so, process, deliver, cut, nil)
}

// scanBlocksGuarded is scanBlocks over blocks cut out of a mapping, when
// g is set: the workers turn a fault in it into g's error.
func scanBlocksGuarded(path string, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error, cut func(work chan<- *block, stop <-chan struct{}) error, g *mapGuard) (Counts, error) {
	work := make(chan *block, so.Workers)
	done := make(chan *block, so.Workers)
	var wg sync.WaitGroup
	for w := 0; w < so.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := newReader(opts, nil, nil) // reads blocks, not files; process takes the events
			r.pre = newPreExtract(so.Need, r.stamps)
			r.share = so.ShareRaw || so.Consumed
			if so.Consumed || so.ConsumedOf != nil {
				r.reuse = &eventFields{}
			}
			mine := func(ev *Event) any { return process(w, ev) }
			if g != nil {
				debug.SetPanicOnFault(true) // the goroutine ends with the scan
			}
			for b := range work {
				switch {
				case g == nil:
					r.block(path, b, so, w, mine)
				case g.failed.Load() || !g.run(func() { r.block(path, b, so, w, mine) }):
					*b = block{seq: b.seq} // nothing of it is delivered
				}
				done <- b
			}
		}(w)
	}
	var (
		total    Counts
		stopErr  error
		stop     = make(chan struct{})
		finished = make(chan struct{})
	)
	go func() {
		defer close(finished)
		before := 0 // lines in the blocks delivered so far
		inorder.Deliver(done, func(b *block) int { return b.seq }, func(p *block) {
			if g != nil {
				g.delivered(p.end)
			}
			if stopErr != nil || g != nil && g.failed.Load() {
				return
			}
			// A block numbers its lines from 1: only here, in file
			// order, is it known how many lines came before.
			for i := range p.counts.Rejects {
				p.counts.Rejects[i].Line += before
			}
			for i := range p.counts.Fallbacks {
				p.counts.Fallbacks[i].Line += before
			}
			for _, ev := range p.events {
				if ev != nil {
					ev.Line += before
				}
			}
			before += p.lines
			total.add(p.counts)
			for i, ev := range p.events {
				if err := deliver(ev, p.results[i]); err != nil {
					stopErr = err
					close(stop)
					return
				}
			}
			putOutcomes(p)
			if p.done != nil {
				done := p.done
				p.done = nil
				if err := deliver(nil, done); err != nil {
					stopErr = err
					close(stop)
				}
			}
		})
	}()
	readErr := cut(work, stop)
	close(work)
	wg.Wait()
	close(done)
	<-finished
	if stopErr != nil {
		return total, stopErr
	}
	if g != nil && g.failed.Load() {
		return total, g.err
	}
	return total, readErr
}

// cutBlocks reads the file and hands out blocks of whole lines. A line
// longer than the limit is cut out and handed over as a marker block, so
// that its reject keeps its place. times (a reader of the file's options)
// finds the time each block's last timed record has, for the next block's
// timestamp fallback: a look at the block's last line, as a rule.
func cutBlocks(path string, br *bufio.Reader, times *reader, work chan<- *block, stop <-chan struct{}) error {
	limit := times.opts.MaxEventBytes
	var carry, carryBuf []byte
	order := blockOrder{times: times}
	send := func(b *block) bool {
		order.number(b)
		select {
		case work <- b:
			return true
		case <-stop:
			return false
		}
	}
	for {
		// Read after the carried-over part line, so that each byte is
		// copied once (bufio hands large reads straight to the file).
		buf := getBlockBuffer(len(carry) + blockSize)
		copy(buf, carry)
		n, err := io.ReadFull(br, buf[len(carry):])
		data := buf[:len(carry)+n]
		carry = nil
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return err
		}
		cut := lastNewline(data) + 1
		if eof {
			cut = len(data)
		}
		if cut == 0 && len(data) > limit+2 {
			// One line longer than the limit: report it, skip to its end.
			if !send(&block{lines: 1, counts: Counts{Read: 1, Rejected: 1, Rejects: []Reject{{File: path, Line: 1, Reason: "line longer than MaxEventBytes (" + itoa(limit) + " bytes)"}}}}) {
				return nil
			}
			for {
				_, err := br.ReadSlice('\n')
				if err != bufio.ErrBufferFull {
					break
				}
			}
			continue
		}
		if cut < len(data) {
			// Into memory of its own, kept from block to block: a fresh
			// copy of each part line was fresh pages, dear here.
			carryBuf = append(carryBuf[:0], data[cut:]...)
			carry = carryBuf
		}
		if cut > 0 {
			chunk := data[:cut]
			if !send(&block{data: chunk, buf: buf}) {
				return nil
			}
		}
		if eof {
			return nil
		}
	}
}

// blockOrder numbers the blocks a file is cut into, in file order, and
// gives each the time of the last timed record before it (block.prev),
// from a look at the block before's last line (times, a reader of the
// file's options).
type blockOrder struct {
	times   *reader
	seq     int
	prev    float64
	hasPrev bool
}

func (o *blockOrder) number(b *block) {
	b.seq = o.seq
	o.seq++
	b.prev, b.hasPrev = o.prev, o.hasPrev
	if t, ok := o.times.lastLineTime(b.data); ok {
		o.prev, o.hasPrev = t, true
	}
}

// lastNewline is bytes.LastIndexByte(b, '\n'), 8 bytes at a time: the
// standard library's walks back a byte at a time (no assembly on amd64),
// and the reading goroutine looks back over a part line and a record
// for every block.
func lastNewline(b []byte) int {
	i := len(b)
	for ; i >= 8; i -= 8 {
		w := uint64(b[i-8]) | uint64(b[i-7])<<8 | uint64(b[i-6])<<16 | uint64(b[i-5])<<24 |
			uint64(b[i-4])<<32 | uint64(b[i-3])<<40 | uint64(b[i-2])<<48 | uint64(b[i-1])<<56
		// The high bit of each byte of x that is zero, exact (no carry
		// crosses a byte), as stopBits8 finds quotes.
		const low7 = 0x7f * ones
		x := w ^ ('\n' * ones)
		if m := ^(((x & low7) + low7) | x) & highs; m != 0 {
			return i - 8 + (63-bits.LeadingZeros64(m))/8
		}
	}
	for i--; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}

// blockBuffers recycles block buffers: unless ShareRaw, events copy their
// text out, so a buffer is free once its block is processed; with
// ShareRaw, only a block that made no event (every record skipped or
// rejected, as with a selective search) is free. It is a small free list
// rather than a sync.Pool, which every garbage collection empties: a
// third of the blocks of a 1 GB read were then fresh, zeroed megabytes.
// About seven blocks are in flight per scan, more while a worker is held
// up (the others' blocks then wait to be delivered in order): the list
// keeps enough that such a burst's buffers serve the next one, instead of
// fresh, zeroed ones.
var blockBuffers = make(chan []byte, 32)

func getBlockBuffer(size int) []byte {
	select {
	case b := <-blockBuffers:
		if cap(b) >= size {
			return b[:size]
		}
	default:
	}
	return make([]byte, size, max(size, blockSize+carryRoom))
}

// carryRoom is the room a block buffer has beyond blockSize for the part
// line carried over from the block before: with a buffer of exactly its
// first size, a longer carry the next time round found it too small, and
// half the buffers were fresh memory, zeroed and faulted in.
const carryRoom = 64 << 10

func putBlockBuffer(b []byte) {
	select {
	case blockBuffers <- b:
	default: // enough kept
	}
}

// outcomeLists recycles the lists of events and results of delivered
// blocks, as blockBuffers does their text: grown afresh for each block,
// they were an eighth of what a search that reads every event allocates.
// It keeps more lists than blocks are usually in flight, for the bursts
// of a worker held up on a loaded machine, when 7% of the blocks of a
// `stats count by eventSource` over 1 GB found it empty.
var outcomeLists = make(chan outcomes, 64)

// outcomesSize is the room a fresh block's lists are made with: about
// the records of a block of CloudTrail, so that they are not grown from
// nothing, a copy at each doubling.
const outcomesSize = 256

type outcomes struct {
	events  []*Event
	results []any
}

// getOutcomes gives a block recycled, empty lists of events and results.
func getOutcomes(b *block) {
	select {
	case o := <-outcomeLists:
		b.events, b.results = o.events, o.results
	default:
	}
}

// putOutcomes recycles a delivered block's lists, emptied so that they
// keep no event alive.
func putOutcomes(b *block) {
	if b.results == nil {
		return // a block that made no event: nothing to keep
	}
	clear(b.events)
	clear(b.results)
	select {
	case outcomeLists <- outcomes{b.events[:0], b.results[:0]}:
	default: // enough kept
	}
	b.events, b.results = nil, nil
}

// block processes the lines of one block on worker w.
func (r *reader) block(path string, b *block, so ScanOptions, w int, process func(*Event) any) {
	consumed, sparse := so.Consumed, so.Sparse // so itself would escape into r.fn
	limit := r.opts.MaxEventBytes
	r.counts = Counts{}
	getOutcomes(b)
	r.fn = func(ev *Event) error {
		res := process(ev)
		if res == nil && sparse {
			return nil
		}
		if r.consumed {
			ev = nil // used up: the worker's next record reuses it
		}
		if b.results == nil {
			b.events, b.results = make([]*Event, 0, outcomesSize), make([]any, 0, outcomesSize)
		}
		b.events = append(b.events, ev)
		b.results = append(b.results, res)
		return nil
	}
	r.lastTime, r.hasLast = b.prev, b.hasPrev
	r.unreadLines, r.unreadItems = nil, nil
	if b.values {
		r.valueBlock(path, b, so, w)
	}
	data := b.data
	if b.values {
		data = nil
	}
	var out func(start, end int) bool // ScanOptions.SkipBlock's test for the block
	if so.SkipBlock != nil && (so.Skip != nil || so.SkipValid != nil) && len(data) > 0 {
		out = so.SkipBlock(w, data)
	}
	unread := -1 // where the records ruled out unread since the last event start
	line := 1
	for ; len(data) > 0; line++ {
		start := len(b.data) - len(data)
		end := bytes.IndexByte(data, '\n')
		var text []byte
		if end < 0 {
			text, data = data, nil
		} else {
			text, data = data[:end], data[end+1:]
		}
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		}
		switch {
		case len(text) > limit:
			r.reject(path, line, "line longer than MaxEventBytes ("+itoa(limit)+" bytes)")
		case isBlank(text):
		case so.Skip != nil && (out != nil && out(start, start+len(text)) || so.Skip(w, text)):
			r.counts.Read++
			r.counts.Skipped++
			if unread < 0 {
				unread = start
			}
		case so.SkipGated != nil && r.gated(path, text, so, w):
		case !r.passed && so.SkipValid != nil && (out != nil && out(start, start+len(text)) || so.SkipValid(w, text)):
			r.validate(path, line, text)
		default:
			accepted := r.counts.Accepted
			if so.NeedOf != nil {
				r.pre = r.preExtractFor(so.NeedOf(w))
			}
			r.consumed = consumed || so.ConsumedOf != nil && so.ConsumedOf(w)
			if b.mapped && r.share && !r.consumed {
				// The event will share its text and may outlive the
				// mapping: the block moves to memory of its own.
				heap := getBlockBuffer(len(b.data))
				copy(heap, b.data)
				text = heap[start : start+len(text)]
				data = heap[len(heap)-len(data):]
				b.data, b.buf, b.mapped = heap, heap, false
			}
			if unread >= 0 {
				r.unreadLines = b.data[unread:start]
			}
			// Each filter set was asked of the record and let it through:
			// the cases above would have taken it otherwise.
			r.vetted = so.Skip != nil || r.passed || so.SkipValid != nil
			_ = r.record(path, line, text)
			r.vetted = false
			if r.counts.Accepted > accepted {
				unread = -1 // record or fallback took the time up to here
			}
		}
	}
	if !b.values && b.data != nil {
		b.lines = line - 1 // a marker block (no data) counts its one line
	}
	b.counts.add(r.counts)
	if so.BlockDone != nil {
		b.done = so.BlockDone(w)
	}
	b.data = nil
	if r.share && !consumed && len(b.events) > 0 {
		b.buf = nil // its events keep it: never recycled
	}
	if b.buf != nil {
		putBlockBuffer(b.buf)
		b.buf = nil
	}
}

// valueItem is a record cut out of a Records or array file: its text in
// its block's data, or why it was rejected while it was cut out.
type valueItem struct {
	idx        int
	start, end int
	reason     string
}

// errScanStopped ends the cutting of a file whose events are no longer
// wanted (deliver failed).
var errScanStopped = errors.New("scan stopped")

// scanValues cuts a Records or array file into blocks of records on the
// reading goroutine (values.go: only brackets and strings are followed
// there) and validates and processes the records on so.Workers
// goroutines, as scanLines does for lines. Records keep their numbers.
func scanValues(path string, br *bufio.Reader, opts Options, so ScanOptions, process func(worker int, ev *Event) any, deliver func(*Event, any) error) (Counts, error) {
	return scanBlocks(path, opts, so, process, deliver, func(work chan<- *block, stop <-chan struct{}) error {
		seq := 0
		var cur *block
		fresh := func() {
			buf := getBlockBuffer(blockSize)
			cur = &block{values: true, buf: buf, data: buf[:0]}
		}
		fresh()
		var prev float64
		var hasPrev bool
		times := newReader(opts, nil, nil)
		send := func() bool {
			cur.seq = seq
			seq++
			cur.prev, cur.hasPrev = prev, hasPrev
			for i := len(cur.items) - 1; i >= 0; i-- {
				it := cur.items[i]
				if it.reason != "" {
					continue
				}
				if t, ok := times.recordTime(cur.data[it.start:it.end]); ok {
					prev, hasPrev = t, true
					break
				}
			}
			cur.buf = cur.data[:cap(cur.data)] // where the records are, grown or not
			select {
			case work <- cur:
			case <-stop:
				return false
			}
			fresh()
			return true
		}
		cr := newReader(opts, nil, nil)
		cr.cutRecord = func(idx int, text []byte) error {
			// A block is sent before a record would outgrow its buffer:
			// growing it would be a fresh, zeroed copy.
			if len(cur.items) > 0 && (len(cur.data)+len(text) > cap(cur.data) || len(cur.items) >= maxBlockItems) {
				if !send() {
					return errScanStopped
				}
			}
			start := len(cur.data)
			cur.data = append(cur.data, text...)
			cur.items = append(cur.items, valueItem{idx: idx, start: start, end: len(cur.data)})
			return nil
		}
		cr.cutReject = func(idx int, reason string) {
			cur.items = append(cur.items, valueItem{idx: idx, reason: reason})
		}
		err := cr.values(path, br)
		if err == errScanStopped {
			return nil
		}
		if err == errStop {
			err = nil
		}
		if len(cur.items) > 0 {
			send()
		}
		return err
	})
}

// maxBlockItems caps the records of one block, so that a file of tiny
// records is still spread over the workers.
const maxBlockItems = 4096

// valueBlock processes the records of a block cut out of a Records or
// array file.
func (r *reader) valueBlock(path string, b *block, so ScanOptions, w int) {
	unread := -1 // the first item ruled out unread since the last event
	for n, it := range b.items {
		if it.reason != "" {
			r.reject(path, it.idx, it.reason)
			continue
		}
		text := b.data[it.start:it.end]
		switch {
		case so.Skip != nil && so.Skip(w, text):
			r.counts.Read++
			r.counts.Skipped++
			if unread < 0 {
				unread = n
			}
		case so.SkipGated != nil && r.gated(path, text, so, w):
		case !r.passed && so.SkipValid != nil && so.SkipValid(w, text):
			r.validate(path, it.idx, text)
		default:
			if unread >= 0 {
				r.unreadItems, r.unreadData = b.items[unread:n], b.data
			}
			accepted := r.counts.Accepted
			if so.NeedOf != nil {
				r.pre = r.preExtractFor(so.NeedOf(w))
			}
			r.consumed = so.Consumed || so.ConsumedOf != nil && so.ConsumedOf(w)
			r.vetted = so.Skip != nil || r.passed || so.SkipValid != nil
			_ = r.record(path, it.idx, text)
			r.vetted = false
			if r.counts.Accepted > accepted {
				unread = -1
			}
		}
	}
}
