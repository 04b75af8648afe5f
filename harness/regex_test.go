package harness_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
)

// TestRegexTimeoutIsAnError: a test whose search's regular expression
// timed out is an error naming the time-out, never a pass, since a
// time-out counts as no match; a spent regex budget is an error naming
// regex_budget_ms (docs/reliability.md).
func TestRegexTimeoutIsAnError(t *testing.T) {
	own, err := fs.ReadFile(detections.FS(), "detections/cloud/aws_bedrock_delete_guardrails.yml")
	if err != nil {
		t.Fatal(err)
	}
	// A catastrophic pattern over a value built for it; the rows do not
	// depend on it, so only the time-out can make the test fail.
	slow := "eval slow_s=\"" + strings.Repeat("a", 40) + "!\", slow=if(match(slow_s, \"^(\\w+\\s?)+(?=$)\"), 1, 0) | fields - slow, slow_s | `aws_bedrock_delete_guardrails_filter`"
	text := strings.Replace(string(own), "`aws_bedrock_delete_guardrails_filter`", slow, 1)
	if text == string(own) {
		t.Fatal("the detection's search changed: update this test")
	}
	c := withDetections(t, map[string][]byte{"detections/cloud/a.yml": []byte(text)})
	for _, tc := range []struct {
		name   string
		budget time.Duration
		want   string
	}{
		{"time-outs", 0, "regex time-out(s), so the result is in doubt"},
		{"budget spent", time.Nanosecond, "limit regex_budget_ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env()
			e.Limits.RegexBudget = tc.budget
			var results []harness.Result
			e.RunTests(c, harness.TestOptions{AttackData: attackdata.FS()}, func(r harness.Result) { results = append(results, r) })
			if len(results) == 0 {
				t.Fatal("no results")
			}
			for _, r := range results {
				if r.Status != harness.Error || !strings.Contains(r.Message, tc.want) {
					t.Errorf("%s: %s %q, want an error with %q", r.Test, r.Status, r.Message, tc.want)
				}
			}
		})
	}
}
