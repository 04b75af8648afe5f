//go:build browser

// The browser test loads the HTML site in a real headless Chromium. It is
// behind the build tag "browser" so that a plain `go test ./...` needs no
// browser and does not build chromedp; CI runs it with
// `go test -tags browser ./harness/docs/...` after installing Debian's
// chromium. (Test files never link into the splharness binary either
// way.)

package docs

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotCopy is the fixed place a person can find the story page's
// screenshot after a run.
const screenshotCopy = "/tmp/splharness-story.png"

// chromium finds the browser: $SPLHARNESS_CHROMIUM when set (and only
// it), else chromium on $PATH or Debian's /usr/bin/chromium. It returns ""
// and what it tried when there is none.
func chromium() (string, []string) {
	if p := os.Getenv("SPLHARNESS_CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
		return "", []string{"SPLHARNESS_CHROMIUM=" + p}
	}
	tried := []string{"chromium on $PATH", "/usr/bin/chromium"}
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", tried
}

func TestBrowser(t *testing.T) {
	bin, tried := chromium()
	if bin == "" {
		msg := fmt.Sprintf("no Chromium found (tried %s); install it with `apt-get update && apt-get install -y --no-install-recommends chromium`, or set SPLHARNESS_CHROMIUM", strings.Join(tried, ", "))
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true: the browser test must run, but %s (.ci/run installs it)", msg)
		}
		t.Skipf("skipping the headless-browser test: %s", msg)
	}
	t.Logf("browser: %s", bin)

	site := t.TempDir()
	if err := embeddedSite(t).WriteDir(site, HTML); err != nil {
		t.Fatal(err)
	}
	pageURL := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(site, name))}).String()
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	start := time.Now()
	if err := chromedp.Do(browser); err != nil { // starts the browser, with no deadline on its life
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Logf("browser started in %s", time.Since(start).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()

	// Every console message of the tab, from here on.
	msgCtx, stopMessages := context.WithCancel(ctx)
	var (
		mu       sync.Mutex
		messages []chromedp.ConsoleMessage
		done     = make(chan struct{})
	)
	stream := chromedp.Console(msgCtx)
	go func() {
		defer close(done)
		for m, err := range stream {
			if err != nil {
				return
			}
			mu.Lock()
			messages = append(messages, m)
			mu.Unlock()
		}
	}()

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	column := func(table string, col int) []string {
		t.Helper()
		js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(r => r.cells[%d].textContent.trim())`, "#"+table+" tbody tr", col)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatalf("reading %s column %d: %v", table, col, err)
		}
		return v
	}
	sortState := func(table string, col int) string {
		t.Helper()
		js := fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-sort") || ""`, fmt.Sprintf("#%s th:nth-child(%d)", table, col+1))
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	click := func(table string, col int) {
		t.Helper()
		do(fmt.Sprintf("clicking header %d of %s", col+1, table),
			chromedp.Click(chromedp.CSS(fmt.Sprintf("#%s th:nth-child(%d) button", table, col+1))))
	}

	// The story page, as loaded: rows by name, ▲ lit on Name.
	do("loading the story page", chromedp.Navigate(pageURL("stories/aws_bedrock_security.html")), chromedp.WaitVisible(chromedp.CSS("#detections table")))
	names := column("detections", 0)
	var want []string
	for _, r := range wantDetectionRows {
		want = append(want, r[0])
	}
	if !slices.Equal(names, want) {
		t.Fatalf("detection rows as loaded: %q, want %q", names, want)
	}
	if st := sortState("detections", 0); st != "ascending" {
		t.Errorf("the Name header says %q as loaded, want ascending", st)
	}

	shots := filepath.Join(os.TempDir(), "splharness-docs-browser")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	desktop := filepath.Join(shots, "story.png")
	if err := os.WriteFile(desktop, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotCopy, png, 0o644); err != nil {
		t.Errorf("copying the screenshot: %v", err)
	}
	t.Logf("screenshot of the story page (1280 wide): %s (copied to %s)", desktop, screenshotCopy)

	// Clicking headers sorts the rows.
	click("detections", 0)
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if got := column("detections", 0); !slices.Equal(got, rev) {
		t.Errorf("after a click on Name: %q, want descending %q", got, rev)
	}
	if st := sortState("detections", 0); st != "descending" {
		t.Errorf("the Name header says %q after a click, want descending", st)
	}
	click("detections", 1)
	techniques := column("detections", 1)
	if !slices.IsSorted(techniques) {
		t.Errorf("after a click on Technique the rows are not sorted by it: %q", techniques)
	}
	if first := column("detections", 0)[0]; first != "AWS Bedrock High Number List Foundation Model Failures" {
		t.Errorf("sorting by Technique did not move whole rows: first row %q", first)
	}
	if st, old := sortState("detections", 1), sortState("detections", 0); st != "ascending" || old != "" {
		t.Errorf("after a click on Technique: its header %q (want ascending), Name's %q (want none)", st, old)
	}
	click("detections", 1)
	if got := column("detections", 1); !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("a second click on Technique did not sort descending: %q", got)
	}
	click("data-sources", 0)
	if got := column("data-sources", 0); got[0] != "AWS CloudTrail DeleteModelInvocationLoggingConfiguration" || got[len(got)-1] != "AWS CloudTrail" {
		t.Errorf("after a click on the data sources' Name: %q, want descending", got)
	}

	// The other kinds of page load cleanly too.
	for _, pg := range []struct{ name, table, shot string }{
		{"index.html", "detections", "index.png"},
		{"detections/aws_bedrock_invoke_model_access_denied.html", "attack", "detection.png"},
	} {
		do("loading "+pg.name, chromedp.Navigate(pageURL(pg.name)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		click(pg.table, 0)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot of %s: %v", pg.name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, pg.shot), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of %s: %s", pg.name, filepath.Join(shots, pg.shot))
	}

	// On a phone: each page fits the screen's width (tables turn into
	// cards, a long word wraps).
	do("emulating a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	for _, pg := range []struct{ name, shot string }{
		{"stories/aws_bedrock_security.html", "story-phone.png"},
		{"detections/aws_bedrock_invoke_model_access_denied.html", "detection-phone.png"},
	} {
		do("loading "+pg.name+" on a phone", chromedp.Navigate(pageURL(pg.name)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow > 0 {
			t.Errorf("on a 390px phone %s is %dpx wider than the screen", pg.name, overflow)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("phone screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(shots, pg.shot), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of %s on a 390px phone: %s", pg.name, filepath.Join(shots, pg.shot))
	}

	// A probe proves the console is being read; then no other error or
	// exception may be there.
	const probe = "splharness-console-probe"
	do("probing the console", chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.error(%q)", probe)))
	seen := false
	for deadline := time.Now().Add(10 * time.Second); !seen && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		seen = slices.ContainsFunc(messages, func(m chromedp.ConsoleMessage) bool { return strings.Contains(m.Text, probe) })
		mu.Unlock()
	}
	stopMessages()
	<-done
	if !seen {
		t.Fatalf("the console probe never arrived; messages: %v", messages)
	}
	for _, m := range messages {
		if strings.Contains(m.Text, probe) {
			continue
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			t.Errorf("console %s at %s:%d: %s", m.Type, m.URL, m.Line+1, m.Text)
		} else {
			t.Logf("console %s: %s", m.Type, m.Text)
		}
	}
}
