//go:build unix

package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// readRegular reads the file name of the root when it is a regular file,
// ok false otherwise or on any error: rootFS.ReadFile then reads it, or
// refuses it, and words the error, as it always has. It opens without
// waiting (O_NONBLOCK: a FIFO's open would wait for a writer) and asks
// the open file what it is, where ReadFile stats the path and then opens
// it: 5 system calls of 13 fewer for each of the hundreds of files of a
// content root, which cost 40 µs each on a virtual machine.
func (r rootFS) readRegular(name string) ([]byte, bool) {
	if r.root == nil || !fs.ValidPath(name) {
		return nil, false
	}
	f, err := r.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	size := 512
	if n := st.Size(); n > 0 && n < 1<<30 {
		size = int(n) + 1 // one more, to see the end without growing
	}
	b := make([]byte, 0, size)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, true
		}
		if err != nil {
			return nil, false
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// readDir lists the folder name of the root, sorted by name as ReadDir
// lists it, ok false on any error: rootFS.ReadDir then lists it, or words
// the error, as it always has. os.Root's listing asks for every entry's
// information (a system call each: hundreds for a content root's
// detections and macros); the folder's listing itself holds each entry's
// type, which is what fs.WalkDir and macro.LoadDir ask for. The folder is
// opened through the root, so a link out of it is refused as before; a
// copy of its descriptor is then listed as a plain file, whose entries
// read their information only if asked.
func (r rootFS) readDir(name string) ([]fs.DirEntry, bool) {
	if r.root == nil || !fs.ValidPath(name) {
		return nil, false
	}
	d, err := r.root.Open(name)
	if err != nil {
		return nil, false
	}
	defer d.Close()
	fd, err := syscall.Dup(int(d.Fd()))
	if err != nil {
		return nil, false
	}
	syscall.CloseOnExec(fd)
	f := os.NewFile(uintptr(fd), filepath.Join(r.dir, filepath.FromSlash(name)))
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, false
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, true
}
