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
	"flag"
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

// screenshotDir is where the test keeps its screenshots, so that a person
// (or CI, which archives them) can look at them after the run:
//
//   - $SPLHARNESS_SCREENSHOTS when set (.ci/run sets .ci/out/screenshots);
//   - else, with `go test -artifacts -outputdir DIR`, the test's artifact
//     folder under DIR (testing.T.ArtifactDir);
//   - else splharness-docs-browser in the system's temporary folder.
//
// The test prints the path of every screenshot it writes.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("SPLHARNESS_SCREENSHOTS")
	if dir == "" {
		if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
			return t.ArtifactDir()
		}
		dir = filepath.Join(os.TempDir(), "splharness-docs-browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

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

	// Two sites: the embedded content (every test passes) and the fixture
	// (deprecated detections, a common problem).
	site, fixture := t.TempDir(), t.TempDir()
	if err := embeddedSite(t).WriteDir(site, HTML); err != nil {
		t.Fatal(err)
	}
	if err := fixtureSite(t).WriteDir(fixture, HTML); err != nil {
		t.Fatal(err)
	}
	fileURL := func(root, name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(root, name))}).String()
	}
	pageURL := func(name string) string { return fileURL(site, name) }
	shots := screenshotDir(t)

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

	// The published page's sections, in its order, and the story's facts.
	headings := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("main h2")).map(h => h.textContent.trim())`)
	var sections []string
	for _, h := range headings {
		if slices.Contains([]string{"Description", "Why it matters", "Detections", "Data Sources", "References"}, h) {
			sections = append(sections, h)
		}
	}
	if want := []string{"Description", "Why it matters", "Detections", "Data Sources", "References"}; !slices.Equal(sections, want) {
		t.Errorf("sections %q, want the published page's %q", sections, want)
	}
	facts := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("dl.facts dt, dl.facts dd")).map(e => e.textContent.trim())`)
	if want := []string{"Author", "Bhavin Patel, Splunk", "Date", "2025-03-25, modified 2026-05-13", "Product", "Splunk Enterprise, Splunk Enterprise Security, Splunk Cloud"}; !slices.Equal(facts, want) {
		t.Errorf("story facts %q, want %q", facts, want)
	}
	links := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#detections td[data-label=Technique] a")).map(a => a.textContent + " " + a.href)`)
	if len(links) != 6 || !slices.Contains(links, "Disable or Modify Cloud Logs https://attack.mitre.org/techniques/T1562/008/") {
		t.Errorf("technique links %q, want six, T1562.008's to https://attack.mitre.org/techniques/T1562/008/", links)
	}
	shot(t, ctx, shots, "story.png", "the story page (1280 wide)")

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

	// The detection page: its search one command per line, highlighted by
	// our style sheet.
	do("loading a detection page", chromedp.Navigate(pageURL("detections/aws_bedrock_delete_knowledge_base.html")), chromedp.WaitVisible(chromedp.CSS("pre.spl")))
	lines := eval[[]string](t, ctx, `document.querySelector("pre.spl").textContent.split("\n").map(l => l.split(" ")[0] + " " + (l.split(" ")[1] || ""))`)
	if want := []string{"`cloudtrail` eventSource=bedrock.amazonaws.com", "| rename", "| stats", "| `security_content_ctime(firstTime)`", "| `security_content_ctime(lastTime)`", "| `aws_bedrock_delete_knowledge_base_filter`"}; !slices.Equal(lines, want) {
		t.Errorf("the search's lines start %q, want one command per line %q", lines, want)
	}
	commands := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("pre.spl")[0].querySelectorAll("span.c")).map(s => s.textContent)`)
	if want := []string{"rename", "stats"}; !slices.Equal(commands, want) {
		t.Errorf("highlighted commands %q, want %q", commands, want)
	}
	// Every class has a colour of its own, none of them the text's.
	colours := eval[map[string]string](t, ctx, `(() => {
		const pre = document.querySelector("pre.spl"), out = {text: getComputedStyle(pre).color};
		for (const c of ["c", "f", "k", "a", "m", "p"]) {
			const s = pre.querySelector("span." + c);
			out[c] = s ? getComputedStyle(s).color : "missing";
		}
		return out;
	})()`)
	if colours["c"] != "rgb(5, 80, 174)" {
		t.Errorf("a command is coloured %s, want the style sheet's rgb(5, 80, 174)", colours["c"])
	}
	seenColour := map[string]string{}
	for class, colour := range colours {
		if colour == "missing" {
			t.Errorf("no span of class %q in the search", class)
		} else if other, dup := seenColour[colour]; dup && !(class+other == "kp" || class+other == "pk") { // keywords and pipes share red
			t.Errorf("classes %q and %q are both %s", class, other, colour)
		}
		seenColour[colour] = class
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#search")))
	if err != nil {
		t.Fatalf("screenshot of the search: %v", err)
	}
	if err := os.WriteFile(filepath.Join(shots, "search.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the highlighted search: %s", filepath.Join(shots, "search.png"))
	click("attack", 0)
	shot(t, ctx, shots, "detection.png", "a detection page, its search highlighted")

	// The index's filter box: typing hides the rows that do not match.
	do("loading the index", chromedp.Navigate(pageURL("index.html")), chromedp.WaitVisible(chromedp.CSS("#filter")))
	visible := func() []string {
		t.Helper()
		return eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#detections tbody tr")).filter(r => r.offsetParent !== null).map(r => r.cells[0].textContent.trim())`)
	}
	if got := visible(); len(got) != 5 {
		t.Fatalf("%d rows visible before filtering, want 5: %q", len(got), got)
	}
	filter := func(text string) {
		t.Helper()
		do("typing "+text, chromedp.Evaluate[chromedp.Void](`document.getElementById("filter").value = ""`), chromedp.SendKeys(chromedp.CSS("#filter"), text))
	}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"t1562.008", []string{"AWS Bedrock Delete GuardRails", "AWS Bedrock Delete Model Invocation Logging Configuration"}},
		{"Cloud Logs", []string{"AWS Bedrock Delete GuardRails", "AWS Bedrock Delete Model Invocation Logging Configuration"}},
		{"DeleteKnowledgeBase", []string{"AWS Bedrock Delete Knowledge Base"}},
		{"valid pass", []string{"AWS Bedrock Invoke Model Access Denied"}},
		{"no-such-thing", nil},
	} {
		filter(tc.text)
		if got := visible(); !slices.Equal(got, tc.want) {
			t.Errorf("filter %q shows %q, want %q", tc.text, got, tc.want)
		}
	}
	if none := eval[bool](t, ctx, `!document.getElementById("filter-none").hidden`); !none {
		t.Error("no row matches, and the page does not say so")
	}
	filter("T1562")
	if count := eval[string](t, ctx, `document.getElementById("filter-count").textContent`); count != "2 of 5 shown" {
		t.Errorf("the filter's count says %q, want 2 of 5 shown", count)
	}
	shot(t, ctx, shots, "index-filtered.png", `the index filtered by "T1562"`)

	// The fixture's index: a common problem said once, deprecated
	// detections marked, and the filter finds them.
	do("loading the fixture's index", chromedp.Navigate(fileURL(fixture, "index.html")), chromedp.WaitVisible(chromedp.CSS("#filter")))
	filter("deprecated")
	if got, want := visible(), []string{"S3 Bucket Listed deprecated", "S3 Bucket Policy Deleted deprecated"}; !slices.Equal(got, want) {
		t.Errorf("filter deprecated shows %q, want %q", got, want)
	}
	if problems := eval[int](t, ctx, `document.querySelectorAll("#problems .problem").length`); problems != 1 {
		t.Errorf("%d common problems on the fixture's index, want 1", problems)
	}
	shot(t, ctx, shots, "fixture-index-filtered.png", `the fixture's index filtered by "deprecated"`)
	do("loading the fixture's story", chromedp.Navigate(fileURL(fixture, "stories/suspicious_cloud_storage_activity.html")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if refs := eval[int](t, ctx, `document.querySelectorAll('#detections a.problem-ref[href="../index.html#problem-1"]').length`); refs != 4 {
		t.Errorf("the fixture's story page refers to problem 1 from %d rows, want 4", refs)
	}
	shot(t, ctx, shots, "fixture-story.png", "the fixture's story page (deprecated detections, a common problem)")

	// On a phone: each page fits the screen's width (tables turn into
	// cards, a long word wraps).
	do("emulating a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	for _, pg := range []struct{ name, shot string }{
		{"stories/aws_bedrock_security.html", "story-phone.png"},
		{"detections/aws_bedrock_invoke_model_access_denied.html", "detection-phone.png"},
		{"index.html", "index-phone.png"},
	} {
		do("loading "+pg.name+" on a phone", chromedp.Navigate(pageURL(pg.name)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow > 0 {
			t.Errorf("on a 390px phone %s is %dpx wider than the screen", pg.name, overflow)
		}
		shot(t, ctx, shots, pg.shot, pg.name+" on a 390px phone")
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

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// shot writes a screenshot of the whole page into dir and prints its path.
func shot(t *testing.T, ctx context.Context, dir, name, what string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", what, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s: %s", what, path)
}
