package docs

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
)

// The HTML site's templates, style sheet and script. Every page carries
// its own CSS and JavaScript, so the site has no external assets and
// works from file://; html/template escapes everything that comes from
// YAML by context (text, attribute, URL).
//
//go:embed templates/*.html templates/style.css templates/site.js
var templateFS embed.FS

// htmlRenderer renders the static site.
type htmlRenderer struct {
	t *template.Template
}

// pageData is what every page template gets: the site, its page, the
// title, and Root, the way from the page back to the output root.
type pageData struct {
	Site  *Site
	Page  any
	Title string
	Root  string
}

func newHTMLRenderer() (*htmlRenderer, error) {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		return nil, err
	}
	js, err := templateFS.ReadFile("templates/site.js")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		// Our own files, trusted: the only content not escaped.
		"css":        func() template.CSS { return template.CSS(css) },
		"js":         func() template.JS { return template.JS(js) },
		"paragraphs": paragraphs,
		"prose": func(text, none string) map[string]string {
			return map[string]string{"Text": text, "None": none}
		},
		"head": func(label string, sorted bool) map[string]any {
			return map[string]any{"Label": label, "Sorted": sorted}
		},
		"statusClass": func(s any) string { return strings.ReplaceAll(fmt.Sprint(s), " ", "-") },
		"counts":      StatusCounts,
		"plural":      plural,
		"join":        strings.Join,
		"linkable":    func(u string) bool { return autolinkable().MatchString(strings.TrimSpace(u)) },
		"multiline":   func(s string) bool { return strings.Contains(strings.TrimRight(s, "\n"), "\n") },
		"highlight":   Highlight,
		"codeSpans": func(s string) template.HTML {
			var b strings.Builder
			for i, part := range codeSpans(s) {
				if i%2 == 1 {
					b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
				} else {
					b.WriteString(template.HTMLEscapeString(part))
				}
			}
			return template.HTML(b.String())
		},
		"techniques": func(ts []Technique, byName bool) map[string]any {
			return map[string]any{"T": ts, "ByName": byName}
		},
		"detstatus": func(p *DetectionPage, root string) map[string]any {
			return map[string]any{"P": p, "Root": root}
		},
	}
	t, err := template.New("docs").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &htmlRenderer{t: t}, nil
}

func (r *htmlRenderer) exec(name string, data pageData) ([]byte, error) {
	var b bytes.Buffer
	if err := r.t.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (r *htmlRenderer) index(s *Site) ([]byte, error) {
	return r.exec("index.html", pageData{Site: s, Title: "Detection content: " + s.Title})
}

func (r *htmlRenderer) story(s *Site, p *StoryPage) ([]byte, error) {
	return r.exec("story.html", pageData{Site: s, Page: p, Title: "Analytics Story: " + p.Story.Name, Root: "../"})
}

func (r *htmlRenderer) detection(s *Site, p *DetectionPage) ([]byte, error) {
	return r.exec("detection.html", pageData{Site: s, Page: p, Title: "Detection: " + p.Detection.Name, Root: "../"})
}
