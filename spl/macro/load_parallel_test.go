package macro

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// failFS fails to read the files whose names contain "unreadable", as a
// file without read permission would.
type failFS struct{ fstest.MapFS }

func (f failFS) Open(name string) (fs.File, error) {
	if strings.Contains(name, "unreadable") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f failFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(fsOnly{f}, name) }

// fsOnly hides every method but Open, so that fs.ReadFile goes through it.
type fsOnly struct{ fs.FS }

// macroTree writes a folder of n macro files, with every kind of bad file
// among them: YAML that does not read, schema errors, names defined
// twice (the second file in name order is the one reported), a file that
// cannot be read, and files that are not macros.
func macroTree(n int) failFS {
	fsys := fstest.MapFS{}
	for i := range n {
		name := fmt.Sprintf("m/f%04d.yml", i)
		var text string
		switch i % 9 {
		case 0, 1, 2:
			text = fmt.Sprintf("definition: search a=%d\ndescription: macro %d\nname: m%d\n", i, i, i)
		case 3:
			text = fmt.Sprintf("arguments:\n- x\n- y\ndefinition: eval $x$=$y$\nname: m%d\n", i)
		case 4:
			text = fmt.Sprintf("name: dup\ndefinition: d%d\n", i) // the first file defines it, the others again
		case 5:
			text = "name: a\ndefinition: [b\n"
		case 6:
			text = fmt.Sprintf("name: m%d\n", i)
		case 7:
			text = fmt.Sprintf("name: m%d\ndefinition: a\narguments: [a b]\n", i)
		case 8:
			text = "- a\n"
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	fsys["m/unreadable.yml"] = &fstest.MapFile{Data: []byte("name: u\ndefinition: u\n")}
	fsys["m/readme.md"] = &fstest.MapFile{Data: []byte("not a macro")}
	fsys["m/sub/x.yml"] = &fstest.MapFile{Data: []byte("name: nested\ndefinition: a\n")}
	fsys["m/empty.yml"] = &fstest.MapFile{Data: nil}
	return failFS{fsys}
}

// TestLoadDirParallel checks that reading the files on several goroutines
// gives the set, the errors and their order of reading them one by one.
func TestLoadDirParallel(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 17, 64, 301} {
		fsys := macroTree(n)
		serial, serialErrs := loadDir(fsys, "m", 1)
		if n >= 9 && len(serialErrs) == 0 {
			t.Fatalf("%d files: the tree has bad files, but loading it found none", n)
		}
		for _, workers := range []int{2, 3, 8, 64} {
			t.Run(fmt.Sprintf("files=%d/workers=%d", n, workers), func(t *testing.T) {
				set, errs := loadDir(fsys, "m", workers)
				if diff := cmp.Diff(serial, set, cmp.AllowUnexported(Set{})); diff != "" {
					t.Errorf("set differs from the serial load (-serial +parallel):\n%s", diff)
				}
				if diff := cmp.Diff(errorTexts(serialErrs), errorTexts(errs)); diff != "" {
					t.Errorf("errors differ from the serial load (-serial +parallel):\n%s", diff)
				}
				for i := range min(len(errs), len(serialErrs)) {
					if fmt.Sprintf("%T", errs[i]) != fmt.Sprintf("%T", serialErrs[i]) {
						t.Errorf("error %d is a %T, serially a %T", i, errs[i], serialErrs[i])
					}
				}
			})
		}
	}
}

// TestLoadDirParallelErrors pins what the bad files of macroTree report,
// so that TestLoadDirParallel compares loads that do find them.
func TestLoadDirParallelErrors(t *testing.T) {
	_, errs := loadDir(macroTree(14), "m", 4)
	want := []string{
		"m/empty.yml:1:1: schema: macro file is empty",
		"m/f0005.yml:2:1: yaml: did not find expected ',' or ']'",
		"m/f0006.yml:1:1: schema: macro `m6` has no `definition`",
		"m/f0007.yml:1:1: schema: macro `m7`: argument name \"a b\" may contain only letters, digits, _ and -",
		"m/f0008.yml:1:1: schema: macro file must be a mapping with keys name and definition",
		"m/f0013.yml:1:1: schema: macro `dup` with 0 arguments is already defined at m/f0004.yml:2",
		"open m/unreadable.yml: permission denied",
	}
	if diff := cmp.Diff(want, errorTexts(errs)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var pe *fs.PathError
	if !errors.As(errs[len(errs)-1], &pe) {
		t.Errorf("the unreadable file's error is a %T, not the file system's *fs.PathError", errs[len(errs)-1])
	}
}

func errorTexts(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error())
	}
	return out
}

// BenchmarkLoadDir reads a folder of 200 macro files, most in the shape
// the fast path decodes, on one goroutine and on GOMAXPROCS.
func BenchmarkLoadDir(b *testing.B) {
	fsys := fstest.MapFS{}
	for i := range 200 {
		text := fmt.Sprintf("definition: (eventName=A%d OR eventName=B%d\n  OR eventName=C%d)\ndescription: macro %d, folded\n  over two lines.\nname: m%d\n", i, i, i, i, i)
		if i%10 == 0 {
			text = fmt.Sprintf("definition: \"eventName=\\\"A%d\\\"\"\nname: m%d\n", i, i) // yaml.v3's path
		}
		fsys[fmt.Sprintf("m/f%03d.yml", i)] = &fstest.MapFile{Data: []byte(text)}
	}
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				if _, errs := loadDir(fsys, "m", workers); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}
