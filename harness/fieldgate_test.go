package harness_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// TestFieldGateNeverChangesResults: every supported detection that has a
// raw pre-filter, all of a content's in one pass as the engine reads files (two workers, each
// record validated and its top-level keys read before the pre-filter),
// gives the same rows with the pre-filter's field gate as without it,
// over both gen profiles and the attack and benign files; and the gate
// rules out more events than the literals alone for some detection.
func TestFieldGateNeverChangesResults(t *testing.T) {
	data := prefilterData(t, 11)
	t.Run("own", func(t *testing.T) { checkFieldGate(t, loadOwn(t), data, 5) })
	t.Run("ESCU", func(t *testing.T) { checkFieldGate(t, loadESCU(t), data, 100) })
}

func checkFieldGate(t *testing.T, c *harness.Content, data fs.FS, min int) {
	gated, plain := env(), env()
	gated.Workers, plain.Workers = 2, 2
	plain.NoFieldGate = true
	var names []string
	var with, without []*engine.Program
	for _, d := range c.Detections {
		a, fa := gated.Prepare(c, d, "aws:cloudtrail")
		b, fb := plain.Prepare(c, d, "aws:cloudtrail")
		if len(fa)+len(fb) > 0 || a == nil || b == nil || a.Plan == nil || b.Plan == nil || a.Plan.Prefilter() == "" {
			continue // a search without a pre-filter reads every record: a pass with it skips none
		}
		names = append(names, d.Name)
		with, without = append(with, a.Plan), append(without, b.Plan)
	}
	if len(names) < min {
		t.Fatalf("only %d searches checked, want at least %d", len(names), min)
	}
	var files []engine.File
	_ = fs.WalkDir(data, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, engine.File{Path: p, Options: event.Options{Sourcetype: "aws:cloudtrail", Source: "aws_cloudtrail"}})
		}
		return nil
	})
	run := func(progs []*engine.Program) ([]string, []engine.Counts) {
		rows := make([]strings.Builder, len(progs))
		outs := make([]func(*value.Row) error, len(progs))
		for i := range progs {
			outs[i] = func(r *value.Row) error { fmt.Fprintln(&rows[i], output.Row(r)); return nil }
		}
		counts, errs := engine.RunAll(progs, engine.FS(data, "test data", files...), outs)
		out := make([]string, len(progs))
		for i := range progs {
			out[i] = rows[i].String()
			if errs[i] != nil {
				out[i] += "error: " + errs[i].Error()
			}
		}
		return out, counts
	}
	got, gotCounts := run(with)
	want, wantCounts := run(without)
	more := 0
	for i, name := range names {
		if got[i] != want[i] {
			t.Errorf("%s: the field gate changes the results:\nwith:    %s\nwithout: %s", name, got[i], want[i])
		}
		if gotCounts[i].Filtered < wantCounts[i].Filtered {
			t.Errorf("%s: %d events ruled out by the raw text with the field gate, %d without", name, gotCounts[i].Filtered, wantCounts[i].Filtered)
		}
		if gotCounts[i].Filtered > wantCounts[i].Filtered {
			more++
		}
	}
	t.Logf("%d searches in one pass give the same results with and without the field gate; it rules out more events for %d", len(names), more)
	if more == 0 {
		t.Error("the field gate ruled out no more events than the literals: the test proves too little")
	}
}
