//go:build !amd64 || purego

package event

// stopBitsBlocks fills w (stopBits) for the first len(s)&^15 bytes of s
// and returns how many bytes it did.
func stopBitsBlocks(s string, w []uint64) int { return stopBitsGeneric(s, w) }

// stopWords is stopBits' whole-word path where there is one: none here.
func stopWords(s string, w []uint64) bool { return false }
