//go:build linux

package event

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestScanMappedShrunk: a file that shrinks while it is mapped faults
// where it ended (SIGBUS); the cutter and the workers turn that into an
// error naming the file, and the process goes on.
func TestScanMappedShrunk(t *testing.T) {
	mapEveryFile(t)
	var buf bytes.Buffer
	for i := 0; buf.Len() < 4*blockSize; i++ {
		fmt.Fprintf(&buf, `{"eventTime":"2023-10-15T08:49:%02dZ","eventName":"E%d"}`+"\n", i%60, i)
	}
	content := buf.Bytes()
	for _, size := range []int64{0, 2*blockSize + 100} {
		path := write(t, t.TempDir(), "f.json", content)
		afterMap = func(string) {
			if err := os.Truncate(path, size); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Scan([]string{path}, Options{}, ScanOptions{Workers: 2}, func(int, *Event) any { return nil }, func(*Event, any) error { return nil })
		afterMap = nil
		if err == nil || !strings.Contains(err.Error(), path+": the file changed while being read") {
			t.Errorf("shrunk to %d bytes: %v", size, err)
		}
	}

	// Blocks cut before the file shrinks fault on the workers.
	path := write(t, t.TempDir(), "f.json", content)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, ok := mapLines(f)
	if !ok {
		t.Fatal("not mapped")
	}
	defer unmapFile(m)
	opts := Options{}.withDefaults()
	g := &mapGuard{path: path, mem: m, ahead: make(chan struct{}, maxAhead)}
	var blocks []*block
	for pos, seq := 0, 0; pos < len(m); seq++ {
		end := pos + lastNewline(m[pos:min(pos+blockSize, len(m))]) + 1
		blocks = append(blocks, &block{seq: seq, data: m[pos:end], mapped: true, end: end})
		pos = end
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	c, err := scanBlocksGuarded(path, opts, ScanOptions{Workers: 2}, func(int, *Event) any { return nil }, func(*Event, any) error { return nil }, func(work chan<- *block, stop <-chan struct{}) error {
		for _, b := range blocks {
			g.ahead <- struct{}{}
			work <- b
		}
		return nil
	}, g)
	if err == nil || !strings.Contains(err.Error(), "changed while being read") || c.Accepted != 0 {
		t.Errorf("workers: %d events, %v", c.Accepted, err)
	}
}

// TestMapPaysShrunk: the probe that chooses between mapping and reading
// a file says read, without faulting, when the file shrinks under its
// mapping; on a whole file it answers either way without error.
func TestMapPaysShrunk(t *testing.T) {
	path := write(t, t.TempDir(), "f.json", bytes.Repeat([]byte(`{"a":"b"}`+"\n"), 2*probeBytes/10))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mapFile(f, 2*probeBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer unmapFile(m)
	mapPays(f, m) // either answer is right here; it must not fail
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if mapPays(f, m) {
		t.Error("a file shrunk to nothing: mapPays = true, want false")
	}
}
