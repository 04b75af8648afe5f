package event

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// ctRecord is a real-shaped CloudTrail record (the getobject example) with
// its eventTime member replaced by member ("" drops it).
func ctRecord(t testing.TB, member string) string {
	t.Helper()
	if getobject == "" {
		getobject = readExample(t, "getobject")
	}
	raw := getobject
	const orig = `"eventTime": "2023-04-11T01:18:47Z", `
	if !strings.Contains(raw, orig) {
		t.Fatal("the example's eventTime moved")
	}
	if member != "" {
		member += ", "
	}
	return strings.Replace(raw, orig, member, 1)
}

var getobject string

// TestTimeFallback: a record whose eventTime is missing, unreadable or
// written without a zone is an event, never a reject, with the _time
// Splunk's precedence gives it (Getting Data In, "How timestamp
// assignment works": the previous event's time from the same source, else
// the file's modification time, else the index time; "Specify time zones
// for timestamps": a timestamp without a zone is read in the zone TZ
// names, else the indexer's, UTC here), and each is counted with what was
// done.
func TestTimeFallback(t *testing.T) {
	mtime := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	zoned := ctRecord(t, `"eventTime": "2022-11-21T18:06:52Z"`)
	zoneless := ctRecord(t, `"eventTime": "2022-11-21 18:06:52"`)
	zonelessT := ctRecord(t, `"eventTime": "2022-11-21T18:06:53.250"`)
	missing := ctRecord(t, "")
	unreadable := ctRecord(t, `"eventTime": "yesterday"`)
	numeric := ctRecord(t, `"eventTime": 1669054012`)
	const t0 = 1669054012 // 2022-11-21T18:06:52Z
	tests := []struct {
		name      string
		content   string
		times     []float64
		fallbacks []string
	}{
		{"zone-less, space", zoneless + "\n", []float64{t0},
			[]string{`f:1: timestamp "2022-11-21 18:06:52" has no time zone: read in UTC`}},
		{"zone-less, T and fraction", zonelessT + "\n", []float64{t0 + 1.25},
			[]string{`f:1: timestamp "2022-11-21T18:06:53.250" has no time zone: read in UTC`}},
		{"missing after an event: its time", zoned + "\n" + missing + "\n", []float64{t0, t0},
			[]string{`f:2: no timestamp (no eventTime field): _time is the previous event's time`}},
		{"missing first: the file's modification time", missing + "\n" + zoned + "\n" + missing + "\n",
			[]float64{float64(mtime.Unix()), t0, t0},
			[]string{`f:1: no timestamp (no eventTime field): _time is the file's modification time`,
				`f:3: no timestamp (no eventTime field): _time is the previous event's time`}},
		{"unreadable after a zone-less one", zoneless + "\n" + unreadable + "\n" + numeric + "\n", []float64{t0, t0, t0},
			[]string{`f:1: timestamp "2022-11-21 18:06:52" has no time zone: read in UTC`,
				`f:2: unparsable timestamp eventTime="yesterday": _time is the previous event's time`,
				`f:3: unparsable timestamp eventTime=1669054012: _time is the previous event's time`}},
		{"a rejected record is no previous event", zoned + "\n{\"eventTime\":\"2030-01-01T00:00:00Z\",}\n" + missing + "\n", []float64{t0, t0},
			[]string{`f:3: no timestamp (no eventTime field): _time is the previous event's time`}},
		{"records file", `{"Records":[` + missing + "," + zoned + "," + missing + "]}", []float64{float64(mtime.Unix()), t0, t0},
			[]string{`f:1: no timestamp (no eventTime field): _time is the file's modification time`,
				`f:3: no timestamp (no eventTime field): _time is the previous event's time`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := write(t, dir, "f", []byte(tt.content))
			if err := os.Chtimes(path, mtime, mtime); err != nil {
				t.Fatal(err)
			}
			var times []float64
			c, err := Read([]string{path}, Options{Sourcetype: cloudtrail}, func(ev *Event) error {
				times = append(times, ev.Time)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var fallbacks []string
			for _, f := range c.Fallbacks {
				fallbacks = append(fallbacks, fmt.Sprintf("%s:%d: %s", rel(dir, f.File), f.Line, f.Reason))
			}
			if !slices.Equal(times, tt.times) || !slices.Equal(fallbacks, tt.fallbacks) || c.TimeFallbacks != len(tt.fallbacks) {
				t.Errorf("times %v, fallbacks (%d):\n%s\nwant times %v, fallbacks:\n%s", times, c.TimeFallbacks,
					strings.Join(fallbacks, "\n"), tt.times, strings.Join(tt.fallbacks, "\n"))
			}
		})
	}
}

// TestTimeFallbackDefaultFields: an event whose _time is a fallback has no
// timestamp in its text, so no date_* fields and no timestartpos (Knowledge
// Manager Manual, "Use default fields"); a zone-less one has them, with
// date_zone 0.
func TestTimeFallbackDefaultFields(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "f", []byte(ctRecord(t, `"eventTime": "2022-11-21 18:06:52"`)+"\n"+ctRecord(t, "")+"\n"))
	var got []string
	if _, err := Read([]string{path}, Options{Sourcetype: cloudtrail}, func(ev *Event) error {
		f := NewFields(ev, Need{All: true})
		var parts []string
		for _, n := range []string{"date_hour", "date_zone", "timestartpos", "eventName"} {
			v, ok := f.Field(n)
			parts = append(parts, fmt.Sprintf("%s=%s/%v", n, v.String(), ok))
		}
		got = append(got, strings.Join(parts, " "))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"date_hour=18/true date_zone=0/true timestartpos=256/true eventName=GetObject/true",
		"date_hour=/false date_zone=/false timestartpos=/false eventName=GetObject/true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTimeFallbackScanSameAsRead: on several workers, where a block's first
// records do not know the records before them, and with records ruled out
// unread by a pre-filter in between, every event gets the _time a
// sequential read gives it, in newline-delimited and Records files.
func TestTimeFallbackScanSameAsRead(t *testing.T) {
	var lines []string
	for i, size := 0, 0; size < 3*blockSize; i, size = i+1, size+len(lines[len(lines)-1])+1 {
		// Mostly records without a time, so that blocks start with them;
		// every 100th timed record is ruled out by the pre-filter below.
		switch {
		case i%50 == 25:
			lines = append(lines, ctRecord(t, fmt.Sprintf(`"eventTime": "2022-11-21 18:%02d:%02d"`, i/60%60, i%60)))
		case i%50 == 0:
			lines = append(lines, ctRecord(t, fmt.Sprintf(`"eventTime": "2022-11-21T19:%02d:%02dZ", "skip": %t`, i/60%60, i%60, i%100 == 0)))
		default:
			lines = append(lines, ctRecord(t, ""))
		}
	}
	dir := t.TempDir()
	files := map[string]string{
		"lines.json":   strings.Join(lines, "\n") + "\n",
		"records.json": `{"Records":[` + strings.Join(lines, ",") + "]}\n",
	}
	for name, content := range files {
		path := write(t, dir, name, []byte(content))
		var all, kept []float64
		wc, err := Read([]string{path}, Options{Sourcetype: cloudtrail}, func(ev *Event) error {
			all = append(all, ev.Time)
			if !strings.Contains(ev.Raw, `"skip": true`) {
				kept = append(kept, ev.Time)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if wc.TimeFallbacks < len(lines)/3 {
			t.Fatalf("%s: only %d fallbacks", name, wc.TimeFallbacks)
		}
		skip := func(raw []byte) bool { return strings.Contains(string(raw), `"skip": true`) }
		for _, so := range []ScanOptions{{Workers: 2}, {Workers: 3, Skip: func(_ int, raw []byte) bool { return skip(raw) }}, {Workers: 2, SkipValid: func(_ int, raw []byte) bool { return skip(raw) }}, {Workers: 2, Skip: func(_ int, raw []byte) bool { return skip(raw) }, Consumed: true}} {
			got, c := scanTimes(t, path, so)
			want := all
			if so.Skip != nil || so.SkipValid != nil {
				want = kept
			}
			if i := firstDiff(got, want); i >= 0 {
				t.Fatalf("%s, %+v: event %d of %d at %v, Read gives %v", name, so, i, len(got), at(got, i), at(want, i))
			}
			if so.Skip == nil && c.TimeFallbacks != wc.TimeFallbacks {
				t.Errorf("%s, %+v: %d fallbacks; Read: %d", name, so, c.TimeFallbacks, wc.TimeFallbacks)
			}
		}
	}
}

// scanTimes scans a CloudTrail file with so and returns its events' times
// in order, with the counts.
func scanTimes(t *testing.T, path string, so ScanOptions) ([]float64, Counts) {
	t.Helper()
	var got []float64
	c, err := Scan([]string{path}, Options{Sourcetype: cloudtrail}, so, func(_ int, ev *Event) any { return ev.Time },
		func(_ *Event, res any) error {
			got = append(got, res.(float64))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return got, c
}

func firstDiff(a, b []float64) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func at(a []float64, i int) any {
	if i < len(a) {
		return a[i]
	}
	return "none"
}

// TestTimeFallbackAfterRuledOutTimes: a record without a time of its own
// takes the time of the last record before it, even when that record was
// ruled out by the search (validated and counted, or left unread) and its
// time was in another day, zone or form than the records' before it, or
// was itself unreadable (then the time before that), across the edges of
// the blocks several workers read (docs/semantics-events.md, "_time").
func TestTimeFallbackAfterRuledOutTimes(t *testing.T) {
	forms := []string{
		`"eventTime": "2022-11-21T19:%02d:%02dZ"`,
		`"eventTime": "2022-11-22T03:%02d:%02dZ"`,
		`"eventTime": "2022-11-21T19:%02d:%02d+02:00"`,
		`"eventTime": "2022-11-21 18:%02d:%02d"`,
		`"eventTime": "2022-11-23T00:%02d:%02d.250Z"`,
		`"eventTime": "2022-11-21T24:%02d:%02dZ"`, // no such hour: unreadable
		`"eventTime": "2022-11-21T19:%02d:%02dz"`, // not CloudTrail's Z: unreadable
		`"eventTime": 16690%02d%02d`,              // a number: unreadable for aws:cloudtrail
	}
	var lines []string
	for i, size := 0, 0; size < 3*blockSize; i, size = i+1, size+len(lines[len(lines)-1])+1 {
		// Runs of 0 to 4 ruled-out records of mixed forms, each run
		// followed by a record without a time that is kept.
		if i%5 == i/5%5 {
			lines = append(lines, ctRecord(t, ""))
			continue
		}
		form := forms[(i*7+i/13)%len(forms)]
		lines = append(lines, ctRecord(t, fmt.Sprintf(form+`, "skip": true`, i/60%60, i%60)))
	}
	dir := t.TempDir()
	files := map[string]string{
		"lines.json":   strings.Join(lines, "\n") + "\n",
		"records.json": `{"Records":[` + strings.Join(lines, ",") + "]}\n",
	}
	skip := func(_ int, raw []byte) bool { return strings.Contains(string(raw), `"skip": true`) }
	for name, content := range files {
		path := write(t, dir, name, []byte(content))
		var kept []float64
		wc, err := Read([]string{path}, Options{Sourcetype: cloudtrail}, func(ev *Event) error {
			if !strings.Contains(ev.Raw, `"skip": true`) {
				kept = append(kept, ev.Time)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) < len(lines)/10 || wc.TimeFallbacks < len(lines)/3 {
			t.Fatalf("%s: %d kept, %d fallbacks of %d records", name, len(kept), wc.TimeFallbacks, len(lines))
		}
		for _, so := range []ScanOptions{{Workers: 2, SkipValid: skip}, {Workers: 3, SkipValid: skip, Consumed: true}, {Workers: 2, Skip: skip}} {
			got, c := scanTimes(t, path, so)
			if i := firstDiff(got, kept); i >= 0 {
				t.Fatalf("%s, %+v: event %d of %d at %v, Read gives %v", name, so, i, len(got), at(got, i), at(kept, i))
			}
			if so.SkipValid != nil && (c.TimeFallbacks != wc.TimeFallbacks || c.Read != wc.Read || c.Rejected != wc.Rejected) {
				t.Errorf("%s, %+v: %d read, %d rejected, %d fallbacks; Read: %d, %d, %d", name, so,
					c.Read, c.Rejected, c.TimeFallbacks, wc.Read, wc.Rejected, wc.TimeFallbacks)
			}
		}
	}
}
