package eval

import (
	"errors"
	"testing"
	"time"
)

// TestRecordReplay: what a context records after a mark (failed calls,
// the first capped value) replays into another context as if it had
// evaluated the same expressions; what came before the mark does not.
func TestRecordReplay(t *testing.T) {
	a, b := NewContext(time.Time{}), NewContext(time.Time{})
	a.callFailed("tonumber", errors.New("before the mark"))
	m := a.Mark()
	if r := a.Since(m); !r.Empty() {
		t.Fatalf("nothing after the mark, got %+v", r)
	}
	a.callFailed("tonumber", errors.New("bad base"))
	a.callFailed("spath", errors.New("bad json"))
	a.fail(a.tooLong("x", 99))
	r := a.Since(m)
	b.callFailed("spath", errors.New("b's own"))
	b.Replay(r)
	got := b.FunctionErrors()
	want := []FunctionError{{Func: "spath", Count: 2, First: "b's own"}, {Func: "tonumber", Count: 1, First: "before the mark"}}
	if len(got) != len(want) {
		t.Fatalf("function errors %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("function error %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if b.Err() == nil || b.Err() != a.Err() {
		t.Errorf("limit error %v, want %v", b.Err(), a.Err())
	}
}
