package event

import (
	"math/bits"
	"testing"
)

var sinkWalk int

// walkBitmap takes every stop of a record of n bytes from its stop bitmap
// w as the validating loop does (a word, a branch at each word's end, a
// count of trailing zeros), and sums their positions so that the walk is
// not optimised away.
func walkBitmap(w []uint64, n int) int {
	p, cw, cm, sum := -1, 0, w[0], 0
	for p < n {
		for cm == 0 {
			cw++
			cm = w[cw]
		}
		p = cw<<6 | bits.TrailingZeros64(cm)
		cm &= cm - 1
		sum += p
	}
	return sum
}

// BenchmarkStopWalk is what taking every stop of a block's records costs
// by itself, as the validating loop takes them from the bitmap (a word,
// a branch at each word's end, a count of trailing zeros), against a
// list of positions made from the bitmap first: whether the word ends'
// branches are what the loop waits on.
func BenchmarkStopWalk(b *testing.B) {
	recs, size := fileRecords(b)
	b.Run("bitmap", func(b *testing.B) {
		stops := new([]uint64)
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				w := stopBits(r, stops)
				sinkWalk += walkBitmap(w, len(r))
			}
		}
	})
	b.Run("positions", func(b *testing.B) {
		stops := new([]uint64)
		pos := make([]int32, 0, 1<<16)
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				w := stopBits(r, stops)
				pos = pos[:0]
				for k, m := range w {
					for ; m != 0; m &= m - 1 {
						pos = append(pos, int32(k<<6|bits.TrailingZeros64(m)))
					}
				}
				sum := 0
				for _, p := range pos {
					sum += int(p)
					if int(p) >= len(r) {
						break
					}
				}
				sinkWalk += sum
			}
		}
	})
	b.Run("stopBits", func(b *testing.B) {
		stops := new([]uint64)
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				stopBits(r, stops)
			}
		}
	})
}

// BenchmarkStopWalkClosing is the walk of BenchmarkStopWalk over bitmaps
// made before the timing: every stop (as stopBits marks them), against
// the stops without the strings' opening quotes, for the records without
// a backslash (where a quote's parity says whether it opens a string),
// the rest as before. It measures what a validating loop that takes one
// stop a string instead of two could save on the walk alone.
func BenchmarkStopWalkClosing(b *testing.B) {
	recs, _ := fileRecords(b)
	full := make([][]uint64, len(recs))
	closing := make([][]uint64, len(recs))
	nFull, nClosing, plain := 0, 0, 0
	for n, r := range recs {
		full[n] = append([]uint64(nil), stopBits(r, new([]uint64))...)
		closing[n] = append([]uint64(nil), full[n]...)
		if !containsByte(r, '\\') {
			plain++
			odd := false
			for i := 0; i < len(r); i++ {
				if r[i] == '"' {
					if !odd { // an opening quote: not a stop
						closing[n][i/64] &^= 1 << (i % 64)
					}
					odd = !odd
				}
			}
		}
		for _, w := range full[n] {
			nFull += bits.OnesCount64(w)
		}
		for _, w := range closing[n] {
			nClosing += bits.OnesCount64(w)
		}
	}
	b.Logf("%d records, %d without a backslash; stops %d, without opening quotes %d", len(recs), plain, nFull, nClosing)
	for _, c := range []struct {
		name string
		maps [][]uint64
	}{{"all", full}, {"closing", closing}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for n, r := range recs {
					w := c.maps[n]
					sinkWalk += walkBitmap(w, len(r))
				}
			}
		})
	}
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// BenchmarkStopWalkPositions is the walk of BenchmarkStopWalk over what
// was made before the timing: the bitmaps (a branch at each word's end,
// at a different stop in each word), against lists of the stops'
// positions (a load a stop, no branch but the loop's). What the word
// ends' branches cost the walk, for a loop that would take its stops
// from a list (AVX-512 VBMI2's VPCOMPRESSB makes one without a branch).
func BenchmarkStopWalkPositions(b *testing.B) {
	recs, _ := fileRecords(b)
	maps := make([][]uint64, len(recs))
	lists := make([][]int32, len(recs))
	for n, r := range recs {
		maps[n] = append([]uint64(nil), stopBits(r, new([]uint64))...)
		for k, m := range maps[n] {
			for ; m != 0; m &= m - 1 {
				lists[n] = append(lists[n], int32(k<<6|bits.TrailingZeros64(m)))
			}
		}
	}
	b.Run("bitmap", func(b *testing.B) {
		for b.Loop() {
			for n, r := range recs {
				w := maps[n]
				sinkWalk += walkBitmap(w, len(r))
			}
		}
	})
	b.Run("positions", func(b *testing.B) {
		for b.Loop() {
			for n, r := range recs {
				l := lists[n]
				p, k, sum := -1, 0, 0
				for p < len(r) {
					p = int(l[k])
					k++
					sum += p
				}
				sinkWalk += sum
			}
		}
	})
}
