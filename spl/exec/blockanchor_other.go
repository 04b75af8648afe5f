//go:build !amd64 || purego

package exec

// anchorBlocks is anchorBlocksGo: there is no assembly here.
func anchorBlocks(s string, a, b byte, d, n int) int {
	return anchorBlocksGo(s, a, b, d, n)
}
