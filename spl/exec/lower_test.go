package exec

import (
	"bytes"
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
