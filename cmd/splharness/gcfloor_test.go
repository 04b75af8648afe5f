package main

import (
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadsMuch: the GC floor is laid for standard input, for what cannot
// be measured, and for files and folders that together reach its size.
func TestReadsMuch(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big", "big.json")
	if err := os.MkdirAll(filepath.Dir(big), 0o755); err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(dir, "half.json")
	for path, size := range map[string]int64{big: gcFloor, half: gcFloor / 2} {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil { // sparse: no disk written
			t.Fatal(err)
		}
		f.Close()
	}
	for _, c := range []struct {
		name  string
		paths []string
		want  bool
	}{
		{"nothing", nil, false},
		{"a small file", []string{small}, false},
		{"standard input", []string{"-"}, true},
		{"a missing file", []string{filepath.Join(dir, "nope")}, true},
		{"a big file", []string{big}, true},
		{"a folder holding a big file", []string{filepath.Dir(big)}, true},
		{"half the floor", []string{half, small}, false},
		{"twice half the floor", []string{half, half}, true},
		{"a folder of small and half", []string{small, filepath.Join(dir)}, true},
	} {
		if got := readsMuch(c.paths); got != c.want {
			t.Errorf("%s: readsMuch = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAfterCollections: the floor's trigger fires no sooner than after the
// collections it waits for, and fires once they have run. Collections the
// test does not ask for (an earlier test's floor, left to the finalizers,
// is freed or laid meanwhile) are counted by the runtime (NumGC): a round
// that has them before the trigger's n is tried again, as the trigger
// rightly fires then.
func TestAfterCollections(t *testing.T) {
	const n = 3
	numGC := func() uint32 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.NumGC
	}
	for round := 0; ; round++ {
		if round == 5 {
			t.Fatal("collections the test did not ask for ran in every round")
		}
		var fired atomic.Int32
		start := numGC()
		afterCollections(n, func() { fired.Add(1) })
		for i := 0; i < n-1; i++ {
			runtime.GC()
		}
		// Whatever the finalizers have done by now, n-1 collections cannot
		// have counted as n.
		time.Sleep(10 * time.Millisecond)
		if got := fired.Load(); got != 0 {
			if numGC()-start >= n {
				continue // more than the test's collections ran
			}
			t.Fatalf("fired after %d collections, want %d", n-1, n)
		}
		// A finalizer runs on its own goroutine after its collection:
		// collect until the trigger has counted them all (one more per
		// round at most).
		for i := 0; i < 100 && fired.Load() == 0; i++ {
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		if got := fired.Load(); got != 1 {
			t.Fatalf("fired %d times, want once", got)
		}
		for i := 0; i < 3; i++ {
			runtime.GC()
		}
		time.Sleep(10 * time.Millisecond)
		if got := fired.Load(); got != 1 {
			t.Fatalf("fired %d times, want once", got)
		}
		return
	}
}
