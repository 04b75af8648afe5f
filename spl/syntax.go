package spl

import (
	"reflect"
	"strings"
	"sync"
)

// syntaxes holds, by command struct type, a function that renders the
// command's participle grammar as EBNF. grammarFor fills it, so every
// command with a grammar struct has its syntax without a second list.
var (
	syntaxMu sync.Mutex
	syntaxes = map[reflect.Type]func() string{
		// Commands that parse themselves (grammar.go) have no participle
		// rules to show: their syntax is written here.
		reflect.TypeFor[SearchCommand](): func() string { return `SearchCommand = "search"? SearchExpr .` },
		reflect.TypeFor[RegexCommand](): func() string {
			return `RegexCommand = "regex" (Word ("=" | "!="))? Word .`
		},
	}
)

func registerSyntax(t reflect.Type, fn func() string) {
	syntaxMu.Lock()
	defer syntaxMu.Unlock()
	if _, written := syntaxes[t]; !written {
		syntaxes[t] = fn
	}
}

// Syntax returns the grammar of cmd's command as EBNF, one rule a line,
// for the reference documentation (docs/reference/commands.md). Rules
// named but not defined (Options, FieldList, Expr, ...) are types that
// parse themselves. It returns "" for the generic form of a command the
// grammar does not know.
func Syntax(cmd Command) string {
	t := reflect.TypeOf(cmd)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	syntaxMu.Lock()
	fn := syntaxes[t]
	syntaxMu.Unlock()
	if fn == nil {
		return ""
	}
	var rules []string
	for _, line := range strings.Split(fn(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "CommandGrammar[") {
			continue
		}
		rules = append(rules, line)
	}
	return strings.Join(rules, "\n")
}
