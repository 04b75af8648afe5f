package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
)

// orderFreeFuncs are the stats functions whose result does not depend on
// the order rows arrive in. first, last, list, mode (ties), earliest and
// latest (ties) depend on it, and so do sum, avg and the variances, whose
// floating-point sums can differ in the last digit.
var orderFreeFuncs = map[string]bool{
	"count": true, "c": true, "dc": true, "distinct_count": true, "estdc": true, "values": true,
	"min": true, "max": true, "range": true, "median": true, "earliest_time": true, "latest_time": true,
}

func orderFree(agg string) bool {
	if orderFreeFuncs[agg] {
		return true
	}
	for _, prefix := range []string{"perc", "p", "exactperc", "upperperc"} {
		if rest, ok := strings.CutPrefix(agg, prefix); ok && rest != "" && (rest[0] >= '0' && rest[0] <= '9') {
			return true
		}
	}
	return false
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
