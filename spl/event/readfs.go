package event

import (
	"io"
	"io/fs"
	"sort"
	"strings"
)

// ReadFS is Read over a file system, such as the attack data embedded in
// the binary: paths are slash-separated names in fsys.
func ReadFS(fsys fs.FS, paths []string, opts Options, fn func(*Event) error) (Counts, error) {
	r := newReader(opts, func(p string) (io.ReadCloser, error) { return fsys.Open(p) }, fn)
	return r.paths(paths, func(p string) ([]string, error) { return listFilesFS(fsys, p) })
}

// listFilesFS is listFiles over a file system.
func listFilesFS(fsys fs.FS, root string) ([]string, error) {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{root}, nil
	}
	var files []string
	err = fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
