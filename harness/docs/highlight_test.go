package docs

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// spans lists the highlighted words of a search as "class:text".
func spans(h string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<span class="([^l])">([^<]*)</span>`).FindAllStringSubmatch(h, -1) {
		out = append(out, m[1]+":"+html.UnescapeString(m[2]))
	}
	return out
}

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{"`cloudtrail` eventName=DeleteBucket ```why```", []string{"m:`cloudtrail`", "a:eventName", "x:```why```"}},
		{`search user="a b" | head 10`, []string{"c:search", "a:user", `s:"a b"`, "p:|", "c:head", "n:10"}},
		// A word at the start is a command only if there is one of its name.
		{"error OR fail", []string{"k:OR"}},
		{"| stats count dc(src) as n by user, dest", []string{"p:|", "c:stats", "f:count", "f:dc", "k:as", "a:n", "k:by", "a:user", "a:dest"}},
		// Outside an aggregating command, count is a field; lowercase and is a term.
		{"x | where count > 5 AND user!=admin and", []string{"p:|", "c:where", "a:count", "n:5", "k:AND", "a:user"}},
		{"| eval x=if(a>0, \"pos\", lower(b))", []string{"p:|", "c:eval", "a:x", "f:if", "a:a", "n:0", `s:"pos"`, "f:lower"}},
		{"a | join user [search b | stats count by u] | table u", []string{"p:|", "c:join", "c:search", "p:|", "c:stats", "f:count", "k:by", "a:u", "p:|", "c:table"}},
		{"| tstats count from datamodel=Change where All_Changes.action=created by All_Changes.user span=1h",
			[]string{"p:|", "c:tstats", "f:count", "k:from", "a:datamodel", "k:where", "a:All_Changes.action", "k:by", "a:All_Changes.user", "a:span"}},
		{"| rename a AS b | lookup users uid OUTPUT name", []string{"p:|", "c:rename", "k:AS", "a:b", "p:|", "c:lookup", "k:OUTPUT"}},
		{`x="a | b" | eval y=a||b`, []string{"a:x", `s:"a | b"`, "p:|", "c:eval", "a:y"}},
		{"```c``` | `m(1)` | head", []string{"x:```c```", "p:|", "m:`m(1)`", "p:|", "c:head"}},
		{`x="unterminated | y`, []string{"a:x"}},
		{"<script>&", nil},
	} {
		got := Highlight(tc.search)
		if diff := cmp.Diff(tc.want, spans(string(got))); diff != "" {
			t.Errorf("Highlight(%q) (-want +got):\n%s\n%s", tc.search, diff, got)
		}
		if text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(got), "")); text != tc.search {
			t.Errorf("Highlight(%q) reads %q", tc.search, text)
		}
	}
}

// FuzzHighlight checks, on any text, that the layout changes only the
// whitespace before top-level pipes, and that the highlighted layout is
// well-formed HTML whose text is the layout.
//
// go test -run '^$' -fuzz FuzzHighlight ./harness/docs
func FuzzHighlight(f *testing.F) {
	for _, s := range []string{
		"`cloudtrail` eventName=DeleteBucket | stats count by user | `x_filter`",
		`search a="b | c" [search d | head 1] | eval e=f||g | where x!=1 ` + "```c | d```",
		"| tstats count from datamodel=Change by All_Changes.user span=1h",
		`rex "(?<x>a|b)" | eval y="\"" | table <<FIELD>>`,
		"a\n|  b\t| c",
		`x="open | y`,
	} {
		f.Add(s)
	}
	tag := regexp.MustCompile(`<span class="[a-z]">|</span>`)
	f.Fuzz(func(t *testing.T, s string) {
		laid := Layout(s)
		if strip(laid) != strip(s) {
			t.Fatalf("Layout(%q) = %q changes more than whitespace", s, laid)
		}
		h := string(Highlight(laid))
		if strings.Count(h, "<span") != strings.Count(h, "</span>") {
			t.Fatalf("unbalanced spans in %q", h)
		}
		bare := tag.ReplaceAllString(h, "")
		if strings.ContainsAny(bare, "<>\"'") {
			t.Fatalf("unescaped text in %q", h)
		}
		// html/template writes a NUL as U+FFFD, as HTML parsers read it.
		if got := html.UnescapeString(bare); got != strings.ReplaceAll(laid, "\x00", "\uFFFD") {
			t.Fatalf("Highlight(%q) reads %q", laid, got)
		}
	})
}

// strip drops whitespace, which is all Layout may change.
func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' {
			return -1
		}
		return r
	}, s)
}
