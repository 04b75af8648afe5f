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
