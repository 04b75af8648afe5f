package stats

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/splharness/splharness/spl/value"
)

// in is one Add call.
type in struct {
	v value.Value
	t float64
}

// aggCase feeds inputs to the function named fn (as written in SPL) and
// expects want. Every case says where its expectation comes from.
type aggCase struct {
	name string
	fn   string
	in   []in
	want value.Value
}

var (
	null = value.NullValue
	s    = value.Str
	num  = value.Num
)

func mv(vals ...string) value.Value { return value.MV(vals) }

// strs makes inputs from strings at time 0; "<null>" is a null.
func strs(vals ...string) []in {
	out := make([]in, len(vals))
	for i, v := range vals {
		if v == "<null>" {
			out[i] = in{v: null}
			continue
		}
		out[i] = in{v: s(v)}
	}
	return out
}

func vals(vs ...value.Value) []in {
	out := make([]in, len(vs))
	for i, v := range vs {
		out[i] = in{v: v}
	}
	return out
}

// seq is the numeric strings 1..n in order.
func seq(n int) []in {
	out := make([]in, n)
	for i := range out {
		out[i] = in{v: s(strconv.Itoa(i + 1))}
	}
	return out
}

func runCases(t *testing.T, cases []aggCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.fn+"/"+c.name, func(t *testing.T) {
			f, p, ok := Lookup(c.fn)
			if !ok {
				t.Fatalf("Lookup(%q) failed", c.fn)
			}
			a := f.New(p)
			for _, x := range c.in {
				a.Add(x.v, x.t)
			}
			if got := a.Result(); !got.Equal(c.want) {
				t.Errorf("%s = %#v, want %#v", c.fn, got, c.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	runCases(t, []aggCase{
		// docs/semantics-stats.md (count): on zero input `stats count` still yields count=0.
		{"empty", "count", nil, num(0)},
		// docs/semantics-stats.md (count): the number of rows; the caller passes one non-null dummy per row.
		{"rows", "count", strs("x", "x", "x"), num(3)},
		// searchbnf [stats-c]: count of the occurrences of the field; nulls are not occurrences.
		{"field with nulls", "count", strs("a", "<null>", "b"), num(2)},
		// docs/semantics-stats.md (count multivalue): each value of a multivalue is an occurrence.
		{"multivalue", "count", vals(mv("a", "b", "c"), s("d")), num(4)},
		// searchbnf [stats-agg] example count(eval(sourcetype="splunkd")): rows where the test is false are not counted.
		{"eval boolean", "count", vals(value.Boolean(true), value.Boolean(false), value.Boolean(true)), num(2)},
		// docs/semantics-stats.md (empty string): "" is a value, not a null.
		{"empty string", "count", strs(""), num(1)},
		// searchbnf [stats-c]: c is an alias of count.
		{"alias c", "c", strs("a", "b"), num(2)},
		// numbers from eval expressions are values like any other.
		{"number", "count", vals(num(0), num(5)), num(2)},
	})
}

func TestDistinctCount(t *testing.T) {
	runCases(t, []aggCase{
		// docs/semantics-stats.md (dc): distinct values, case-sensitive.
		{"case sensitive", "dc", strs("a", "A", "a"), num(2)},
		// Statistical and charting functions overview: dc sees "1", "1.0", "01" as three strings.
		{"numeric strings", "dc", strs("1", "1.0", "01"), num(3)},
		// docs/semantics-stats.md (multivalue): each value of a multivalue is counted.
		{"multivalue", "dc", vals(mv("a", "b"), s("a")), num(2)},
		// no values: zero distinct values.
		{"nulls only", "dc", strs("<null>", "<null>"), num(0)},
		// a computed number reads as its rendering, the same string as the field value.
		{"number and string", "dc", vals(num(1), s("1")), num(1)},
		// searchbnf [stats-dc]: distinct_count is an alias of dc.
		{"alias", "distinct_count", strs("x", "y", "x"), num(2)},
		// limits.conf.spec approx_dc_threshold=1000: estdc is exact below 1000 distinct values.
		{"estdc exact", "estdc", strs("a", "b", "a", "c"), num(3)},
	})
}

func TestValues(t *testing.T) {
	runCases(t, []aggCase{
		// docs/semantics-stats.md (values) and [D-lex]: byte order, "10" < "9" < "A" < "a"; duplicates once.
		{"byte order", "values", strs("a", "9", "A", "10", "a"), mv("10", "9", "A", "a")},
		// docs/semantics-stats.md: other functions give empty values on no input; values of nothing is null.
		{"empty", "values", strs("<null>"), null},
		// Value model: one value is a plain string, not a one-element multivalue.
		{"single", "values", strs("x", "x"), s("x")},
		// Multivalue stats and chart functions page: values of a multivalue field each contribute.
		{"multivalue", "values", vals(mv("b", "a"), s("c")), mv("a", "b", "c")},
		// a computed number contributes its rendering.
		{"number", "values", vals(num(2.5), num(10)), mv("10", "2.5")},
		// strings keep their spelling; no numeric normalisation.
		{"numeric spellings", "values", strs("01", "1", "1.0"), mv("01", "1", "1.0")},
	})
}

func TestList(t *testing.T) {
	many := make([]in, 150)
	for i := range many {
		many[i] = in{v: s(strconv.Itoa(i))}
	}
	first100 := make([]string, 100)
	for i := range first100 {
		first100[i] = strconv.Itoa(i)
	}
	nearly := make([]in, 99)
	for i := range nearly {
		nearly[i] = in{v: s("v")}
	}
	nearlyWant := make([]string, 0, 100)
	for range 99 {
		nearlyWant = append(nearlyWant, "v")
	}
	nearlyWant = append(nearlyWant, "x")
	runCases(t, []aggCase{
		// searchbnf [stats-list]: input order, duplicates kept.
		{"order", "list", strs("b", "a", "b"), mv("b", "a", "b")},
		// limits.conf list_maxsize=100; Multivalue functions page: only the first 100 are returned.
		{"cap", "list", many, mv(first100...)},
		// the cap counts values, so a multivalue can be cut part way.
		{"cap inside multivalue", "list", append(nearly, in{v: mv("x", "y")}), mv(nearlyWant...)},
		// nulls are not values.
		{"nulls", "list", strs("<null>", "a", "<null>"), s("a")},
		{"empty", "list", nil, null},
	})
}

func TestMinMax(t *testing.T) {
	runCases(t, []aggCase{
		// Statistical and charting functions overview: max and min process values as numbers if possible.
		{"numeric", "max", strs("10", "9", "100"), num(100)},
		{"numeric", "min", strs("10", "9", "100"), num(9)},
		// overview: "1", "1.0", "01" are the same number for max/min.
		{"same number", "max", strs("01", "1.0", "1"), num(1)},
		// searchbnf [stats-max]: lexicographic if non-numeric.
		{"strings", "max", strs("b", "a", "C"), s("b")},
		{"strings", "min", strs("b", "a", "C"), s("C")},
		// docs/semantics-stats.md (mixed min/max): any string is above every number.
		{"mixed", "max", strs("5", "abc", "10"), s("abc")},
		{"mixed", "min", strs("5", "abc", "10"), num(5)},
		// docs/semantics-stats.md (multivalue): each value of a multivalue contributes.
		{"multivalue", "max", vals(mv("3", "7"), s("5")), num(7)},
		{"multivalue", "min", vals(mv("3", "7"), s("5")), num(3)},
		// value.ParseNumber: surrounding spaces are allowed in a numeric string.
		{"spaces", "max", strs(" 5 ", "4"), num(5)},
		// negative numbers compare numerically, not as "-" strings.
		{"negative", "min", vals(num(-2), s("-10"), s("3")), num(-10)},
		{"empty", "max", strs("<null>"), null},
		{"empty", "min", nil, null},
	})
}

func TestRange(t *testing.T) {
	runCases(t, []aggCase{
		// searchbnf [stats-range]: max minus min, only if numeric; non-numeric values are ignored.
		{"numeric", "range", strs("3", "10", "x"), num(7)},
		{"single", "range", strs("4"), num(0)},
		{"no numbers", "range", strs("a", "b"), null},
	})
}

func TestMoments(t *testing.T) {
	many399 := func(n int) []in {
		out := make([]in, n)
		for i := range out {
			out[i] = in{v: s("3.99")}
		}
		return out
	}
	runCases(t, []aggCase{
		// Statistical and charting functions overview: non-numeric values are ignored.
		{"ignores strings", "avg", vals(s("1"), s("2"), s("x"), null), num(1.5)},
		// Aggregate functions page, avg extended example: 100 × 3.99 averages to 3.9900000000000055.
		{"float sum 100", "avg", many399(100), num(3.9900000000000055)},
		// same example, 10000 values: 3.990000000000215 (plain left-to-right summation).
		{"float sum 10000", "avg", many399(10000), num(3.990000000000215)},
		// searchbnf [stats-mean]: mean is an alias of avg.
		{"alias mean", "mean", strs("2", "4"), num(3)},
		{"no numbers", "avg", strs("a"), null},
		// docs/semantics-stats.md (multivalue): each value of a multivalue contributes.
		{"multivalue", "sum", vals(s("1"), s("2.5"), mv("3", "x")), num(6.5)},
		{"negative", "sum", strs("-1", "-2"), num(-3)},
		{"empty", "sum", nil, null},
		// searchbnf [stats-sumsq]: sum of the squares.
		{"squares", "sumsq", strs("1", "2", "3"), num(14)},
		// searchbnf [stats-var]/[stats-stdev]: sample and population forms.
		{"sample", "var", strs("1", "2", "3", "4"), num(5.0 / 3)},
		{"population", "varp", strs("1", "2", "3", "4"), num(1.25)},
		{"sample", "stdev", strs("1", "2", "3", "4"), num(math.Sqrt(5.0 / 3))},
		{"population", "stdevp", strs("1", "2", "3", "4"), num(math.Sqrt(1.25))},
		// docs/semantics-stats.md (one value): the sample forms give 0.
		{"one value", "stdev", strs("7"), num(0)},
		{"one value", "var", strs("7"), num(0)},
		{"one value", "stdevp", strs("7"), num(0)},
		{"no numbers", "stdev", strs("a", "b"), null},
		// rounding must not turn equal values into a NaN standard deviation.
		{"equal values", "stdev", strs("0.1", "0.1", "0.1"), num(0)},
	})
}

func TestMedianPercentiles(t *testing.T) {
	ten := strs("10", "9", "8", "7", "6", "5", "4", "3", "2", "1")
	runCases(t, []aggCase{
		// Statistical and charting functions, percentile examples: the
		// list Y = {10,9,8,7,6,5,4,3,2,1}; perc50(Y) is 5.5, perc95(Y) 9.55.
		{"doc perc50", "perc50", ten, num(5.5)},
		{"doc perc95", "perc95", ten, num(9.55)},
		{"doc p95", "p95", ten, num(9.55)},
		{"doc exactperc95", "exactperc95", ten, num(9.55)},
		// upperperc equals perc below 1000 values (same page).
		{"doc upperperc95", "upperperc95", ten, num(9.55)},
		// median is the 50th percentile, interpolated: the mean of the two
		// middle values for an even count.
		{"doc median", "median", ten, num(5.5)},
		{"odd", "median", strs("3", "1", "2"), num(2)},
		{"even", "median", strs("4", "1", "3", "2"), num(2.5)},
		{"single", "median", strs("5"), num(5)},
		// numeric values only.
		{"ignores strings", "median", strs("a", "5", "b"), num(5)},
		{"multivalue", "median", vals(mv("1", "9"), s("5")), num(5)},
		{"empty", "median", strs("a"), null},
		// F = 0.25 × 3 = 0.75: 1 + 0.75 × (2 − 1).
		{"p25", "perc25", seq(4), num(1.75)},
		{"p95 of 20", "p95", seq(20), num(19.05)},
		{"perc90 of 100", "perc90", seq(100), num(90.1)},
		// decimals allowed: F = 0.995 × 999 = 994.005.
		{"decimal", "exactperc99.5", seq(1000), num(995.005)},
		{"p0 is min", "perc0", seq(5), num(1)},
		{"p100 is max", "perc100", seq(5), num(5)},
		{"whole rank", "perc50", seq(5), num(3)},
		{"order of input", "perc50", strs("10", "9", "100"), num(10)},
		{"empty", "p50", nil, null},
	})
}

func TestMode(t *testing.T) {
	runCases(t, []aggCase{
		// searchbnf [stats-mode]: the most frequent value.
		{"most frequent", "mode", strs("x", "y", "y"), s("y")},
		// docs/semantics-stats.md (mode ties): the value seen first wins.
		{"tie", "mode", strs("b", "a", "a", "b", "c"), s("b")},
		// values compared as strings: "1" and "1.0" differ.
		{"strings", "mode", strs("1", "1.0", "1.0"), s("1.0")},
		{"multivalue", "mode", vals(mv("a", "b"), s("b")), s("b")},
		{"empty", "mode", nil, null},
	})
}

func TestFirstLast(t *testing.T) {
	runCases(t, []aggCase{
		// Event order functions page: first/last seen value in input order.
		{"skips nulls", "first", strs("<null>", "a", "b"), s("a")},
		{"skips nulls", "last", strs("a", "b", "<null>"), s("b")},
		// docs/semantics-stats.md (multivalue): values are seen one by one.
		{"multivalue", "first", vals(mv("x", "y"), s("z")), s("x")},
		{"multivalue", "last", vals(s("z"), mv("x", "y")), s("y")},
		// a computed number stays a number.
		{"number", "first", vals(num(3), num(4)), num(3)},
		{"empty", "last", nil, null},
	})
}

func TestEarliestLatest(t *testing.T) {
	rows := []in{{s("a"), 30}, {s("b"), 10}, {s("c"), 20}}
	ties := []in{{s("a"), 10}, {s("b"), 10}}
	runCases(t, []aggCase{
		// Time functions page: chronologically earliest/latest occurrence, whatever the input order.
		{"by time", "earliest", rows, s("b")},
		{"by time", "latest", rows, s("a")},
		// searchbnf [stats-earliest-time]/[stats-latest-time]: the epoch time of that occurrence.
		{"by time", "earliest_time", rows, num(10)},
		{"by time", "latest_time", rows, num(30)},
		// docs/semantics-stats.md (ties): earliest keeps the first seen, latest the last seen.
		{"ties", "earliest", ties, s("a")},
		{"ties", "latest", ties, s("b")},
		// nulls are not occurrences: the time comes from the row with a value.
		{"nulls", "earliest", []in{{null, 1}, {s("x"), 2}}, s("x")},
		{"nulls", "earliest_time", []in{{null, 1}, {s("x"), 2}}, num(2)},
		// docs/semantics-stats.md (no _time): a row without a time is older than any time.
		{"no time", "earliest", []in{{s("a"), math.NaN()}, {s("b"), 5}}, s("a")},
		{"no time", "latest", []in{{s("a"), math.NaN()}, {s("b"), 5}}, s("b")},
		{"no time", "earliest_time", []in{{s("a"), math.NaN()}}, null},
		{"multivalue", "latest", []in{{mv("x", "y"), 5}}, s("y")},
		{"empty", "latest_time", nil, null},
	})
}

// streamstats asks for a result after every row: earlier results must not
// change when more rows arrive.
func TestResultsStayValid(t *testing.T) {
	for _, name := range []string{"values", "list"} {
		f, p, _ := Lookup(name)
		a := f.New(p)
		a.Add(s("b"), 0)
		a.Add(s("a"), 0)
		before := a.Result()
		a.Add(s("0"), 0)
		a.Add(s("c"), 0)
		if got := before.Len(); got != 2 {
			t.Errorf("%s: earlier result changed to %#v", name, before)
		}
		if got := a.Result().Len(); got != 4 {
			t.Errorf("%s: result after more rows has %d values, want 4", name, got)
		}
	}
}

func TestRegistry(t *testing.T) {
	funcs := Funcs()
	if !sort.SliceIsSorted(funcs, func(i, j int) bool { return funcs[i].Name < funcs[j].Name }) {
		t.Error("Funcs is not sorted by name")
	}
	names := map[string]bool{}
	for _, f := range funcs {
		if names[f.Name] {
			t.Errorf("%s registered twice", f.Name)
		}
		names[f.Name] = true
		if f.Doc == "" || f.Example == "" || f.Source == "" || f.New == nil {
			t.Errorf("%s: missing Doc, Example, Source or New", f.Name)
		}
		if f.NeedsField != (f.Name != "count") {
			t.Errorf("%s: NeedsField = %v", f.Name, f.NeedsField)
		}
		// Every example names its own function and runs.
		call, arg, ok := strings.Cut(f.Example, "(")
		if !ok || !strings.HasSuffix(arg, ")") {
			t.Errorf("%s: example %q is not func(field)", f.Name, f.Example)
			continue
		}
		g, p, ok := Lookup(call)
		if !ok || g != f {
			t.Errorf("%s: example %q resolves to %v", f.Name, f.Example, g)
			continue
		}
		a := g.New(p)
		a.Add(s("5"), 1)
		a.Add(mv("2", "x"), 2)
		a.Add(null, 3)
		if r := a.Result(); r.IsNull() {
			t.Errorf("%s: example gave null on non-empty input", f.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	resolves := []struct {
		as    string
		name  string
		param float64
	}{
		{"count", "count", 0},
		{"c", "count", 0},
		{"COUNT", "count", 0},
		{"dc", "dc", 0},
		{"distinct_count", "dc", 0},
		{"DC", "dc", 0},
		{"mean", "avg", 0},
		{"avg", "avg", 0},
		{"values", "values", 0},
		{"earliest_time", "earliest_time", 0},
		{"p95", "perc", 95},
		{"P95", "perc", 95},
		{"perc95", "perc", 95},
		{"perc99.9", "perc", 99.9},
		{"exactperc99.5", "exactperc", 99.5},
		{"upperperc90", "upperperc", 90},
		{"perc0", "perc", 0},
		{"p100", "perc", 100},
		{"p.5", "perc", 0.5},
		// Search Reference, "Statistical and charting functions":
		// percentile<percentile>(<value>) is perc under its long name.
		{"percentile95", "perc", 95},
		{"Percentile99.5", "perc", 99.5},
	}
	for _, c := range resolves {
		f, p, ok := Lookup(c.as)
		if !ok || f.Name != c.name || p != c.param {
			t.Errorf("Lookup(%q) = %v, %v, %v; want %s, %v", c.as, f, p, ok, c.name, c.param)
		}
	}
	for _, junk := range []string{
		"", "perc101", "p100.5", "pfoo", "perc", "p", "exactperc", "upperperc",
		"perc-5", "perc+5", "perc9.5.5", "p1e2", "perc 95", "percentile", "percentile101", "exactp95",
		"estdc_error", "rate", "sparkline", "countx", "median50",
	} {
		if f, _, ok := Lookup(junk); ok {
			t.Errorf("Lookup(%q) = %s, want not found", junk, f.Name)
		}
	}
}

// TestMergeEqualsOnePass: for every function that can be merged, rows cut
// into parts at any points, aggregated apart and merged give the result of
// one aggregator over all the rows. These are the functions stats runs on
// several goroutines.
func TestMergeEqualsOnePass(t *testing.T) {
	rows := []in{
		{value.Str("b"), 5}, {value.Num(3), 2}, {value.Str("10"), 9}, {value.NullValue, 1},
		{value.MV([]string{"a", "7", "b"}), 4}, {value.Str("-2.5"), 3}, {value.Str("zz"), 8},
		{value.Num(3), 7}, {value.Str("b"), 6}, {value.Str("a"), 0},
	}
	merged := 0
	for _, name := range []string{"count", "dc", "values", "min", "max", "range", "median", "perc90", "exactperc25", "upperperc75", "earliest_time", "latest_time"} {
		f, param, ok := Lookup(name)
		if !ok {
			t.Fatalf("no function %s", name)
		}
		one := f.New(param)
		for _, r := range rows {
			one.Add(r.v, r.t)
		}
		want := one.Result()
		for cut1 := 0; cut1 <= len(rows); cut1++ {
			for cut2 := cut1; cut2 <= len(rows); cut2++ {
				parts := [][]in{rows[:cut1], rows[cut1:cut2], rows[cut2:]}
				var total Aggregator
				for i, part := range parts {
					a := f.New(param)
					for _, r := range part {
						a.Add(r.v, r.t)
					}
					if i == 0 {
						total = a
						continue
					}
					m, ok := total.(Merger)
					if !ok {
						t.Fatalf("%s cannot be merged", name)
					}
					m.Merge(a)
					merged++
				}
				if got := total.Result(); !got.Equal(want) {
					t.Errorf("%s cut at %d and %d: merged %v, one pass %v", name, cut1, cut2, got, want)
				}
			}
		}
	}
	if merged == 0 {
		t.Fatal("nothing merged")
	}
}

// TestUsesTime: exactly the functions that read a row's time say so.
func TestUsesTime(t *testing.T) {
	for _, f := range registry {
		if _, timedAgg := f.New(0).(*timed); timedAgg != f.UsesTime {
			t.Errorf("%s: UsesTime %v, but its aggregator reads the time: %v", f.Name, f.UsesTime, timedAgg)
		}
	}
}

// TestOrderFreeMerges: every function marked order free can be merged,
// which stats on several goroutines relies on.
func TestOrderFreeMerges(t *testing.T) {
	for _, f := range registry {
		if _, ok := f.New(50).(Merger); f.OrderFree && !ok {
			t.Errorf("%s is order free but its aggregator is not a Merger", f.Name)
		}
	}
}

// TestDistinctRepeats: dc and values, which compare each value with the
// last one they took in before looking in their set, count runs of the
// same value, values that come back after others, and values whose
// memory is written over after Add (event text shares a block of input),
// as a set does.
func TestDistinctRepeats(t *testing.T) {
	seq := []string{"a", "a", "b", "a", "b", "b", "c", "a", "", "", "c", "d", "a"}
	dc, _, _ := Lookup("dc")
	vs, _, _ := Lookup("values")
	d, v := dc.New(0), vs.New(0)
	buf := make([]byte, 0, 8)
	want := map[string]bool{}
	for _, x := range seq {
		buf = append(buf[:0], x...)
		text := unsafe.String(unsafe.SliceData(buf), len(buf)) // shared, as an event's text is
		d.Add(s(text), 0)
		v.Add(s(text), 0)
		copy(buf[:cap(buf)], "zzzzzzzz") // written over
		want[x] = true
	}
	if got := d.Result(); got.String() != strconv.Itoa(len(want)) {
		t.Errorf("dc = %s, want %d", got, len(want))
	}
	var wantVals []string
	for x := range want {
		wantVals = append(wantVals, x)
	}
	sort.Strings(wantVals)
	if got := v.Result().Values(); strings.Join(got, ",") != strings.Join(wantVals, ",") {
		t.Errorf("values = %q, want %q", got, wantVals)
	}
}
