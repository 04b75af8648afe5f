package event

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// ReadFS is Read over a file system, such as the attack data embedded in
// the binary: paths are slash-separated names in fsys.
func ReadFS(fsys fs.FS, paths []string, opts Options, fn func(*Event) error) (Counts, error) {
	r := newReader(opts, func(p string) (io.ReadCloser, error) { return fsys.Open(p) }, fn)
	return r.paths(paths, func(p string) ([]string, []SkippedPath, error) { return listFilesFS(fsys, p) })
}

// listFilesFS is listFiles over a file system.
func listFilesFS(fsys fs.FS, root string) ([]string, []SkippedPath, error) {
	info, err := fs.Stat(fsys, root)
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
	err = fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				skipped = append(skipped, SkippedPath{path, "hidden folder (name starts with .)"})
				return fs.SkipDir
			}
			skipped = append(skipped, SkippedPath{path, "hidden file (name starts with .)"})
			return nil
		}
		switch {
		case d.IsDir():
		case d.Type().IsRegular():
			files = append(files, path)
		default:
			skipped = append(skipped, SkippedPath{path, FileKind(d.Type()) + ", not a regular file"})
		}
		return nil
	})
	sort.Strings(files)
	return files, skipped, err
}
