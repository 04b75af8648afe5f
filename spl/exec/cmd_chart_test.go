package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// ten makes results count=1..10 with host h0..h3 (count mod 4) and
// method GET for the first four, POST for the others.
const ten = `| makeresults count=10 | streamstats count | eval host="h".(count%4), method=if(count<=4, "GET", "POST"), delay=count*10`

// Search Reference, "chart": its examples, on results made here.
func TestChart(t *testing.T) {
	runDocCases(t, []docCase{
		// chart max(delay) OVER host: one row per host.
		{"chart: OVER",
			ten + ` | chart max(delay) OVER host`,
			compact(`{"host": "h0", "max(delay)": "80"}`, `{"host": "h1", "max(delay)": "90"}`, `{"host": "h2", "max(delay)": "100"}`, `{"host": "h3", "max(delay)": "70"}`)},
		// chart count(eval(method="GET")) AS GET, count(eval(method="POST")) AS POST by host.
		{"chart: eval aggregations AS",
			ten + ` | chart count(eval(method="GET")) AS GET, count(eval(method="POST")) AS POST by host`,
			compact(`{"host": "h0", "GET": "1", "POST": "1"}`, `{"host": "h1", "GET": "1", "POST": "2"}`, `{"host": "h2", "GET": "1", "POST": "2"}`, `{"host": "h3", "GET": "1", "POST": "1"}`)},
		// chart count OVER host BY method: one column per method.
		{"chart: OVER BY",
			ten + ` | chart count OVER method BY host`,
			compact(`{"method": "GET", "h0": "1", "h1": "1", "h2": "1", "h3": "1"}`, `{"method": "POST", "h0": "1", "h1": "2", "h2": "2", "h3": "1"}`)},
		{"chart: BY two fields is OVER BY",
			ten + ` | chart count BY method host`,
			compact(`{"method": "GET", "h0": "1", "h1": "1", "h2": "1", "h3": "1"}`, `{"method": "POST", "h0": "1", "h1": "2", "h2": "2", "h3": "1"}`)},
		{"chart: a series with no rows in a row counts 0",
			ten + ` | where count<=5 | chart count OVER method BY host`,
			compact(`{"method": "GET", "h0": "1", "h1": "1", "h2": "1", "h3": "1"}`, `{"method": "POST", "h0": "0", "h1": "1", "h2": "0", "h3": "0"}`)},
		// limit and useother: the largest series stay, the rest is OTHER.
		{"chart: limit and OTHER",
			ten + ` | chart count OVER method BY host limit=2`,
			compact(`{"method": "GET", "h1": "1", "h2": "1", "OTHER": "2"}`, `{"method": "POST", "h1": "2", "h2": "2", "OTHER": "2"}`)},
		{"chart: useother=f drops the rest",
			ten + ` | chart count OVER method BY host limit=2 useother=f`,
			compact(`{"method": "GET", "h1": "1", "h2": "1"}`, `{"method": "POST", "h1": "2", "h2": "2"}`)},
		{"chart: limit=bottom1, otherstr",
			ten + ` | chart sum(delay) OVER method BY host limit=bottom1 otherstr=REST`,
			compact(`{"method": "GET", "h3": "30", "REST": "70"}`, `{"method": "POST", "h3": "70", "REST": "380"}`)},
		{"chart: null column split is NULL, usenull=f drops it",
			ten + ` | eval host=if(count<=2, null(), host) | chart count OVER method BY host limit=0 | table method NULL`,
			compact(`{"method": "GET", "NULL": "2"}`, `{"method": "POST", "NULL": "0"}`)},
		{"chart: several functions name columns function: value",
			ten + ` | chart count max(delay) OVER method BY host limit=1 useother=f`,
			compact(`{"method": "GET", "count: h1": "1", "max(delay): h1": "10"}`, `{"method": "POST", "count: h1": "2", "max(delay): h1": "90"}`)},
		{"chart: sep",
			ten + ` | chart count max(delay) OVER method BY host limit=1 useother=f sep=_`,
			compact(`{"method": "GET", "count_h1": "1", "max(delay)_h1": "10"}`, `{"method": "POST", "count_h1": "2", "max(delay)_h1": "90"}`)},
		// chart max(delay) OVER size span=...: ranges of the OVER field's numbers, in numeric order.
		{"chart: span= puts OVER numbers in ranges",
			ten + ` | eval size=delay*3 | chart count OVER size span=50`,
			compact(`{"size": "0-50", "count": "1"}`, `{"size": "50-100", "count": "2"}`, `{"size": "100-150", "count": "1"}`, `{"size": "150-200", "count": "2"}`,
				`{"size": "200-250", "count": "2"}`, `{"size": "250-300", "count": "1"}`, `{"size": "300-350", "count": "1"}`)},
		{"chart: no split is one row",
			ten + ` | chart count`,
			compact(`{"count": "10"}`)},
	})
}

// Search Reference, "timechart": buckets of _time, one column per series.
func TestTimechart(t *testing.T) {
	runDocCases(t, []docCase{
		// timechart span=1h count by host; empty buckets between count 0 (cont=true).
		{"timechart: span and BY, empty buckets",
			`| makeresults count=4 | streamstats count | eval _time=1700000000 + if(count=4, 3*3600, count*60), host="h".(count%2) | timechart span=1h count by host`,
			compact(`{"_time": "2023-11-14T22:00:00.000+00:00", "h0": "1", "h1": "2"}`, `{"_time": "2023-11-14T23:00:00.000+00:00", "h0": "0", "h1": "0"}`,
				`{"_time": "2023-11-15T00:00:00.000+00:00", "h0": "0", "h1": "0"}`, `{"_time": "2023-11-15T01:00:00.000+00:00", "h0": "1", "h1": "0"}`)},
		{"timechart: cont=f keeps only buckets with results; avg is null where empty",
			`| makeresults count=4 | streamstats count | eval _time=1700000000 + if(count=4, 3*3600, count*60), host="h".(count%2) | timechart span=1h cont=f avg(count) by host`,
			compact(`{"_time": "2023-11-14T22:00:00.000+00:00", "h0": "2", "h1": "2"}`, `{"_time": "2023-11-15T01:00:00.000+00:00", "h0": "4"}`)},
		// per_second ... per_day: the bucket's sum per unit of its span.
		{"timechart: per_minute and per_second",
			`| makeresults count=4 | streamstats count | eval _time=1700000000 + count*60, kb=count*10 | timechart span=5m per_minute(kb) per_second(kb) AS ps`,
			compact(`{"_time": "2023-11-14T22:10:00.000+00:00", "per_minute(kb)": "2", "ps": "0.03333333333333333"}`, `{"_time": "2023-11-14T22:15:00.000+00:00", "per_minute(kb)": "18", "ps": "0.3"}`)},
		{"timechart: per_hour by a field",
			`| makeresults count=4 | streamstats count | eval _time=1700000000 + count*60, kb=count*10, host="h".(count%2) | timechart span=5m per_hour(kb) by host`,
			compact(`{"_time": "2023-11-14T22:10:00.000+00:00", "h1": "120"}`, `{"_time": "2023-11-14T22:15:00.000+00:00", "h0": "720", "h1": "360"}`)},
		{"timechart: no split",
			`| makeresults count=3 | streamstats count | eval _time=1700000000 + count*600 | timechart span=30m count`,
			compact(`{"_time": "2023-11-14T22:00:00.000+00:00", "count": "1"}`, `{"_time": "2023-11-14T22:30:00.000+00:00", "count": "2"}`)},
	})
	got := run(t, cloudtrail, `eventName=* | timechart span=1d count by eventName`, exec.Options{})
	want := compact(`{"_time": "2026-11-01T00:00:00.000+00:00", "DeleteGuardrail": "1", "GetObject": "1", "ListFoundationModels": "2"}`)
	if got != want {
		t.Errorf("over events: got\n%swant\n%s", got, want)
	}
}

func TestChartErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | timechart count`, "timechart without span="},
		{`| makeresults | chart per_minute(x)`, "per_minute() is a timechart function"},
		{`| makeresults | chart count by a b c`, "at most two fields"},
		{`| makeresults | chart count over a by b c`, "takes one field"},
		{`| makeresults | chart count by a bins=10`, "option bins of command chart is not supported by the evaluator"},
		{`| makeresults | chart count by a span=x`, `unknown timescale "x"`},
		{`| makeresults | chart count by a limit=x`, "not a count"},
		{`| makeresults | timechart span=1h over a count`, ""},
	} {
		if c.want == "" {
			continue
		}
		err := compileError(t, c.search)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
	err := runErr(t, ten+` | chart count over count by host`, exec.Options{MaxGroups: 5})
	if err == nil || !strings.Contains(err.Error(), "max_groups") {
		t.Errorf("error %v, want max_groups", err)
	}
	// The empty buckets timechart adds count against max_groups too.
	err = runErr(t, `| makeresults count=2 | streamstats count | eval _time=if(count=1, 0, 1e15) | timechart span=1s count`, exec.Options{})
	if err == nil || !strings.Contains(err.Error(), "max_groups") {
		t.Errorf("error %v, want max_groups", err)
	}
	err = runErr(t, ten+` | chart first(delay) over method by host limit=1`, exec.Options{})
	if err == nil || !strings.Contains(err.Error(), "OTHER column of first()") {
		t.Errorf("error %v, want the OTHER of first()", err)
	}
}
