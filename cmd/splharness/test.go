package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/spf13/cobra"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness"
)

type testParams struct {
	streams
	content    string
	attackData string
	apps       []string
	detections []string
	story      string
	format     string
	junit      string
	limits     []string
}

func newTestCommand(s streams) *cobra.Command {
	p := &testParams{streams: s}
	cmd := &cobra.Command{
		Use:   "test [--content DIR] [--attack-data DIR] [--app DIR]... [--detection NAME]... [--story NAME] [--format text|json] [--junit FILE]",
		Short: "Run detection tests against their attack data",
		Long: `Run every detection test: load its attack data (data URLs resolve into --attack-data), run the
macro-expanded search with the sourcetype knowledge, and decide: it fires when it returns rows and every
row has the detection's risk/finding entity fields. A splharness.yml beside the data adds exact expected
rows and must-not-fire datasets. Defaults: the embedded content and attack data.
Exit status: 0 all passed, 1 failures, 2 could not run.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runTest(p)) },
	}
	f := cmd.Flags()
	f.StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	f.StringVar(&p.attackData, "attack-data", "", "attack data root (attack_data repository layout); default: the embedded data")
	f.StringArrayVar(&p.apps, "app", nil, "Splunk app folder whose knowledge to apply; repeatable, later apps win")
	f.StringArrayVar(&p.detections, "detection", nil, "run only detections whose name matches this glob (repeatable)")
	f.StringVar(&p.story, "story", "", "run only the detections of this analytic story")
	f.StringVar(&p.format, "format", "text", "output format: text or json")
	f.StringVar(&p.junit, "junit", "", "also write JUnit XML to this file")
	addLimitFlag(cmd, &p.limits)
	return cmd
}

func runTest(p *testParams) int {
	if p.format != "text" && p.format != "json" {
		fmt.Fprintf(p.err, "splharness test: unknown --format %q (want text or json)\n", p.format)
		return exitError
	}
	c, env, root, problems, err := loadContent(p.content, p.apps)
	if err == nil {
		err = applyLimits(env, p.limits)
	}
	if err != nil {
		fmt.Fprintf(p.err, "splharness test: %v\n", err)
		return exitError
	}
	warnProblems(p.err, problems)
	// Problems of loading the content (a detection file that does not
	// parse, a mistyped key) would otherwise vanish with the detection:
	// they are listed on standard error as validate lists them, and an
	// error among them fails the run.
	loadErrors := false
	for _, f := range c.Findings {
		f.File = path.Join(root, f.File)
		fmt.Fprintln(p.err, f)
		if f.Severity == harness.SeverityError {
			loadErrors = true
		}
	}
	var data fs.FS = attackdata.FS()
	if p.attackData != "" {
		if st, err := os.Stat(p.attackData); err != nil || !st.IsDir() {
			fmt.Fprintf(p.err, "splharness test: --attack-data %s is not a folder\n", p.attackData)
			return exitError
		}
		root, err := openRoot(p.attackData, "the attack data root")
		if err != nil {
			fmt.Fprintf(p.err, "splharness test: %v\n", err)
			return exitError
		}
		data = root
	}
	var results []harness.Result
	sum := env.RunTests(c, harness.TestOptions{AttackData: data, Detections: p.detections, Story: p.story}, func(r harness.Result) {
		results = append(results, r)
		if p.format == "text" {
			fmt.Fprint(p.out, harness.TextLine(r))
		}
	})
	if len(results) == 0 {
		fmt.Fprintln(p.err, "splharness test: no tests selected")
		return exitError
	}
	if p.format == "json" {
		if err := harness.WriteJSON(p.out, results, sum); err != nil {
			fmt.Fprintf(p.err, "splharness test: %v\n", err)
			return exitError
		}
	} else {
		fmt.Fprintln(p.out, harness.SummaryLine(sum))
	}
	if p.junit != "" {
		f, err := os.Create(p.junit)
		if err == nil {
			err = harness.WriteJUnit(f, results, sum)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(p.err, "splharness test: %v\n", err)
			return exitError
		}
	}
	if sum.Failed > 0 || sum.Errors > 0 || loadErrors {
		return exitFindings
	}
	return exitOK
}
