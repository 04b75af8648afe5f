package regex

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/google/go-cmp/cmp"
)

func init() {
	// The engine checks its clock every 100ms by default; a fine clock
	// lets the time-limit test end in milliseconds. It must be set before
	// any timed match starts, hence init.
	regexp2.SetTimeoutCheckPeriod(time.Millisecond)
}

// TestRegexp: each case is a pattern, the engine it must run on, and the
// successive matches (whole match and groups, "" for a group that did not
// take part) it finds in an input.
func TestRegexp(t *testing.T) {
	cases := []struct {
		name         string
		pattern      string
		backtracking bool
		input        string
		want         [][]string
	}{
		// RE2 runs what it accepts; (?<n>) and (?P<n>) both name groups.
		{"re2", `(?<user>\w+)@(?P<dom>[\w.]+)`, false, "bob@example.com, al@x.org",
			[][]string{{"bob@example.com", "bob", "example.com"}, {"al@x.org", "al", "x.org"}}},
		{"re2 optional group", `a(x)?b`, false, "ab", [][]string{{"ab", ""}}},
		{"re2 no match", `z+`, false, "abc", nil},
		// A group in a loop whose body can match empty keeps PCRE's last,
		// empty iteration (RE2 would keep the last one that consumed).
		{"nullable group in a star", `(a?)*b`, true, "ab", [][]string{{"ab", ""}}},
		{"nullable group in a plus", `(1*)+x`, true, "11x", [][]string{{"11x", ""}}},
		{"nullable group in a count", `(b*){2,}c`, true, "bbc", [][]string{{"bbc", ""}}},
		{"group that consumes stays on RE2", `(ab)*`, false, "abab", [][]string{{"abab", "ab"}}},
		{"nullable group once stays on RE2", `(a?)?b`, false, "ab", [][]string{{"ab", "a"}}},
		// PCRE-only constructs run on the backtracking engine.
		{"look-ahead", `\w+(?=bar)`, true, "foobar foobaz", [][]string{{"foo"}}},
		{"negative look-ahead", `^(?!admin)\w+$`, true, "alice", [][]string{{"alice"}}},
		{"negative look-ahead rejects", `^(?!admin)\w+$`, true, "administrator", nil},
		{"look-behind", `(?<=user=)\w+`, true, "id=1 user=bob", [][]string{{"bob"}}},
		{"negative look-behind", `(?<!\\)"(\w)`, true, `\"a "b`, [][]string{{`"b`, "b"}}},
		{"backreference", `(\w)\1`, true, "hello", [][]string{{"ll", "l"}}},
		{"named backreference", `(?<c>\w)\k<c>`, true, "abba", [][]string{{"bb", "b"}}},
		{"python named backreference", `(?P<c>\w)(?P=c)`, true, "abba", [][]string{{"bb", "b"}}},
		{"relative backreference", `(a)(\w)\g{-1}`, true, "xabbz", [][]string{{"abb", "a", "b"}}},
		{"atomic group gives nothing back", `(?>a+)ab`, true, "aaab", nil},
		{"possessive quantifier gives nothing back", `a++ab`, true, "aaab", nil},
		{"possessive quantifier matches", `"[^"]*+"`, true, `x"ab"y`, [][]string{{`"ab"`}}},
		// PCRE reads a count with leading zeros as the number; RE2 as text.
		{"zero count with leading zero", `x0{00}y`, true, "xy x0{00}y", [][]string{{"xy"}}},
		{"counts with leading zeros", `a{01,02}`, true, "aaa", [][]string{{"aa"}, {"a"}}},
		// Groups are numbered left to right, named or not, as PCRE does.
		{"mixed named and unnamed groups", `(?<x>a)(b)(?=c)`, true, "abc", [][]string{{"ab", "a", "b"}}},
		{"quoted group name", `(?'n'\d+)(?=%)`, true, "50%", [][]string{{"50", "50"}}},
		{"conditional", `^(<)?\w+(?(1)>)$`, true, "<a>", [][]string{{"<a>", "<"}}},
		{"conditional without the group", `^(<)?\w+(?(1)>)$`, true, "a", [][]string{{"a", ""}}},
		{"conditional unbalanced", `^(<)?\w+(?(1)>)$`, true, "<a", nil},
		{"extended mode", `(?x) (?<y> \d{4} ) - \d{2}  # year and month`, true, "on 2024-05", [][]string{{"2024-05", "2024"}}},
		{"quoted text", `\Q.*\E(?=x)`, true, "a.*x", [][]string{{".*"}}},
		{`\K keeps the end`, `user=\K\w+`, true, "user=bob", [][]string{{"bob"}}},
		{`\K keeps flags`, `(?i)USER=\Kbob`, true, "user=BOB", [][]string{{"BOB"}}},
		{`\Z before a final newline`, `\w+\Z`, true, "ab\n", [][]string{{"ab"}}},
		{`\h`, `a\hb`, true, "a\tb a\nb", [][]string{{"a\tb"}}},
		{`\R`, `a\Rb`, true, "a\r\nb", [][]string{{"a\r\nb"}}},
		// \v is vertical space in PCRE, the VT character in RE2.
		{`\v`, `a\vb`, true, "a\nb", [][]string{{"a\nb"}}},
		{"comment", `a(?#note)b(?=c)`, true, "abc", [][]string{{"ab"}}},
		// Offsets are bytes, also after multi-byte characters.
		{"non-ASCII", `(?<=é)(\w)`, true, "aéxé日y", [][]string{{"x", "x"}}},
		{"ASCII classes", `\d+(?=\s)`, true, "٣٣ 42 ", [][]string{{"42"}}},
		{"ASCII word boundary", `\b\w+\b(?=é)`, true, "éabé xé", [][]string{{"ab"}, {"x"}}},
		{"ASCII non-boundary", `\B.(?=x)`, true, "éx ax", [][]string{{"é"}}},
		{"inline flags", `(?i:ab)(?=C)`, true, "ABC", [][]string{{"AB"}}},
		{"repeat count", `x{2,}+(?=y)`, true, "xxxy", [][]string{{"xxx"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			re, err := Compile(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if re.Backtracking() != c.backtracking {
				t.Errorf("Backtracking() = %v, want %v", re.Backtracking(), c.backtracking)
			}
			got := re.FindAllStringSubmatch(c.input, -1)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("FindAllStringSubmatch(%q) (-want +got):\n%s", c.input, diff)
			}
			if re.MatchString(c.input) != (c.want != nil) {
				t.Errorf("MatchString(%q) = %v", c.input, !(c.want != nil))
			}
			first := re.FindStringSubmatch(c.input)
			if c.want == nil && first != nil || c.want != nil && !cmp.Equal(first, c.want[0]) {
				t.Errorf("FindStringSubmatch(%q) = %q", c.input, first)
			}
			// The offsets agree with the texts.
			for i, m := range re.FindAllStringSubmatchIndex(c.input, -1) {
				for g := 0; g < len(m)/2; g++ {
					text := ""
					if m[2*g] >= 0 {
						text = c.input[m[2*g]:m[2*g+1]]
					}
					if text != got[i][g] {
						t.Errorf("match %d group %d: offsets give %q, text %q", i, g, text, got[i][g])
					}
				}
			}
			if re.Timeouts() != 0 {
				t.Errorf("Timeouts() = %d", re.Timeouts())
			}
		})
	}
}

func TestRegexpSubexpNames(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string
	}{
		{`(?<a>x)(y)(?P<b>z)`, []string{"", "a", "", "b"}},
		{`(?<a>x)(y)(?=(?'b'z))`, []string{"", "a", "", "b"}},
		{`(?n)(x)(?<a>y)(?=z)`, []string{"", "a"}},
	} {
		re, err := Compile(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, re.SubexpNames()); diff != "" {
			t.Errorf("%s: SubexpNames (-want +got):\n%s", c.pattern, diff)
		}
		if re.NumSubexp() != len(c.want)-1 {
			t.Errorf("%s: NumSubexp() = %d", c.pattern, re.NumSubexp())
		}
	}
}

// TestRegexpReplace: SPL's \N replacement, on both engines.
func TestRegexpReplace(t *testing.T) {
	for _, c := range []struct {
		pattern, input, rep, want string
	}{
		{`(\w+)\.(\w+)`, "john.smith", `\2, \1`, "smith, john"},
		{`(\w+)(?=\.)\.(\w+)`, "john.smith", `\2, \1`, "smith, john"},
		{`(?<x>a)(b)(?=c)`, "abc", `\2\1`, "bac"},
		{`user=\K\w+`, "user=bob id=1", `X`, "user=X id=1"},
		{`(?<=é)\w`, "éaéb", `<\0>`, "é<a>é<b>"},
		{`(x)?(?=-)-`, "a-b", `[\1]`, "a[]b"},
		{`$`, "ab", `!`, "ab!"},
	} {
		re, err := Compile(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.ReplaceAllString(c.input, c.rep); got != c.want {
			t.Errorf("%s: ReplaceAllString(%q, %q) = %q, want %q", c.pattern, c.input, c.rep, got, c.want)
		}
	}
}

// TestRegexpErrors: a pattern that cannot run is an error naming it and
// saying why.
func TestRegexpErrors(t *testing.T) {
	for _, c := range []struct {
		pattern, want string
	}{
		{`(`, `regular expression "(": missing closing )`},
		{`(?<=a`, `regular expression "(?<=a": missing closing )`},
		{`[a-`, `regular expression "[a-": unterminated [] set`},
		{`(a)(?1)`, `regular expression "(a)(?1)": recursion or subroutine call (?1) is not supported`},
		{`(?R)`, `regular expression "(?R)": recursion or subroutine call (?R) is not supported`},
		{`(*SKIP)a`, `regular expression "(*SKIP)a": PCRE verb (*SKIP) is not supported`},
		{`(?|(a)|(b))`, `regular expression "(?|(a)|(b))": branch reset (?|...) is not supported`},
		{`(?U)a+(?=b)`, `regular expression "(?U)a+(?=b)": inline flag 'U' in (?...) is not supported`},
		{`\k<nope>`, `regular expression "\\k<nope>": reference to group name "nope", which does not exist`},
		{`(?<a>x)(?<a>y)`, `regular expression "(?<a>x)(?<a>y)": two groups are named "a"`},
		{`(a|\Kb)`, `regular expression "(a|\\Kb)": \K inside a group is not supported`},
		{`a|b\Kc`, `regular expression "a|b\\Kc": \K in a pattern with a top-level alternative is not supported`},
		{`a\C`, `regular expression "a\\C": \C (one code unit) is not supported`},
		{`[\H]`, `regular expression "[\\H]": \H inside a character class is not supported`},
	} {
		_, err := Compile(c.pattern)
		if err == nil {
			t.Errorf("%s: no error", c.pattern)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.pattern, err, c.want)
		}
	}
}

func ExampleCompile() {
	re, err := Compile(`(?<user>\w+)(?=@corp\.example)`)
	if err != nil {
		panic(err)
	}
	fmt.Println(re.Backtracking(), re.FindStringSubmatch("bob@corp.example"), re.SubexpNames()[1])
	_, err = Compile(`(a)(?1)`)
	fmt.Println(err)
	// Output:
	// true [bob bob] user
	// regular expression "(a)(?1)": recursion or subroutine call (?1) is not supported
}

// backtrackingTwin compiles pattern for the backtracking engine even when
// RE2 accepts it, to check the translation against RE2.
func backtrackingTwin(pattern string) (*Regexp, error) {
	tr, err := translatePCRE(pattern)
	if err != nil {
		return nil, err
	}
	return compileBacktracking(pattern, tr, 100*time.Millisecond)
}

// enginesDisagree returns how the two engines differ on s (first match,
// its groups, group names), "" when they agree or the backtracking match
// ran out of time.
func enginesDisagree(re2, bt *Regexp, s string) string {
	if !cmp.Equal(re2.SubexpNames(), bt.SubexpNames()) {
		return fmt.Sprintf("names %q vs %q", re2.SubexpNames(), bt.SubexpNames())
	}
	timeouts := bt.Timeouts()
	a, b := re2.FindAllStringSubmatchIndex(s, 1), bt.FindAllStringSubmatchIndex(s, 1)
	if !cmp.Equal(a, b) && bt.Timeouts() == timeouts {
		return fmt.Sprintf("on %q: RE2 %v, backtracking %v", s, a, b)
	}
	return ""
}

// FuzzRegexpEngines: for a pattern RE2 accepts, the backtracking engine
// given the translated pattern finds the same first match and groups.
func FuzzRegexpEngines(f *testing.F) {
	for _, seed := range [][2]string{
		{`(?<user>\w+)@(?P<dom>[\w.]+)`, "bob@example.com"},
		{`(?i)^show (\w+)`, "SHOW running-config"},
		{`[^\\/]*\\(?<f>.*)$`, `C:\Windows\x.exe`},
		{`(?ms)^a.b$`, "a\nb"},
		{`\Q.*\E|[[:alpha:]]+`, "ab.*"},
		{`\x{e9}\pL+`, "éte"},
		{`a{2,3}?b{,2}`, "aaab{,2}"},
		{`[]a-]+`, "]-a"},
		{`(a)|b`, "b"},
		{`\bé\B`, "xéé"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		re2, err := Compile(pattern)
		if err != nil || re2.Backtracking() {
			return
		}
		bt, err := backtrackingTwin(pattern)
		if err != nil {
			return // a construct the translation refuses; the error names it
		}
		if d := enginesDisagree(re2, bt, s); d != "" {
			t.Errorf("%q (as %q): %s", pattern, mustTranslate(pattern), d)
		}
	})
}

func mustTranslate(pattern string) string {
	tr, _ := translatePCRE(pattern)
	return tr.text
}

// FuzzCompileRegexp: any pattern compiles or fails with an error naming
// it, never panics; a compiled one gives offsets inside its input.
func FuzzCompileRegexp(f *testing.F) {
	for _, seed := range [][2]string{
		{`(?<=a)b(?!c)`, "abd"},
		{`(\w)\1(?P<x>y)(?P=x)`, "aayy"},
		{`(?x) a++ (?> b ) # c`, "aab"},
		{`(?(1)a|b)(?'n'c)\k{n}\g{-1}`, "bcc"},
		{`\K\h\R\v\N\Z\Q(*\E[\h\v]\x{263a}\o{101}\pL\p{^L}`, "x"},
		{`(*UTF8)(?|a)(?R)(?C1)\g<1>`, ""},
		{`(?i)é(?=\P{L})`, "É!"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		re, err := CompileTimeout(pattern, 10*time.Millisecond)
		if err != nil {
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("regular expression %q: ", pattern)) {
				t.Errorf("error %q does not name the pattern", err)
			}
			return
		}
		for _, m := range re.FindAllStringSubmatchIndex(s, 3) {
			if len(m) != 2*(re.NumSubexp()+1) {
				t.Fatalf("%q on %q: %d offsets for %d groups", pattern, s, len(m), re.NumSubexp())
			}
			for i := 0; i < len(m); i += 2 {
				if m[i] == -1 && m[i+1] == -1 {
					continue
				}
				if m[i] < 0 || m[i] > m[i+1] || m[i+1] > len(s) {
					t.Fatalf("%q on %q: offsets %v", pattern, s, m)
				}
			}
		}
		re.ReplaceAllString(s, `<\1\0>`)
	})
}

func TestReplace(t *testing.T) {
	re := regexp.MustCompile(`(\d)(\d)?`)
	// \0 is the whole match; a group that did not take part inserts nothing;
	// a backslash before anything but a digit is literal.
	if got := Replace(re, "a1b23", `<\0|\2|\x>`); got != `a<1||\x>b<23|3|\x>` {
		t.Errorf("got %q", got)
	}
}
