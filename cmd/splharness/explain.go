package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
)

func newExplainCommand(s streams) *cobra.Command {
	p := &searchParams{streams: s, explainOnly: true}
	cmd := &cobra.Command{
		Use:   "explain [--content DIR] [--app DIR]... [--data PATH]... [--sourcetype ST] [--source S] [--time-field F] [--format text|json] SPL...",
		Short: "Run a search and say where its events and rows went",
		Long: `Run an SPL search as splharness search does, and print instead of its results how many events were
read and rejected, how many the raw pre-filter ruled out, how many matched the base search, and how many
rows each following command passed on: what a failing test prints below its verdict.
Events are read as search reads them: from --data, or from standard input when it is piped.
--format json prints {"read", "rejected", "prefiltered", "base_matched", "stages": [{"command", "rows_out"}]}
(several searches: an array of {"search", "explain"} objects).
Exit status: 0 ran (zero rows is success), 2 could not run.`,
		Args: someSPL,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.spls = args
			return exitCode(runSearch(p))
		},
	}
	addSearchFlags(cmd, p)
	cmd.Flags().StringVar(&p.format, "format", "text", "output format: text or json")
	return cmd
}

// writeExplains writes what each search's run counted: for one search the
// text or the JSON object, for several the text of each under the search
// it answers, or a JSON array of {"search", "explain"} objects.
func writeExplains(w io.Writer, format string, searches []string, explains []*harness.Explain) error {
	if format == "json" {
		if len(explains) == 1 {
			return writeJSON(w, explains[0])
		}
		type entry struct {
			Search  string           `json:"search"`
			Explain *harness.Explain `json:"explain"`
		}
		all := make([]entry, len(explains))
		for i := range explains {
			all[i] = entry{searches[i], explains[i]}
		}
		return writeJSON(w, all)
	}
	for i, x := range explains {
		if len(explains) > 1 {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "== search %d: %s\n", i+1, searches[i])
		}
		if _, err := io.WriteString(w, x.Text()); err != nil {
			return err
		}
	}
	return nil
}
