package docs

import (
	"html/template"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/stats"
)

// Layout lays a search out for reading, one command per line: a line
// break before every pipe that separates commands at the top level, that
// is outside quoted strings, macro calls, comments and subsearches. YAML
// folds the lines its author wrote into one; this gives them back. The
// search is cut where the parser cuts it (spl.Tokens), and SPL reads a line
// break as a space, so the result is the same search. A doubled pipe (an
// eval's a||b) is left alone.
func Layout(search string) string {
	toks := spl.Tokens(search)
	var b strings.Builder
	b.Grow(len(search) + 32)
	depth := 0
	for i, t := range toks {
		switch t.Kind {
		case spl.TokenLBracket:
			depth++
		case spl.TokenRBracket:
			depth = max(depth-1, 0)
		case spl.TokenPipe:
			if depth == 0 && !pipeAt(toks, i-1) && !pipeAt(toks, i+1) {
				out := strings.TrimRight(b.String(), " \t")
				b.Reset()
				b.WriteString(out)
				if out != "" && !strings.HasSuffix(out, "\n") {
					b.WriteByte('\n')
				}
			}
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

func pipeAt(toks []spl.Token, i int) bool {
	return i >= 0 && i < len(toks) && toks[i].Kind == spl.TokenPipe
}

// The classes of highlighted SPL, one letter each to keep the pages small
// (style.css colours them): a command, a function, a keyword, a field or
// option name, a string, a number, a macro call, a comment, a pipe.
const (
	hlCommand  = "c"
	hlFunction = "f"
	hlKeyword  = "k"
	hlField    = "a"
	hlString   = "s"
	hlNumber   = "n"
	hlMacro    = "m"
	hlComment  = "x"
	hlPipe     = "p"
)

// caseKeywords are the keywords of any case: BY and AS in stats, rename
// and lookup, OVER in chart, OUTPUT in lookup, FROM and WHERE in tstats.
var caseKeywords = map[string]bool{
	"by": true, "as": true, "over": true, "output": true, "outputnew": true, "from": true, "where": true,
}

// upperKeywords are keywords only in capitals: in a search a lowercase
// "and" or "not" is a term to look for, not an operator.
var upperKeywords = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "XOR": true, "IN": true, "LIKE": true,
}

// aggregating are the commands whose bare words may be statistical
// functions: `stats count`, `timechart dc(user)`.
var aggregating = map[string]bool{
	"stats": true, "eventstats": true, "streamstats": true, "tstats": true, "mstats": true,
	"timechart": true, "chart": true,
}

// commandNames are the commands the grammar knows, for the first word of a
// subsearch ("[search …]", "[stats …]"), which needs no pipe.
var commandNames = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range spl.Commands {
		m[c.Name] = true
	}
	return m
}()

// Highlight marks up a search for the HTML pages: every token is escaped,
// and those of a class are wrapped in <span class="…">. The classes are
// those Splunk Web's search bar colours (Splunk Search Manual, "Help
// building searches", Syntax highlighting); the colours are our own. Which
// class a word has depends on where it stands: the word after a pipe is a
// command, a word right before "(" a function, a word before a comparison
// a field or option, the words after BY and the word after AS fields. Each line is wrapped in a span of class "l". The
// text of the result, tags removed and entities decoded, is search.
func Highlight(search string) template.HTML {
	toks := spl.Tokens(search)
	var b strings.Builder
	var h highlighter
	h.afterPipe, h.atStart = true, true
	b.WriteString(lineStart)
	for i, t := range toks {
		class := h.class(toks, i)
		for j, part := range strings.Split(t.Text, "\n") {
			if j > 0 {
				b.WriteString(lineEnd + "\n" + lineStart)
			}
			if part == "" {
				continue
			}
			text := template.HTMLEscapeString(part)
			if class == "" {
				b.WriteString(text)
			} else {
				b.WriteString(`<span class="` + class + `">` + text + `</span>`)
			}
		}
	}
	b.WriteString(lineEnd)
	return template.HTML(b.String())
}

// Each line of a highlighted search is a span of its own, so that the style
// sheet can indent the rest of a line that wraps under its first; a token
// that spans lines is cut at the line breaks.
const (
	lineStart = `<span class="l">`
	lineEnd   = `</span>`
)

// highlighter is where Highlight stands in a search.
type highlighter struct {
	command   string // the current command, lowercased
	afterPipe bool   // the next word names a command
	atStart   bool   // at the start of the search or a subsearch: only a known command name is one
	inBy      bool   // after BY: words are fields
	afterAs   bool   // the next word is a field
	afterOp   bool   // the last token was a comparison: the next word is a value
}

// class is the class of toks[i], and moves the highlighter past it.
func (h *highlighter) class(toks []spl.Token, i int) string {
	t := toks[i]
	switch t.Kind {
	case spl.TokenSpace:
		return ""
	case spl.TokenPipe:
		if pipeAt(toks, i-1) || pipeAt(toks, i+1) { // an eval's a||b, as Layout reads it
			h.afterPipe, h.atStart, h.afterAs, h.afterOp = false, false, false, true
			return ""
		}
		fallthrough
	case spl.TokenLBracket:
		h.afterPipe, h.atStart, h.inBy, h.afterAs = true, t.Kind == spl.TokenLBracket, false, false
		if t.Kind == spl.TokenPipe {
			return hlPipe
		}
		return ""
	}
	afterPipe, atStart, afterAs, afterOp := h.afterPipe, h.atStart, h.afterAs, h.afterOp
	h.afterPipe, h.atStart, h.afterAs, h.afterOp = false, false, false, t.Kind == spl.TokenOp
	switch t.Kind {
	case spl.TokenString:
		return hlString
	case spl.TokenNumber:
		return hlNumber
	case spl.TokenMacro:
		return hlMacro
	case spl.TokenComment:
		h.afterPipe, h.atStart = afterPipe, atStart // a comment does not take the command's place
		return hlComment
	case spl.TokenRBracket:
		h.inBy = false
		return ""
	case spl.TokenWord:
	default:
		return ""
	}
	lower := strings.ToLower(t.Text)
	adjacent := func(k spl.TokenKind) bool {
		return i+1 < len(toks) && toks[i+1].Kind == k && toks[i+1].Offset == t.Offset+len(t.Text)
	}
	switch {
	case afterPipe && (!atStart || commandNames[lower]):
		h.command = lower
		return hlCommand
	case caseKeywords[lower] || upperKeywords[t.Text]:
		h.inBy = lower == "by" || lower == "over"
		h.afterAs = lower == "as"
		return hlKeyword
	case adjacent(spl.TokenLParen):
		return hlFunction
	case afterOp:
		return "" // a value: user=admin
	case nextSolid(toks, i) == spl.TokenOp || h.inBy || afterAs:
		return hlField
	case aggregating[h.command] && isStatsFunc(lower):
		return hlFunction
	}
	return ""
}

// nextSolid is the kind of the first token after toks[i] that is not
// whitespace, or 0 at the end.
func nextSolid(toks []spl.Token, i int) spl.TokenKind {
	for _, t := range toks[i+1:] {
		if t.Kind != spl.TokenSpace {
			return t.Kind
		}
	}
	return 0
}

// isStatsFunc reports whether a bare word is a statistical function
// (count, dc, perc95) rather than a field.
func isStatsFunc(word string) bool {
	_, _, ok := stats.Lookup(word)
	return ok
}
