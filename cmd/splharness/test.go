package main

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

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
	list       bool
	failFast   bool
	// iplocationDB is --iplocation-db (see searchParams).
	iplocationDB string
	findingOptions
}

func newTestCommand(s streams) *cobra.Command {
	p := &testParams{streams: s}
	cmd := &cobra.Command{
		Use:   "test [--content DIR] [--attack-data DIR] [--app DIR]... [--detection NAME]... [--story NAME] [--format text|json|sarif|github] [--junit FILE] [--list] [--fail-fast] [--fail-on error|warning] [--select CODE,...] [--ignore CODE,...]",
		Short: "Run detection tests against their attack data",
		Long: `Run every detection test: load its attack data (data URLs resolve into --attack-data), run the
macro-expanded search with the sourcetype knowledge, and decide: it fires when it returns rows and every
row has the detection's risk/finding entity fields. A splharness.yml beside the data adds exact expected
rows and must-not-fire datasets. Defaults: the embedded content and attack data.
Problems of the content itself are findings, as validate reports them (--select, --ignore, --fail-on).
--format sarif writes failing tests and findings as SARIF 2.1.0, github as workflow-command annotations.
--detection globs and --story match names in any case; --list prints the tests it selects without running
them. On a terminal, a run longer than a second shows its progress on standard error.
Exit status: 0 all passed, 1 failures or findings at or above --fail-on, 2 could not run.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runTest(p)) },
	}
	f := cmd.Flags()
	f.StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	f.StringVar(&p.attackData, "attack-data", "", "attack data root (attack_data repository layout); default: the embedded data")
	addStringArray(f, &p.apps, "app", "Splunk app folder whose knowledge to apply; repeatable, later apps win")
	addStringArray(f, &p.detections, "detection", "run only detections whose name matches this glob, in any case (repeatable)")
	f.StringVar(&p.story, "story", "", "run only the detections of this analytic story")
	f.BoolVar(&p.list, "list", false, "print the selected tests and their data files; run nothing")
	f.BoolVar(&p.failFast, "fail-fast", false, "stop at the first test that fails or errs")
	f.StringVar(&p.format, "format", "text", "output format: text, json, sarif or github")
	f.StringVar(&p.junit, "junit", "", "also write JUnit XML to this file")
	addFindingFlags(cmd, &p.findingOptions)
	addLimitFlag(cmd, &p.limits)
	addIPLocationFlag(cmd, &p.iplocationDB)
	return cmd
}

func runTest(p *testParams) int {
	if err := checkFormat("test", p.format); err != nil {
		fmt.Fprintf(p.err, "splharness test: %v\n", err)
		return exitError
	}
	if err := p.check(); err != nil {
		fmt.Fprintf(p.err, "splharness test: %v\n", err)
		return exitError
	}
	c, env, root, problems, err := loadContent(p.content, p.apps)
	if err == nil {
		err = applyLimits(env, p.limits)
	}
	if err == nil && p.iplocationDB != "" {
		env.IPLocation, err = harness.IPLocation(p.apps, p.iplocationDB)
	}
	if err != nil {
		fmt.Fprintf(p.err, "splharness test: %v\n", err)
		return exitError
	}
	warnProblems(p.err, problems, p.apps)
	// Problems of loading the content (a detection file that does not
	// parse, a mistyped key) would otherwise vanish with the detection:
	// they are listed as validate lists them (on standard error beside
	// text and JSON results), and one at or above --fail-on fails the run.
	place := func(file string) string { return displayPath(path.Join(root, file)) }
	var findings []harness.Finding
	for _, f := range c.Findings {
		f.File = place(f.File)
		findings = append(findings, f)
	}
	findings = p.filter(findings)
	switch p.format {
	case "text", "json":
		writeFindings(p.err, "text", findings)
	case "github":
		writeFindings(p.out, "github", findings)
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
		// An attack data root can hold gigabytes; the embedded data is small.
		raiseGCFloor()
	}
	opts := harness.TestOptions{AttackData: data, Detections: p.detections, Story: p.story, FailFast: p.failFast}
	if p.list {
		return listTests(p, c, opts, place)
	}
	bar := newProgress(p.streams, time.Now)
	opts.Progress = bar.update
	bar.run()
	var results []harness.Result
	sum := env.RunTests(c, opts, func(r harness.Result) {
		placeResult(&r, place)
		results = append(results, r)
		switch {
		case p.format == "text" && len(r.Missing) > 0:
			// A test whose attack data is missing is said once for all, below.
		case p.format == "text", p.format == "github" && r.Status == harness.Pass:
			bar.above(func() { fmt.Fprint(p.out, harness.TextLine(r)) })
		case p.format == "github":
			bar.above(func() { fmt.Fprint(p.out, harness.GitHubResult(r)) })
		}
	})
	bar.close()
	if len(results) == 0 {
		noTestsSelected(p, c)
		return exitError
	}
	if sum.NotRun > 0 {
		fmt.Fprintf(p.err, "splharness test: --fail-fast: stopped at the first failure; %s not run\n", plural(sum.NotRun, "test"))
	}
	switch p.format {
	case "json":
		err = harness.WriteJSON(p.out, results, sum)
	case "sarif":
		err = harness.WriteSARIF(p.out, toolVersion(), findings, results)
	default:
		if p.format == "text" {
			folder := "the embedded attack data (no --attack-data given)"
			if p.attackData != "" {
				folder = displayPath(p.attackData)
			}
			fmt.Fprint(p.out, harness.MissingReport(results, folder))
		}
		fmt.Fprintln(p.out, harness.SummaryLine(sum))
	}
	if err != nil {
		fmt.Fprintf(p.err, "splharness test: %v\n", err)
		return exitError
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
	if sum.Failed > 0 || sum.Errors > 0 || p.fails(findings) {
		return exitFindings
	}
	return exitOK
}

// placeResult names a result's file, and that of the finding that kept it
// from running (which its message quotes), as place names content files.
func placeResult(r *harness.Result, place func(string) string) {
	r.File = place(r.File)
	if r.Finding != nil {
		f := *r.Finding
		f.File = place(f.File)
		r.Finding, r.Message = &f, f.String()
	}
}

// listTests prints the tests a run would run, with their data files
// (marked when missing from the attack data), without running them.
func listTests(p *testParams, c *harness.Content, opts harness.TestOptions, place func(string) string) int {
	if p.format != "text" && p.format != "json" {
		fmt.Fprintf(p.err, "splharness test: --list prints text or json, not %s (see 'splharness test --help')\n", p.format)
		return exitError
	}
	tests := harness.PlanTests(c, opts)
	for i := range tests {
		tests[i].File = place(tests[i].File)
	}
	if len(tests) == 0 {
		noTestsSelected(p, c)
		return exitError
	}
	if p.format == "json" {
		if err := writeJSON(p.out, map[string]any{"tests": tests}); err != nil {
			fmt.Fprintf(p.err, "splharness test: %v\n", err)
			return exitError
		}
		return exitOK
	}
	detections := map[string]bool{}
	for _, t := range tests {
		detections[t.Detection] = true
		fmt.Fprintf(p.out, "%s / %s\n", t.Detection, t.Test)
		for _, f := range t.Data {
			if slices.Contains(t.Missing, f) {
				f += " (missing)"
			}
			fmt.Fprintf(p.out, "    %s\n", f)
		}
	}
	fmt.Fprintf(p.out, "%s of %s\n", plural(len(tests), "test"), plural(len(detections), "detection"))
	return exitOK
}

// nearNames is how many near names "no tests selected" suggests.
const nearNames = 5

// noTestsSelected says why no test was selected: names near those the
// user gave, and how to list them all.
func noTestsSelected(p *testParams, c *harness.Content) {
	var by []string
	for _, g := range p.detections {
		by = append(by, fmt.Sprintf("--detection %q", g))
	}
	if p.story != "" {
		by = append(by, fmt.Sprintf("--story %q", p.story))
	}
	if len(by) == 0 {
		fmt.Fprintf(p.err, "splharness test: no tests selected: no detection of %s has tests\n", c.Name)
		return
	}
	fmt.Fprintf(p.err, "splharness test: no tests selected by %s\n", strings.Join(by, " "))
	var detections, stories []string
	for _, d := range c.Detections {
		if len(d.Tests) > 0 {
			detections = append(detections, d.Name)
			stories = append(stories, d.Stories...)
		}
	}
	// Each name once, though several globs come near it.
	var near []string
	suggest := func(flag string, names []string) {
		for _, n := range names {
			if s := fmt.Sprintf("%s %q", flag, n); !slices.Contains(near, s) {
				near = append(near, s)
			}
		}
	}
	for _, g := range p.detections {
		suggest("--detection", harness.NearNames(g, detections, nearNames))
	}
	if p.story != "" {
		suggest("--story", harness.NearNames(p.story, stories, nearNames))
	}
	if len(near) > nearNames {
		near = near[:nearNames]
	}
	if len(near) > 0 {
		fmt.Fprintln(p.err, "did you mean:")
		for _, n := range near {
			fmt.Fprintf(p.err, "  %s\n", n)
		}
	}
	fmt.Fprintln(p.err, "splharness test --list lists every test (with --content for other content)")
}
