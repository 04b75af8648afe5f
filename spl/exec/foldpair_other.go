//go:build !amd64 || purego

package exec

// pairSearch is off: without vector instructions the anchor walk
// (strings.IndexByte) is faster than testing position by position.
const pairSearch = false

// foldPairBlocks is foldPairBlocksGo: there is no assembly here.
func foldPairBlocks(s string, a, b byte, d, n int) (int, bool) {
	return foldPairBlocksGo(s, a, b, d, n)
}

func foldPairsBlocks(s string, tab []pairEntry, n int, masks *[maxPairs]uint32) (int, bool) {
	return foldPairsBlocksGo(s, tab, n, masks)
}
