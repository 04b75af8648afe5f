package event

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScanMappedSameAsRead runs the tests of Scan over newline-delimited
// files with every such file mapped (scanMapped), however small.
func TestScanMappedSameAsRead(t *testing.T) {
	mapEveryFile(t)
	mapped := 0
	afterMap = func(string) { mapped++ }
	defer func() { afterMap = nil }()
	for name, test := range map[string]func(*testing.T){
		"SameAsRead": TestScanSameAsRead,
		"Errors":     TestScanErrors,
		"SkipWorker": TestScanSkipWorker,
		"Sparse":     TestScanSparse,
	} {
		t.Run(name, test)
	}
	if mapped == 0 && canMap {
		t.Error("no file was mapped")
	}
}

// mapEveryFile makes Scan map every newline-delimited file it can, however
// small and whatever mapPays would find, until the test ends.
func mapEveryFile(t *testing.T) {
	oldThreshold, oldPays := mapThreshold, mapPays
	mapThreshold = 0
	mapPays = func(*os.File, []byte) bool { return true }
	t.Cleanup(func() { mapThreshold, mapPays = oldThreshold, oldPays })
}

// scanBytesMapped is Scan of data as though it were the mapping of the
// file "f", cut into blocks of at most size bytes.
func scanBytesMapped(t testing.TB, data []byte, size int, opts Options, so ScanOptions) ([]seenEvent, Counts, error) {
	opts = opts.withDefaults()
	g := &mapGuard{path: "f", mem: data, ahead: make(chan struct{}, maxAhead)}
	var got []seenEvent
	c, err := scanBlocksGuarded("f", opts, so, func(int, *Event) any { return nil }, func(ev *Event, _ any) error {
		got = append(got, seen(ev))
		return nil
	}, func(work chan<- *block, stop <-chan struct{}) error {
		times := newReader(opts, nil, nil)
		return cutMapped("f", data, size, times, work, stop, g)
	}, g)
	return got, c, err
}

// TestCutMapped: blocks cut out of a mapping give what Read gives, for
// lines shorter and longer than a block, longer than the limit with and
// without an end, at the end of the file with and without a newline,
// and records without a time of their own after a block edge.
func TestCutMapped(t *testing.T) {
	rec := func(sec int, pad int) string {
		return fmt.Sprintf(`{"eventTime":"2023-10-15T08:49:%02dZ","pad":"%s"}`, sec%60, strings.Repeat("p", pad))
	}
	untimed := `{"a":"no time"}`
	const limit = 300
	long := rec(1, 400) // longer than the limit
	near := rec(2, 240) // within it, longer than a block
	crlf := rec(3, 10) + "\r"
	tests := []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"newlines", "\n\n\n"},
		{"one unended", rec(4, 0)},
		{"short lines", rec(1, 0) + "\n" + rec(2, 5) + "\n" + untimed + "\n" + rec(3, 9) + "\n" + untimed + "\n"},
		{"line longer than a block", rec(1, 0) + "\n" + near + "\n" + untimed + "\n" + rec(5, 3) + "\n"},
		{"line longer than the limit", rec(1, 0) + "\n" + long + "\n" + untimed + "\n" + rec(5, 3) + "\n"},
		{"long lines in a row", long + "\n" + long + "\n" + near + "\n" + long + "\n"},
		{"long line unended", rec(1, 0) + "\n" + long},
		{"line near the limit unended", rec(1, 0) + "\n" + near},
		{"crlf", crlf + "\n" + crlf + "\n" + untimed + "\r\n" + crlf + "\n"},
		{"bad records", rec(1, 0) + "\n{\"a\":}\n" + untimed + "\n\xff\n" + rec(7, 50) + "\n"},
	}
	for _, tc := range tests {
		for _, size := range []int{16, 100, 301, 1 << 20} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, size), func(t *testing.T) {
				cutMappedSameAsRead(t, []byte(tc.data), size, limit)
			})
		}
	}
}

func cutMappedSameAsRead(t testing.TB, data []byte, size, limit int) {
	opts := Options{MaxEventBytes: limit}
	want, wantCounts := readBytes(t, data, opts)
	got, c, err := scanBytesMapped(t, data, size, opts, ScanOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events differ from Read (-Read +mapped):\n%s", d)
	}
	// Where no record before has a time of its own, Read says a record
	// without one takes the previous event's fallback time, a block
	// (read or mapped) says which fallback that was: the same time.
	for _, c := range []*Counts{&wantCounts, &c} {
		for j, f := range c.Fallbacks {
			if i := strings.Index(f.Reason, ": _time is the "); i >= 0 {
				c.Fallbacks[j].Reason = f.Reason[:i]
			}
		}
	}
	if d := cmp.Diff(wantCounts, c); d != "" {
		t.Errorf("counts differ from Read (-Read +mapped):\n%s", d)
	}
}

// FuzzCutMapped: for any file, block size and limit, blocks cut out of
// a mapping give what Read gives.
func FuzzCutMapped(f *testing.F) {
	f.Add([]byte(ev1+"\n"+ev2+"\n"), 16, 40)
	f.Add([]byte(ev1+"\r\n\n"+ev2), 100, 1000)
	f.Add([]byte("{\"time\":1}\r\n\n{\"a\":\"\xff\"}\n"+ev1), 3, 20)
	f.Fuzz(func(t *testing.T, data []byte, size, limit int) {
		if size < 1 || size > 1<<16 || limit < 1 || limit > 1<<16 {
			return
		}
		if bytes.HasPrefix(data, bom) || bytes.HasPrefix(data, []byte{0x1f, 0x8b}) || detect(bufio.NewReader(bytes.NewReader(data))) {
			return // not read as lines (scanFile)
		}
		cutMappedSameAsRead(t, data, size, limit)
	})
}

// TestScanMappedKept: events that share their text (ShareRaw) and are
// kept after Scan returns, with their fields, read the same after the
// file is unmapped and memory collected: they share a copy of the
// block, never the mapping. Every other record is used up on its worker
// (ConsumedOf), sharing the mapping while it is processed.
func TestScanMappedKept(t *testing.T) {
	mapEveryFile(t)
	var buf bytes.Buffer
	for i := 0; buf.Len() < 3*blockSize; i++ {
		fmt.Fprintf(&buf, `{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d","n":{"k":"v%d"}}`+"\n", i%60, i, i)
	}
	path := write(t, t.TempDir(), "f.json", buf.Bytes())
	type kept struct {
		raw, name, k string
	}
	want := map[string]kept{}
	if _, err := Read([]string{path}, Options{}, func(ev *Event) error {
		f := NewFields(ev, Need{All: true})
		name, _ := f.Field("eventName")
		k, _ := f.Field("n.k")
		want[strings.Clone(ev.Raw)] = kept{strings.Clone(ev.Raw), name.String(), k.String()}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	alternate := func(int) bool { return calls.Add(1)%2 == 0 }
	for _, so := range []ScanOptions{
		{Workers: 2, ShareRaw: true},
		{Workers: 3, ShareRaw: true, ConsumedOf: alternate},
	} {
		var got []kept
		consumed := 0
		_, err := Scan([]string{path}, Options{}, so, func(_ int, ev *Event) any {
			f := NewFields(ev, Need{All: true})
			name, _ := f.Field("eventName")
			k, _ := f.Field("n.k")
			return kept{ev.Raw, name.String(), k.String()} // shared, not copied
		}, func(ev *Event, v any) error {
			if ev == nil {
				consumed++ // its result is not kept, as Consumed asks
				return nil
			}
			got = append(got, v.(kept))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		for _, g := range got {
			if w, ok := want[g.raw]; !ok || w != g {
				t.Fatalf("%+v: kept %+v, read %+v", so, g, w)
			}
		}
		if len(got) == 0 || so.ConsumedOf != nil && consumed == 0 {
			t.Fatalf("%d events kept, %d used up", len(got), consumed)
		}
	}
}
