package exec_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/value"
)

// BenchmarkTagSearch: searches that select events by tag or event type,
// and data model searches (whose constraints are tags), with the add-on's
// knowledge over 2 MB of generated CloudTrail; "several" runs them all in
// one pass, where event type membership is shared. A raw-field search is
// the yardstick.
func BenchmarkTagSearch(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 2_000_000, Seed: 7}); err != nil {
		b.Fatal(err)
	}
	events := lines(strings.Split(strings.TrimSpace(buf.String()), "\n"))
	opts := addOn(b, true)
	opts.Workers = 1
	searches := map[string][]string{
		"raw":            {`eventName=RunInstances | stats count`},
		"tag_change":     {`tag=change | stats count`},
		"tag_auth":       {`tag=authentication | stats count`},
		"eventtype":      {`eventtype=aws_cloudtrail_ec2_events | stats count`},
		"tstats_change":  {`| tstats count from datamodel=Change by All_Changes.user`},
		"tstats_auth":    {`| tstats count from datamodel=Authentication by Authentication.user`},
		"several_tstats": {`| tstats count from datamodel=Change by All_Changes.user`, `| tstats count from datamodel=Change.Account_Management by All_Changes.action`, `| tstats count from datamodel=Change.Instance_Changes by All_Changes.object`, `| tstats count from datamodel=Authentication by Authentication.user`, `tag=change eventName=Delete* | stats count`},
	}
	for name, texts := range searches {
		b.Run(name, func(b *testing.B) {
			var plans []*exec.Plan
			var outs []func(*value.Row) error
			for _, text := range texts {
				q, err := spl.ParseString(text)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := exec.Compile(q, opts)
				if err != nil {
					b.Fatal(err)
				}
				plans = append(plans, plan)
				outs = append(outs, func(*value.Row) error { return nil })
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, errs := exec.RunAll(plans, events, outs); errs[0] != nil {
					b.Fatal(errs[0])
				}
			}
		})
	}
}
