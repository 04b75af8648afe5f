package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: the progress line shows on a terminal only, after the
// first second, at most every 100 ms, within 79 columns, and is erased.
func TestProgress(t *testing.T) {
	type step struct {
		at     time.Duration // since the start
		done   int
		name   string
		clear  bool
		output string // what the step writes
	}
	long := strings.Repeat("x", 100)
	cases := []struct {
		name     string
		terminal bool
		steps    []step
	}{
		{"not a terminal", false, []step{{at: 5 * time.Second, done: 3, name: "A"}, {at: 6 * time.Second, clear: true}}},
		{"short run", true, []step{{at: 0, done: 0, name: "A"}, {at: 900 * time.Millisecond, done: 1, name: "B"}, {at: 950 * time.Millisecond, clear: true}}},
		{"long run", true, []step{
			{at: 500 * time.Millisecond, done: 0, name: "A"},
			{at: 1100 * time.Millisecond, done: 1, name: "B", output: "\r[2/8] B\x1b[K"},
			{at: 1150 * time.Millisecond, done: 2, name: "C"},
			{at: 1250 * time.Millisecond, done: 3, name: "D", output: "\r[4/8] D\x1b[K"},
			{at: 1300 * time.Millisecond, clear: true, output: "\r\x1b[K"},
			{at: 1310 * time.Millisecond, clear: true},
		}},
		{"long name", true, []step{{at: 2 * time.Second, done: 7, name: long, output: "\r[8/8] " + long[:70] + "...\x1b[K"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
			now := start
			var w bytes.Buffer
			p := newProgress(streams{err: &w, errTerminal: c.terminal}, func() time.Time { return now })
			for _, s := range c.steps {
				now = start.Add(s.at)
				w.Reset()
				if s.clear {
					p.clear()
				} else {
					p.update(s.done, 8, s.name)
				}
				if w.String() != s.output {
					t.Errorf("at %v: wrote %q, want %q", s.at, w.String(), s.output)
				}
			}
		})
	}
}
