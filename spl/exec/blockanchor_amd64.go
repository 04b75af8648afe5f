//go:build !purego

package exec

import "math/bits"

// anchorBlocks is anchorBlocksAVX2 where the processor has AVX2, else
// anchorBlocksGo.
func anchorBlocks(s string, a, b byte, d, n int, nl *lineList, base int) int {
	if !hasAVX2 {
		return anchorBlocksGo(s, a, b, d, n, nl, base)
	}
	if nl == nil {
		return anchorBlocksAVX2(s, a, b, d, n, nil)
	}
	if words := n/64 + 1; len(nl.masks) < words {
		nl.masks = make([]uint64, words+words/4)
	}
	r := anchorBlocksAVX2(s, a, b, d, n, &nl.masks[0])
	walked := ^r // the words written cover s[:walked] at least
	if r >= 0 {
		walked = r + 1
	}
	masks := nl.masks[:(walked+63)/64]
	k := 0
	if nl.last >= base {
		// An earlier walk entered the newlines up to last already.
		k = min((nl.last-base+1)>>6, len(masks))
		if k < len(masks) {
			masks[k] &^= 1<<((nl.last-base+1)&63) - 1
		}
	}
	pos, m := nl.pos, nl.n
	for ; k+4 <= len(masks); k += 4 {
		if masks[k]|masks[k+1]|masks[k+2]|masks[k+3] == 0 {
			continue
		}
		for j, w := range masks[k : k+4] {
			for ; w != 0; w &= w - 1 {
				pos[m] = int32(base + (k+j)<<6 + bits.TrailingZeros64(w))
				m++
			}
		}
	}
	for ; k < len(masks); k++ {
		for w := masks[k]; w != 0; w &= w - 1 {
			pos[m] = int32(base + k<<6 + bits.TrailingZeros64(w))
			m++
		}
	}
	if m > nl.n {
		nl.n, nl.last = m, int(pos[m-1])
	}
	return r
}

// anchorBlocksAVX2 is anchorBlocksGo's contract (n+d <= len(s)); masks,
// when not nil, has room for n/64+1 words.
//
//go:noescape
func anchorBlocksAVX2(s string, a, b byte, d, n int, masks *uint64) (q int)
