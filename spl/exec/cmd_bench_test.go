package exec_test

import (
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// BenchmarkNewCommands: the commands that hold rows or groups (chart,
// timechart, transaction, mvcombine, appendpipe) and a streaming one
// (delta), over 50,000 made results.
func BenchmarkNewCommands(b *testing.B) {
	const rows = `| makeresults count=50000 | streamstats count AS n | eval host="h".(n%50), user="u".(n%1000), _time=1700000000+n`
	for name, tail := range map[string]string{
		"chart":       `| chart count avg(n) over host by user limit=10`,
		"timechart":   `| timechart span=1m count by host`,
		"transaction": `| transaction user maxpause=10m`,
		"mvcombine":   `| fields - _time n | mvcombine user`,
		"appendpipe":  `| appendpipe [stats count by host]`,
		"delta":       `| delta n p=3`,
	} {
		b.Run(name, func(b *testing.B) {
			q, err := spl.ParseString(rows + " " + tail)
			if err != nil {
				b.Fatal(err)
			}
			plan, err := exec.Compile(q, exec.Options{Now: now})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := plan.Run(nil, func(*value.Row) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
