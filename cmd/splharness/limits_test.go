package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileSearches: searches that crashed, hung or ran out of memory
// stop with exit 2 and an error naming the limit (docs/reliability.md);
// limits above their hard cap are refused. Small inputs and small limits
// show each case quickly.
func TestHostileSearches(t *testing.T) {
	clock = fixedClock
	for _, c := range []struct {
		name string
		args []string
		want string // in stderr
		code int
	}{
		{"100 KB of unary minus", []string{"search", "| makeresults | eval x=" + strings.Repeat("-", 100_000) + "1"}, "expression nested more than 100 deep (max_nesting)", 2},
		{"a 50,000-term chain", []string{"search", "| makeresults | eval x=" + strings.Repeat("1+", 50_000) + "1"}, "expression more than 10000 levels tall", 2},
		{"max_nesting=1000 is honoured", []string{"search", "--limit", "max_nesting=1000", "| makeresults | eval x=" + strings.Repeat("-", 999) + "1 | stats count"}, "", 0},
		{"max_nesting over its hard cap", []string{"search", "--limit", "max_nesting=1001", "| makeresults"}, "--limit max_nesting=1001: more than its hard cap of 1000", 2},
		{"makeresults count", []string{"search", "| makeresults count=100000000 | stats count"}, "makeresults: count=100000000 is more than 2000000 (limit maxresultrows)", 2},
		{"mvexpand rows", []string{"search", "--limit", "maxresultrows=50000", "| makeresults count=1000 | eval x=mvrange(0, 1000) | mvexpand x | stats count"}, "mvexpand: more than 50000 rows (limit maxresultrows)", 2},
		{"string doubled", []string{"search", "--limit", "max_value_bytes=1000000", "| makeresults | eval x=\"ab\"" + strings.Repeat(" | eval x=x.x", 30) + " | eval n=len(x)"}, "the . operator: a value of 1048576 bytes, more than 1000000 (limit max_value_bytes)", 2},
		{"nested mvappend", []string{"search", "| makeresults | eval m=mvappend(1, 2)" + strings.Repeat(" | eval m=mvappend(m, m)", 30) + " | eval n=mvcount(m)"}, "more than 100000 (limit max_mv_values)", 2},
		{"top over many groups", []string{"search", "--limit", "max_groups=1000", "| makeresults count=5000 | streamstats count AS n | top 0 n"}, "top: more than 1000 groups (limit max_groups)", 2},
		{"regex budget", []string{"search", "--limit", "regex_budget_ms=200", "| makeresults count=400 | eval s=\"" + strings.Repeat("a", 40) + "!\" | where match(s, \"^(a+)+(?=b)\") | stats count"}, "(limit regex_budget_ms)", 2},
		{"eval function errors are reported", []string{"search", "| makeresults count=2 | eval y=substr(\"abc\", \"q\") | stats count"}, "warning: substr(): 2 call(s) failed and gave null, first: substr: start is not a number", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(c.args, strings.NewReader(""), &out, &errOut)
			if code != c.code || !strings.Contains(errOut.String(), c.want) {
				msg := errOut.String()
				if len(msg) > 2000 {
					msg = msg[:2000] + "..."
				}
				t.Errorf("exit %d, want %d with %q in stderr:\n%s", code, c.code, c.want, msg)
			}
		})
	}
}

// TestKnowledgeRegexTimeoutReported: a props.conf EXTRACT- whose regular
// expression times out extracts nothing, and search says so: a count on
// the summary line and a warning naming the rule.
func TestKnowledgeRegexTimeoutReported(t *testing.T) {
	clock = fixedClock
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "app", "default"), 0o755); err != nil {
		t.Fatal(err)
	}
	props := "[slow:test]\nEXTRACT-slow = (?<word>(\\w+\\s?)+)(?=$)\n"
	if err := os.WriteFile(filepath.Join(dir, "app", "default", "props.conf"), []byte(props), 0o644); err != nil {
		t.Fatal(err)
	}
	data := `{"eventTime":"2026-11-01T10:00:00Z","msg":"` + strings.Repeat("a", 40) + `!"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "events.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"search", "--app", filepath.Join(dir, "app"), "--data", filepath.Join(dir, "events.json"), "--sourcetype", "slow:test", "* | table word"}, strings.NewReader(""), &out, &errOut)
	for _, want := range []string{"; 1 regex time-outs", "(EXTRACT-slow of [slow:test]): 1 match(es) took longer than the time limit"} {
		if code != 0 || !strings.Contains(errOut.String(), want) {
			t.Errorf("exit %d, want 0 with %q in stderr:\n%s", code, want, errOut.String())
		}
	}
	// With the rule's regex budget spent, the search fails naming it.
	errOut.Reset()
	code = run([]string{"search", "--limit", "regex_budget_ms=1", "--app", filepath.Join(dir, "app"), "--data", filepath.Join(dir, "events.json"), "--sourcetype", "slow:test", "* | table word"}, strings.NewReader(""), &out, &errOut)
	if want := "regular expression of EXTRACT-slow of [slow:test] took more than its budget of 1ms in all (limit regex_budget_ms)"; code != exitError || !strings.Contains(errOut.String(), want) {
		t.Errorf("exit %d, want %d with %q in stderr:\n%s", code, exitError, want, errOut.String())
	}
}

// rlimitChild names the environment variable that makes the test binary,
// run again by TestHostileSearchesUnderRlimit, a child with an
// address-space limit.
const rlimitChild = "SPLHARNESS_RLIMIT_CHILD"

// TestHostileSearchesUnderRlimit: searches that ran out of memory (a
// string doubled to gigabytes, nested mvappend, an mvexpand of 10^10 rows,
// sort of many rows) stop with their limit error at the default limits,
// in a child process whose address space is capped at 3 GB: memory is
// bounded by the limits, not by luck.
func TestHostileSearchesUnderRlimit(t *testing.T) {
	cases := []struct {
		name, search, want string
		limits             []string
	}{
		{"string doubled", "| makeresults | eval x=\"ab\"" + strings.Repeat(" | eval x=x.x", 40) + " | eval n=len(x)", "limit max_value_bytes", nil},
		{"nested mvappend", "| makeresults | eval m=mvappend(1, 2)" + strings.Repeat(" | eval m=mvappend(m, m)", 40) + " | eval n=mvcount(m)", "limit max_mv_values", nil},
		{"mvexpand of 10^10 rows", "| makeresults count=100000 | eval x=mvrange(0, 100000) | mvexpand x | stats count", "limit maxresultrows", []string{"--limit", "maxresultrows=200000"}},
		{"makeresults count", "| makeresults count=100000000 | stats count", "limit maxresultrows", nil},
	}
	if os.Getenv(rlimitChild) != "" {
		lim := syscall.Rlimit{Cur: 3 << 30, Max: 3 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			var out, errOut bytes.Buffer
			args := append(append([]string{"search"}, c.limits...), c.search)
			code := run(args, strings.NewReader(""), &out, &errOut)
			if code != exitError || !strings.Contains(errOut.String(), c.want) {
				t.Errorf("%s: exit %d, want %d with %q:\n%.2000s", c.name, code, exitError, c.want, errOut.String())
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileSearchesUnderRlimit$")
	cmd.Env = append(os.Environ(), rlimitChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// TestCalculatedFieldErrors: a props.conf EVAL- whose expression hits a
// cap fails the search naming the limit; one whose function fails gives
// null, as in Splunk, with a warning.
func TestCalculatedFieldErrors(t *testing.T) {
	clock = fixedClock
	for _, c := range []struct {
		name, eval, want string
		code             int
	}{
		{"cap", "EVAL-big = mvrange(0, 1000000)", "a calculated field (EVAL-): mvrange(): 1000000 values, more than 100000 (limit max_mv_values)", exitError},
		{"function error", "EVAL-big = substr(msg, \"q\")", "warning: in a calculated field (EVAL-): substr(): 1 call(s) failed and gave null", exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "app", "default"), 0o755); err != nil {
				t.Fatal(err)
			}
			props := "[calc:test]\n" + c.eval + "\n"
			if err := os.WriteFile(filepath.Join(dir, "app", "default", "props.conf"), []byte(props), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "events.json"), []byte(`{"eventTime":"2026-11-01T10:00:00Z","msg":"abc"}`+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			code := run([]string{"search", "--app", filepath.Join(dir, "app"), "--data", filepath.Join(dir, "events.json"), "--sourcetype", "calc:test", "* | table big"}, strings.NewReader(""), &out, &errOut)
			if code != c.code || !strings.Contains(errOut.String(), c.want) {
				t.Errorf("exit %d, want %d with %q in stderr:\n%s", code, c.code, c.want, errOut.String())
			}
		})
	}
}

// TestLimitErrorPlacedInItsSearch: of several searches run in one pass,
// the one that hits a limit has its error shown in its own text, at the
// command that hit it, whichever place it has among the searches.
func TestLimitErrorPlacedInItsSearch(t *testing.T) {
	clock = fixedClock
	small := "| makeresults count=3 | stats count"
	over := "| makeresults count=100 | streamstats count AS n | top 0 n"
	for _, order := range [][]string{{small, over}, {over, small}} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"search", "--limit", "max_groups=10"}, order...), strings.NewReader(""), &out, &errOut)
		want := "<search>:1:52: limit: top: more than 10 groups (limit max_groups)\n  " + over + "\n" + strings.Repeat(" ", 2+51) + "^\n"
		if code != 2 || errOut.String() != want {
			t.Errorf("searches %q: exit %d, stderr:\n%s\nwant exit 2, stderr:\n%s", order, code, errOut.String(), want)
		}
	}
}
