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

// TestFieldOfFull: once maxFieldIDs names are numbered, a new name gets
// no ID (a Field that reads by name) and is not kept, while the names
// numbered before keep theirs.
func TestFieldOfFull(t *testing.T) {
	before := FieldOf("numbered before the table fills")
	fieldIDs.Lock()
	n := fieldIDs.n
	fieldIDs.n = maxFieldIDs
	fieldIDs.Unlock()
	defer func() {
		fieldIDs.Lock()
		fieldIDs.n = n
		fieldIDs.Unlock()
	}()
	if f := FieldOf("numbered after the table filled"); f.ID != -1 || f.Name != "numbered after the table filled" {
		t.Errorf("a new name past the limit: %+v, want no ID", f)
	}
	if f := FieldOf("numbered before the table fills"); f != before {
		t.Errorf("a name numbered before: %+v, want %+v", f, before)
	}
	fieldIDs.Lock()
	_, kept := fieldIDs.ids["numbered after the table filled"]
	fieldIDs.Unlock()
	if kept {
		t.Error("a name past the limit was kept")
	}
	r := NewRow(nil)
	r.Set("numbered after the table filled", Str("x"))
	if got := r.GetField(FieldOf("numbered after the table filled")); got.String() != "x" {
		t.Errorf("a row read by a Field without an ID: %q, want x", got.String())
	}
}
