package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

type parseParams struct {
	streams
	content string
	format  string
	spl     string
}

func newParseCommand(s streams) *cobra.Command {
	p := &parseParams{streams: s}
	cmd := &cobra.Command{
		Use:   "parse [--content DIR] [--format text|json] SPL",
		Short: "Check SPL syntax and print it in canonical form",
		Long: `Parse an SPL search and print its canonical form (text) or its syntax tree (json).
Macros are expanded first, as expand and search expand them: those of --content (default: the embedded
content), and a detection's <name>_filter macro that no file defines as "search *". A search without
macros parses as written. SPL "-" reads the search from standard input.
Exit status: 0 parsed, 1 syntax error, 2 could not run.`,
		Args: oneSPL,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.spl = args[0]
			return exitCode(runParse(p))
		},
	}
	cmd.Flags().StringVar(&p.content, "content", "", "content root (ESCU layout) whose macros to expand; default: the embedded content")
	cmd.Flags().StringVar(&p.format, "format", "text", "output format: text or json")
	return cmd
}

func runParse(p *parseParams) int {
	if err := checkFormat("parse", p.format); err != nil {
		fmt.Fprintf(p.err, "splharness parse: %v\n", err)
		return exitError
	}
	src, err := readSPL(p.spl, p.in, 0)
	if err != nil {
		fmt.Fprintf(p.err, "splharness parse: %v\n", err)
		return exitError
	}
	fsys, root, err := openContent(p.content)
	if err != nil {
		fmt.Fprintf(p.err, "splharness parse: %v\n", err)
		return exitError
	}
	q, _, err := spl.ParseSearch(src, loadMacros(fsys, root, p.err), macro.Options{AutoFilter: true})
	if err != nil {
		return reportSyntaxError(p.streams, p.format, err)
	}
	if p.format == "json" {
		b, err := spl.MarshalTree(q)
		if err != nil {
			fmt.Fprintf(p.err, "splharness parse: %v\n", err)
			return exitError
		}
		fmt.Fprintf(p.out, "%s\n", b)
		return exitOK
	}
	fmt.Fprintln(p.out, q.String())
	return exitOK
}

// reportSyntaxError shows a positioned error: rendered with a caret on
// standard error, and for --format json also as an object on standard
// output, so tools need not parse text.
func reportSyntaxError(s streams, format string, err error) int {
	var d *diag.Error
	if !errors.As(err, &d) {
		fmt.Fprintf(s.err, "splharness: %v\n", err)
		return exitError
	}
	fmt.Fprint(s.err, d.Render())
	if format == "json" {
		pos := d.Position()
		_ = writeJSON(s.out, map[string]any{"error": map[string]any{
			"file": pos.File, "line": pos.Line, "column": pos.Column,
			"code": d.Code, "message": d.Message,
		}})
	}
	return exitFindings
}
