package harness

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// TextLine renders one result as a streamed line (and, for failures, the
// message indented below it).
func TextLine(r Result) string {
	label := map[Status]string{Pass: "PASS ", Fail: "FAIL ", Error: "ERROR"}[r.Status]
	events := fmt.Sprintf("%d events", r.Read-r.Rejected)
	if r.Rejected > 0 {
		events += fmt.Sprintf(", %d rejected", r.Rejected)
	}
	if r.TimeFallbacks > 0 {
		events += fmt.Sprintf(", %d with a fallback _time", r.TimeFallbacks)
	}
	line := fmt.Sprintf("%s %s / %s (%d rows, %s, %s)", label, r.Detection, r.Test, r.Rows, events, r.Duration.Round(time.Microsecond))
	if r.Status == Pass {
		return line + "\n"
	}
	return line + "\n" + indent(details(r), "      ") + "\n"
}

// details is what a result that did not pass says below its verdict: the
// message, then for a failure where the events and rows went, and for
// rows that are not those expected the diff.
func details(r Result) string {
	s := strings.TrimRight(r.Message, "\n") + "\n"
	if r.Explain != nil {
		s += r.Explain.Text()
	}
	if r.Diff != "" {
		s += "rows (-expected +returned):\n" + r.Diff
	}
	return s
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// SummaryLine is the closing line: "5 passed, 0 failed" (and errors when
// there are any).
func SummaryLine(s Summary) string {
	line := fmt.Sprintf("%d passed, %d failed", s.Passed, s.Failed)
	switch {
	case s.Errors == 1:
		line += ", 1 error"
	case s.Errors > 1:
		line += fmt.Sprintf(", %d errors", s.Errors)
	}
	return line
}

// jsonResult is one test in the output of test --format json, whose
// fields tools rely on (README, "Usage"): keep them stable.
type jsonResult struct {
	Detection  string `json:"detection"`
	Test       string `json:"test"`
	File       string `json:"file"`
	Status     Status `json:"status"`
	Rows       int    `json:"rows"`
	Message    string `json:"message"`
	DurationMS int64  `json:"duration_ms"`
	// A failed test says where its events and rows went, and when the
	// rows are not those expected, how they differ (DESIGN.md).
	Explain *Explain `json:"explain,omitempty"`
	Diff    string   `json:"diff,omitempty"`
}

// WriteJSON writes {"tests": [...], "summary": {...}}.
func WriteJSON(w io.Writer, results []Result, s Summary) error {
	out := struct {
		Tests   []jsonResult `json:"tests"`
		Summary struct {
			Passed     int   `json:"passed"`
			Failed     int   `json:"failed"`
			Errors     int   `json:"errors"`
			DurationMS int64 `json:"duration_ms"`
			// NotRun is there only when --fail-fast stopped the run.
			NotRun int `json:"not_run,omitempty"`
		} `json:"summary"`
	}{Tests: []jsonResult{}}
	for _, r := range results {
		out.Tests = append(out.Tests, jsonResult{r.Detection, r.Test, r.File, r.Status, r.Rows, r.Message, r.Duration.Milliseconds(), r.Explain, r.Diff})
	}
	out.Summary.Passed, out.Summary.Failed, out.Summary.Errors = s.Passed, s.Failed, s.Errors
	out.Summary.DurationMS = s.Duration.Milliseconds()
	out.Summary.NotRun = s.NotRun
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteJUnit writes JUnit XML: a test suite per detection.
func WriteJUnit(w io.Writer, results []Result, s Summary) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		File      string   `xml:"file,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Error     *failure `xml:"error,omitempty"`
	}
	type suite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Time     string     `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
		took     time.Duration
	}
	type suites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Time     string   `xml:"time,attr"`
		Suites   []*suite `xml:"testsuite"`
	}
	out := suites{Tests: len(results), Failures: s.Failed, Errors: s.Errors, Time: junitTime(s.Duration)}
	index := map[string]*suite{}
	for _, r := range results {
		su, ok := index[r.Detection]
		if !ok {
			su = &suite{Name: r.Detection}
			index[r.Detection] = su
			out.Suites = append(out.Suites, su)
		}
		tc := testcase{Name: r.Test, Classname: r.Detection, File: r.File, Time: junitTime(r.Duration)}
		switch r.Status {
		case Fail:
			tc.Failure = &failure{Message: firstLine(r.Message), Text: details(r)}
			su.Failures++
		case Error:
			tc.Error = &failure{Message: firstLine(r.Message), Text: r.Message}
			su.Errors++
		}
		su.Tests++
		su.Cases = append(su.Cases, tc)
		su.took += r.Duration
		su.Time = junitTime(su.took)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitTime is a duration as JUnit's time attribute: seconds with six
// decimals (0.002581), as JUnit's own XML report and the XSD's decimal
// type have it, never Go's exponent form (2.5818e-05).
func junitTime(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 6, 64)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
