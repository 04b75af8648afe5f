//go:build !unix

package main

import "io/fs"

// readRegular is rootFS.ReadFile's quicker way for a regular file, on
// Unix only; elsewhere ReadFile stats then opens it.
func (r rootFS) readRegular(string) ([]byte, bool) { return nil, false }

// readDir is rootFS.ReadDir's quicker way, on Unix only.
func (r rootFS) readDir(string) ([]fs.DirEntry, bool) { return nil, false }
