package exec

// This file is the whole evaluator side of the makecontinuous command: its
// descriptor, compile method and stage (docs/architecture.md, "Adding a
// command"). The grammar side is spl/cmd_makecontinuous.go.

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	register(&command{
		Name:    "makecontinuous",
		Compile: compileAs((*planner).compileMakecontinuous),
		// It needs every result to know which buckets are missing.
		Kind: transforming,
		Options: []option{
			{Name: "span", Doc: "the bucket size, as bin's span (required here)"},
			{Name: "bins", Unsupported: "give span= instead"},
			{Name: "minspan", Unsupported: "give span= instead"},
			{Name: "start", Unsupported: "the evaluator fills from the smallest bucket to the largest"},
			{Name: "end", Unsupported: "the evaluator fills from the smallest bucket to the largest"},
			{Name: "aligntime", Unsupported: "the evaluator aligns time buckets to the epoch, as bin does by default"},
		},
	})
}

// compileMakecontinuous compiles makecontinuous span=<span> <field>
// (Search Reference, "makecontinuous"): the field's values are put in
// buckets of the span, as bin does, and a result holding only the field is
// added for every bucket between the smallest and the largest that no
// result has. Results come out in bucket order; those without a numeric
// value of the field follow, in their order (docs/semantics.md,
// "makecontinuous").
func (p *planner) compileMakecontinuous(c *spl.MakecontinuousCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	if c.Field == nil {
		return nil, unsupported(c.Pos, "makecontinuous without a field is not supported by the evaluator: name the field")
	}
	span := o.Word("span")
	if span == nil {
		return nil, unsupported(c.Pos, "makecontinuous without span= is not supported by the evaluator (its default is bins=100 over the search's time range)")
	}
	field := fieldName(c.Field)
	size, isTime, err := parseSpan(span.Text(), field == "_time")
	if err != nil {
		var u errUnsupportedSpan
		if errors.As(err, &u) {
			return nil, unsupported(span.Pos, "makecontinuous: %v", err)
		}
		return nil, errorf(span.Pos, "makecontinuous: %v", err)
	}
	maxRows, pos := p.opts.MaxResultRows, c.Pos
	return func(next Stage) (Stage, error) {
		return &makecontinuousStage{emitter: emitter{next: next}, field: field, size: size, isTime: isTime, max: maxRows, pos: pos}, nil
	}, nil
}

type makecontinuousStage struct {
	emitter
	field  string
	size   float64
	isTime bool
	rows   []*value.Row
	max    int
	pos    spl.Pos
}

func (s *makecontinuousStage) Push(r *value.Row) error {
	if len(s.rows) >= s.max {
		return &Error{Pos: s.pos, Code: diag.Limit, Msg: fmt.Sprintf("makecontinuous: more than %d results (limit maxresultrows)", s.max)}
	}
	s.rows = append(s.rows, r)
	return nil
}

// bucketValue is a bucket's value as the field holds it: the bucket's
// start for time, "lo-hi" for a number, as bin writes them.
func (s *makecontinuousStage) bucketValue(lo float64) value.Value {
	if s.isTime {
		return value.Num(lo)
	}
	return value.Str(value.FormatNumber(lo) + "-" + value.FormatNumber(lo+s.size))
}

func (s *makecontinuousStage) Flush() error {
	type bucketed struct {
		b   int64
		row *value.Row
	}
	var in []bucketed
	var rest []*value.Row
	for _, r := range s.rows {
		v, ok := r.Get(s.field).Number()
		if !ok {
			rest = append(rest, r)
			continue
		}
		b := int64(math.Floor(v / s.size))
		r.Set(s.field, s.bucketValue(float64(b)*s.size))
		in = append(in, bucketed{b, r})
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].b < in[j].b })
	if len(in) > 0 && in[len(in)-1].b-in[0].b >= int64(s.max) {
		return &Error{Pos: s.pos, Code: diag.Limit, Msg: fmt.Sprintf("makecontinuous: more than %d buckets (limit maxresultrows)", s.max)}
	}
	for i, x := range in {
		if i > 0 {
			for b := in[i-1].b + 1; b < x.b; b++ {
				r := value.NewRow(nil)
				r.Set(s.field, s.bucketValue(float64(b)*s.size))
				if err := s.emit(r); err != nil {
					return err
				}
			}
		}
		if err := s.emit(x.row); err != nil {
			return err
		}
	}
	for _, r := range rest {
		if err := s.emit(r); err != nil {
			return err
		}
	}
	return s.emitter.Flush()
}
