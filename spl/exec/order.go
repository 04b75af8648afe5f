package exec

import (
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/stats"
)

// orderFree reports whether the stats function agg, as written (an alias
// or a percentile with its N), gives a result that does not depend on the
// order rows arrive in (stats.Func.OrderFree).
func orderFree(agg string) bool {
	f, _, ok := stats.Lookup(agg)
	return ok && f.OrderFree
}

// orderSensitive reports whether the results of the commands after a base
// search depend on the order of the events. It is false only when every
// command up to one that resets the order (stats with order-free
// functions, which sorts its output by the BY values) keeps each row's
// result to that row; a command without a descriptor counts as order
// sensitive.
func orderSensitive(cmds []spl.Command) bool {
	for _, cmd := range cmds {
		d := lookupCommand(cmd)
		if d == nil {
			return true
		}
		switch d.order(cmd) {
		case orderReset:
			return false
		case orderMatters:
			return true
		}
	}
	// No command resets the order: results come out in event order.
	return true
}

// statsOrder is the order effect of stats: it resets the order when every
// stats function is order free.
func statsOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.StatsCommand)
	if !ok {
		return orderMatters
	}
	return aggregationsOrder(c.Aggregations.Items)
}

// aggregationsOrder is the order effect of a stats-like command's
// aggregations (stats, tstats): the order resets when every function is
// order free.
func aggregationsOrder(aggs []*spl.Aggregation) orderEffect {
	for _, a := range aggs {
		if !orderFree(a.Func) {
			return orderMatters
		}
	}
	return orderReset
}

// fillnullOrder is the order effect of fillnull: row by row when it names
// its fields; without, it fills every field any result has, so it needs
// them all.
// binOrder: bin with span= bins each row alone; without it the span
// depends on every row's value.
func binOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.BinCommand)
	if !ok {
		return orderMatters
	}
	if o, _ := readOptions(c, c.Options, c.After); o.Has("span") {
		return orderKept
	}
	return orderMatters
}

func fillnullOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.FillnullCommand)
	if !ok || len(c.Fields.Items) == 0 {
		return orderMatters
	}
	return orderKept
}

// inPlace reports whether a command changes each row in place and on its
// own, with no effect beyond the row and no error once compiled: such
// commands before a stats run on the workers with it (Plan.partialStats).
// They are rename, and bin with span= (binOrder), which sets one field of
// each row from another of the same row: an ESCU CloudTrail detection
// bins _time by the hour before its stats, and its rows went one by one
// to the goroutine that runs the stages in order.
func inPlace(cmd spl.Command) bool {
	switch cmd.(type) {
	case *spl.RenameCommand:
		return true
	case *spl.BinCommand:
		return binOrder(cmd) == orderKept
	}
	return false
}
