package event

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// bufSize is the read buffer: CloudTrail records are a few KB, so most
// lines are read without copying.
const bufSize = 64 << 10

// Read reads the events of files and folders (walked recursively, files
// in lexical order, hidden files and folders skipped) and calls fn for
// each, in file order. A file is newline-delimited JSON (one object per
// line), a CloudTrail file {"Records":[...]} or a JSON array of objects
// (values.go), each possibly gzip-compressed; the format is told from the
// content.
//
// A record that cannot be an event (invalid JSON or UTF-8, too long, not
// an object, no or a bad timestamp, a truncated or corrupt gzip stream) is
// counted and listed in the Counts, and reading goes on. Read returns an
// error when a path cannot be read, or the error fn returns.
func Read(paths []string, opts Options, fn func(*Event) error) (Counts, error) {
	r := newReader(opts, func(p string) (io.ReadCloser, error) { return os.Open(p) }, fn)
	return r.paths(paths, listFiles)
}

// newReader makes a reader of events with opts (defaults filled in) that
// opens files with open and hands events to fn.
func newReader(opts Options, open func(path string) (io.ReadCloser, error), fn func(*Event) error) *reader {
	opts = opts.withDefaults()
	return &reader{
		opts: opts, open: open, fn: fn,
		stamps:    stampFinderFor(opts.Sourcetype, opts.TimeField),
		strict:    opts.Sourcetype == cloudtrail,
		fileTime:  opts.fileTime,
		indexTime: float64(time.Now().Unix()),
	}
}

// paths reads the files each path names (by list), in order.
func (r *reader) paths(paths []string, list listFunc) (Counts, error) {
	for _, p := range paths {
		files, skipped, err := list(p)
		r.counts.skip(skipped)
		if err != nil {
			return r.counts, err
		}
		for _, file := range files {
			if err := r.file(file); err != nil {
				return r.counts, err
			}
		}
	}
	return r.counts, nil
}

// listFunc returns the files a path names, and the entries under it that
// are not read, with why.
type listFunc func(path string) (files []string, skipped []SkippedPath, err error)

// single lists a path as the one file it is.
func single(p string) ([]string, []SkippedPath, error) { return []string{p}, nil, nil }

// listFiles returns the files a path names: itself, or the files under a
// folder, and the entries of the folder it does not read. A path that is
// neither a regular file nor a folder (a FIFO, a device) is refused: a
// FIFO with no writer blocks forever, a device such as /dev/zero never
// ends.
func listFiles(root string) ([]string, []SkippedPath, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, nil, fmt.Errorf("%s is %s, not a regular file or folder: refused, as reading it could block or never end", root, FileKind(info.Mode()))
		}
		return []string{root}, nil, nil
	}
	var files []string
	var skipped []SkippedPath
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				skipped = append(skipped, SkippedPath{path, "hidden folder (name starts with .)"})
				return filepath.SkipDir
			}
			skipped = append(skipped, SkippedPath{path, "hidden file (name starts with .)"})
			return nil
		}
		switch {
		case d.IsDir():
		case d.Type().IsRegular():
			files = append(files, path)
		case d.Type()&fs.ModeSymlink != 0:
			st, err := os.Stat(path)
			switch {
			case err != nil:
				skipped = append(skipped, SkippedPath{path, "dangling symbolic link (" + err.Error() + ")"})
			case st.Mode().IsRegular():
				files = append(files, path)
			case st.IsDir():
				skipped = append(skipped, SkippedPath{path, "symbolic link to a folder (not followed)"})
			default:
				skipped = append(skipped, SkippedPath{path, "symbolic link to " + FileKind(st.Mode()) + ", not a regular file"})
			}
		default:
			skipped = append(skipped, SkippedPath{path, FileKind(d.Type()) + ", not a regular file"})
		}
		return nil
	})
	sort.Strings(files)
	return files, skipped, err
}

// FileKind names the kind of file a mode is, with its article ("a FIFO
// (named pipe)"), for messages about files that are not read.
func FileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "an irregular file"
}

type reader struct {
	open   func(path string) (io.ReadCloser, error)
	opts   Options
	fn     func(*Event) error
	counts Counts
	stamps *stampFinder
	strict bool
	line   []byte
	hold   []byte   // the members of an object read so far (values.go)
	cut    cutState // the structure of the value being cut out (values.go)
	scan   stampScan
	pre    *preExtract // set when the reader extracts a search's fields too
	// consumed says the record being read is used up by process
	// (ScanOptions.Consumed, ConsumedOf): its event is reuse, its text
	// the block's.
	consumed bool
	// pres are the setups for the Needs ScanOptions.NeedOf gave, by
	// matcher.
	pres  map[*matcher]*preExtract
	share bool // records' text stays in the block (ScanOptions.ShareRaw)
	// reuse, when set, is the one event every record becomes in turn
	// (ScanOptions.Consumed: nothing keeps an event past process).
	reuse *eventFields
	// fieldsHint is how many fields the last record's extraction kept:
	// a new event's Fields gets room for that many at once, rather than
	// growing its list (and hash table) by doubling.
	fieldsHint int
	// cutRecord and cutReject, when set, take the records of a Records or
	// array file and its rejects instead of record and reject: Scan's
	// reading goroutine hands them to workers (scanValues).
	cutRecord func(idx int, text []byte) error
	cutReject func(idx int, reason string)

	// The times a record without a readable timestamp falls back on
	// (fallback): the last event's of the same file, the file's
	// modification time, the time of reading.
	lastTime  float64
	hasLast   bool
	fileTime  float64 // zero when unknown
	indexTime float64
	// unreadLines, or unreadItems of unreadData, are the records just
	// before the current one that were ruled out unread
	// (ScanOptions.Skip): lastTime does not know of their times.
	unreadLines, unreadData []byte
	unreadItems             []valueItem
	// gate is quickGate's memory; passed says ScanOptions.SkipGated let
	// the record being read through (reader.gated).
	gate   gateScan
	passed bool
	// vetted is set while record makes the event of a record a filter was
	// asked of and let through (Event.Vetted).
	vetted bool
	// leaves and qsc serve quickExtract, one per reader.
	leaves []quickLeaf
	qsc    scanner
}

// errStop ends the reading of one file after a reject that leaves the
// rest of it unreadable.
var errStop = errors.New("stop reading the file")

// ioError is a failure to read a file, as opposed to bad content.
type ioError struct{ err error }

func (e *ioError) Error() string { return e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

type fileReader struct{ r io.Reader }

func (f fileReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		err = &ioError{err}
	}
	return n, err
}

// gzipError is corrupt or truncated compressed data.
type gzipError struct{ err error }

func (e *gzipError) Unwrap() error { return e.err }

func (e *gzipError) Error() string {
	if errors.Is(e.err, io.ErrUnexpectedEOF) {
		return "truncated gzip data (unexpected end of file)"
	}
	return "corrupt gzip data: " + e.err.Error()
}

type gzipReader struct{ r io.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		if _, ok := errors.AsType[*ioError](err); !ok {
			err = &gzipError{err}
		}
	}
	return n, err
}

var bom = []byte{0xef, 0xbb, 0xbf}

func (r *reader) file(path string) error {
	f, err := r.open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r.hasLast, r.fileTime = false, modTime(f)
	br := bufio.NewReaderSize(fileReader{f}, bufSize)
	if head, err := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if err := r.fail(path, 1, &gzipError{err}); err != errStop {
				return err
			}
			return nil
		}
		defer zr.Close()
		br = bufio.NewReaderSize(gzipReader{zr}, bufSize)
	} else if ioe, ok := errors.AsType[*ioError](err); ok {
		return ioe
	}
	if head, _ := br.Peek(len(bom)); bytes.Equal(head, bom) {
		br.Discard(len(bom))
	}
	if detect(br) {
		err = r.values(path, br)
	} else {
		err = r.lines(path, br)
	}
	if err == errStop {
		err = nil
	}
	return err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// fail handles an error met while reading a file: a read failure is
// returned, bad content rejects the record at line and stops the file.
func (r *reader) fail(path string, line int, err error) error {
	if ioe, ok := errors.AsType[*ioError](err); ok {
		return ioe
	}
	if ge, ok := errors.AsType[*gzipError](err); ok {
		r.reject(path, line, ge.Error())
		return errStop
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		r.reject(path, line, "invalid JSON: unexpected end of file")
		return errStop
	}
	r.reject(path, line, "invalid JSON: "+err.Error())
	return errStop
}

func (r *reader) reject(path string, line int, reason string) {
	if r.cutReject != nil {
		r.cutReject(line, reason)
		return
	}
	r.counts.Read++
	r.counts.Rejected++
	if len(r.counts.Rejects) < maxRejects {
		r.counts.Rejects = append(r.counts.Rejects, Reject{File: path, Line: line, Reason: reason})
	}
}

// skip records entries of a folder that are not read.
func (c *Counts) skip(paths []SkippedPath) {
	for _, p := range paths {
		c.SkippedPaths++
		if len(c.Skips) < maxRejects {
			c.Skips = append(c.Skips, p)
		}
	}
}

// lines reads newline-delimited JSON: one event per line, blank lines
// skipped, CRLF line ends accepted.
func (r *reader) lines(path string, br *bufio.Reader) error {
	limit := r.opts.MaxEventBytes
	for line := 1; ; line++ {
		data, long, err := r.readLine(br, limit)
		if err != nil && err != io.EOF {
			return r.fail(path, line, err)
		}
		switch {
		case long:
			r.reject(path, line, "line longer than MaxEventBytes ("+itoa(limit)+" bytes)")
		case !isBlank(data):
			if err := r.record(path, line, data); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine returns the next line without its line end, and whether it is
// longer than limit (its text is then dropped). The line is valid until
// the next read.
func (r *reader) readLine(br *bufio.Reader, limit int) (line []byte, long bool, err error) {
	frag, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		line = frag
	} else {
		r.line = append(r.line[:0], frag...)
		for err == bufio.ErrBufferFull {
			frag, err = br.ReadSlice('\n')
			if !long && len(r.line)+len(frag) > limit+2 {
				long = true
			}
			if !long {
				r.line = append(r.line, frag...)
			}
		}
		line = r.line
	}
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	line = line[:n]
	return line, long || n > limit, err
}

func isBlank(b []byte) bool {
	return skipSpace(b, 0) == len(b)
}

// record makes one event of a record's text, or rejects it.
func (r *reader) record(path string, line int, data []byte) error {
	if r.cutRecord != nil {
		return r.cutRecord(line, data)
	}
	var raw string
	if r.share || r.consumed {
		raw = unsafe.String(unsafe.SliceData(data), len(data)) // the block is not rewritten while the event is in use
	} else {
		raw = string(data)
	}
	var (
		ts  stamp
		err error
		pre *Fields
		ev  *Event
	)
	cutoff := r.opts.ExtractionCutoff
	if r.pre != nil && len(raw) <= cutoff {
		both := r.reuse
		if both == nil || !r.consumed {
			both = &eventFields{} // one allocation for the event and its fields
		}
		ev, pre = &both.ev, &both.f
		r.startFields(pre, cutoff, both == r.reuse)
		var quick bool
		if r.pre.quick != nil {
			if ts, err, quick = r.quickExtract(raw, pre); !quick {
				r.startFields(pre, cutoff, true) // what quickExtract found goes
			}
		}
		if !quick {
			// A record the gate let through was validated by a scan that
			// left its stop bits in r.scan, unless quickExtract ran since.
			kept := r.passed && r.pre.quick == nil
			ts, err, quick = r.scan.fastFindAndExtract(raw, r.stamps, r.strict, r.pre, pre, kept)
		}
		if !quick {
			if !r.validUTF8(path, line, data) {
				return nil
			}
			r.startFields(pre, cutoff, true) // what fastFindAndExtract found goes
			ts, err = r.scan.findAndExtract(raw, r.stamps, r.strict, r.pre, pre)
		}
		r.fieldsHint = len(pre.list)
	} else {
		var quick bool
		if ts, err, quick = r.scan.quick(raw, r.stamps, r.strict); !quick {
			if !r.validUTF8(path, line, data) {
				return nil
			}
			ts, err = r.scan.findWith(raw, r.stamps, r.strict, r.stamps.m, &r.scan)
		}
	}
	if ns, ok := err.(*noStamp); ok {
		ts = r.fallback(path, line, ns.why)
	} else if err != nil {
		r.reject(path, line, err.Error())
		return nil
	}
	r.timed(path, line, raw, ts)
	source := r.source(path)
	if ev == nil {
		ev = new(Event)
	}
	*ev = Event{
		Raw: raw, Time: ts.t,
		Index: r.opts.Index, Source: source, Sourcetype: r.opts.Sourcetype, Host: r.opts.Host,
		File: path, Line: line,
		ts: ts, tsSet: true, cutoff: cutoff, vetted: r.vetted,
	}
	if pre != nil {
		pre.ev, pre.level, pre.scans = ev, levelNeed, 1
		ev.pre = pre
	}
	r.counts.Read++
	r.counts.Accepted++
	return r.fn(ev)
}

// source is the source field of the events of the file at path: the
// Options' Source, else the path.
func (r *reader) source(path string) string {
	if r.opts.Source != "" {
		return r.opts.Source
	}
	return path
}

// startFields readies f, the Fields of a new event, for the fields the
// reader extracts. With keep, f keeps the memory of its field list,
// multivalue list and hash table: f is the one event a reader reuses
// (ScanOptions.Consumed: nothing of the last record is in use any more),
// or it is this record's. Otherwise f gets room for as many fields as the
// last record had.
func (r *reader) startFields(f *Fields, cutoff int, keep bool) {
	list, mv, table := f.list, f.mv, f.table
	*f = Fields{need: r.pre.need, cutoff: cutoff}
	switch {
	case keep && cap(list) > len(f.small):
		f.list, f.mv = list[:0], mv[:0]
		if table != nil {
			clear(table)
			f.table = table
		}
	case !keep && r.fieldsHint > len(f.small):
		f.list = make([]field, 0, r.fieldsHint)
		if r.fieldsHint > smallFields {
			f.table = make([]int32, tableSize(r.fieldsHint))
		}
	default:
		f.list = f.small[:0]
	}
}

// validUTF8 reports whether a record is UTF-8, and rejects it when it is
// not. The quick scans (quickScan) check it as they go: a record they
// settle needs no more.
func (r *reader) validUTF8(path string, line int, data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	r.reject(path, line, "invalid UTF-8 (byte "+itoa(invalidUTF8At(data))+")")
	return false
}

// eventFields is an event and the fields its reader extracted.
type eventFields struct {
	ev Event
	f  Fields
}

// validate checks a record as record does, and counts it, valid or not,
// without making an event of it: for a record the caller has ruled out
// but whose rejection must still be counted (ScanOptions.SkipValid).
func (r *reader) validate(path string, line int, data []byte) {
	raw := unsafe.String(unsafe.SliceData(data), len(data))
	if t, ok := r.scan.quickUTC(raw, r.stamps); ok {
		// What timed does for a timestamp with its zone.
		r.lastTime, r.hasLast = t, true
		r.unreadLines, r.unreadItems = nil, nil
		r.counts.Read++
		r.counts.Accepted++
		r.counts.Skipped++
		return
	}
	ts, err, quick := r.scan.quick(raw, r.stamps, r.strict)
	if !quick {
		if !r.validUTF8(path, line, data) {
			return
		}
		ts, err = r.scan.findWith(raw, r.stamps, r.strict, r.stamps.m, &r.scan)
	}
	if ns, ok := err.(*noStamp); ok {
		ts = r.fallback(path, line, ns.why)
	} else if err != nil {
		r.reject(path, line, err.Error())
		return
	}
	r.timed(path, line, raw, ts)
	r.counts.Read++
	r.counts.Accepted++
	r.counts.Skipped++
}

// fallback gives a record whose timestamp cannot be read (why) a time as
// Splunk's timestamp precedence does ("How timestamp assignment works",
// docs/semantics-events.md, "_time"): the most recent previous event's
// of the same source (here, file), else the file's modification time,
// else the time the event is read (its index time). The record is an
// event all the same, counted in Counts.TimeFallbacks.
func (r *reader) fallback(path string, line int, why string) stamp {
	if t, ok := r.unreadTime(); ok {
		r.lastTime, r.hasLast = t, true
	}
	r.unreadLines, r.unreadItems = nil, nil
	var how string
	var t float64
	switch {
	case r.hasLast:
		t, how = r.lastTime, "the previous event's time"
	case r.fileTime != 0:
		t, how = r.fileTime, "the file's modification time"
	default:
		t, how = r.indexTime, "the time of reading (index time)"
	}
	r.noteFallback(path, line, why+": _time is "+how)
	return stamp{t: t}
}

// timed records the time of an event for the records after it, and counts
// a timestamp read without a zone.
func (r *reader) timed(path string, line int, raw string, ts stamp) {
	r.lastTime, r.hasLast = ts.t, true
	r.unreadLines, r.unreadItems = nil, nil
	if ts.zoneless {
		r.noteFallback(path, line, "timestamp "+strconv.Quote(raw[ts.start:ts.end])+" has no time zone: read in UTC")
	}
}

func (r *reader) noteFallback(path string, line int, what string) {
	if r.cutReject != nil {
		return // the workers count it when they process the record
	}
	r.counts.TimeFallbacks++
	if len(r.counts.Fallbacks) < maxRejects {
		r.counts.Fallbacks = append(r.counts.Fallbacks, Reject{File: path, Line: line, Reason: what})
	}
}

// recordTime is the _time a record would have if it has a timestamp of its
// own (with or without a zone): for finding the previous event's time
// (fallback) among records not otherwise read.
func (r *reader) recordTime(data []byte) (float64, bool) {
	if len(data) > r.opts.MaxEventBytes || isBlank(data) {
		return 0, false
	}
	raw := unsafe.String(unsafe.SliceData(data), len(data))
	if t, ok := r.scan.quickUTC(raw, r.stamps); ok { // UTF-8, checked
		return t, true
	}
	if !utf8.Valid(data) {
		return 0, false
	}
	ts, err := r.scan.find(unsafe.String(unsafe.SliceData(data), len(data)), r.stamps, r.strict)
	return ts.t, err == nil
}

// unreadTime is the time of the last record ruled out unread just before
// the current one that has a timestamp of its own.
func (r *reader) unreadTime() (float64, bool) {
	if r.unreadLines != nil {
		return r.lastLineTime(r.unreadLines)
	}
	for i := len(r.unreadItems) - 1; i >= 0; i-- {
		it := r.unreadItems[i]
		if it.reason != "" {
			continue
		}
		if t, ok := r.recordTime(r.unreadData[it.start:it.end]); ok {
			return t, true
		}
	}
	return 0, false
}

// lastLineTime is the time of the last line of data that has a timestamp
// of its own.
func (r *reader) lastLineTime(data []byte) (float64, bool) {
	for end := len(data); end > 0; {
		i := lastNewline(data[:end])
		line := data[i+1 : end]
		end = max(i, 0)
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if t, ok := r.recordTime(line); ok {
			return t, true
		}
	}
	return 0, false
}

// modTime is a file's modification time in epoch seconds, zero when it
// has none (standard input, or a file system that keeps none).
func modTime(f any) float64 {
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return 0
	}
	info, err := st.Stat()
	if err != nil || info.ModTime().IsZero() || !info.Mode().IsRegular() {
		return 0
	}
	return float64(info.ModTime().Unix())
}

// invalidUTF8At returns the offset of the first byte that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
