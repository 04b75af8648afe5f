package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: the progress line shows on a terminal only, after the
// first second (also while one read goes on), at most every 100 ms,
// within 79 columns; it is erased for other output and at the end.
func TestProgress(t *testing.T) {
	type step struct {
		at     time.Duration // since the start
		done   int
		name   string
		kind   string // update (""), tick, above (writes "result\n"), close
		output string // what the step writes
	}
	long := strings.Repeat("x", 100)
	cases := []struct {
		name     string
		terminal bool
		steps    []step
	}{
		{"not a terminal", false, []step{{at: 5 * time.Second, done: 3, name: "A"}, {at: 6 * time.Second, kind: "above", output: "result\n"}, {at: 6 * time.Second, kind: "close"}}},
		{"short run", true, []step{{at: 0, done: 0, name: "A"}, {at: 900 * time.Millisecond, done: 1, name: "B"}, {at: 950 * time.Millisecond, kind: "tick"}, {at: 990 * time.Millisecond, kind: "close"}}},
		{"long run", true, []step{
			{at: 500 * time.Millisecond, done: 0, name: "A"},
			{at: 1100 * time.Millisecond, done: 1, name: "B", output: "\r[2/8] B\x1b[K"},
			{at: 1150 * time.Millisecond, done: 2, name: "C"},
			{at: 1250 * time.Millisecond, done: 3, name: "D", output: "\r[4/8] D\x1b[K"},
			{at: 1300 * time.Millisecond, kind: "above", output: "\r\x1b[Kresult\n"},
			{at: 1310 * time.Millisecond, kind: "above", output: "result\n"},
			{at: 1400 * time.Millisecond, kind: "tick", output: "\r[4/8] D\x1b[K"},
			{at: 1600 * time.Millisecond, kind: "tick"},
			{at: 1700 * time.Millisecond, kind: "close", output: "\r\x1b[K"},
			{at: 1800 * time.Millisecond, kind: "tick"},
		}},
		{"one long read", true, []step{
			{at: 0, done: 0, name: "A"},
			{at: 999 * time.Millisecond, kind: "tick"},
			{at: 1000 * time.Millisecond, kind: "tick", output: "\r[1/8] A\x1b[K"},
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
				switch s.kind {
				case "":
					p.update(s.done, 8, s.name)
				case "tick":
					p.tick()
				case "above":
					p.above(func() { w.WriteString("result\n") })
				case "close":
					p.close()
				}
				if w.String() != s.output {
					t.Errorf("at %v: wrote %q, want %q", s.at, w.String(), s.output)
				}
			}
		})
	}
}
