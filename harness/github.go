package harness

import (
	"fmt"
	"strings"
)

// GitHubFinding renders a finding as a GitHub Actions workflow command,
// ::error file=F,line=L,col=C,title=CODE::message (::warning for a
// warning), which the runner shows as an annotation on the file
// (GitHub Docs, "Workflow commands for GitHub Actions").
func GitHubFinding(f Finding) string {
	return githubCommand(string(f.Severity), f.File, f.Line, f.Column, f.Code, f.Message)
}

// GitHubResult renders a test that failed or could not run as an error
// annotation titled test-fail or test-error, placed as WriteSARIF places
// it; a passing test is "".
func GitHubResult(r Result) string {
	code, ok := testCode(r)
	if !ok {
		return ""
	}
	file, line, col, msg := placeResult(r)
	return githubCommand(string(SeverityError), file, line, col, code, msg)
}

// placeResult is where an annotation of a test result points, and its
// message: the test's entry under tests:, or the problem of the search
// that kept it from running (whose place the message then need not
// repeat). A failed test's message goes on with its counts and rows diff
// (details).
func placeResult(r Result) (file string, line, col int, msg string) {
	if f := r.Finding; f != nil {
		return f.File, f.Line, f.Column, r.Detection + " / " + r.Test + ": " + f.Code + ": " + f.Message
	}
	return r.File, r.Line, r.Column, r.Detection + " / " + r.Test + ": " + strings.TrimRight(details(r), "\n")
}

func githubCommand(level, file string, line, col int, title, msg string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "::%s file=%s", level, escapeProperty(file))
	if line > 0 {
		fmt.Fprintf(&b, ",line=%d", line)
		if col > 0 {
			fmt.Fprintf(&b, ",col=%d", col)
		}
	}
	fmt.Fprintf(&b, ",title=%s::%s\n", escapeProperty(title), escapeData(msg))
	return b.String()
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's message as the Actions runner
// unescapes it: %, carriage return and line feed.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a property value (file, title): as data, and the
// : and , that would end the value.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
