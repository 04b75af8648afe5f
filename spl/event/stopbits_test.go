package event

import (
	"math/rand"
	"strings"
	"testing"
)

// stopBitsAgree checks stopBits (the assembly on amd64) and
// stopBitsGeneric against quickStop byte by byte: every bit of the record
// as the table says, every bit past its end set, whatever the memory held
// before.
func stopBitsAgree(t *testing.T, s string) {
	t.Helper()
	dirty := make([]uint64, len(s)/64+1)
	for i := range dirty {
		dirty[i] = 0xdeadbeefcafef00d
	}
	type variant struct {
		name string
		bits []uint64
	}
	variants := []variant{
		{"stopBits", stopBits(s, new([]uint64))},
		{"stopBits, reused memory", stopBits(s, &dirty)},
		{"stopBitsGeneric", stopBitsBy(stopBitsGeneric, s)},
	}
	for name, blocks := range stopBitsBlockFuncs {
		variants = append(variants, variant{name, stopBitsBy(blocks, s)})
	}
	for _, w := range variants {
		for i := 0; i < len(w.bits)*64; i++ {
			got := w.bits[i/64]>>(i%64)&1 == 1
			want := i >= len(s) || quickStop[s[i]]
			if got != want {
				t.Fatalf("%q: %s gives %v at byte %d of %d, quickStop %v", s, w.name, got, i, len(s), want)
			}
		}
	}
}

// stopBitsBy is stopBits with blocks for the whole blocks.
func stopBitsBy(blocks func(string, []uint64) int, s string) []uint64 {
	w := make([]uint64, len(s)/64+1)
	for i := range w {
		w[i] = 0x5555555555555555 // as memory used before
	}
	done := blocks(s, w)
	for i := done; i < len(w)*64; i++ {
		if i >= len(s) || quickStop[s[i]] {
			w[i/64] |= 1 << (i % 64)
		} else {
			w[i/64] &^= 1 << (i % 64)
		}
	}
	return w
}

func TestStopBits(t *testing.T) {
	// Every byte value in every position of records of every length
	// around the block and word sizes.
	for n := 0; n <= 140; n++ {
		base := []byte(strings.Repeat("a", n))
		stopBitsAgree(t, string(base))
		for pos := 0; pos < n; pos += 1 + pos/8 {
			for c := 0; c < 256; c++ {
				b := append([]byte(nil), base...)
				b[pos] = byte(c)
				stopBitsAgree(t, string(b))
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte("a\"\\\x00\x1f \x7f\x80\xc3\xa9\xff{}:,0")
	for k := 0; k < 5000; k++ {
		b := make([]byte, rng.Intn(300))
		for i := range b {
			if rng.Intn(2) == 0 {
				b[i] = alphabet[rng.Intn(len(alphabet))]
			} else {
				b[i] = byte(rng.Intn(256))
			}
		}
		stopBitsAgree(t, string(b))
	}
	for _, name := range exampleNames(t) {
		stopBitsAgree(t, readExample(t, name))
	}
}

func FuzzStopBits(f *testing.F) {
	f.Add(`{"eventTime":"2023-04-11T01:18:47Z","a":"\u00e9\"é"}`)
	f.Add("\x00\x1f\x20\x7f\x80\xff\"\\")
	f.Add("a\nb\x0b\n\x8a\x09cdefghij\n")
	f.Fuzz(func(t *testing.T, s string) {
		stopBitsAgree(t, s)
		// lastNewline (pscan.go) is the other SWAR look at a record's
		// bytes.
		if got, want := lastNewline([]byte(s)), strings.LastIndexByte(s, '\n'); got != want {
			t.Fatalf("%q: lastNewline %d, strings.LastIndexByte %d", s, got, want)
		}
	})
}
