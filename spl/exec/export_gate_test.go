package exec

// AlwaysFieldGate gives opts with which a pass uses the field gate
// however few literals its pre-filters have, so that a search alone is
// gated in the tests as a pass of many is.
func AlwaysFieldGate(opts Options) Options {
	opts.alwaysGate = true
	return opts
}

// WithoutGateTuples gives opts with which the field gate tests every
// record's values, remembering no combination of them.
func WithoutGateTuples(opts Options) Options {
	opts.noGateTuples = true
	return opts
}

// WithoutByKeyGate gives opts with which a pass has no by-field gate.
func WithoutByKeyGate(opts Options) Options {
	opts.noByKeys = true
	return opts
}
