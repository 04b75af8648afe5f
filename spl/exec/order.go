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
// command up to a stats is row by row and the stats functions are order
// free: stats then sorts its output by the BY values.
func orderSensitive(cmds []spl.Command) bool {
	for _, cmd := range cmds {
		switch c := cmd.(type) {
		case *spl.StatsCommand:
			if c.Kind != "stats" {
				return true
			}
			for _, a := range c.Aggregations.Items {
				if !orderFree(a.Func) {
					return true
				}
			}
			return false
		case *spl.FillnullCommand:
			if len(c.Fields.Items) == 0 {
				return true
			}
		case *spl.WhereCommand, *spl.EvalCommand, *spl.SearchCommand, *spl.RenameCommand,
			*spl.FieldsCommand, *spl.TableCommand, *spl.ConvertCommand, *spl.RexCommand,
			*spl.RegexCommand, *spl.SpathCommand, *spl.MakemvCommand, *spl.LookupCommand,
			*spl.BinCommand, *spl.FromjsonCommand, *spl.AddtotalsCommand:
			// Row by row: each row's result does not depend on the others.
		default:
			return true
		}
	}
	// No command resets the order: results come out in event order.
	return true
}
