package diag

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// yamlParserProblems are the yaml.v3 parser (not scanner) messages. yaml.v3
// prints the line of a parser error 0-based and that of a scanner error
// 1-based; these messages need one added.
var yamlParserProblems = []string{
	"did not find expected node content",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+):`) })

// YAMLError splits the text of a yaml.v3 error about doc into the 1-based
// line it names (1 when it names none) and the message without yaml.v3's
// own "yaml: line N:" prefix, so that callers can put file:line in front
// without repeating the line. An error at the end of a document without a
// final line break is placed on its last line.
func YAMLError(text, doc string) (line int, msg string) {
	line, msg = yamlError(text)
	if strings.HasPrefix(msg, "found a tab character") {
		// yaml.v3 names the line where the scalar being scanned began;
		// the tab is in the indentation of that line or a later one.
		line = tabIndentedLine(doc, line)
	}
	return min(line, YAMLLines(doc)), msg
}

// tabIndentedLine returns the first line, from line on, whose indentation
// holds a tab; line itself when none does.
func tabIndentedLine(doc string, line int) int {
	for i, l := range strings.Split(doc, "\n") {
		if i+1 < line {
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.Contains(indent, "\t") {
			return i + 1
		}
	}
	return line
}

// YAMLLines counts the lines of doc as YAML does: CR LF, a lone CR, LF,
// NEL, LS and PS each end one.
func YAMLLines(doc string) int {
	n := 1
	for i, r := range doc {
		switch r {
		case '\r':
			if i+1 < len(doc) && doc[i+1] == '\n' {
				continue // CR LF ends one line, at the LF
			}
			n++
		case '\n', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}

func yamlError(text string) (line int, msg string) {
	msg = strings.TrimPrefix(text, "yaml: ")
	rest, ok := strings.CutPrefix(msg, "line ")
	if n, after, found := strings.Cut(rest, ": "); ok && found {
		if l, err := strconv.Atoi(n); err == nil {
			for _, p := range yamlParserProblems {
				if strings.HasPrefix(after, p) {
					l++
					break
				}
			}
			return l, after
		}
	}
	// Type errors list their lines ("unmarshal errors:\n  line 3: …"),
	// already 1-based; the first one places the error.
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		if l, err := strconv.Atoi(m[1]); err == nil {
			return l, msg
		}
	}
	return 1, msg
}
