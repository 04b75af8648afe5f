//go:build unix

package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRootFSQuickWays: a content root's files and folders read the quick
// way (readRegular, readDir) give what os.Root's own ReadFile and ReadDir
// give, and what they do not take (a FIFO, a link out of the root, a
// folder, a missing file) falls to the old way, with its words.
func TestRootFSQuickWays(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "m", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.yml"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	write("m/a.yml", "name: a\n")
	write("m/empty.yml", "")
	write("m/big.yml", string(bytes.Repeat([]byte("x"), 100_000)))
	write("other.yml", "name: other\n")
	for _, l := range [][2]string{{"../other.yml", "m/inside.yml"}, {filepath.Join(outside, "secret.yml"), "m/leak.yml"}, {"sub", "m/subdir_link"}, {outside, "m/out_dir"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "m", "pipe.yml"), 0o600); err != nil {
		t.Fatal(err)
	}
	fsys, err := openRoot(dir, "the content root")
	if err != nil {
		t.Fatal(err)
	}
	r := fsys.(rootFS)
	oldRead := func(name string) ([]byte, error) {
		if err := refuseIrregular(r.fsys, name); err != nil {
			return nil, r.wrap("open", name, err)
		}
		b, err := fs.ReadFile(r.fsys, name)
		return b, r.wrap("open", name, err)
	}
	for _, c := range []struct {
		name  string
		quick bool
	}{
		{"m/a.yml", true}, {"m/empty.yml", true}, {"m/big.yml", true}, {"m/inside.yml", true},
		{"m/leak.yml", false}, {"m/pipe.yml", false}, {"m/sub", false}, {"m/missing.yml", false},
		{"m/out_dir/secret.yml", false}, {"../x", false},
	} {
		b, ok := r.readRegular(c.name)
		if ok != c.quick {
			t.Errorf("%s: read the quick way %v, want %v", c.name, ok, c.quick)
		}
		want, wantErr := oldRead(c.name)
		got, gotErr := r.ReadFile(c.name)
		if !bytes.Equal(got, want) || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%s: ReadFile = %d bytes, %v; the old way %d bytes, %v", c.name, len(got), gotErr, len(want), wantErr)
		}
		if ok && !bytes.Equal(b, want) {
			t.Errorf("%s: the quick way read %d bytes, the old way %d", c.name, len(b), len(want))
		}
	}
	for _, name := range []string{".", "m", "m/sub", "m/subdir_link"} {
		got, ok := r.readDir(name)
		if !ok {
			t.Errorf("%s: not listed the quick way", name)
			continue
		}
		want, err := fs.ReadDir(r.fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, os.Root lists %d", name, len(got), len(want))
		}
		for i := range got {
			gi, err1 := got[i].Info()
			wi, err2 := want[i].Info()
			if got[i].Name() != want[i].Name() || got[i].IsDir() != want[i].IsDir() || got[i].Type() != want[i].Type() ||
				err1 != nil || err2 != nil || gi.Mode() != wi.Mode() || gi.Size() != wi.Size() {
				t.Errorf("%s: entry %d is %s %v %v, os.Root's %s %v %v", name, i, got[i].Name(), got[i].Type(), gi, want[i].Name(), want[i].Type(), wi)
			}
		}
	}
	for _, name := range []string{"m/out_dir", "m/a.yml", "missing", "../x"} {
		if _, ok := r.readDir(name); ok {
			t.Errorf("%s: listed the quick way", name)
		}
		_, gotErr := r.ReadDir(name)
		_, wantErr := fs.ReadDir(r.fsys, name)
		if gotErr == nil || wantErr == nil || gotErr.Error() != r.wrap("open", name, wantErr).Error() {
			t.Errorf("%s: ReadDir error %v, the old way's %v", name, gotErr, r.wrap("open", name, wantErr))
		}
	}
}
