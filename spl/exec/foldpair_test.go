package exec

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// slowFoldPair is indexFoldPair's definition, position by position.
func slowFoldPair(s string, a, b byte, d int) int {
	for q := 0; q+d < len(s); q++ {
		if s[q]|0x20 == a && s[q+d]|0x20 == b {
			return q
		}
	}
	return -1
}

// foldPairAgrees checks indexFoldPair (the assembly where pairSearch is
// on) against slowFoldPair, for every distance up to len(s) and pairs of
// bytes taken from s, so that matches are common, at block edges too.
func foldPairAgrees(t *testing.T, s string, a, b byte) {
	t.Helper()
	a, b = a|0x20, b|0x20
	for d := 1; d <= len(s)+1; d++ {
		if got, want := indexFoldPair(s, a, b, d), slowFoldPair(s, a, b, d); got != want {
			t.Fatalf("indexFoldPair(%q, %q, %q, %d) = %d, want %d", s, a, b, d, got, want)
		}
	}
}

func TestIndexFoldPair(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aAbB.\x0e@`zZ\x80\xc3"
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

// TestFoldPairBlocks checks the assembly's block contract as
// indexFoldPair relies on it: the first match of the whole blocks, or ^
// the first position not tested.
func TestFoldPairBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]byte, 1+r.IntN(200))
		for i := range b {
			b[i] = "abAB"[r.IntN(4)]
		}
		s := string(b)
		d := 1 + r.IntN(len(s))
		n := len(s) - d
		if n < 0 {
			continue
		}
		got := foldPairBlocks(s, 'a', 'b', d, n)
		want := ^(n &^ 31)
		if q := slowFoldPair(s[:n&^31+d], 'a', 'b', d); q >= 0 {
			want = q
		}
		if got != want {
			t.Fatalf("foldPairBlocks(%q, d=%d, n=%d) = %d, want %d", s, d, n, got, want)
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
		if got, want := indexFoldPair(s, a, b, d), slowFoldPair(s, a, b, d); got != want {
			t.Fatalf("indexFoldPair(%q, %q, %q, %d) = %d, want %d", s, a, b, d, got, want)
		}
	})
}
