package exec

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// slowFoldPair is indexFoldPair's definition, position by position.
func slowFoldPair(s string, a, b byte, d int) (int, bool) {
	for q := 0; q+d < len(s); q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q, false
		}
	}
	return -1, strings.Contains(s, `\`)
}

// foldPairAgrees checks indexFoldPair (the assembly where pairSearch is
// on) against slowFoldPair, for every distance up to len(s) and pairs of
// bytes taken from s, so that matches are common, at block edges too.
func foldPairAgrees(t *testing.T, s string, a, b byte) {
	t.Helper()
	a, b = a|0x20, b|0x20
	for d := 1; d <= len(s)+1; d++ {
		got, gotEsc := indexFoldPair(s, a, b, d)
		want, wantEsc := slowFoldPair(s, a, b, d)
		if got != want || gotEsc != wantEsc {
			t.Fatalf("indexFoldPair(%q, %q, %q, %d) = %d %v, want %d %v", s, a, b, d, got, gotEsc, want, wantEsc)
		}
	}
}

func TestIndexFoldPair(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aAbB.\x0e@`zZ\x80\xc3\\|"
	for range 3000 {
		b := make([]byte, r.IntN(130))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		foldPairAgrees(t, s, alphabet[r.IntN(len(alphabet))], alphabet[r.IntN(len(alphabet))])
	}
	// A lone match at every position of texts around the block size.
	for n := 2; n <= 100; n++ {
		for q := 0; q < n; q++ {
			b := []byte(strings.Repeat("x", n))
			b[q] = 'Q'
			if q+3 < n {
				b[q+3] = 'r'
			}
			foldPairAgrees(t, string(b), 'q', 'R')
		}
	}
}

// TestFoldPairBlocks checks the block contract indexFoldPair relies on,
// in the assembly (where the processor has AVX2) and in Go: the first
// match of the whole blocks, or ^ the first position not tested and
// whether a backslash was among the first bytes of the positions tested.
func TestFoldPairBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]byte, 1+r.IntN(200))
		for i := range b {
			b[i] = "abAB\\"[r.IntN(5)]
		}
		s := string(b)
		d := 1 + r.IntN(len(s))
		n := len(s) - d
		if n < 0 {
			continue
		}
		end := n &^ 31
		want, wantEsc := ^end, strings.Contains(s[:end], `\`)
		if q, _ := slowFoldPair(s[:n&^31+d], 'a', 'b', d); q >= 0 {
			want, wantEsc = q, false
		}
		for name, blocks := range map[string]func(string, byte, byte, int, int) (int, bool){
			"foldPairBlocks": foldPairBlocks, "foldPairBlocksGo": foldPairBlocksGo,
		} {
			if got, gotEsc := blocks(s, 'a', 'b', d, n); got != want || gotEsc != wantEsc {
				t.Fatalf("%s(%q, d=%d, n=%d) = %d %v, want %d %v", name, s, d, n, got, gotEsc, want, wantEsc)
			}
		}
	}
}

func FuzzIndexFoldPair(f *testing.F) {
	f.Add(`{"eventSource":"BEDROCK.amazonaws.com","eventName":"DeleteGuardrail"}`, byte('b'), byte('m'), 20)
	f.Add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", byte('a'), byte('b'), 1)
	f.Fuzz(func(t *testing.T, s string, a, b byte, d int) {
		if d < 1 || d > len(s)+1 {
			return
		}
		a, b = a|0x20, b|0x20
		got, gotEsc := indexFoldPair(s, a, b, d)
		want, wantEsc := slowFoldPair(s, a, b, d)
		if got != want || gotEsc != wantEsc {
			t.Fatalf("indexFoldPair(%q, %q, %q, %d) = %d %v, want %d %v", s, a, b, d, got, gotEsc, want, wantEsc)
		}
	})
}

// TestRuleOutEscapes: a record holding a \u escape anywhere is let
// through whatever the literals' searches found (its escape may spell a
// literal), now that the check for one comes after them and is skipped
// where a search went through the whole record and saw no backslash; a
// record without the literals is ruled out, with other escapes or none.
func TestRuleOutEscapes(t *testing.T) {
	lits := []string{"deleteguardrail", "bedrock.amazonaws.com", "deletemodelinvocationloggingconfiguration", "ab"}
	pad := strings.Repeat(`"k":"vvvvvvvv",`, 8)
	for _, lit := range lits {
		for _, pair := range []bool{true, false} {
			pf := &prefilters{every: true, some: true, lits: map[string]*foldLiteral{}}
			pf.plans = append(pf.plans, (&prefilter{op: 'l', lit: lit}).bind(pf.lits))
			for _, f := range pf.lits {
				f.pair = pair
			}
			var memo literalMemo
			for _, c := range []struct {
				raw string
				out bool
			}{
				{`{` + pad + `"x":"` + lit[:1] + `\u00` + lit[1:] + `"}`, false},
				{`{"\u0061":1,` + pad + `"x":"y"}`, false},
				{`{` + pad + `"x":"y\u0041"}`, false},
				{`{"a":"\u0041"}`, false},
				{`{` + pad + `"x":"y"}`, true},
				{`{` + pad + `"x":"y\"\\"}`, true},
				{`{"\\":"\""}`, true},
				{`{` + pad + `"x":"` + strings.ToUpper(lit) + `"}`, false},
			} {
				outs := make([]bool, len(pf.plans))
				pf.ruleOut(c.raw, false, &memo, outs)
				out := outs[len(outs)-1]
				if out != c.out {
					t.Errorf("%q (pair search %v) in %s: ruled out %v, want %v", lit, pair, c.raw, out, c.out)
				}
			}
		}
	}
}

// TestChoosePair: the pair search takes the literal's pair of bytes that
// the sample holds least often at their distance in the literal, where
// that is fewer than chooseAnchor's pair (the rarest byte and the next
// rarest), which is kept when the sample does not hold it. A JSON
// string's quote is in every record, but a quote before a given letter
// is not: in the first case, g, t and e are rare, and "g.t" is in both
// "target" and "get-it", while a quote before g only in the second.
// Neither is a record's only pair: the second case's two quotes are
// a string of three bytes apart, which the sample has none of.
func TestChoosePair(t *testing.T) {
	held := func(sample, lit string, i, j int) int {
		n := 0
		for q := 0; q+j-i < len(sample); q++ {
			if sample[q]|0x20 == lit[i]|0x20 && sample[q+j-i]|0x20 == lit[j]|0x20 {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		sample, lit string
		p1, p2      int // the pair chosen, when the case says (p2 > 0)
	}{
		{`{"eventName":"PutObject","target":"get-it","region":"eu"}`, `"get`, 0, 1},
		{`{"eventName":"PutObject","target":"get-it","region":"eu"}`, `"get"`, 0, 4}, // no string of three bytes
		{`{"clientlist":"slim","lime":"olive","dolit":"zzzzz","ttttttttt":"ssssss"}`, "list", 0, 0},
		{`{"clientlist":"slim","lime":"olive","dolit":"zzzzz","ttttttttt":"ssssss"}`, `"list"`, 0, 0},
		{`{"a":"b","c":"d"}`, "xyz", 0, 0},
		{`{"eventName":"ListBuckets","eventSource":"s3.amazonaws.com"}`, `"listbuckets"`, 0, 0},
		{`aaaaaaaa`, "aa", 0, 1},
	} {
		var freq [256]int
		for i := 0; i < len(c.sample); i++ {
			freq[c.sample[i]]++
		}
		f := newFoldLiteral(c.lit)
		f.pair = true
		f.chooseAnchor(&freq)
		base1, base2 := f.p1, f.p2
		f.choosePair(c.sample, samplePositions(c.sample), &freq)
		least := held(c.sample, c.lit, base1, base2)
		for i := 0; i < len(c.lit); i++ {
			for j := i + 1; j < len(c.lit); j++ {
				least = min(least, held(c.sample, c.lit, i, j))
			}
		}
		switch got := held(c.sample, c.lit, f.p1, f.p2); {
		case held(c.sample, c.lit, base1, base2) == 0 && (f.p1 != base1 || f.p2 != base2):
			t.Errorf("%q in %s: pair (%d, %d), want chooseAnchor's (%d, %d), which the sample does not hold", c.lit, c.sample, f.p1, f.p2, base1, base2)
		case got != least:
			t.Errorf("%q in %s: pair (%d, %d) held %d times, want a pair held %d", c.lit, c.sample, f.p1, f.p2, got, least)
		case c.p2 > 0 && (f.p1 != c.p1 || f.p2 != c.p2):
			t.Errorf("%q in %s: pair (%d, %d), want (%d, %d)", c.lit, c.sample, f.p1, f.p2, c.p1, c.p2)
		}
		if e := f.entry; e.a[0] != c.lit[f.p1]|0x20 || e.b[0] != c.lit[f.p2]|0x20 || e.d != f.p2-f.p1 {
			t.Errorf("%q: the several-pair entry (%q, %q, %d) is not the pair (%d, %d)", c.lit, e.a[0], e.b[0], e.d, f.p1, f.p2)
		}
		for _, text := range []string{c.sample, c.sample + strings.ToUpper(c.lit), strings.ToUpper(c.lit), "x" + c.lit[1:]} {
			if got, want := f.in(text), strings.Contains(strings.ToLower(text), c.lit); got != want {
				t.Errorf("%q in %q: %v, want %v", c.lit, text, got, want)
			}
		}
	}
}
