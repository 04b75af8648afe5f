package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// orderContent writes a content root with enough macro files to be read
// in parallel, bad ones among them, whose warnings must come in file
// order.
func orderContent(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	macros := filepath.Join(dir, "macros")
	if err := os.Mkdir(macros, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(macros, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		switch i % 5 {
		case 3:
			write(fmt.Sprintf("m%02d.yml", i), "name: broken\ndefinition: [a\n")
		case 4:
			write(fmt.Sprintf("m%02d.yml", i), "name: twice\ndefinition: eventName=Twice\n")
		default:
			write(fmt.Sprintf("m%02d.yml", i), fmt.Sprintf("name: m%d\ndefinition: eventName=E%d\n", i, i))
		}
	}
	write("cloudtrail.yml", "name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\n")
	return dir
}

// TestSearchFirstProblemInOrder: with several searches, the searches
// parse ahead of their compilation, on other goroutines, and the macros
// load beside the knowledge; what is reported is still the problem of the
// first search that has one, in search order, after the macro files'
// warnings in file order, exactly as when that search runs alone.
func TestSearchFirstProblemInOrder(t *testing.T) {
	clock = fixedClock
	content := orderContent(t)
	const data = "testdata/events/bedrock.json"
	good := []string{"`cloudtrail` `m0` | stats count", "`m1` OR `m2` | stats count by eventName", "`twice` | table eventName"}
	syntax := "`cloudtrail` | stats count by"
	undefined := "`cloudtrail` | `no_such_macro`"
	unsupported := "* | eval x=nosuch(1) | frob"
	long := strings.Repeat("x", 300)
	run1 := func(stdin string, args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := run(args, testStdin(t, stdin), &out, &errOut)
		return out.String(), errOut.String(), code
	}
	base := []string{"search", "--content", content, "--data", data, "--limit", "max_query_bytes=200", "--format", "json"}
	for _, c := range []struct {
		name     string
		searches []string
		stdin    string
		// alone is the search whose run alone gives the same report.
		alone []string
		code  int
	}{
		{"compile error before a syntax error", append(append([]string{}, good...), unsupported, syntax), "", []string{unsupported}, exitError},
		{"syntax error before a compile error", append([]string{good[0], syntax, unsupported}, good...), "", []string{syntax}, exitError},
		{"undefined macro last", append(append([]string{}, good...), undefined), "", []string{undefined}, exitError},
		{"syntax error before an unreadable search", []string{good[0], syntax, "-"}, long, []string{syntax}, exitError},
		{"unreadable search after good ones", []string{good[0], good[1], "-", syntax}, long, []string{"-"}, exitError},
		{"all good", good, "", nil, exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run1(c.stdin, append(base, c.searches...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, c.code, errOut)
			}
			if !strings.Contains(errOut, "m03.yml") || strings.Index(errOut, "m03.yml") > strings.Index(errOut, "m08.yml") || strings.Index(errOut, "m09.yml") > strings.Index(errOut, "m14.yml") {
				t.Errorf("macro warnings missing or out of file order:\n%s", errOut)
			}
			if c.alone == nil {
				return
			}
			wantOut, wantErr, wantCode := run1(c.stdin, append(base, c.alone...)...)
			if out != wantOut || errOut != wantErr || code != wantCode {
				t.Errorf("report differs from the failing search's alone:\n got exit %d, stdout %q, stderr:\n%s\nwant exit %d, stdout %q, stderr:\n%s", code, out, errOut, wantCode, wantOut, wantErr)
			}
		})
	}
}

// TestSearchAppMacros: the macros of --app folders are there when the
// searches parse, ahead of the knowledge's loading, and their problems
// are reported after the content's macro files' and before the events'
// summary.
func TestSearchAppMacros(t *testing.T) {
	clock = fixedClock
	content := orderContent(t)
	app := t.TempDir()
	if err := os.MkdirAll(filepath.Join(app, "default"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := "[app_bedrock]\ndefinition = eventSource=bedrock.amazonaws.com\n\n[broken_stanza]\nargs = x\n"
	if err := os.WriteFile(filepath.Join(app, "default", "macros.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"search", "--content", content, "--app", app, "--data", "testdata/events/bedrock.json", "--format", "json",
		"`app_bedrock` | stats count", "`cloudtrail` `app_bedrock` | stats count by eventName"}
	if code := run(args, testStdin(t, ""), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d\nstderr: %s", code, errOut.String())
	}
	e := errOut.String()
	macroWarning, appWarning, summary := strings.Index(e, "m39.yml"), strings.Index(e, "broken_stanza"), strings.Index(e, "events read")
	if macroWarning < 0 || appWarning < 0 || summary < 0 || !(macroWarning < appWarning && appWarning < summary) {
		t.Errorf("warnings missing or out of order (macro files, then --app, then the summary):\n%s", e)
	}
	if !strings.Contains(out.String(), `"count"`) {
		t.Errorf("no counts: %s", out.String())
	}
}
