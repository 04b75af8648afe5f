package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
)

// findingOptions are the flags that decide which findings are reported
// and which of them fail the run: --select, --ignore and --fail-on.
type findingOptions struct {
	failOn  string
	selects []string
	ignores []string
}

// addFindingFlags adds --fail-on, --select and --ignore to a command.
func addFindingFlags(cmd *cobra.Command, o *findingOptions) {
	f := cmd.Flags()
	f.StringVar(&o.failOn, "fail-on", "error", "lowest finding severity that makes the exit status 1: error or warning")
	f.StringSliceVar(&o.selects, "select", nil, "report only findings of these codes (comma-separated, repeatable)")
	f.StringSliceVar(&o.ignores, "ignore", nil, "leave out findings of these codes (comma-separated, repeatable)")
}

// check reports a --fail-on other than error or warning, and a code that
// is not a finding code, naming the codes there are.
func (o *findingOptions) check() error {
	if o.failOn != string(harness.SeverityError) && o.failOn != string(harness.SeverityWarning) {
		return fmt.Errorf("unknown --fail-on %q (want error or warning)", o.failOn)
	}
	known := harness.FindingCodes()
	for _, flag := range []struct {
		name  string
		codes []string
	}{{"--select", o.selects}, {"--ignore", o.ignores}} {
		for _, c := range flag.codes {
			if !slices.Contains(known, strings.TrimSpace(c)) {
				return fmt.Errorf("unknown finding code %q in %s; the codes are: %s", c, flag.name, strings.Join(known, ", "))
			}
		}
	}
	return nil
}

// filter keeps the findings --select and --ignore let through.
func (o *findingOptions) filter(findings []harness.Finding) []harness.Finding {
	var out []harness.Finding
	for _, f := range findings {
		if (len(o.selects) == 0 || o.has(o.selects, f.Code)) && !o.has(o.ignores, f.Code) {
			out = append(out, f)
		}
	}
	return out
}

func (o *findingOptions) has(codes []string, code string) bool {
	return slices.ContainsFunc(codes, func(c string) bool { return strings.TrimSpace(c) == code })
}

// fails reports whether a finding reaches --fail-on: every error does, a
// warning only with --fail-on warning.
func (o *findingOptions) fails(findings []harness.Finding) bool {
	for _, f := range findings {
		if f.Severity == harness.SeverityError || o.failOn == string(harness.SeverityWarning) {
			return true
		}
	}
	return false
}

// writeFindings writes findings as text (file:line:col: code: severity:
// message) or GitHub workflow commands; JSON and SARIF are whole
// documents, written by the caller.
func writeFindings(w io.Writer, format string, findings []harness.Finding) {
	for _, f := range findings {
		if format == "github" {
			fmt.Fprint(w, harness.GitHubFinding(f))
		} else {
			fmt.Fprintln(w, f)
		}
	}
}

// displayPath is a path as output shows it: relative to the working
// directory when it names something under it, as given otherwise (a path
// outside, or a name such as "(app)").
func displayPath(p string) string {
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.ToSlash(rel)
}
