package exec

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// joinRow is a row of string fields, given as name, value, ...
func joinRow(kv ...string) *value.Row {
	r := value.NewRow(nil)
	for i := 0; i < len(kv); i += 2 {
		r.Set(kv[i], value.Str(kv[i+1]))
	}
	return r
}

// TestJoinHoldsRowsUntilSubsearchEnds: a join whose subsearch reads in
// the same pass holds the rows that reach it before the subsearch has
// ended, in order and charged to the memory budget, and joins them once
// its rows are known, as the rows that come after; rows held past the
// budget are its max_mem_usage_mb error, and a failed subsearch's error
// is the join's.
func TestJoinHoldsRowsUntilSubsearchEnds(t *testing.T) {
	right := []*value.Row{joinRow("k", "1", "r", "a"), joinRow("k", "2", "r", "b")}
	tests := []struct {
		name   string
		pushed int // rows pushed before the subsearch ends
		mb     int
		subErr error
		want   string // the rows out, or the error
	}{
		{"all held", 4, 0, nil, "k=1 r=a n=0|k=2 r=b n=1|k=3 n=2|k=1 r=a n=3"},
		{"some held", 2, 0, nil, "k=1 r=a n=0|k=2 r=b n=1|k=3 n=2|k=1 r=a n=3"},
		{"none held", 0, 0, nil, "k=1 r=a n=0|k=2 r=b n=1|k=3 n=2|k=1 r=a n=3"},
		{"over the budget", 3, -1, nil, "error max_mem_usage_mb: rows held by join until its subsearch ends"},
		{"subsearch failed", 2, 0, &LimitError{Limit: "max_groups", Msg: "stats: more than 3 groups (limit max_groups)"}, "error max_groups: stats: more than 3 groups"},
	}
	for _, tt := range tests {
		mem := newMemBudget(tt.mb)
		if tt.mb < 0 {
			mem.max = 1 // bytes: the first row held is over
		}
		sub := &subsearch{foldable: true}
		sub.start(true)
		var out []string
		emit := &sink{fn: func(r *value.Row) error {
			var fs []string
			for _, n := range []string{"k", "r", "n"} {
				if v := r.Get(n); !v.IsNull() {
					fs = append(fs, n+"="+v.String())
				}
			}
			out = append(out, strings.Join(fs, " "))
			return nil
		}}
		s := &joinStage{emitter: emitter{next: emit}, sub: sub, fields: []string{"k"}, keep: true, max: 1, overwrite: true, mem: mem}
		rows := []*value.Row{joinRow("k", "1", "n", "0"), joinRow("k", "2", "n", "1"), joinRow("k", "3", "n", "2"), joinRow("k", "1", "n", "3")}
		err := func() error {
			for i, r := range rows {
				if i == tt.pushed {
					sub.rows = right
					sub.end(tt.subErr)
				}
				if err := s.Push(r); err != nil {
					return err
				}
				if i < tt.pushed && len(out) > 0 {
					t.Fatalf("%s: a row came out before the subsearch ended", tt.name)
				}
			}
			if tt.pushed == len(rows) {
				sub.rows = right
				sub.end(tt.subErr)
			}
			return s.Flush()
		}()
		got := strings.Join(out, "|")
		if err != nil {
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("%s: %v", tt.name, err)
			}
			got = "error " + le.Limit + ": " + le.Msg
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if err == nil && mem.used.Load() != 0 {
			t.Errorf("%s: %d bytes still charged after the join", tt.name, mem.used.Load())
		}
	}
}
