//go:build !purego

package event

// stopBitsBlockFuncs are the assembly versions of stopBitsBlocks this
// processor runs, each checked by stopBitsAgree.
var stopBitsBlockFuncs = func() map[string]func(string, []uint64) int {
	m := map[string]func(string, []uint64) int{
		"SSE2": func(s string, w []uint64) int {
			if len(s) < 16 {
				return 0
			}
			stopBitsSSE2(s, w)
			return len(s)
		},
	}
	if hasAVX2 {
		m["AVX2, whole words"] = func(s string, w []uint64) int {
			if !stopWords(s, w) {
				return 0
			}
			return len(w) * 64
		}
		m["AVX2"] = func(s string, w []uint64) int {
			if len(s) < 32 {
				return 0
			}
			stopBitsAVX2(s, w)
			return len(s)
		}
	}
	return m
}()
