package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
)

// Input supplies the events of a run: each call of Events reads them all,
// in order. *Data is the engine's own, for files, folders, an fs.FS and
// standard input; any other Input is read through Events alone, one event
// after another.
type Input interface {
	Events(fn func(*event.Event) error) error
}

// Data is events read from files and folders on disk (Files), from files
// of an fs.FS such as the embedded attack data (FS), or from standard
// input (Stdin). A file is newline-delimited JSON, CloudTrail
// {"Records":[...]} or a JSON array, any of them gzip-compressed
// (event.Read).
//
// Every record is validated before the raw pre-filter may rule it out
// (event.ScanOptions.SkipValid): a broken record is counted and reported
// as rejected whether or not a search could have matched it, so that the
// counts, and a test's verdict on them, do not depend on the searches.
type Data struct {
	fsys fs.FS // nil: the operating system's files
	sets []fileSet
	// what names the data in the error for a file of an fs.FS that is not
	// there, such as "attack data"; "" means the files are listed as they
	// are read (Files), and a missing one is the reader's error.
	what  string
	stdin *stdinFS
	// counts are what the first read of the current run read.
	counts event.Counts
}

// fileSet is files and folders read with the same options.
type fileSet struct {
	paths []string
	opts  event.Options
}

// File is one file of an fs.FS, with how to index its events.
type File struct {
	Path    string
	Options event.Options
}

// Files reads the files and folders at paths on disk (folders walked,
// hidden entries skipped and listed in the counts), indexed with opts.
func Files(paths []string, opts event.Options) *Data {
	return &Data{sets: []fileSet{{paths: paths, opts: opts}}}
}

// FS reads files of fsys, each with its own options. what names the data
// in the error for a file that is not there ("attack data x.json: ...").
func FS(fsys fs.FS, what string, files ...File) *Data {
	d := &Data{fsys: fsys, what: what}
	for _, f := range files {
		d.sets = append(d.sets, fileSet{paths: []string{f.Path}, opts: f.Options})
	}
	return d
}

// StdinName is standard input's file name: in messages about its records,
// and the events' source unless the options give one.
const StdinName = "stdin"

// Stdin reads events from r, standard input, indexed with opts. The
// format is told from the first bytes, as for a file. A pipe can be read
// once: a run whose searches read the events again (a subsearch) first
// copies it into a temporary file, which Close removes.
func Stdin(r io.Reader, opts event.Options) *Data {
	s := &stdinFS{r: r}
	return &Data{fsys: s, stdin: s, sets: []fileSet{{paths: []string{StdinName}, opts: opts}}}
}

// Counts are what the first read of the last run read: records read,
// accepted and rejected (with the first rejects listed), those the raw
// pre-filter skipped after validating them, and the entries of folders
// not read. A later read of the same run (a subsearch) does not change
// them.
func (d *Data) Counts() event.Counts { return d.counts }

// Close removes the copy of standard input a run made, if any.
func (d *Data) Close() error {
	if d.stdin == nil || d.stdin.spool == "" {
		return nil
	}
	err := os.Remove(d.stdin.spool)
	d.stdin.spool = ""
	return err
}

// Events reads every event, in order.
func (d *Data) Events(fn func(*event.Event) error) error {
	_, err := d.each(func(s fileSet) (event.Counts, error) {
		if d.fsys == nil {
			return event.Read(s.paths, s.opts, fn)
		}
		return event.ReadFS(d.fsys, s.paths, s.opts, fn)
	})
	return err
}

// scanEvents reads the events on several workers (event.Scan). It
// validates every record before the raw pre-filter may rule it out: the
// plan's Skip becomes SkipValid.
func (d *Data) scanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	so.Skip, so.SkipValid = nil, so.Skip
	return d.each(func(s fileSet) (event.Counts, error) {
		if d.fsys == nil {
			return event.Scan(s.paths, s.opts, so, process, deliver)
		}
		return event.ScanFS(d.fsys, s.paths, s.opts, so, process, deliver)
	})
}

// each reads every set of files with read, sums their counts (kept as the
// run's when this is its first read) and returns how many records the
// pre-filter skipped.
func (d *Data) each(read func(fileSet) (event.Counts, error)) (int, error) {
	var total event.Counts
	var err error
	for i, s := range d.sets {
		if d.what != "" {
			if _, serr := fs.Stat(d.fsys, s.paths[0]); serr != nil {
				return total.Skipped, fmt.Errorf("%s %s: %v", d.what, s.paths[0], serr)
			}
		}
		var c event.Counts
		c, err = read(s)
		if i == 0 {
			total = c
		} else {
			addCounts(&total, c)
		}
		if err != nil {
			break
		}
	}
	if d.counts.Read == 0 {
		d.counts = total
	}
	return total.Skipped, err
}

// addCounts adds the counts of one more set of files to a total.
func addCounts(total *event.Counts, c event.Counts) {
	total.Read += c.Read
	total.Accepted += c.Accepted
	total.Rejected += c.Rejected
	total.Skipped += c.Skipped
	total.Rejects = append(total.Rejects, c.Rejects...)
	total.TimeFallbacks += c.TimeFallbacks
	total.Fallbacks = append(total.Fallbacks, c.Fallbacks...)
	total.SkippedPaths += c.SkippedPaths
	total.Skips = append(total.Skips, c.Skips...)
}

// execInput is the input the plans read: *Data through its parallel
// scan (files) or its events (standard input, which one goroutine
// reads), any other Input through its events alone, so that only the
// engine decides how records are validated and skipped. A run over
// standard input whose programs read the events twice first copies it
// into a file.
func execInput(in Input, progs []*Program) (exec.Input, error) {
	d, ok := in.(*Data)
	switch {
	case in == nil:
		return nil, nil
	case !ok:
		return eventsOnly{in}, nil
	}
	d.counts = event.Counts{}
	if d.stdin == nil {
		return scanning{d}, nil
	}
	if d.stdin.spool == "" && !d.stdin.opened {
		for _, p := range progs {
			if p.readsTwice() {
				if err := d.stdin.spoolIn(); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	return eventsOnly{d}, nil
}

// eventsOnly hides every method of an input but Events.
type eventsOnly struct{ in Input }

func (e eventsOnly) Events(fn func(*event.Event) error) error { return e.in.Events(fn) }

// scanning is files read on several workers (exec.ParallelInput).
type scanning struct{ d *Data }

var _ exec.ParallelInput = scanning{}

func (s scanning) Events(fn func(*event.Event) error) error { return s.d.Events(fn) }

func (s scanning) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	return s.d.scanEvents(so, process, deliver)
}

// stdinFS is a file system of one file, standard input. The event
// readers tell its format from its first bytes, as they do for a file.
// Once copied into a temporary file (spool), it reads that file.
type stdinFS struct {
	r      io.Reader
	spool  string
	opened bool
}

func (f *stdinFS) Open(name string) (fs.File, error) {
	if name != StdinName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.spool != "" {
		return os.Open(f.spool)
	}
	if f.opened {
		return nil, errors.New("standard input was read already")
	}
	f.opened = true
	return stdinFile{f.r}, nil
}

// Stat lets the readers learn that standard input is a file without
// opening it.
func (f *stdinFS) Stat(name string) (fs.FileInfo, error) {
	if name != StdinName {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return stdinInfo{}, nil
}

// spoolIn copies standard input into a temporary file, to read from
// there as often as the run needs.
func (f *stdinFS) spoolIn() error {
	tmp, err := os.CreateTemp("", "splharness-stdin-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, f.r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("copying standard input: %w", err)
	}
	f.spool = tmp.Name()
	return nil
}

type stdinFile struct{ io.Reader }

func (stdinFile) Stat() (fs.FileInfo, error) { return stdinInfo{}, nil }
func (stdinFile) Close() error               { return nil }

// stdinInfo describes standard input as a regular file of unknown size.
type stdinInfo struct{}

func (stdinInfo) Name() string       { return StdinName }
func (stdinInfo) Size() int64        { return 0 }
func (stdinInfo) Mode() fs.FileMode  { return 0o444 }
func (stdinInfo) ModTime() time.Time { return time.Time{} }
func (stdinInfo) IsDir() bool        { return false }
func (stdinInfo) Sys() any           { return nil }
