package main

import (
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
	findingOptions
}

func newValidateCommand(s streams) *cobra.Command {
	p := &validateParams{streams: s}
	cmd := &cobra.Command{
		Use:   "validate [--content DIR] [--app DIR]... [--format text|json|sarif|github] [--fail-on error|warning] [--select CODE,...] [--ignore CODE,...]",
		Short: "Check content: YAML, schema, SPL, macros, lookups, data sources, stories, ATT&CK ids",
		Long: `Check a content root in the layout of Splunk Security Content (default: the embedded content).
Every problem is printed as file:line:col: code: severity: message; --format json writes a JSON array
of findings, sarif a SARIF 2.1.0 log (GitHub code scanning), github workflow-command annotations.
Each code has one severity, error or warning (docs/findings.md); --select and --ignore pick codes.
Exit status: 0 no finding at or above --fail-on (default error), 1 some, 2 could not run.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runValidate(p)) },
	}
	cmd.Flags().StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	addStringArray(cmd.Flags(), &p.apps, "app", "Splunk app folder whose knowledge (props, lookups) to apply; repeatable")
	cmd.Flags().StringVar(&p.format, "format", "text", "output format: text, json, sarif or github")
	addFindingFlags(cmd, &p.findingOptions)
	addLimitFlag(cmd, &p.limits)
	return cmd
}

func runValidate(p *validateParams) int {
	if err := checkFormat("validate", p.format); err != nil {
		fmt.Fprintf(p.err, "splharness validate: %v\n", err)
		return exitError
	}
	if err := p.check(); err != nil {
		fmt.Fprintf(p.err, "splharness validate: %v\n", err)
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
	// files are already named by the folder given. The built-in data
	// models are read here if no check has read them (they are read only
	// when needed: datamodel.Set), so that validate checks every file.
	problems = append(problems, env.Knowledge.DataModels.DeferredProblems()...)
	findings = append(findings, appFindings(problems, p.apps)...)
	for i := range findings {
		findings[i].File = displayPath(findings[i].File)
	}
	harness.SortFindings(findings)
	findings = p.filter(findings)
	switch p.format {
	case "json":
		if findings == nil {
			findings = []harness.Finding{}
		}
		_ = writeJSON(p.out, findings)
	case "sarif":
		if err := harness.WriteSARIF(p.out, toolVersion(), findings, nil); err != nil {
			fmt.Fprintf(p.err, "splharness validate: %v\n", err)
			return exitError
		}
	default:
		writeFindings(p.out, p.format, findings)
		fmt.Fprintf(p.err, "checked %d detections, %d stories, %d data sources, %d macros: %s\n",
			len(c.Detections), len(c.Stories), len(c.DataSources), c.Macros.Defined(), countFindings(findings))
	}
	if p.fails(findings) {
		return exitFindings
	}
	return exitOK
}

// countFindings says how many findings there are, and of them how many are
// errors and warnings: "3 findings (1 error, 2 warnings)".
func countFindings(findings []harness.Finding) string {
	errs := 0
	for _, f := range findings {
		if f.Severity == harness.SeverityError {
			errs++
		}
	}
	if len(findings) == 0 {
		return "0 findings"
	}
	return fmt.Sprintf("%s (%s, %s)", plural(len(findings), "finding"), plural(errs, "error"), plural(len(findings)-errs, "warning"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
