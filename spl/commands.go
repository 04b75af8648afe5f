package spl

import (
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// CommandInfo describes a command the grammar knows.
type CommandInfo struct {
	Name    string
	Doc     string
	Example string // a search using the command; parsed by a test
	parse   func(*lexer.PeekingLexer) (Command, error)
}

// Commands is the registry of commands with their own grammar, in name
// order. A command is listed here, or declared beside its grammar struct
// in a file of its own with registerCommand (docs/architecture.md,
// "Adding a command"). A test
// checks that every entry parses to its own struct (never the generic
// form), so the grammar and this list cannot drift apart.
var Commands = []CommandInfo{
	{"search", "filter events with search terms", "search eventName=Delete* NOT errorCode=AccessDenied", parseSearchCommand},
	{"where", "filter results with an eval expression", "| where count > 9 AND user!=\"root\"", grammarFor[WhereCommand]()},
	{"eval", "compute fields", "| eval a=1, b=if(a>0, \"pos\", \"neg\")", grammarFor[EvalCommand]()},
	{"stats", "aggregate results into groups", "| stats count min(_time) as firstTime values(src) as src by user dest", grammarFor[StatsCommand]()},
	{"eventstats", "add group aggregates to every result", "| eventstats avg(count) as avg stdev(count) as sd by user", grammarFor[StatsCommand]()},
	{"streamstats", "running aggregates in result order", "| streamstats current=f window=5 count by user", grammarFor[StatsCommand]()},
	{"tstats", "aggregate over a data model dataset or indexed fields", "| tstats summariesonly=true count from datamodel=Change where All_Changes.action=created by All_Changes.user span=1h", grammarFor[TstatsCommand]()},
	{"mstats", "aggregate metrics", "| mstats avg(cpu.*) as cpu.* where index=metrics by host span=10s", grammarFor[MstatsCommand]()},
	{"timechart", "aggregate over time buckets", "| timechart span=1h count by user limit=5", grammarFor[TimechartCommand]()},
	{"chart", "aggregate into a table", "| chart count over user by action", grammarFor[TimechartCommand]()},
	{"top", "most common values", "| top limit=5 user by src", grammarFor[TopCommand]()},
	{"rare", "least common values", "| rare 5 user", grammarFor[TopCommand]()},
	{"rename", "rename fields", "| rename user_name as user, requestParameters.* as *", grammarFor[RenameCommand]()},
	{"table", "keep fields in order", "| table _time user src", grammarFor[TableCommand]()},
	{"fields", "keep or remove fields", "| fields - _raw, punct", grammarFor[FieldsCommand]()},
	{"convert", "convert field values", "| convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime) AS first", grammarFor[ConvertCommand]()},
	{"fillnull", "fill empty fields", "| fillnull value=\"unknown\" user src", grammarFor[FillnullCommand]()},
	{"dedup", "remove duplicate results", "| dedup 2 user src keepempty=true sortby -_time", grammarFor[DedupCommand]()},
	{"sort", "sort results", "| sort 0 - count, +user", grammarFor[SortCommand]()},
	{"head", "first results", "| head 10", grammarFor[HeadCommand]()},
	{"tail", "last results", "| tail 5", grammarFor[HeadCommand]()},
	{"makeresults", "generate empty results", "| makeresults count=3", grammarFor[MakeresultsCommand]()},
	{"bin", "bucket numeric or time values", "| bin _time span=5m", grammarFor[BinCommand]()},
	{"bucket", "bucket numeric or time values (alias of bin)", "| bucket span=1h _time as hour", grammarFor[BinCommand]()},
	{"lookup", "enrich results from a lookup table", "| lookup update=true users uid AS user OUTPUTNEW name AS user_name, dept", grammarFor[LookupCommand]()},
	{"inputlookup", "read a lookup table", "| inputlookup append=t baseline where count>5", grammarFor[InputlookupCommand]()},
	{"outputlookup", "write a lookup table", "| outputlookup baseline append=true", grammarFor[OutputlookupCommand]()},
	{"rex", "extract fields with a regular expression", "| rex field=user max_match=0 \"(?<name>[^@]+)@\"", grammarFor[RexCommand]()},
	{"regex", "filter with a regular expression", "| regex user!=\"^svc_\"", grammarFor[RegexCommand]()},
	{"spath", "extract from JSON or XML", "| spath input=policy output=actions path=Statement{}.Action", grammarFor[SpathCommand]()},
	{"mvexpand", "one result per value", "| mvexpand src limit=100", grammarFor[MvexpandCommand]()},
	{"join", "join with a subsearch", "| join type=left user [search sourcetype=aws:cloudtrail | stats count by user]", grammarFor[JoinCommand]()},
	{"append", "append subsearch results", "| append [| inputlookup baseline]", grammarFor[AppendCommand]()},
	{"appendpipe", "append the output of a subpipeline", "| appendpipe [stats count by user]", grammarFor[AppendpipeCommand]()},
	{"foreach", "run a subpipeline per field", "| foreach count_* [eval '<<FIELD>>'='<<FIELD>>' * 2]", grammarFor[ForeachCommand]()},
	{"map", "run a search per result", "| map maxsearches=10 search=\"search user=$user$ | stats count\"", grammarFor[MapCommand]()},
	{"transaction", "group events into transactions", "| transaction user startswith=(action=login) endswith=\"logout\" maxspan=2m", grammarFor[TransactionCommand]()},
	{"xmlkv", "extract XML key-value pairs", "| xmlkv _raw maxinputs=100", grammarFor[XmlkvCommand]()},
	{"apply", "apply a machine learning model", "| apply model_v1 threshold=0.005", grammarFor[ApplyCommand]()},
	{"summary", "summarise a machine learning model", "| summary model_v1", grammarFor[SummaryCommand]()},
	{"from", "read a dataset", "| from datamodel:Change.All_Changes", grammarFor[FromCommand]()},
	{"datamodel", "read a data model's events", "| datamodel Change All_Changes search", grammarFor[DatamodelCommand]()},
	{"addtotals", "sum fields", "| addtotals row=true fieldname=total bytes_in bytes_out", grammarFor[AddtotalsCommand]()},
	{"fromjson", "extract JSON fields", "| fromjson Data prefix=d_", grammarFor[FromjsonCommand]()},
	{"replace", "replace field values", "| replace \"a*\" WITH \"b\", c WITH d IN user, src", grammarFor[ReplaceCommand]()},
	{"anomalydetection", "find anomalous results", "| anomalydetection \"count\" \"user\" action=annotate", grammarFor[AnomalydetectionCommand]()},
	{"cyberchef", "run a CyberChef operation", "| cyberchef infield=data outfield=decoded operation=FromBase64", grammarFor[CyberchefCommand]()},
	{"extract", "extract key-value pairs", "| extract pairdelim=\";\" kvdelim=\":\"", grammarFor[ExtractCommand]()},
	{"kv", "extract key-value pairs (alias of extract)", "| kv", grammarFor[ExtractCommand]()},
	{"multikv", "extract table-formatted events", "| multikv fields pid command", grammarFor[MultikvCommand]()},
	{"outlier", "remove or cap outliers", "| outlier action=remove count", grammarFor[OutlierCommand]()},
	{"iplocation", "location of an IP address", "| iplocation prefix=src_ allfields=true src", grammarFor[IplocationCommand]()},
	{"strcat", "concatenate fields and strings into a field", "| strcat allrequired=t user \"@\" account address", grammarFor[StrcatCommand]()},
	{"mvcombine", "combine results that differ in one field into a multivalue", "| mvcombine delim=\",\" src", grammarFor[MvcombineCommand]()},
	{"rangemap", "name the range a numeric value falls in", "| rangemap field=count low=0-10 elevated=11-100 default=severe", grammarFor[RangemapCommand]()},
	{"filldown", "fill null values with the last non-null value", "| filldown user src*", grammarFor[FilldownCommand]()},
	{"uniq", "remove results identical to the one before", "| uniq", grammarFor[UniqCommand]()},
	{"accum", "running total of a numeric field", "| accum count AS total", grammarFor[AccumCommand]()},
	{"delta", "difference from a previous result", "| delta count AS change p=2", grammarFor[DeltaCommand]()},
	{"autoregress", "copy values of previous results into the current one", "| autoregress count p=2-3", grammarFor[AutoregressCommand]()},
}

// declared are the commands declared beside their grammar struct, in a
// file of their own (cmd_*.go), by registerCommand.
var declared []CommandInfo

// registerCommand declares a command beside its grammar struct:
//
//	var _ = registerCommand(CommandInfo{Name: "reverse", ...})
//
// init adds it to Commands. It returns nothing useful; its result lets it
// run as a package variable's initializer, before any init.
func registerCommand(info CommandInfo) struct{} {
	declared = append(declared, info)
	return struct{}{}
}

// commandByName indexes Commands. It is filled by init, not by an
// initializer, because the parse functions in Commands refer back to it.
var commandByName map[string]*CommandInfo

func init() {
	// The commands declared in their own files join the list; the list is
	// kept in name order, so that where a command is declared does not
	// change the reference pages.
	Commands = append(Commands, declared...)
	slices.SortStableFunc(Commands, func(a, b CommandInfo) int { return strings.Compare(a.Name, b.Name) })
	commandByName = make(map[string]*CommandInfo, len(Commands))
	for i := range Commands {
		commandByName[Commands[i].Name] = &Commands[i]
	}
}

// isCommandName reports whether the grammar has its own rules for name.
func isCommandName(name string) bool {
	_, ok := commandByName[strings.ToLower(name)]
	return ok
}

// parseSearchCommand parses an explicit `search <expression>`.
func parseSearchCommand(lex *lexer.PeekingLexer) (Command, error) {
	s := &SearchCommand{}
	if err := s.parse(lex); err != nil {
		return nil, err
	}
	return s, nil
}
