package macro

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/testenv"
)

// fastCases are macro files in and around the shape fastMacro decodes;
// fast says whether it should take them (the others go to yaml.v3).
var fastCases = []struct {
	name, text string
	fast       bool
}{
	{"plain", "definition: sourcetype=aws:cloudtrail\ndescription: d\nname: cloudtrail\n", true},
	{"no final newline", "name: a\ndefinition: b", true},
	{"arguments", "arguments:\n- field\n- other_1\ndefinition: convert ctime($field$)\ndescription: x\nname: ctime\n", true},
	{"indented arguments", "arguments:\n  - field\n  - b-c\ndefinition: x $field$\nname: m\n", true},
	{"null arguments", "name: noargs\narguments:\ndefinition: a\n", true},
	{"folded plain", "definition: (eventName=A OR\n  eventName=B\n  OR eventName=C)\ndescription: a\n  b\n\n  c\nname: m\n", true},
	{"quoted", "definition: '\"-70m@m\"'\nname: m\n", true},
	{"quoted quote", "definition: 'it''s | eval a=\"x\"'\nname: m\n", true},
	{"folded quoted", "definition: 'eval a=1 \n  | eval b=2\n\n  | eval c=3  '\nname: m\n", true},
	{"quoted with blank lines", "definition: 'a\n\n\n  b'\nname: m\n", true},
	{"quote closing a line", "definition: 'a\n  '\nname: m\n", true},
	{"quoted empty first line", "definition: '\n  a'\nname: m\n", true},
	{"blank lines between keys", "\n\nname: m\n\n\ndefinition: x\n\n", true},
	{"unicode", "definition: eval x=\"é’\"\ndescription: naïve — ok\nname: m\n", true},
	{"extra spaces", "name:    m   \ndefinition:   a b  \n", true},
	{"colon inside", "name: m\ndefinition: sourcetype=aws:cloudtrail a:b\n", true},
	{"brackets inside", "name: m\ndefinition: search [| inputlookup x] {a} ,b\n", true},

	{"comment", "name: m # c\ndefinition: a\n", false},
	{"comment line", "# c\nname: m\ndefinition: a\n", false},
	{"tab", "name: m\ndefinition: a\tb\n", false},
	{"cr", "name: m\r\ndefinition: a\r\n", false},
	{"bom", "\ufeffname: m\ndefinition: a\n", false},
	{"double quoted", "name: m\ndefinition: \"a\\tb\"\n", false},
	{"block scalar", "name: m\ndefinition: |\n  a\n", false},
	{"flow list", "name: m\ndefinition: a\narguments: [a, b]\n", false},
	{"number", "name: m\ndefinition: 12\n", false},
	{"bool", "name: m\ndefinition: true\n", false},
	{"null name", "name: null\ndefinition: a\n", false},
	{"yes", "name: yes\ndefinition: a\n", false},
	{"no name", "definition: a\n", false},
	{"no definition", "name: a\n", false},
	{"empty name", "name: ''\ndefinition: a\n", false},
	{"empty", "", false},
	{"duplicate key", "name: a\ndefinition: b\nname: c\n", false},
	{"mapping in value", "name: a\ndefinition: b: c\n", false},
	{"value ends in colon", "name: a\ndefinition: b:\n", false},
	{"document marker", "---\nname: a\ndefinition: b\n", false},
	{"indented key", " name: a\ndefinition: b\n", false},
	{"quoted at margin", "name: a\ndefinition: 'b\n| c'\n", false},
	{"unclosed quote", "name: a\ndefinition: 'b\n", false},
	{"after quote", "name: a\ndefinition: 'b' c\n", false},
	{"scalar arguments", "name: a\ndefinition: b\narguments: x\n", false},
	{"quoted empty arguments", "name: a\ndefinition: b\narguments: ''\n", false},
	{"argument with space", "name: a\ndefinition: b\narguments:\n- a b\n", false},
	{"argument bool", "name: a\ndefinition: b\narguments:\n- on\n", false},
	{"list name", "name:\n- a\ndefinition: b\n", false},
	{"value on next line", "name: a\ndefinition:\n  b\n", false},
	{"backtick start", "name: a\ndefinition: `m`\n", false},
	{"dash start", "name: a\ndefinition: -70m\n", false},
	{"indicator continuation", "name: a\ndefinition: b\n  | c\n", false},
	{"long key", "name: a\n" + strings.Repeat("k", 200) + ": x\ndefinition: b\n", false},
	{"nel", "name: a\ndefinition: b\u0085c\n", false},
	{"line separator", "name: a\ndefinition: b\u2028c\n", false},
	{"control", "name: a\ndefinition: b\x01c\n", false},
	{"bad utf8", "name: a\ndefinition: b\xffc\n", false},
}

// TestFastMacro: each case takes the fast path or not as it should, and
// what the fast path decodes is what yaml.v3 decodes.
func TestFastMacro(t *testing.T) {
	for _, c := range fastCases {
		t.Run(c.name, func(t *testing.T) {
			m, line, ok := fastMacro("f.yml", c.text)
			if ok != c.fast {
				t.Fatalf("fast path taken: %v, want %v (%+v)", ok, c.fast, m)
			}
			if ok {
				sameAsYAML(t, c.text, m, line)
			}
		})
	}
}

// sameAsYAML fails unless yaml.v3's decoding of text gives m, nameLine.
func sameAsYAML(t *testing.T, text string, m Macro, nameLine int) {
	t.Helper()
	want, wantLine, err := parseMacroYAML(diag.NewSource("f.yml", text))
	if err != nil {
		t.Fatalf("the fast path decoded %q as %+v, yaml.v3 finds a problem: %v", text, m, err)
	}
	if diff := cmp.Diff(want, m); diff != "" || wantLine != nameLine {
		t.Fatalf("the fast path decodes %q differently from yaml.v3 (-yaml +fast):\n%s\nname line %d, yaml.v3 %d", text, diff, nameLine, wantLine)
	}
}

// FuzzFastMacro: whatever the fast path accepts, yaml.v3 decodes to the
// same macro, so taking it never changes a macro or hides a problem.
func FuzzFastMacro(f *testing.F) {
	for _, c := range fastCases {
		f.Add(c.text)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "detections", "macros", "*.yml"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if m, line, ok := fastMacro("f.yml", text); ok {
			sameAsYAML(t, text, m, line)
		}
	})
}

// TestFastMacroESCU: the macro files of ESCU decode on the fast path as
// yaml.v3 decodes them, and most of them take it.
func TestFastMacroESCU(t *testing.T) {
	root := testenv.ESCU(t)
	files, err := filepath.Glob(filepath.Join(root, "macros", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no macro files in %s: %v", root, err)
	}
	fast := 0
	var slow []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, line, ok := fastMacro("f.yml", string(b))
		if !ok {
			slow = append(slow, filepath.Base(file))
			continue
		}
		fast++
		sameAsYAML(t, string(b), m, line)
	}
	t.Logf("%d of %d files on the fast path; the others: %s", fast, len(files), strings.Join(slow, " "))
	if fast < len(files)*3/4 {
		t.Errorf("only %d of %d ESCU macro files take the fast path", fast, len(files))
	}
}

// BenchmarkParseMacro decodes one ESCU-shaped macro file on the fast
// path and with yaml.v3.
func BenchmarkParseMacro(b *testing.B) {
	src := diag.NewSource("f.yml", "definition: (eventName=AssociateAddress OR eventName=AssociateIamInstanceProfile OR\n  eventName=AttachClassicLinkVpc OR eventName=AttachVolume)\ndescription: This is a list of AWS event names that have to do with modifying Amazon\n  EC2 instances\nname: ec2_modification_api_calls\n")
	if _, _, ok := fastMacro(src.Name, src.Text); !ok {
		b.Fatal("not on the fast path")
	}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			fastMacro(src.Name, src.Text)
		}
	})
	b.Run("yaml", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := parseMacroYAML(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
