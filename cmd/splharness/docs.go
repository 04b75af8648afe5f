package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/harness/docs"
)

type docsParams struct {
	streams
	content    string
	attackData string
	apps       []string
	outDir     string
	format     string
}

func newDocsCommand(s streams) *cobra.Command {
	p := &docsParams{streams: s}
	cmd := &cobra.Command{
		Use:   "docs [--content DIR] [--attack-data DIR] [--app DIR]... --out DIR [--format md|html]",
		Short: "Render analytic-story and detection pages, with each detection's test status",
		Long: `Render the content as pages: one per analytic story (description, why it matters, its detections with
their ATT&CK techniques, data sources, references), one per detection (the search as written and
macro-expanded, how to implement, known false positives, techniques linked to attack.mitre.org, test
datasets), and an index. The tests run first, so every page shows each detection's latest result; failing
tests do not stop the pages. An error that the tests of many detections share (missing attack data, an
unsupported command) is said once, on the index. Deprecated detections are marked. --format md writes
CommonMark with GitHub tables; html a static site that works from file:// with no external assets: SPL
highlighted, and a filter box on the index.
Exit status: 0 pages written, 2 could not run.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runDocs(p)) },
	}
	f := cmd.Flags()
	f.StringVar(&p.content, "content", "", "content root (ESCU layout); default: the embedded content")
	f.StringVar(&p.attackData, "attack-data", "", "attack data root (attack_data repository layout); default: the embedded data")
	addStringArray(f, &p.apps, "app", "Splunk app folder whose knowledge to apply; repeatable, later apps win")
	f.StringVar(&p.outDir, "out", "", "folder to write the pages into (required; created if missing)")
	f.StringVar(&p.format, "format", "md", "output format: md or html")
	return cmd
}

func runDocs(p *docsParams) int {
	format, err := docs.ParseFormat(p.format)
	if err != nil {
		fmt.Fprintf(p.err, "splharness docs: --format: %v\n", err)
		return exitError
	}
	if p.outDir == "" {
		fmt.Fprintln(p.err, "splharness docs: --out DIR is required")
		return exitError
	}
	c, env, _, problems, err := loadContent(p.content, p.apps)
	if err != nil {
		fmt.Fprintf(p.err, "splharness docs: %v\n", err)
		return exitError
	}
	warnProblems(p.err, problems, p.apps)
	if len(c.Findings) > 0 {
		fmt.Fprintf(p.err, "warning: the content has %d problems (splharness validate lists them); the pages show what loaded\n", len(c.Findings))
	}
	var results []harness.Result
	if contentHasTests(c) {
		var data fs.FS = attackdata.FS()
		if p.attackData != "" {
			if st, err := os.Stat(p.attackData); err != nil || !st.IsDir() {
				fmt.Fprintf(p.err, "splharness docs: --attack-data %s is not a folder\n", p.attackData)
				return exitError
			}
			root, err := openRoot(p.attackData, "the attack data root")
			if err != nil {
				fmt.Fprintf(p.err, "splharness docs: %v\n", err)
				return exitError
			}
			data = root
		}
		results = []harness.Result{}
		env.RunTests(c, harness.TestOptions{AttackData: data}, func(r harness.Result) { results = append(results, r) })
	}
	site := docs.New(c, results)
	site.AttackData = p.attackData
	if err := site.WriteDir(p.outDir, format); err != nil {
		fmt.Fprintf(p.err, "splharness docs: %v\n", err)
		return exitError
	}
	fmt.Fprintf(p.out, "wrote %s: index.%s, %d in stories/, %d in detections/. %s\n",
		p.outDir, format, len(site.Stories), len(site.Detections), site.TestSummary())
	if n := len(site.Problems); n > 0 {
		fmt.Fprintf(p.out, "Common problems (errors many detections share, said once on the index): %d.\n", n)
	}
	return exitOK
}

// contentHasTests reports whether any detection of the content has a test.
func contentHasTests(c *harness.Content) bool {
	for _, d := range c.Detections {
		if len(d.Tests) > 0 {
			return true
		}
	}
	return false
}
