package exec

// SeparateSubsearches gives opts with which every join and append
// subsearch reads the input on its own, in a read of its own, as it did
// before subsearches read in their search's pass: the tests compare the
// two.
func SeparateSubsearches(opts Options) Options {
	opts.separateSubsearches = true
	return opts
}
