package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

type searchParams struct {
	streams
	content    string
	apps       []string
	data       []string
	sourcetype string
	source     string
	timeField  string
	format     string
	limits     []string
	spls       []string
	// explain prints where each search's events and rows went after its
	// results, on standard error, so that standard output keeps the
	// results' format.
	explain bool
	// explainOnly (splharness explain) prints that instead of the
	// results, on standard output, in format text or json.
	explainOnly bool
}

func newSearchCommand(s streams) *cobra.Command {
	p := &searchParams{streams: s}
	cmd := &cobra.Command{
		Use:   "search [--content DIR] [--app DIR]... [--data PATH]... [--sourcetype ST] [--source S] [--time-field F] [--format table|json|csv] [--explain] SPL...",
		Short: "Run a search over files of events, as Splunk would",
		Long: `Run an SPL search over events read from files or folders (newline-delimited JSON,
CloudTrail {"Records":[...]} files, JSON arrays, any of them gzip-compressed).
Without --data (or with --data -), events are read from standard input when it is piped (not a terminal).
Macros come from --content (default: the embedded content). SPL "-" reads the search from standard input.
Several searches run over one pass of the data; their results are printed in order.
Exit status: 0 ran (zero rows is success), 2 could not run (syntax error, unsupported command, unreadable data).`,
		Args: someSPL,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.spls = args
			return exitCode(runSearch(p))
		},
	}
	addSearchFlags(cmd, p)
	f := cmd.Flags()
	f.StringVar(&p.format, "format", "table", "output format: table, json or csv")
	f.BoolVar(&p.explain, "explain", false, "after the results, print on standard error where the events and rows went (as splharness explain)")
	return cmd
}

// addSearchFlags adds the flags search and explain share: where macros,
// knowledge and events come from, and --limit.
func addSearchFlags(cmd *cobra.Command, p *searchParams) {
	f := cmd.Flags()
	f.StringVar(&p.content, "content", "", "content root (ESCU layout) for macros; default: the embedded content")
	f.StringArrayVar(&p.apps, "app", nil, "Splunk app folder (default/, local/, lookups/) whose knowledge to apply; repeatable, later apps win")
	f.StringArrayVar(&p.data, "data", nil, "file or folder of events (repeatable); - or none: standard input, when piped")
	f.StringVar(&p.sourcetype, "sourcetype", "aws:cloudtrail", "sourcetype of the events")
	f.StringVar(&p.source, "source", "", "source of the events (default: the file path)")
	f.StringVar(&p.timeField, "time-field", "", "JSON field holding _time (for sourcetypes other than aws:cloudtrail)")
	addLimitFlag(cmd, &p.limits)
}

// fileInput reads events from files for a plan, once per run.
type fileInput struct {
	paths  []string
	opts   event.Options
	counts *event.Counts
}

var _ exec.ParallelInput = (*fileInput)(nil)

// ScanEvents reads with event.Scan, on several workers. Every record is
// validated before the raw pre-filter may rule it out (SkipValid), so that
// a broken record is counted and reported as rejected whether or not the
// search could have matched it.
func (in *fileInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	so.Skip, so.SkipValid = nil, so.Skip
	c, err := event.Scan(in.paths, in.opts, so, process, deliver)
	if in.counts != nil && in.counts.Read == 0 {
		*in.counts = c
	}
	return c.Skipped, err
}

func (in *fileInput) Events(fn func(*event.Event) error) error {
	c, err := event.Read(in.paths, in.opts, fn)
	if in.counts != nil && in.counts.Read == 0 {
		*in.counts = c
	}
	return err
}

// stdinInput reads events from standard input.
type stdinInput struct {
	fsys   *stdinFS
	opts   event.Options
	counts *event.Counts
}

func (in *stdinInput) Events(fn func(*event.Event) error) error {
	c, err := event.ReadFS(in.fsys, []string{stdinName}, in.opts, fn)
	if in.counts.Read == 0 {
		*in.counts = c
	}
	return err
}

// stdinName is standard input's file name: in messages about its records,
// and the events' source unless --source is given.
const stdinName = "stdin"

// stdinFS is a file system of one file, standard input. The event
// readers tell its format (newline-delimited JSON, CloudTrail records, a
// JSON array, gzip) from its first bytes, as they do for a file. A pipe
// can be read once; a search that reads its events again (a subsearch)
// reads a copy of standard input in a temporary file, spool.
type stdinFS struct {
	r      io.Reader
	spool  string
	opened bool
}

func (f *stdinFS) Open(name string) (fs.File, error) {
	if name != stdinName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.spool != "" {
		return os.Open(f.spool)
	}
	if f.opened {
		return nil, errors.New("standard input was read already")
	}
	f.opened = true
	return stdinFile{f.r}, nil
}

// Stat lets the readers learn that standard input is a file without
// opening it.
func (f *stdinFS) Stat(name string) (fs.FileInfo, error) {
	if name != stdinName {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return stdinInfo{}, nil
}

// spoolStdin copies standard input into a temporary file and returns its
// path.
func spoolStdin(in io.Reader) (string, error) {
	f, err := os.CreateTemp("", "splharness-stdin-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, in)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("copying standard input: %w", err)
	}
	return f.Name(), nil
}

type stdinFile struct{ io.Reader }

func (stdinFile) Stat() (fs.FileInfo, error) { return stdinInfo{}, nil }
func (stdinFile) Close() error               { return nil }

// stdinInfo describes standard input as a regular file of unknown size.
type stdinInfo struct{}

func (stdinInfo) Name() string       { return stdinName }
func (stdinInfo) Size() int64        { return 0 }
func (stdinInfo) Mode() fs.FileMode  { return 0o444 }
func (stdinInfo) ModTime() time.Time { return time.Time{} }
func (stdinInfo) IsDir() bool        { return false }
func (stdinInfo) Sys() any           { return nil }

// hasInnerSearch reports whether a query holds a search that reads the
// events again: a subsearch, or the search of a command such as map.
func hasInnerSearch(q *spl.Query) bool {
	found := false
	spl.Walk(q, func(n spl.Node) bool {
		switch n := n.(type) {
		case *spl.Subsearch:
			found = true
		case *spl.Query:
			found = found || n != q
		}
		return !found
	})
	return found
}

func runSearch(p *searchParams) int {
	name := "search"
	if p.explainOnly {
		name = "explain"
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(p.err, "splharness "+name+": "+format+"\n", args...)
		return exitError
	}
	if err := checkFormat(name, p.format); err != nil {
		return fail("%v", err)
	}
	if len(p.spls) > 1 && p.format == "csv" {
		return fail("--format csv takes one search; use table or json for several")
	}
	lim, err := parseLimits(p.limits)
	if err != nil {
		return fail("%v", err)
	}
	fsys, root, err := openContent(p.content)
	if err != nil {
		return fail("%v", err)
	}
	macros := loadMacros(fsys, root, p.err)
	problems := addAppMacros(macros, p.apps)
	now := clock()
	k, kp, err := loadKnowledge(p.apps, now)
	if err != nil {
		return fail("%v", err)
	}
	k.SetRegexBudget(time.Duration(lim["regex_budget_ms"]) * time.Millisecond)
	warnProblems(p.err, append(problems, kp...), p.apps)
	// Compile every search before reading any event, so that an error in
	// one is reported before the work starts.
	var plans []*exec.Plan
	var sources []*diag.Source
	readsEvents, readsTwice := false, false
	for _, text := range p.spls {
		src, err := readSPL(text, p.in, lim["max_query_bytes"])
		if err != nil {
			return fail("%v", err)
		}
		q, exp, err := spl.ParseSearchWith(src, macros, macro.Options{AutoFilter: true}, spl.Limits{MaxBytes: lim["max_query_bytes"], MaxDepth: lim["max_nesting"]})
		if err != nil {
			reportSyntaxError(p.streams, "text", err)
			return exitError
		}
		plan, err := exec.Compile(q, knowledgeOptions(k, p.sourcetype, exec.Options{Now: now, MaxGroups: lim["max_groups"], MaxSubsearchRows: lim["max_subsearch_rows"], RegexBudget: time.Duration(lim["regex_budget_ms"]) * time.Millisecond, MaxResultRows: lim["maxresultrows"], MaxValueBytes: lim["max_value_bytes"], MaxMVValues: lim["max_mv_values"], MaxMemMB: lim["max_mem_usage_mb"]}))
		if err != nil {
			var ee *exec.Error
			if errors.As(err, &ee) {
				fmt.Fprint(p.err, diag.Errorf(exp.Source, ee.Code, ee.Pos.Offset, "%s", ee.Msg).Render())
				return exitError
			}
			return fail("%v", err)
		}
		plans = append(plans, plan)
		sources = append(sources, exp.Source)
		if len(q.Commands) > 0 {
			_, search := q.Commands[0].(*spl.SearchCommand)
			readsEvents = readsEvents || search
		}
		readsTwice = readsTwice || hasInnerSearch(q)
	}
	var counts event.Counts
	opts := event.Options{Sourcetype: p.sourcetype, Source: p.source, TimeField: p.timeField, MaxEventBytes: lim["max_event_bytes"], ExtractionCutoff: lim["extraction_cutoff"]}
	var in exec.Input = &fileInput{paths: p.data, counts: &counts, opts: opts}
	// --data - names standard input as the events, as a piped standard
	// input without --data does.
	explicit := slices.Contains(p.data, "-")
	if explicit && len(p.data) > 1 {
		return fail("--data - (standard input) cannot be mixed with files; pass only files, or only -")
	}
	fromStdin := false
	if (len(p.data) == 0 && readsEvents) || explicit {
		switch {
		case slices.Contains(p.spls, "-"):
			return fail("the search is read from standard input (-), so the events cannot be: pass them as files with --data PATH")
		case p.inTerminal && !explicit:
			return fail("no events to search: pass --data PATH or pipe events to standard input")
		}
		stdin := &stdinFS{r: p.in}
		if readsTwice {
			spool, err := spoolStdin(p.in)
			if err != nil {
				return fail("%v", err)
			}
			defer os.Remove(spool)
			stdin.spool = spool
		}
		in, fromStdin = &stdinInput{fsys: stdin, counts: &counts, opts: opts}, true
	}
	rows := make([][]*value.Row, len(plans))
	outs := make([]func(*value.Row) error, len(plans))
	for i := range plans {
		outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
	}
	runCounts, errs := exec.RunAll(plans, in, outs)
	// Each search's limit error (a spent regex budget too: RunAll returns
	// it as the plan's) is placed in that search's text; the other
	// searches of the pass ran to the end, but the command fails.
	failed := false
	for i, err := range errs {
		if err == nil {
			continue
		}
		var le *exec.LimitError
		if !errors.As(err, &le) {
			return fail("%v", err)
		}
		fmt.Fprint(p.err, diag.Errorf(sources[i], diag.Limit, le.Pos.Offset, "%s", le.Msg).Render())
		failed = true
	}
	if failed {
		return exitError
	}
	if err := k.RegexBudgetError(); err != nil {
		return fail("%v", err)
	}
	if err := k.EvalErr(); err != nil {
		return fail("%v", err)
	}
	var explains []*harness.Explain
	if p.explain || p.explainOnly {
		for i, plan := range plans {
			explains = append(explains, harness.NewExplain(counts, plan, runCounts[i]))
		}
	}
	switch {
	case p.explainOnly:
		err = writeExplains(p.out, p.format, p.spls, explains)
	case len(plans) == 1:
		err = writeRows(p.out, p.format, rows[0])
	default:
		err = writeMany(p.out, p.format, p.spls, rows)
	}
	if err != nil {
		return fail("%v", err)
	}
	if p.explain {
		if err := writeExplains(p.err, "text", p.spls, explains); err != nil {
			return fail("%v", err)
		}
	} else if !p.explainOnly && (len(p.data) > 0 || fromStdin) {
		fmt.Fprintf(p.err, "%d events read, %d evaluated, %d rejected", counts.Read, counts.Accepted, counts.Rejected)
		if counts.Skipped > 0 {
			fmt.Fprintf(p.err, " (%d ruled out by their raw text)", counts.Skipped)
		}
		if counts.TimeFallbacks > 0 {
			fmt.Fprintf(p.err, ", %d with a fallback _time", counts.TimeFallbacks)
		}
		for i, c := range runCounts {
			fmt.Fprintf(p.err, "; %d matched the base search, %d rows", c.Matched, len(rows[i]))
			if len(runCounts) > 1 {
				fmt.Fprintf(p.err, " (search %d)", i+1)
			}
		}
		if n := regexTimeouts(plans, k); n > 0 {
			fmt.Fprintf(p.err, "; %d regex time-outs", n)
		}
		fmt.Fprintln(p.err)
	}
	// Only a run that read events has rejects and skips.
	writeRejects(p.err, counts)
	for _, plan := range plans {
		for _, t := range plan.RegexpTimeouts() {
			fmt.Fprintf(p.err, "warning: %v\n", t)
		}
	}
	for _, t := range k.RegexpTimeouts() {
		fmt.Fprintf(p.err, "warning: %v\n", t)
	}
	for _, plan := range plans {
		for _, e := range plan.FunctionErrors() {
			fmt.Fprintf(p.err, "warning: %v\n", e)
		}
	}
	for _, e := range k.EvalFunctionErrors() {
		fmt.Fprintf(p.err, "warning: in a calculated field (EVAL-): %v\n", e)
	}
	return exitOK
}

// regexTimeouts counts the regex time-outs of a run: the searches' own
// and the knowledge rules'.
func regexTimeouts(plans []*exec.Plan, k *knowledge.Knowledge) int64 {
	n := k.TimeoutCount()
	for _, plan := range plans {
		for _, t := range plan.RegexpTimeouts() {
			n += t.Count
		}
	}
	return n
}

// writeMany writes the results of several searches: in JSON an array of
// {"search", "rows"} objects, as tables one after another under the
// search they answer.
func writeMany(w io.Writer, format string, searches []string, rows [][]*value.Row) error {
	if format == "json" {
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
		for i := range searches {
			if i > 0 {
				io.WriteString(w, ",")
			}
			s, _ := json.Marshal(searches[i])
			fmt.Fprintf(w, "\n{\"search\": %s, \"rows\": ", s)
			if err := output.JSON(w, rows[i]); err != nil {
				return err
			}
			io.WriteString(w, "}")
		}
		_, err := io.WriteString(w, "\n]\n")
		return err
	}
	for i := range searches {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "== search %d: %s\n", i+1, searches[i])
		if err := output.Table(w, rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func writeRows(w io.Writer, format string, rows []*value.Row) error {
	switch format {
	case "json":
		return output.JSON(w, rows)
	case "csv":
		return output.CSV(w, rows)
	}
	return output.Table(w, rows)
}

// writeRejects lists the rejected records and the entries of --data
// folders that were not read, each with why, and says how many more there
// were than the lists keep.
func writeRejects(w io.Writer, c event.Counts) {
	for _, r := range c.Rejects {
		fmt.Fprintf(w, "rejected %s:%d: %s\n", displayPath(r.File), r.Line, r.Reason)
	}
	if more := c.Rejected - len(c.Rejects); more > 0 {
		fmt.Fprintf(w, "rejected: %d more records not listed (the first %d are)\n", more, len(c.Rejects))
	}
	for _, f := range c.Fallbacks {
		fmt.Fprintf(w, "time fallback %s:%d: %s\n", displayPath(f.File), f.Line, f.Reason)
	}
	if more := c.TimeFallbacks - len(c.Fallbacks); more > 0 {
		fmt.Fprintf(w, "time fallback: %d more records not listed (the first %d are)\n", more, len(c.Fallbacks))
	}
	for _, s := range c.Skips {
		fmt.Fprintf(w, "skipped %s: %s\n", displayPath(s.Path), s.Reason)
	}
	if more := c.SkippedPaths - len(c.Skips); more > 0 {
		fmt.Fprintf(w, "skipped: %d more entries not listed (the first %d are)\n", more, len(c.Skips))
	}
}
