package exec

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestAppendLowerASCII: the word-at-a-time lowercasing agrees with a
// byte-at-a-time one on every byte value, at every alignment.
func TestAppendLowerASCII(t *testing.T) {
	var all []byte
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	all = append(all, "AZaz@[`{ Bedrock.AMAZONAWS.com \xc3\x89\xff\x80"...)
	for start := 0; start < 16; start++ {
		raw := all[start:]
		want := make([]byte, len(raw))
		for i, c := range raw {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			want[i] = c
		}
		got := appendLowerASCII([]byte("x"), raw)
		if !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("start %d:\n got %q\nwant %q", start, got, want)
		}
	}
}

func BenchmarkAppendLowerASCII(b *testing.B) {
	raw := bytes.Repeat([]byte(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Alice"},"eventSource":"S3.amazonaws.com"}`), 16)
	buf := make([]byte, 0, len(raw))
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		buf = appendLowerASCII(buf[:0], raw)
	}
}

// TestLiteralMemo: remembered answers equal fresh searches, also past the
// memo's capacity.
func TestLiteralMemo(t *testing.T) {
	text := "bedrock.amazonaws.com deleteguardrail lit3 lit17 "
	var m literalMemo
	for round := 0; round < 2; round++ {
		for i := 0; i < 20; i++ {
			lit := fmt.Sprintf("lit%d ", i) // 20 literals: more than the memo holds
			if got, want := m.contains(text, lit), strings.Contains(text, lit); got != want {
				t.Errorf("round %d: contains(%q) = %v, want %v", round, lit, got, want)
			}
		}
		if !m.contains(text, "bedrock.amazonaws.com") || m.contains(text, "listfoundationmodels") {
			t.Errorf("round %d: wrong answer for a repeated literal", round)
		}
	}
}
