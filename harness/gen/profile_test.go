package gen_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/splharness/splharness/harness/gen"
)

// TestDefaultProfileUnchanged: the default profile writes the same bytes
// as the generator did before profiles existed, so that figures measured
// on its output stay comparable. The hashes were taken from that
// generator; a change here changes every published benchmark's input.
func TestDefaultProfileUnchanged(t *testing.T) {
	cases := []struct {
		cfg  gen.Config
		hash string
		size int
	}{
		{gen.Config{Bytes: 300_000, Seed: 7, AttackEvery: 50}, "f96163a6d4ea5b9a8724fdd168b437d1885648bc4401436645a4a3db7457ead8", 316297},
		{gen.Config{Bytes: 64 << 10, Seed: 1}, "a6593a1016b9623d0e63ad28cdd5c82952c76f800e20cfef2890798175c7c1b4", 88452},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, c.cfg); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(buf.Bytes())); got != c.hash || buf.Len() != c.size {
			t.Errorf("%+v: sha256 %s, %d bytes; want %s, %d bytes", c.cfg, got, buf.Len(), c.hash, c.size)
		}
	}
}
