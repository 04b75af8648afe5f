package spl

import "strings"

// CommandInfo describes a command the grammar knows.
type CommandInfo struct {
	Name    string
	Doc     string
	Example string // a search using the command; parsed by a test
}

// Commands is the registry of commands with their own grammar. A test
// checks that every entry parses to its own struct (never the generic
// form), so the grammar and this list cannot drift apart.
var Commands = []CommandInfo{
	{"search", "filter events with search terms", "search eventName=Delete* NOT errorCode=AccessDenied"},
	{"where", "filter results with an eval expression", "| where count > 9 AND user!=\"root\""},
	{"eval", "compute fields", "| eval a=1, b=if(a>0, \"pos\", \"neg\")"},
	{"stats", "aggregate results into groups", "| stats count min(_time) as firstTime values(src) as src by user dest"},
	{"eventstats", "add group aggregates to every result", "| eventstats avg(count) as avg stdev(count) as sd by user"},
	{"streamstats", "running aggregates in result order", "| streamstats current=f window=5 count by user"},
	{"tstats", "aggregate over accelerated data models", "| tstats summariesonly=true count from datamodel=Change where All_Changes.action=created by All_Changes.user span=1h"},
	{"mstats", "aggregate metrics", "| mstats avg(cpu.*) as cpu.* where index=metrics by host span=10s"},
	{"timechart", "aggregate over time buckets", "| timechart span=1h count by user limit=5"},
	{"chart", "aggregate into a table", "| chart count over user by action"},
	{"top", "most common values", "| top limit=5 user by src"},
	{"rare", "least common values", "| rare 5 user"},
	{"rename", "rename fields", "| rename user_name as user, requestParameters.* as *"},
	{"table", "keep fields in order", "| table _time user src"},
	{"fields", "keep or remove fields", "| fields - _raw, punct"},
	{"convert", "convert field values", "| convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime) AS first"},
	{"fillnull", "fill empty fields", "| fillnull value=\"unknown\" user src"},
	{"dedup", "remove duplicate results", "| dedup 2 user src keepempty=true sortby -_time"},
	{"sort", "sort results", "| sort 0 - count, +user"},
	{"head", "first results", "| head 10"},
	{"tail", "last results", "| tail 5"},
	{"reverse", "reverse result order", "| reverse"},
	{"makeresults", "generate empty results", "| makeresults count=3"},
	{"bin", "bucket numeric or time values", "| bin _time span=5m"},
	{"bucket", "bucket numeric or time values (alias of bin)", "| bucket span=1h _time as hour"},
	{"lookup", "enrich results from a lookup table", "| lookup update=true users uid AS user OUTPUTNEW name AS user_name, dept"},
	{"inputlookup", "read a lookup table", "| inputlookup append=t baseline where count>5"},
	{"outputlookup", "write a lookup table", "| outputlookup baseline append=true"},
	{"rex", "extract fields with a regular expression", "| rex field=user max_match=0 \"(?<name>[^@]+)@\""},
	{"regex", "filter with a regular expression", "| regex user!=\"^svc_\""},
	{"spath", "extract from JSON or XML", "| spath input=policy output=actions path=Statement{}.Action"},
	{"mvexpand", "one result per value", "| mvexpand src limit=100"},
	{"makemv", "split a field into values", "| makemv delim=\",\" src"},
	{"join", "join with a subsearch", "| join type=left user [search sourcetype=aws:cloudtrail | stats count by user]"},
	{"append", "append subsearch results", "| append [| inputlookup baseline]"},
	{"appendpipe", "append the output of a subpipeline", "| appendpipe [stats count by user]"},
	{"foreach", "run a subpipeline per field", "| foreach count_* [eval '<<FIELD>>'='<<FIELD>>' * 2]"},
	{"map", "run a search per result", "| map maxsearches=10 search=\"search user=$user$ | stats count\""},
	{"transaction", "group events into transactions", "| transaction user startswith=(action=login) endswith=\"logout\" maxspan=2m"},
	{"xmlkv", "extract XML key-value pairs", "| xmlkv _raw maxinputs=100"},
	{"apply", "apply a machine learning model", "| apply model_v1 threshold=0.005"},
	{"summary", "summarise a machine learning model", "| summary model_v1"},
	{"from", "read a dataset", "| from datamodel Risk.All_Risk"},
	{"addtotals", "sum fields", "| addtotals row=true fieldname=total bytes_in bytes_out"},
	{"fromjson", "extract JSON fields", "| fromjson Data prefix=d_"},
	{"replace", "replace field values", "| replace \"a*\" WITH \"b\", c WITH d IN user, src"},
	{"anomalydetection", "find anomalous results", "| anomalydetection \"count\" \"user\" action=annotate"},
	{"cyberchef", "run a CyberChef operation", "| cyberchef infield=data outfield=decoded operation=FromBase64"},
	{"extract", "extract key-value pairs", "| extract pairdelim=\";\" kvdelim=\":\""},
	{"kv", "extract key-value pairs (alias of extract)", "| kv"},
	{"multikv", "extract table-formatted events", "| multikv fields pid command"},
	{"outlier", "remove or cap outliers", "| outlier action=remove count"},
	{"iplocation", "location of an IP address", "| iplocation prefix=src_ allfields=true src"},
}

var commandNames = func() map[string]bool {
	m := make(map[string]bool, len(Commands))
	for _, c := range Commands {
		m[c.Name] = true
	}
	return m
}()

// isCommandName reports whether the grammar has its own rules for name.
func isCommandName(name string) bool {
	return commandNames[strings.ToLower(name)]
}
