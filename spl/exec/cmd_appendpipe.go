package exec

import (
	"fmt"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileAppendpipe: `appendpipe [run_in_preview=b] [subpipeline]` (Search
// Reference, "appendpipe"): the results pass on unchanged, and when they
// are all in, the subpipeline runs over them (it is not run first, as a
// subsearch is) and its results follow. A copy of each result is held for
// the subpipeline: bounded by maxresultrows and charged to the memory
// budget. run_in_preview concerns Splunk's preview only and changes
// nothing here.
//
// Descriptor: streaming; order matters (the subpipeline sees the rows in
// order).
func (p *planner) compileAppendpipe(c *spl.AppendpipeCommand) (stageBuilder, error) {
	if _, err := p.parseOptions(c, c.Options); err != nil {
		return nil, err
	}
	if len(c.Pipeline.Commands) == 0 {
		return nil, errorf(c.Pipeline.Pos, "appendpipe needs a subpipeline: appendpipe [stats count]")
	}
	builders := make([]stageBuilder, 0, len(c.Pipeline.Commands))
	for _, cmd := range c.Pipeline.Commands {
		b, err := p.compileCommand(cmd, false)
		if err != nil {
			return nil, err
		}
		builders = append(builders, b)
	}
	maxRows, mem := p.opts.MaxResultRows, p.mem
	return func(next Stage) (Stage, error) {
		return &appendpipeStage{emitter: emitter{next: next}, builders: builders, max: maxRows, mem: mem}, nil
	}, nil
}

type appendpipeStage struct {
	emitter
	builders []stageBuilder
	rows     []*value.Row
	max      int
	mem      *memBudget
	held     int
}

func (s *appendpipeStage) Push(r *value.Row) error {
	if len(s.rows) >= s.max {
		return &LimitError{Limit: "maxresultrows", Msg: fmt.Sprintf("appendpipe: more than %d rows held (limit maxresultrows)", s.max)}
	}
	n := rowSize(r)
	s.held += n
	if err := s.mem.charge("rows held by appendpipe", n); err != nil {
		return err
	}
	s.rows = append(s.rows, r.Clone())
	return s.emit(r)
}

func (s *appendpipeStage) Flush() error {
	defer func() { s.mem.release(s.held); s.held = 0 }()
	var head Stage = &appendpipeOut{s: s}
	for i := len(s.builders) - 1; i >= 0; i-- {
		var err error
		if head, err = s.builders[i](head); err != nil {
			return err
		}
	}
	rows := s.rows
	s.rows = nil
	for _, r := range rows {
		if err := head.Push(r); err != nil {
			return err
		}
	}
	return head.Flush()
}

// appendpipeOut passes the subpipeline's results on after the others, and
// its end of input on as the end of appendpipe's.
type appendpipeOut struct{ s *appendpipeStage }

func (o *appendpipeOut) Push(r *value.Row) error { return o.s.emit(r) }
func (o *appendpipeOut) Flush() error            { return o.s.next.Flush() }
