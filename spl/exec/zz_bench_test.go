package exec

import (
	"os"
	"strings"
	"testing"
)

func BenchmarkZZPairAdd(b *testing.B) {
	data, _ := os.ReadFile("/tmp/many15-200.json")
	recs := strings.Split(strings.TrimSpace(string(data)), "\n")
	n := 0
	for _, r := range recs {
		n += len(r)
	}
	b.SetBytes(int64(n))
	var m literalMemo
	for b.Loop() {
		for _, r := range recs {
			m.reset(200, true)
			m.pairs.add(r)
		}
	}
}

type stampSet struct {
	gen uint8
	s   [8192]uint8
}

func (p *stampSet) reset() {
	p.gen++
	if p.gen == 0 {
		clear(p.s[:])
		p.gen = 1
	}
}

func (p *stampSet) add(text string) {
	if len(text) < 2 {
		return
	}
	g := p.gen
	a := uint(foldTable[text[0]])
	b := uint(foldTable[text[1]])
	p.s[(a*67+b)&4095] = g
	for i := 2; i < len(text); i++ {
		c := uint(foldTable[text[i]])
		p.s[(b*67+c)&4095] = g
		p.s[4096+((a*67+b)*67+c)&4095] = g
		a, b = b, c
	}
}

func BenchmarkZZStampAdd(b *testing.B) {
	data, _ := os.ReadFile("/tmp/many15-200.json")
	recs := strings.Split(strings.TrimSpace(string(data)), "\n")
	n := 0
	for _, r := range recs {
		n += len(r)
	}
	b.SetBytes(int64(n))
	var m stampSet
	for b.Loop() {
		for _, r := range recs {
			m.reset()
			m.add(r)
		}
	}
}

type bitSet2 [4096 / 64]uint64

func (p *bitSet2) add(text string) {
	if len(text) < 2 {
		return
	}
	a := uint(foldTable[text[0]])
	for i := 1; i < len(text); i++ {
		c := uint(foldTable[text[i]])
		h := (a*67 + c) & 4095
		p[h>>6] |= 1 << (h & 63)
		a = c
	}
}

func BenchmarkZZPairsOnly(b *testing.B) {
	data, _ := os.ReadFile("/tmp/many15-200.json")
	recs := strings.Split(strings.TrimSpace(string(data)), "\n")
	n := 0
	for _, r := range recs {
		n += len(r)
	}
	b.SetBytes(int64(n))
	var m bitSet2
	for b.Loop() {
		for _, r := range recs {
			m = bitSet2{}
			m.add(r)
		}
	}
}
