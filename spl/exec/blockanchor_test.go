package exec_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/output"
)

// blockInput is a file read on workers as the engine reads one, with or
// without the pass's block anchors (ScanOptions.SkipBlock); it keeps the
// reader's counts and how many records were asked of the pass's skip.
type blockInput struct {
	path    string
	noBlock bool
	counts  *event.Counts
	asked   *atomic.Int64
}

func (f blockInput) opts() event.Options {
	return event.Options{Sourcetype: "aws:cloudtrail", MaxEventBytes: 700}
}

func (f blockInput) Events(fn func(*event.Event) error) error {
	_, err := event.Read([]string{f.path}, f.opts(), fn)
	return err
}

func (f blockInput) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	skip := so.Skip
	so.Skip, so.SkipValid = nil, func(w int, raw []byte) bool { f.asked.Add(1); return skip(w, raw) }
	if f.noBlock {
		so.SkipBlock = nil
	}
	c, err := event.Scan([]string{f.path}, f.opts(), so, process, deliver)
	*f.counts = c
	return c.Skipped, err
}

// blockAnchorData is about 1.3 MB of lines (several 256 KB blocks): most
// records ruled out by their raw text, and among them, at random places
// (block starts and ends among them), the searches' literals in mixed
// case, spelled with a \u escape, cut across a line end, in CRLF lines,
// after blank lines, in lines longer than the limit, in broken records
// and in a last line without its line end.
func blockAnchorData(seed int64) string {
	rnd := rand.New(rand.NewSource(seed))
	var b strings.Builder
	pad := func(n int) string { return strings.Repeat("x", n) }
	for i := 0; i < 5200; i++ {
		ts := fmt.Sprintf("2026-11-01T%02d:%02d:%02dZ", i/3600%24, i/60%60, i%60)
		rec := func(src, name, code string) string {
			return fmt.Sprintf(`{"eventTime":"%s","eventSource":"%s","eventName":"%s","errorCode":"%s","awsRegion":"us-east-1","pad":"%s"}`, ts, src, name, code, pad(rnd.Intn(200)))
		}
		var line string
		switch r := rnd.Intn(400); {
		case r == 0:
			line = rec("bedrock.amazonaws.com", "DeleteGuardrail", "AccessDenied")
		case r == 1:
			line = rec("BEDROCK.amazonaws.com", "deleteGUARDRAIL", "")
		case r == 2:
			line = rec("bedrock.amazonaws.com", `Delete\u0047uardrail`, "AccessDenied")
		case r == 3:
			line = rec(`bedrock.amazonaws\u002ecom`, "DeleteGuardrail", "x")
		case r == 4:
			line = rec("bedrock.amazonaws.com", "InvokeModel", "AccessDenied") + "\r"
		case r == 5:
			line = "\n  \n" + rec("bedrock.amazonaws.com", "ListFoundationModels", "AccessDenied")
		case r == 6:
			line = rec("bedrock.amazonaws.com", "DeleteGuardrail", pad(700))
		case r == 7:
			line = `{"eventTime":"` + ts + `","eventName":"Delete` + "\n" + `Guardrail","eventSource":"bedrock.amazonaws.com"}`
		case r == 8:
			line = `{"eventTime":"` + ts + `","eventSource":"bedrock.amazonaws.com","eventName":"DeleteGuardrail"`
		case r == 9:
			line = rec("s3.amazonaws.com", `Get\\Object`, `a\"b`)
		case r == 10:
			line = rec("bedrock.amazonaws.com", "DeleteGuardrailX", "AccessDenied")
		case r < 40:
			line = rec("bedrock.amazonaws.com", "GetFoundationModel", "")
		default:
			line = rec("s3.amazonaws.com", "GetObject", "")
		}
		b.WriteString(line)
		if i < 5199 {
			b.WriteString("\n")
		}
	}
	b.WriteString("\n" + `{"eventTime":"2026-11-02T00:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"DeleteGuardrail","errorCode":"AccessDenied"}`)
	return b.String()
}

// blockAnchorPasses are passes of searches whose pre-filters the block
// anchors serve: one literal the block holds least often among an AND's,
// an OR's literals, several plans, and a pass whose plans need more
// anchors than a pass takes.
var blockAnchorPasses = [][]string{
	{`eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count by eventName errorCode`},
	{`eventName=DeleteGuardrail OR eventName=InvokeModel | table _time eventName errorCode`},
	{`eventSource=bedrock.amazonaws.com eventName=ListFoundationModels errorCode=AccessDenied | stats count by eventName`},
	{
		`eventSource=bedrock.amazonaws.com eventName=DeleteGuardrail | stats count by errorCode`,
		`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=AccessDenied | stats count`,
		`eventName=ListFoundationModels | table _time eventName`,
	},
	{
		`eventName=DeleteGuardrail | stats count`, `eventName=InvokeModel | stats count`,
		`eventName=ListFoundationModels | stats count`, `eventName=GetObject | stats count`,
		`errorCode=AccessDenied | stats count`,
	},
}

// TestBlockAnchors: the records the block anchors rule out are those the
// pre-filter would: every pass gives the same rows and counts, and the
// reader the same counts and rejects, with and without them.
func TestBlockAnchors(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		path := filepath.Join(t.TempDir(), "events.json")
		if err := os.WriteFile(path, []byte(blockAnchorData(seed)), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, pass := range blockAnchorPasses {
			got, gotAsked := runBlockPass(t, path, pass, false)
			want, _ := runBlockPass(t, path, pass, true)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("seed %d, %q: with block anchors (-without +with):\n%s", seed, pass, d)
			}
			if exec.BlockAnchorsOn && len(pass) < 5 && gotAsked > 1000 {
				t.Errorf("seed %d, %q: %d records asked of skip: the block anchors ruled out too few", seed, pass, gotAsked)
			}
		}
	}
}

type blockOutcome struct {
	Rows   []string
	Counts []exec.Counts
	Errs   []string
	Read   event.Counts
}

func runBlockPass(t *testing.T, path string, pass []string, noBlock bool) (blockOutcome, int64) {
	t.Helper()
	var c event.Counts
	var asked atomic.Int64
	opts := exec.Options{Now: now, Workers: 2}
	rows, counts, errs := runPassRows(t, blockInput{path: path, noBlock: noBlock, counts: &c, asked: &asked}, pass, opts)
	var out blockOutcome
	for i := range rows {
		var b strings.Builder
		if err := output.JSON(&b, rows[i]); err != nil {
			t.Fatal(err)
		}
		out.Rows = append(out.Rows, b.String())
		out.Errs = append(out.Errs, fmt.Sprint(errs[i]))
	}
	out.Counts, out.Read = counts, c
	return out, asked.Load()
}
