//go:build linux

package event

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only. Reading a large file
// through the mapping spares the kernel's copy of each byte into a block
// buffer (docs/performance.md).
func mapFile(f *os.File, size int64) ([]byte, error) {
	if int64(int(size)) != size {
		return nil, syscall.EFBIG
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(m []byte) { _ = syscall.Munmap(m) }

// releaseMapped drops the pages of a processed part of a mapping from the
// process, so that they stop counting in its memory; the file's pages
// stay in the page cache, and a later read of them maps them again.
func releaseMapped(m []byte) { _ = syscall.Madvise(m, syscall.MADV_DONTNEED) }

// canMap says files are mapped here.
const canMap = true
