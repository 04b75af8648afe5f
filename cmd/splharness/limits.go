package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/engine"
)

// limitDocs names the limits a user can set with --limit name=N, and what
// each caps. Each, when hit, is a clear error naming it.
var limitDocs = map[string]string{
	"max_query_bytes":    "longest search accepted, in bytes (default 1048576)",
	"max_nesting":        "deepest nesting of brackets, parentheses, calls and operators in a search (default 100, at most 1000)",
	"max_event_bytes":    "longest event; longer records are rejected (default 8388608, the aws:cloudtrail TRUNCATE)",
	"extraction_cutoff":  "leading bytes of each event that JSON fields are extracted from, as limits.conf [spath] extraction_cutoff (default 5000)",
	"max_subsearch_rows": "rows a subsearch returns to a search filter (default 10000)",
	"max_groups":         "groups of one stats, eventstats, streamstats, top, rare or dedup (default 1000000)",
	"max_value_bytes":    "bytes of one value an expression makes: a string, or a multivalue field's values together (default 67108864)",
	"max_mv_values":      "values of one multivalue field an expression makes (default 100000)",
	"max_mem_usage_mb":   "estimated memory one search may hold in sort, stats, eventstats, streamstats, dedup, top and events kept to sort newest first, in MB (default 4096)",
	"maxresultrows":      "rows one command holds (sort, eventstats, top, ...) or makes (makeresults, mvexpand), and events held to sort newest first (default 2000000)",
	"regex_budget_ms":    "milliseconds the backtracking regular-expression matches of one search, or of one props.conf extraction over the run, may take in all (default 5000)",
}

// limitCaps are the hard caps of the limits that have one: a larger
// value is refused rather than quietly lowered.
var limitCaps = map[string]int{
	"max_nesting": spl.MaxNestingCap,
}

// limits are the values given with --limit; zero means the default.
type limits map[string]int

// addLimitFlag adds --limit to a command.
func addLimitFlag(cmd *cobra.Command, l *[]string) {
	help := "set a limit, name=N (repeatable): " + strings.Join(limitNames(), ", ")
	addStringArray(cmd.Flags(), l, "limit", help)
}

// limitNames lists the limits' names in order.
func limitNames() []string {
	names := make([]string, 0, len(limitDocs))
	for n := range limitDocs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// parseLimits reads name=N pairs.
func parseLimits(args []string) (limits, error) {
	out := limits{}
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		if _, known := limitDocs[name]; !ok || !known {
			return nil, fmt.Errorf("--limit %q: want name=N with a name of: %s", a, strings.Join(limitNames(), ", "))
		}
		n, err := strconv.Atoi(value)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--limit %s: %q is not a positive number", name, value)
		}
		if c, ok := limitCaps[name]; ok && n > c {
			return nil, fmt.Errorf("--limit %s=%d: more than its hard cap of %d", name, n, c)
		}
		out[name] = n
	}
	return out, nil
}

// engineLimits are the --limit values that cap a search's compilation
// and run (max_event_bytes caps the input's records instead).
func engineLimits(l limits) engine.Limits {
	return engine.Limits{
		Parse:            spl.Limits{MaxBytes: l["max_query_bytes"], MaxDepth: l["max_nesting"]},
		MaxGroups:        l["max_groups"],
		MaxSubsearchRows: l["max_subsearch_rows"],
		RegexBudget:      time.Duration(l["regex_budget_ms"]) * time.Millisecond,
		MaxResultRows:    l["maxresultrows"],
		MaxValueBytes:    l["max_value_bytes"],
		MaxMVValues:      l["max_mv_values"],
		MaxMemMB:         l["max_mem_usage_mb"],
	}
}

// applyLimits sets --limit values on a harness environment.
func applyLimits(env *harness.Env, args []string) error {
	l, err := parseLimits(args)
	if err != nil {
		return err
	}
	env.Limits = harness.Limits{
		Limits:           engineLimits(l),
		MaxEventBytes:    l["max_event_bytes"],
		ExtractionCutoff: l["extraction_cutoff"],
	}
	env.Knowledge.SetRegexBudget(env.Limits.RegexBudget)
	return nil
}
