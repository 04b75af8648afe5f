package event

import (
	"encoding/json"
	"strings"
	"testing"
)

// skipAgrees checks skipContainer against the recursive scanner on the
// container at the start of s: when the fast loop accepts, the careful
// scan accepts the same bytes, which encoding/json calls valid JSON; when
// the careful scan accepts a container of at most 64 levels, so does the
// fast loop.
func skipAgrees(t *testing.T, s string) {
	t.Helper()
	if s == "" || s[0] != '{' && s[0] != '[' {
		return
	}
	fast := scanner{s: s, lim: len(s)}
	fastOK := fast.skipContainer()
	careful := scanner{s: s, lim: len(s)}
	var carefulOK bool
	if s[0] == '{' {
		carefulOK = careful.object(false)
	} else {
		carefulOK = careful.array(false)
	}
	switch {
	case fastOK && (!carefulOK || careful.i != fast.i):
		t.Fatalf("%q: fast loop accepted %d bytes, careful scan ok=%v at %d", s, fast.i, carefulOK, careful.i)
	case fastOK && !json.Valid([]byte(s[:fast.i])):
		t.Fatalf("%q: fast loop accepted %q, which is not JSON", s, s[:fast.i])
	case !fastOK && fast.i != 0:
		t.Fatalf("%q: fast loop failed but moved to %d", s, fast.i)
	case !fastOK && carefulOK && nesting(s[:careful.i]) <= 64:
		t.Fatalf("%q: careful scan accepted %d bytes, fast loop did not", s, careful.i)
	}
}

// nesting is the deepest nesting of brackets outside strings.
func nesting(s string) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && (c == '{' || c == '['):
			depth++
			deepest = max(deepest, depth)
		case !inString && (c == '}' || c == ']'):
			depth--
		}
	}
	return deepest
}

func TestSkipContainer(t *testing.T) {
	cases := []string{
		`{}`, `[]`, `{"a":1}`, `[1,2,3]`, `{"a":{},"b":[],"c":[{}]}`, ` {}`,
		`{"a" : [ 1 , -2.5e+3 , true , false , null , "x\"\\\/\b\f\n\r\t\u00e9" ] }`,
		`{"a":1}trailing`, `[0]`, `[-0.0e0]`, `[1E5]`,
		// Each of these the fast loop turns down; the careful scan says why.
		`{`, `[`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `{"a":1 "b":2}`, `[01]`, `[1.]`, `[.5]`, `[1e]`,
		`[-]`, `["\x"]`, "[\"\x01\"]", `["\u12g4"]`, `[tru]`, `[nul]`, `{"a":1]`, `[1}`, `{1:2}`,
		strings.Repeat("[", 64) + strings.Repeat("]", 64),
		strings.Repeat("[", 65) + strings.Repeat("]", 65),
		strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70),
	}
	for _, c := range cases {
		skipAgrees(t, c)
	}
}

func FuzzSkipContainer(f *testing.F) {
	f.Add(`{"a":[1,"b",{"c":null}],"d":true}`)
	f.Add(`[{"k":"v\u00e9\n"},-1.5e-3,false,[]]`)
	f.Add(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","sessionContext":{"attributes":{}}},"resources":[{"ARN":"x"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		skipAgrees(t, s)
	})
}
