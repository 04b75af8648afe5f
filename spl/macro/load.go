package macro

import (
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
)

// LoadDir reads every *.yml file directly in dir of fsys as an ESCU macro
// (keys name, definition, description and optionally arguments) and returns
// them in a set that also holds the built-ins. A file that cannot be used
// adds an error, a *diag.Error naming its file and line, and the other files
// still load, so one bad file does not hide the rest.
//
// The files are read and decoded on GOMAXPROCS goroutines (a content root
// has hundreds, and decoding them was a fifth of the start of a search
// with --content), then added to the set one by one in file-name order, so
// the set, the errors and their order are those of reading them one after
// another. fsys must be safe for concurrent use, as os.DirFS, os.Root's
// and embed.FS are.
func LoadDir(fsys fs.FS, dir string) (*Set, []error) {
	return loadDir(fsys, dir, runtime.GOMAXPROCS(0))
}

// minFilesPerWorker keeps a small folder (the embedded content's few
// macros) on one goroutine: below that, starting one costs more than the
// files it would decode.
const minFilesPerWorker = 8

// loaded is one macro file, read and decoded: the macro and the line of
// its name key, or the error that keeps it out of the set.
type loaded struct {
	src  *diag.Source
	m    Macro
	line int
	err  error
}

// loadDir is LoadDir on at most workers goroutines.
func loadDir(fsys fs.FS, dir string, workers int) (*Set, []error) {
	set := NewSet()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return set, []error{err}
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yml") {
			continue
		}
		names = append(names, path.Join(dir, e.Name()))
	}
	files := make([]loaded, len(names))
	load := func(i int) {
		f := &files[i]
		data, err := fs.ReadFile(fsys, names[i])
		if err != nil {
			f.err = err
			return
		}
		f.src = diag.NewSource(names[i], string(data))
		f.m, f.line, f.err = parseMacro(f.src)
	}
	workers = min(workers, len(names)/minFilesPerWorker)
	if workers <= 1 {
		for i := range files {
			load(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
					load(i)
				}
			})
		}
		wg.Wait()
	}
	var errs []error
	for i := range files {
		f := &files[i]
		err := f.err
		if err == nil {
			if addErr := set.Add(f.m); addErr != nil {
				err = diag.Errorf(f.src, diag.Schema, lineOffset(f.src.Text, f.line, 1), "%s", addErr.Error())
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return set, errs
}

// parseMacro decodes one macro file. It returns the line of the name key
// too, where a duplicate definition is reported.
func parseMacro(src *diag.Source) (Macro, int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src.Text), &doc); err != nil {
		return Macro{}, 0, yamlError(src, err)
	}
	at := func(n *yaml.Node, format string, args ...any) error {
		return diag.Errorf(src, diag.Schema, lineOffset(src.Text, n.Line, n.Column), format, args...)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return Macro{}, 0, diag.Errorf(src, diag.Schema, 0, "macro file is empty")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return Macro{}, 0, at(root, "macro file must be a mapping with keys name and definition")
	}
	m := Macro{File: src.Name}
	var nameNode, defNode *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return Macro{}, 0, at(k, "key `%s` appears twice", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
			if !isString(v) || v.Value == "" {
				return Macro{}, 0, at(v, "macro `name` must be a non-empty string")
			}
			nameNode, m.Name = k, v.Value
		case "definition":
			if !isString(v) || v.Value == "" {
				return Macro{}, 0, at(v, "macro `definition` must be a non-empty string")
			}
			defNode, m.Definition, m.Line = k, v.Value, v.Line
		case "arguments":
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return Macro{}, 0, at(v, "macro `arguments` must be a list of strings")
			}
			for _, a := range v.Content {
				if !isString(a) {
					return Macro{}, 0, at(a, "macro `arguments` must be a list of strings")
				}
				m.Args = append(m.Args, a.Value)
			}
		}
	}
	if nameNode == nil {
		return Macro{}, 0, at(root, "macro has no `name`")
	}
	if defNode == nil {
		return Macro{}, 0, at(root, "macro `%s` has no `definition`", m.Name)
	}
	return m, nameNode.Line, nil
}

// isString reports whether n is a plain string scalar: numbers, booleans
// and null are not definitions or names.
func isString(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

// yamlError turns a yaml.v3 error, which names a line only in its text
// ("yaml: line 3: …"), into a positioned error.
func yamlError(src *diag.Source, err error) error {
	line, msg := diag.YAMLError(err.Error(), src.Text)
	return diag.Errorf(src, diag.YAML, lineOffset(src.Text, line, 1), "%s", msg)
}

// lineOffset converts a 1-based line and column (in characters, as yaml.v3
// counts them) to a byte offset of text.
func lineOffset(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(text) && text[off] != '\n'; c++ {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}
