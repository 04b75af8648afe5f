package harness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// MissingFile is an attack data file a test names that cannot be read as
// events: absent from the attack data root, or a Git LFS pointer (a clone
// of splunk/attack_data made without Git LFS holds pointers, not data).
type MissingFile struct {
	Path string // relative to the attack data root
	LFS  bool   // the file is a Git LFS pointer
}

// lfsPointer starts every Git LFS pointer file (the Git LFS specification,
// https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md).
var lfsPointer = []byte("version https://git-lfs.github.com/spec/v1")

// absent returns the files that are missing from the attack data root,
// checking each file once per run of tests.
func (r *runner) absent(files []dataFile) []MissingFile {
	var out []MissingFile
	for _, f := range files {
		m, ok := r.checked[f.path]
		if !ok {
			m = checkDataFile(r.root, f.path)
			r.checked[f.path] = m
		}
		if m != nil {
			out = append(out, *m)
		}
	}
	return out
}

// checkDataFile reports a file that does not exist or is a Git LFS
// pointer; any other problem (a folder, no permission) is left for the
// run to report with its own message. Only a file small enough to be a
// pointer is opened: data is read once, by the run.
func checkDataFile(root fs.FS, name string) *MissingFile {
	st, err := fs.Stat(root, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
			return &MissingFile{Path: name}
		}
		return nil
	}
	if st.IsDir() || st.Size() > maxPointerSize {
		return nil
	}
	f, err := root.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, len(lfsPointer))
	n, _ := io.ReadFull(f, head)
	if bytes.Equal(head[:n], lfsPointer) {
		return &MissingFile{Path: name, LFS: true}
	}
	return nil
}

// maxPointerSize bounds a Git LFS pointer file: its three lines (version,
// oid sha256, size) take about 130 bytes.
const maxPointerSize = 1024

// missingMessage is the message of one test whose data is missing.
func missingMessage(files []MissingFile) string {
	parts := make([]string, len(files))
	for i, f := range files {
		if f.LFS {
			parts[i] = f.Path + " is a Git LFS pointer, not the data (run git lfs pull in the attack data clone)"
		} else {
			parts[i] = f.Path + " is not in the attack data folder"
		}
	}
	return "attack data missing: " + strings.Join(parts, "; ")
}

// missingExamples is how many missing files MissingReport names: enough
// to recognise the pattern, few enough to read.
const missingExamples = 3

// MissingReport is the one message for every test that could not run
// because its attack data is missing (Result.Missing): how many tests,
// which folder was searched (folder, as the user should read it), a few
// of the files, and where attack data comes from. It is "" when no result
// misses data, and at most 12 lines otherwise.
func MissingReport(results []Result, folder string) string {
	tests := 0
	var files []MissingFile
	seen := map[string]bool{}
	lfs := 0
	for _, r := range results {
		if len(r.Missing) == 0 {
			continue
		}
		tests++
		for _, f := range r.Missing {
			if seen[f.Path] {
				continue
			}
			seen[f.Path] = true
			files = append(files, f)
			if f.LFS {
				lfs++
			}
		}
	}
	if tests == 0 {
		return ""
	}
	var b strings.Builder
	they := "they name"
	if tests == 1 {
		they = "it names"
	}
	fmt.Fprintf(&b, "%s could not run: %s %s %s missing from %s", plural(tests, "test"), plural(len(files), "attack data file"), they, isAre(len(files)), folder)
	switch {
	case lfs == 1:
		b.WriteString(" (1 of them is a Git LFS pointer, not data)")
	case lfs > 1:
		fmt.Fprintf(&b, " (%d of them are Git LFS pointers, not data)", lfs)
	}
	// Pointers first: they need another fix (git lfs pull).
	slices.SortStableFunc(files, func(a, b MissingFile) int {
		switch {
		case a.LFS == b.LFS:
			return 0
		case a.LFS:
			return -1
		}
		return 1
	})
	b.WriteString(", for example:\n")
	for i, f := range files {
		if i == missingExamples {
			fmt.Fprintf(&b, "  ... and %d more\n", len(files)-missingExamples)
			break
		}
		note := ""
		if f.LFS {
			note = " (Git LFS pointer)"
		}
		fmt.Fprintf(&b, "  %s%s\n", f.Path, note)
	}
	b.WriteString("Test data URLs resolve into --attack-data DIR, a clone of splunk/attack_data, whose files\n")
	b.WriteString("are stored with Git LFS (clone with Git LFS installed, or run git lfs pull in the clone):\n")
	b.WriteString("  git lfs install\n")
	b.WriteString("  git clone https://github.com/splunk/attack_data\n")
	b.WriteString("  splharness test --attack-data attack_data ...\n")
	return b.String()
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
