package main

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// progress draws one line on a terminal's standard error, such as
// "[12/80] AWS Bedrock Delete GuardRails", rewritten in place as a long
// run goes on. It draws nothing in the first second, so short runs stay
// quiet, and nothing when standard error is not a terminal (a pipe, a
// file, a test).
type progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	shown bool
}

// progressDelay is how long a run goes before it shows progress, and
// progressEvery how often at most the line is redrawn.
const (
	progressDelay = time.Second
	progressEvery = 100 * time.Millisecond
	// progressWidth keeps the line within an 80-column terminal, so that
	// it never wraps (a wrapped line cannot be redrawn in place).
	progressWidth = 79
)

// newProgress returns a progress line for standard error, or nil when
// standard error is not a terminal.
func newProgress(s streams, now func() time.Time) *progress {
	if !s.errTerminal {
		return nil
	}
	return &progress{w: s.err, now: now, start: now()}
}

// update shows that done of total tests are done and detection's is next.
func (p *progress) update(done, total int, detection string) {
	if p == nil {
		return
	}
	t := p.now()
	if t.Sub(p.start) < progressDelay || (p.shown && t.Sub(p.last) < progressEvery) {
		return
	}
	line := fmt.Sprintf("[%d/%d] %s", done+1, total, detection)
	if utf8.RuneCountInString(line) > progressWidth {
		line = string([]rune(line)[:progressWidth-3]) + "..."
	}
	// \r returns to the line's start; ESC [K erases what a longer
	// earlier line left.
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	p.shown, p.last = true, t
}

// clear erases the line, before other output and at the end.
func (p *progress) clear() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.shown = false
}
