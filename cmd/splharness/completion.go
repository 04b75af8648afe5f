package main

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
)

// addCompletions teaches shell completion (cobra's completion command)
// the values of flags: --format per subcommand, detection and story names
// of the content for --detection and --story, folders for the flags that
// take one, limit names for --limit.
func addCompletions(root *cobra.Command) {
	// cobra's completion command, made runnable so that a shell it does
	// not know is a usage error rather than its help and success.
	root.InitDefaultCompletionCmd()
	for _, cmd := range root.Commands() {
		if cmd.Name() == "completion" {
			cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	for _, cmd := range root.Commands() {
		if values, ok := formats[cmd.Name()]; ok {
			_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
		for _, name := range []string{"content", "attack-data", "app", "out"} {
			if cmd.Flags().Lookup(name) != nil && !(cmd.Name() == "gen" && name == "out") {
				_ = cmd.RegisterFlagCompletionFunc(name, completeDirs)
			}
		}
		if cmd.Flags().Lookup("limit") != nil {
			_ = cmd.RegisterFlagCompletionFunc("limit", completeLimits)
		}
		if cmd.Flags().Lookup("detection") != nil {
			_ = cmd.RegisterFlagCompletionFunc("detection", completeNames(func(c *harness.Content) []string {
				var names []string
				for _, d := range c.Detections {
					names = append(names, d.Name)
				}
				return names
			}))
		}
		if cmd.Flags().Lookup("story") != nil {
			_ = cmd.RegisterFlagCompletionFunc("story", completeNames(func(c *harness.Content) []string {
				var names []string
				for _, s := range c.Stories {
					names = append(names, s.Name)
				}
				return names
			}))
		}
	}
}

// completeNames completes names of the content the command line names
// with --content (default: the embedded content), matching the typed
// prefix regardless of case, as --detection matches.
func completeNames(names func(*harness.Content) []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		dir, _ := cmd.Flags().GetString("content")
		fsys, name, err := openContent(dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		c, err := harness.Load(fsys, name)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []string
		prefix := strings.ToLower(toComplete)
		for _, n := range names(c) {
			if strings.HasPrefix(strings.ToLower(n), prefix) {
				out = append(out, n)
			}
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeLimits completes --limit with the limit names, each followed by
// "=" for the value.
func completeLimits(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for name, doc := range limitDocs {
		if strings.HasPrefix(name, toComplete) {
			out = append(out, name+"=\t"+doc)
		}
	}
	sort.Strings(out)
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeDirs completes a folder.
func completeDirs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}
