// Package conf reads Splunk .conf files (props.conf, transforms.conf,
// eventtypes.conf, tags.conf, macros.conf) with Splunk's layering: an
// app's default/ then local/, and later apps over earlier ones.
package conf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Setting is one `key = value` with where it was written.
type Setting struct {
	Key   string
	Value string
	File  string
	Line  int
	// ValueLine and ValueColumn (1-based, in characters) are where the
	// value's first character is, so that a problem inside the value (an
	// EVAL- expression) can point at it. A value continued with a
	// backslash goes on at column 1 of the next lines.
	ValueLine, ValueColumn int
}

// Stanza is a [name] section: its settings in file order, later
// occurrences of a key replacing earlier ones.
type Stanza struct {
	Name     string
	File     string
	Line     int
	Settings []Setting
}

// Get returns a setting's value.
func (s *Stanza) Get(key string) (string, bool) {
	if st := s.Setting(key); st != nil {
		return st.Value, true
	}
	return "", false
}

// Setting returns a setting, nil when absent. Keys compare exactly, as
// Splunk's do, except that the classes of EXTRACT-, REPORT- and the like are
// part of the key.
func (s *Stanza) Setting(key string) *Setting {
	for i := range s.Settings {
		if s.Settings[i].Key == key {
			return &s.Settings[i]
		}
	}
	return nil
}

func (s *Stanza) set(st Setting) {
	for i := range s.Settings {
		if s.Settings[i].Key == st.Key {
			s.Settings[i] = st
			return
		}
	}
	s.Settings = append(s.Settings, st)
}

// File is the merged content of one kind of .conf file.
type File struct {
	Stanzas []*Stanza
}

// Stanza returns a stanza by name, nil when absent.
func (f *File) Stanza(name string) *Stanza {
	for _, s := range f.Stanzas {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Error is a problem at a line of a .conf file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse reads one .conf file and merges it into f: settings of a stanza
// seen before are added to it, replacing keys already set (this is how
// local/ overrides default/). Lines: `[stanza]`, `key = value`, `# comment`,
// blank; a trailing backslash continues a value on the next line. Bad
// lines are reported and skipped, so one mistake does not hide the rest.
func (f *File) Parse(name string, r io.Reader) []error {
	var errs []error
	lr := newLineReader(r)
	cur := f.stanza("default", name, 0)
	lineNo := 0
	next := func() (string, bool) {
		for {
			line, ok, long := lr.next()
			if !ok {
				return "", false
			}
			lineNo++
			if long {
				errs = append(errs, &Error{name, lineNo, fmt.Sprintf("line longer than %d bytes: skipped", maxLineBytes)})
				continue
			}
			return strings.TrimRight(line, "\r"), true
		}
	}
	for {
		line, ok := next()
		if !ok {
			break
		}
		start := lineNo
		if strings.HasSuffix(line, "\\") {
			// The lines of a continued value are joined once: joining
			// each to the growing value copied it again, most of the
			// garbage of reading the built-in props.conf, whose case()
			// values run to thirty lines.
			parts := []string{line}
			for last := line; strings.HasSuffix(last, "\\"); {
				more, ok := next()
				if !ok {
					break
				}
				parts[len(parts)-1] = last[:len(last)-1]
				parts = append(parts, more)
				last = more
			}
			line = strings.Join(parts, "\n")
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case strings.HasPrefix(trimmed, "["):
			end := strings.LastIndexByte(trimmed, ']')
			if end < 0 {
				errs = append(errs, &Error{name, start, fmt.Sprintf("stanza header %q has no closing ]", trimmed)})
				cur = nil
				continue
			}
			cur = f.stanza(trimmed[1:end], name, start)
		default:
			eq := strings.IndexByte(line, '=')
			if eq < 0 {
				errs = append(errs, &Error{name, start, fmt.Sprintf("line %q is not key = value", trimmed)})
				continue
			}
			if cur == nil {
				continue // settings of a broken stanza header were reported with it
			}
			key := strings.TrimSpace(line[:eq])
			if key == "" {
				errs = append(errs, &Error{name, start, "setting with no key"})
				continue
			}
			rest := line[eq+1:]
			at := len(line) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
			lineStart := strings.LastIndexByte(line[:at], '\n') + 1
			cur.set(Setting{Key: key, Value: strings.TrimSpace(rest), File: name, Line: start,
				ValueLine: start + strings.Count(line[:at], "\n"), ValueColumn: utf8.RuneCountInString(line[lineStart:at]) + 1})
		}
	}
	if lr.err != nil {
		errs = append(errs, &Error{name, lineNo + 1, lr.err.Error()})
	}
	return errs
}

// smallFile is the size under which a regular file is read whole and its
// lines cut out of the one string: every run reads a dozen small .conf
// files, and reading each through a buffer of its size, with a string
// for each line, allocated three times its size.
const smallFile = 64 * 1024

// newLineReader reads r whole when it is a regular file under smallFile
// bytes, else through a 64 KiB buffer (a longer line still reads whole).
func newLineReader(r io.Reader) lineReader {
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() < smallFile {
			// One byte more than its size, to see it end: a file that
			// grew since is read on through the buffer.
			b := make([]byte, st.Size()+1)
			n, err := io.ReadFull(r, b)
			if err == nil {
				return lineReader{r: bufio.NewReaderSize(io.MultiReader(bytes.NewReader(b), r), smallFile)}
			}
			// b is not written again: its text is the lines' without a
			// copy.
			lr := lineReader{whole: true}
			if n > 0 {
				lr.text = unsafe.String(&b[0], n)
			}
			if err != io.ErrUnexpectedEOF && err != io.EOF {
				// A read error: the lines read before it, then the
				// error, as the buffered reader reports it.
				lr.err = err
			}
			return lr
		}
	}
	return lineReader{r: bufio.NewReaderSize(r, smallFile)}
}

// maxLineBytes caps one physical line of a .conf file: Splunk's own files
// keep to a few kilobytes, and a longer line (up to this cap) is still
// read whole, but a line beyond it is skipped with an error so that a
// hostile file cannot make the reader hold it all; the lines after it
// still apply.
const maxLineBytes = 64 << 20

// lineReader reads lines of any length up to maxLineBytes.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
	err error // a read error other than the end of the input
	// text is what is left of an input read whole (whole): its lines
	// are cut out of it.
	text  string
	whole bool
}

// next returns the next line without its \n; ok is false at the end of
// the input, long when the line was longer than maxLineBytes (its text is
// then dropped).
func (lr *lineReader) next() (line string, ok, long bool) {
	if lr.whole {
		if lr.text == "" {
			return "", false, false
		}
		line, lr.text, _ = strings.Cut(lr.text, "\n")
		return line, true, len(line) > maxLineBytes
	}
	lr.buf = lr.buf[:0]
	for {
		frag, err := lr.r.ReadSlice('\n')
		if !long {
			if len(lr.buf)+len(frag) > maxLineBytes+1 {
				long, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, frag...)
			}
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			return strings.TrimSuffix(string(lr.buf), "\n"), true, long
		}
		if err != io.EOF {
			lr.err = err
		}
		if len(lr.buf) == 0 && !long {
			return "", false, false
		}
		return string(lr.buf), true, long
	}
}

func (f *File) stanza(name, file string, line int) *Stanza {
	if s := f.Stanza(name); s != nil {
		return s
	}
	s := &Stanza{Name: name, File: file, Line: line}
	f.Stanzas = append(f.Stanzas, s)
	return s
}

// App is a Splunk app folder: default/ and local/ .conf files and lookups/.
type App struct {
	FS   fs.FS
	Name string // for messages
	// Embedded marks an app built into the binary (its files fixed at
	// build time and checked by the tests), whose costlier parts may be
	// read only when needed: its data models (spl/datamodel.Set), each
	// model from the file named after it, <Model>.json.
	Embedded bool
}

// Load merges the named .conf file (e.g. "props.conf") of apps in order:
// for each app default/ then local/, later ones overriding earlier ones.
func Load(apps []App, confName string) (*File, []error) {
	f := &File{}
	var errs []error
	for _, app := range apps {
		for _, dir := range []string{"default", "local"} {
			p := path.Join(dir, confName)
			file, err := app.FS.Open(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				// Present but unreadable (a FIFO the app's file system
				// refuses, no permission): its rules would be missing
				// without a word.
				errs = append(errs, &Error{path.Join(app.Name, p), 1, err.Error()})
				continue
			}
			errs = append(errs, f.Parse(path.Join(app.Name, p), file)...)
			file.Close()
		}
	}
	return f, errs
}
