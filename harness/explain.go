package harness

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
)

// Explain says where a search's events and rows went: how many events
// were read and rejected, how many the raw pre-filter ruled out, how many
// matched the base search, and how many rows each following command passed
// on. It is what a failing test prints below its verdict, and what
// splharness explain prints for any search.
type Explain struct {
	Read        int `json:"read"`
	Rejected    int `json:"rejected"`
	Prefiltered int `json:"prefiltered"`
	// TimeFallbacks counts the events whose _time came from Splunk's
	// timestamp fallback: no timestamp that could be read, or one
	// without a zone (event.Counts.TimeFallbacks).
	TimeFallbacks int `json:"time_fallbacks,omitempty"`
	// Fallback is the first of them, with what was done.
	Fallback    string         `json:"-"`
	BaseMatched int            `json:"base_matched"`
	Stages      []ExplainStage `json:"stages"`
	// Generating is true when the first command makes the rows (as
	// makeresults does): no events are read and nothing is matched.
	Generating bool `json:"-"`
	// Prefilter is what the raw pre-filter requires of an event's text
	// (engine.Program.Prefilter), shown when it let nothing match.
	Prefilter string `json:"-"`
}

// ExplainStage is the rows one command passed on.
type ExplainStage struct {
	Command string `json:"command"`
	RowsOut int    `json:"rows_out"`
	// Text is the command as canonical SPL, shown in the text output.
	Text string `json:"-"`
}

// NewExplain combines what the input read (shared by every search of a
// pass) with what one search's plan counted in its run.
func NewExplain(read event.Counts, plan *engine.Program, run engine.Counts) *Explain {
	x := &Explain{Read: read.Read, Rejected: read.Rejected, Prefiltered: run.Filtered, BaseMatched: run.Matched, Stages: []ExplainStage{}, Generating: plan.Generating(), Prefilter: plan.Prefilter()}
	x.TimeFallbacks = read.TimeFallbacks
	if len(read.Fallbacks) > 0 {
		f := read.Fallbacks[0]
		x.Fallback = fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Reason)
	}
	for _, s := range run.Stages {
		x.Stages = append(x.Stages, ExplainStage{Command: s.Command, RowsOut: s.Rows, Text: s.Text})
	}
	return x
}

// maxStageText is how much of a command's SPL a line of the text output
// shows: enough to tell two evals apart, short enough for one line.
const maxStageText = 60

// Text renders the counts, one line for the events and one per command:
//
//	83 events read, 0 rejected, 61 ruled out by the pre-filter; 0 matched the base search
//	| rename user_name AS user    0 rows
//	| stats count BY src user     0 rows
func (x *Explain) Text() string {
	var b strings.Builder
	if x.Generating {
		b.WriteString("no events read: the first command generates the rows\n")
	} else {
		fmt.Fprintf(&b, "%s read, %d rejected, %d ruled out by the pre-filter; %d matched the base search\n", plural(x.Read, "event"), x.Rejected, x.Prefiltered, x.BaseMatched)
		if x.TimeFallbacks > 0 {
			fmt.Fprintf(&b, "%d with a fallback _time (the first: %s)\n", x.TimeFallbacks, x.Fallback)
		}
		if x.BaseMatched == 0 && x.Prefiltered > 0 && x.Prefilter != "" {
			fmt.Fprintf(&b, "(the pre-filter requires the raw text to contain %s, in any case)\n", x.Prefilter)
		}
	}
	texts := make([]string, len(x.Stages))
	width := 0
	for i, s := range x.Stages {
		t := s.Text
		if t == "" {
			t = s.Command
		}
		if r := []rune(t); len(r) > maxStageText {
			t = string(r[:maxStageText-3]) + "..."
		}
		texts[i] = "| " + t
		width = max(width, utf8.RuneCountInString(texts[i]))
	}
	for i, s := range x.Stages {
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(texts[i]))
		fmt.Fprintf(&b, "%s%s  %s\n", texts[i], pad, plural(s.RowsOut, "row"))
	}
	return b.String()
}

// plural is "1 row", "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
