package harness

// Baselines: the searches that train Machine Learning Toolkit models
// before a detection applies them. In Splunk, ESCU's baseline searches
// ("Baseline Of Cloud Instances Launched" and the like) run on a schedule
// and `fit DensityFunction ... into <model>`; the detection then runs
// `summary <model>` and `apply <model>`. A test supplies them under its
// sidecar's baselines: key, each with the baseline's search (as ESCU
// writes it) and a data file of the folder it runs over; every baseline
// of a folder runs once, before the folder's tests, and the models it fits
// are the ones those tests' searches read (attack_data/README.md,
// "Baselines"). A detection that applies a model no baseline fitted is an
// error naming the model.

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/value"
)

// baselineEntry is one entry of a sidecar's baselines: list.
type baselineEntry struct {
	name, search, data string
	// source places the search's text in the sidecar.
	source       *diag.Source
	line, column int
}

// baselineEntries reads a sidecar's baselines: list; file is the
// sidecar's name and text its contents.
func baselineEntries(file, text string, doc *yaml.Node) ([]baselineEntry, error) {
	n := topKey(doc, "baselines")
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d:%d: baselines: must be a list of baseline searches (name, search, data)", file, n.Line, n.Column)
	}
	var out []baselineEntry
	for _, b := range n.Content {
		if b.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d:%d: baselines: each entry must have name, search and data", file, b.Line, b.Column)
		}
		e := baselineEntry{line: b.Line, column: b.Column}
		for _, k := range []struct {
			key string
			dst *string
		}{{"name", &e.name}, {"search", &e.search}, {"data", &e.data}} {
			v := get(b, k.key)
			s, ok := scalar(v)
			if !ok || s == "" {
				return nil, fmt.Errorf("%s:%d:%d: baselines: the entry needs %s: (a string)", file, b.Line, b.Column, k.key)
			}
			*k.dst = s
			if k.key == "search" {
				e.source = &diag.Source{Name: file, Text: s, Locate: locator(file, text, v)}
			}
		}
		for i := 0; i+1 < len(b.Content); i += 2 {
			switch k := b.Content[i]; k.Value {
			case "name", "search", "data":
			default:
				return nil, fmt.Errorf("%s:%d:%d: baselines: unknown key %s (an entry has name, search and data)", file, k.Line, k.Column, k.Value)
			}
		}
		if path.IsAbs(e.data) || strings.ContainsAny(e.data, `/\`) {
			return nil, fmt.Errorf("%s:%d:%d: baselines: %s: data must name a file of the dataset's folder", file, b.Line, b.Column, e.name)
		}
		out = append(out, e)
	}
	return out, nil
}

// baselineRun is the models of one dataset folder's baselines, fitted once
// per run of tests.
type baselineRun struct {
	store *mltk.Store
	ran   bool
	err   error
}

// modelsFor is the model store of the folder dir, whose sidecar lists
// entries; nil when it lists none (a search that applies a model then
// finds none).
func (r *runner) modelsFor(dir string, entries []baselineEntry) *mltk.Store {
	if len(entries) == 0 {
		return nil
	}
	b, ok := r.baselines[dir]
	if !ok {
		b = &baselineRun{store: mltk.NewStore()}
		r.baselines[dir] = b
	}
	return b.store
}

// runBaselines runs the baselines of a test's folder, once, into the
// folder's model store: each search compiled with the content's macros
// and the knowledge of the test's sourcetype, over its data file read as
// the test's data is. The first problem is the error of every test of the
// folder.
func (r *runner) runBaselines(j *testJob) error {
	if len(j.side.baselines) == 0 || len(j.files) == 0 {
		return nil
	}
	dir := path.Dir(j.files[0].path)
	b := r.baselines[dir]
	if b == nil || b.ran {
		if b == nil {
			return nil
		}
		return b.err
	}
	b.ran = true
	side := sidecarName(j.files[0].path)
	for _, e := range j.side.baselines {
		where := fmt.Sprintf("%s:%d:%d: baseline %s", side, e.line, e.column, e.name)
		f := j.files[0]
		f.path = path.Join(dir, e.data)
		if _, err := fs.Stat(r.root, f.path); err != nil {
			b.err = fmt.Errorf("%s: its data %s is not in the attack data", where, f.path)
			return b.err
		}
		opts := r.e.Options(r.c)
		opts.Models = b.store
		s, problems := engine.Parse(e.source, r.c.Macros, opts)
		if len(problems) == 0 {
			var prog *engine.Program
			prog, problems = s.Compile(r.e.Knowledge.Sourcetype(j.sourcetype()), opts)
			if len(problems) == 0 {
				if _, err := prog.Run(r.input([]dataFile{f}), func(*value.Row) error { return nil }); err != nil {
					var d *diag.Error
					if !errors.As(err, &d) {
						err = fmt.Errorf("%s: %v", where, err)
					}
					b.err = err
					return b.err
				}
				continue
			}
		}
		b.err = fmt.Errorf("%s: %v", where, problems[0])
		return b.err
	}
	return nil
}
