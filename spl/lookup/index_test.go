package lookup

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMatchIndex: a lookup on one column finds, through the column's
// index, the rows that comparing every row finds, in the same order and
// capped the same way: case-sensitive and not, repeated keys, non-ASCII
// values (the Kelvin sign folds to k), wildcard columns, and rows added
// after the index was made.
func TestMatchIndex(t *testing.T) {
	rows := [][]string{{"k", "1"}, {"K", "2"}, {"Create*", "3"}, {"ListRoles", "4"}, {"listroles", "5"}, {"é", "6"}, {"", "7"}}
	for i := 0; i < 20; i++ {
		rows = append(rows, []string{fmt.Sprintf("Event%d", i%7), fmt.Sprint(i)})
	}
	values := []string{"k", "K", "\u212a", "Create*", "CreateUser", "listroles", "LISTROLES", "é", "É", "", "Event3", "event3", "missing"}
	for _, ci := range []bool{false, true} {
		for _, wildcard := range []bool{false, true} {
			for _, max := range []int{0, 1, 2} {
				tb := &Table{Name: "t", Columns: []string{"name", "n"}, Rows: append([][]string(nil), rows...), CaseInsensitive: ci, MaxMatches: max}
				if wildcard {
					if err := tb.SetMatchType("WILDCARD(name)"); err != nil {
						t.Fatal(err)
					}
				}
				var index atomic.Pointer[exactIndex]
				check := func(when string) {
					m := max
					if m <= 0 {
						m = 100
					}
					for _, v := range values {
						got, want := tb.match(&index, []int{0}, []string{v}), tb.scan([]int{0}, []string{v}, m)
						if !cmp.Equal(got, want) {
							t.Errorf("ci=%v wildcard=%v max=%d %s: Match(%q) = %v, want %v", ci, wildcard, max, when, v, got, want)
						}
					}
				}
				check("first")
				tb.Rows = append(tb.Rows, []string{"listRoles", "late"}, []string{strings.Repeat("k", 2), "kk"})
				check("after rows were added")
			}
		}
	}
}
