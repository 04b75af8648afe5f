package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/value"
)

// counts: one value x per hour, in two groups of h: h=0 has
// 2,4,4,4,5,5,7,9 (mean 5, population standard deviation 2); h=4 has
// 1,2,3 (mean 2, standard deviation sqrt(2/3)).
var counts = lines{
	`{"eventTime":"2026-11-02T00:00:00Z","h":"0","x":2}`,
	`{"eventTime":"2026-11-02T01:00:00Z","h":"0","x":4}`,
	`{"eventTime":"2026-11-02T02:00:00Z","h":"0","x":4}`,
	`{"eventTime":"2026-11-02T03:00:00Z","h":"0","x":4}`,
	`{"eventTime":"2026-11-03T00:00:00Z","h":"0","x":5}`,
	`{"eventTime":"2026-11-03T01:00:00Z","h":"0","x":5}`,
	`{"eventTime":"2026-11-03T02:00:00Z","h":"0","x":7}`,
	`{"eventTime":"2026-11-03T03:00:00Z","h":"0","x":9}`,
	`{"eventTime":"2026-11-02T04:00:00Z","h":"4","x":1}`,
	`{"eventTime":"2026-11-02T05:00:00Z","h":"4","x":2}`,
	`{"eventTime":"2026-11-03T04:00:00Z","h":"4","x":3}`,
}

// TestDensityFunction runs a baseline's fit and a detection's summary,
// join and apply in later searches of one run, as ESCU's MLTK detections
// do (MLTK User Guide: "fit", "apply", "summary"; "Algorithms in the
// Splunk Machine Learning Toolkit", DensityFunction). The boundaries are
// the normal quantiles of threshold/2 and 1-threshold/2, rounded to 4
// decimals: ppf(0.0025) = -2.807033768343811, ppf(0.005) =
// -2.5758293035489004.
func TestDensityFunction(t *testing.T) {
	store := mltk.NewStore()
	opts := exec.Options{Models: store}
	fit := run(t, counts, `h=* | fit DensityFunction x by "h" into m dist=norm | dedup h | table h x IsOutlier(x) BoundaryRanges`, opts)
	if want := compact(
		`{"h": "4", "x": "3", "IsOutlier(x)": "0.0", "BoundaryRanges": ["-Infinity:-0.1032:0.005", "4.1032:Infinity:0.005"]}`,
		`{"h": "0", "x": "9", "IsOutlier(x)": "0.0", "BoundaryRanges": ["-Infinity:-0.1517:0.005", "10.1517:Infinity:0.005"]}`,
	); fit != want {
		t.Errorf("fit:\n%swant:\n%s", fit, want)
	}
	for _, c := range []struct{ name, search, want string }{
		{"summary: one row per group, numbers as Python prints floats",
			`| summary m | fields - distance`,
			compact(`{"h": "0", "type": "Normal", "min": "2.0", "max": "9.0", "mean": "5.0", "std": "2.0", "cardinality": "8", "other": "N/A"}`,
				`{"h": "4", "type": "Normal", "min": "1.0", "max": "3.0", "mean": "2.0", "std": "0.816496580927726", "cardinality": "3", "other": "N/A"}`)},
		{"apply with the detection's threshold, density on request",
			`| makeresults | eval h="0", x=11 | apply m threshold=0.005 show_density=true | table h x IsOutlier(x) BoundaryRanges ProbabilityDensity(x)`,
			compact(`{"h": "0", "x": "11", "IsOutlier(x)": "1.0", "BoundaryRanges": ["-Infinity:-0.6141:0.0025", "10.6141:Infinity:0.0025"], "ProbabilityDensity(x)": "0.0022159242059690038"}`)},
		{"the detection's pattern: join the summary, keep groups with enough data, apply, read the upper boundary",
			`| makeresults | eval h=split("0,4,8", ","), x=3 | mvexpand h | join h [summary m] | where cardinality >= 3 | apply m threshold=0.005 | rename "IsOutlier(x)" as isOutlier | eval upper=mvindex(split(mvindex(BoundaryRanges, -1), ":"), 0) | table h x isOutlier upper`,
			compact(`{"h": "0", "x": "3", "isOutlier": "0.0", "upper": "10.6141"}`, `{"h": "4", "x": "3", "isOutlier": "0.0", "upper": "4.2919"}`)},
		{"a group the model lacks and a null value get no results",
			`| makeresults | eval h="8", x=3 | append [| makeresults | eval h="0"] | apply m | table h x IsOutlier(x) BoundaryRanges`,
			compact(`{"h": "8", "x": "3"}`, `{"h": "0"}`)},
		{"upper_threshold alone: one range",
			`| makeresults | eval h="0", x=10 | apply m upper_threshold=0.01 | table IsOutlier(x) BoundaryRanges`,
			compact(`{"IsOutlier(x)": "1.0", "BoundaryRanges": "9.6527:Infinity:0.01"}`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, nil, c.search, opts); got != c.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", c.search, got, c.want)
			}
		})
	}
}

// TestDensityFunctionExpon: location 1 (the smallest value), scale 2 (the
// mean 3 less the location); the upper boundary 1 + 2 ln(1/0.005).
func TestDensityFunctionExpon(t *testing.T) {
	opts := exec.Options{Models: mltk.NewStore()}
	run(t, nil, `| makeresults | eval x=split("1,2,3,6", ",") | mvexpand x | fit DensityFunction x into e dist=expon`, opts)
	got := run(t, nil, `| makeresults | eval x=12 | apply e threshold=0.005 | table IsOutlier(x) BoundaryRanges`, opts)
	if want := compact(`{"IsOutlier(x)": "1.0", "BoundaryRanges": "11.5966:Infinity:0.005"}`); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	got = run(t, nil, `| summary e | table type min max mean std cardinality`, opts)
	if want := compact(`{"type": "Exponential", "min": "1.0", "max": "6.0", "mean": "1.0", "std": "2.0", "cardinality": "4"}`); got != want {
		t.Errorf("summary got:\n%swant:\n%s", got, want)
	}
}

// TestMLTKErrors: what cannot run is an error naming it.
func TestMLTKErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | apply nope`, "apply: model nope is not defined: no search of this run fitted it (fit ... into nope); a test supplies it with a baselines: entry of its data's sidecar"},
		{`| summary nope`, "summary: model nope is not defined"},
		{`| makeresults | eval x=2 | fit DensityFunction x into e dist=expon`, "fit: Unable to fit an Exponential distribution due to numerical errors. All values in the dataset are the same."},
		{`| makeresults | eval x="abc" | fit DensityFunction x dist=norm`, `fit: Feature "x" is not a numeric type (value "abc")`},
		{`| makeresults | fit DensityFunction x dist=norm`, "fit: No valid fields to fit or apply model to"},
	} {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := exec.Compile(q, exec.Options{Now: now, Models: mltk.NewStore()})
		if err == nil {
			_, err = plan.Run(lines(nil), func(*value.Row) error { return nil })
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
	for _, c := range []struct{ search, want string }{
		{`| makeresults | fit DensityFunction x`, "fit: dist=auto is not supported by the evaluator (it fits dist=norm and dist=expon only)"},
		{`| makeresults | fit DensityFunction x dist=gaussian_kde`, "fit: dist=gaussian_kde is not supported by the evaluator"},
		{`| makeresults | fit LinearRegression x`, "fit: algorithm LinearRegression is not supported by the evaluator (it runs DensityFunction)"},
		{`| makeresults | fit DensityFunction x dist=norm threshold="0.01,0.005"`, "several thresholds are not supported by the evaluator"},
		{`| makeresults | fit DensityFunction x dist=norm threshold=2`, "threshold must be a number between 0 and 1, exclusive"},
		{`| makeresults | fit DensityFunction x dist=norm show_options="params"`, "option show_options of command fit is not supported by the evaluator"},
		{`| makeresults | apply m as n`, "apply: AS (renaming the output field) is not supported by the evaluator"},
		{`| makeresults | makecontinuous _time`, "makecontinuous without span= is not supported by the evaluator"},
		{`| makeresults | fit DensityFunction a b dist=norm`, "fit: DensityFunction takes one field and no FROM"},
		{`| makeresults | fit DensityFunction a from b dist=norm`, "fit: DensityFunction takes one field and no FROM"},
		{`| makeresults | fit LinearRegression y from x1 x2 into m`, "fit: algorithm LinearRegression is not supported by the evaluator (it runs DensityFunction)"},
	} {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exec.Compile(q, exec.Options{Now: now}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: compile error %v, want %q", c.search, err, c.want)
		}
	}
}

// TestMakecontinuous (Search Reference, "makecontinuous"): the missing
// buckets between the smallest and the largest are added, in order.
func TestMakecontinuous(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`h=* | bin _time span=1h | stats count by _time | where count > 0 AND (_time < strptime("2026-11-02T02:00:00Z", "%Y-%m-%dT%H:%M:%SZ") OR _time > strptime("2026-11-03T03:30:00Z", "%Y-%m-%dT%H:%M:%SZ")) | makecontinuous span=1h _time | eval t=strftime(_time, "%d %H") | table t count`,
			compact(`{"t": "02 00", "count": "1"}`, `{"t": "02 01", "count": "1"}`, `{"t": "02 02"}`, `{"t": "02 03"}`, `{"t": "02 04"}`, `{"t": "02 05"}`,
				`{"t": "02 06"}`, `{"t": "02 07"}`, `{"t": "02 08"}`, `{"t": "02 09"}`, `{"t": "02 10"}`, `{"t": "02 11"}`, `{"t": "02 12"}`, `{"t": "02 13"}`,
				`{"t": "02 14"}`, `{"t": "02 15"}`, `{"t": "02 16"}`, `{"t": "02 17"}`, `{"t": "02 18"}`, `{"t": "02 19"}`, `{"t": "02 20"}`, `{"t": "02 21"}`,
				`{"t": "02 22"}`, `{"t": "02 23"}`, `{"t": "03 00"}`, `{"t": "03 01"}`, `{"t": "03 02"}`, `{"t": "03 03"}`, `{"t": "03 04", "count": "1"}`)},
		{`h=* | makecontinuous x span=2 | stats count by x`,
			compact(`{"x": "0-2", "count": "1"}`, `{"x": "2-4", "count": "3"}`, `{"x": "4-6", "count": "5"}`, `{"x": "6-8", "count": "1"}`, `{"x": "8-10", "count": "1"}`)},
		{`x=2 OR x=9 | makecontinuous x span=2 | table x`,
			compact(`{"x": "2-4"}`, `{"x": "2-4"}`, `{"x": "4-6"}`, `{"x": "6-8"}`, `{"x": "8-10"}`)},
	} {
		if got := run(t, counts, c.search, exec.Options{}); got != c.want {
			t.Errorf("%s\ngot:\n%swant:\n%s", c.search, got, c.want)
		}
	}
}
