package exec

import (
	"fmt"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// countingSource answers every name with its own value (name@gen), counts
// the reads of each name, and reads by ID when ids is set.
type countingSource struct {
	gen   int
	reads map[string]int
}

func (s *countingSource) Field(name string) (value.Value, bool) {
	s.reads[name]++
	if name == "absent" {
		return value.NullValue, false
	}
	return value.Str(fmt.Sprintf("%s@%d", name, s.gen)), true
}

func (s *countingSource) Each(func(string, value.Value)) {}

type countingIDSource struct{ *countingSource }

func (s countingIDSource) FieldID(f value.Field) (value.Value, bool) { return s.Field(f.Name) }

// TestFieldMemoByID: a memo read by ID, by name, by a Field without an
// ID and by one whose ID is past what it indexes, in any mix, answers
// what its source does, asks the source once a field while it remembers
// (maxMemo fields), and after reset remembers nothing of the last event,
// by ID or by name; IDs numbered after the memo first read grow its
// index.
func TestFieldMemoByID(t *testing.T) {
	var names []string
	for i := range maxMemo + 10 {
		names = append(names, fmt.Sprintf("memo_field_%d", i))
	}
	names = append(names, "absent")
	for _, ids := range []bool{false, true} {
		var m fieldMemo
		for gen := range 3 {
			cs := &countingSource{gen: gen, reads: map[string]int{}}
			var src value.Source = cs
			if ids {
				src = countingIDSource{cs}
			}
			m.reset(src)
			for round := range 3 {
				for i, name := range names {
					var v value.Value
					var ok bool
					switch (i + round + gen) % 4 {
					case 0:
						v, ok = m.Field(name)
					case 1:
						v, ok = m.FieldID(value.FieldOf(name))
					case 2:
						v, ok = m.FieldID(value.Field{Name: name, ID: -1})
					default: // an ID past what the memo indexes
						v, ok = m.FieldID(value.Field{Name: name, ID: maxMemoIDs + int32(i)})
					}
					want, wantOK := cs.Field(name)
					cs.reads[name]--
					if v.String() != want.String() || ok != wantOK {
						t.Errorf("ids %v, event %d, round %d: %s = %q %v, want %q %v", ids, gen, round, name, v.String(), ok, want.String(), wantOK)
					}
				}
			}
			for i, name := range names {
				remembered := i < maxMemo || name == "absent" && len(names)-1 < maxMemo
				if n := cs.reads[name]; remembered && n != 1 || !remembered && n != 3 {
					t.Errorf("ids %v, event %d: %s asked of the source %d times", ids, gen, name, n)
				}
			}
		}
	}
}
