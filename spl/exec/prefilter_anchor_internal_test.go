package exec

import "testing"

// TestValueLiteral: the literal of field=pattern on a field whose values
// are raw JSON leaves takes the string's opening quote when the pattern
// starts with a literal character and its closing quote when it ends
// with one, exactly when no number, true, false or null can match the
// pattern (those are written bare: docs/semantics-events.md,
// "KV_MODE=json flattening", rule 4); the pattern is matched
// case-insensitively (Search Reference, "search", field-value pairs), so
// TRUE is true. Of a pattern's wildcard-free parts, the one that gives
// the longest literal is taken; a part of one byte, or one holding a
// character JSON may escape other than by \u (" \ /), or beyond
// printable ASCII, gives none.
func TestValueLiteral(t *testing.T) {
	for _, c := range []struct{ pattern, want string }{
		{`Get*`, `"get`},
		{`*Policy`, `policy"`},
		{`DeleteTrail`, `"deletetrail"`},
		{`deletetrail`, `"deletetrail"`},
		{`*Get*`, `get`},
		{`Get*Policy`, `policy"`},      // the longer
		{`Describe*Set`, `"describe`},  // the longer
		{`Get*Put`, `"get`},            // of equal length, the first
		{`Ge*Xy*Policy`, `policy"`},    // a middle part never takes a quote
		{`ab*cdefghij*kl`, `cdefghij`}, // ...but may be the longest
		{`true`, `true`},               // matches JSON true, written bare
		{`TRUE`, `true`},               // ...in any case
		{`True*`, `true`},              // matches true
		{`tru*`, `tru`},                // matches true
		{`*ue`, `ue`},                  // matches true
		{`Truex`, `"truex"`},           // no bare value is truex
		{`*rue*`, `rue`},               // no quote to take
		{`fals*`, `fals`},              // matches false
		{`false`, `false`},             // matches false
		{`nul*`, `nul`},                // matches null
		{`null`, `null`},               // matches null
		{`*ll`, `ll`},                  // matches null
		{`nullable`, `"nullable"`},     // no bare value
		{`n*e`, ``},                    // parts of one byte
		{`123`, `123`},                 // a number's characters only
		{`-12`, `-12`},                 // a number's characters only
		{`1e5`, `1e5`},                 // a number's characters only
		{`1.5E3`, `1.5e3`},             // a number's characters only
		{`+1.`, `+1.`},                 // a number's characters only
		{`10.0.0.1`, `10.0.0.1`},       // an address could be a number's characters
		{`e1*`, `e1`},                  // a number's characters only
		{`-foo`, `"-foo"`},             // no number holds f or o
		{`12ab`, `"12ab"`},             // no number holds a or b
		{`*123x`, `123x"`},             // no number holds x
		{`Get*1`, `"get`},              // no number holds g: a string, whose start is Get
		{`x`, ``},                      // one byte, quotes or not
		{`x*`, ``},                     // one byte
		{`*`, ``},                      // no part
		{`a/b`, ``},                    // / may be written \/
		{`ab/cd*`, ``},                 // the only part holds /
		{`abc*d/e`, `"abc`},            // the other part
		{`a"bc`, ``},                   // " is written \"
		{`ab\cd`, ``},                  // \ is written \\
		{"ab\tcd", ``},                 // a control character is escaped
		{`é*abc`, `abc"`},              // é is no part of a literal; abc ends the value
		{`abcé`, ``},                   // beyond ASCII
		{`10.0.0.0/8`, ``},             // a subnet matches addresses by CIDR
		{`ab cd`, `"ab cd"`},           // a space is its own byte in JSON
		{`us-east-1`, `"us-east-1"`},   // letters: a string
		{`{"a":1}`, ``},                // " again: an object is never a value
		{`[1]`, `"[1]"`},               // [ is no number character: the string "[1]"
	} {
		got := ""
		if f := valueLiteral(c.pattern); f != nil {
			got = f.lit
		}
		if got != c.want {
			t.Errorf("valueLiteral(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}
