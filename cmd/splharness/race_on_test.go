//go:build race

package main

// raceEnabled: the race detector reserves terabytes of address space, so
// the hostile cases' address-space limit cannot apply under it.
const raceEnabled = true
