package event

import (
	"bytes"
	"encoding/json"
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
			fresh := NewFields(&Event{Raw: ev.Raw, Sourcetype: ev.Sourcetype, Time: ev.Time}, need)
			for _, n := range names {
				g, gok := got.Field(n)
				w, wok := fresh.Field(n)
				if gok != wok || !cmp.Equal(g.Values(), w.Values()) {
					t.Errorf("%s: got %v (%v), fresh extraction %v (%v)", n, g.Values(), gok, w.Values(), wok)
				}
			}
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
