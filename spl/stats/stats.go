// Package stats implements the aggregation functions of stats, eventstats,
// streamstats, chart and timechart: count, dc, values, list, min, max, avg,
// percentiles and the rest, each with Splunk's handling of nulls, numeric
// strings and multivalue fields.
//
// A command compiles each aggregation once with Lookup, then creates one
// Aggregator per group with Func.New and feeds it one value per row. The
// semantic decisions, with their sources, are in docs/semantics-stats.md.
package stats

import (
	"sort"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// Aggregator accumulates one aggregation for one group.
type Aggregator interface {
	// Add adds one row's value of the aggregated field (NullValue when the row lacks it;
	// for count without a field, the caller passes a non-null dummy). t is the row's _time (epoch seconds).
	Add(v value.Value, t float64)
	// Result is the aggregate; NullValue when there is none (e.g. values() of no values).
	Result() value.Value
}

// Merger is an aggregator that can take in another of the same function:
// the result is that of one aggregator that saw both inputs, whatever
// their order. The functions whose result does not depend on row order
// implement it, so that stats can aggregate on several goroutines and
// merge at the end.
type Merger interface {
	Aggregator
	// Merge adds o's inputs; o must come from the same Func and param and
	// is not used afterwards.
	Merge(o Aggregator)
}

// Remover is an aggregator that can take back the oldest value it holds,
// as a sliding window does: its result is then exactly that of an
// aggregator that never saw it. streamstats slides its window through one
// in O(1) per row (amortized).
type Remover interface {
	Aggregator
	// Remove takes back the oldest Add still held, which was of v (at
	// time t).
	Remove(v value.Value, t float64)
}

// Func describes an aggregation function of the registry.
type Func struct {
	Name       string // canonical name, e.g. "dc", "perc"
	Doc        string
	Example    string                         // a stats clause using it, e.g. "dc(user)"
	Source     string                         // our docs page and Splunk docs page
	NeedsField bool                           // false only for count/c without an argument
	New        func(param float64) Aggregator // param: the N of percN/pN/exactpercN/upperpercN, else 0
	// UsesTime is true for the functions that read the t of Add (a row's
	// _time); the others are given any t.
	UsesTime bool
	// OrderFree is true for the functions whose result does not depend on
	// the order rows arrive in; their aggregators implement Merger. first,
	// last, list, mode (ties), earliest and latest (ties) depend on it, and
	// so do sum, avg and the variances, whose floating-point sums can
	// differ in the last digit.
	OrderFree bool
	// NewWindow, when set, makes an aggregator of the same results as New
	// that can also take values back (count, dc, estdc, values, min, max,
	// range: exactly; not sum or avg, whose floating-point sums would
	// change in the last digit).
	NewWindow func(param float64) Remover
}

// Sources cited by the registry; docs/semantics-stats.md has the detail.
const (
	srcAgg      = "https://docs.splunk.com/Documentation/Splunk/9.2.1/SearchReference/Aggregatefunctions"
	srcMV       = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/multivalue-stats-and-chart-functions"
	srcOrder    = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/event-order-functions"
	srcTime     = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/time-functions"
	srcLimits   = "limits.conf.spec [stats|sistats] perc_method, list_maxsize, approx_dc_threshold (Splunk 8.2.12)"
	srcOverview = "https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.3/statistical-and-charting-functions"
)

// bnf cites a stanza of Splunk 8.2.12's etc/system/default/searchbnf.conf
// (docs/semantics.md, "Sources": SPL8212) and our page on the stats
// functions.
func bnf(stanza string) string {
	return "searchbnf.conf [" + stanza + "] (Splunk 8.2.12); docs/semantics-stats.md"
}

// registry holds every function under its canonical name, sorted by name.
var registry = []*Func{
	{Name: "avg", Doc: "Arithmetic mean of the numeric values; non-numeric values are ignored. Alias: mean.",
		Example: "avg(bytes)", Source: srcAgg + "; " + srcOverview, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momAvg} }},
	{Name: "count", OrderFree: true, Doc: "Number of rows; with a field, number of values of the field (each value of a multivalue counts). Alias: c.",
		Example: "count(user)", Source: bnf("stats-c") + "; " + srcAgg,
		New: func(float64) Aggregator { return &count{} }, NewWindow: func(float64) Remover { return &count{} }},
	{Name: "dc", OrderFree: true, Doc: "Number of distinct values, compared as case-sensitive strings. Alias: distinct_count.",
		Example: "dc(user)", Source: bnf("stats-dc") + "; " + srcOverview, NeedsField: true,
		New: func(float64) Aggregator { return newDistinct() }, NewWindow: func(float64) Remover { return newCounted(false) }},
	{Name: "earliest", UsesTime: true, Doc: "Value seen at the smallest _time.",
		Example: "earliest(eventName)", Source: bnf("stats-earliest") + "; " + srcTime, NeedsField: true,
		New: func(float64) Aggregator { return &timed{latest: false} }},
	{Name: "earliest_time", UsesTime: true, OrderFree: true, Doc: "Smallest _time at which the field has a value, in epoch seconds.",
		Example: "earliest_time(eventName)", Source: bnf("stats-earliest-time") + "; " + srcTime, NeedsField: true,
		New: func(float64) Aggregator { return &timed{latest: false, wantTime: true} }},
	{Name: "estdc", OrderFree: true, Doc: "Estimated number of distinct values; exact here, as Splunk is below approx_dc_threshold (1000 distinct values).",
		Example: "estdc(src_ip)", Source: bnf("stats-estdc") + "; " + srcLimits, NeedsField: true,
		New: func(float64) Aggregator { return newDistinct() }, NewWindow: func(float64) Remover { return newCounted(false) }},
	{Name: "exactperc", OrderFree: true, Doc: "Exact N-th percentile (0-100, decimals allowed) of the numeric values, interpolated between the two nearest ranks.",
		Example: "exactperc99.5(duration)", Source: bnf("stats-perc") + "; " + srcLimits, NeedsField: true,
		New: func(p float64) Aggregator { return &order{p: p} }},
	{Name: "first", Doc: "First value seen in input order (with newest-first input, usually the most recent).",
		Example: "first(userAgent)", Source: bnf("stats-first") + "; " + srcOrder, NeedsField: true,
		New: func(float64) Aggregator { return &seen{} }},
	{Name: "last", Doc: "Last value seen in input order.",
		Example: "last(userAgent)", Source: bnf("stats-last") + "; " + srcOrder, NeedsField: true,
		New: func(float64) Aggregator { return &seen{last: true} }},
	{Name: "latest", UsesTime: true, Doc: "Value seen at the largest _time.",
		Example: "latest(eventName)", Source: bnf("stats-latest") + "; " + srcTime, NeedsField: true,
		New: func(float64) Aggregator { return &timed{latest: true} }},
	{Name: "latest_time", UsesTime: true, OrderFree: true, Doc: "Largest _time at which the field has a value, in epoch seconds.",
		Example: "latest_time(eventName)", Source: bnf("stats-latest-time") + "; " + srcTime, NeedsField: true,
		New: func(float64) Aggregator { return &timed{latest: true, wantTime: true} }},
	{Name: "list", Doc: "All values in input order as a multivalue, at most 100 (list_maxsize).",
		Example: "list(eventName)", Source: bnf("stats-list") + "; " + srcMV + "; " + srcLimits, NeedsField: true,
		New: func(float64) Aggregator { return &list{} }},
	{Name: "max", OrderFree: true, Doc: "Largest value: numbers compare numerically, strings lexicographically, and any string is above every number.",
		Example: "max(_time)", Source: bnf("stats-max") + "; " + srcOverview, NeedsField: true,
		New: func(float64) Aggregator { return &extreme{max: true} }, NewWindow: func(float64) Remover { return &slidingExtreme{max: true} }},
	{Name: "median", OrderFree: true, Doc: "Middle numeric value, the 50th percentile: for an even count, the mean of the two middle values.",
		Example: "median(bytes)", Source: bnf("stats-median") + "; " + srcLimits, NeedsField: true,
		New: func(float64) Aggregator { return &order{p: 50} }},
	{Name: "min", OrderFree: true, Doc: "Smallest value: numbers compare numerically, strings lexicographically, and any number is below every string.",
		Example: "min(_time)", Source: bnf("stats-min") + "; " + srcOverview, NeedsField: true,
		New: func(float64) Aggregator { return &extreme{} }, NewWindow: func(float64) Remover { return &slidingExtreme{} }},
	{Name: "mode", Doc: "Most frequent value, compared as strings; on a tie, the value seen first.",
		Example: "mode(src_ip)", Source: bnf("stats-mode") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return newMode() }},
	{Name: "perc", OrderFree: true, Doc: "N-th percentile (0-100, decimals allowed) of the numeric values, interpolated between the two nearest ranks; exact here (Splunk's digest is exact on small inputs). Aliases: p, percentile (Search Reference, \"Statistical and charting functions\": percentile<percentile>(<value>)).",
		Example: "perc95(duration)", Source: bnf("stats-perc") + "; " + srcLimits, NeedsField: true,
		New: func(p float64) Aggregator { return &order{p: p} }},
	{Name: "range", OrderFree: true, Doc: "max minus min of the numeric values.",
		Example: "range(_time)", Source: bnf("stats-range") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &extreme{rng: true} }, NewWindow: func(float64) Remover { return &slidingExtreme{rng: true} }},
	{Name: "stdev", Doc: "Sample standard deviation of the numeric values.",
		Example: "stdev(count)", Source: bnf("stats-stdev") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momStdev} }},
	{Name: "stdevp", Doc: "Population standard deviation of the numeric values.",
		Example: "stdevp(count)", Source: bnf("stats-stdev") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momStdevp} }},
	{Name: "sum", Doc: "Sum of the numeric values.",
		Example: "sum(bytes)", Source: bnf("stats-sum") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momSum} }},
	{Name: "sumsq", Doc: "Sum of the squares of the numeric values.",
		Example: "sumsq(bytes)", Source: bnf("stats-sumsq") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momSumsq} }},
	{Name: "upperperc", OrderFree: true, Doc: "Upper bound of the approximate N-th percentile; equals perc here, as in Splunk below 1000 values.",
		Example: "upperperc90(duration)", Source: bnf("stats-perc") + "; " + srcLimits, NeedsField: true,
		New: func(p float64) Aggregator { return &order{p: p} }},
	{Name: "values", OrderFree: true, Doc: "Distinct values as a multivalue, sorted lexicographically by bytes (\"10\" < \"9\" < \"A\" < \"a\").",
		Example: "values(userAgent)", Source: bnf("stats-values") + "; " + srcMV, NeedsField: true,
		New: func(float64) Aggregator { return newValues() }, NewWindow: func(float64) Remover { return newCounted(true) }},
	{Name: "var", Doc: "Sample variance of the numeric values.",
		Example: "var(count)", Source: bnf("stats-var") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momVar} }},
	{Name: "varp", Doc: "Population variance of the numeric values.",
		Example: "varp(count)", Source: bnf("stats-var") + "; " + srcAgg, NeedsField: true,
		New: func(float64) Aggregator { return &moments{kind: momVarp} }},
}

// aliases maps other spellings to canonical names.
var aliases = map[string]string{
	"c":              "count",
	"distinct_count": "dc",
	"mean":           "avg",
}

// percentile functions take their N as a suffix: perc95, p99.9. Longer
// prefixes come first so that "perc95" is not read as "p" + "erc95".
var percPrefixes = []struct{ prefix, name string }{
	{"exactperc", "exactperc"},
	{"upperperc", "upperperc"},
	{"percentile", "perc"},
	{"perc", "perc"},
	{"p", "perc"},
}

var byName = func() map[string]*Func {
	m := make(map[string]*Func, len(registry))
	for _, f := range registry {
		m[f.Name] = f
	}
	return m
}()

// Lookup resolves a function name as written (case-insensitive): count, c, dc, distinct_count,
// values, list, min, max, avg, mean, sum, sumsq, earliest, latest, earliest_time, latest_time,
// first, last, range, stdev, stdevp, var, varp, median, mode, estdc,
// perc95 / p95 / percentile95 / exactperc99.5 / upperperc90 (N may be a
// decimal, 0-100).
// It returns the Func and the param. ok false for unknown names.
func Lookup(name string) (f *Func, param float64, ok bool) {
	name = strings.ToLower(name)
	if canon, isAlias := aliases[name]; isAlias {
		name = canon
	}
	if f, ok := byName[name]; ok {
		if isPercentile(f.Name) {
			return nil, 0, false // a percentile needs its N
		}
		return f, 0, true
	}
	for _, pp := range percPrefixes {
		rest, found := strings.CutPrefix(name, pp.prefix)
		if !found {
			continue
		}
		if p, ok := parsePercent(rest); ok {
			return byName[pp.name], p, true
		}
	}
	return nil, 0, false
}

// Funcs returns all registered functions sorted by name (for docs and tests).
func Funcs() []*Func {
	out := append([]*Func(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func isPercentile(name string) bool {
	return name == "perc" || name == "exactperc" || name == "upperperc"
}

// parsePercent reads the N of percN: digits with at most one decimal
// point, no sign or exponent, between 0 and 100.
func parsePercent(s string) (float64, bool) {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return 0, false
		}
	}
	if digits == 0 || dots > 1 {
		return 0, false
	}
	p, err := strconv.ParseFloat(s, 64)
	if err != nil || p < 0 || p > 100 {
		return 0, false
	}
	return p, true
}
