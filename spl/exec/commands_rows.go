package exec

import (
	"slices"

	"github.com/splharness/splharness/spl"
)

// Descriptors of the commands that reshape, accumulate or re-read results
// (Search Reference pages of the same names). Their options are read by
// the shared option parser (parseOptions) from the specs here.
func init() {
	kept := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error), opts ...option) *command {
		return &command{Name: name, Compile: compile, Kind: streaming, RowByRow: true, Options: opts}
	}
	inOrder := func(name string, compile func(*planner, spl.Command, bool) (stageBuilder, error), opts ...option) *command {
		return &command{Name: name, Compile: compile, Kind: streaming, Options: opts}
	}
	extractOptions := []option{
		{Name: "pairdelim", Doc: "characters that separate pairs"},
		{Name: "kvdelim", Doc: "characters that separate key from value"},
		{Name: "limit", Kind: optInt, Default: "50", Doc: "0 for no limit"},
		{Name: "maxchars", Kind: optInt, Min: 1, Default: "10240"},
		{Name: "mv_add", Kind: optBool, Default: "false"},
		{Name: "clean_keys", Kind: optBool, Default: "true"},
		{Name: "reload", Kind: optBool, Doc: "changes nothing: .conf files are read once"},
	}
	// Options of chart and timechart (Search Reference, "chart",
	// "timechart"); timechart adds those about the search's time range.
	chartOptions := []option{
		{Name: "limit", Default: "10", Doc: "N, topN or bottomN"},
		{Name: "useother", Kind: optBool, Default: "true"},
		{Name: "usenull", Kind: optBool, Default: "true"},
		{Name: "nullstr", Default: "NULL"},
		{Name: "otherstr", Default: "OTHER"},
		{Name: "sep", Default: ": "},
		{Name: "format"},
		{Name: "span"},
	}
	timechartOptions := append(slices.Clone(chartOptions),
		option{Name: "cont", Kind: optBool, Default: "true"},
		option{Name: "partial", Kind: optBool, Doc: "changes nothing: the buckets span the data"},
		option{Name: "fixedrange", Kind: optBool, Doc: "changes nothing: the buckets span the data"})
	chartOptions = append(chartOptions,
		option{Name: "cont", Kind: optBool, Default: "true", Doc: "changes nothing: the OVER field is not binned"})
	register(
		kept("strcat", compileAs((*planner).compileStrcat), option{Name: "allrequired", Kind: optBool}),
		kept("replace", compileAs((*planner).compileReplace)),
		kept("rangemap", compileAs((*planner).compileRangemap),
			option{Name: "field", Kind: optField},
			option{Name: "default", Default: "None"},
			option{Name: otherNames, Doc: "a range `lo-hi` named by the option"}),
		kept("xmlkv", compileAs((*planner).compileXmlkv),
			option{Name: "maxinputs", Kind: optInt, Min: 1, Doc: "changes nothing: every event is processed"}),
		kept("extract", compileAs((*planner).compileExtract), extractOptions...),
		kept("kv", compileAs((*planner).compileExtract), extractOptions...),
		kept("multikv", compileAs((*planner).compileMultikv),
			option{Name: "copyattrs", Kind: optBool, Default: "true"},
			option{Name: "multitable", Kind: optBool, Default: "true"},
			option{Name: "noheader", Kind: optBool, Default: "false"},
			option{Name: "rmorig", Kind: optBool, Default: "true"},
			option{Name: "forceheader", Kind: optInt, Min: 1},
			option{Name: "conf", Unsupported: "multikv.conf stanzas are not read"}),
		&command{Name: "addtotals", Compile: compileAs((*planner).compileAddtotals), Kind: streaming,
			Order: addtotalsOrder, OrderDoc: "row by row unless col=true adds a result of column totals",
			Options: []option{
				{Name: "row", Kind: optBool, Default: "true"},
				{Name: "col", Kind: optBool, Default: "false"},
				{Name: "fieldname", Kind: optField, Default: "Total"},
				{Name: "label", Default: "Total"},
				{Name: "labelfield", Kind: optField},
			}},
		inOrder("filldown", compileAs((*planner).compileFilldown)),
		inOrder("uniq", compileAs((*planner).compileUniq)),
		inOrder("accum", compileAs((*planner).compileAccum)),
		inOrder("delta", compileAs((*planner).compileDelta),
			option{Name: "p", Kind: optInt, Min: 1, Default: "1"}),
		inOrder("autoregress", compileAs((*planner).compileAutoregress),
			option{Name: "p", Default: "1", Doc: "N or a range M-N"}),
		inOrder("appendpipe", compileAs((*planner).compileAppendpipe),
			option{Name: "run_in_preview", Kind: optBool, Doc: "changes nothing: there is no preview"}),
		&command{Name: "mvcombine", Compile: compileAs((*planner).compileMvcombine), Kind: transforming,
			Options: []option{{Name: "delim", Default: " ", Doc: "changes nothing: a multivalue is output as its values"}}},
		&command{Name: "chart", Compile: compileAs((*planner).compileChart), Kind: transforming, Projects: always, Options: chartOptions},
		&command{Name: "timechart", Compile: compileAs((*planner).compileChart), Kind: transforming, Projects: always, Options: timechartOptions},
		// transaction sorts its results by time, whatever order the events
		// came in.
		&command{Name: "transaction", Compile: compileAs((*planner).compileTransaction), Kind: transforming,
			Order: func(spl.Command) orderEffect { return orderReset }, OrderDoc: "results sorted by time whatever the input order",
			Options: []option{
				{Name: "maxspan", Default: "-1", Doc: "a time span, -1 for none"},
				{Name: "maxpause", Default: "-1", Doc: "a time span, -1 for none"},
				{Name: "maxevents", Default: "1000", Doc: "a positive number, -1 for none"},
				{Name: "startswith", Doc: "a search in parentheses, eval(condition) or a quoted search"},
				{Name: "endswith", Doc: "a search in parentheses, eval(condition) or a quoted search"},
				{Name: "keeporphans", Kind: optBool},
				{Name: "keepevicted", Kind: optBool},
				{Name: "connected", Kind: optBool, Default: "true", Doc: "changes nothing: every event has every field"},
				{Name: "unifyends", Kind: optBool, TrueUnsupported: true},
				{Name: "mvraw", Kind: optBool, TrueUnsupported: true},
				{Name: "mvlist", Default: "false", Doc: "a boolean or a list of fields"},
				{Name: "delim", Default: " "},
				{Name: "maxopentxn", Doc: "changes nothing: events are held under maxresultrows and the memory budget"},
				{Name: "maxopenevents", Doc: "changes nothing: events are held under maxresultrows and the memory budget"},
			}},
	)
}

// addtotalsOrder: each result's total is its own, but col=true adds a
// result summing all the others.
func addtotalsOrder(cmd spl.Command) orderEffect {
	c, ok := cmd.(*spl.AddtotalsCommand)
	if !ok {
		return orderMatters
	}
	if o, _ := readOptions(c, c.Options); o.Bool("col") {
		return orderMatters
	}
	return orderKept
}
