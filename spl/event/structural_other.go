//go:build !amd64 || purego

package event

// structBitsBlocks fills m (structBits) for each whole 64 bytes of s.
func structBitsBlocks(s string, m []uint64, st *structState, asm bool) {
	structBitsGeneric(s, m, st)
}

// structFast: without assembly structFind costs more than it saves.
const structFast = false
