//go:build !unix

package event

import "errors"

// mkfifo: named pipes are a Unix file type.
func mkfifo(string) error { return errors.ErrUnsupported }
