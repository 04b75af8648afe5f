package exec

import (
	"math/rand/v2"
	"testing"
)

// TestOutMask: the bits are the answers one by one, for every length up
// to 64 and mixes of answers, all out, all in, and alternating.
func TestOutMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fills := map[string]func(i int) bool{
		"random":      func(int) bool { return rng.IntN(2) == 1 },
		"all out":     func(int) bool { return true },
		"all in":      func(int) bool { return false },
		"alternating": func(i int) bool { return i%2 == 0 },
	}
	for name, fill := range fills {
		for n := 0; n <= 64; n++ {
			outs := make([]bool, n)
			var want uint64
			for i := range outs {
				outs[i] = fill(i)
				if outs[i] {
					want |= 1 << i
				}
			}
			if got := outMask(outs); got != want {
				t.Errorf("%s, %d plans: %b, want %b", name, n, got, want)
			}
			if got := ^outMask(outs) & allPlans(n); got != ^want&allPlans(n) {
				t.Errorf("%s, %d plans: reached %b", name, n, got)
			}
		}
	}
}

// TestPartialOnly: a record is used up on its worker exactly when every
// plan it reaches runs its stats there, with the plans' bits (64 or
// fewer) as one by one (more).
func TestPartialOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 7, 8, 9, 59, 64, 65, 70} {
		for round := 0; round < 200; round++ {
			reading := make([]*running, n)
			for i := range reading {
				reading[i] = &running{}
				if rng.IntN(4) != 0 {
					reading[i].part = &partial{}
				}
			}
			outs := make([]bool, n)
			want := true
			for i := range outs {
				outs[i] = rng.IntN(8) != 0
				if !outs[i] && reading[i].part == nil {
					want = false
				}
			}
			if got := partialOnly(reading, outs, partialPlans(reading)); got != want {
				t.Fatalf("%d plans, round %d: %v, want %v", n, round, got, want)
			}
		}
	}
}
