package exec

import (
	"slices"
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
			if got, want := nextAnchor(text, start, fl, nil), nextAnchorNaive(text, start, lit); got != want {
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
			for _, nlAt := range []int{-1, 0, 31, 32, at + 1, n - 1} {
				if nlAt >= 0 && nlAt < len(s) && nlAt != at {
					s[nlAt] = '\n'
				}
				for _, base := range []int{0, 5, 63} {
					var nl, nlGo lineList
					nl.reset(base + len(s))
					nlGo.reset(base + len(s))
					got := anchorBlocks(string(s), 'a', 'b', 3, n, &nl, base)
					want := anchorBlocksGo(string(s), 'a', 'b', 3, n, &nlGo, base)
					if got != want {
						t.Fatalf("n %d, at %d: %d, want %d", n, at, got, want)
					}
					// Every newline below the covered end is set, and no
					// bit that is not a newline.
					covered := ^got
					if got >= 0 {
						covered = got + 1
					}
					for q := range s {
						p := base + q
						set := slices.Contains(nl.pos[:nl.n], int32(p))
						if set && s[q] != '\n' || !set && s[q] == '\n' && q < covered {
							t.Fatalf("n %d, at %d, base %d: bit of %d is %v, byte %q", n, at, base, q, set, s[q])
						}
					}
					if got := anchorBlocks(string(s), 'a', 'b', 3, n, nil, base); got != want {
						t.Fatalf("n %d, at %d, no bits: %d, want %d", n, at, got, want)
					}
				}
			}
		}
	}
}

// FuzzLineEnd: the line ends the anchor cursor gives the reader, asked
// line after line as reader.block asks them, are bytes.IndexByte's,
// whatever the walks for one or two anchors jumped over, with the
// assembly and with the Go loop.
func FuzzLineEnd(f *testing.F) {
	rec := `{"eventSource":"bedrock.amazonaws.com","eventName":"ListFoundationModels"}`
	f.Add(strings.Repeat(rec+"\n", 40)+rec, "bedrock", "deleteguardrail", rec, false)
	f.Add(strings.Repeat(rec+"\r\n\n  \n", 9)+`{"eventName":"DeleteGuardrail"}`+"\n"+strings.Repeat(rec+"\n", 9), "deleteguardrail", "", rec, true)
	f.Add(strings.Repeat("\n", 200)+strings.Repeat("x", 300)+"\n", "xy", "\\u", "xxxx", false)
	f.Fuzz(func(t *testing.T, text, lit, lit2, sample string, noAVX2 bool) {
		if len(text) > 20000 {
			return
		}
		if noAVX2 {
			defer func(had bool) { hasAVX2 = had }(hasAVX2)
			hasAVX2 = false
		}
		var freq [256]int
		for i := 0; i < len(sample); i++ {
			freq[sample[i]]++
		}
		c := &anchorCursor{text: text}
		for _, l := range []string{lit, lit2} {
			l = strings.ToLower(l)
			if len(l) < 2 || len(l) > 40 {
				continue
			}
			ok := true
			for i := 0; i < len(l); i++ {
				ok = ok && l[i] >= ' ' && l[i] <= '~' && l[i] != '\\'
			}
			if !ok {
				continue
			}
			fl := newFoldLiteral(l)
			fl.pair = true
			fl.chooseAnchor(&freq)
			fl.choosePair(sample, samplePositions(sample), &freq)
			c.lits = append(c.lits, fl)
		}
		if len(c.lits) == 0 {
			return
		}
		c.next = make([]int, len(c.lits))
		for i := range c.next {
			c.next[i] = -1
		}
		// A stale bitmap of another block must not leak in.
		c.nl.reset(len(text))
		for i := range c.nl.pos {
			c.nl.pos[i] = int32(i)
		}
		c.nl.n = len(c.nl.pos)
		c.nl.reset(len(text))
		for start := 0; start < len(text); {
			got := c.lineEnd(start)
			want := strings.IndexByte(text[start:], '\n')
			if want >= 0 {
				want += start
			}
			if got != want {
				t.Fatalf("lineEnd(%d) = %d, want %d (text %q, lits %q %q)", start, got, want, text, lit, lit2)
			}
			if got < 0 {
				break
			}
			start = got + 1
		}
	})
}
