package value

import (
	"testing"
	"unsafe"
)

// TestValueSize: a Value is copied and zeroed at every step of a field
// read, so its size is kept at 40 bytes (a multivalue as a pointer and a
// count); a multivalue's list is as long as its capacity, so appending
// to it copies rather than writes into memory another value shares.
// Values stays small enough to be inlined, so that a single value's list
// lives on the caller's stack (each stats row reads one).
func TestValueSize(t *testing.T) {
	if n := unsafe.Sizeof(Value{}); n > 40 {
		t.Errorf("a Value is %d bytes, more than 40", n)
	}
	backing := []string{"a", "b", "c", "spare"}
	v := MV(backing[:3])
	vals := v.Values()
	if len(vals) != 3 || cap(vals) != 3 || vals[2] != "c" || v.Len() != 3 || v.First() != "a" {
		t.Fatalf("Values() = %q (cap %d), Len %d, First %q", vals, cap(vals), v.Len(), v.First())
	}
	_ = append(vals, "d")
	if backing[3] != "spare" {
		t.Errorf("appending to Values() wrote into the list's spare capacity: %q", backing)
	}
	one, n := Str("a"), 0
	if a := testing.AllocsPerRun(100, func() { n += len(one.Values()[0]) }); a != 0 {
		t.Errorf("Values of a single value allocates %v times where it is inlined", a)
	}
	if c := v.Clone(); !c.Equal(v) || &c.Values()[0] == &vals[0] {
		t.Errorf("Clone: %s, sharing %v", c.GoString(), &c.Values()[0] == &vals[0])
	}
}
