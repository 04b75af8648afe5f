package spl_test

import (
	"errors"
	"flag"
	"fmt"
	"github.com/splharness/splharness/spl/golden"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// checkGolden compares got with testdata/name (go test -update rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// testMacros is a small macro set for error cases.
func testMacros(t *testing.T) *macro.Set {
	set := macro.NewSet()
	for _, m := range []macro.Macro{
		{Name: "cloudtrail", Definition: "sourcetype=aws:cloudtrail"},
		{Name: "security_content_ctime", Args: []string{"field"}, Definition: `convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)`},
		{Name: "broken", Definition: "eval x=(1"},
	} {
		if err := set.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

// TestParseErrors: broken SPL is rejected at the right line and column,
// with a stable code and a message saying what was expected. The rendered
// errors are in testdata/errors.golden.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, search string
		noMacros     bool // parse as given, without expanding macros
	}{
		{"unbalanced quote", `sourcetype=x user="bob | stats count`, false},
		{"unbalanced quote in eval", "x | eval a=\"b\n| stats count", false},
		{"unbalanced parenthesis in eval", `x | eval a=(1+2`, false},
		{"unbalanced parenthesis in search", `x (a=1 OR b=2 | stats count`, false},
		{"extra closing parenthesis", `x a=1) | stats count`, false},
		{"unclosed subsearch", `x | join user [search y | stats count by user`, false},
		{"stray closing bracket", `x ] | stats count`, false},
		{"stats count by with no field", `x | stats count by`, false},
		{"stats count by before a pipe", `x | stats count by | table x`, false},
		{"stats with no aggregation", `x | stats`, false},
		{"eval x= with nothing", `x | eval x=`, false},
		{"eval without a comma", `x | eval x=1 y=2`, false},
		{"empty command", `x | | stats count`, false},
		{"trailing pipe", `x | stats count |`, false},
		{"where with open parenthesis", `x | where (a=1`, false},
		{"where with a stray word", `x | where a=1 b`, false},
		{"rename a as", `x | rename a as`, false},
		{"rename without as", `x | rename a b`, false},
		{"lookup without fields", `x | lookup users`, false},
		{"rex without regex", `x | rex field=user`, false},
		{"option without value", `x | spath input=`, false},
		{"search == ", `x a==1`, false},
		{"NOT at the end", `x NOT`, false},
		{"OR at the start", `OR x`, false},
		{"empty IN list", `x user IN ()`, false},
		{"unclosed IN list", `x user IN (a, b`, false},
		{"unclosed function call", `x | eval y=if(a, b`, false},
		{"unclosed aggregation", `x | stats count(`, false},
		{"unexpanded macro", "`cloudtrail` | stats count", true},
		{"unterminated macro", "x | `foo", false},
		{"unterminated comment", "x ```note | stats count", false},
		{"unclosed bracket in unknown command", "x | foo [ y", false},
		{"map search with a syntax error", `x | map search="search a | stats count by"`, false},
		{"multi-line position", "x\n| stats count\n| eval y=\n| table y", false},
		{"undefined macro", "`cloudtrail` | `nope` | stats count", false},
		{"macro with the wrong argument count", "`cloudtrail` | `security_content_ctime(a, b)`", false},
		{"error inside a macro's expansion", "`cloudtrail` | `broken` | stats count", false},
		{"error after a macro", "`cloudtrail` | stats count by", false},
	}
	var out strings.Builder
	set := testMacros(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := diag.NewSource("search.spl", c.search)
			_, _, err := spl.ParseSearch(src, set, macro.Options{})
			if c.noMacros {
				_, err = spl.Parse(src)
			}
			var d *diag.Error
			if !errors.As(err, &d) {
				t.Fatalf("want a *diag.Error, got %v", err)
			}
			fmt.Fprintf(&out, "### %s\n%s\n", c.name, d.Render())
		})
	}
	checkGolden(t, "errors.golden", out.String())
}

// TestPrecedence: each search parses to the same tree as its explicitly
// parenthesised reading, and not to the other reading.
func TestPrecedence(t *testing.T) {
	cases := []struct{ name, search, same, different string }{
		// Search command: OR binds tighter than AND (docs/semantics.md, "Search command", [D-bool]).
		{"search OR over AND", "A=1 B=2 OR C=3", "A=1 (B=2 OR C=3)", "(A=1 B=2) OR C=3"},
		{"search NOT binds to the next term", "error NOT 403 OR 404", "error ((NOT 403) OR 404)", "error NOT (403 OR 404)"},
		{"search explicit AND", "a AND b OR c", "a AND (b OR c)", "(a AND b) OR c"},
		{"lowercase or is a term", "a or b", "a AND or AND b", "a OR b"},
		// Empty parentheses match every event, as the CIM's default
		// cim_<Model>_indexes macro () relies on.
		{"empty parentheses match all", "() tag=change", "* tag=change", "tag=change"},
		// Eval: AND binds tighter than OR, XOR loosest ([D-bool]).
		{"eval AND over OR", "| where a=1 OR b=2 AND c=3", "| where a=1 OR (b=2 AND c=3)", "| where (a=1 OR b=2) AND c=3"},
		{"eval XOR loosest", "| where a OR b XOR c", "| where (a OR b) XOR c", "| where a OR (b XOR c)"},
		{"eval NOT over AND", "| where NOT a=1 AND b=2", "| where (NOT a=1) AND b=2", "| where NOT (a=1 AND b=2)"},
		{"eval arithmetic", "| eval x=1+2*3-4", "| eval x=(1+(2*3))-4", "| eval x=(1+2)*3-4"},
		{"eval left associative", "| eval x=a-b-c", "| eval x=(a-b)-c", "| eval x=a-(b-c)"},
		{"eval dot is concatenation", "| eval x=a.b", "| eval x=a . b", "| eval x='a.b'"},
		{"eval unary minus", "| eval x=-a*b", "| eval x=(-a)*b", "| eval x=-(a*b)"},
		{"eval comparison below arithmetic", "| where a+1>b*2", "| where (a+1)>(b*2)", "| where a+(1>b)*2"},
		{"eval like keyword", "| where a LIKE \"x%\" AND b like \"y\"", "| where (a LIKE \"x%\") AND (b LIKE \"y\")", "| where a LIKE (\"x%\" AND b) LIKE \"y\""},
		{"function names are case-insensitive", "| eval x=IF(a, 1, 0)", "| eval x=if(a, 1, 0)", "| eval x=if(a, 0, 1)"},
		{"keywords are case-insensitive", "| stats COUNT BY user | RENAME user As u", "| stats count by user | rename user AS u", "| stats count by u"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := mustParse(t, c.search)
			if diff := cmp.Diff(mustParse(t, c.same), got, ignorePositions); diff != "" {
				t.Errorf("%q should read as %q (-want +got):\n%s", c.search, c.same, diff)
			}
			if cmp.Equal(mustParse(t, c.different), got, ignorePositions) {
				t.Errorf("%q must not read as %q", c.search, c.different)
			}
		})
	}
}

func mustParse(t testing.TB, s string) *spl.Query {
	t.Helper()
	q, err := spl.ParseString(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return q
}

// TestCommandRegistry: every command in the registry parses, from its
// example, to its own struct and never to the generic form; the grammar and
// the registry cannot drift apart.
func TestCommandRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, info := range spl.Commands {
		t.Run(info.Name, func(t *testing.T) {
			if seen[info.Name] {
				t.Fatalf("%s is listed twice", info.Name)
			}
			seen[info.Name] = true
			q := mustParse(t, info.Example)
			var cmd spl.Command
			for _, c := range q.Commands {
				if c.Name() == info.Name {
					cmd = c
				}
			}
			if cmd == nil {
				t.Fatalf("example %q has no %s command", info.Example, info.Name)
			}
			if _, generic := cmd.(*spl.GenericCommand); generic {
				t.Fatalf("%s parsed as a generic command", info.Name)
			}
			roundTrip(t, info.Example)
		})
	}
	// The list of commands used in ESCU: each must be in the registry.
	for _, name := range strings.Fields(`convert rename tstats search stats where eval bucket
		eventstats lookup table rex fillnull fields join regex spath dedup mvexpand bin foreach
		inputlookup iplocation outputlookup append mstats transaction xmlkv apply sort from
		addtotals makemv rare summary fromjson top appendpipe map replace timechart streamstats
		anomalydetection cyberchef extract multikv outlier head tail reverse makeresults`) {
		if !seen[name] {
			t.Errorf("command %s is not in the registry", name)
		}
	}
}

// TestUnknownCommandIsGeneric: an app's command parses generically, with
// its arguments kept, so the rest of the search still parses.
func TestUnknownCommandIsGeneric(t *testing.T) {
	q := mustParse(t, `x | ut_parse_extended url list=* [search y] | stats count`)
	g, ok := q.Commands[1].(*spl.GenericCommand)
	if !ok {
		t.Fatalf("got %T, want *spl.GenericCommand", q.Commands[1])
	}
	if g.Name() != "ut_parse_extended" || g.Args != "url list=* [search y]" {
		t.Errorf("got %q %q", g.Name(), g.Args)
	}
	if q.Commands[2].Name() != "stats" {
		t.Errorf("the command after the generic one is %s", q.Commands[2].Name())
	}
}

// roundTrip checks that printing a parsed search and parsing the text again
// gives the same tree, and that printing is stable.
func roundTrip(t *testing.T, search string) string {
	t.Helper()
	q := mustParse(t, search)
	text := q.String()
	q2 := mustParse(t, text)
	if diff := cmp.Diff(q, q2, ignorePositions); diff != "" {
		t.Errorf("round trip of %q via %q changed the tree:\n%s", search, text, diff)
	}
	if again := q2.String(); again != text {
		t.Errorf("printing is not stable: %q then %q", text, again)
	}
	return text
}

// TestCanonical: the canonical text of tricky searches (golden).
func TestCanonical(t *testing.T) {
	searches := []string{
		`sourcetype=aws:cloudtrail eventName IN (DeleteGuardrail, "Delete Knowledge*", x*) userAgent!=*.amazonaws.com`,
		`index=main (a=1 OR b=2) c NOT d "quoted phrase" TERM(10.0.0.1) CASE(Admin)`,
		`host=CASE(LOCALHOST) src!=TERM(10.0.0.1) case (x)`,
		`"additionalEventData.MFAUsed"=Yes src_ip!="AWS Internal" date_hour>=20 x<=3`,
		`CommandLine=*\"privileged\":true* path="C:\\Windows\\*"`,
		`x | eval a='resources{}.ARN', b="a\"b", c=mvindex(split(x, ","), -1), d=-1.5e3`,
		`x | where match(userIdentity.userName, requestParameters.userName) AND isnotnull(x)`,
		`x | stats count(eval(action="failure")) AS failures dc(src) values(user) BY user, src`,
		`| tstats summariesonly=false count from datamodel=Change where All_Changes.action=created NOT All_Changes.user=unknown by All_Changes.user _time span=1h`,
		`x | rename "All_Changes".* AS *, a as "b c"`,
		`x | sort -count, + user num(size) | dedup user sortby -_time`,
		`x | fields -x y | fields + a, b`,
		`x | foreach stdev_* [eval anomalies=if('<<MATCHSTR>>' > 'avg_<<MATCHSTR>>', 1, 0) | eval <<FIELD>>=1]`,
		`x | transaction user startswith=(operationName="Enable account") endswith=eval(x>1) maxspan=2m`,
		"x ```a comment``` | stats count ```another```",
		`x | lookup local=true users uid AS user, name OUTPUTNEW dept AS department | inputlookup append=t t where a=1`,
		`x | map search="search user=$user$ earliest=-1d | stats count" maxsearches=5`,
		`x | rex field=_raw mode=sed "s/a/b/g" | regex user!="^svc" | head 5 | tail | reverse`,
		`x | replace "a*" WITH b, c WITH "d e" IN user, src | top 5 user by src | rare limit=2 x`,
		`x | appendpipe [stats count by user | eval x=1] | append [| inputlookup t] | join type=left user [search y]`,
		`x | eval x=NOT a, y=a XOR b, z=a IN (1, 2), w=-(a+b), v=- -a`,
		// Forms seen in endpoint, network and web detections.
		`| tstats count from datamodel=Change where a=1 OR b=2 by _time span=4h All_Changes.user All_Changes.dest`,
		`| tstats count from datamodel=Network_Traffic by _time span=1h, All_Traffic.src | streamstats count by src reset_on_change=true`,
		// Options among the aggregations, as the streamstats page writes
		// them (Search Reference, "streamstats", Examples and Usage).
		`x | streamstats avg(foo) window=5 | streamstats count reset_on_change=true BY shift | eventstats avg(x) allnum=t count by g`,
		`x | streamstats current=f count window=2 avg(foo) global=f max(foo) by bar time_window=5m`,
		`x | apply model | fields _time, user, IsOutlier(run_time) | rename IsOutlier(run_time) as isOutlier, "IsOutlier(count)" as o`,
		// MLTK fit (User Guide, "fit"): options anywhere, FROM, quoted BY fields, INTO.
		`x | fit DensityFunction threshold=0.01 api_calls by "user,HourOfDay,isWeekend" into cloud_excessive_api_calls_v1 dist=norm show_density=true`,
		`x | fit MLTKContainer mode=stage algo=barebone epochs=10 s from feature_* into app:barebone_model | fit LinearRegression y from x1, x2 dist=a by h`,
		`x | makecontinuous span=1h _time | makecontinuous x span=2 | summary m`,
		`x | addtotals fieldname=Score, jndi, jndi_proto | stats values(Score) by jndi, jndi_proto`,
		"x | appendpipe [| map search=\"search `wineventlog_security` EventCode=4624 TargetLogonId=$TargetLogonId$\"]",
	}
	var out strings.Builder
	for _, s := range searches {
		fmt.Fprintf(&out, "%s\n=> %s\n\n", s, roundTrip(t, s))
	}
	checkGolden(t, "canonical.golden", out.String())
}

// TestPositions: nodes carry the byte offset where they start.
func TestPositions(t *testing.T) {
	q := mustParse(t, "x y=1\n| eval z=a + 'b c'")
	ev := q.Commands[1].(*spl.EvalCommand)
	bin := ev.Assignments[0].Expr.(*spl.Binary)
	if got := spl.Position(bin.R).Offset; got != 19 {
		t.Errorf("'b c' at offset %d, want 19", got)
	}
	if got := spl.Position(ev).Line; got != 2 {
		t.Errorf("eval on line %d, want 2", got)
	}
	and := q.Commands[0].(*spl.SearchCommand).Expr.(*spl.SearchAnd)
	if got := spl.Position(and.Terms[1]).Offset; got != 2 {
		t.Errorf("y=1 at offset %d, want 2", got)
	}
}

// TestTreeJSON: the JSON form of the tree (parse --format json).
func TestTreeJSON(t *testing.T) {
	b, err := spl.MarshalTree(mustParse(t, `x a=1 | stats count BY user | where count > 9`))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "tree.golden.json", string(b)+"\n")
}

// TestLimits: hostile input fails cleanly.
func TestLimits(t *testing.T) {
	deep := strings.Repeat("(", 1000) + "x" + strings.Repeat(")", 1000)
	for _, s := range []string{
		deep,
		"| eval x=" + deep,
		"x " + strings.Repeat("NOT ", 1000) + "y",
		strings.Repeat("x ", spl.MaxQueryBytes),
	} {
		_, err := spl.ParseString(s)
		var d *diag.Error
		if !errors.As(err, &d) || d.Code != diag.Limit && d.Code != diag.Syntax {
			t.Errorf("%.20q...: got %v, want a limit error", s, err)
		}
	}
}

// FuzzParse: no input makes the parser panic or hang, and whatever parses
// round-trips. Seeds: our detections' searches, every command's example,
// testdata/fuzz/FuzzParse, and the ESCU searches when SPLHARNESS_ESCU is
// set.
func FuzzParse(f *testing.F) {
	roots := []string{ownRoot}
	if escu, ok := testenv.LookupESCU(f); ok {
		roots = append(roots, escu)
	}
	for _, root := range roots {
		for _, src := range expandCorpus(f, root) {
			f.Add(src.Text)
		}
	}
	for _, info := range spl.Commands {
		f.Add(info.Example)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := spl.ParseString(s)
		if err != nil {
			var d *diag.Error
			if !errors.As(err, &d) {
				t.Fatalf("error is %T, not *diag.Error", err)
			}
			if strings.Contains(d.Message, "internal parser error") {
				t.Fatalf("parser crashed: %v", err)
			}
			return
		}
		text := q.String()
		q2, err := spl.ParseString(text)
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", text, s, err)
		}
		if !cmp.Equal(q, q2, ignorePositions) {
			t.Fatalf("round trip changed the tree: %q -> %q", s, text)
		}
	})
}

// BenchmarkParseCorpus parses every expanded ESCU detection search.
func BenchmarkParseCorpus(b *testing.B) {
	srcs := expandCorpus(b, testenv.ESCU(b))
	bytes := 0
	for _, s := range srcs {
		bytes += len(s.Text)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range srcs {
			if _, err := spl.Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(srcs))/b.Elapsed().Seconds(), "searches/s")
}
