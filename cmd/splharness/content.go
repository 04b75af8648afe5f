package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/macro"
)

// openContent returns the content root: the folder dir, or the embedded
// detections/ content when dir is empty.
func openContent(dir string) (fs.FS, string, error) {
	if dir == "" {
		return detections.FS(), "(embedded)", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, "", err
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("%s is not a folder", dir)
	}
	fsys, err := openRoot(dir, "the content root")
	if err != nil {
		return nil, "", err
	}
	return fsys, dir, nil
}

// openRoot opens the folder dir as a file system that stays inside it:
// a symbolic link in it that resolves outside it is refused, with an error
// that says so (os.Root), so that content or attack data from a pull
// request cannot put any file the runner can read into a report. what
// names the folder in that error.
func openRoot(dir, what string) (fs.FS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return rootFS{r.FS(), r, dir, what}, nil
}

// rootFS is an os.Root's file system whose errors name a link that leaves
// the root as such.
type rootFS struct {
	fsys fs.FS
	root *os.Root
	dir  string
	what string
}

func (r rootFS) Open(name string) (fs.File, error) {
	if err := refuseIrregular(r.fsys, name); err != nil {
		return nil, r.wrap("open", name, err)
	}
	f, err := r.fsys.Open(name)
	return f, r.wrap("open", name, err)
}

func (r rootFS) Stat(name string) (fs.FileInfo, error) {
	st, err := fs.Stat(r.fsys, name)
	return st, r.wrap("stat", name, err)
}

func (r rootFS) ReadFile(name string) ([]byte, error) {
	if b, ok := r.readRegular(name); ok {
		return b, nil
	}
	if err := refuseIrregular(r.fsys, name); err != nil {
		return nil, r.wrap("open", name, err)
	}
	b, err := fs.ReadFile(r.fsys, name)
	return b, r.wrap("open", name, err)
}

// refuseIrregular refuses to open what is neither a regular file nor a
// folder: opening a FIFO with no writer blocks forever, and a device such
// as /dev/zero never ends, so a FIFO in content or attack data from a pull
// request would hang the run.
func refuseIrregular(fsys fs.FS, name string) error {
	st, err := fs.Stat(fsys, name)
	if err != nil || st.Mode().IsRegular() || st.IsDir() {
		return nil // opening reports a missing file as it should
	}
	return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%s, not a regular file: refused, as reading it could block or never end", event.FileKind(st.Mode()))}
}

// regularFS is a folder's file system that refuses to open what is neither
// a regular file nor a folder (refuseIrregular): the --app folders.
type regularFS struct{ fsys fs.FS }

func (r regularFS) Open(name string) (fs.File, error) {
	if err := refuseIrregular(r.fsys, name); err != nil {
		return nil, err
	}
	return r.fsys.Open(name)
}

func (r regularFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.fsys, name) }
func (r regularFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(r.fsys, name) }

func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if d, ok := r.readDir(name); ok {
		return d, nil
	}
	d, err := fs.ReadDir(r.fsys, name)
	return d, r.wrap("open", name, err)
}

// wrap names an error of a link that leaves the root for what it is, and
// the operation as os.DirFS would ("stat", not os.Root's "statat").
func (r rootFS) wrap(op, name string, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "path escapes from parent") {
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("a symbolic link that resolves outside %s %s: refused", r.what, r.dir)}
	}
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		pe.Op = op
	}
	return err
}

// loadMacros reads the macros of a content root. Problems with single
// macro files are reported on errOut and the rest still load; a content
// root with no macros/ folder simply has none.
func loadMacros(fsys fs.FS, root string, errOut io.Writer) *macro.Set {
	set, errs := readMacros(fsys)
	warnMacros(errOut, root, errs)
	return set
}

// readMacros is loadMacros without the reporting: the set and the
// problems of single macro files.
func readMacros(fsys fs.FS) (*macro.Set, []error) {
	if _, err := fs.Stat(fsys, "macros"); err != nil {
		return macro.NewSet(), nil
	}
	return macro.LoadDir(fsys, "macros")
}

// warnMacros reports the problems of macro files of the content root
// root, as warnings.
func warnMacros(errOut io.Writer, root string, errs []error) {
	for _, err := range errs {
		fmt.Fprintf(errOut, "warning: %s: %v\n", root, err)
	}
}

// readSPL returns the search text: the argument itself, or standard input
// when the argument is "-". Standard input is read up to maxBytes
// (max_query_bytes; 0 means its default): a longer search is refused
// there, before it is all held in memory.
func readSPL(arg string, in io.Reader, maxBytes int) (*diag.Source, error) {
	if arg != "-" {
		return diag.NewSource("<search>", arg), nil
	}
	if maxBytes <= 0 {
		maxBytes = spl.MaxQueryBytes
	}
	b, err := io.ReadAll(io.LimitReader(in, int64(maxBytes)+3)) // + a line end, and one byte more
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	if n := len(strings.TrimRight(string(b), "\r\n")); n > maxBytes {
		return nil, fmt.Errorf("standard input holds a search of more than %d bytes, the limit (max_query_bytes): refused", maxBytes)
	}
	return diag.NewSource("<stdin>", strings.TrimRight(string(b), "\r\n")), nil
}

// loadContent loads a content root (default: embedded) and the knowledge
// of the built-in and --app folders. root is the prefix that makes the
// content's file names paths a user can open. problems are those of the
// --app folders' .conf files and lookups (and the built-in knowledge's):
// validate reports them as findings, the other commands as warnings.
func loadContent(dir string, apps []string) (c *harness.Content, env *harness.Env, root string, problems []error, err error) {
	fsys, name, err := openContent(dir)
	if err != nil {
		return nil, nil, "", nil, err
	}
	// The content and the knowledge are independent: a content root on
	// disk (hundreds of files) loads beside the knowledge; the embedded
	// one is too small for another goroutine to pay.
	var loadErr error
	loadFiles := func() {
		c, loadErr = harness.Load(fsys, name)
		if loadErr == nil {
			problems = addAppMacros(c.Macros, apps)
		}
	}
	var k *knowledge.Knowledge
	var kp []error
	if dir == "" {
		loadFiles()
		k, kp, err = loadKnowledge(apps, clock())
	} else {
		loaded := make(chan struct{})
		go func() {
			loadFiles()
			close(loaded)
		}()
		k, kp, err = loadKnowledge(apps, clock())
		<-loaded
	}
	if loadErr != nil {
		return nil, nil, "", nil, loadErr
	}
	if err != nil {
		return nil, nil, "", nil, err
	}
	problems = append(problems, kp...)
	root = dir
	if dir == "" {
		root = "detections"
	}
	ipl, err := harness.IPLocation(apps, "")
	if err != nil {
		return nil, nil, "", nil, err
	}
	return c, &harness.Env{Knowledge: k, Now: clock(), IPLocation: ipl}, root, problems, nil
}
