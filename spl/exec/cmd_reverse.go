package exec

// This file is the whole evaluator side of the reverse command: its
// descriptor, compile method and stage (docs/architecture.md, "Adding a
// command"). The grammar side is spl/cmd_reverse.go.

import (
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	register(&command{
		Name:    "reverse",
		Compile: compileAs((*planner).compileReverse),
		// It holds every result before it emits the first.
		Kind: transforming,
	})
}

// compileReverse compiles reverse: every result, last first.
func (p *planner) compileReverse(*spl.ReverseCommand) (stageBuilder, error) {
	return func(next Stage) (Stage, error) { return &reverseStage{emitter: emitter{next: next}}, nil }, nil
}

// reverseStage reverses the order of all results.
type reverseStage struct {
	emitter
	rows []*value.Row
}

func (s *reverseStage) Push(r *value.Row) error {
	s.rows = append(s.rows, r)
	return nil
}

func (s *reverseStage) Flush() error {
	for i := len(s.rows) - 1; i >= 0; i-- {
		if err := s.emit(s.rows[i]); err != nil {
			return err
		}
	}
	return s.emitter.Flush()
}
