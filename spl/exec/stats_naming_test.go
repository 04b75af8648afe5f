package exec_test

import "testing"

// Statistical and charting functions: a column named after a quoted
// field has no quotes; percentiles interpolate (perc50 of 1..10 is 5.5,
// perc95 9.55, as the page's examples print).
func TestStatsColumnNamesAndPercentiles(t *testing.T) {
	const tenValues = `| makeresults count=10 | streamstats count AS Y | eval "total bytes"=Y`
	runDocCases(t, []docCase{
		{"percentiles of the page's list",
			tenValues + ` | stats perc50(Y) perc95(Y) p95(Y) exactperc95(Y) upperperc95(Y) median(Y)`,
			compact(`{"perc50(Y)": "5.5", "perc95(Y)": "9.55", "p95(Y)": "9.55", "exactperc95(Y)": "9.55", "upperperc95(Y)": "9.55", "median(Y)": "5.5"}`)},
		{"a quoted field names its column without quotes",
			tenValues + ` | stats perc95("total bytes") max("total bytes") count("total bytes")`,
			compact(`{"perc95(total bytes)": "9.55", "max(total bytes)": "10", "count(total bytes)": "10"}`)},
		{"AS still names it",
			tenValues + ` | stats perc95("total bytes") AS p`,
			compact(`{"p": "9.55"}`)},
	})
}
