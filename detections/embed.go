// Package detections embeds splharness's own content, laid out like Splunk
// Security Content (macros/, and later detections/, stories/, data_sources/
// and lookups/), so that the binary works with no files beside it.
package detections

import (
	"embed"
	"io/fs"
)

//go:embed macros
var content embed.FS

// FS returns the embedded content root.
func FS() fs.FS { return content }
