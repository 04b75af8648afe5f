package main

import (
	"encoding/csv"
	"strings"

	"github.com/spf13/pflag"
)

// stringArray is pflag's string array flag (StringArrayVar) without its
// default's text: pflag writes a string array's default through a
// csv.Writer, a 4 KB buffer allocated and touched for each such flag of
// each subcommand at every start (1% of a short search's CPU). It takes
// values as pflag's does: the first value given replaces the default,
// later ones add to it, each whole, commas and all; it says it is a
// "stringArray" (help shows its values so, and completion offers the
// flag again) and shows no default, as pflag's empty one.
type stringArray struct {
	p       *[]string
	changed bool
}

// addStringArray adds a repeatable string flag to f, as f.StringArrayVar(p,
// name, nil, usage) would.
func addStringArray(f *pflag.FlagSet, p *[]string, name, usage string) {
	*p = nil
	f.Var(&stringArray{p: p}, name, usage)
}

func (s *stringArray) Set(v string) error {
	if !s.changed {
		*s.p, s.changed = []string{v}, true
		return nil
	}
	*s.p = append(*s.p, v)
	return nil
}

func (s *stringArray) Type() string { return "stringArray" }

// String is "" for no values, so that help shows no default, and pflag's
// "[a,b]" (the values as a CSV record) for some.
func (s *stringArray) String() string {
	if len(*s.p) == 0 {
		return ""
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(*s.p)
	w.Flush()
	return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
}

// Append, Replace and GetSlice make it a pflag.SliceValue, as pflag's is.
func (s *stringArray) Append(v string) error {
	*s.p = append(*s.p, v)
	return nil
}

func (s *stringArray) Replace(v []string) error {
	*s.p = append([]string(nil), v...)
	return nil
}

func (s *stringArray) GetSlice() []string { return *s.p }
