package exec

// This file is the whole evaluator side of the makemv command: its
// descriptor with its options, and its compile method (docs/architecture.md,
// "Adding a command"). The grammar side is spl/cmd_makemv.go.

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

func init() {
	register(&command{
		Name:    "makemv",
		Compile: compileAs((*planner).compileMakemv),
		Kind:    streaming,
		// Each result is split on its own.
		RowByRow: true,
		Options: []option{
			{Name: "delim", Default: " "},
			{Name: "tokenizer"},
			{Name: "allowempty", Kind: optBool},
			// setsv=true keeps the single value beside the values; the
			// evaluator runs only the default.
			{Name: "setsv", Kind: optBool, TrueUnsupported: true},
		},
	})
}

// makemv [delim=" " | tokenizer=re] [allowempty=f] [setsv=f] field.
func (p *planner) compileMakemv(c *spl.MakemvCommand) (stageBuilder, error) {
	field := fieldName(c.Field)
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	delim, allowEmpty := o.String("delim"), o.Bool("allowempty")
	var tokenizer *regex.Regexp
	if w := o.Word("tokenizer"); w != nil {
		re, err := p.ctx.Regexp(w.Text())
		if err != nil {
			return nil, errorf(w.Pos, "makemv: %v", err)
		}
		tokenizer = re
	}
	return mapStage(func(r *value.Row) {
		v := r.Get(field)
		if v.IsNull() {
			return
		}
		s := v.First()
		var parts []string
		if tokenizer != nil {
			for _, m := range tokenizer.FindAllStringSubmatch(s, -1) {
				if len(m) > 1 {
					parts = append(parts, m[1])
				} else {
					parts = append(parts, m[0])
				}
			}
		} else {
			for _, part := range strings.Split(s, delim) {
				if part != "" || allowEmpty {
					parts = append(parts, part)
				}
			}
		}
		r.Set(field, value.MV(parts))
	}), nil
}
