package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/splharness/splharness/harness/gen"
)

type genParams struct {
	streams
	size    string
	seed    uint64
	out     string
	every   int
	profile string
}

func newGenCommand(s streams) *cobra.Command {
	p := &genParams{streams: s}
	cmd := &cobra.Command{
		Use:   "gen [--size 100MB] [--seed N] [--attack-every N] [--profile NAME] [--out FILE]",
		Short: "Write realistic CloudTrail records with planted AWS Bedrock attacks",
		Long: `Write newline-delimited CloudTrail records across services and identity types, deterministically
(the same seed and size give the same bytes), with AWS Bedrock attack activity planted at known places:
a burst every --attack-every records, and at least one, after the records when the size holds fewer.
The planted counts are printed on standard error.

--profile chooses the mix of the other records: "default", where Bedrock calls are rare, or
"bedrock-heavy", an account that uses Bedrock a lot: about a quarter of the records are benign
Bedrock calls (mostly InvokeModel and Converse by application roles, model catalog reads from the
console and SDKs), by some 230 users and roles, with throttling, validation and access errors that
no detection should report.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return exitCode(runGen(p)) },
	}
	cmd.Flags().StringVar(&p.size, "size", "10MB", "approximate size: bytes, or with KB, MB or GB")
	cmd.Flags().Uint64Var(&p.seed, "seed", 1, "random seed")
	cmd.Flags().StringVar(&p.out, "out", "-", "output file, - for standard output")
	cmd.Flags().IntVar(&p.every, "attack-every", 20000, "plant one attack burst every N records")
	cmd.Flags().StringVar(&p.profile, "profile", "default", "mix of background records: "+strings.Join(gen.Profiles(), " or "))
	_ = cmd.RegisterFlagCompletionFunc("profile", cobra.FixedCompletions(gen.Profiles(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(strings.TrimSpace(s))
	for suffix, m := range map[string]int64{"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30} {
		if strings.HasSuffix(u, suffix) {
			mult, u = m, strings.TrimSuffix(u, suffix)
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(u), 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad --size %q", s)
	}
	return int64(n * float64(mult)), nil
}

func runGen(p *genParams) int {
	size, err := parseSize(p.size)
	if err != nil {
		fmt.Fprintf(p.err, "splharness gen: %v\n", err)
		return exitError
	}
	if !slices.Contains(gen.Profiles(), p.profile) {
		fmt.Fprintf(p.err, "splharness gen: unknown --profile %q (known: %s)\n", p.profile, strings.Join(gen.Profiles(), ", "))
		return exitError
	}
	var w io.Writer = p.streams.out
	if p.out != "-" {
		f, err := os.Create(p.out)
		if err != nil {
			fmt.Fprintf(p.err, "splharness gen: %v\n", err)
			return exitError
		}
		defer f.Close()
		w = f
	}
	planted, err := gen.Write(w, gen.Config{Bytes: size, Seed: p.seed, AttackEvery: p.every, Profile: p.profile})
	if err != nil {
		fmt.Fprintf(p.err, "splharness gen: %v\n", err)
		return exitError
	}
	if planted.AtEnd {
		fmt.Fprintf(p.err, "note: --size %s holds fewer records than --attack-every %d: the one attack burst follows them, so every detection still fires\n", p.size, p.every)
	}
	fmt.Fprintf(p.err, "%d records, %d bytes; planted: %d bursts, %d DeleteGuardrail, %d DeleteKnowledgeBase, %d DeleteModelInvocationLoggingConfiguration, %d InvokeModel AccessDenied, %d ListFoundationModels AccessDenied\n",
		planted.Records, planted.Bytes, planted.Bursts, planted.DeleteGuardrail, planted.DeleteKnowledgeBase, planted.DeleteLogging, planted.InvokeModelDenied, planted.ListModelsDenied)
	return exitOK
}
