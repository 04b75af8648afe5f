package engine_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/macro"
)

// FuzzCompile: no search text makes the engine panic; it gives a program
// or problems, never both nor neither; every problem has a code and a
// message, and one placed in the text points inside it and renders with
// a caret. Seeds: every command's example and searches with macros.
func FuzzCompile(f *testing.F) {
	for _, info := range spl.Commands {
		f.Add(info.Example)
	}
	for _, s := range []string{
		"`m` | stats count by eventName",
		"* | `m(1)` | iplocation src | eval x=nosuch(1)",
		"eventName=Delete* [search eventName=Get* | fields awsRegion] | table _time",
		"| makeresults count=3 | eval n=mvrange(0,3) | mvexpand n",
	} {
		f.Add(s)
	}
	macros := macro.NewSet()
	if err := macros.Add(macro.Macro{Name: "m", Definition: "search eventSource=bedrock.amazonaws.com"}); err != nil {
		f.Fatal(err)
	}
	if err := macros.Add(macro.Macro{Name: "m", Args: []string{"x"}, Definition: "eval y=$x$ |"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := diag.NewSource("f", s)
		p, problems := engine.Compile(src, macros, nil, engine.Options{Now: now})
		if (p == nil) == (len(problems) == 0) {
			t.Fatalf("%q: program %v and %d problems", s, p, len(problems))
		}
		for _, d := range problems {
			if d.Code == "" || d.Message == "" {
				t.Fatalf("%q: problem without a code or a message: %#v", s, d)
			}
			if engine.Unplaced(d) {
				continue
			}
			if d.Offset < 0 || d.Offset > len(d.Source.Text) {
				t.Fatalf("%q: %v at offset %d of a text of %d bytes", s, d, d.Offset, len(d.Source.Text))
			}
			if pos := d.Position(); pos.File != "f" || pos.Line < 1 || pos.Column < 1 {
				t.Fatalf("%q: %v placed at %+v, not in the search", s, d, pos)
			}
			if !strings.HasSuffix(d.Render(), "^\n") && d.Position().LineText != "" {
				t.Fatalf("%q: rendered without a caret:\n%s", s, d.Render())
			}
		}
	})
}
