package main

import (
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// progress draws one line on a terminal's standard error, such as
// "[12/80] AWS Bedrock Delete GuardRails", rewritten in place as a long
// run goes on. It draws nothing in the first second, so short runs stay
// quiet, and nothing when standard error is not a terminal (a pipe, a
// file, a test). A nil *progress does nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	line  string // what to show; "" before the first update
	drawn string // what the terminal shows; "" when erased
	stop  chan struct{}
	done  chan struct{}
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

// run redraws the line every progressEvery until close, so that it
// appears after the first second even while one long read goes on.
func (p *progress) run() {
	if p == nil {
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
}

// update shows that done of total tests are done and detection's is next.
func (p *progress) update(done, total int, detection string) {
	if p == nil {
		return
	}
	line := fmt.Sprintf("[%d/%d] %s", done+1, total, detection)
	if utf8.RuneCountInString(line) > progressWidth {
		line = string([]rune(line)[:progressWidth-3]) + "..."
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line = line
	p.draw()
}

// tick draws the line if it is due and not shown yet.
func (p *progress) tick() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw()
}

func (p *progress) draw() {
	t := p.now()
	if p.line == "" || p.line == p.drawn || t.Sub(p.start) < progressDelay || (p.drawn != "" && t.Sub(p.last) < progressEvery) {
		return
	}
	// \r returns to the line's start; ESC [K erases what a longer
	// earlier line left.
	fmt.Fprintf(p.w, "\r%s\x1b[K", p.line)
	p.drawn, p.last = p.line, t
}

// above erases the line and runs print, which writes other output; the
// line comes back at the next update or tick.
func (p *progress) above(print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	print()
}

func (p *progress) erase() {
	if p.drawn != "" {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = ""
	}
}

// close stops the redrawing and erases the line.
func (p *progress) close() {
	if p == nil {
		return
	}
	if p.stop != nil {
		close(p.stop)
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	p.line = ""
}
