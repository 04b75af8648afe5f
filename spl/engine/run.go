package engine

import (
	"errors"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// Counts say what one program's run read and where its rows went: the
// events offered, those the raw pre-filter ruled out, those that matched
// the base search, and the rows each following command passed on
// (splharness explain).
type Counts = exec.Counts

// StageCount is the rows one command of a program passed on.
type StageCount = exec.StageCount

// LimitError is a limit a program hit while running (max_groups,
// maxresultrows, max_mem_usage_mb, its regex budget, a cap on one value),
// placed in the text of the program that hit it, at the command that hit
// it when that is known.
type LimitError struct {
	// Limit names the limit, such as "max_groups".
	Limit string
	// Diag is the error, code diag.Limit, in the program's expanded text
	// (Program.Source).
	Diag *diag.Error
}

// Error is the limit's message, without its place.
func (e *LimitError) Error() string { return e.Diag.Message }

// Unwrap gives the placed error to errors.As.
func (e *LimitError) Unwrap() error { return e.Diag }

// runError places a run's limit error in the program's text; other errors
// (reading the input) pass unchanged.
func (p *Program) runError(err error) error {
	var le *exec.LimitError
	if err == nil || !errors.As(err, &le) {
		return err
	}
	return &LimitError{Limit: le.Limit, Diag: diag.Errorf(p.Source(), diag.Limit, le.Pos.Offset, "%s", le.Msg)}
}

// Run runs the program over the input's events (newest first, as Splunk's
// search does) and calls out for every result row, in order.
func (p *Program) Run(in Input, out func(*value.Row) error) (Counts, error) {
	counts, errs := RunAll([]*Program{p}, in, []func(*value.Row) error{out})
	return counts[0], errs[0]
}

// RunAll runs several programs over one pass of the input: each event is
// read and its fields extracted once, then offered to every program. The
// programs must have been compiled with the same knowledge (as the
// detections of one sourcetype are). Results are exactly those of running
// each program alone.
//
// Errors are per program: errs[i] is program i's, nil when it ran to the
// end. A program that hits a limit stops alone, with a *LimitError placed
// in its own text; the others finish as if it had never been in the pass.
// An error reading the input is every program's that was still running.
func RunAll(progs []*Program, in Input, outs []func(*value.Row) error) ([]Counts, []error) {
	plans := make([]*exec.Plan, len(progs))
	for i, p := range progs {
		plans[i] = p.plan
	}
	ein, err := execInput(in, progs)
	if err != nil {
		counts := make([]Counts, len(progs))
		errs := make([]error, len(progs))
		for i := range errs {
			errs[i] = err
		}
		return counts, errs
	}
	counts, errs := exec.RunAll(plans, ein, outs)
	for i, p := range progs {
		errs[i] = p.runError(errs[i])
	}
	return counts, errs
}
