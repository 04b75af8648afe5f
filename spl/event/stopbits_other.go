//go:build !amd64 || purego

package event

// stopBitsBlocks fills w (stopBits) for the first len(s)&^15 bytes of s
// and returns how many bytes it did.
func stopBitsBlocks(s string, w []uint64) int { return stopBitsGeneric(s, w) }

// stopBitsLine writes stopBits's words for s up to its first newline to
// w and returns its index, or -1 when s has none. w must have room for
// len(s)/64+1 words.
func stopBitsLine(s []byte, w []uint64) int { return stopBitsLineGeneric(s, w) }
