package value_test

import (
	"fmt"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// mapSource is a Source over a map, for tests.
type mapSource map[string]string

func (m mapSource) Field(name string) (value.Value, bool) {
	v, ok := m[name]
	return value.Str(v), ok
}

func (m mapSource) Each(fn func(string, value.Value)) {
	for k, v := range m {
		fn(k, value.Str(v))
	}
}

// TestRowRecycle: a recycled row reads the new source as a fresh row
// does, nothing of the fields set or removed before shows through, and
// the values read from it before stay as they were.
func TestRowRecycle(t *testing.T) {
	var r value.Row
	var kept []value.Value
	for i, src := range []mapSource{{"a": "1", "b": "2"}, {"a": "3"}, {"c": "4"}} {
		r.Recycle(src)
		fresh := value.NewRow(src)
		for _, row := range []*value.Row{&r, fresh} {
			row.Set("x", value.Str("set"+src["a"]))
			row.Delete("b")
			for n := range 20 { // past the row's index
				row.Set(fmt.Sprint("f", n), value.Num(float64(i)))
			}
		}
		for _, name := range []string{"a", "b", "c", "x", "f0", "f19", "z"} {
			if got, want := r.Get(name), fresh.Get(name); got.String() != want.String() || got.Kind() != want.Kind() {
				t.Errorf("source %d: %s = %v (%v) recycled, %v (%v) fresh", i, name, got, got.Kind(), want, want.Kind())
			}
		}
		kept = append(kept, r.Get("x"))
	}
	for i, want := range []string{"set1", "set3", "set"} {
		if kept[i].String() != want {
			t.Errorf("value %d read before recycling: %q, want %q", i, kept[i].String(), want)
		}
	}
}

// idSource is a mapSource that reads by ID too, counting the reads of
// each kind.
type idSource struct {
	mapSource
	byName, byID int
}

func (s *idSource) Field(name string) (value.Value, bool) {
	s.byName++
	return s.mapSource.Field(name)
}

func (s *idSource) FieldID(f value.Field) (value.Value, bool) {
	s.byID++
	return s.mapSource.Field(f.Name)
}

// TestRowGetField: GetField gives what Get gives, for the row's own fields
// (set, and removed from the source), the source's, and absent ones; it
// reads a source by ID when the source can (value.IDSource), one without
// an ID by name, and a plain Source by name.
func TestRowGetField(t *testing.T) {
	src := mapSource{"a": "1", "b": "2", "c": "3"}
	ids := &idSource{mapSource: src}
	for _, s := range []value.Source{src, ids, nil} {
		r := value.NewRow(s)
		r.Set("x", value.Str("set"))
		r.Set("c", value.Str("over"))
		r.Delete("b")
		for _, name := range []string{"a", "b", "c", "x", "z", ""} {
			want := r.Get(name)
			for _, f := range []value.Field{value.FieldOf(name), {Name: name, ID: -1}} {
				if got := r.GetField(f); got.String() != want.String() || got.Kind() != want.Kind() {
					t.Errorf("%T: GetField(%+v) = %#v, Get = %#v", s, f, got, want)
				}
			}
		}
	}
	ids.byName, ids.byID = 0, 0
	r := value.NewRow(ids)
	r.GetField(value.FieldOf("a"))
	r.GetField(value.Field{Name: "a", ID: -1})
	if ids.byID != 1 || ids.byName != 1 {
		t.Errorf("reads by ID %d, by name %d; want 1 and 1", ids.byID, ids.byName)
	}
}

// TestFieldOf: a name has one ID, names have different ones, and every ID
// is below FieldIDs.
func TestFieldOf(t *testing.T) {
	seen := map[int32]string{}
	for _, name := range []string{"a", "b", "a.b", "", "A"} {
		f := value.FieldOf(name)
		if f.Name != name || f.ID < 0 || int(f.ID) >= value.FieldIDs() {
			t.Fatalf("FieldOf(%q) = %+v with %d IDs", name, f, value.FieldIDs())
		}
		if g := value.FieldOf(name); g != f {
			t.Errorf("FieldOf(%q) = %+v, then %+v", name, f, g)
		}
		if other, dup := seen[f.ID]; dup {
			t.Errorf("%q and %q share ID %d", name, other, f.ID)
		}
		seen[f.ID] = name
	}
}
