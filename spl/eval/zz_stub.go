package eval

func pcreFeatures(p string) []string { return nil }
