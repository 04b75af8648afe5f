package stats

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/splharness/splharness/spl/value"
)

// TestStrSet: the set behind dc() and values() holds exactly the
// distinct strings added, whatever their number (growing), length (the
// empty string, strings past a block), repeats (in runs, which take the
// last-value path, and coming back after others) and memory (each
// string's memory written over after add, as an event's text shares a
// block of input, and the set takes more strings after giving some);
// add reports a new string exactly when a map would.
func TestStrSet(t *testing.T) {
	long := strings.Repeat("x", maxBlockSize) // a block of its own
	many := make([]string, 5000)              // grows the table many times
	for i := range many {
		many[i] = "10." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	tests := []struct {
		name string
		adds []string
	}{
		{"none", nil},
		{"one", []string{"a"}},
		{"runs", []string{"a", "a", "a", "b", "b", "a", "a"}},
		{"empty string", []string{"", "", "a", "", "b"}},
		{"long", []string{long, "a", long, long + "y", "a"}},
		{"prefixes", []string{"Get", "GetUser", "Ge", "GetUser", "Get", "G"}},
		{"many", many},
		{"many twice", append(slices.Clone(many), many...)},
		{"many backwards", append(slices.Clone(many), reversed(many)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var set strSet
			want := map[string]bool{}
			buf := []byte{}
			var early, earlyCopy []string // strings the set gave halfway
			for i, x := range tt.adds {
				if i == len(tt.adds)/2 {
					early = set.appendTo(nil)
					for _, e := range early {
						earlyCopy = append(earlyCopy, strings.Clone(e))
					}
				}
				buf = append(buf[:0], x...)
				shared := unsafe.String(unsafe.SliceData(buf), len(buf))
				if got, isNew := set.add(shared), !want[x]; got != isNew {
					t.Fatalf("add %d (%.20q) = %v, want %v", i, x, got, isNew)
				}
				for j := range buf {
					buf[j] = '#' // written over
				}
				want[x] = true
			}
			checkSet(t, &set, want)
			if !slices.Equal(early, earlyCopy) {
				t.Errorf("the strings given halfway changed as the set grew")
			}
		})
	}
}

func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// checkSet fails unless set holds exactly the strings of want.
func checkSet(t *testing.T, set *strSet, want map[string]bool) {
	t.Helper()
	got := set.appendTo(nil)
	if len(got) != len(want) || set.len() != len(want) {
		t.Fatalf("%d strings (len %d), want %d", len(got), set.len(), len(want))
	}
	for _, s := range got {
		if !want[s] {
			t.Fatalf("holds %.20q, which was not added", s)
		}
	}
	for s := range want {
		if _, found := set.find(uint32(hashOf(s)), s); !found {
			t.Fatalf("%.20q not found", s)
		}
	}
}

// TestStrSetMerge: merging sets gives the set of all their strings,
// whichever of them is empty or larger, and the merged set takes more
// strings after (also when it took the other's table, the smaller one's
// strings added to it).
func TestStrSetMerge(t *testing.T) {
	tests := []struct {
		name       string
		a, b, more []string
	}{
		{"both empty", nil, nil, []string{"x"}},
		{"into empty", nil, []string{"a", "b"}, []string{"b", "c"}},
		{"from empty", []string{"a", "b"}, nil, []string{"c"}},
		{"overlap", []string{"a", "b", "c"}, []string{"c", "d", "a", ""}, []string{"e", "a"}},
		{"grows", strings.Split("abcdefghijklmnop", ""), strings.Split("ABCDEFGHIJKLMNOPabc", ""), []string{"zz"}},
		{"smaller into larger", strings.Split("abc", ""), strings.Split("ABCDEFGHIJKLMNOPabc", ""), []string{"a", "Q"}},
		{"larger into smaller", strings.Split("ABCDEFGHIJKLMNOPabc", ""), strings.Split("abcd", ""), []string{"d", "e"}},
		{"same", strings.Split("abcd", ""), strings.Split("dcba", ""), []string{"a", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b strSet
			want := map[string]bool{}
			for _, x := range tt.a {
				a.add(x)
				want[x] = true
			}
			gains := false
			for _, x := range tt.b {
				b.add(x)
				gains = gains || !want[x]
				want[x] = true
			}
			if got := a.merge(&b); got != gains {
				t.Errorf("merge = %v, want %v", got, gains)
			}
			for _, x := range tt.more {
				if got := a.add(x); got == want[x] {
					t.Errorf("add %q after merge = %v", x, got)
				}
				want[x] = true
			}
			checkSet(t, &a, want)
		})
	}
}

// hashOf is the hash a set keeps for s.
func hashOf(s string) uint64 {
	var set strSet
	set.add(s)
	for _, sl := range set.slots {
		if sl.n != 0 {
			return uint64(sl.h)
		}
	}
	panic("empty set")
}

// TestDistinctOf: a dc() that counts a values() aggregator's set gives,
// at every step, the result of a dc() of its own over the same inputs
// (multivalues, numbers, true, false, nulls, repeats), through merges of
// the values() aggregators it counts; only a values() aggregator can be
// counted.
func TestDistinctOf(t *testing.T) {
	inputs := []value.Value{
		s("b"), num(3), s("3"), null, mv("a", "7", "b"), value.Boolean(true), value.Boolean(false),
		s(""), mv("x", "x"), num(3.5), s("b"),
	}
	dcFn, _, _ := Lookup("dc")
	valuesFn, _, _ := Lookup("values")
	for cut := 0; cut <= len(inputs); cut++ {
		own, part := dcFn.New(0), dcFn.New(0)
		vals, rest := valuesFn.New(0), valuesFn.New(0)
		view, ok := DistinctOf(vals)
		if !ok {
			t.Fatal("DistinctOf(values) not ok")
		}
		for i, v := range inputs {
			own.Add(v, 0)
			if i < cut {
				vals.Add(v, 0)
			} else {
				rest.Add(v, 0)
				part.Add(v, 0)
			}
			view.Add(v, 0) // does nothing: vals takes the values
		}
		view.(Merger).Merge(part) // does nothing either
		vals.(Merger).Merge(rest)
		if got, want := view.Result(), own.Result(); !got.Equal(want) {
			t.Errorf("cut at %d: counted %v, own dc %v", cut, got, want)
		}
	}
	for _, name := range []string{"dc", "list", "count"} {
		f, _, _ := Lookup(name)
		if _, ok := DistinctOf(f.New(0)); ok {
			t.Errorf("DistinctOf(%s) ok", name)
		}
	}
}

// TestValuesMerge: values() merged from several aggregators (merges
// kept until the result, merges of merged ones, values added after a
// merge and after a result, the same value in several sets, values
// differing only in case, which values() keeps apart, many values, an
// empty set) gives at every step the sorted distinct strings of all its
// inputs, and the dc() that counts it their number.
func TestValuesMerge(t *testing.T) {
	many := make([]string, 3000)
	for i := range many {
		many[i] = "10." + strconv.Itoa(i%7) + "." + strconv.Itoa(i)
	}
	type step struct {
		add   []string // added to the aggregator
		merge [][]string
		// nested: merged as one aggregator that took these in by Merge.
		nested [][]string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"merge only", []step{{merge: [][]string{{"b", "a"}, {"a", "c"}}}}},
		{"into empty", []step{{merge: [][]string{{"x"}}}}},
		{"empty merged", []step{{add: []string{"a"}, merge: [][]string{nil, {}}}}},
		{"case", []step{{add: []string{"User", "user"}, merge: [][]string{{"USER", "user", "uSer"}}}}},
		{"add after merge", []step{{add: []string{"a"}, merge: [][]string{{"b"}}}, {add: []string{"b", "c", "a"}}}},
		{"merge after result", []step{{add: []string{"a"}}, {merge: [][]string{{"a", "b"}}}, {merge: [][]string{{"c", "b"}}}, {add: []string{"d"}}}},
		{"nested", []step{{add: []string{"a"}, nested: [][]string{{"b", "a"}, {"c", "b"}, {"a", ""}}}}},
		{"many", []step{{add: many[:2000], merge: [][]string{many[1000:], many[:10]}}, {add: many[2990:], merge: [][]string{{"zz"}}}}},
	}
	valuesFn, _, _ := Lookup("values")
	newWith := func(ss []string) Aggregator {
		a := valuesFn.New(0)
		for _, x := range ss {
			a.Add(value.Str(x), 0)
		}
		return a
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valuesFn.New(0)
			dc, _ := DistinctOf(a)
			want := map[string]bool{}
			for i, st := range tt.steps {
				for _, x := range st.add {
					a.Add(value.Str(x), 0)
					want[x] = true
				}
				for _, m := range st.merge {
					a.(Merger).Merge(newWith(m))
					for _, x := range m {
						want[x] = true
					}
				}
				if st.nested != nil {
					n := valuesFn.New(0)
					for _, m := range st.nested {
						n.(Merger).Merge(newWith(m))
						for _, x := range m {
							want[x] = true
						}
					}
					a.(Merger).Merge(n)
				}
				var ws []string
				for x := range want {
					ws = append(ws, x)
				}
				slices.Sort(ws)
				if got := a.Result().Values(); !slices.Equal(got, ws) {
					t.Fatalf("step %d: values %q, want %q", i, got, ws)
				}
				if got, want := dc.Result(), value.Num(float64(len(ws))); !got.Equal(want) {
					t.Fatalf("step %d: dc %v, want %v", i, got, want)
				}
			}
		})
	}
}
