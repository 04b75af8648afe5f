package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// complete runs cobra's hidden __complete command, as the shell scripts
// of the completion command do, and returns the offered values (without
// their descriptions) and the directive line.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"__complete"}, args...), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

// TestCompletion: shell completion offers each subcommand's --format
// values, the content's detection and story names, folders and limits.
func TestCompletion(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
		// directive is cobra's number: 4 no file completion, 6 also no
		// space after the value, 16 folders only.
		directive string
	}{
		{"test formats", []string{"test", "--format", ""}, []string{"text", "json", "sarif", "github"}, ":4"},
		{"search formats", []string{"search", "--format", ""}, []string{"table", "json", "csv"}, ":4"},
		{"docs formats", []string{"docs", "--format", ""}, []string{"md", "html"}, ":4"},
		{"detections of the embedded content", []string{"test", "--detection", "aws bedrock delete"}, []string{"AWS Bedrock Delete GuardRails", "AWS Bedrock Delete Knowledge Base", "AWS Bedrock Delete Model Invocation Logging Configuration"}, ":4"},
		{"detections of --content", []string{"test", "--content", "testdata/broken_content", "--detection", ""}, []string{"AWS Bedrock Delete GuardRails"}, ":4"},
		{"detections of a missing --content", []string{"test", "--content", "testdata/nope", "--detection", ""}, nil, ":1"},
		{"stories", []string{"test", "--story", "AWS"}, []string{"AWS Bedrock Security"}, ":4"},
		{"folders", []string{"test", "--attack-data", ""}, nil, ":16"},
		{"limits", []string{"search", "--limit", "max_n"}, []string{"max_nesting="}, ":6"},
		{"subcommands", []string{"v"}, []string{"validate", "version"}, ":4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, directive := complete(t, c.args...)
			if !slices.Equal(got, c.want) || directive != c.directive {
				t.Errorf("got %q %s, want %q %s", got, directive, c.want, c.directive)
			}
		})
	}
}

// TestFormatCompletion: the --format values completion offers are those
// the subcommand accepts, as its error for an unknown format lists them.
func TestFormatCompletion(t *testing.T) {
	want := regexp.MustCompile(`\(want ([a-z, ]+)\)`)
	for name, values := range formats {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{name, "--format", "bogus"}
			switch name {
			case "parse", "search", "explain":
				args = append(args, "x")
			case "docs":
				args = append(args, "--out", t.TempDir())
			}
			if code := run(args, strings.NewReader(""), &out, &errOut); code != exitError {
				t.Fatalf("exit %d, want %d: %s", code, exitError, errOut.String())
			}
			m := want.FindStringSubmatch(errOut.String())
			if m == nil {
				t.Fatalf("the error lists no formats: %s", errOut.String())
			}
			accepted := strings.FieldsFunc(strings.ReplaceAll(m[1], " or ", ","), func(r rune) bool { return r == ',' || r == ' ' })
			if !slices.Equal(accepted, values) {
				t.Errorf("%s accepts %q, completion offers %q", name, accepted, values)
			}
		})
	}
}

// TestCompletionScripts: the completion command writes a script for each
// shell cobra supports, and refuses others as a usage error.
func TestCompletionScripts(t *testing.T) {
	cases := []struct {
		shell, want string
		code        int
	}{
		{"bash", "__start_splharness", 0},
		{"zsh", "#compdef splharness", 0},
		{"fish", "complete -c splharness", 0},
		{"powershell", "Register-ArgumentCompleter", 0},
		{"tcsh", "splharness completion: unexpected argument \"tcsh\" (see 'splharness completion --help')", 2},
	}
	for _, c := range cases {
		t.Run(c.shell, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run([]string{"completion", c.shell}, strings.NewReader(""), &out, &errOut)
			if code != c.code || !strings.Contains(out.String()+errOut.String(), c.want) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%.300s%s", code, c.code, c.want, out.String(), errOut.String())
			}
		})
	}
}
