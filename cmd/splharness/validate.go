package main

import (
	"encoding/json"
	"fmt"
	"path"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
)

type validateParams struct {
	streams
	content string
	apps    []string
	format  string
	limits  []string
}

func newValidateCommand(s streams) *cobra.Command {
	p := &validateParams{streams: s}
	cmd := &cobra.Command{
		Use:   "validate [--content DIR] [--app DIR]... [--format text|json]",
		Short: "Check content: YAML, schema, SPL, macros, lookups, data sources, stories, ATT&CK ids",
		Long: `Check a content root in the layout of Splunk Security Content (default: the embedded content).
Every problem is printed as file:line:col: code: message (or a JSON array of findings with --format json).
Exit status: 0 no findings, 1 findings, 2 could not run.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runValidate(p)) },
	}
	cmd.Flags().StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	cmd.Flags().StringArrayVar(&p.apps, "app", nil, "Splunk app folder whose knowledge (props, lookups) to apply; repeatable")
	cmd.Flags().StringVar(&p.format, "format", "text", "output format: text or json")
	addLimitFlag(cmd, &p.limits)
	return cmd
}

func runValidate(p *validateParams) int {
	if p.format != "text" && p.format != "json" {
		fmt.Fprintf(p.err, "splharness validate: unknown --format %q (want text or json)\n", p.format)
		return exitError
	}
	c, env, root, problems, err := loadContent(p.content, p.apps)
	if err == nil {
		err = applyLimits(env, p.limits)
	}
	if err != nil {
		fmt.Fprintf(p.err, "splharness validate: %v\n", err)
		return exitError
	}
	// A folder that holds no content at all is most likely the wrong
	// folder: "0 findings" would pass it in silence.
	if len(c.Detections)+len(c.Stories)+len(c.DataSources)+len(c.Lookups)+c.Macros.Defined() == 0 && len(c.Findings) == 0 {
		fmt.Fprintf(p.err, "splharness validate: %s holds no content (no YAML file under detections/, stories/, data_sources/, lookups/ or macros/): is it a content root?\n", root)
		return exitError
	}
	findings := env.Validate(c)
	for i := range findings {
		findings[i].File = path.Join(root, findings[i].File)
	}
	// Problems of --app folders' .conf files are findings too; their
	// files are already named by the folder given.
	findings = append(findings, appFindings(problems, p.apps)...)
	harness.SortFindings(findings)
	if p.format == "json" {
		if findings == nil {
			findings = []harness.Finding{}
		}
		enc := json.NewEncoder(p.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		_ = enc.Encode(findings)
	} else {
		for _, f := range findings {
			fmt.Fprintln(p.out, f)
		}
		fmt.Fprintf(p.err, "checked %d detections, %d stories, %d data sources, %d macros: %d findings\n",
			len(c.Detections), len(c.Stories), len(c.DataSources), c.Macros.Defined(), len(findings))
	}
	if len(findings) > 0 {
		return exitFindings
	}
	return exitOK
}
