package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Exit codes, the same for every subcommand.
const (
	exitOK       = 0 // all good
	exitFindings = 1 // syntax errors, findings, failed tests
	exitError    = 2 // could not run: bad flags, unreadable content
)

// clock is the current time; tests fix it so that outputs are stable.
var clock = time.Now

// exitCode carries a subcommand's exit status through cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// streams are the standard streams a subcommand uses, injected for tests.
type streams struct {
	in       io.Reader
	out, err io.Writer
	// inTerminal and errTerminal say whether standard input and standard
	// error are terminals: search reads events from a piped standard
	// input only, and test draws its progress line on a terminal only.
	inTerminal, errTerminal bool
}

// terminal is a stream that says whether it is a terminal; tests use it
// to stand for one.
type terminal interface{ IsTerminal() bool }

// isTerminal reports whether a stream is a terminal (a character device,
// as shells show an interactive session). Anything that is not a file,
// such as a test's buffer, is not.
func isTerminal(stream any) bool {
	if t, ok := stream.(terminal); ok {
		return t.IsTerminal()
	}
	f, ok := stream.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// run executes the command line and returns the process exit code.
func run(args []string, in io.Reader, out, errOut io.Writer) int {
	s := streams{in: in, out: out, err: errOut, inTerminal: isTerminal(in), errTerminal: isTerminal(errOut)}
	root := &cobra.Command{
		Use:           "splharness",
		Short:         "Test Splunk detection content without a Splunk server",
		Long:          "splharness parses SPL, expands macros and checks Splunk Security Content (ESCU) detections offline.",
		Version:       versionText(readBuildInfo()),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print the version: module version, VCS revision and Go version")
	// A bad flag names the subcommand and where its flags are described.
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{cmd, err.Error()} })
	// --cpuprofile writes a pprof CPU profile of the run, for looking into
	// slow searches without a test harness.
	var cpuProfile string
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(errOut, "splharness: --cpuprofile: %v\n", err)
			return exitCode(exitError)
		}
		return nil
	}
	defer func() {
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
	}()
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	root.AddCommand(newParseCommand(s), newExpandCommand(s), newSearchCommand(s), newTestCommand(s), newExplainCommand(s), newValidateCommand(s), newGenCommand(s), newDocsCommand(s), newVersionCommand(s))
	addCompletions(root)

	cmd, err := root.ExecuteC()
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	// What reaches here is cobra's: a bad flag, a missing or extra
	// argument, an unknown subcommand.
	var ue usageError
	if !errors.As(err, &ue) {
		ue = usageError{cmd, err.Error()}
	}
	fmt.Fprint(errOut, ue.Render())
	return exitError
}

// usageError is a command line the command cannot take: it names the
// subcommand and points to its --help.
type usageError struct {
	cmd *cobra.Command
	msg string
}

func (e usageError) Error() string { return e.msg }

// Render is the message as printed, for example
//
//	splharness test: unknown flag: --bogus (see 'splharness test --help')
//
// cobra's "Did you mean this?" suggestions follow on their own lines.
func (e usageError) Render() string {
	path := "splharness"
	if e.cmd != nil {
		path = e.cmd.CommandPath()
	}
	msg, more, _ := strings.Cut(e.msg, "\n\n")
	// cobra says `unknown command "x" for "splharness test"` both for an
	// unknown subcommand and for an argument a subcommand does not take;
	// the prefix already names the command.
	if name, ok := strings.CutPrefix(msg, "unknown command "); ok {
		name, _, _ = strings.Cut(name, " for ")
		if e.cmd != nil && e.cmd.HasParent() {
			msg = "unexpected argument " + name
		} else {
			msg = "unknown command " + name
		}
	}
	// pflag passes strconv's error on, which names Go functions.
	if i := strings.Index(msg, ": strconv."); i >= 0 {
		msg = msg[:i] + ": not a number"
	}
	out := fmt.Sprintf("%s: %s (see '%s --help')\n", path, msg, path)
	if more = strings.TrimSpace(more); more != "" {
		out += more + "\n"
	}
	return out
}

// noArgs accepts no positional argument.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{cmd, fmt.Sprintf("unexpected argument %q", args[0])}
	}
	return nil
}

// writeJSON writes v as indented JSON, leaving <, > and & as they are:
// SPL is full of them, and the output is not for a browser.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// formats are the --format values of each subcommand: checkFormat takes
// them, and shell completion offers them.
var formats = map[string][]string{
	"parse":    {"text", "json"},
	"search":   {"table", "json", "csv"},
	"explain":  {"text", "json"},
	"test":     {"text", "json", "sarif", "github"},
	"validate": {"text", "json", "sarif", "github"},
	"docs":     {"md", "html"},
}

// checkFormat reports a --format the subcommand does not take, listing
// those it does: unknown --format "x" (want text, json or csv).
func checkFormat(subcommand, format string) error {
	values := formats[subcommand]
	if slices.Contains(values, format) {
		return nil
	}
	want := values[len(values)-1]
	if len(values) > 1 {
		want = strings.Join(values[:len(values)-1], ", ") + " or " + want
	}
	return fmt.Errorf("unknown --format %q (want %s)", format, want)
}

// missingSPL is the usage error of a command given no search.
const missingSPL = "missing the search (an SPL argument, or - to read it from standard input)"

// oneSPL accepts exactly one search.
func oneSPL(cmd *cobra.Command, args []string) error {
	switch len(args) {
	case 0:
		return usageError{cmd, missingSPL}
	case 1:
		return nil
	}
	return usageError{cmd, fmt.Sprintf("takes one search, got %d arguments; quote the search", len(args))}
}

// someSPL accepts one search or more.
func someSPL(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usageError{cmd, missingSPL}
	}
	return nil
}
