// The corpus needs Linux: RLIMIT_AS, /proc/self/status and named pipes.

//go:build linux

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/splharness/splharness/spl/golden"
)

// The hostile-input corpus: testdata/hostile/cases/*.case, one invocation
// of the CLI each, run in a child process under a time bound and an
// address-space limit, with its outcome compared to golden/<case>.golden.
// testdata/hostile/README.md describes the case format and the
// generators.

const (
	hostileRoot = "../../testdata/hostile"
	// hostileChildEnv, when set, makes the test binary run one case's
	// command line (JSON-encoded childSpec) instead of the tests.
	hostileChildEnv = "SPLHARNESS_HOSTILE_CHILD"
	// Defaults of a case's bounds.
	defaultCaseTimeout = 20 * time.Second
	defaultCaseMemory  = 256 << 20
)

// childSpec is what the child process runs.
type childSpec struct {
	Args []string
	// Memory is the address space the run may add to what the process
	// holds when it starts (the Go runtime's own reservations); 0 for no
	// limit.
	Memory int64
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(hostileChildEnv); spec != "" {
		os.Exit(hostileChild(spec))
	}
	os.Exit(m.Run())
}

// hostileChild runs one case's command line under its memory bound: an
// RLIMIT_AS of the address space in use now plus the case's budget, so
// that an allocation beyond it fails (the Go runtime then exits with
// "out of memory"). The garbage collector is told the same budget, so
// that garbage it has not yet collected does not count against the run.
func hostileChild(spec string) int {
	var c childSpec
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintf(os.Stderr, "hostile child: %v\n", err)
		return 3
	}
	clock = fixedClock
	if c.Memory > 0 && !raceEnabled {
		base, err := addressSpace()
		if err != nil {
			fmt.Fprintf(os.Stderr, "hostile child: %v\n", err)
			return 3
		}
		limit := uint64(base + c.Memory)
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
			fmt.Fprintf(os.Stderr, "hostile child: setrlimit: %v\n", err)
			return 3
		}
		debug.SetMemoryLimit(c.Memory)
	}
	return run(c.Args, os.Stdin, os.Stdout, os.Stderr)
}

// addressSpace is the process's virtual memory size (VmSize), in bytes.
func addressSpace() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}

// hostileCase is one parsed .case file.
type hostileCase struct {
	name     string
	args     []string
	stdin    string // inline standard input
	stdinGen []string
	files    []caseFile
	gens     [][]string // path, generator, arguments
	exit     int
	timeout  time.Duration
	memory   int64
	want     []string
	wantNot  []string
	maxOut   int
}

type caseFile struct{ path, text string }

// readCase parses a .case file (format: testdata/hostile/README.md).
func readCase(path string) (*hostileCase, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &hostileCase{name: strings.TrimSuffix(filepath.Base(path), ".case"), exit: -1, timeout: defaultCaseTimeout, memory: defaultCaseMemory}
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want key: value", path, i+1)
		}
		val = strings.TrimSpace(val)
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s: %s", path, i+1, key, fmt.Sprintf(format, args...))
		}
		switch key {
		case "args":
			if c.args, err = splitWords(val); err != nil {
				return nil, bad("%v", err)
			}
		case "stdin":
			c.stdin = unescape(val)
		case "stdin-gen":
			c.stdinGen = strings.Fields(val)
		case "file":
			// The lines after, up to a line "EOF", are the file's text.
			name := val
			var text []string
			for i++; i < len(lines) && strings.TrimRight(lines[i], "\r") != "EOF"; i++ {
				text = append(text, lines[i])
			}
			if i == len(lines) {
				return nil, bad("no EOF line ends %s", name)
			}
			c.files = append(c.files, caseFile{name, strings.Join(text, "\n") + "\n"})
		case "gen":
			f := strings.Fields(val)
			if len(f) < 2 {
				return nil, bad("want PATH GENERATOR [ARG]...")
			}
			c.gens = append(c.gens, f)
		case "exit":
			if c.exit, err = strconv.Atoi(val); err != nil {
				return nil, bad("%v", err)
			}
		case "timeout":
			if c.timeout, err = time.ParseDuration(val); err != nil {
				return nil, bad("%v", err)
			}
		case "memory":
			if c.memory, err = caseSize(val); err != nil {
				return nil, bad("%v", err)
			}
		case "want":
			c.want = append(c.want, unescape(val))
		case "want-not":
			c.wantNot = append(c.wantNot, unescape(val))
		case "max-output":
			n, err := caseSize(val)
			if err != nil {
				return nil, bad("%v", err)
			}
			c.maxOut = int(n)
		default:
			return nil, bad("unknown key")
		}
	}
	if c.args == nil || c.exit < 0 {
		return nil, fmt.Errorf("%s: a case needs args: and exit:", path)
	}
	return c, nil
}

// caseSize reads 123, 64KiB, 5MiB, 1GiB.
func caseSize(s string) (int64, error) {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if v, ok := strings.CutSuffix(s, suffix); ok {
			s, mult = v, m
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}

// unescape turns \n, \t and \\ into what they name.
func unescape(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(s)
}

// splitWords splits a command line as a shell would: words separated by
// spaces, '...' taken as is, "..." with \" and \\ escapes.
func splitWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unclosed '")
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				w.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, errors.New(`unclosed "`)
			}
			in = true
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words, nil
}

// TestHostile runs every case of testdata/hostile in a child process under
// the case's time and memory bounds and checks its exit status, its
// output (want, want-not, max-output) and golden file (go test -update
// rewrites them).
func TestHostile(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(hostileRoot, "cases", "*.case"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		c, err := readCase(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			expand := strings.NewReplacer("$TMP", tmp, "$REPO", repo)
			for _, f := range c.files {
				writeCaseFile(t, filepath.Join(tmp, f.path), []byte(expand.Replace(f.text)))
			}
			for _, g := range c.gens {
				args := make([]string, len(g))
				for i, a := range g {
					args[i] = expand.Replace(a)
				}
				if err := generate(filepath.Join(tmp, args[0]), args[1], args[2:]); err != nil {
					t.Fatalf("gen %s: %v", strings.Join(g, " "), err)
				}
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = expand.Replace(a)
			}
			spec, _ := json.Marshal(childSpec{Args: args, Memory: c.memory})
			ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, self, "-test.run=^$")
			cmd.Env = append(os.Environ(), hostileChildEnv+"="+string(spec), "GOMAXPROCS=2")
			cmd.Dir = tmp
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Stdin = strings.NewReader(c.stdin)
			if c.stdinGen != nil {
				r, err := stdinReader(c.stdinGen)
				if err != nil {
					t.Fatal(err)
				}
				cmd.Stdin = io.MultiReader(strings.NewReader(c.stdin), r)
			}
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if ctx.Err() != nil {
				t.Fatalf("did not finish within %v (its time bound)", c.timeout)
			}
			code := cmd.ProcessState.ExitCode()
			if err != nil && code < 0 {
				t.Fatalf("run: %v", err)
			}
			out := stdout.String() + stderr.String()
			if strings.Contains(stderr.String(), "out of memory") || strings.Contains(stderr.String(), "cannot allocate memory") {
				t.Fatalf("ran out of its memory bound (%d MiB of address space): %s", c.memory>>20, firstLines(stderr.String(), 5))
			}
			if code == 3 && strings.HasPrefix(stderr.String(), "hostile child:") {
				t.Fatalf("%s", stderr.String())
			}
			var problems []string
			if code != c.exit {
				problems = append(problems, fmt.Sprintf("exit %d, want %d", code, c.exit))
			}
			for _, w := range c.want {
				if !strings.Contains(out, expand.Replace(w)) {
					problems = append(problems, fmt.Sprintf("output lacks %q", w))
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(out, expand.Replace(w)) {
					problems = append(problems, fmt.Sprintf("output has %q", w))
				}
			}
			if c.maxOut > 0 && len(out) > c.maxOut {
				problems = append(problems, fmt.Sprintf("%d bytes of output, more than max-output %d", len(out), c.maxOut))
			}
			clean := strings.NewReplacer(tmp, "$TMP", repo, "$REPO")
			got := fmt.Sprintf("$ splharness %s\nexit %d\n--- stdout\n%s--- stderr\n%s",
				strings.Join(quoteArgs(c.args), " "), code, clean.Replace(stable(stdout.String())), clean.Replace(stable(stderr.String())))
			golden.Check(t, filepath.Join(hostileRoot, "golden", c.name+".golden"), got, *update)
			if len(problems) > 0 {
				t.Errorf("%s\noutput:\n%s", strings.Join(problems, "\n"), firstLines(out, 40))
			}
			t.Logf("%v", took.Round(time.Millisecond))
		})
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	for i, l := range lines {
		if len(l) > 300 {
			lines[i] = l[:300] + "…"
		}
	}
	return strings.Join(lines, "\n")
}

func writeCaseFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// hostileEvent is a valid CloudTrail record the generators put around
// their hostile ones, so that a case shows reading went on.
const hostileEvent = `{"eventTime":"2026-11-01T10:00:00Z","eventName":"GetObject","eventSource":"s3.amazonaws.com"}`

// generate makes an input of a case at path (gzip-compressed when path
// ends in .gz) with the named generator.
func generate(path, name string, args []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	size := func(i int) (int64, error) {
		if i >= len(args) {
			return 0, fmt.Errorf("%s needs a size argument", name)
		}
		return caseSize(args[i])
	}
	switch name {
	case "fifo":
		return syscall.Mkfifo(path, 0o600)
	case "symlink":
		if len(args) != 1 {
			return errors.New("symlink needs a target")
		}
		return os.Symlink(args[0], path)
	case "mkdir":
		return os.MkdirAll(path, 0o755)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	switch name {
	case "records-huge", "array-huge":
		// One record of N bytes (a string of x), then a valid one.
		n, err := size(0)
		if err != nil {
			return err
		}
		open, close := `{"Records":[`, "]}\n"
		if name == "array-huge" {
			open, close = "[", "]\n"
		}
		bw.WriteString(open + `{"eventTime":"2026-11-01T10:00:00Z","x":"`)
		if err := repeatTo(bw, "x", n); err != nil {
			return err
		}
		bw.WriteString(`"},` + hostileEvent + close)
	case "object-huge":
		// An array of one valid record, then an object (a record too)
		// holding a string of N bytes, then a valid object.
		n, err := size(0)
		if err != nil {
			return err
		}
		bw.WriteString("[" + hostileEvent + "]\n" + `{"eventTime":"2026-11-01T10:00:00Z","x":"`)
		if err := repeatTo(bw, "x", n); err != nil {
			return err
		}
		bw.WriteString(`"}` + "\n" + hostileEvent + "\n")
	case "records-deep":
		// A valid record, one nested N deep, another valid one.
		n, err := size(0)
		if err != nil {
			return err
		}
		bw.WriteString(`{"Records":[` + hostileEvent + ",")
		bw.WriteString(strings.Repeat(`{"a":`, int(n)) + "1" + strings.Repeat("}", int(n)))
		bw.WriteString("," + hostileEvent + "]}\n")
	case "ndjson-bad":
		// N lines that are not JSON, then a valid record.
		n, err := size(0)
		if err != nil {
			return err
		}
		for range n {
			bw.WriteString("not json\n")
		}
		bw.WriteString(hostileEvent + "\n")
	case "conf-long-line":
		// A props.conf whose first rule is a line of N bytes, and a rule
		// after it.
		n, err := size(0)
		if err != nil {
			return err
		}
		bw.WriteString("[aws:cloudtrail]\nEVAL-long = \"")
		if err := repeatTo(bw, "x", n); err != nil {
			return err
		}
		bw.WriteString("\"\nEVAL-after_long_line = \"applied\"\n")
	case "repeat":
		// TEXT repeated to N bytes.
		n, err := size(0)
		if err != nil || len(args) != 2 {
			return fmt.Errorf("repeat needs a size and a text")
		}
		if err := repeatTo(bw, unescape(args[1]), n); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown generator %q", name)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// repeatTo writes text repeated to n bytes.
func repeatTo(w io.Writer, text string, n int64) error {
	chunk := []byte(strings.Repeat(text, max(1, (64<<10)/len(text))))
	for n > 0 {
		k := min(int64(len(chunk)), n)
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// stdinReader makes a case's standard input with a generator: "repeat N
// TEXT" is TEXT repeated to N bytes, produced as it is read.
func stdinReader(gen []string) (io.Reader, error) {
	if len(gen) != 3 || gen[0] != "repeat" {
		return nil, fmt.Errorf("stdin-gen: want repeat N TEXT, got %q", gen)
	}
	n, err := caseSize(gen[1])
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(repeatTo(pw, unescape(gen[2]), n)) }()
	return pr, nil
}

// TestHostileGenerators: every generator the corpus README lists makes
// its input, and the README lists every generator there is.
func TestHostileGenerators(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(hostileRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	args := map[string][]string{
		"records-huge": {"10"}, "array-huge": {"10"}, "object-huge": {"10"}, "records-deep": {"3"}, "ndjson-bad": {"2"},
		"conf-long-line": {"10"}, "repeat": {"10", "ab"}, "fifo": nil, "symlink": {"target"}, "mkdir": nil,
	}
	var listed []string
	for line := range strings.SplitSeq(string(readme), "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			name, _, _ = strings.Cut(name, "`")
			if name, _, _ = strings.Cut(name, " "); !strings.Contains(name, ":") {
				listed = append(listed, name)
			}
		}
	}
	if len(listed) != len(args) {
		t.Errorf("README lists generators %q, the test knows %d", listed, len(args))
	}
	dir := t.TempDir()
	for _, name := range listed {
		a, ok := args[name]
		if !ok {
			t.Errorf("README lists %s, which the test does not know", name)
			continue
		}
		if err := generate(filepath.Join(dir, name+".gz"), name, a); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := generate(filepath.Join(dir, "x"), "no-such-generator", nil); err == nil {
		t.Error("an unknown generator made something")
	}
}
