//go:build !amd64 || purego

package exec

// gramFilterOn is off: without vector instructions the filter costs
// more a position than the walk it would spare (gramIndex.scan).
const gramFilterOn = false

// gramBlocks is gramBlocksGo: there is no assembly here.
func gramBlocks(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32) {
	gramBlocksGo(s, from, n, f, masks)
}
