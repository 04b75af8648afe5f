//go:build !purego

package event

// stopBitsBlockFuncs are the assembly versions of stopBitsBlocks this
// processor runs, each checked by stopBitsAgree.
var stopBitsBlockFuncs = func() map[string]func(string, []uint64) int {
	m := map[string]func(string, []uint64) int{
		"SSE2": func(s string, w []uint64) int { stopBitsSSE2(s, w); return len(s) &^ 15 },
	}
	if hasAVX2 {
		m["AVX2"] = func(s string, w []uint64) int { stopBitsAVX2(s, w); return len(s) &^ 31 }
	}
	return m
}()
