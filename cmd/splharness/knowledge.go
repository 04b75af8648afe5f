package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/macro"
)

// loadKnowledge loads the built-in sourcetype knowledge, then the --app
// folders in order (later apps win, as app precedence does). Problems in
// single rules are reported on errOut; the other rules still apply.
func loadKnowledge(appDirs []string, now time.Time, errOut io.Writer) (*knowledge.Knowledge, error) {
	var apps []conf.App
	for _, fsys := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: fsys, Name: "(built-in)"})
	}
	for _, dir := range appDirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("--app %s is not a folder", dir)
		}
		apps = append(apps, conf.App{FS: os.DirFS(dir), Name: filepath.Base(dir)})
	}
	compile := func(search string) (func(*eval.Row) bool, error) { return exec.CompileSearch(search, now) }
	k := knowledge.Load(apps, eval.NewContext(now), compile)
	for _, p := range k.Problems {
		fmt.Fprintf(errOut, "warning: %v\n", p)
	}
	return k, nil
}

// knowledgeOptions wires knowledge into a plan's options for events of one
// sourcetype.
func knowledgeOptions(k *knowledge.Knowledge, sourcetype string, opts exec.Options) exec.Options {
	opts.Fields = func(ev *event.Event, raw eval.Source) eval.Source { return k.Source(ev.Sourcetype, raw) }
	opts.Derived = k.Derived(sourcetype)
	opts.ExtraFields = k.Reads(sourcetype)
	opts.ReadsFor = func(fields []string) []string { return k.ReadsFor(sourcetype, fields) }
	opts.Lookups = tableResolver{k}
	return opts
}

// tableResolver serves the lookup command from the knowledge's tables.
type tableResolver struct{ k *knowledge.Knowledge }

func (r tableResolver) Lookup(name string) (*lookup.Table, error) { return r.k.Table(name) }

// addAppMacros adds the macros.conf macros of --app folders, later apps
// over earlier ones, as Splunk's precedence does.
func addAppMacros(set *macro.Set, appDirs []string, errOut io.Writer) error {
	var apps []conf.App
	for _, dir := range appDirs {
		apps = append(apps, conf.App{FS: os.DirFS(dir), Name: filepath.Base(dir)})
	}
	f, errs := conf.Load(apps, "macros.conf")
	errs = append(errs, set.AddConf(f)...)
	for _, err := range errs {
		fmt.Fprintf(errOut, "warning: %v\n", err)
	}
	return nil
}
