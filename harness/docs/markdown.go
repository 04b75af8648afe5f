package docs

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/splharness/splharness/harness"
)

// markdownRenderer writes plain CommonMark with GitHub-style tables. Text
// from YAML is text, not Markdown: it is escaped so that it shows as
// written and can neither break a table nor inject HTML.
type markdownRenderer struct{}

// md builds one page.
type md struct{ bytes.Buffer }

func (w *md) heading(level int, text string) {
	t := mdText(text)
	if strings.HasSuffix(t, "#") {
		t = t[:len(t)-1] + "\\#" // else a closing sequence, dropped
	}
	fmt.Fprintf(w, "%s %s\n\n", strings.Repeat("#", level), t)
}

// prose writes YAML prose as paragraphs, or a placeholder when it is
// empty.
func (w *md) prose(s, none string) {
	ps := paragraphs(s)
	if len(ps) == 0 {
		fmt.Fprintf(w, "_%s_\n\n", none)
		return
	}
	for _, p := range ps {
		w.WriteString(mdText(p) + "\n\n")
	}
}

// table writes a GitHub-style table; cells are Markdown already (use
// mdCell for text).
func (w *md) table(header []string, rows [][]string) {
	w.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		w.WriteString(" --- |")
	}
	w.WriteString("\n")
	for _, r := range rows {
		w.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	w.WriteString("\n")
}

// code writes a fenced code block, its fence longer than any run of
// backticks in the text so that the text cannot close it.
func (w *md) code(info, text string) {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n", fence, info, strings.TrimRight(text, "\n"), fence)
}

// code1 writes an inline code span, its delimiters longer than any run
// of backticks in the text.
func (w *md) code1(text string) {
	ticks := strings.Repeat("`", longestRun(text, '`')+1)
	pad := ""
	if strings.HasPrefix(text, "`") || strings.HasSuffix(text, "`") {
		pad = " "
	}
	w.WriteString(ticks + pad + strings.ReplaceAll(text, "\n", " ") + pad + ticks)
}

func (w *md) references(refs []string) {
	if len(refs) == 0 {
		w.WriteString("_None._\n\n")
		return
	}
	for _, r := range refs {
		w.WriteString("- " + mdURL(r) + "\n")
	}
	w.WriteString("\n")
}

func (w *md) dataSources(rows []DataSourceRow) {
	if len(rows) == 0 {
		w.WriteString("_None._\n\n")
		return
	}
	var cells [][]string
	for _, r := range rows {
		name := mdCell(r.Name)
		if !r.Defined {
			name += " (no data source object)"
		}
		cells = append(cells, []string{name, mdCell(r.Platform), mdCell(r.Sourcetype), mdCell(r.Source)})
	}
	w.table([]string{"Name", "Platform", "Sourcetype", "Source"}, cells)
}

func (markdownRenderer) index(s *Site) ([]byte, error) {
	var w md
	w.heading(1, "Detection content: "+s.Title)
	fmt.Fprintf(&w, "%s, %s. %s\n\n", plural(len(s.Stories), "analytic story", "analytic stories"), plural(len(s.Detections), "detection", "detections"), mdText(s.TestSummary()))
	if len(s.Problems) > 0 {
		w.heading(2, "Common problems")
		w.WriteString("Errors that the tests of many detections share, said once here; each detection's page refers to them by number.\n\n")
		for _, pr := range s.Problems {
			w.heading(3, fmt.Sprintf("Problem %d", pr.N))
			fmt.Fprintf(&w, "%s of %s: %s\n\n", plural(pr.Results, "test", "tests"), plural(len(pr.Detections), "detection", "detections"), mdText(pr.Message))
			if a := s.Advice(pr); a != "" {
				for i, part := range codeSpans(a) {
					if i%2 == 1 {
						w.code1(part)
					} else {
						w.WriteString(mdText(part))
					}
				}
				w.WriteString("\n\n")
			}
			links := make([]string, len(pr.Detections))
			for i, d := range pr.Detections {
				links[i] = mdLink(d.Detection.Name, "detections/"+d.Slug+".md")
			}
			w.WriteString("Detections: " + strings.Join(links, ", ") + "\n\n")
		}
	}
	w.heading(2, "Analytic stories")
	var rows [][]string
	for _, p := range s.Stories {
		rows = append(rows, []string{mdLink(p.Story.Name, "stories/"+p.Slug+".md"), fmt.Sprint(len(p.Detections)), mdCell(StatusCounts(p.Detections))})
	}
	w.table([]string{"Name", "Detections", "Test status"}, rows)
	w.heading(2, "Detections")
	rows = nil
	for _, p := range s.Detections {
		var sources []string
		for _, ds := range p.DataSources {
			sources = append(sources, ds.Name)
		}
		rows = append(rows, []string{
			mdLink(p.Detection.Name, "detections/"+p.Slug+".md") + mdDeprecated(p),
			mdTechniques(p.Techniques, false),
			mdCell(strings.Join(sources, ", ")),
			mdCell(p.Detection.Type),
			mdStatus(p, ""),
		})
	}
	w.table([]string{"Name", "Technique", "Data source", "Type", "Test status"}, rows)
	return w.Bytes(), nil
}

func (markdownRenderer) story(s *Site, p *StoryPage) ([]byte, error) {
	var w md
	st := p.Story
	w.heading(1, "Analytics Story: "+st.Name)
	w.WriteString("[Index](../index.md)\n\n")
	date := orNone(mdText(p.Date))
	if p.Modified != "" {
		date += ", modified " + mdText(p.Modified)
	}
	fmt.Fprintf(&w, "- Author: %s\n- Date: %s\n- Product: %s\n", orNone(mdText(p.Author)), date, orNone(mdText(strings.Join(p.Products, ", "))))
	if len(p.DataModels) > 0 {
		fmt.Fprintf(&w, "- Data models: %s\n", mdDataModels(p.DataModels))
	}
	w.WriteString("\n")
	w.heading(2, "Description")
	w.prose(st.Description, "No description.")
	w.heading(2, "Why it matters")
	w.prose(st.Narrative, "No narrative.")
	w.heading(2, "Detections")
	if len(p.Detections) == 0 {
		w.WriteString("_No detection names this story._\n\n")
	} else {
		var rows [][]string
		for _, d := range p.Detections {
			rows = append(rows, []string{
				mdLink(d.Detection.Name, "../detections/"+d.Slug+".md") + mdDeprecated(d),
				mdTechniques(d.Techniques, true),
				mdCell(d.Detection.Type),
				mdStatus(d, "../"),
			})
		}
		w.table([]string{"Name", "Technique", "Type", "Test status"}, rows)
	}
	w.heading(2, "Data Sources")
	w.dataSources(p.DataSources)
	w.heading(2, "References")
	w.references(st.References)
	w.heading(2, "Test status")
	if s.Tested {
		fmt.Fprintf(&w, "%s (from splharness test; each detection's page has its datasets and messages).\n\n", mdText(StatusCounts(p.Detections)))
		for _, pr := range p.StoryProblems() {
			fmt.Fprintf(&w, "- %s on the index (%s here): %s\n", mdLink(fmt.Sprintf("Problem %d", pr.N), "../index.md#"+pr.ID()), plural(pr.Count, "detection", "detections"), mdText(pr.Message))
		}
		if len(p.StoryProblems()) > 0 {
			w.WriteString("\n")
		}
	} else {
		w.WriteString("Tests were not run for these pages.\n\n")
	}
	fmt.Fprintf(&w, "Source: %s | Version: %s\n", mdText(st.File), mdText(p.Version))
	return w.Bytes(), nil
}

func (markdownRenderer) detection(s *Site, p *DetectionPage) ([]byte, error) {
	var w md
	d := p.Detection
	w.heading(1, "Detection: "+d.Name)
	w.WriteString("[Index](../index.md)\n\n")
	if p.Deprecated != "" {
		fmt.Fprintf(&w, "> **Deprecated** (%s): this detection is retired; its page is kept for reference.\n\n", mdText(p.Deprecated))
	}
	var stories []string
	for _, l := range p.Stories {
		if l.Slug != "" {
			stories = append(stories, mdLink(l.Name, "../stories/"+l.Slug+".md"))
		} else {
			stories = append(stories, mdText(l.Name))
		}
	}
	fmt.Fprintf(&w, "- Type: %s\n- Status: %s\n- Analytic stories: %s\n", mdText(d.Type), mdText(d.Status), orNone(strings.Join(stories, ", ")))
	if len(p.DataModels) > 0 {
		fmt.Fprintf(&w, "- Data models: %s\n", mdDataModels(p.DataModels))
	}
	fmt.Fprintf(&w, "- Test status: %s\n- Source: %s | Version: %s\n\n", mdStatus(p, "../"), mdText(d.File), mdText(p.Version))
	w.heading(2, "Description")
	w.prose(d.Description, "No description.")
	w.heading(2, "Search")
	if d.Search == "" {
		w.WriteString("_No search._\n\n")
	} else {
		w.code("spl", p.Search)
		w.heading(3, "Macro-expanded")
		if p.ExpandError != "" {
			fmt.Fprintf(&w, "The macros do not expand: %s\n\n", mdText(p.ExpandError))
		} else {
			w.code("spl", p.Expanded)
		}
	}
	w.heading(2, "How to implement")
	w.prose(d.HowToImplement, "Not documented.")
	w.heading(2, "Known false positives")
	w.prose(d.KnownFalsePositives, "Not documented.")
	w.heading(2, "ATT&CK techniques")
	if len(p.Techniques) == 0 {
		w.WriteString("_None._\n\n")
	} else {
		var rows [][]string
		for _, t := range p.Techniques {
			name := mdCell(t.Name)
			if !t.Known {
				name = "(not in the ATT&CK table)"
			}
			id := mdCell(t.ID)
			if t.URL != "" {
				id = mdLink(t.ID, t.URL)
			}
			rows = append(rows, []string{id, name, mdCell(strings.Join(t.Tactics, ", "))})
		}
		w.table([]string{"ID", "Technique", "Tactics"}, rows)
	}
	w.heading(2, "Data Sources")
	w.dataSources(p.DataSources)
	w.heading(2, "References")
	w.references(d.References)
	w.heading(2, "Tests")
	if len(p.Tests) == 0 {
		w.WriteString("_This detection has no tests._\n\n")
	}
	for _, t := range p.Tests {
		title := orNone(t.Test.Name)
		if t.Test.Type != "" {
			title += " (" + t.Test.Type + ")"
		}
		w.heading(3, title)
		if len(t.Test.AttackData) == 0 {
			w.WriteString("_No datasets._\n\n")
		} else {
			var rows [][]string
			for _, a := range t.Test.AttackData {
				rows = append(rows, []string{mdURL(a.Data), mdCell(a.Sourcetype), mdCell(a.Source)})
			}
			w.table([]string{"Dataset", "Sourcetype", "Source"}, rows)
		}
		if !s.Tested {
			w.WriteString("Latest result: not run.\n\n")
			continue
		}
		if len(t.Results) == 0 {
			w.WriteString("Latest result: not run (the test run selected no such test).\n\n")
			continue
		}
		fmt.Fprintf(&w, "Latest result: %s.\n\n", t.Status)
		var rows [][]string
		var details []string
		for _, r := range t.Results {
			if r.Problem != nil {
				rows = append(rows, []string{mdCell(r.Test), mdCell(string(r.Status)), fmt.Sprint(r.Rows), mdProblemRef(r)})
				continue
			}
			first, rest := firstLine(r.Message)
			rows = append(rows, []string{mdCell(r.Test), mdCell(string(r.Status)), fmt.Sprint(r.Rows), mdCell(first)})
			if rest != "" {
				details = append(details, r.Message)
			}
		}
		w.table([]string{"Run", "Status", "Rows", "Message"}, rows)
		for _, m := range details {
			w.code("", m)
		}
	}
	return w.Bytes(), nil
}

// mdDeprecated marks a deprecated detection after its name.
// mdDataModels is "Change (All_Changes.Account_Management), Authentication".
func mdDataModels(us []harness.DataModelUse) string {
	var parts []string
	for _, u := range us {
		parts = append(parts, mdText(u.String()))
	}
	return strings.Join(parts, ", ")
}

func mdDeprecated(p *DetectionPage) string {
	if p.Deprecated == "" {
		return ""
	}
	return " **(deprecated)**"
}

// mdTechniques lists techniques, each linked to its ATT&CK page: by name
// (as the story pages do) or by id.
func mdTechniques(ts []Technique, byName bool) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		text := t.ID
		if byName {
			text = t.Name
		}
		if t.URL != "" {
			parts[i] = mdLink(text, t.URL)
		} else {
			parts[i] = mdCell(text)
		}
	}
	return strings.Join(parts, ", ")
}

// mdStatus is a detection's test status, with the common problems among
// its results linked on the index (root is the way back to it).
func mdStatus(p *DetectionPage, root string) string {
	out := mdCell(string(p.Status))
	var refs []string
	for _, pr := range p.Problems {
		refs = append(refs, mdLink(fmt.Sprintf("problem %d", pr.N), root+"index.md#"+pr.ID()))
	}
	if len(refs) > 0 {
		out += " (" + strings.Join(refs, ", ") + ")"
	}
	return out
}

// mdProblemRef is the message cell of a result that is an instance of a
// common problem: the problem's number, and what is particular to this
// instance (or the problem's message when nothing is).
func mdProblemRef(r ResultRow) string {
	text := r.Detail
	if text == "" {
		text = r.Problem.Message
	}
	return mdLink(fmt.Sprintf("Problem %d", r.Problem.N), "../index.md#"+r.Problem.ID()) + " on the index: " + mdCell(text)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// mdLink is a link with text from YAML and a destination we made (a slug
// path, safe as it is).
func mdLink(text, dest string) string {
	return "[" + mdCell(text) + "](" + dest + ")"
}

// autolinkable are URLs CommonMark turns into links when written <url>:
// http(s), no spaces, no angle brackets.
var autolinkable = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i:https?)://[^\s<>\x00-\x1f]+$`) })

// mdURL is a reference URL as a link when it is a plain http(s) URL, as
// text otherwise (a javascript: URL stays inert).
func mdURL(u string) string {
	u = strings.TrimSpace(u)
	if autolinkable().MatchString(u) {
		return "<" + strings.ReplaceAll(u, "|", "%7C") + ">"
	}
	return mdCell(u)
}

// entityLike is the start of a character reference, which CommonMark
// would decode: "&amp;", "&#42;".
var entityLike = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
})

// mdText escapes text for a Markdown paragraph so that it renders as
// written: the characters that start code, emphasis, links and images,
// raw HTML, strikethrough or a table cell are backslash-escaped, and so
// are the markers that would make a line a heading, quote or list.
func mdText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<', '>', '~', '|':
			b.WriteByte('\\')
		case '_':
			// Within a word, _ never makes emphasis: keep snake_case readable.
			if i == 0 || i == len(s)-1 || !isWordByte(s[i-1]) || !isWordByte(s[i+1]) {
				b.WriteByte('\\')
			}
		case '&':
			if entityLike().MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if m := orderedStart().FindStringIndex(out); m != nil {
		// "1." starts a list; a digit cannot be escaped, its delimiter can.
		return out[:m[1]-1] + "\\" + out[m[1]-1:]
	}
	if blockStart().MatchString(out) {
		out = "\\" + out
	}
	return out
}

// blockStart and orderedStart match line starts that CommonMark would
// read as block markers: heading, bullet, thematic break, setext
// underline; ordered list item.
var (
	blockStart   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[#+=-]`) })
	orderedStart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,9}[.)]`) })
)

// mdCell escapes text for a table cell: as mdText, and a line break
// (which would end the row) becomes a space.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", " ")), " ")
	if s == "" {
		return ""
	}
	return mdText(s)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
