package exec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/splharness/splharness/spl"
)

// TestNewAggReads: which fields a stats reads (each once), and which
// dc() counts a values() aggregator's set: only a dc or estdc (or
// distinct_count) of the very field a values() takes, never a dc of an
// eval(), of a wildcard, or beside list() or values() of another field.
func TestNewAggReads(t *testing.T) {
	tests := []struct {
		aggs   string
		fields []string
		counts []int
		timeAt int
	}{
		{"dc(x) values(x)", []string{"x"}, []int{1, -1}, -1},
		{"values(x) dc(x)", []string{"x"}, []int{-1, 0}, -1},
		{"estdc(x) distinct_count(x) values(x)", []string{"x"}, []int{2, 2, -1}, -1},
		{"dc(x) values(x) values(x)", []string{"x"}, []int{1, -1, -1}, -1},
		{"dc(x) values(y)", []string{"x", "y"}, []int{-1, -1}, -1},
		{"dc(x) list(x) count(x) count", []string{"x"}, []int{-1, -1, -1, -1}, -1},
		{"dc(eval(x)) values(x)", []string{"x"}, []int{-1, -1}, -1},
		{"dc(x) values(eval(x))", []string{"x"}, []int{-1, -1}, -1},
		{"dc(x*) values(x*)", nil, []int{-1, -1}, -1},
		{"dc(eventName) min(_time) max(_time) values(eventName) values(src) values(userAgent)",
			[]string{"eventName", "_time", "src", "userAgent"}, []int{3, -1, -1, -1, -1, -1}, 1},
		{"earliest(x) latest(x)", []string{"x"}, []int{-1, -1}, -1},
	}
	for _, tt := range tests {
		q, err := spl.ParseString("* | stats " + tt.aggs)
		if err != nil {
			t.Fatal(err)
		}
		p := &planner{}
		specs, err := p.compileAggs(q.Commands[1].(*spl.StatsCommand).Aggregations.Items)
		if err != nil {
			t.Fatalf("%s: %v", tt.aggs, err)
		}
		ar := newAggReads(specs)
		if diff := cmp.Diff(tt.fields, ar.fields); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.aggs, diff)
		}
		if diff := cmp.Diff(tt.counts, ar.counts); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", tt.aggs, diff)
		}
		if ar.timeAt != tt.timeAt {
			t.Errorf("%s: timeAt %d, want %d", tt.aggs, ar.timeAt, tt.timeAt)
		}
	}
}
