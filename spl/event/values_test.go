package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// chunkReader hands out its data n bytes at a time, so that records
// straddle the read buffer's refills at every offset.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.n, len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// readValues reads data as one file with the given limit and chunk size,
// and returns the events (line and raw text), the rejects and the reader.
func readValues(t *testing.T, data []byte, limit, chunk int) (events, rejects []string, r *reader) {
	t.Helper()
	open := func(string) (io.ReadCloser, error) { return io.NopCloser(&chunkReader{data, chunk}), nil }
	r = newReader(Options{MaxEventBytes: limit}, open, func(ev *Event) error {
		events = append(events, fmt.Sprintf("%d %s", ev.Line, ev.Raw))
		return nil
	})
	c, err := r.paths([]string{"f"}, single)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	for _, rej := range c.Rejects {
		rejects = append(rejects, rej.String())
	}
	if c.Read != c.Accepted+c.Rejected || c.Accepted != len(events) || len(c.Rejects) != min(c.Rejected, maxRejects) {
		t.Fatalf("counts %+v for %d events", c, len(events))
	}
	return events, rejects, r
}

// FuzzReadValues reads CloudTrail {"Records":[...]} files and JSON arrays
// of hostile shapes (the fuzzer's bytes as the records, inside either
// wrapper, after a leading member, or alone) and checks that:
//   - counts add up and every reject names a record;
//   - the text kept for one record never grows past MaxEventBytes (and
//     the slack for whitespace), whatever the record's size;
//   - reading in chunks of any size gives what reading at once gives;
//   - when the file is valid JSON, the records are exactly the elements
//     encoding/json finds, each an event or a reject.
func FuzzReadValues(f *testing.F) {
	f.Add([]byte(ev1+","+ev2), uint8(0), uint16(200), uint8(7))
	f.Add([]byte(ev1+`,{"a":x},`+ev2), uint8(0), uint16(1000), uint8(1))
	f.Add([]byte(ev1+`,{"a":[1,2},`+ev2), uint8(1), uint16(1000), uint8(3))
	f.Add([]byte(`{"eventTime":"2023-10-15T08:49:49Z","x":"a\"],{\\"}`+","+ev2), uint8(2), uint16(1000), uint8(2))
	f.Add([]byte(strings.Repeat(`[`, 70)+strings.Repeat(`]`, 70)+","+ev1), uint8(1), uint16(1000), uint8(5))
	f.Add([]byte(`{"eventTime":"2023-10-15T08:49:49Z","x":"`+strings.Repeat("y", 300)+`"},`+ev1), uint8(0), uint16(100), uint8(9))
	f.Add([]byte(ev1+"]}\n"+ev2+"\n x \n"+`{"Records":{}}`), uint8(0), uint16(1000), uint8(4))
	f.Add([]byte(`"\\`), uint8(3), uint16(10), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, shape uint8, limit uint16, chunk uint8) {
		var data []byte
		switch shape % 4 {
		case 0:
			data = []byte(`{"Records":[` + string(body) + "]}")
		case 1:
			data = []byte("[" + string(body) + "]")
		case 2:
			data = []byte(`{"x":[` + string(body) + `],"Records":[` + string(body) + "]}")
		default:
			data = body
		}
		max := int(limit)%2048 + 1
		events, rejects, r := readValues(t, data, max, len(data)+1)
		for _, rej := range rejects {
			if !strings.HasPrefix(rej, "f:") || strings.HasPrefix(rej, "f:0:") {
				t.Fatalf("bad reject %q", rej)
			}
		}
		if bound := 2*(max+captureSlack) + bufSize; cap(r.line) > bound || cap(r.hold) > bound {
			t.Fatalf("kept %d and %d bytes for records of at most %d", cap(r.line), cap(r.hold), max)
		}
		chunked, chunkedRejects, _ := readValues(t, data, max, int(chunk)%64+1)
		if fmt.Sprint(chunked) != fmt.Sprint(events) || fmt.Sprint(chunkedRejects) != fmt.Sprint(rejects) {
			t.Fatalf("in chunks of %d:\n%q\n%q\nat once:\n%q\n%q", int(chunk)%64+1, chunked, chunkedRejects, events, rejects)
		}
		if shape%4 > 1 || !json.Valid(data) {
			return
		}
		var elems []json.RawMessage
		if shape%4 == 0 {
			var v struct{ Records []json.RawMessage }
			if json.Unmarshal(data, &v) != nil {
				return // Records is not an array of values
			}
			elems = v.Records
		} else if json.Unmarshal(data, &elems) != nil {
			return
		}
		if len(events)+len(rejects) != len(elems) && len(rejects) < maxRejects {
			t.Fatalf("%d records, encoding/json finds %d", len(events)+len(rejects), len(elems))
		}
		ev := 0
		for i, e := range elems {
			want := fmt.Sprintf("%d %s", i+1, bytes.TrimSpace(e))
			if ev < len(events) && events[ev] == want {
				ev++
			}
		}
		if ev != len(events) {
			t.Fatalf("events %q are not the elements %q", events, elems)
		}
	})
}

// BenchmarkCut is the reading goroutine's share of a Records file: cutting
// records out by their brackets and strings.
func BenchmarkCut(b *testing.B) {
	raw := []byte(benchRecord(b))
	data := bytes.Repeat(append(raw, ','), 1000)
	b.SetBytes(int64(len(data)))
	var st cutState
	for b.Loop() {
		st.reset()
		n := 0
		for i := 0; i < len(data); {
			e := st.scan(data[i:], ']')
			if e < 0 {
				break
			}
			i += e + 1
			n++
		}
		if n != 1000 {
			b.Fatal(n)
		}
	}
}
