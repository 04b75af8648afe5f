package exec

// BlockAnchorsOn says the block anchors can be used here: they walk
// blocks by the pair search, off without AVX2 (pairSearch).
var BlockAnchorsOn = pairSearch
