package mltk

import (
	"math"
	"slices"
)

// wasserstein is the first Wasserstein distance between the empirical
// distribution of xs and the fitted distribution: the area between their
// cumulative distribution functions, computed exactly piece by piece
// between the sorted values. MLTK estimates the same distance from a
// random sample of the fitted distribution, so its printed value varies
// from fit to fit; this is the value that estimate approaches
// (docs/semantics.md, "Machine Learning Toolkit").
func wasserstein(dist Dist, loc, scale float64, xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := float64(len(s))
	var integral, quantile func(float64) float64
	switch dist {
	case Exponential:
		integral = func(x float64) float64 {
			if x < loc {
				return 0
			}
			return (x - loc) + scale*math.Expm1(-(x-loc)/scale)
		}
		quantile = func(c float64) float64 { return loc - scale*math.Log1p(-c) }
	default:
		phi := func(z float64) float64 { return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi) }
		Phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
		integral = func(x float64) float64 {
			z := (x - loc) / scale
			return scale * (z*Phi(z) + phi(z))
		}
		quantile = func(c float64) float64 { return normPPF(loc, scale, c) }
	}
	// Left of the smallest value the empirical CDF is 0; right of the
	// largest, 1.
	total := integral(s[0])
	last := s[len(s)-1]
	total += upperTail(dist, loc, scale, last)
	for i := 0; i+1 < len(s); i++ {
		a, b := s[i], s[i+1]
		if a == b {
			continue
		}
		c := float64(i+1) / n
		t := math.Min(math.Max(quantile(c), a), b)
		total += c*(t-a) - (integral(t) - integral(a)) + (integral(b) - integral(t)) - c*(b-t)
	}
	return total
}

// upperTail is the area under 1-F right of x (x at least loc for the
// exponential distribution).
func upperTail(dist Dist, loc, scale, x float64) float64 {
	if dist == Exponential {
		return scale * math.Exp(-(x-loc)/scale)
	}
	z := (x - loc) / scale
	return scale * (math.Exp(-z*z/2)/math.Sqrt(2*math.Pi) - z*0.5*math.Erfc(z/math.Sqrt2))
}
