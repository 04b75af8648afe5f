//go:build !linux

package event

import (
	"errors"
	"os"
)

// mapFile does not map files here: they are read.
func mapFile(*os.File, int64) ([]byte, error) { return nil, errNotMapped }

var errNotMapped = errors.New("files are not mapped on this system")

func unmapFile([]byte) {}

func releaseMapped([]byte) {}

// canMap says files are mapped here.
const canMap = false
