package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestScanSameAsRead: reading a file of many blocks on several workers,
// sharing blocks or not, gives the events, lines and rejects of one
// sequential Read, in the same order. Bad records sit at block edges and
// one record is longer than the limit (cut out by the block cutter); some
// records are not UTF-8, some are beyond ASCII and valid. The
// file is newline-delimited, a CloudTrail Records file (plain and gzip)
// or a JSON array.
func TestScanSameAsRead(t *testing.T) {
	var records []string
	size := 0
	for i := 0; size < 3*blockSize+1000; i++ {
		var rec string
		switch {
		case i%997 == 5:
			rec = `{"eventTime":"2023-10-15T08:49:49Z","x":}` // invalid JSON
		case i%1499 == 7:
			rec = "" // blank line, or in an array an empty record
		case i%1201 == 9:
			rec = `{"eventTime":"2023-10-15T08:49:49Z","eventName":"E1","x":"caf` + "\xc3" + `"}` // not UTF-8
		case i%1301 == 11:
			rec = `{"eventTime":"2023-10-15T08:49:49Z","eventName":"E3"}` + "\xe9" // not UTF-8, after the object
		case i%701 == 3:
			rec = fmt.Sprintf(`{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d","x":"café 日本 😀"}`, i%60, i)
		case i == 2000:
			rec = `{"eventTime":"2023-10-15T08:49:49Z","big":"` + strings.Repeat("x", 3000) + `"}`
		default:
			rec = fmt.Sprintf(`{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d","pad":"%s"}`, i%60, i, strings.Repeat("p", i%300))
		}
		records = append(records, rec)
		size += len(rec) + 1
	}
	formats := []struct {
		name, file string
		content    []byte
	}{
		{"ndjson", "many.json", []byte(strings.Join(records, "\n") + "\n")},
		{"records", "many.json", []byte(`{"Records":[` + strings.Join(records, ",\n") + "]}\n")},
		{"records gzip", "many.json.gz", gz(t, []byte(`{"Records":[`+strings.Join(records, ",")+"]}\n"))},
		{"array", "many.json", []byte("[" + strings.Join(records, ",") + "]\n")},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) { scanSameAsRead(t, write(t, t.TempDir(), f.file, f.content)) })
	}
}

func scanSameAsRead(t *testing.T, path string) {
	opts := Options{Sourcetype: "aws:cloudtrail", MaxEventBytes: 2048}
	type seen struct {
		Line int
		Raw  string
	}
	var want []seen
	wantCounts, err := Read([]string{path}, opts, func(ev *Event) error {
		want = append(want, seen{ev.Line, ev.Raw})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if wantCounts.Rejected < 3 {
		t.Fatalf("only %d rejects: the test would prove little", wantCounts.Rejected)
	}
	if !slices.ContainsFunc(wantCounts.Rejects, func(r Reject) bool { return strings.HasPrefix(r.Reason, "invalid UTF-8") }) {
		t.Fatalf("no record rejected as not UTF-8: %v", wantCounts.Rejects)
	}
	dir, name := filepath.Split(path)
	scanFS := func(opts Options, so ScanOptions, process func(int, *Event) any, deliver func(*Event, any) error) (Counts, error) {
		return ScanFS(os.DirFS(dir), []string{name}, opts, so, process, deliver)
	}
	scan := func(opts Options, so ScanOptions, process func(int, *Event) any, deliver func(*Event, any) error) (Counts, error) {
		return Scan([]string{path}, opts, so, process, deliver)
	}
	// SkipValid rules out the records of even-numbered events, and any
	// line that is not JSON, once they are known to be valid.
	even := func(raw []byte) bool {
		i := strings.Index(string(raw), `"eventName":"E`)
		return i < 0 || (raw[i+len(`"eventName":"E`)]-'0')%2 == 0
	}
	for i, so := range []ScanOptions{{Workers: 2}, {Workers: 3, ShareRaw: true}, {Workers: 2, Consumed: true}, {Workers: 2, ShareRaw: true}, {Workers: 2, SkipValid: func(_ int, raw []byte) bool { return even(raw) }}} {
		scan := scan
		if i == 3 {
			scan = scanFS // ScanFS shares the code; once is enough
		}
		var got []seen
		c, err := scan(opts, so, func(_ int, ev *Event) any {
			return strings.Clone(ev.Raw[:min(len(ev.Raw), 40)]) // a Consumed caller keeps only copies
		}, func(ev *Event, v any) error {
			line := -1 // Consumed: deliver gets no event, only process's result
			if ev != nil {
				line = ev.Line
			} else if !so.Consumed {
				t.Fatal("nil event without Consumed")
			}
			got = append(got, seen{line, v.(string)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(want)
		wantCounts := wantCounts
		if so.SkipValid != nil {
			// Every record still validated: the same Read, Accepted and
			// rejects; the ruled-out ones are skipped, not delivered.
			want = slices.DeleteFunc(want, func(s seen) bool { return even([]byte(s.Raw)) })
			wantCounts.Skipped = wantCounts.Accepted - len(want)
		}
		for i := range want {
			want[i].Raw = want[i].Raw[:min(len(want[i].Raw), 40)]
			if so.Consumed {
				want[i].Line = -1
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%+v: events differ from Read (-Read +Scan):\n%s", so, d)
		}
		for j := range c.Rejects {
			if c.Rejects[j].File == name {
				c.Rejects[j].File = path // ScanFS names files within its file system
			}
		}
		if d := cmp.Diff(wantCounts, c); d != "" {
			t.Errorf("%+v: counts differ from Read (-Read +Scan):\n%s", so, d)
		}
	}
}

// BenchmarkScan reads the same 1000 CloudTrail records on two workers as
// newline-delimited JSON and as a Records file, for the two formats'
// speeds side by side.
func BenchmarkScan(b *testing.B) {
	raw := benchRecord(b)
	records := make([]string, 1000)
	for i := range records {
		records[i] = raw
	}
	for _, f := range []struct{ name, content string }{
		{"ndjson", strings.Join(records, "\n") + "\n"},
		{"records", `{"Records":[` + strings.Join(records, ",") + "]}\n"},
	} {
		b.Run(f.name, func(b *testing.B) {
			path := write(b, b.TempDir(), "f.json", []byte(f.content))
			b.SetBytes(int64(len(f.content)))
			for b.Loop() {
				c, err := Scan([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, ScanOptions{Workers: 2, Consumed: true},
					func(int, *Event) any { return nil }, func(*Event, any) error { return nil })
				if err != nil || c.Accepted != 1000 {
					b.Fatal(err, c)
				}
			}
		})
	}
}

// failingFS is a file system of one file, f.json, whose reads fail once
// after bytes of content.
type failingFS struct {
	content []byte
	after   int
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name != "f.json" {
		return nil, fs.ErrNotExist
	}
	return &failingFile{f: f}, nil
}

type failingFile struct {
	f   failingFS
	off int
}

func (f *failingFile) Stat() (fs.FileInfo, error) { return failingInfo{}, nil }
func (f *failingFile) Close() error               { return nil }
func (f *failingFile) Read(p []byte) (int, error) {
	if f.off >= f.f.after {
		return 0, errors.New("disk on fire")
	}
	n := copy(p[:min(len(p), f.f.after-f.off)], f.f.content[f.off:])
	f.off += n
	return n, nil
}

type failingInfo struct{}

func (failingInfo) Name() string       { return "f.json" }
func (failingInfo) Size() int64        { return 0 }
func (failingInfo) Mode() fs.FileMode  { return 0 }
func (failingInfo) ModTime() time.Time { return time.Time{} }
func (failingInfo) IsDir() bool        { return false }
func (failingInfo) Sys() any           { return nil }

// TestScanErrors: on several workers, an error from deliver ends the scan
// with that error, and a failure to read the file partway through is
// returned once the blocks read before it are delivered, in order.
func TestScanErrors(t *testing.T) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 4*blockSize; i++ {
		fmt.Fprintf(&buf, `{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d"}`+"\n", i%60, i)
	}
	content := buf.Bytes()
	path := write(t, t.TempDir(), "f.json", content)
	stop := errors.New("stop")
	for _, consumed := range []bool{false, true} {
		n := 0
		_, err := Scan([]string{path}, Options{}, ScanOptions{Workers: 2, Consumed: consumed}, func(int, *Event) any { return nil }, func(*Event, any) error {
			if n++; n == 1000 {
				return stop
			}
			return nil
		})
		if err != stop || n != 1000 {
			t.Errorf("consumed %v: deliver error: %v after %d events", consumed, err, n)
		}
	}
	after := 2*blockSize + 100
	// A goroutine reads the blocks, or (Consumed) the workers do in turn.
	for _, consumed := range []bool{false, true} {
		lines := 0
		c, err := ScanFS(failingFS{content, after}, []string{"f.json"}, Options{}, ScanOptions{Workers: 2, Consumed: consumed}, func(_ int, ev *Event) any {
			return strings.Clone(ev.Raw) // a Consumed caller keeps only copies
		}, func(ev *Event, raw any) error {
			// Line i (from 1) holds E(i-1): delivered in file order.
			if lines++; !strings.Contains(raw.(string), fmt.Sprintf(`"eventName":"E%d"`, lines-1)) || ev != nil && ev.Line != lines {
				t.Fatalf("consumed %v: %s delivered as line %d", consumed, raw, lines)
			}
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("consumed %v: read failure: %v", consumed, err)
		}
		if whole := bytes.Count(content[:after], []byte("\n")); c.Accepted < whole-bytes.Count(content[after-blockSize:after], []byte("\n")) || c.Accepted > whole {
			t.Errorf("consumed %v: read failure after %d of %d lines: %d events", consumed, whole, bytes.Count(content, []byte("\n")), c.Accepted)
		}
	}
}

// TestScanSkipWorker: Skip runs on the worker that processes the record
// it lets through, and gets its number, so that a caller may hand what
// Skip worked out to process (the raw pre-filter's answers): the last
// record Skip saw on a worker is the one process gets there, in
// newline-delimited files and in a Records file.
func TestScanSkipWorker(t *testing.T) {
	dir := t.TempDir()
	var lines, records []string
	for i := range 3000 {
		r := fmt.Sprintf(`{"eventTime":"2026-11-01T10:00:00Z","eventName":"E%d","pad":%q}`, i, strings.Repeat("x", i%97))
		lines = append(lines, r)
		records = append(records, r)
	}
	nd := filepath.Join(dir, "a.json")
	rec := filepath.Join(dir, "b.json")
	if err := os.WriteFile(nd, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec, []byte(`{"Records":[`+strings.Join(records, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, path := range []string{nd, rec, nd, rec} {
		const workers = 3
		last := make([]string, workers)
		processed, mismatched := make([]int, workers), make([]int, workers)
		skip := func(w int, raw []byte) bool {
			last[w] = string(raw)
			return strings.Contains(string(raw), `5","pad"`)
		}
		so := ScanOptions{Workers: workers, Skip: skip}
		if i >= 2 {
			so = ScanOptions{Workers: workers, SkipValid: skip}
		}
		c, err := Scan([]string{path}, Options{Sourcetype: cloudtrail}, so, func(w int, ev *Event) any {
			processed[w]++
			if last[w] != ev.Raw {
				mismatched[w]++
			}
			return nil
		}, func(*Event, any) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		accepted := 2700
		if so.SkipValid != nil {
			accepted = 3000 // validated, so counted as accepted, and skipped
		}
		if c.Skipped != 300 || c.Accepted != accepted || processed[0]+processed[1]+processed[2] != 2700 {
			t.Errorf("%s: %d skipped, %d accepted, %v processed, want 300, %d and 2700 in all", path, c.Skipped, c.Accepted, processed, accepted)
		}
		for w := range workers {
			if mismatched[w] != 0 {
				t.Errorf("%s: worker %d processed %d records of which %d were not the last its Skip saw", path, w, processed[w], mismatched[w])
			}
		}
	}
}

// BenchmarkBlockSkipValid is what a worker spends on a block whose records
// a search rules out (ScanOptions.SkipValid), but for the pre-filter
// itself: each line found, validated, its timestamp read, counted. The
// block is the ESCU CloudTrail examples, compacted as CloudTrail writes
// them, repeated to a block's size; or, when SPLHARNESS_BENCH_NDJSON names
// a file of newline-delimited records (such as splharness gen writes), its
// first block.
func BenchmarkBlockSkipValid(b *testing.B) {
	var data []byte
	if p := os.Getenv("SPLHARNESS_BENCH_NDJSON"); p != "" {
		f, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		f = f[:min(len(f), blockSize)]
		data = f[:bytes.LastIndexByte(f, '\n')+1]
	}
	names := exampleNames(b)
	for n := 0; len(data) < blockSize; n++ {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(readExample(b, names[n%len(names)]))); err != nil {
			continue
		}
		data = append(data, buf.Bytes()...)
		data = append(data, '\n')
	}
	r := newReader(Options{Sourcetype: cloudtrail}, nil, nil)
	so := ScanOptions{SkipValid: func(int, []byte) bool { return true }}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		blk := &block{data: data}
		r.block("f", blk, so, 0, nil)
		if blk.counts.Rejected != 0 || blk.counts.Skipped == 0 {
			b.Fatal(blk.counts)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bytes.Count(data, []byte{'\n'})), "ns/record")
}

// TestLastNewline checks lastNewline against bytes.LastIndexByte: a
// newline at every place of every length around its 8-byte steps, with
// the bytes a borrow or carry could confuse (0x0b, 0x09, 0x8a) around it.
func TestLastNewline(t *testing.T) {
	for n := 0; n <= 40; n++ {
		for _, fill := range []byte{'a', 0x0b, 0x09, 0x8a, 0x00, 0xff} {
			base := bytes.Repeat([]byte{fill}, n)
			check := func(b []byte) {
				if got, want := lastNewline(b), bytes.LastIndexByte(b, '\n'); got != want {
					t.Fatalf("%q: lastNewline %d, bytes.LastIndexByte %d", b, got, want)
				}
			}
			check(base)
			for i := 0; i < n; i++ {
				b := slices.Clone(base)
				b[i] = '\n'
				check(b)
				for j := i + 1; j < n; j++ {
					b2 := slices.Clone(b)
					b2[j] = '\n'
					check(b2)
				}
			}
		}
	}
}

// TestScanSparse: with Sparse, deliver gets, in order, only the events
// whose process result is not nil; BlockDone's results come in their
// place among them, each after the events of its block and before any
// later one, so that what the workers count per block adds up, in input
// order, to every event: newline-delimited (in blocks) and gzip (one
// block for the file).
func TestScanSparse(t *testing.T) {
	var records []string
	size := 0
	for i := 0; size < 3*blockSize+1000; i++ {
		rec := fmt.Sprintf(`{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d","pad":"%s"}`, i%60, i, strings.Repeat("p", i%300))
		records = append(records, rec)
		size += len(rec) + 1
	}
	content := []byte(strings.Join(records, "\n") + "\n")
	dir := t.TempDir()
	for _, path := range []string{write(t, dir, "many.json", content), write(t, dir, "many.json.gz", gz(t, content))} {
		ordinal := func(raw string) int {
			i := strings.Index(raw, `"eventName":"E`) + len(`"eventName":"E`)
			n := 0
			for ; raw[i] >= '0' && raw[i] <= '9'; i++ {
				n = n*10 + int(raw[i]-'0')
			}
			return n
		}
		const workers = 3
		var since [workers]int // events per worker since its last BlockDone
		var kept []int
		counted := 0 // the events of the blocks delivered so far
		so := ScanOptions{Workers: workers, Sparse: true, BlockDone: func(w int) any {
			n := since[w]
			since[w] = 0
			if n == 0 {
				return nil
			}
			return n
		}}
		_, err := Scan([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, so, func(w int, ev *Event) any {
			since[w]++
			if n := ordinal(ev.Raw); n%7 == 0 {
				return n
			}
			return nil
		}, func(ev *Event, v any) error {
			if ev == nil {
				counted += v.(int) // a block's count
				return nil
			}
			n, ok := v.(int)
			if !ok || n%7 != 0 {
				t.Fatalf("%s: delivered %v, a result process did not give", path, v)
			}
			if counted > n {
				t.Fatalf("%s: event %d delivered after the counts of %d events", path, n, counted)
			}
			kept = append(kept, n)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for i := 0; i < len(records); i += 7 {
			want = append(want, i)
		}
		if !slices.Equal(kept, want) {
			t.Errorf("%s: delivered %d events, want %d, every seventh in order", path, len(kept), len(want))
		}
		if counted != len(records) {
			t.Errorf("%s: the blocks counted %d events, want %d", path, counted, len(records))
		}
	}
}
