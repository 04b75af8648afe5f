package exec

import (
	"strings"
	"testing"
)

// nextAnchorNaive is nextAnchor's contract, byte by byte.
func nextAnchorNaive(text string, from int, lit string) int {
	for x := from; x < len(text); x++ {
		if text[x] == '\\' || x+len(lit) <= len(text) && equalLowerASCII(text[x:x+len(lit)], lit) {
			return x
		}
	}
	return len(text)
}

// FuzzNextAnchor: the block walk (nextAnchor, over anchorBlocks' blocks
// of 32 and its tails) stops at the first backslash or occurrence of the
// literal, ignoring ASCII case, at or after any start, for any pair of
// the literal's bytes the data's sample makes it walk by.
func FuzzNextAnchor(f *testing.F) {
	f.Add(`{"eventName":"DeleteGuardrail"}`+"\n"+`{"x":"deleteguardrail"}`, `"deleteguardrail"`, "sample", uint8(0))
	f.Add(strings.Repeat("a", 70)+`Delete\u0047uardrail`+strings.Repeat("b", 40), "deleteguardrail", "zzz", uint8(3))
	f.Add(strings.Repeat("x", 100)+"AB", "ab", "ab", uint8(1))
	f.Add(`\`+strings.Repeat("y", 64)+`\`, "yz", "", uint8(2))
	f.Fuzz(func(t *testing.T, text, lit, sample string, from uint8) {
		if len(lit) < 2 || len(lit) > 40 || len(text) > 4000 {
			return
		}
		lit = strings.ToLower(lit)
		for i := 0; i < len(lit); i++ {
			if lit[i] < ' ' || lit[i] > '~' || lit[i] == '\\' {
				return
			}
		}
		fl := newFoldLiteral(lit)
		fl.pair = true
		var freq [256]int
		for i := 0; i < len(sample); i++ {
			freq[sample[i]]++
		}
		fl.chooseAnchor(&freq)
		fl.choosePair(sample, samplePositions(sample), &freq)
		for start := int(from) % (len(text) + 1); start <= len(text); start += 1 + int(from)%7 {
			if got, want := nextAnchor(text, start, fl), nextAnchorNaive(text, start, lit); got != want {
				t.Fatalf("nextAnchor(%q, %d, %q (pair %d %d)) = %d, want %d", text, start, lit, fl.p1, fl.p2, got, want)
			}
		}
	})
}

// TestAnchorBlocks: the assembly and the Go loop agree on every length
// and place of a match.
func TestAnchorBlocks(t *testing.T) {
	for n := 32; n < 200; n += 7 {
		for at := -1; at < n+8; at += 5 {
			s := []byte(strings.Repeat("q", n+8))
			if at >= 0 {
				s[at] = "\\A"[at%2]
				if at%2 == 1 && at+3 < len(s) {
					s[at+3] = 'b'
				}
			}
			got := anchorBlocks(string(s), 'a', 'b', 3, n)
			want := anchorBlocksGo(string(s), 'a', 'b', 3, n)
			if got != want {
				t.Fatalf("n %d, at %d: %d, want %d", n, at, got, want)
			}
		}
	}
}
