package mltk

// npSum adds numbers as NumPy's sum of a float64 array does, so that the
// fitted means and standard deviations, printed with every digit in the
// summary, come out as the toolkit's do: pairwise summation (NumPy's
// pairwise_sum: below 8 numbers one by one; up to 128 in eight interleaved
// partial sums; above that the two halves, split at a multiple of 8), over
// blocks of 8192 numbers (the reduction's buffer) added one after another.
// (docs/semantics.md, "Machine Learning Toolkit".)
func npSum(a []float64) float64 {
	const block = 8192
	sum := 0.0
	for len(a) > 0 {
		n := min(len(a), block)
		sum += pairwiseSum(a[:n])
		a = a[n:]
	}
	return sum
}

func pairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSum(a[:n2]) + pairwiseSum(a[n2:])
}
