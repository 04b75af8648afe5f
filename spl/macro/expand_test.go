package macro_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// testSet is the macro library the table tests expand against.
func testSet(t testing.TB) *macro.Set {
	t.Helper()
	s := macro.NewSet()
	for _, m := range []macro.Macro{
		{Name: "cloudtrail", Definition: "sourcetype=aws:cloudtrail"},
		{Name: "security_content_ctime", Args: []string{"field"}, Definition: `convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)`},
		{Name: "foo", Definition: "FOO"},
		{Name: "foo", Args: []string{"x"}, Definition: "FOO1 $x$"},
		{Name: "two", Args: []string{"a", "b"}, Definition: "a=$a$ b=$b$"},
		{Name: "nested", Definition: "`cloudtrail` | `foo(`"},
		{Name: "nest", Definition: "`cloudtrail` | `foo(1)`"},
		{Name: "quoted", Args: []string{"x"}, Definition: `eval y="$x$" z='$x$'`},
		{Name: "dollars", Args: []string{"x"}, Definition: `eval a="$$" b=$other$ c=$x$$x$ d=$x`},
		{Name: "tick_in_string", Definition: "eval p=replace(p, \"`\", \"\")"},
		{Name: "commented", Definition: "search a ```why `x` here``` b"},
		{Name: "empty", Definition: ""},
		{Name: "rec", Definition: "search `rec`"},
		{Name: "ping", Definition: "`pong`"},
		{Name: "pong", Definition: "x `ping`"},
		{Name: "calls_undefined", Definition: "`nope`"},
		{Name: "unterminated", Definition: "search `foo"},
		{Name: "bad_comment", Definition: "search ```foo"},
		{Name: "summariesonly", Definition: "summariesonly=`sum_cfg` fillnull_value=`null_cfg`"},
		{Name: "sum_cfg", Definition: "false"},
		{Name: "null_cfg", Definition: "null"},
		{Name: "swap", Args: []string{"a", "b"}, Definition: "$b$ $a$"},
	} {
		if err := s.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestExpand(t *testing.T) {
	set := testSet(t)
	tests := []struct {
		name, in, want string
		opts           macro.Options
	}{
		{"no macros", `index=main | stats count`, `index=main | stats count`, macro.Options{}},
		{"simple", "`cloudtrail` eventName=X", "sourcetype=aws:cloudtrail eventName=X", macro.Options{}},
		{"argument", "| `security_content_ctime(firstTime)`", `| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)`, macro.Options{}},
		{"overload 0", "`foo`", "FOO", macro.Options{}},
		{"overload 1", "`foo(bar)`", "FOO1 bar", macro.Options{}},
		{"empty parens is no arguments", "`foo()`", "FOO", macro.Options{}},
		{"nested", "`nest` | x", "sourcetype=aws:cloudtrail | FOO1 1 | x", macro.Options{}},
		{"nested with quotes in definition", "tstats `summariesonly` count", "tstats summariesonly=false fillnull_value=null count", macro.Options{}},
		{"arguments trimmed", "`two( 1 ,  2 )`", "a=1 b=2", macro.Options{}},
		{"quoted argument keeps quotes and commas", "`two(\"x, y\", (f(a, b)))`", `a="x, y" b=(f(a, b))`, macro.Options{}},
		{"escaped quote in argument", "`foo(\"a\\\",b\")`", `FOO1 "a\",b"`, macro.Options{}},
		{"argument order", "`swap(1,2)`", "2 1", macro.Options{}},
		{"drop_dm_object_name quoted", "| `drop_dm_object_name(\"All_Changes\")`", `| rename "All_Changes".* AS *`, macro.Options{}},
		{"drop_dm_object_name bare", "| `drop_dm_object_name(All_Changes)`", `| rename All_Changes.* AS *`, macro.Options{}},
		{"arg substituted inside quotes", "`quoted(v)`", `eval y="v" z='v'`, macro.Options{}},
		{"dollars that are not arguments", "`dollars(v)`", `eval a="$$" b=$other$ c=vv d=$x`, macro.Options{}},
		{"dollars in the search are left alone", "eval a=\"$x$\" | `foo`", `eval a="$x$" | FOO`, macro.Options{}},
		{"backticks in strings are not calls", "search a=\"`foo`\" b=\"x\\\"`foo`\" `foo`", "search a=\"`foo`\" b=\"x\\\"`foo`\" FOO", macro.Options{}},
		{"escaped backtick is not a call", "search a=\\`foo\\` `foo`", "search a=\\`foo\\` FOO", macro.Options{}},
		{"backtick in a string of a definition", "`tick_in_string`", "eval p=replace(p, \"`\", \"\")", macro.Options{}},
		{"comment removed", "search a ```a comment``` | `foo`", "search a  | FOO", macro.Options{}},
		{"comment with backticks", "search a ```not `a_macro` here``` b", "search a  b", macro.Options{}},
		{"comment over lines", "search a\n```one\ntwo```\n| `foo`", "search a\n\n| FOO", macro.Options{}},
		{"comment inside quotes is text", "search a=\"```x```\"", "search a=\"```x```\"", macro.Options{}},
		{"comment in a definition", "`commented`", "search a  b", macro.Options{}},
		{"empty definition", "a `empty` b", "a  b", macro.Options{}},
		{"auto filter", "search a | `my_detection_filter`", "search a | search *", macro.Options{AutoFilter: true}},
		{"defined filter wins over auto", "`foo`", "FOO", macro.Options{AutoFilter: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := macro.Expand(diag.NewSource("s.spl", tc.in), set, tc.opts)
			if err != nil {
				t.Fatalf("Expand(%q): %v", tc.in, err)
			}
			if e.Text != tc.want {
				t.Errorf("Expand(%q)\n got %q\nwant %q", tc.in, e.Text, tc.want)
			}
			if e.Source.Text != e.Text || e.Source.Name != "s.spl" {
				t.Errorf("Source = %q %q", e.Source.Name, e.Source.Text)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	set := testSet(t)
	tests := []struct {
		name, in string
		opts     macro.Options
		code     diag.Code
		offset   int
		want     string // Error()
	}{
		{"undefined", "index=a | `nope` | x", macro.Options{}, diag.MacroUndefined, 10,
			"s.spl:1:11: macro-undefined: macro `nope` is not defined"},
		{"undefined filter without auto", "a\n| `x_filter`", macro.Options{}, diag.MacroUndefined, 4,
			"s.spl:2:3: macro-undefined: macro `x_filter` is not defined"},
		{"auto filter takes no arguments", "`x_filter(1)`", macro.Options{AutoFilter: true}, diag.MacroUndefined, 0,
			"s.spl:1:1: macro-undefined: macro `x_filter` is not defined"},
		{"arity", "`security_content_ctime(a, b)`", macro.Options{}, diag.MacroArity, 0,
			"s.spl:1:1: macro-arity: macro `security_content_ctime` takes 1 argument, called with 2"},
		{"arity of zero-argument macro", "x `cloudtrail(a)`", macro.Options{}, diag.MacroArity, 2,
			"s.spl:1:3: macro-arity: macro `cloudtrail` takes 0 arguments, called with 1"},
		{"arity with overloads", "`foo(a,b)`", macro.Options{}, diag.MacroArity, 0,
			"s.spl:1:1: macro-arity: macro `foo` takes 0 or 1 arguments, called with 2"},
		{"undefined in a definition", "ab `calls_undefined`", macro.Options{}, diag.MacroUndefined, 3,
			"s.spl:1:4: macro-undefined: macro `nope` is not defined (in `calls_undefined`)"},
		{"direct recursion", "a\n  `rec`", macro.Options{}, diag.MacroRecursion, 4,
			"s.spl:2:3: macro-recursion: macro `rec` calls itself: `rec` → `rec`"},
		{"indirect recursion", "`ping`", macro.Options{}, diag.MacroRecursion, 0,
			"s.spl:1:1: macro-recursion: macro `ping` calls itself: `ping` → `pong` → `ping`"},
		{"unterminated call", "search `foo | x", macro.Options{}, diag.Syntax, 7,
			"s.spl:1:8: spl-syntax: unterminated macro call: missing closing backtick"},
		{"unterminated call in a definition", "a `unterminated`", macro.Options{}, diag.Syntax, 2,
			"s.spl:1:3: spl-syntax: unterminated macro call: missing closing backtick (in `unterminated`)"},
		{"unterminated comment", "search a ```no end `foo`", macro.Options{}, diag.Syntax, 9,
			"s.spl:1:10: spl-syntax: unterminated ``` comment"},
		{"unterminated comment in a definition", "`bad_comment`", macro.Options{}, diag.Syntax, 0,
			"s.spl:1:1: spl-syntax: unterminated ``` comment (in `bad_comment`)"},
		{"empty call", "a `` b", macro.Options{}, diag.Syntax, 2,
			"s.spl:1:3: spl-syntax: empty macro call"},
		{"no closing parenthesis", "`foo(a`", macro.Options{}, diag.Syntax, 0,
			"s.spl:1:1: spl-syntax: macro call `foo` has no closing parenthesis"},
		{"unterminated string in an argument", "x `two(a, \"b)`", macro.Options{}, diag.Syntax, 10,
			"s.spl:1:11: spl-syntax: unterminated string in the arguments of macro `two`"},
		{"depth limit", "`nest`", macro.Options{MaxDepth: 1}, diag.Limit, 0,
			"s.spl:1:1: limit: macros nested more than 1 deep (in `nest`)"},
		{"size limit", "0123456789 `foo`", macro.Options{MaxSize: 12}, diag.Limit, 11,
			"s.spl:1:12: limit: expanded search is larger than 12 bytes (in `foo`)"},
		{"size limit in copied text", "`foo` 0123456789", macro.Options{MaxSize: 8}, diag.Limit, 10,
			"s.spl:1:11: limit: expanded search is larger than 8 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := diag.NewSource("s.spl", tc.in)
			e, err := macro.Expand(src, set, tc.opts)
			if err == nil {
				t.Fatalf("Expand(%q) = %q, want an error", tc.in, e.Text)
			}
			var de *diag.Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v is a %T", err, err)
			}
			if de.Code != tc.code || de.Offset != tc.offset || de.Source != src {
				t.Errorf("error code %s offset %d, want %s %d (same source: %v)", de.Code, de.Offset, tc.code, tc.offset, de.Source == src)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Error()\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestRenderedError(t *testing.T) {
	src := diag.NewSource("d.yml", "index=a\n| `nope`\n")
	_, err := macro.Expand(src, macro.NewSet(), macro.Options{})
	want := "d.yml:2:3: macro-undefined: macro `nope` is not defined\n  | `nope`\n    ^\n"
	if got := err.(*diag.Error).Render(); got != want {
		t.Errorf("Render()\n got %q\nwant %q", got, want)
	}
}

// TestExpansionLimitsExponential checks that macros doubling the text at
// every level stop at the size cap, and ones that fan out without output
// stop at the call cap, both quickly.
func TestExpansionLimitsExponential(t *testing.T) {
	s := macro.NewSet()
	for i := 0; i < 40; i++ {
		double, fan := fmt.Sprintf("`m%d`", i+1), fmt.Sprintf("`e%d`", i+1)
		if i == 39 {
			double, fan = "x", ""
		}
		for _, m := range []macro.Macro{
			{Name: fmt.Sprintf("m%d", i), Definition: double + double},
			{Name: fmt.Sprintf("e%d", i), Definition: fan + "```c```" + fan},
		} {
			if err := s.Add(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, in := range []string{"`m0`", "`e0`"} {
		_, err := macro.Expand(diag.NewSource("", in), s, macro.Options{})
		var de *diag.Error
		if !errors.As(err, &de) || de.Code != diag.Limit {
			t.Errorf("Expand(%s) = %v, want a limit error", in, err)
		}
	}
}

func TestOriginalOffset(t *testing.T) {
	set := testSet(t)
	//          0         1         2         3         4
	//          0123456789012345678901234567890123456789012345
	in := "`cloudtrail` a ```c``` | `foo(1)` | stats count"
	e, err := macro.Expand(diag.NewSource("s.spl", in), set, macro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "sourcetype=aws:cloudtrail a  | FOO1 1 | stats count"; e.Text != want {
		t.Fatalf("Text = %q, want %q", e.Text, want)
	}
	at := func(s string) int { return strings.Index(e.Text, s) }
	tests := []struct {
		name     string
		expanded int
		want     int
	}{
		{"start of macro output", 0, 0},
		{"inside macro output", at("aws"), 0},
		{"text after a macro", at("a  |"), 13},
		{"after a removed comment", at("| FOO"), 23},
		{"inside a nested-position macro", at("FOO1") + 2, 25},
		{"after the second macro", at("| stats"), 34},
		{"stats", at("stats"), strings.Index(in, "stats")},
		{"end of text", len(e.Text), len(in)},
		{"past the end", len(e.Text) + 5, len(in)},
		{"negative", -3, 0},
	}
	for _, tc := range tests {
		if got := e.OriginalOffset(tc.expanded); got != tc.want {
			t.Errorf("%s: OriginalOffset(%d) = %d, want %d", tc.name, tc.expanded, got, tc.want)
		}
	}

	// An error found in the expanded text renders where it was written.
	err = diag.Errorf(e.Source, diag.Syntax, at("count"), "boom")
	if want := "s.spl:1:43: spl-syntax: boom"; err.Error() != want {
		t.Errorf("error on expanded text = %q, want %q", err.Error(), want)
	}
	err = diag.Errorf(e.Source, diag.Syntax, at("FOO1 1")+5, "in macro")
	if want := "s.spl:1:26: spl-syntax: in macro"; err.Error() != want {
		t.Errorf("error inside a macro = %q, want %q", err.Error(), want)
	}

	wantUses := []macro.Use{
		{Name: "cloudtrail", Arity: 0, Offset: 0},
		{Name: "foo", Arity: 1, Offset: 25},
	}
	if len(e.Uses) != len(wantUses) {
		t.Fatalf("Uses = %+v", e.Uses)
	}
	for i, u := range wantUses {
		if e.Uses[i] != u {
			t.Errorf("Uses[%d] = %+v, want %+v", i, e.Uses[i], u)
		}
	}
}

func TestNestedUsesAndLocate(t *testing.T) {
	set := testSet(t)
	// The search sits at line 10, column 9 of a YAML file.
	text := "x\n`nest`"
	src := &diag.Source{Name: "det.yml", Text: text, Locate: func(off int) diag.Position {
		p := diag.TextPosition(text, off)
		if p.Line == 1 {
			p.Column += 8
		}
		p.Line += 9
		p.File = "det.yml"
		return p
	}}
	e, err := macro.Expand(src, set, macro.Options{AutoFilter: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []macro.Use{
		{Name: "nest", Offset: 2},
		{Name: "cloudtrail", Offset: 2, Depth: 1},
		{Name: "foo", Arity: 1, Offset: 2, Depth: 1},
	}
	for i, u := range want {
		if i >= len(e.Uses) || e.Uses[i] != u {
			t.Errorf("Uses = %+v, want %+v", e.Uses, want)
			break
		}
	}
	if p := e.Source.Position(strings.Index(e.Text, "FOO1")); p.String() != "det.yml:11:1" {
		t.Errorf("position inside the expansion = %s, want det.yml:11:1", p)
	}
	if p := e.Source.Position(0); p.String() != "det.yml:10:9" {
		t.Errorf("position of the first byte = %s, want det.yml:10:9", p)
	}
}
