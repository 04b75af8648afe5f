//go:build unix

package event

import "syscall"

// mkfifo makes a named pipe, for the tests that a FIFO is refused or
// skipped.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
