package exec_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// subpassEvents are CloudTrail-like records for the join and append
// detections of ESCU: login profiles created and logged in with, and
// network ACL entries.
var subpassEvents = lines{
	`{"eventTime":"2026-12-01T10:00:00Z","eventID":"e1","eventName":"CreateLoginProfile","src_ip":"10.0.0.1","requestParameters":{"userName":"alice"},"userIdentity":{"userName":"admin"}}`,
	`{"eventTime":"2026-12-01T10:01:00Z","eventID":"e2","eventName":"ConsoleLogin","src_ip":"10.0.0.1","userIdentity":{"userName":"alice"}}`,
	`{"eventTime":"2026-12-01T10:02:00Z","eventID":"e3","eventName":"ConsoleLogin","src_ip":"10.0.0.1","userIdentity":{"userName":"alice"}}`,
	`{"eventTime":"2026-12-01T10:03:00Z","eventID":"e4","eventName":"CreateLoginProfile","src_ip":"10.0.0.2","requestParameters":{"userName":"bob"},"userIdentity":{"userName":"admin"}}`,
	`{"eventTime":"2026-12-01T10:04:00Z","eventID":"e5","eventName":"ConsoleLogin","src_ip":"10.0.0.9","userIdentity":{"userName":"bob"}}`,
	`{"eventTime":"2026-12-01T10:05:00Z","eventID":"e6","eventName":"CreateNetworkAclEntry","requestParameters":{"ruleAction":"allow","aclProtocol":"-1","portRange":{"from":0,"to":65535}}}`,
	`{"eventTime":"2026-12-01T10:06:00Z","eventID":"e7","eventName":"CreateNetworkAclEntry","requestParameters":{"ruleAction":"allow","aclProtocol":"6","portRange":{"from":0,"to":2000}}}`,
	`{"eventTime":"2026-12-01T10:07:00Z","eventID":"e8","eventName":"ReplaceNetworkAclEntry","requestParameters":{"ruleAction":"allow","aclProtocol":"6","portRange":{"from":80,"to":80}}}`,
	`{"eventTime":"2026-12-01T10:08:00Z","eventID":"e9","eventName":"ConsoleLogin","src_ip":"10.0.0.2","userIdentity":{"userName":"bob"}}`,
}

// The parts of the searches below.
const (
	created = `eventName=CreateLoginProfile | rename requestParameters.userName as user`
	logins  = `search eventName=ConsoleLogin | rename userIdentity.userName as user`
	// many is a subsearch of 50001 rows, one more than join's and
	// append's default limits, made of one event.
	many = `search eventID=e1 | eval n=mvrange(0, 50001) | mvexpand n | eval k=1`
	// byID fails with max_groups when MaxGroups is under 9, every with
	// maxresultrows when MaxResultRows is: it holds every event to sort
	// it newest first.
	byID  = `search * | stats count by eventID | eval k=1`
	every = `search * | eval k=1`
)

// subpassCases are searches with join and append subsearches that read
// events, and how many times a run reads its input when the subsearches
// read in the search's pass. A subsearch used as a search term, and one
// of a search that writes a lookup table, still read on their own.
var subpassCases = []struct {
	search string
	opts   exec.Options
	reads  int
}{
	{`` + created + ` | table src_ip eventName user | join user src_ip [` + logins + ` | stats count min(_time) as firstTime by user src_ip]`, exec.Options{}, 1},
	{`` + created + ` | table src_ip eventName user | join type=left user src_ip [` + logins + ` | stats count by user src_ip]`, exec.Options{}, 1},
	{`` + created + ` | table src_ip user eventID | join type=left max=0 user [` + logins + ` | table user eventID src_ip]`, exec.Options{}, 1},
	{`` + created + ` | table src_ip user eventID | join max=0 overwrite=false user [` + logins + ` | table user eventID src_ip]`, exec.Options{}, 1},
	{`` + created + ` | table user | join [` + logins + ` | table user eventID]`, exec.Options{}, 1},
	{`* | stats count by eventName | join eventName [search eventName=Console* | stats dc(src_ip) as ips by eventName]`, exec.Options{}, 1},
	{`eventName=CreateNetworkAclEntry OR eventName=ReplaceNetworkAclEntry requestParameters.aclProtocol=-1 | append [search eventName=CreateNetworkAclEntry OR eventName=ReplaceNetworkAclEntry requestParameters.aclProtocol!=-1 | eval port_range='requestParameters.portRange.to' - 'requestParameters.portRange.from' | where port_range>1024] | fillnull | stats count by eventName eventID port_range`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append [search eventName=CreateLoginProfile | eval x=1] | table eventID x`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append maxout=1 [search eventName=CreateLoginProfile] | table eventID`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append maxout=0 [search eventName=CreateLoginProfile] | table eventID`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append [` + many + `] | stats count`, exec.Options{}, 1},
	{`eventName=CreateLoginProfile | eval k=1 | join k [` + many + `]`, exec.Options{}, 1},
	// Nested subsearches.
	{`` + created + ` | table user src_ip | append [` + logins + ` | table user eventID | join user [search ` + created + ` | table user src_ip]]`, exec.Options{}, 1},
	{`` + created + ` | table user eventID | join user [` + logins + ` | table user src_ip | join type=left src_ip [search eventName=ConsoleLogin | stats count as logins by src_ip]]`, exec.Options{}, 1},
	{`eventName=CreateLoginProfile | eval k=1 | append [search eventName=ConsoleLogin | eval k=1 | join k [` + byID + `]]`, exec.Options{MaxGroups: 3}, 1},
	// Failing subsearches, and which error wins.
	{`eventName=CreateLoginProfile | eval k=1 | join k [` + byID + `]`, exec.Options{MaxGroups: 3}, 1},
	{`eventName=CreateLoginProfile | eval k=1 | append [` + byID + `]`, exec.Options{MaxGroups: 3}, 1},
	{`eventName=CreateLoginProfile | eval k=1 | join k [` + byID + `] | join k [` + every + `]`, exec.Options{MaxGroups: 3, MaxResultRows: 3}, 1},
	{`eventName=CreateLoginProfile | eval k=1 | join k [` + every + `] | join k [` + byID + `]`, exec.Options{MaxGroups: 3, MaxResultRows: 3}, 1},
	{`* | stats count by eventID | eval k=1 | join k [` + every + `]`, exec.Options{MaxGroups: 3, MaxResultRows: 3}, 1},
	{`* | stats count by eventID | append [` + byID + `]`, exec.Options{MaxGroups: 3}, 1},
	{`eventName=ConsoleLogin | append [search eventName=CreateLoginProfile | eval k=1 | join k [` + many + `]] | table eventID`, exec.Options{}, 1},
	// Generating searches and subsearches.
	{`| makeresults | eval user="alice" | join user [` + logins + ` | stats count by user]`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append [| makeresults count=2 | eval x=1] | table eventID x`, exec.Options{}, 1},
	{`eventName=ConsoleLogin | append [| makeresults count=1 | eval user="bob" | join user [` + logins + ` | table user eventID]] | table eventID user`, exec.Options{}, 2},
	// A subsearch used as a search term reads on its own.
	{`eventName=ConsoleLogin | append [search [search ` + created + ` | rename user as userIdentity.userName | table userIdentity.userName] | table eventID] | table eventID`, exec.Options{}, 2},
	// appendpipe builds its join when its rows are all in.
	{`` + created + ` | table user | appendpipe [join user [` + logins + ` | table user eventID]]`, exec.Options{}, 1},
	// A search that writes a lookup table keeps its subsearches apart.
	{`eventName=ConsoleLogin | table eventID | outputlookup ids | append [search eventName=CreateLoginProfile | table eventID]`, exec.Options{}, 2},
}

// countingInput counts the reads of its events, through Events or,
// when it is parallel, ScanEvents.
type countingInput struct {
	lines lines
	scan  bool
	reads int
}

func (c *countingInput) Events(fn func(*event.Event) error) error {
	c.reads++
	return c.lines.Events(fn)
}

// countingScan is a countingInput read in parallel (exec.ParallelInput).
type countingScan struct{ *countingInput }

func (c countingScan) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	c.reads++
	return scanLines(c.lines).ScanEvents(so, process, deliver)
}

// subpassInputs are the ways a pass reads: one goroutine, workers
// over Events, and workers over ScanEvents.
var subpassInputs = []struct {
	name    string
	workers int
	input   func(c *countingInput) exec.Input
}{
	{"sequential", 1, func(c *countingInput) exec.Input { return c }},
	{"parallel", 3, func(c *countingInput) exec.Input { return c }},
	{"scan", 2, func(c *countingInput) exec.Input { return countingScan{c} }},
}

// subpassResult is what one search gave: its rows as JSON, or its error
// (with the limit and place of a LimitError), and its counts.
type subpassResult struct {
	out    string
	counts exec.Counts
}

// subpassOutcome is what a search gave. The counts of a search that
// failed on several workers depend on when each saw the failure: they
// are kept only when one goroutine read (workers 1).
func subpassOutcome(t *testing.T, rows []*value.Row, counts exec.Counts, err error, workers int) subpassResult {
	t.Helper()
	if err != nil && workers > 1 {
		counts = exec.Counts{}
	}
	if err != nil {
		var le *exec.LimitError
		if errors.As(err, &le) {
			return subpassResult{fmt.Sprintf("error %s at %d: %v", le.Limit, le.Pos.Offset, err), counts}
		}
		return subpassResult{"error: " + err.Error(), counts}
	}
	var b strings.Builder
	if err := output.JSON(&b, rows); err != nil {
		t.Fatal(err)
	}
	return subpassResult{b.String(), counts}
}

func subpassPlan(t *testing.T, search string, opts exec.Options, workers int) *exec.Plan {
	t.Helper()
	q, err := spl.ParseString(search)
	if err != nil {
		t.Fatalf("parse %q: %v", search, err)
	}
	opts.Now, opts.Workers = now, workers
	plan, err := exec.Compile(q, opts)
	if err != nil {
		t.Fatalf("compile %q: %v", search, err)
	}
	return plan
}

// runSubpass runs a search alone over the events, its subsearches in its
// pass or, separate, each in a read of its own; it gives what the search
// gave and how many times the input was read.
func runSubpass(t *testing.T, search string, opts exec.Options, workers int, input func(*countingInput) exec.Input, separate bool) (subpassResult, int) {
	t.Helper()
	if separate {
		opts = exec.SeparateSubsearches(opts)
	}
	plan := subpassPlan(t, search, opts, workers)
	in := &countingInput{lines: subpassEvents}
	var rows []*value.Row
	counts, err := plan.Run(input(in), func(r *value.Row) error { rows = append(rows, r); return nil })
	return subpassOutcome(t, rows, counts, err, workers), in.reads
}

// TestSubsearchesInPass: the subsearches of join and append read in the
// pass of the search that holds them, as hidden plans flushed before it,
// and the search gives exactly the rows, the error and the counts it
// gave when each subsearch read the input on its own (Search Reference,
// "join" and "append": the subsearch's results, up to its maxout, then
// the command), reading the input once; alone, and with every other
// search of the cases in one pass.
func TestSubsearchesInPass(t *testing.T) {
	t.Parallel()
	for _, in := range subpassInputs {
		var plans []*exec.Plan
		wants := make([]subpassResult, len(subpassCases))
		rows := make([][]*value.Row, len(subpassCases))
		outs := make([]func(*value.Row) error, len(subpassCases))
		passReads := 1
		for i, tt := range subpassCases {
			got, reads := runSubpass(t, tt.search, tt.opts, in.workers, in.input, false)
			want, separateReads := runSubpass(t, tt.search, tt.opts, in.workers, in.input, true)
			if d := cmp.Diff(want, got, cmp.AllowUnexported(subpassResult{})); d != "" {
				t.Errorf("%s: %s: in its pass differs from alone (-alone +pass):\n%s", in.name, tt.search, d)
			}
			if reads != tt.reads {
				t.Errorf("%s: %s: the input was read %d times, want %d (%d with each subsearch alone)", in.name, tt.search, reads, tt.reads, separateReads)
			}
			wants[i] = want
			plans = append(plans, subpassPlan(t, tt.search, tt.opts, in.workers))
			outs[i] = func(r *value.Row) error { rows[i] = append(rows[i], r); return nil }
			passReads += tt.reads - 1
		}
		// The same plans run twice: a run starts their subsearches afresh.
		for run := 1; run <= 2; run++ {
			clear(rows)
			c := &countingInput{lines: subpassEvents}
			counts, errs := exec.RunAll(plans, in.input(c), outs)
			for i, tt := range subpassCases {
				if d := cmp.Diff(wants[i], subpassOutcome(t, rows[i], counts[i], errs[i], in.workers), cmp.AllowUnexported(subpassResult{})); d != "" {
					t.Errorf("%s: %s: in a pass of %d (run %d) differs from alone (-alone +pass):\n%s", in.name, tt.search, len(plans), run, d)
				}
			}
			// A subsearch used as a search term runs once for a plan
			// (its first run), so a later run may read less.
			if run == 1 && c.reads != passReads || run == 2 && c.reads > passReads {
				t.Errorf("%s: run %d of a pass of %d searches read the input %d times, want %d", in.name, run, len(plans), c.reads, passReads)
			}
		}
	}
}

// TestReadsTwice: a plan reads its input more than once only for a
// subsearch used as a search term, or a join or append subsearch that
// reads events but cannot read in the pass; standard input is kept for
// those alone.
func TestReadsTwice(t *testing.T) {
	tests := []struct {
		search string
		want   bool
	}{
		{`* | stats count`, false},
		{created + ` | join user [` + logins + `]`, false},
		{`eventName=ConsoleLogin | append [search eventName=CreateLoginProfile]`, false},
		{`| makeresults | append [search * | join k [search eventName=A]]`, false},
		{`eventName=ConsoleLogin | append [| makeresults]`, false},
		{`* [search eventName=A | table eventName]`, true},
		{`eventName=ConsoleLogin | append [search [search eventName=A | table eventName]]`, true},
		{`eventName=ConsoleLogin | append [| makeresults | join k [search eventName=A]]`, true},
		{`eventName=ConsoleLogin | outputlookup t | append [search eventName=A]`, true},
		{`eventName=ConsoleLogin | outputlookup t | append [| inputlookup t]`, false},
	}
	for _, tt := range tests {
		if got := subpassPlan(t, tt.search, exec.Options{}, 1).ReadsTwice(); got != tt.want {
			t.Errorf("%s: ReadsTwice %v, want %v", tt.search, got, tt.want)
		}
	}
}

// BenchmarkSubsearchPass: a search with a join and one with an append
// (the shapes of ESCU's two CloudTrail detections that have one) over a
// file of 50,000 records, their subsearches in the pass or each reading
// the file again.
func BenchmarkSubsearchPass(b *testing.B) {
	var text strings.Builder
	names := []string{"CreateLoginProfile", "ConsoleLogin", "CreateNetworkAclEntry", "GetObject", "AssumeRole", "DescribeInstances", "ListBuckets", "PutObject"}
	for i := 0; i < 50000; i++ {
		name := names[3+i%5]
		if i%100 == 0 {
			name = names[i/100%3]
		}
		fmt.Fprintf(&text, `{"eventTime":"2026-12-01T10:%02d:%02dZ","eventID":"e%d","eventName":"%s","src_ip":"10.0.0.%d","requestParameters":{"userName":"u%d","aclProtocol":"%d"},"userIdentity":{"userName":"u%d"}}`+"\n",
			i/60%60, i%60, i, name, i%7, i%13, i%3-1, i%13)
	}
	path := filepath.Join(b.TempDir(), "events.json")
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	in := fileInput(path)
	searches := map[string]string{
		"join":   created + ` | table src_ip user | join user src_ip [` + logins + ` | stats count by user src_ip]`,
		"append": `eventName=CreateNetworkAclEntry requestParameters.aclProtocol=-1 | append [search eventName=CreateNetworkAclEntry requestParameters.aclProtocol!=-1] | stats count by eventID`,
	}
	for name, search := range searches {
		for _, mode := range []string{"pass", "separate"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				opts := exec.Options{Now: now}
				if mode == "separate" {
					opts = exec.SeparateSubsearches(opts)
				}
				q, err := spl.ParseString(search)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := exec.Compile(q, opts)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := plan.Run(in, func(*value.Row) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
