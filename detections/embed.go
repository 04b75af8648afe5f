// Package detections embeds splharness's own content, laid out like Splunk
// Security Content (detections/, stories/, data_sources/, macros/), so that
// the binary works with no files beside it, and the built-in sourcetype
// knowledge (knowledge/aws), a Splunk app folder of .conf files and lookup
// tables, and the built-in CIM data models (knowledge/cim), an app folder of
// data model JSON files.
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
// (default/, lookups/): the AWS add-on's rules and the CIM data models.
func Knowledge() []fs.FS {
	var apps []fs.FS
	for _, dir := range []string{"knowledge/aws", "knowledge/cim"} {
		app, err := fs.Sub(content, dir)
		if err != nil {
			panic(err) // the embedded tree is fixed at build time
		}
		apps = append(apps, app)
	}
	return apps
}
