package detections_test

import (
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
)

// BenchmarkLoadBuiltinModels: what reading the built-in data models costs
// every run (docs/performance.md).
func BenchmarkLoadBuiltinModels(b *testing.B) {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "(built-in)"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if s := datamodel.Load(apps); len(s.Problems) > 0 {
			b.Fatal(s.Problems)
		}
	}
}
