// Package detections embeds splharness's own content, laid out like Splunk
// Security Content (detections/, stories/, data_sources/, macros/), so that
// the binary works with no files beside it, and the built-in sourcetype
// knowledge (knowledge/aws), a Splunk app folder of .conf files and lookup
// tables.
package detections

import (
	"embed"
	"io/fs"
)

//go:embed detections stories data_sources macros knowledge
var content embed.FS

// FS returns the embedded content root.
func FS() fs.FS { return content }

// Knowledge returns the built-in knowledge apps, each a Splunk app folder
// (default/, lookups/).
func Knowledge() []fs.FS {
	aws, err := fs.Sub(content, "knowledge/aws")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return []fs.FS{aws}
}
