package main

import (
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// TestStringArrayAsPflags: addStringArray's flag shows in help, takes
// values, prints them and serves completion as pflag's StringArrayVar does.
func TestStringArrayAsPflags(t *testing.T) {
	var theirs, ours []string
	pf := pflag.NewFlagSet("x", pflag.ContinueOnError)
	pf.StringArrayVar(&theirs, "app", nil, "an app `DIR`; repeatable")
	pf.StringArrayVar(new([]string), "data", nil, "events")
	of := pflag.NewFlagSet("x", pflag.ContinueOnError)
	addStringArray(of, &ours, "app", "an app `DIR`; repeatable")
	addStringArray(of, new([]string), "data", "events")
	if a, b := pf.FlagUsages(), of.FlagUsages(); a != b {
		t.Fatalf("help:\n%s\nwant:\n%s", b, a)
	}
	for _, args := range [][]string{
		nil,
		{"--app", "a"},
		{"--app", "a", "--app=b,c", "--app", `"q",d`},
		{"--app", ""},
	} {
		theirs, ours = nil, nil
		pf2, of2 := pflag.NewFlagSet("x", pflag.ContinueOnError), pflag.NewFlagSet("x", pflag.ContinueOnError)
		pf2.StringArrayVar(&theirs, "app", nil, "")
		addStringArray(of2, &ours, "app", "")
		if err := pf2.Parse(args); err != nil {
			t.Fatal(err)
		}
		if err := of2.Parse(args); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(theirs, ours) {
			t.Errorf("%q: values %q, want %q", args, ours, theirs)
		}
		p, o := pf2.Lookup("app").Value, of2.Lookup("app").Value
		if len(args) > 0 && p.String() != o.String() {
			t.Errorf("%q: printed %q, want %q", args, o.String(), p.String())
		}
		if p.Type() != o.Type() {
			t.Errorf("type %q, want %q", o.Type(), p.Type())
		}
		ps, ok1 := p.(pflag.SliceValue)
		os, ok2 := o.(pflag.SliceValue)
		if !ok1 || !ok2 || !slices.Equal(ps.GetSlice(), os.GetSlice()) {
			t.Errorf("%q: slice %v, want %v", args, os, ps)
		}
		ps.Append("z")
		os.Append("z")
		ps.Replace([]string{"r", "s"})
		os.Replace([]string{"r", "s"})
		if !slices.Equal(theirs, ours) {
			t.Errorf("%q: after Append and Replace %q, want %q", args, ours, theirs)
		}
	}
}
