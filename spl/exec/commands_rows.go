package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
)

// Descriptors of the commands that reshape, accumulate or re-read results
// (Search Reference pages of the same names). Their compile methods parse
// their own options and refuse any they do not know at its position.
func init() {
	kept := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error)) *command {
		return &command{Name: name, Compile: compile, Kind: streaming, RowByRow: true}
	}
	inOrder := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error)) *command {
		return &command{Name: name, Compile: compile, Kind: streaming}
	}
	register(
		kept("strcat", compileAs((*planner).compileStrcat)),
		kept("replace", compileAs((*planner).compileReplace)),
		kept("rangemap", compileAs((*planner).compileRangemap)),
		kept("xmlkv", compileAs((*planner).compileXmlkv)),
		kept("extract", compileAs((*planner).compileExtract)),
		kept("kv", compileAs((*planner).compileExtract)),
		kept("multikv", compileAs((*planner).compileMultikv)),
		&command{Name: "addtotals", Compile: compileAs((*planner).compileAddtotals), Kind: streaming,
			Order: addtotalsOrder, OrderDoc: "row by row unless col=true adds a result of column totals"},
		inOrder("filldown", compileAs((*planner).compileFilldown)),
		inOrder("uniq", compileAs((*planner).compileUniq)),
		inOrder("accum", compileAs((*planner).compileAccum)),
		inOrder("delta", compileAs((*planner).compileDelta)),
		inOrder("autoregress", compileAs((*planner).compileAutoregress)),
		inOrder("appendpipe", compileAs((*planner).compileAppendpipe)),
		&command{Name: "mvcombine", Compile: compileAs((*planner).compileMvcombine), Kind: transforming},
		&command{Name: "chart", Compile: compileAs((*planner).compileChart), Kind: transforming, Projects: always},
		&command{Name: "timechart", Compile: compileAs((*planner).compileChart), Kind: transforming, Projects: always},
		// transaction sorts its results by time, whatever order the events
		// came in.
		&command{Name: "transaction", Compile: compileAs((*planner).compileTransaction), Kind: transforming,
			Order: func(spl.Command) orderEffect { return orderReset }, OrderDoc: "results sorted by time whatever the input order"},
	)
}

// addtotalsOrder: each result's total is its own, but col=true adds a
// result summing all the others.
func addtotalsOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.AddtotalsCommand)
	if !ok {
		return orderMatters
	}
	for _, o := range c.Options.Items {
		if strings.EqualFold(o.Name, "col") && isTrue(o.Value.Text()) {
			return orderMatters
		}
	}
	return orderKept
}
