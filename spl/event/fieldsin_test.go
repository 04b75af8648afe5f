package event

import (
	"fmt"
	"slices"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// TestNewFieldsIn: fields made in the memory of an earlier event's give
// what NewFields gives, for each need and whatever the earlier event
// held (many fields, multivalues, escapes), and the values read from the
// earlier event stay as they were.
func TestNewFieldsIn(t *testing.T) {
	var big string
	for i := 0; i < 40; i++ {
		big += fmt.Sprintf(`"k%d":"v%d",`, i, i)
	}
	raws := []string{
		`{` + big + `"r":[{"a":"x\"y"},{"a":"z"}],"eventName":"GetObject","userIdentity":{"userName":"u1"}}`,
		`{"eventName":"ListUsers","r":[{"a":"1"}],"userIdentity":{"type":"IAMUser","userName":"u\u00e9"}}`,
		`{"eventName":"Describe","n":[1,2,3]}`,
		`{}`,
	}
	needs := []Need{
		{All: true},
		Need{Names: map[string]bool{"eventName": true, "r{}.a": true, "userIdentity.userName": true}}.Compile(),
		{Names: map[string]bool{"eventName": true}},
		Need{Names: map[string]bool{"n{}": true}, Prefixes: []string{"userIdentity."}}.Compile(),
	}
	ask := []string{"eventName", "r{}.a", "userIdentity.userName", "userIdentity.type", "n{}", "k39", "missing", "_raw"}
	read := func(f *Fields) []string {
		var out []string
		for _, n := range ask {
			v, ok := f.Field(n)
			out = append(out, fmt.Sprintf("%s=%q/%v", n, v.Values(), ok))
		}
		f.Each(func(n string, v value.Value) { out = append(out, fmt.Sprintf("%s=%q", n, v.Values())) })
		return out
	}
	// values are the values read gives, as values.
	values := func(f *Fields) []value.Value {
		var out []value.Value
		for _, n := range ask {
			v, _ := f.Field(n)
			out = append(out, v)
		}
		f.Each(func(_ string, v value.Value) { out = append(out, v) })
		return out
	}
	for _, before := range raws {
		for _, after := range raws {
			for i, need := range needs {
				f := NewFields(&Event{Raw: before}, need)
				kept := values(f)
				want := read(NewFields(&Event{Raw: after}, need))
				g := NewFieldsIn(f, &Event{Raw: after}, need)
				if g != f {
					t.Fatalf("need %d: NewFieldsIn made new fields, want them in f", i)
				}
				if got := read(g); !slices.Equal(got, want) {
					t.Errorf("need %d, %s after %s:\ngot  %q\nwant %q", i, after, before, got, want)
				}
				// The earlier event's values are its text or lists of
				// their own, which the new event's leave as they were.
				again := values(NewFields(&Event{Raw: before}, need))
				for j := range kept {
					if !slices.Equal(kept[j].Values(), again[j].Values()) {
						t.Errorf("need %d, %s after %s: an earlier value changed: %q, was %q", i, after, before, kept[j].Values(), again[j].Values())
					}
				}
			}
		}
	}
	if f := NewFieldsIn(nil, &Event{Raw: raws[2]}, needs[0]); f == nil {
		t.Error("NewFieldsIn(nil) returned nil")
	}
}
