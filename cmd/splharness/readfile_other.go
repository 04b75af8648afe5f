//go:build !unix

package main

// readRegular is rootFS.ReadFile's quicker way for a regular file, on
// Unix only; elsewhere ReadFile stats then opens it.
func (r rootFS) readRegular(string) ([]byte, bool) { return nil, false }
