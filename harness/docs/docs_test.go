package docs

import (
	"flag"
	"github.com/splharness/splharness/spl/golden"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The rows of the published AWS Bedrock Security story page
// (https://research.splunk.com/stories/aws_bedrock_security/), written
// out: what the generated page must show whether or not the page's text
// is at hand (SPLHARNESS_REFERENCE_PAGE).
var (
	wantDetectionRows = [][]string{
		{"AWS Bedrock Delete GuardRails", "Disable or Modify Cloud Logs", "TTP"},
		{"AWS Bedrock Delete Knowledge Base", "Data Destruction", "TTP"},
		{"AWS Bedrock Delete Model Invocation Logging Configuration", "Disable or Modify Cloud Logs", "TTP"},
		{"AWS Bedrock High Number List Foundation Model Failures", "Cloud Infrastructure Discovery", "TTP"},
		{"AWS Bedrock Invoke Model Access Denied", "Valid Accounts, Use Alternate Authentication Material", "TTP"},
	}
	wantDataSourceRows = [][]string{
		{"AWS CloudTrail", "AWS", "aws:cloudtrail", "aws_cloudtrail"},
		{"AWS CloudTrail DeleteGuardrail", "AWS", "aws:cloudtrail", "aws_cloudtrail"},
		{"AWS CloudTrail DeleteKnowledgeBase", "AWS", "aws:cloudtrail", "aws_cloudtrail"},
		{"AWS CloudTrail DeleteModelInvocationLoggingConfiguration", "AWS", "aws:cloudtrail", "aws_cloudtrail"},
	}
)

// embeddedSite builds the pages of the embedded content, with the results
// of running its tests on the embedded attack data.
func embeddedSite(t testing.TB) *Site {
	t.Helper()
	c, err := harness.Load(detections.FS(), "(embedded)")
	if err != nil {
		t.Fatal(err)
	}
	var apps []conf.App
	for _, fsys := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: fsys, Name: "(built-in)"})
	}
	env := harness.NewEnv(apps, time.Now())
	var results []harness.Result
	env.RunTests(c, harness.TestOptions{AttackData: attackdata.FS()}, func(r harness.Result) { results = append(results, r) })
	if len(results) == 0 {
		t.Fatal("the embedded content ran no tests")
	}
	return New(c, results)
}

// render renders a site into a map of file name to content.
func render(t testing.TB, s *Site, f Format) map[string]string {
	t.Helper()
	files := map[string]string{}
	if err := s.Render(f, func(name string, b []byte) error {
		if _, dup := files[name]; dup {
			t.Errorf("%s written twice", name)
		}
		files[name] = string(b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return files
}

// checkGolden compares got with testdata/name (go test -update rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

func TestGolden(t *testing.T) {
	site := embeddedSite(t)
	md := render(t, site, Markdown)
	html := render(t, site, HTML)
	checkGolden(t, "aws_bedrock_security.md", md["stories/aws_bedrock_security.md"])
	checkGolden(t, "aws_bedrock_security.html", html["stories/aws_bedrock_security.html"])
	checkGolden(t, "aws_bedrock_invoke_model_access_denied.md", md["detections/aws_bedrock_invoke_model_access_denied.md"])
	checkGolden(t, "index.md", md["index.md"])
}

// TestStoryMatchesReference checks the generated Markdown story page
// against the published page: title, sections in order, and exactly its
// detection and data-source rows.
func TestStoryMatchesReference(t *testing.T) {
	page := render(t, embeddedSite(t), Markdown)["stories/aws_bedrock_security.md"]
	if page == "" {
		t.Fatal("no page stories/aws_bedrock_security.md")
	}
	detHeader, detRows := mdTable(t, page, "Detections")
	dsHeader, dsRows := mdTable(t, page, "Data Sources")
	if want := []string{"Name", "Technique", "Type"}; !slices.Equal(detHeader[:3], want) {
		t.Errorf("detection columns %q, want %q first", detHeader, want)
	}
	if want := []string{"Name", "Platform", "Sourcetype", "Source"}; !slices.Equal(dsHeader, want) {
		t.Errorf("data source columns %q, want %q", dsHeader, want)
	}
	var gotDet [][]string
	for _, r := range detRows {
		gotDet = append(gotDet, r[:3])
		if r[3] != "pass" {
			t.Errorf("%s: test status %q, want pass", r[0], r[3])
		}
	}
	if diff := cmp.Diff(wantDetectionRows, gotDet); diff != "" {
		t.Errorf("detection rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDataSourceRows, dsRows); diff != "" {
		t.Errorf("data source rows (-want +got):\n%s", diff)
	}

	t.Run("reference page", func(t *testing.T) {
		ref, err := os.ReadFile(testenv.ReferencePage(t))
		if err != nil {
			t.Fatal(err)
		}
		checkReference(t, page, string(ref), gotDet, dsRows)
	})
}

// checkReference compares the generated page with the text of the
// published one: its title, its sections in order, and its rows.
func checkReference(t *testing.T, page, ref string, gotDet, dsRows [][]string) {
	text := strings.ReplaceAll(ref, "\r\n", "\n")
	if first, _, _ := strings.Cut(text, "\n"); !strings.Contains(page, "# "+first+"\n") {
		t.Errorf("the page's title is not the reference's %q", first)
	}
	var sections []string
	for _, l := range strings.Split(text, "\n") {
		switch l {
		case "Description", "Why it matters", "Detections", "Data Sources", "References":
			sections = append(sections, l)
		}
	}
	var ours []string
	for _, m := range regexp.MustCompile(`(?m)^## (.*)$`).FindAllStringSubmatch(page, -1) {
		if slices.Contains(sections, m[1]) {
			ours = append(ours, m[1])
		}
	}
	if len(sections) != 5 || !slices.Equal(ours, sections) {
		t.Errorf("sections %q, want the reference's %q in its order", ours, sections)
	}
	// The reference is text as a browser shows it: cells joined by
	// spaces, the platform cell as its icon's alt text and its name.
	var refDet, wantDet, refDS, wantDS []string
	refDet = referenceRows(t, text, "Name ▲▼ Technique ▲▼ Type ▲▼")
	refDS = referenceRows(t, text, "Name ▲▼ Platform ▲▼ Sourcetype ▲▼ Source ▲▼")
	for _, r := range gotDet {
		wantDet = append(wantDet, strings.Join(r, " "))
	}
	for _, r := range dsRows {
		wantDS = append(wantDS, strings.Join([]string{r[0], r[1] + " icon " + r[1], r[2], r[3]}, " "))
	}
	if diff := cmp.Diff(refDet, wantDet); diff != "" {
		t.Errorf("detection rows against the reference page (-reference +generated):\n%s", diff)
	}
	if diff := cmp.Diff(refDS, wantDS); diff != "" {
		t.Errorf("data source rows against the reference page (-reference +generated):\n%s", diff)
	}
}

// referenceRows are the lines below a table header of the reference page,
// up to the blank line that ends the table.
func referenceRows(t *testing.T, text, header string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n"+header+"\n")
	if !ok {
		t.Fatalf("the reference page has no table headed %q", header)
	}
	body, _, _ := strings.Cut(rest, "\n\n")
	return strings.Split(strings.TrimSpace(body), "\n")
}

// mdTable parses the first table of a "## section" of a Markdown page:
// its header and rows, cells unescaped and links reduced to their text.
func mdTable(t *testing.T, page, section string) ([]string, [][]string) {
	t.Helper()
	_, rest, ok := strings.Cut(page, "\n## "+section+"\n")
	if !ok {
		t.Fatalf("no section %q", section)
	}
	var lines []string
	for _, l := range strings.Split(rest, "\n") {
		if strings.HasPrefix(l, "|") {
			lines = append(lines, l)
		} else if len(lines) > 0 {
			break
		}
	}
	if len(lines) < 2 {
		t.Fatalf("section %q has no table", section)
	}
	header := mdCells(lines[0])
	var rows [][]string
	for _, l := range lines[2:] {
		cells := mdCells(l)
		if len(cells) != len(header) {
			t.Errorf("row %q has %d cells, the header %d", l, len(cells), len(header))
		}
		rows = append(rows, cells)
	}
	return header, rows
}

// mdLinkText is a link: an unescaped "[", its text, "](", its
// destination, ")".
var mdLinkText = regexp.MustCompile(`(^|[^\\])\[((?:\\.|[^\\\]])*)\]\([^)\s]*\)`)

// mdCells splits a GitHub table row at its unescaped pipes, as GitHub
// does, then undoes the escaping.
func mdCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		cells = append(cells, rest)
	}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		cells[i] = unescapeMD(mdLinkText.ReplaceAllString(c, "$1$2"))
	}
	return cells
}

var mdEscape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

func unescapeMD(s string) string { return mdEscape.ReplaceAllString(s, "$1") }

func TestNotRun(t *testing.T) {
	c, err := harness.Load(detections.FS(), "(embedded)")
	if err != nil {
		t.Fatal(err)
	}
	md := render(t, New(c, nil), Markdown)
	_, rows := mdTable(t, md["stories/aws_bedrock_security.md"], "Detections")
	for _, r := range rows {
		if r[3] != "not run" {
			t.Errorf("%s: status %q without a test run, want not run", r[0], r[3])
		}
	}
	if !strings.Contains(md["index.md"], "Tests were not run.") {
		t.Error("the index does not say the tests were not run")
	}
}

func TestSlug(t *testing.T) {
	for name, want := range map[string]string{
		"AWS Bedrock Security":              "aws_bedrock_security",
		"AWS Bedrock Delete GuardRails":     "aws_bedrock_delete_guardrails",
		"Suspicious Command-Line Execution": "suspicious_command_line_execution",
		"O365 Email: Süß / <x>":             "o365_email__s______x_",
		"":                                  "unnamed",
	} {
		if got := Slug(name); got != want {
			t.Errorf("Slug(%q) = %q, want %q", name, got, want)
		}
	}
	s := slugger{}
	if a, b, c := s.take("stories", "A-B"), s.take("stories", "A B"), s.take("detections", "A B"); a != "a_b" || b != "a_b_2" || c != "a_b" {
		t.Errorf("colliding slugs: %q %q %q", a, b, c)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a | b":                     `a \| b`,
		`C:\Windows\*.exe`:          `C:\\Windows\\\*.exe`,
		"line one\nline two":        "line one line two",
		"<script>alert(1)</script>": `\<script\>alert(1)\</script\>`,
		"`cloudtrail` macro":        "\\`cloudtrail\\` macro",
		"snake_case and _under_":    `snake_case and \_under\_`,
		"ATT&CK &amp; more":         `ATT&CK \&amp; more`,
		"# not a heading":           `\# not a heading`,
		"1. not a list":             `1\. not a list`,
		"- not a bullet":            `\- not a bullet`,
		"[x](javascript:alert(1))":  `\[x\](javascript:alert(1))`,
	} {
		if got := mdCell(in); got != want {
			t.Errorf("mdCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdURL("https://example.com/a|b"); got != "<https://example.com/a%7Cb>" {
		t.Errorf("mdURL with a pipe = %q", got)
	}
	if got := mdURL("javascript:alert(1)"); strings.HasPrefix(got, "<") {
		t.Errorf("mdURL made a link of %q", got)
	}
	var w md
	w.code("spl", "a ``` b\n```\nc")
	if !strings.HasPrefix(w.String(), "````spl\n") {
		t.Errorf("the fence does not outgrow the text's backticks:\n%s", w.String())
	}
}

// hostile is content whose YAML tries to break tables and inject HTML.
var hostile = fstest.MapFS{
	"stories/evil.yml": {Data: []byte(`name: "Evil | Story <script>alert('s')</script>"
id: 1
version: 3
description: "A | B\n<img src=x onerror=alert(1)>"
narrative: "# heading?\n1. list?"
references:
  - "javascript:alert(1)"
  - "https://example.com/?a=1&b=<2>"
`)},
	"detections/cloud/evil.yml": {Data: []byte(`name: "Evil | Detection <b>bold</b>"
id: 2
type: "TTP | Hunting"
description: "x"
search: "` + "`" + `undefined_macro` + "`" + ` | stats count | eval x=\"</code><script>alert(3)</script>\" ` + "```<img src=x>```" + `"
data_source:
  - "Source | With Pipe"
mitre_attack_id:
  - T1078
  - T9999
analytic_story:
  - "Evil | Story <script>alert('s')</script>"
tests:
  - name: "t | 1"
    attack_data:
      - data: "javascript:alert(2)"
`)},
}

func TestHostileContent(t *testing.T) {
	c, err := harness.Load(hostile, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	site := New(c, []harness.Result{{Detection: "Evil | Detection <b>bold</b>", Test: "t | 1", File: "detections/cloud/evil.yml", Status: harness.Error, Message: "line 1 | x\nline <2>"}})
	md := render(t, site, Markdown)
	story := md["stories/evil___story__script_alert__s____script_.md"]
	if story == "" {
		t.Fatalf("no story page among %v", keys(md))
	}
	_, rows := mdTable(t, story, "Detections")
	if want := [][]string{{"Evil | Detection <b>bold</b>", "Valid Accounts, T9999", "TTP | Hunting", "error"}}; !cmp.Equal(rows, want) {
		t.Errorf("detection rows %q, want %q", rows, want)
	}
	_, rows = mdTable(t, story, "Data Sources")
	if want := [][]string{{"Source | With Pipe (no data source object)", "", "", ""}}; !cmp.Equal(rows, want) {
		t.Errorf("data source rows %q, want %q", rows, want)
	}
	// Raw HTML needs an unescaped '<'; a link, an unescaped '['.
	unsafe := regexp.MustCompile(`(^|[^\\])<(script|img|b>|javascript)|(^|[^\\])\]\(javascript:`)
	for name, page := range md {
		if m := unsafe.FindString(outsideCode(page)); m != "" {
			t.Errorf("%s contains %q:\n%s", name, m, page)
		}
	}
	if det := md["detections/evil___detection__b_bold__b_.md"]; !strings.Contains(det, "````spl\n`undefined_macro`\n| stats count\n| eval x=\"</code><script>") {
		t.Errorf("the search is not in a fenced block its text cannot close:\n%s", det)
	}
	html := render(t, site, HTML)
	for name, page := range html {
		for _, bad := range []string{"<script>alert", "<img", "<b>bold", `href="javascript:`} {
			if strings.Contains(page, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
		if n := strings.Count(page, "<script>"); n != 1 {
			t.Errorf("%s has %d script elements, want only ours", name, n)
		}
	}
	det := html["detections/evil___detection__b_bold__b_.html"]
	for _, want := range []string{"&lt;b&gt;bold&lt;/b&gt;", "The macros do not expand", "not in the ATT&amp;CK table", "line &lt;2&gt;"} {
		if !strings.Contains(det, want) {
			t.Errorf("the detection page lacks %q", want)
		}
	}
}

// outsideCode is a Markdown page without its fenced code blocks, where
// text is shown as written and HTML is inert.
func outsideCode(page string) string {
	var out []string
	fence := ""
	for _, l := range strings.Split(page, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case fence != "" && l == fence:
			fence = ""
		case fence == "":
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestHTMLSelfContained checks that the pages load nothing from elsewhere:
// every src and href is a page of the site, a fragment, a data: URL or a
// reference link the reader follows.
func TestHTMLSelfContained(t *testing.T) {
	for _, site := range []*Site{embeddedSite(t), fixtureSite(t)} {
		checkLinks(t, site)
	}
}

// checkLinks checks a site's pages: in HTML every src and href is a page of
// the site (and an element of it, for a fragment), a data: URL or an
// http(s) link the reader follows; in Markdown every link is a page (and a
// heading of it, for a fragment) or an ATT&CK technique.
func checkLinks(t *testing.T, site *Site) {
	t.Helper()
	html := render(t, site, HTML)
	attr := regexp.MustCompile(`(src|href)="([^"]*)"`)
	for name, page := range html {
		if !strings.Contains(page, `<meta name="viewport" content="width=device-width, initial-scale=1">`) {
			t.Errorf("%s has no viewport meta", name)
		}
		if strings.Contains(page, "<link rel=\"stylesheet\"") || strings.Contains(page, "<script src") {
			t.Errorf("%s loads an external asset", name)
		}
		for _, m := range attr.FindAllStringSubmatch(page, -1) {
			v := m[2]
			dest, frag, _ := strings.Cut(v, "#")
			switch {
			case m[1] == "href" && (strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")):
				// a reference, dataset or technique link, followed only on a click
			case v == "data:,":
			case strings.HasSuffix(dest, ".html"):
				target := filepath.ToSlash(filepath.Join(filepath.Dir(name), dest))
				if _, ok := html[target]; !ok {
					t.Errorf("%s links to %s, which is not a page", name, v)
				} else if frag != "" && !strings.Contains(html[target], `id="`+frag+`"`) {
					t.Errorf("%s links to %s, which has no element %q", name, v, frag)
				}
			default:
				t.Errorf("%s: unexpected %s=%q", name, m[1], v)
			}
		}
	}
	md := render(t, site, Markdown)
	for name, page := range md {
		for _, m := range regexp.MustCompile(`\]\(([^)]*)\)`).FindAllStringSubmatch(page, -1) {
			if strings.HasPrefix(m[1], "https://attack.mitre.org/") {
				if !mitreLink.MatchString(m[1]) {
					t.Errorf("%s links to %s, not an ATT&CK technique page", name, m[1])
				}
				continue
			}
			dest, frag, _ := strings.Cut(m[1], "#")
			target := filepath.ToSlash(filepath.Join(filepath.Dir(name), dest))
			if _, ok := md[target]; !ok {
				t.Errorf("%s links to %s, which is not a page", name, m[1])
			} else if frag != "" && !slices.Contains(headingAnchors(md[target]), frag) {
				t.Errorf("%s links to %s, whose page has no heading %q", name, m[1], frag)
			}
		}
	}
}

// headingAnchors are the anchors GitHub gives a page's headings: the text
// lowercased, spaces as "-", other punctuation dropped.
func headingAnchors(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^#+ (.*)$`).FindAllStringSubmatch(page, -1) {
		out = append(out, strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z':
				return r
			}
			return -1
		}, strings.ToLower(m[1])))
	}
	return out
}

// mitreLink is the page of a technique or sub-technique on attack.mitre.org.
var mitreLink = regexp.MustCompile(`^https://attack\.mitre\.org/techniques/T[0-9]{4}/([0-9]{3}/)?$`)

func TestLayout(t *testing.T) {
	for in, want := range map[string]string{
		"a | b | c":                       "a\n| b\n| c",
		`x="a | b" | y`:                   "x=\"a | b\"\n| y",
		`x="esc \" | q" | y`:              "x=\"esc \\\" | q\"\n| y",
		"a [search b | head 1] | c":       "a [search b | head 1]\n| c",
		"`m(a | b)` | c":                  "`m(a | b)`\n| c",
		"a ```c | d``` | e":               "a ```c | d```\n| e",
		"| tstats count | where count>1":  "| tstats count\n| where count>1",
		"a\n| b   |   c":                  "a\n| b\n|   c",
		"rex \"(?<x>a|b)\" | eval y=a||b": "rex \"(?<x>a|b)\"\n| eval y=a||b",
		"":                                "",
	} {
		if got := Layout(in); got != want {
			t.Errorf("Layout(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLayoutKeepsSearches checks on real detections that the laid-out
// search parses to the same query as the original.
func TestLayoutKeepsSearches(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { checkLayoutKeepsSearches(t, "embedded", detections.FS()) })
	t.Run("ESCU", func(t *testing.T) { checkLayoutKeepsSearches(t, "ESCU", os.DirFS(testenv.ESCU(t))) })
}

func checkLayoutKeepsSearches(t *testing.T, name string, fsys fs.FS) {
	c, err := harness.Load(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range c.Detections {
		if d.SearchSource() == nil {
			continue
		}
		exp, err := macro.Expand(d.SearchSource(), c.Macros, macro.Options{AutoFilter: true})
		if err != nil {
			continue
		}
		q1, err1 := spl.ParseString(exp.Text)
		q2, err2 := spl.ParseString(Layout(exp.Text))
		if (err1 == nil) != (err2 == nil) {
			t.Errorf("%s: parse errors differ: %v / %v", d.File, err1, err2)
			continue
		}
		if err1 == nil {
			checked++
			if a, b := spl.Format(q1), spl.Format(q2); a != b {
				t.Errorf("%s: the laid-out search parses differently:\n%s\n%s", d.File, a, b)
			}
		}
	}
	t.Logf("%s: %d searches parse the same laid out", name, checked)
}

// BenchmarkRenderESCU times building and rendering the pages of the ESCU
// checkout (no test run, no disk writes).
func BenchmarkRenderESCU(b *testing.B) {
	escu := testenv.ESCU(b)
	c, err := harness.Load(os.DirFS(escu), escu)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []Format{Markdown, HTML} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if err := New(c, nil).Render(f, func(string, []byte) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDataModelsShown: a detection page names the data models and
// datasets its search reads, and its story page the union of them.
func TestDataModelsShown(t *testing.T) {
	fsys := fstest.MapFS{
		"stories/s.yml": {Data: []byte("name: S\nid: 1\nversion: 1\ndescription: x\nnarrative: x\n")},
		"detections/cloud/a.yml": {Data: []byte("name: A\nid: 2\ntype: TTP\ndescription: x\nanalytic_story:\n  - S\n" +
			"search: '| tstats count from datamodel=Change where nodename=All_Changes.Account_Management by All_Changes.user'\n")},
		"detections/cloud/b.yml": {Data: []byte("name: B\nid: 3\ntype: TTP\ndescription: x\nanalytic_story:\n  - S\n" +
			"search: '| tstats count from datamodel=Authentication.Failed_Authentication by Authentication.user | append [| from datamodel:Change.Instance_Changes]'\n")},
	}
	c, err := harness.Load(fsys, "mem")
	if err != nil {
		t.Fatal(err)
	}
	site := New(c, nil)
	md, html := render(t, site, Markdown), render(t, site, HTML)
	for page, want := range map[string]string{
		"detections/a.md":   "- Data models: Change (All_Changes.Account_Management)\n",
		"detections/b.md":   "- Data models: Authentication (Failed_Authentication), Change (Instance_Changes)\n",
		"stories/s.md":      "- Data models: Change (All_Changes.Account_Management, Instance_Changes), Authentication (Failed_Authentication)\n",
		"detections/a.html": "<dt>Data models</dt><dd>Change (All_Changes.Account_Management)</dd>",
		"stories/s.html":    "<dt>Data models</dt><dd>Change (All_Changes.Account_Management, Instance_Changes), Authentication (Failed_Authentication)</dd>",
	} {
		got := md[page]
		if strings.HasSuffix(page, ".html") {
			got = html[page]
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s lacks %q:\n%s", page, want, got)
		}
	}
}
