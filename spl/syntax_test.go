package spl

import (
	"strings"
	"testing"
)

// TestSyntax checks that every command of the registry has a grammar to
// show in the reference, naming the command's own keyword.
func TestSyntax(t *testing.T) {
	for _, c := range Commands {
		t.Run(c.Name, func(t *testing.T) {
			q, err := ParseString(c.Example)
			if err != nil {
				t.Fatalf("parse %q: %v", c.Example, err)
			}
			got := Syntax(q.Commands[len(q.Commands)-1])
			if got == "" {
				t.Fatalf("no syntax for %T", q.Commands[len(q.Commands)-1])
			}
			if !strings.Contains(got, `"`+c.Name+`"`) {
				t.Errorf("syntax of %s does not name it:\n%s", c.Name, got)
			}
		})
	}
	if got := Syntax(&GenericCommand{}); got != "" {
		t.Errorf("generic command has syntax %q, want none", got)
	}
}
