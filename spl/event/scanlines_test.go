package event

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seenEvent is what the cutting tests compare of an event.
type seenEvent struct {
	Line int
	Time float64
	Raw  string
}

// seen is what the cutting tests compare of ev. A time taken from the
// time of reading, which differs between readings, is left out.
func seen(ev *Event) seenEvent {
	t := ev.Time
	if math.Abs(t-float64(time.Now().Unix())) < 60 {
		t = -1
	}
	return seenEvent{ev.Line, t, ev.Raw}
}

// readBytes is Read of data as the file "f".
func readBytes(t testing.TB, data []byte, opts Options) ([]seenEvent, Counts) {
	var got []seenEvent
	open := func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	r := newReader(opts, open, func(ev *Event) error {
		got = append(got, seen(ev))
		return nil
	})
	c, err := r.paths([]string{"f"}, single)
	if err != nil {
		t.Fatal(err)
	}
	return got, c
}

// scanBytesRead is Scan of data read as the file "f" (scanLines).
func scanBytesRead(t testing.TB, data []byte, opts Options, so ScanOptions) ([]seenEvent, Counts, error) {
	var got []seenEvent
	c, err := scanLines("f", bufio.NewReader(bytes.NewReader(data)), opts.withDefaults(), so, func(int, *Event) any { return nil }, func(ev *Event, _ any) error {
		got = append(got, seen(ev))
		return nil
	})
	return got, c, err
}

// TestScanLinesBeyondBlocks: lines longer than a block, some longer than
// the limit (cut out as marker blocks), and records that fall back on the
// previous one's time, after the first block, keep the lines Read gives
// them, read or mapped: marker blocks once counted no line, and fallbacks
// were numbered from their block's start.
func TestScanLinesBeyondBlocks(t *testing.T) {
	long := `{"a":"` + strings.Repeat("x", blockSize+100) + `"}`
	big := `{"eventTime":"2023-10-15T08:49:49Z","b":"` + strings.Repeat("y", blockSize/2) + `"}`
	timed := `{"eventTime":"2023-10-15T08:49:50Z"}`
	untimed := `{"c":"z"}`
	for _, tc := range []struct {
		name  string
		data  string
		limit int
	}{
		{"lines longer than a block", big + "\n" + long + "\n" + long + "\n" + big + "\n" + untimed + "\n" + big + "\n" + untimed + "\n" + long, blockSize},
		{"lines longer than the limit", timed + "\n" + long + "\n" + long + "\n" + timed + "\n" + untimed + "\n" + long + "\n" + untimed + "\n" + long, 1000},
	} {
		data, opts := []byte(tc.data), Options{MaxEventBytes: tc.limit}
		want, wantCounts := readBytes(t, data, opts)
		if wantCounts.Rejected < 3 || wantCounts.TimeFallbacks != 2 {
			t.Fatalf("%s: Read counted %+v: the test would prove little", tc.name, wantCounts)
		}
		read := func() ([]seenEvent, Counts, error) { return scanBytesRead(t, data, opts, ScanOptions{Workers: 2}) }
		mapped := func() ([]seenEvent, Counts, error) {
			return scanBytesMapped(t, data, blockSize, opts, ScanOptions{Workers: 2})
		}
		for name, scan := range map[string]func() ([]seenEvent, Counts, error){"read": read, "mapped": mapped} {
			got, c, err := scan()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s, %s: events differ from Read (-Read +Scan):\n%s", tc.name, name, d)
			}
			if d := cmp.Diff(wantCounts, c); d != "" {
				t.Errorf("%s, %s: counts differ from Read (-Read +Scan):\n%s", tc.name, name, d)
			}
		}
	}
}
