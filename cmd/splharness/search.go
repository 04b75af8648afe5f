package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/output"
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
	spl        string
}

func newSearchCommand(s streams) *cobra.Command {
	p := &searchParams{streams: s}
	cmd := &cobra.Command{
		Use:   "search [--content DIR] [--app DIR]... --data PATH... [--sourcetype ST] [--source S] [--time-field F] [--format table|json|csv] SPL",
		Short: "Run a search over files of events, as Splunk would",
		Long: `Run an SPL search over events read from files or folders (newline-delimited JSON,
CloudTrail {"Records":[...]} files, JSON arrays, any of them gzip-compressed).
Macros come from --content (default: the embedded content). SPL "-" reads the search from standard input.
Exit status: 0 ran (zero rows is success), 2 could not run (syntax error, unsupported command, unreadable data).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.spl = args[0]
			return exitCode(runSearch(p))
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.content, "content", "", "content root (ESCU layout) for macros; default: the embedded content")
	f.StringArrayVar(&p.apps, "app", nil, "Splunk app folder (default/, local/, lookups/) whose knowledge to apply; repeatable, later apps win")
	f.StringArrayVar(&p.data, "data", nil, "file or folder of events (repeatable)")
	f.StringVar(&p.sourcetype, "sourcetype", "aws:cloudtrail", "sourcetype of the events")
	f.StringVar(&p.source, "source", "", "source of the events (default: the file path)")
	f.StringVar(&p.timeField, "time-field", "", "JSON field holding _time (for sourcetypes other than aws:cloudtrail)")
	f.StringVar(&p.format, "format", "table", "output format: table, json or csv")
	addLimitFlag(cmd, &p.limits)
	return cmd
}

// fileInput reads events from files for a plan, once per run.
type fileInput struct {
	paths  []string
	opts   event.Options
	counts *event.Counts
}

func (in *fileInput) Events(fn func(*event.Event) error) error {
	c, err := event.Read(in.paths, in.opts, fn)
	if in.counts != nil && in.counts.Read == 0 {
		*in.counts = c
	}
	return err
}

func runSearch(p *searchParams) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(p.err, "splharness search: "+format+"\n", args...)
		return exitError
	}
	if p.format != "table" && p.format != "json" && p.format != "csv" {
		return fail("unknown --format %q (want table, json or csv)", p.format)
	}
	lim, err := parseLimits(p.limits)
	if err != nil {
		return fail("%v", err)
	}
	src, err := readSPL(p.spl, p.in)
	if err != nil {
		return fail("%v", err)
	}
	fsys, root, err := openContent(p.content)
	if err != nil {
		return fail("%v", err)
	}
	macros := loadMacros(fsys, root, p.err)
	if err := addAppMacros(macros, p.apps, p.err); err != nil {
		return fail("%v", err)
	}
	q, exp, err := spl.ParseSearchWith(src, macros, macro.Options{AutoFilter: true}, spl.Limits{MaxBytes: lim["max_query_bytes"], MaxDepth: lim["max_nesting"]})
	if err != nil {
		reportSyntaxError(p.streams, "text", err)
		return exitError
	}
	now := clock()
	k, err := loadKnowledge(p.apps, now, p.err)
	if err != nil {
		return fail("%v", err)
	}
	plan, err := exec.Compile(q, knowledgeOptions(k, p.sourcetype, exec.Options{Now: now, MaxGroups: lim["max_groups"], MaxSubsearchRows: lim["max_subsearch_rows"]}))
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			fmt.Fprint(p.err, diag.Errorf(exp.Source, ee.Code, ee.Pos.Offset, "%s", ee.Msg).Render())
			return exitError
		}
		return fail("%v", err)
	}
	var counts event.Counts
	in := &fileInput{paths: p.data, counts: &counts, opts: event.Options{Sourcetype: p.sourcetype, Source: p.source, TimeField: p.timeField, MaxEventBytes: lim["max_event_bytes"]}}
	var rows []*eval.Row
	runCounts, err := plan.Run(in, func(r *eval.Row) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		var le *exec.LimitError
		if errors.As(err, &le) {
			fmt.Fprint(p.err, diag.Errorf(exp.Source, diag.Limit, le.Pos.Offset, "%s", le.Msg).Render())
			return exitError
		}
		return fail("%v", err)
	}
	if err := writeRows(p.out, p.format, rows); err != nil {
		return fail("%v", err)
	}
	if len(p.data) > 0 {
		fmt.Fprintf(p.err, "%d events read, %d evaluated, %d rejected; %d matched the base search; %d rows\n",
			counts.Read, counts.Accepted, counts.Rejected, runCounts.Matched, len(rows))
		for _, r := range counts.Rejects {
			fmt.Fprintf(p.err, "rejected %s:%d: %s\n", r.File, r.Line, r.Reason)
		}
	}
	return exitOK
}

func writeRows(w io.Writer, format string, rows []*eval.Row) error {
	switch format {
	case "json":
		return output.JSON(w, rows)
	case "csv":
		return output.CSV(w, rows)
	}
	return output.Table(w, rows)
}
