package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
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
	// iplocationDB is --iplocation-db: iplocation's database, over any
	// limits.conf [iplocation] db_path of the --app folders.
	iplocationDB string
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
	addStringArray(f, &p.apps, "app", "Splunk app folder (default/, local/, lookups/) whose knowledge to apply; repeatable, later apps win")
	addStringArray(f, &p.data, "data", "file or folder of events (repeatable); - or none: standard input, when piped")
	f.StringVar(&p.sourcetype, "sourcetype", "aws:cloudtrail", "sourcetype of the events")
	f.StringVar(&p.source, "source", "", "source of the events (default: the file path)")
	f.StringVar(&p.timeField, "time-field", "", "JSON field holding _time (for sourcetypes other than aws:cloudtrail)")
	addLimitFlag(cmd, &p.limits)
	addIPLocationFlag(cmd, &p.iplocationDB)
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
	// The searches are read in order, up to the first that cannot be
	// (reported in its turn, below).
	var srcs []*diag.Source
	var readErr error
	for _, text := range p.spls {
		src, err := readSPL(text, p.in, lim["max_query_bytes"])
		if err != nil {
			readErr = err
			break
		}
		srcs = append(srcs, src)
	}
	opts := engine.Options{AutoFilter: true, Limits: engineLimits(lim)}
	// The macros, then the searches' parsing, go on beside the loading of
	// the knowledge, which only the compilation needs; the macros'
	// problems are reported before the knowledge's, as they were found.
	var macros *macro.Set
	var macroErrs, problems []error
	var parses *engine.Parses
	now := clock()
	var k *knowledge.Knowledge
	var kp []error
	var kerr error
	if p.content == "" && len(srcs) <= 1 {
		// The embedded content's few macros and one search: waking
		// goroutines would cost more CPU than they save.
		macros, macroErrs = readMacros(fsys)
		problems = addAppMacros(macros, p.apps)
		parses = engine.ParseInTurn(srcs, macros, opts)
		k, kp, kerr = loadKnowledge(p.apps, now)
	} else {
		loaded := make(chan struct{})
		go func() {
			macros, macroErrs = readMacros(fsys)
			problems = addAppMacros(macros, p.apps)
			parses = engine.ParseAhead(srcs, macros, opts)
			close(loaded)
		}()
		k, kp, kerr = loadKnowledge(p.apps, now)
		<-loaded
	}
	defer parses.Stop()
	warnMacros(p.err, root, macroErrs)
	if kerr != nil {
		return fail("%v", kerr)
	}
	k.SetRegexBudget(time.Duration(lim["regex_budget_ms"]) * time.Millisecond)
	warnProblems(p.err, append(problems, kp...), p.apps)
	ipl, err := harness.IPLocation(p.apps, p.iplocationDB)
	if err != nil {
		return fail("%v", err)
	}
	// Compile every search before reading any event, so that an error in
	// one is reported before the work starts: the first problem in search
	// order is the one reported.
	opts.Now = now
	opts.Lookups = tableResolver{k}
	opts.IPLocation = ipl
	opts.DataModels = k.DataModels
	fields := k.Sourcetype(p.sourcetype)
	var plans []*engine.Program
	readsEvents := false
	code := -1
	parses.Each(func(_ int, s *engine.Search, problems diag.List) bool {
		if len(problems) > 0 {
			reportSyntaxError(p.streams, "text", problems[0])
			code = exitError
			return false
		}
		plan, problems := s.Compile(fields, opts)
		for _, d := range problems {
			if engine.Unplaced(d) {
				code = fail("%s", d.Message)
				return false
			}
		}
		if len(problems) > 0 {
			for _, d := range problems {
				fmt.Fprint(p.err, d.Render())
			}
			code = exitError
			return false
		}
		plans = append(plans, plan)
		readsEvents = readsEvents || plan.ReadsEvents()
		return true
	})
	if code >= 0 {
		return code
	}
	if readErr != nil {
		return fail("%v", readErr)
	}
	eopts := event.Options{Sourcetype: p.sourcetype, Source: p.source, TimeField: p.timeField, MaxEventBytes: lim["max_event_bytes"], ExtractionCutoff: lim["extraction_cutoff"]}
	in := engine.Files(p.data, eopts)
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
		in, fromStdin = engine.Stdin(p.in, eopts), true
		defer in.Close()
	}
	if fromStdin || readsMuch(p.data) {
		raiseGCFloor()
	}
	rows := make([][]*value.Row, len(plans))
	outs := make([]func(*value.Row) error, len(plans))
	for i := range plans {
		outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
	}
	runCounts, errs := engine.RunAll(plans, in, outs)
	counts := in.Counts()
	// Each search's limit error (a spent regex budget too: RunAll returns
	// it as the plan's) comes placed in that search's text; the other
	// searches of the pass ran to the end, but the command fails.
	failed := false
	for _, err := range errs {
		if err == nil {
			continue
		}
		var le *engine.LimitError
		if !errors.As(err, &le) {
			return fail("%v", err)
		}
		fmt.Fprint(p.err, le.Diag.Render())
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
func regexTimeouts(plans []*engine.Program, k *knowledge.Knowledge) int64 {
	n := k.TimeoutCount()
	for _, plan := range plans {
		n += plan.TimeoutCount()
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
