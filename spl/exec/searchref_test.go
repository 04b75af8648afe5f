package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/lookup"
)

// searchRefCases are behaviours of the Search Reference, each written from
// the documented example of the page named in the case (page title first),
// over rows made with makeresults so that the example's data is in the
// search itself.
var searchRefCases = []struct {
	page, name, search string
	want               string
}{
	// search: a double-quoted field name (the Splunk Add-on for AWS's
	// event type aws_cloudtrail_assumeRole_auth writes
	// "userIdentity.type" != "AWSService"), and a quoted value directly
	// followed by the next comparison (ESCU ping_sleep_batch_command).
	{"search", "a double-quoted field name",
		`| makeresults count=3 | streamstats count AS i | eval userIdentity.type=case(i=1, "AWSService", i=2, "IAMUser") | search "userIdentity.type" != "AWSService" | table i`,
		compact(`{"i": "2"}`)},
	{"search", "a quoted value followed directly by a comparison",
		`| makeresults count=3 | streamstats count AS i | eval p=case(i=1, "ping x > Nul", i=2, "ping -n 3 > Nul", i=3, "ping") | search p="* Nul*"p="*-n*" | table i`,
		compact(`{"i": "2"}`)},
	{"search", "parentheses inside a wildcard value",
		`| makeresults count=2 | streamstats count AS i | eval p=if(i=1, "[System.Security.Principal.WindowsIdentity]::GetCurrent().Name", "x") | search p=*GetCurrent()* | table i`,
		compact(`{"i": "1"}`)},
	// search: "The search command supports IPv4 and IPv6 addresses and
	// subnets that use CIDR notation."
	{"search", "IPv4 subnet",
		`| makeresults count=4 | streamstats count AS i | eval ip=case(i=1, "10.10.10.1", i=2, "10.10.10.255", i=3, "10.10.11.1", i=4, "host") | search ip="10.10.10.0/24" | table ip`,
		compact(`{"ip": "10.10.10.1"}`, `{"ip": "10.10.10.255"}`)},
	{"search", "IPv6 subnet",
		`| makeresults count=2 | streamstats count AS i | eval ip=if(i=1, "2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99", "2001:0db9::1") | search ip="2001:db8::/32" | table ip`,
		compact(`{"ip": "2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99"}`)},
	{"search", "subnet with != and IN",
		`| makeresults count=3 | streamstats count AS i | eval ip="192.0.2." . i, j=i | search ip!="192.0.2.2/32" j IN (1, 2, 3) ip IN ("192.0.2.0/31", 192.0.2.3) | table ip`,
		compact(`{"ip": "192.0.2.1"}`, `{"ip": "192.0.2.3"}`)},
	{"search", "a subnet from a subsearch",
		`| makeresults count=3 | streamstats count AS i | eval ip="10.0." . i . ".1" | search [| makeresults | eval ip="10.0.2.0/24" | fields ip] | table ip`,
		compact(`{"ip": "10.0.2.1"}`)},
	{"search", "a subnet does not match a value in another subnet, nor a non-address",
		`| makeresults | eval ip=mvappend("10.0.0.1", "x") | search ip="10.1.0.0/16" | table ip`,
		compact()},
	// rename: the page's examples, and its usage notes on loss of data.
	{"rename", "rename _ip AS IPAddress",
		`| makeresults | eval _ip="10.0.0.1" | rename _ip AS IPAddress | table IPAddress _ip`,
		compact(`{"IPAddress": "10.0.0.1"}`)},
	{"rename", "rename foo* AS bar*",
		`| makeresults | eval foo1=1, foo_x=2, other=3 | rename foo* AS bar* | table bar1 bar_x foo1 other`,
		compact(`{"bar1": "1", "bar_x": "2", "other": "3"}`)},
	{"rename", "rename count AS \"Count of Events\"",
		`| makeresults count=2 | stats count | rename count AS "Count of Events"`,
		compact(`{"Count of Events": "2"}`)},
	{"rename", "renaming an absent field removes the destination",
		`| makeresults | eval fieldB="data" | rename fieldA AS fieldB | eval has=if(isnull(fieldB), "no", "yes") | table has fieldB`,
		compact(`{"has": "no"}`)},
	// dedup: the page's examples over five results (source, _size).
	{"dedup", "dedup source sortby -size (the page: -_size) keeps the largest of each source",
		dedupRows + ` | dedup source sortby -size | table source size`,
		compact(`{"source": "b", "size": "50"}`, `{"source": "a", "size": "30"}`)},
	{"dedup", "dedup source sortby +size keeps the smallest",
		dedupRows + ` | dedup source sortby +size | table source size`,
		compact(`{"source": "a", "size": "10"}`, `{"source": "b", "size": "20"}`)},
	{"dedup", "dedup 2 source",
		dedupRows + ` | dedup 2 source | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`, `{"i": "3"}`, `{"i": "4"}`)},
	{"dedup", "keepevents=true keeps duplicates without the dedup fields",
		dedupRows + ` | dedup source keepevents=true | table i source`,
		compact(`{"i": "1", "source": "a"}`, `{"i": "2"}`, `{"i": "3", "source": "b"}`, `{"i": "4"}`, `{"i": "5"}`)},
	{"dedup", "consecutive=true removes only runs",
		dedupRows + ` | eval source=if(i=4, "a", source) | dedup source consecutive=true | table i`,
		compact(`{"i": "1"}`, `{"i": "3"}`, `{"i": "4"}`, `{"i": "5"}`)},
	// head: the page's syntax and examples over five results.
	{"head", "head 2", `| makeresults count=5 | streamstats count AS i | head 2 | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`)},
	{"head", "head limit=3", `| makeresults count=5 | streamstats count AS i | head limit=3 | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`, `{"i": "3"}`)},
	{"head", "head (expression) stops at the first false", `| makeresults count=5 | streamstats count AS i | head (i<3) | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`)},
	{"head", "keeplast=true keeps the result that stopped it", `| makeresults count=5 | streamstats count AS i | head (i<3) keeplast=true | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`, `{"i": "3"}`)},
	{"head", "a null result stops head by default", `| makeresults count=5 | streamstats count AS i | eval x=if(i=2, null(), i) | head (x<4) | table i`,
		compact(`{"i": "1"}`)},
	{"head", "null=true goes on past a null result", `| makeresults count=5 | streamstats count AS i | eval x=if(i=2, null(), i) | head (x<4) null=true | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`, `{"i": "3"}`)},
	{"head", "null=true keeplast=true", `| makeresults count=5 | streamstats count AS i | eval x=if(i=2, null(), i) | head (x<4) null=true keeplast=true | table i`,
		compact(`{"i": "1"}`, `{"i": "2"}`, `{"i": "3"}`, `{"i": "4"}`)},
	// fields: the page's examples.
	{"fields", "fields a, b orders columns as listed",
		`| makeresults | eval a=1, b=2, c=3, error_x=4 | fields - _time | fields c, error*, a`,
		compact(`{"c": "3", "error_x": "4", "a": "1"}`)},
	{"fields", "fields - host, ip",
		`| makeresults | eval host="h", ip="10.0.0.1", c=3 | fields - _time | fields - host, ip`,
		compact(`{"c": "3"}`)},
	{"fields", "fields - _* removes the internal fields",
		`| makeresults | eval _raw="x", c=3 | fields c | fields - _*`,
		compact(`{"c": "3"}`)},
	// eval: "Use the value of one field as the name for a new field":
	// eval {counter} = Value.
	{"eval", "eval {counter} = Value",
		`| makeresults count=2 | streamstats count AS i | eval counter=if(i=1, "cpu", "mem"), Value=i*10 | eval {counter} = Value | table cpu mem`,
		compact(`{"cpu": "10"}`, `{"mem": "20"}`)},
	{"eval", "a name template inside a name; {} stays literal",
		`| makeresults | eval k="x", a_{k}_b=1, resources{}.ARN=2 | table a_x_b resources{}.ARN`,
		compact(`{"a_x_b": "1", "resources{}.ARN": "2"}`)},
	{"eval", "a null name field assigns nothing",
		`| makeresults | eval {nothing}=1, y=2 | fields - _time`,
		compact(`{"y": "2"}`)},
	// convert: the page's functions, each with the page's example form.
	{"convert", "memk(VIRT): k, m, g and kilobytes by default",
		`| makeresults count=4 | streamstats count AS i | eval VIRT=case(i=1, "100", i=2, "2k", i=3, "1.5m", i=4, "1g") | convert memk(VIRT) | table VIRT`,
		compact(`{"VIRT": "100"}`, `{"VIRT": "2"}`, `{"VIRT": "1536"}`, `{"VIRT": "1048576"}`)},
	{"convert", "mstime(_time) AS ms_time: MM:SS.SSS to seconds",
		`| makeresults count=2 | streamstats count AS i | eval t=if(i=1, "02:30.250", "45.5") | convert mstime(t) AS ms_time | table t ms_time`,
		compact(`{"t": "02:30.250", "ms_time": "150.25"}`, `{"t": "45.5", "ms_time": "45.5"}`)},
	{"convert", "dur2sec(xdelay), dur2sec(delay)",
		`| makeresults | eval xdelay="00:01:30", delay="1+02:00:00" | convert dur2sec(xdelay), dur2sec(delay) | table xdelay delay`,
		compact(`{"xdelay": "90", "delay": "93600"}`)},
	{"convert", "rmunit(duration): the number at the start",
		`| makeresults count=3 | streamstats count AS i | eval duration=case(i=1, "32k", i=2, "-1.5sec", i=3, "abc") | convert rmunit(duration) | table duration`,
		compact(`{"duration": "32"}`, `{"duration": "-1.5"}`, `{"duration": "abc"}`)},
	{"convert", "rmcomma(1,000,000.00) returns 1000000.00",
		`| makeresults | eval n="1,000,000.00" | convert rmcomma(n) | table n`,
		compact(`{"n": "1000000.00"}`)},
	// sort: the page's examples.
	{"sort", "sort num(ip), -str(url)",
		`| makeresults count=4 | streamstats count AS i | eval ip=case(i<3, 20, i=3, 3, i=4, 100), url=case(i=1, "/a", i=2, "/b", i=3, "/c", i=4, "/d") | sort num(ip), -str(url) | table ip url`,
		compact(`{"ip": "3", "url": "/c"}`, `{"ip": "20", "url": "/b"}`, `{"ip": "20", "url": "/a"}`, `{"ip": "100", "url": "/d"}`)},
	{"sort", "sort 2 -size, +source",
		`| makeresults count=3 | streamstats count AS i | eval size=if(i=3, 5, 9), source=case(i=1, "b", i=2, "a", i=3, "c") | sort 2 -size, +source | table size source`,
		compact(`{"size": "9", "source": "a"}`, `{"size": "9", "source": "b"}`)},
	{"sort", "str() sorts numbers as text, uppercase before lowercase",
		`| makeresults count=4 | streamstats count AS i | eval v=case(i=1, "9", i=2, "10", i=3, "b", i=4, "B") | sort str(v) | table v`,
		compact(`{"v": "10"}`, `{"v": "9"}`, `{"v": "B"}`, `{"v": "b"}`)},
	{"sort", "ip() sorts addresses by address",
		`| makeresults count=3 | streamstats count AS i | eval a=case(i=1, "10.0.0.10", i=2, "10.0.0.9", i=3, "9.0.0.1") | sort ip(a) | table a`,
		compact(`{"a": "9.0.0.1"}`, `{"a": "10.0.0.9"}`, `{"a": "10.0.0.10"}`)},
	{"sort", "auto() puts numbers before strings",
		`| makeresults count=3 | streamstats count AS i | eval b=case(i=1, "x", i=2, "10", i=3, "9") | sort auto(b) | table b`,
		compact(`{"b": "9"}`, `{"b": "10"}`, `{"b": "x"}`)},
	{"sort", "-num(size) descending",
		`| makeresults count=3 | streamstats count AS i | eval size=case(i=1, "9", i=2, "10", i=3, "100") | sort -num(size) | table size`,
		compact(`{"size": "100"}`, `{"size": "10"}`, `{"size": "9"}`)},
	// top and rare: useother and otherstr.
	{"top", "top limit=2 useother=true",
		topRows + ` | top limit=2 useother=true v`,
		compact(`{"v": "a", "count": "3", "percent": "50.000000"}`, `{"v": "b", "count": "1", "percent": "16.666667"}`, `{"v": "OTHER", "count": "2", "percent": "33.333333"}`)},
	{"top", "otherstr names the other row",
		topRows + ` | top 1 v useother=t otherstr="rest" showperc=f`,
		compact(`{"v": "a", "count": "3"}`, `{"v": "rest", "count": "3"}`)},
	{"rare", "rare limit=1 useother=true",
		topRows + ` | rare limit=1 useother=true v showperc=false`,
		compact(`{"v": "b", "count": "1"}`, `{"v": "OTHER", "count": "5"}`)},
	{"top", "no other row when nothing is cut",
		topRows + ` | top useother=true v showperc=false`,
		compact(`{"v": "a", "count": "3"}`, `{"v": "b", "count": "1"}`, `{"v": "c", "count": "1"}`, `{"v": "d", "count": "1"}`)},
	// eventstats: allnum.
	{"eventstats", "allnum=true skips a group with a non-numeric value",
		`| makeresults count=4 | streamstats count AS i | eval g=if(i<3, "a", "b"), x=case(i=1, 1, i=2, 3, i=3, 5, i=4, "n/a") | eventstats allnum=true avg(x) AS ax count AS n by g | table g x ax n`,
		compact(`{"g": "a", "x": "1", "ax": "2", "n": "2"}`, `{"g": "a", "x": "3", "ax": "2", "n": "2"}`, `{"g": "b", "x": "5", "n": "2"}`, `{"g": "b", "x": "n/a", "n": "2"}`)},
	{"eventstats", "allnum=false (the default) averages the numbers",
		`| makeresults count=2 | streamstats count AS i | eval x=if(i=1, 5, "n/a") | eventstats allnum=false avg(x) AS ax | table x ax`,
		compact(`{"x": "5", "ax": "5"}`, `{"x": "n/a", "ax": "5"}`)},
	// streamstats: resets and the time window.
	{"streamstats", "reset_on_change=true by g",
		`| makeresults count=5 | streamstats count AS i | eval g=case(i<3, "a", i<5, "b", true(), "a") | streamstats reset_on_change=true count by g | table g count`,
		compact(`{"g": "a", "count": "1"}`, `{"g": "a", "count": "2"}`, `{"g": "b", "count": "1"}`, `{"g": "b", "count": "2"}`, `{"g": "a", "count": "1"}`)},
	{"streamstats", "reset_on_change resets every group",
		`| makeresults count=4 | streamstats count AS i | eval g=if(i=2, "b", "a") | streamstats reset_on_change=true count by g | table g count`,
		compact(`{"g": "a", "count": "1"}`, `{"g": "b", "count": "1"}`, `{"g": "a", "count": "1"}`, `{"g": "a", "count": "2"}`)},
	// Statistical and charting functions: percentile<percentile>(<value>)
	// is listed beside perc<percentile>(<value>), the same function; the
	// page documents no two-argument form.
	{"Statistical and charting functions", "percentile<percentile>(<value>) is perc",
		`| makeresults count=4 | streamstats count AS x | stats percentile50(x) perc50(x) percentile95(x) AS p95`,
		compact(`{"percentile50(x)": "2.5", "perc50(x)": "2.5", "p95": "3.85"}`)},
	// streamstats: the page writes options after the aggregations
	// ("streamstats avg(foo) window=5", "streamstats count current=f",
	// "streamstats count time_window=5m") and after BY ("streamstats
	// avg(foo) by bar window=5 global=f"; Usage, "The reset_on_change
	// argument": "streamstats count BY shift reset_on_change=true", whose
	// data and results are these), as well as before them (Syntax); an
	// option may also stand between the aggregations and BY.
	{"streamstats", "Usage: count BY shift reset_on_change=true",
		shiftRows + ` | streamstats count BY shift reset_on_change=true | table shift count`,
		shiftWant},
	{"streamstats", "reset_on_change=true between the aggregations and BY",
		shiftRows + ` | streamstats count reset_on_change=true BY shift | table shift count`,
		shiftWant},
	{"streamstats", "Example 1: avg(foo) window=5",
		`| makeresults count=7 | streamstats count AS foo | streamstats avg(foo) window=5 | table foo avg(foo)`,
		compact(`{"foo": "1", "avg(foo)": "1"}`, `{"foo": "2", "avg(foo)": "1.5"}`, `{"foo": "3", "avg(foo)": "2"}`, `{"foo": "4", "avg(foo)": "2.5"}`, `{"foo": "5", "avg(foo)": "3"}`, `{"foo": "6", "avg(foo)": "4"}`, `{"foo": "7", "avg(foo)": "5"}`)},
	{"streamstats", "Example 2: avg(foo) by bar window=5 global=f, with options among the aggregations",
		`| makeresults count=4 | streamstats count AS foo | eval bar=if(foo%2=0, "e", "o") | streamstats count window=2 avg(foo) AS a global=f max(foo) AS m by bar | table foo count a m`,
		compact(`{"foo": "1", "count": "1", "a": "1", "m": "1"}`, `{"foo": "2", "count": "1", "a": "2", "m": "2"}`, `{"foo": "3", "count": "2", "a": "2", "m": "3"}`, `{"foo": "4", "count": "2", "a": "3", "m": "4"}`)},
	{"streamstats", "Example 3: count current=f",
		`| makeresults count=3 | streamstats count current=f | table count`,
		compact(`{"count": "0"}`, `{"count": "1"}`, `{"count": "2"}`)},
	// eventstats and stats share streamstats' argument syntax (Search
	// Reference, "eventstats": allnum).
	{"eventstats", "allnum=true between the aggregations and BY",
		`| makeresults count=4 | streamstats count AS i | eval g=if(i<3, "a", "b"), x=case(i=1, 1, i=2, 3, i=3, 5, i=4, "n/a") | eventstats avg(x) AS ax allnum=true count AS n by g | table g x ax n`,
		compact(`{"g": "a", "x": "1", "ax": "2", "n": "2"}`, `{"g": "a", "x": "3", "ax": "2", "n": "2"}`, `{"g": "b", "x": "5", "n": "2"}`, `{"g": "b", "x": "n/a", "n": "2"}`)},
	{"streamstats", "reset_before",
		`| makeresults count=5 | streamstats count AS i | streamstats count AS c reset_before="(i=3)" | table i c`,
		compact(`{"i": "1", "c": "1"}`, `{"i": "2", "c": "2"}`, `{"i": "3", "c": "1"}`, `{"i": "4", "c": "2"}`, `{"i": "5", "c": "3"}`)},
	{"streamstats", "reset_after sees the statistics just written",
		`| makeresults count=5 | streamstats count AS i | streamstats count AS c reset_after="(c>=2)" | table i c`,
		compact(`{"i": "1", "c": "1"}`, `{"i": "2", "c": "2"}`, `{"i": "3", "c": "1"}`, `{"i": "4", "c": "2"}`, `{"i": "5", "c": "1"}`)},
	{"streamstats", "time_window keeps the rows less than the span away",
		`| makeresults count=5 | streamstats count AS i | eval _time=1000-i*60 | streamstats time_window=2m count AS c sum(i) AS s | table i c s`,
		compact(`{"i": "1", "c": "1", "s": "1"}`, `{"i": "2", "c": "2", "s": "3"}`, `{"i": "3", "c": "2", "s": "5"}`, `{"i": "4", "c": "2", "s": "7"}`, `{"i": "5", "c": "2", "s": "9"}`)},
	{"streamstats", "time_window with window and current=f",
		`| makeresults count=4 | streamstats count AS i | eval _time=1000-i*60 | streamstats time_window=3m window=1 current=f count AS c | table i c`,
		compact(`{"i": "1", "c": "0"}`, `{"i": "2", "c": "1"}`, `{"i": "3", "c": "1"}`, `{"i": "4", "c": "1"}`)},
	// rex: offset_field and sed mode's flags.
	{"rex", "offset_field with (?<tenchars>.{10}) is 0-9",
		`| makeresults | eval f="abcdefghijklmno" | rex field=f offset_field=off "(?<tenchars>.{10})" | table tenchars off`,
		compact(`{"tenchars": "abcdefghij", "off": "0-9"}`)},
	{"rex", "offset_field counts characters, one value per match",
		`| makeresults | eval f="é-ab-ab" | rex field=f max_match=0 offset_field=off "(?<x>ab)" | table x off`,
		compact(`{"x": ["ab", "ab"], "off": ["2-3", "5-6"]}`)},
	{"rex", "mode=sed s///g anonymizes a card number",
		`| makeresults | eval ccnumber="1234-5678-9012-3456" | rex field=ccnumber mode=sed "s/(\d{4}-){3}/XXXX-XXXX-XXXX-/g" | table ccnumber`,
		compact(`{"ccnumber": "XXXX-XXXX-XXXX-3456"}`)},
	{"rex", "mode=sed flag N replaces the Nth match",
		`| makeresults | eval f="a.a.a" | rex field=f mode=sed "s/a/b/2" | table f`,
		compact(`{"f": "a.b.a"}`)},
	{"rex", "mode=sed without flags replaces the first match",
		`| makeresults | eval f="a.a.a" | rex field=f mode=sed "s/a/b/" | table f`,
		compact(`{"f": "b.a.a"}`)},
	{"rex", "mode=sed y/// transliterates",
		`| makeresults | eval f="abcabc" | rex field=f mode=sed "y/abc/xyz/" | table f`,
		compact(`{"f": "xyzxyz"}`)},
	// bin: "If discretizing based on the _time field or used with a
	// timescale, this is treated as a time range."
	{"bin", "a timescale span bins any field as time",
		`| makeresults count=3 | streamstats count AS i | eval t=1000+i*1.5 | bin span=2s t | table t`,
		compact(`{"t": "1000"}`, `{"t": "1002"}`, `{"t": "1004"}`)},
	{"bin", "subsecond timescale",
		`| makeresults | eval t=1000.123 | bin span=100ms t | table t`,
		compact(`{"t": "1000.1"}`)},
	{"bin", "bin size bins=10 | stats count by size",
		binRows + ` | bin size bins=10 | stats count by size`,
		compact(`{"size": "0-10", "count": "1"}`, `{"size": "10-20", "count": "1"}`, `{"size": "20-30", "count": "1"}`, `{"size": "40-50", "count": "1"}`, `{"size": "50-60", "count": "1"}`, `{"size": "90-100", "count": "1"}`)},
	{"bin", "bins=3 widens the span to a power of ten",
		binRows + ` | bin size bins=3 | stats count by size`,
		compact(`{"size": "0-100", "count": "6"}`)},
	{"bin", "time bins without span: the smallest nice span within bins",
		binRows + ` | bin _time bins=4 | stats count by _time | eval t=_time | table t count`,
		compact(`{"t": "1699999800", "count": "1"}`, `{"t": "1700000100", "count": "5"}`)},
	{"bin", "minspan bounds the chosen time span",
		binRows + ` | bin _time minspan=10m | stats count by _time | eval t=_time | table t count`,
		compact(`{"t": "1699999800", "count": "6"}`)},
	{"bin", "aligntime moves the bin edges",
		binRows + ` | bin _time span=5m aligntime=1700000090 | stats count by _time | eval t=_time | table t count`,
		compact(`{"t": "1699999790", "count": "1"}`, `{"t": "1700000090", "count": "4"}`, `{"t": "1700000390", "count": "1"}`)},
	{"bin", "aligntime is ignored for spans in days",
		binRows + ` | bin _time span=1d aligntime=1700000100 | stats count by _time | eval t=_time | table t count`,
		compact(`{"t": "1699920000", "count": "6"}`)},
	{"bin", "a bare number on another field is a numeric range",
		`| makeresults | eval n=17 | bin span=5 n | table n`,
		compact(`{"n": "15-20"}`)},
}

// binRows are six results with size 3, 15, 27, 42, 58, 99 and _time
// 65 seconds apart.
const binRows = `| makeresults count=6 | streamstats count AS i | eval size=case(i=1, 3, i=2, 15, i=3, 27, i=4, 42, i=5, 58, i=6, 99), _time=1700000000+i*65`

// dedupRows are five results: i, source and size (a 10, a 30, b 40, b 50, b 20).
const dedupRows = `| makeresults count=5 | streamstats count AS i | eval source=if(i<3, "a", "b"), size=case(i=1, 10, i=2, 30, i=3, 40, i=4, 50, i=5, 20)`

// topRows are six results whose v is a, b, a, c, a, d.
const topRows = `| makeresults count=6 | streamstats count AS i | eval v=case(i=2, "b", i=4, "c", i=6, "d", true(), "a")`

// searchRefErrors are searches the Search Reference page named first
// rejects, with the error they must give.
var searchRefErrors = []struct {
	page, search, want string
}{
	{"rename", `| makeresults | rename a*b* AS c*`, "rename: wildcard mismatch"},
	{"streamstats", `| makeresults | streamstats time_window=often count`, "streamstats: time_window must be a time span"},
	{"streamstats", `| makeresults | streamstats reset_after="(x>" count`, "reset_after:"},
	{"rex", `| makeresults | rex field=f mode=sed "s/a/b/x"`, "sed flags"},
	{"rex", `| makeresults | rex field=f mode=perl "(?<a>.)"`, "rex: mode must be sed"},
	{"bin", `| makeresults | bin x span=5 aligntime=0`, "bin: aligntime is valid only for time bins"},
	{"bin", `| makeresults | bin x bins=0`, "bin: bins must be a number"},
	{"head", `| makeresults | head 5 limit=2`, "head: give the number of results either as N or as limit=, not both"},
	{"rename", `| makeresults | rename a* AS c`, "rename: wildcard mismatch"},
}

// TestSearchReferenceErrors runs searchRefErrors.
func TestSearchReferenceErrors(t *testing.T) {
	for _, c := range searchRefErrors {
		t.Run(c.page+"/"+c.search, func(t *testing.T) {
			q, err := spl.ParseString(c.search)
			if err == nil {
				_, err = exec.Compile(q, exec.Options{Now: now})
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Search Reference %q: %s: got error %v, want one containing %q", c.page, c.search, err, c.want)
			}
		})
	}
}

// TestSearchReference runs searchRefCases.
func TestSearchReference(t *testing.T) {
	for _, c := range searchRefCases {
		t.Run(c.page+"/"+c.name, func(t *testing.T) {
			if got := run(t, lines{}, c.search, exec.Options{}); got != c.want {
				t.Errorf("Search Reference %q: %s\ngot  %s\nwant %s", c.page, c.search, got, c.want)
			}
		})
	}
}

// matchTables resolves lookups over in-memory CSV text with a
// transforms.conf match_type each.
type matchTables map[string][2]string // name → CSV text, match_type

func (m matchTables) Lookup(name string) (*lookup.Table, error) {
	def, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("lookup table %s is not defined", name)
	}
	tab, err := lookup.ReadCSV(name, strings.NewReader(def[0]))
	if err != nil {
		return nil, err
	}
	return tab, tab.SetMatchType(def[1])
}

// TestLookupMatchType: transforms.conf match_type CIDR(...) and
// WILDCARD(...) columns ([SPL8212] transforms.conf.spec, match_type;
// Search Reference, "lookup").
func TestLookupMatchType(t *testing.T) {
	tabs := matchTables{
		"networks": {"cidr,name\n10.0.0.0/8,internal\n192.0.2.0/24,documentation\n2001:db8::/32,documentation6\n203.0.113.5,one host\n", "CIDR(cidr)"},
		"kinds":    {"eventName,region,kind\nDelete*,us-*,destructive\nList*,*,discovery\n", "WILDCARD(eventName), WILDCARD(region)"},
	}
	cases := []struct{ name, search, want string }{
		{"CIDR column", `| makeresults count=5 | streamstats count AS i | eval ip=case(i=1, "10.1.2.3", i=2, "192.0.2.77", i=3, "2001:db8::1", i=4, "203.0.113.5", i=5, "198.51.100.1") | lookup networks cidr AS ip OUTPUT name | table ip name`,
			compact(`{"ip": "10.1.2.3", "name": "internal"}`, `{"ip": "192.0.2.77", "name": "documentation"}`, `{"ip": "2001:db8::1", "name": "documentation6"}`, `{"ip": "203.0.113.5", "name": "one host"}`, `{"ip": "198.51.100.1"}`)},
		{"CIDR column and a non-address", `| makeresults | eval ip="not an ip" | lookup networks cidr AS ip OUTPUT name | table ip name`,
			compact(`{"ip": "not an ip"}`)},
		{"WILDCARD columns", `| makeresults count=3 | streamstats count AS i | eval eventName=case(i=1, "DeleteBucket", i=2, "ListUsers", i=3, "GetObject"), region=if(i=1, "us-east-1", "eu-west-1") | lookup kinds eventName region OUTPUT kind | table eventName kind`,
			compact(`{"eventName": "DeleteBucket", "kind": "destructive"}`, `{"eventName": "ListUsers", "kind": "discovery"}`, `{"eventName": "GetObject"}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, lines{}, c.search, exec.Options{Lookups: tabs}); got != c.want {
				t.Errorf("%s\ngot  %s\nwant %s", c.search, got, c.want)
			}
		})
	}
	var tab lookup.Table
	if err := tab.SetMatchType("CIDR(a), FUZZY(b)"); err == nil || !strings.Contains(err.Error(), "unknown match type FUZZY") {
		t.Errorf("an unknown match type: got %v", err)
	}
}

// shiftRows and shiftWant are the data and results of the streamstats
// page's "The reset_on_change argument" (Search Reference, "streamstats",
// Usage).
const shiftRows = `| makeresults count=8 | streamstats count AS i | eval shift=if(i<=2 OR i=7, "DAY", "NIGHT")`

var shiftWant = compact(`{"shift": "DAY", "count": "1"}`, `{"shift": "DAY", "count": "2"}`,
	`{"shift": "NIGHT", "count": "1"}`, `{"shift": "NIGHT", "count": "2"}`, `{"shift": "NIGHT", "count": "3"}`, `{"shift": "NIGHT", "count": "4"}`,
	`{"shift": "DAY", "count": "1"}`, `{"shift": "NIGHT", "count": "1"}`)
