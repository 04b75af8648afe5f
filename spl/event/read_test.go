package event

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// write creates a file under dir (making folders) and returns its path.
func write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readAll reads paths and returns the events as "file:line raw" lines and
// the rejects as "file:line: reason" lines, with the temp dir removed.
func readAll(t *testing.T, dir string, paths []string, opts Options) (events, rejects []string, c Counts) {
	t.Helper()
	c, err := Read(paths, opts, func(ev *Event) error {
		events = append(events, fmt.Sprintf("%s:%d %s", rel(dir, ev.File), ev.Line, ev.Raw))
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	for _, r := range c.Rejects {
		rejects = append(rejects, fmt.Sprintf("%s:%d: %s", rel(dir, r.File), r.Line, r.Reason))
	}
	if c.Read != c.Accepted+c.Rejected || c.Accepted != len(events) {
		t.Errorf("counts %+v for %d events", c, len(events))
	}
	return events, rejects, c
}

func rel(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

const (
	ev1 = `{"eventTime":"2023-10-15T08:49:49Z","eventName":"A"}`
	ev2 = `{"eventTime":"2023-10-15T08:49:50Z","eventName":"B"}`
)

func TestReadFormats(t *testing.T) {
	pretty := "{\n  \"Records\": [\n    {\n      \"eventTime\": \"2023-10-15T08:49:49Z\",\n      \"eventName\": \"A\"\n    },\n    " + ev2 + "\n  ]\n}\n"
	records0 := "{\n      \"eventTime\": \"2023-10-15T08:49:49Z\",\n      \"eventName\": \"A\"\n    }"
	tests := []struct {
		name    string
		content string
		want    []string // "line raw"
	}{
		{"ndjson", ev1 + "\n" + ev2 + "\n", []string{"1 " + ev1, "2 " + ev2}},
		{"ndjson without final newline", ev1 + "\n" + ev2, []string{"1 " + ev1, "2 " + ev2}},
		{"ndjson crlf and blank lines", "\r\n" + ev1 + "\r\n  \r\n\n" + ev2 + "\r\n", []string{"2 " + ev1, "5 " + ev2}},
		{"ndjson with byte order mark", "\xef\xbb\xbf" + ev1 + "\n", []string{"1 " + ev1}},
		{"cloudtrail records, exact bytes", pretty, []string{"1 " + records0, "2 " + ev2}},
		{"cloudtrail records compact", `{"Records":[` + ev1 + `,` + ev2 + `]}`, []string{"1 " + ev1, "2 " + ev2}},
		{"cloudtrail records with other keys, several objects",
			`{"Records":[` + ev1 + `],"x":{"y":[1]}}` + "\n" + `{"a":1,"Records":[` + ev2 + `]}`,
			[]string{"1 " + ev1, "2 " + ev2}},
		{"cloudtrail records empty", `{"Records":[]}`, nil},
		{"json array", "[\n " + ev1 + ",\n " + ev2 + "\n]\n", []string{"1 " + ev1, "2 " + ev2}},
		{"json arrays in sequence", "[" + ev1 + "]\n[" + ev2 + "]", []string{"1 " + ev1, "2 " + ev2}},
		{"empty file", "", nil},
		{"only blank lines", "\n\n  \r\n", nil},
	}
	for _, tt := range tests {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/gzip=%v", tt.name, compress), func(t *testing.T) {
				dir := t.TempDir()
				data := []byte(tt.content)
				if compress {
					data = gz(t, data)
				}
				// The name says nothing of the format.
				path := write(t, dir, "data.txt", data)
				events, rejects, _ := readAll(t, dir, []string{path}, Options{})
				var want []string
				for _, w := range tt.want {
					want = append(want, "data.txt:"+w)
				}
				if !slices.Equal(events, want) || rejects != nil {
					t.Errorf("events:\n%s\nwant:\n%s\nrejects: %q", strings.Join(events, "\n"), strings.Join(want, "\n"), rejects)
				}
			})
		}
	}
}

func TestReadGzipMultistream(t *testing.T) {
	dir := t.TempDir()
	data := append(gz(t, []byte(ev1+"\n")), gz(t, []byte(ev2+"\n"))...)
	path := write(t, dir, "a.gz", data)
	events, rejects, _ := readAll(t, dir, []string{path}, Options{})
	if len(events) != 2 || rejects != nil {
		t.Errorf("events %q rejects %q", events, rejects)
	}
}

func TestReadRejects(t *testing.T) {
	long := `{"eventTime":"2023-10-15T08:49:49Z","x":"` + strings.Repeat("x", 200) + `"}`
	full := gz(t, []byte(ev1+"\n"+ev2+"\n"+ev1+"\n"))
	tests := []struct {
		name    string
		content []byte
		opts    Options
		events  int
		rejects []string
	}{
		{"invalid JSON", []byte(ev1 + "\n{\"a\":1,}\n" + ev2 + "\n"), Options{}, 2,
			[]string{`f:2: invalid JSON: invalid character '}' looking for beginning of object key string (byte 7)`}},
		{"truncated JSON line", []byte(`{"eventTime":"2023-10-15T08:49:49Z"` + "\n"), Options{}, 0,
			[]string{`f:1: invalid JSON: unexpected end of JSON input (byte 35)`}},
		{"invalid UTF-8", []byte(ev1 + "\n{\"eventTime\":\"2023-10-15T08:49:49Z\",\"a\":\"\xff\"}\n"), Options{}, 1,
			[]string{`f:2: invalid UTF-8 (byte 41)`}},
		{"line over MaxEventBytes", []byte(ev1 + "\n" + long + "\n" + ev2), Options{MaxEventBytes: 100}, 2,
			[]string{`f:2: line longer than MaxEventBytes (100 bytes)`}},
		{"line at MaxEventBytes", []byte(ev1 + "\r\n"), Options{MaxEventBytes: len(ev1)}, 1, nil},
		{"line over the read buffer and MaxEventBytes",
			[]byte(ev1 + "\n" + `{"eventTime":"2023-10-15T08:49:49Z","x":"` + strings.Repeat("x", 3*bufSize) + "\"}\n" + ev2 + "\n"),
			Options{MaxEventBytes: 2 * bufSize}, 2, []string{`f:2: line longer than MaxEventBytes (131072 bytes)`}},
		{"line over the read buffer within MaxEventBytes",
			[]byte(ev1 + "\n" + `{"eventTime":"2023-10-15T08:49:49Z","x":"` + strings.Repeat("x", 3*bufSize) + "\"}\n" + ev2 + "\n"),
			Options{}, 3, nil},
		{"array, not an object", []byte(ev1 + "\n[1,2]\n"), Options{}, 1,
			[]string{`f:2: not a JSON object (an array)`}},
		{"string, not an object", []byte(`"x"` + "\n"), Options{}, 0, []string{`f:1: not a JSON object (a string)`}},
		{"number, not an object", []byte("12\n"), Options{}, 0, []string{`f:1: not a JSON object (a number)`}},
		{"records: bad record", []byte(`{"Records":[` + ev1 + `,{"a":1},[1],` + ev2 + `]}`), Options{}, 3,
			[]string{`f:3: not a JSON object (an array)`}},
		{"records: a syntax error is one reject", []byte(`{"Records":[` + ev1 + `,{"a":x},` + ev2 + `]}`), Options{}, 2,
			[]string{`f:2: invalid JSON: invalid character 'x' looking for beginning of value (byte 5)`}},
		{"records: a record too deep is one reject", []byte(`{"Records":[` + ev1 + `,` + strings.Repeat(`{"a":`, maxDepth+1) + `1` + strings.Repeat(`}`, maxDepth+1) + `,` + ev2 + `]}`), Options{}, 2,
			[]string{`f:2: invalid JSON: nesting deeper than 10000 (byte 50000)`}},
		{"records: a mismatched bracket ends its record only", []byte(`{"Records":[` + ev1 + `,{"a":[1,2},` + ev2 + `]}`), Options{}, 2,
			[]string{`f:2: invalid JSON: invalid character '}' after array element (byte 9)`}},
		{"records: a record with a stray closer", []byte(`{"Records":[{"a":1}},` + ev2 + `]}`), Options{}, 1,
			[]string{`f:1: invalid JSON: invalid character '}' after top-level value (byte 7)`}},
		{"records: escaped quotes and brackets in strings", []byte(`{"Records":[{"eventTime":"2023-10-15T08:49:49Z","x":"a\"],{\\"},` + ev2 + `]}`), Options{}, 2, nil},
		{"records: two Records members", []byte(`{"Records":[` + ev1 + `],"x":1,"Records":[` + ev2 + `]}`), Options{}, 2, nil},
		{"records: key not first", []byte(`{"x":{"Records":[1]},"y":"Records","Records":[` + ev1 + `,` + ev2 + `]}`), Options{}, 2, nil},
		{"records: an object after the wrapper is a record", []byte(`{"Records":[` + ev1 + "]}\n" + ev2 + "\n{\"a\":1}\n"), Options{}, 3, nil},
		{"records: no closing brace", []byte(`{"Records":[` + ev1 + `]`), Options{}, 1,
			[]string{`f:2: invalid JSON: unexpected end of file`}},
		{"records: an empty record", []byte(`{"Records":[` + ev1 + `,,` + ev2 + `]}`), Options{}, 2,
			[]string{`f:2: invalid JSON: no value before ','`}},
		{"records: truncated", []byte(`{"Records":[` + ev1 + `,{"a":`), Options{}, 1,
			[]string{`f:2: invalid JSON: unexpected end of file`}},
		{"records: not an array", []byte(`{"Records":[` + ev1 + `]}{"Records":{}}`), Options{}, 1,
			[]string{`f:2: Records is not an array`}},
		{"records: record over MaxEventBytes", []byte(`{"Records":[` + long + `,` + ev1 + `]}`), Options{MaxEventBytes: 100}, 1,
			[]string{`f:1: record longer than MaxEventBytes (100 bytes)`}},
		{"records: invalid UTF-8", []byte(`{"Records":[{"a":"` + "\xc3" + `"},` + ev1 + `]}`), Options{}, 1,
			[]string{`f:1: invalid UTF-8 (byte 6)`}},
		{"records: trailing garbage, then a record", []byte(`{"Records":[` + ev1 + "]} x\n" + ev2), Options{}, 2,
			[]string{`f:2: invalid JSON: expected an object or an array, found 'x' (skipped to the end of the line)`}},
		{"records: garbage after the Records array", []byte(`{"Records":[` + ev1 + "] x}\n" + ev2), Options{}, 2,
			[]string{`f:2: invalid JSON: invalid character 'x' after the Records array (skipped to the end of the line)`}},
		{"array: an object after one is a record", []byte(`[` + ev1 + `] {"a":1}`), Options{}, 2, nil},
		{"array: a record over MaxEventBytes, then one within", []byte(`[` + long + `,` + ev1 + `]`), Options{MaxEventBytes: 100}, 1,
			[]string{`f:1: record longer than MaxEventBytes (100 bytes)`}},
		{"array: a record past MaxEventBytes and the read buffer", []byte(`[{"x":"` + strings.Repeat("\\\"", 3*bufSize) + `"},` + ev1 + `]`), Options{MaxEventBytes: 1000}, 1,
			[]string{`f:1: record longer than MaxEventBytes (1000 bytes)`}},
		{"gzip: truncated trailer", full[:len(full)-6], Options{}, 3,
			[]string{`f:4: truncated gzip data (unexpected end of file)`}},
		{"gzip: truncated mid-line", full[:len(full)/2], Options{}, -1,
			[]string{`f:1: truncated gzip data (unexpected end of file)`}},
		{"gzip: bad checksum", append(append([]byte{}, full[:len(full)-8]...), 0, 0, 0, 0, 0, 0, 0, 0), Options{}, 3,
			[]string{`f:4: corrupt gzip data: gzip: invalid checksum`}},
		{"gzip: bad header", []byte{0x1f, 0x8b, 0, 0, 0}, Options{}, 0,
			[]string{`f:1: truncated gzip data (unexpected end of file)`}},
		{"gzip: corrupt data", append(append([]byte{}, full[:10]...), bytes.Repeat([]byte{0xff}, 40)...), Options{}, 0,
			[]string{`f:1: corrupt gzip data: flate: corrupt input before offset 1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := write(t, dir, "f", tt.content)
			events, rejects, c := readAll(t, dir, []string{path}, tt.opts)
			if tt.events >= 0 && len(events) != tt.events || !slices.Equal(rejects, tt.rejects) {
				t.Errorf("%d events, rejects:\n%s\nwant %d events, rejects:\n%s", len(events),
					strings.Join(rejects, "\n"), tt.events, strings.Join(tt.rejects, "\n"))
			}
			if c.Rejected != len(tt.rejects) {
				t.Errorf("Rejected = %d", c.Rejected)
			}
		})
	}
}

func TestReadRejectsCapped(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "f", []byte(strings.Repeat("x\n", maxRejects+5)+ev1+"\n"))
	_, _, c := readAll(t, dir, []string{path}, Options{})
	if c.Rejected != maxRejects+5 || len(c.Rejects) != maxRejects || c.Accepted != 1 || c.Read != maxRejects+6 {
		t.Errorf("counts: read %d accepted %d rejected %d listed %d", c.Read, c.Accepted, c.Rejected, len(c.Rejects))
	}
	if last := c.Rejects[maxRejects-1]; last.Line != maxRejects {
		t.Errorf("last listed reject is line %d", last.Line)
	}
}

func TestReadFolders(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b/2.json", []byte(ev2+"\n"))
	write(t, dir, "b/10.json.gz", gz(t, []byte(ev1+"\n")))
	write(t, dir, "a.json", []byte(ev1+"\n"))
	write(t, dir, "b-c/x.json", []byte(ev1+"\n"))
	write(t, dir, ".hidden.json", []byte("not json\n"))
	write(t, dir, "b/.git/HEAD", []byte("ref: x\n"))
	write(t, dir, ".cache/y.json", []byte("not json\n"))
	if err := os.Symlink(filepath.Join(dir, "a.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "b"), filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.json")); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(filepath.Join(dir, "fifo.json")); err != nil {
		t.Fatal(err)
	}
	events, rejects, c := readAll(t, dir, []string{dir, filepath.Join(dir, "a.json"), filepath.Join(dir, "b")}, Options{})
	var skips []string
	for _, s := range c.Skips {
		skips = append(skips, rel(dir, s.Path)+": "+strings.Split(s.Reason, " (")[0])
	}
	wantSkips := []string{
		".cache: hidden folder",
		".hidden.json: hidden file",
		"b/.git: hidden folder",
		"dangling.json: dangling symbolic link",
		"fifo.json: a FIFO",
		"linkdir: symbolic link to a folder",
		"b/.git: hidden folder",
	}
	if !slices.Equal(skips, wantSkips) || c.SkippedPaths != len(wantSkips) {
		t.Errorf("skipped %d:\n%s\nwant:\n%s", c.SkippedPaths, strings.Join(skips, "\n"), strings.Join(wantSkips, "\n"))
	}
	var files []string
	for _, e := range events {
		files = append(files, strings.Fields(e)[0])
	}
	want := []string{"a.json:1", "b-c/x.json:1", "b/10.json.gz:1", "b/2.json:1", "link.json:1", "a.json:1", "b/10.json.gz:1", "b/2.json:1"}
	if !slices.Equal(files, want) || rejects != nil {
		t.Errorf("files %q, want %q; rejects %q", files, want, rejects)
	}
}

func TestReadOptions(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "f.json", []byte(ev1+"\n"))
	var got []*Event
	read := func(opts Options) *Event {
		got = got[:0]
		if _, err := Read([]string{path}, opts, func(ev *Event) error { got = append(got, ev); return nil }); err != nil {
			t.Fatal(err)
		}
		return got[0]
	}
	ev := read(Options{})
	if ev.Index != "main" || ev.Host != "splharness" || ev.Source != path || ev.Sourcetype != "" || ev.File != path || ev.Line != 1 {
		t.Errorf("defaults: %+v", ev)
	}
	ev = read(Options{Index: "contentctl_testing_index", Host: "CONTENTCTL_HOST", Source: "aws_cloudtrail", Sourcetype: "aws:cloudtrail"})
	if ev.Index != "contentctl_testing_index" || ev.Host != "CONTENTCTL_HOST" || ev.Source != "aws_cloudtrail" || ev.Sourcetype != "aws:cloudtrail" {
		t.Errorf("set: %+v", ev)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "f.json", []byte(ev1+"\n"+ev2+"\n"))
	if _, err := Read([]string{filepath.Join(dir, "missing")}, Options{}, func(*Event) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing path: %v", err)
	}
	stop := errors.New("stop")
	n := 0
	c, err := Read([]string{path}, Options{}, func(*Event) error { n++; return stop })
	if err != stop || n != 1 || c.Accepted != 1 {
		t.Errorf("callback error: %v after %d events", err, n)
	}
	if os.Getuid() != 0 {
		locked := write(t, dir, "locked.json", []byte(ev1+"\n"))
		os.Chmod(locked, 0)
		if _, err := Read([]string{locked}, Options{}, func(*Event) error { return nil }); !errors.Is(err, os.ErrPermission) {
			t.Errorf("unreadable file: %v", err)
		}
	}
	// A read failure (not bad content) is an error: /proc/self/mem fails
	// to read at offset 0.
	if _, err := os.Stat("/proc/self/mem"); err == nil {
		_, err := Read([]string{"/proc/self/mem"}, Options{}, func(*Event) error { return nil })
		if err == nil {
			t.Errorf("read failure: no error")
		}
	}
	// A FIFO or a device named as a path is refused: it could block or
	// never end.
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		_, err := Read([]string{p}, Options{}, func(*Event) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "not a regular file or folder: refused") {
			t.Errorf("%s: %v", p, err)
		}
	}
	// A folder is read whole, but a file is not a folder.
	if _, err := Read([]string{path + "/x"}, Options{}, func(*Event) error { return nil }); err == nil {
		t.Errorf("path under a file: no error")
	}
}

func TestReadTime(t *testing.T) {
	tests := []struct {
		raw  string
		opts Options
		want float64
	}{
		{`{"eventTime":"2023-10-15T08:49:49Z","time":1}`, Options{Sourcetype: "aws:cloudtrail", TimeField: "time"}, 1697359789},
		{`{"time":5,"timestamp":"2023-10-15T08:49:49Z"}`, Options{}, 1697359789},
		{`{"time":5,"_time":6}`, Options{}, 6},
		{`{"time":"1697359789"}`, Options{}, 1697359789},
		{`{"time":"1697359789500"}`, Options{}, 1697359789.5},
		{`{"time":1697359789.25}`, Options{}, 1697359789.25},
		{`{"a":{"b":"2023-10-15 08:49:49+00:00"}}`, Options{TimeField: "a.b"}, 1697359789},
		{`{"a":[{"b":3},{"b":4}]}`, Options{TimeField: "a{}.b"}, 3},
		{`{"eventTime":"2023-10-15T08:49:49.123456Z"}`, Options{Sourcetype: "aws:cloudtrail"}, 1697359789.123456},
		{`{"eventTime":"2023-10-15T10:49:49+02:00"}`, Options{Sourcetype: "aws:cloudtrail"}, 1697359789},
		{`{"eventTime":"2023-10-15T08:49:49Z","eventTime":"2024-10-15T08:49:49Z"}`, Options{Sourcetype: "aws:cloudtrail"}, 1697359789},
		{`{"e\u0076entTime":"2023-10-15T08:49:49Z"}`, Options{Sourcetype: "aws:cloudtrail"}, 1697359789},
	}
	for _, tt := range tests {
		ev := readOne(t, tt.raw, tt.opts)
		if d := ev.Time - tt.want; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s %+v: _time = %f, want %f", tt.raw, tt.opts, ev.Time, tt.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(ev1+"\n"+ev2+"\n"), false, true)
	f.Add([]byte(`{"Records":[`+ev1+`,`+ev2+`]}`), true, true)
	f.Add([]byte(`[`+ev1+`,{"a":1}]`), false, false)
	f.Add([]byte("{\"time\":1}\r\n\n{\"a\":\"\xff\"}"), true, false)
	// The bad-data corpus and the first records of the attack data, each
	// read both as generic JSON and as strict CloudTrail.
	seeds, _ := filepath.Glob("../../testdata/bad/data/*")
	real, _ := filepath.Glob("../../attack_data/datasets/attack_techniques/*/*/cloudtrail.json")
	for _, p := range append(seeds, real...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		data = data[:min(len(data), 4<<10)]
		f.Add(data, false, false)
		f.Add(data, false, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, compress, cloudtrail bool) {
		if compress {
			data = gz(t, data)
			if len(data) > 20 {
				data = data[:len(data)-int(data[len(data)/2])%8] // sometimes truncated
			}
		}
		// The file is read from memory: a temporary file for each input
		// would spend most of the fuzzer's time in the file system.
		const path = "f"
		open := func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		events := 0
		opts := Options{MaxEventBytes: 1 << 10}
		if cloudtrail {
			opts.Sourcetype = "aws:cloudtrail"
		}
		r := newReader(opts, open, func(ev *Event) error {
			events++
			if ev.File != path || ev.Line < 1 || ev.Raw == "" {
				t.Fatalf("bad event %+v", ev)
			}
			NewFields(ev, Need{All: true}).Each(func(name string, _ value.Value) {
				if name == "" {
					t.Fatal("empty field name")
				}
			})
			return nil
		})
		c, err := r.paths([]string{path}, single)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if c.Accepted != events || c.Read != c.Accepted+c.Rejected || len(c.Rejects) != min(c.Rejected, maxRejects) {
			t.Fatalf("counts %+v for %d events", c, events)
		}
		for _, r := range c.Rejects {
			if r.File != path || r.Line < 1 || r.Reason == "" {
				t.Fatalf("bad reject %+v", r)
			}
		}
	})
}

// BenchmarkRead reads newline-delimited CloudTrail records.
func BenchmarkRead(b *testing.B) {
	raw := benchRecord(b)
	var buf bytes.Buffer
	for range 1000 {
		buf.WriteString(raw)
		buf.WriteByte('\n')
	}
	path := write(b, b.TempDir(), "f.json", buf.Bytes())
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Read([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, func(*Event) error { return nil })
		if err != nil || c.Accepted != 1000 {
			b.Fatal(err, c)
		}
	}
}

// BenchmarkReadRecords reads a CloudTrail {"Records":[...]} file of the
// same records as BenchmarkRead, for the two formats' speeds side by side.
func BenchmarkReadRecords(b *testing.B) {
	raw := benchRecord(b)
	var buf bytes.Buffer
	buf.WriteString(`{"Records":[`)
	for i := range 1000 {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(raw)
	}
	buf.WriteString("]}\n")
	path := write(b, b.TempDir(), "f.json", buf.Bytes())
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Read([]string{path}, Options{Sourcetype: "aws:cloudtrail"}, func(*Event) error { return nil })
		if err != nil || c.Accepted != 1000 {
			b.Fatal(err, c)
		}
	}
}

// TestExtractionCutoffOption: Options.ExtractionCutoff (limits.conf [spath]
// extraction_cutoff, which the limits.conf reference says applies to
// automatic key-value extraction and to the spath command) is the one
// setting of the cutoff: the events read carry it to NewFields, whether
// read in turn or on several workers with the fields extracted while
// validating.
func TestExtractionCutoffOption(t *testing.T) {
	pad := strings.Repeat("x", 6000)
	raw := `{"eventTime":"2024-01-02T03:04:05Z","eventName":"A","pad":"` + pad + `","late":"here"}`
	path := write(t, t.TempDir(), "f.json", []byte(raw+"\n"+raw+"\n"))
	need := Need{Names: map[string]bool{"late": true, "eventName": true}}.Compile()
	for _, tt := range []struct {
		cutoff int
		want   bool
	}{{0, false}, {ExtractionCutoff, false}, {7000, true}, {len(raw), true}} {
		opts := Options{Sourcetype: cloudtrail, ExtractionCutoff: tt.cutoff}
		check := func(how string, ev *Event) {
			_, got := NewFields(ev, need).Field("late")
			if got != tt.want {
				t.Errorf("%s, cutoff %d: late present %v, want %v", how, tt.cutoff, got, tt.want)
			}
			if v, _ := NewFields(ev, need).Field("eventName"); v.String() != "A" {
				t.Errorf("%s, cutoff %d: eventName %q", how, tt.cutoff, v.String())
			}
		}
		if _, err := Read([]string{path}, opts, func(ev *Event) error { check("Read", ev); return nil }); err != nil {
			t.Fatal(err)
		}
		so := ScanOptions{Workers: 2, Need: need}
		if _, err := Scan([]string{path}, opts, so, func(_ int, ev *Event) any { check("Scan", ev); return nil }, func(*Event, any) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
}
