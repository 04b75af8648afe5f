package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// readBuildInfo is the build information the binary carries; tests fake it.
var readBuildInfo = func() (*debug.BuildInfo, bool) { return debug.ReadBuildInfo() }

// versionText is what --version prints after the program's name:
// "<module version> (<vcs revision>[, modified]) <go version>", from the
// build information the go command records. A binary built by go build or
// go install inside a git checkout knows its revision; one installed with
// go install module@version knows its module version but no revision.
func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return fmt.Sprintf("(devel) (unknown revision) %s", runtime.Version())
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var revision string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	// Twelve hex digits name a commit as surely as forty, and read better.
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if revision == "" {
		revision = "unknown revision"
	}
	if modified {
		revision += ", modified"
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s (%s) %s", version, revision, goVersion)
}

// toolVersion is the module version the binary was built from, for SARIF's
// tool.driver.version; "" for a build outside a module version (go run,
// go test), which SARIF leaves out. It reads the same build information
// as --version.
func toolVersion() string {
	if bi, ok := readBuildInfo(); ok && bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

func newVersionCommand(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version: module version, VCS revision and Go version",
		Long: `Print "splharness <module version> (<vcs revision>[, modified]) <go version>", as --version does,
from the build information the go command records in the binary.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(s.out, "splharness %s\n", cmd.Root().Version)
			return nil
		},
	}
}
