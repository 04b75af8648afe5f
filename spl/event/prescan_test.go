package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl/value"
)

// TestScanPreExtracts: with a Need, Scan's validating scan also extracts
// the needed fields; NewFields then runs no scan of its own, and every
// field reads as it does from a fresh extraction, whether each event is
// new (made with room for the last record's number of fields) or the one
// a worker reuses (Consumed: it keeps the last record's lists and hash
// table).
func TestScanPreExtracts(t *testing.T) {
	var data bytes.Buffer
	for _, name := range exampleNames(t) {
		if err := json.Compact(&data, []byte(readExample(t, name))); err != nil {
			t.Fatal(err)
		}
		data.WriteByte('\n')
	}
	// Blocks are 4 MiB: repeat the examples so that both workers get some.
	one := data.Bytes()
	var all bytes.Buffer
	for all.Len() < 3*blockSize {
		all.Write(one)
	}
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	needs := []Need{
		{Names: map[string]bool{"eventName": true, "userIdentity.arn": true, "nope": true}},
		{Names: map[string]bool{"eventTime": true, "requestParameters": true}, Prefixes: []string{"responseElements."}},
		{Names: map[string]bool{"resources{}.ARN": true, "tlsDetails.tlsVersion": true}},
		{Names: map[string]bool{}}, // every field of the examples: more than a list without a hash table holds
	}
	for _, name := range exampleNames(t) {
		f := NewFields(&Event{Raw: readExample(t, name), Sourcetype: "aws:cloudtrail"}, Need{All: true})
		f.EachJSON(func(n string, _ value.Value) { needs[len(needs)-1].Names[n] = true })
	}
	if n := len(needs[len(needs)-1].Names); n <= 2*smallFields {
		t.Fatalf("the examples have %d fields", n)
	}
	for i := range 2 * len(needs) {
		need, consumed := needs[i/2], i%2 == 1
		need = need.Compile()
		var names []string
		for n := range need.Names {
			names = append(names, n)
		}
		var mu sync.Mutex
		preScans, small := 0, 0
		process := func(worker int, ev *Event) any {
			if worker < 0 || worker >= 2 {
				t.Errorf("worker %d of 2", worker)
			}
			pre := ev.pre != nil
			got := NewFields(ev, need)
			checkAsFresh(t, "", ev, got, need, names)
			mu.Lock()
			defer mu.Unlock()
			// Past the extraction cutoff the validating scan reads more than
			// extraction may: such events extract on their own.
			if len(ev.Raw) <= ExtractionCutoff {
				small++
			}
			if pre && got.scans == 1 {
				preScans++
			}
			return nil
		}
		c, err := Scan([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, ScanOptions{Workers: 2, Need: need, Consumed: consumed}, process, func(*Event, any) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if c.Rejected != 0 || small == 0 || small == c.Read || preScans != small {
			t.Errorf("need %v (consumed %v): %d events, %d within the cutoff, %d read from the validating scan alone, %d rejected", names, consumed, c.Read, small, preScans, c.Rejected)
		}
	}
}

// TestScanNeedOf: a record the caller's skip lets through is extracted,
// as the validating scan reads it, for the Need ScanOptions.NeedOf gives
// for it on its worker (a Need with All: not during validation), and
// NewFields with that Need reads what was extracted, field for field as
// a fresh extraction.
func TestScanNeedOf(t *testing.T) {
	var data bytes.Buffer
	for range 3 {
		for _, name := range exampleNames(t) {
			if err := json.Compact(&data, []byte(readExample(t, name))); err != nil {
				t.Fatal(err)
			}
			data.WriteByte('\n')
		}
	}
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, data.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	needs := []Need{
		Need{Names: map[string]bool{"eventName": true, "userIdentity.arn": true}}.Compile(),
		Need{Names: map[string]bool{"eventSource": true}, Prefixes: []string{"requestParameters."}}.Compile(),
		{All: true},
	}
	read := [][]string{{"eventName", "userIdentity.arn"}, {"eventSource", "requestParameters.bucketName"}, {"eventName", "requestParameters.bucketName", "awsRegion"}}
	union := needs[0].Union(needs[1]).Compile()
	which := func(raw []byte) int { return len(raw) % len(needs) }
	chosen := make([]int, 2)
	var mu sync.Mutex
	used := map[int]int{}
	process := func(w int, ev *Event) any {
		i := which([]byte(ev.Raw))
		if chosen[w] != i {
			t.Errorf("worker %d: NeedOf asked for need %d, the event is one for %d", w, chosen[w], i)
		}
		pre := ev.pre != nil
		got := NewFields(ev, needs[i])
		checkAsFresh(t, fmt.Sprintf("need %d, ", i), ev, got, needs[i], read[i])
		if wantPre := !needs[i].All && len(ev.Raw) <= ExtractionCutoff; pre != wantPre || pre && got.scans != 1 {
			t.Errorf("need %d: extracted while validating %v (%d scans), want %v", i, pre, got.scans, wantPre)
		}
		mu.Lock()
		used[i]++
		mu.Unlock()
		return nil
	}
	so := ScanOptions{
		Workers:   2,
		Need:      union,
		SkipValid: func(w int, raw []byte) bool { chosen[w] = which(raw); return false },
		NeedOf:    func(w int) Need { return needs[chosen[w]] },
	}
	if _, err := Scan([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, so, process, func(*Event, any) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(used) != len(needs) {
		t.Errorf("the records asked for needs %v, want each of %d", used, len(needs))
	}
}

// checkAsFresh reports each of names that got, the Fields made for ev
// with need, reads otherwise than a fresh extraction of ev's text with
// need does; what precedes the name in the message.
func checkAsFresh(t *testing.T, what string, ev *Event, got *Fields, need Need, names []string) {
	t.Helper()
	fresh := NewFields(&Event{Raw: ev.Raw, Sourcetype: ev.Sourcetype, Time: ev.Time}, need)
	for _, n := range names {
		g, gok := got.Field(n)
		f, fok := fresh.Field(n)
		if gok != fok || !cmp.Equal(g.Values(), f.Values()) {
			t.Errorf("%s%s: got %v (%v), fresh extraction %v (%v) in %.60s...", what, n, g.Values(), gok, f.Values(), fok, ev.Raw)
		}
	}
}
