package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/macro"
)

// loadKnowledge loads the built-in sourcetype knowledge, then the --app
// folders in order (later apps win, as app precedence does). Problems in
// single rules are returned (see appProblems); the other rules still
// apply.
func loadKnowledge(appDirs []string, now time.Time) (*knowledge.Knowledge, []error, error) {
	var apps []conf.App
	for _, fsys := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: fsys, Name: "(built-in)", Embedded: true})
	}
	for _, dir := range appDirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			return nil, nil, fmt.Errorf("--app %s is not a folder", dir)
		}
		apps = append(apps, conf.App{FS: regularFS{os.DirFS(dir)}, Name: filepath.Base(dir)})
	}
	k := engine.LoadKnowledge(apps, now)
	return k, k.Problems, nil
}

// warnProblems prints problems of .conf files and lookups as warnings:
// search and test still run with the rules that loaded. Files are named
// as appFindings names them, relative to the working directory.
func warnProblems(errOut io.Writer, problems []error, appDirs []string) {
	for _, f := range appFindings(problems, appDirs) {
		if f.File == noFile {
			fmt.Fprintf(errOut, "warning: %s\n", f.Message)
			continue
		}
		fmt.Fprintf(errOut, "warning: %s:%d: %s\n", displayPath(f.File), f.Line, f.Message)
	}
}

// noFile names the file of an --app problem that has none.
const noFile = "(app)"

// appFindings turns problems of .conf files and lookups into findings, as
// validate reports them: code conf (lookup-file for a lookup CSV), at the
// file and line. A file named after an --app folder's base name is named
// by the folder as given, so that it can be opened.
func appFindings(problems []error, appDirs []string) []harness.Finding {
	dirs := map[string]string{}
	for _, dir := range appDirs {
		dirs[filepath.Base(dir)] = dir
	}
	place := func(file string) string {
		name, rest, ok := strings.Cut(file, "/")
		if dir, found := dirs[name]; ok && found {
			return filepath.ToSlash(filepath.Join(dir, rest))
		}
		return file
	}
	var out []harness.Finding
	for _, p := range problems {
		var ce *conf.Error
		var le *lookup.CSVError
		switch {
		case errors.As(p, &ce):
			out = append(out, harness.Finding{File: place(ce.File), Line: ce.Line, Column: 1, Code: "conf", Severity: harness.SeverityOf("conf"), Message: ce.Msg})
		case errors.As(p, &le):
			out = append(out, harness.Finding{File: place(le.File), Line: le.Line, Column: 1, Code: "lookup-file", Severity: harness.SeverityOf("lookup-file"), Message: le.Msg})
		default:
			out = append(out, harness.Finding{File: noFile, Line: 1, Column: 1, Code: "conf", Severity: harness.SeverityOf("conf"), Message: p.Error()})
		}
	}
	return out
}

// tableResolver serves the lookup command from the knowledge's tables.
type tableResolver struct{ k *knowledge.Knowledge }

func (r tableResolver) Lookup(name string) (*lookup.Table, error) { return r.k.Table(name) }

// addAppMacros adds the macros.conf macros of --app folders, later apps
// over earlier ones, as Splunk's precedence does, and returns the problems
// met (see warnProblems and appFindings).
func addAppMacros(set *macro.Set, appDirs []string) []error {
	var apps []conf.App
	for _, dir := range appDirs {
		apps = append(apps, conf.App{FS: regularFS{os.DirFS(dir)}, Name: filepath.Base(dir)})
	}
	f, errs := conf.Load(apps, "macros.conf")
	return append(errs, set.AddConf(f)...)
}
