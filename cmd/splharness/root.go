package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
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
}

// run executes the command line and returns the process exit code.
func run(args []string, in io.Reader, out, errOut io.Writer) int {
	s := streams{in: in, out: out, err: errOut}
	root := &cobra.Command{
		Use:           "splharness",
		Short:         "Test Splunk detection content without a Splunk server",
		Long:          "splharness parses SPL, expands macros and checks Splunk Security Content (ESCU) detections offline.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// --cpuprofile writes a pprof CPU profile of the run, for looking into
	// slow searches without a test harness.
	var cpuProfile string
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		return pprof.StartCPUProfile(f)
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
	root.AddCommand(newParseCommand(s), newExpandCommand(s), newSearchCommand(s), newTestCommand(s), newExplainCommand(s), newValidateCommand(s), newGenCommand(s), newDocsCommand(s))

	err := root.Execute()
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	default:
		fmt.Fprintf(errOut, "splharness: %v\n", err)
		return exitError
	}
}
