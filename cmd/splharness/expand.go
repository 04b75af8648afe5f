package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/spl/macro"
)

type expandParams struct {
	streams
	content string
	spl     string
}

func newExpandCommand(s streams) *cobra.Command {
	p := &expandParams{streams: s}
	cmd := &cobra.Command{
		Use:   "expand [--content DIR] SPL",
		Short: "Print the search with its macros expanded, as Splunk would run it",
		Long: `Expand the macros of an SPL search with the macros of a content root (default: the embedded content).
A detection's <name>_filter macro that no file defines expands to "search *", as contentctl generates it.
SPL "-" reads the search from standard input. Exit status: 0 expanded, 1 macro error, 2 could not run.`,
		Args: oneSPL,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.spl = args[0]
			return exitCode(runExpand(p))
		},
	}
	cmd.Flags().StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	return cmd
}

func runExpand(p *expandParams) int {
	src, err := readSPL(p.spl, p.in, 0)
	if err != nil {
		fmt.Fprintf(p.err, "splharness expand: %v\n", err)
		return exitError
	}
	fsys, root, err := openContent(p.content)
	if err != nil {
		fmt.Fprintf(p.err, "splharness expand: %v\n", err)
		return exitError
	}
	exp, err := macro.Expand(src, loadMacros(fsys, root, p.err), macro.Options{AutoFilter: true})
	if err != nil {
		return reportSyntaxError(p.streams, "text", err)
	}
	fmt.Fprintln(p.out, exp.Text)
	return exitOK
}
