//go:build !amd64 || purego

package event

// stopBitsBlockFuncs: no assembly here; stopBitsGeneric is checked.
var stopBitsBlockFuncs = map[string]func(string, []uint64) int{}
