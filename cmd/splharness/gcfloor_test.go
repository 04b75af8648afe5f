package main

import (
	"os"
	"path/filepath"
	"testing"
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
