package event

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
	"unsafe"
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
	f.Fuzz(func(t *testing.T, s string) {
		stopBitsAgree(t, s)
	})
}

// stopBitsLineAgrees checks each stopBitsLine against bytes.IndexByte and
// quickStop: the first newline of s, and the stops of every byte before
// it, whatever the memory held before. It checks stopsMemo too: the
// stops it holds for the line (or for the line without a carriage return
// before its newline) are stopBits's, and it holds none for another text.
func stopBitsLineAgrees(t *testing.T, s []byte) {
	t.Helper()
	want := bytes.IndexByte(s, '\n')
	for name, line := range stopBitsLineFuncs {
		w := make([]uint64, len(s)/64+1)
		for i := range w {
			w[i] = 0xdeadbeefcafef00d
		}
		end := line(s, w)
		if end != want {
			t.Fatalf("%q: %s finds the newline at %d, bytes.IndexByte at %d", s, name, end, want)
		}
		for i := 0; i < end; i++ {
			if got := w[i/64]>>(i%64)&1 == 1; got != quickStop[s[i]] {
				t.Fatalf("%q: %s gives %v at byte %d, quickStop %v", s, name, got, i, quickStop[s[i]])
			}
		}
	}
	var m stopsMemo
	for _, buf := range [][]uint64{nil, make([]uint64, 2)} { // the default, and one a long line outgrows
		m.lineBuf = buf
		end := m.lineEnd(s)
		if end != want {
			t.Fatalf("%q: lineEnd %d, bytes.IndexByte %d", s, end, want)
		}
		text := s
		if end >= 0 {
			text = s[:end]
		}
		if n := len(text); n > 0 && text[n-1] == '\r' {
			text = text[:n-1]
		}
		m.hold(text)
		raw := unsafe.String(unsafe.SliceData(text), len(text))
		got, exact := m.of(raw), stopBits(raw, new([]uint64))
		for i := 0; i < len(exact)*64; i++ {
			if g, e := got[i/64]>>(i%64)&1, exact[i/64]>>(i%64)&1; g != e {
				t.Fatalf("%q: the stops held for the line give %d at bit %d, stopBits %d", s, g, i, e)
			}
		}
		if len(raw) > 0 {
			if other := m.of(raw[1:]); len(m.line) > 0 && &other[0] == &m.line[0] {
				t.Fatalf("%q: the line's stops were given for another text", s)
			}
		}
		m.drop()
	}
}

func TestStopBitsLine(t *testing.T) {
	for n := 0; n <= 140; n++ {
		base := []byte(strings.Repeat("a", n))
		stopBitsLineAgrees(t, base)
		for pos := 0; pos < n; pos++ {
			for _, c := range []byte{'\n', '\r', '"', '\\', 0, 0x1f, 0x80, 0xff} {
				b := append([]byte(nil), base...)
				b[pos] = c
				stopBitsLineAgrees(t, b)
				if pos+1 < n {
					b[pos+1] = '\n'
					stopBitsLineAgrees(t, b)
				}
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte("a\"\\\n\r\x00\x1f \x7f\x80\xc3\xa9\xff{}:,0")
	for k := 0; k < 5000; k++ {
		b := make([]byte, rng.Intn(600))
		for i := range b {
			if rng.Intn(2) == 0 {
				b[i] = alphabet[rng.Intn(len(alphabet))]
			} else {
				b[i] = byte(rng.Intn(256))
			}
		}
		stopBitsLineAgrees(t, b)
	}
	var lines []byte
	for _, name := range exampleNames(t) {
		lines = append(append(lines, readExample(t, name)...), '\n')
	}
	for len(lines) > 0 {
		stopBitsLineAgrees(t, lines)
		lines = lines[bytes.IndexByte(lines, '\n')+1:]
	}
}

func FuzzStopBitsLine(f *testing.F) {
	f.Add([]byte("{\"eventTime\":\"2023-04-11T01:18:47Z\",\"a\":\"\\u00e9\\\"\u00e9\"}\r\n{}\n"))
	f.Add([]byte("\x00\x1f\x20\x7f\x80\xff\"\\\n"))
	f.Fuzz(func(t *testing.T, s []byte) {
		stopBitsLineAgrees(t, s)
	})
}
