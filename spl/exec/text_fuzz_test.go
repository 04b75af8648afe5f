package exec

import (
	"strings"
	"testing"
)

// FuzzEventTextCommands feeds event text, which is untrusted, to the
// readers of xmlkv, extract and multikv: they must not panic, and what
// they find must come from the text.
func FuzzEventTextCommands(f *testing.F) {
	for _, s := range []string{
		`<event><name>Bob</name><age>30</age><tag a="1">x</tag><empty/></event>`,
		`<a><b>1</b></a><c>`, `<<>>`, `</x>`, `<x>`, `<x>y`,
		`a=1 b="x y" c-d=3, e=4;f=5 a=9`, `=`, `a=`, `a="`, `="x"`,
		"key1=val1|key2:val2;key3=val3",
		"  PID TTY          TIME CMD\n    1 ?        00:00:02 systemd --user\n",
	} {
		f.Add(s, "|;", "=:", 3)
	}
	f.Fuzz(func(t *testing.T, s, pairDelim, kvDelim string, n int) {
		xmlLeaves(s, func(name, text string) {
			if name == "" || text == "" || !strings.Contains(s, "<"+name) || !strings.Contains(s, text) {
				t.Fatalf("xmlLeaves(%q) gave %q=%q", s, name, text)
			}
		})
		autoPairs(s, func(k, v string) bool {
			if k == "" || !strings.Contains(s, k+"=") || !strings.Contains(s, v) {
				t.Fatalf("autoPairs(%q) gave %q=%q", s, k, v)
			}
			return true
		})
		if kvDelim != "" {
			splitPairs(s, pairDelim, kvDelim, func(k, v string) bool {
				if k == "" || !strings.Contains(s, k) || !strings.Contains(s, v) {
					t.Fatalf("splitPairs(%q) gave %q=%q", s, k, v)
				}
				return true
			})
		}
		n %= 20
		cols := splitColumns(s, n)
		if n > 0 && len(cols) > n {
			t.Fatalf("splitColumns(%q, %d) gave %d columns", s, n, len(cols))
		}
		for _, c := range cols {
			if c == "" || !strings.Contains(s, c) {
				t.Fatalf("splitColumns(%q, %d) gave %q", s, n, c)
			}
		}
		_ = cleanKey(s)
	})
}
