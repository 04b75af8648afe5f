package detections_test

import (
	"io/fs"
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
)

// BenchmarkLoadBuiltinModels: loading the built-in data models again in
// one process, as every Env does (the first load of a file parses it,
// later ones clone the parsed model; docs/performance.md).
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

// BenchmarkParseBuiltinModels: parsing the built-in models' JSON, what a
// run's first load costs.
func BenchmarkParseBuiltinModels(b *testing.B) {
	var files [][]byte
	for _, f := range detections.Knowledge() {
		names, _ := fs.Glob(f, "default/data/models/*.json")
		for _, n := range names {
			data, err := fs.ReadFile(f, n)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, data)
		}
	}
	if len(files) == 0 {
		b.Fatal("no built-in model files")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			if _, err := datamodel.Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
