// Package attackdata embeds the attack data of splharness's own detection
// tests, in the layout of the public attack_data repository
// (datasets/attack_techniques/<technique>/<name>/<file>), as the default
// data root of `splharness test`.
package attackdata

import (
	"embed"
	"io/fs"
)

//go:embed datasets
var data embed.FS

// FS returns the embedded attack data root.
func FS() fs.FS { return data }
