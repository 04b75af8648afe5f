package harness

import (
	"errors"
	"testing"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// TestJudge: the verdict is a function of the rows, the counts and the
// expectation alone, for a test's own data (which must fire, with every
// entity field, docs/semantics.md "Test runs (contentctl)") and for a
// must-not-fire dataset of its sidecar.
func TestJudge(t *testing.T) {
	row := func(fields ...string) *value.Row {
		r := value.NewRow(nil)
		for i := 0; i < len(fields); i += 2 {
			r.Set(fields[i], value.Str(fields[i+1]))
		}
		return r
	}
	ok := event.Counts{Read: 4, Accepted: 4}
	rejected := event.Counts{Read: 4, Accepted: 3, Rejected: 1, Rejects: []event.Reject{{File: "d.json", Line: 2, Reason: "not JSON"}}}
	two := []*value.Row{row("user", "alice"), row("user", "bob")}
	fire := Expectation{Fire: true, Data: "ds/cloudtrail.json", Entities: []string{"user"}}
	withRows := func(x Expectation, rejected int, rows ...map[string]any) Expectation {
		if rows == nil {
			rows = []map[string]any{}
		}
		x.Sidecar = &expectation{Rows: rows, Rejected: rejected}
		return x
	}
	noRowsKey := func(x Expectation, rejected int) Expectation {
		x.Sidecar = &expectation{Rejected: rejected}
		return x
	}
	silent := Expectation{Data: "ds/benign.json"}
	cases := []struct {
		name string
		out  Outcome
		x    Expectation
		want Verdict
		diff bool
	}{
		{"run error", Outcome{Rows: two, Counts: ok, Err: errors.New("stats: more than 10 groups (limit max_groups)")}, fire,
			Verdict{Status: Error, Message: "stats: more than 10 groups (limit max_groups)"}, false},
		{"sidecar unreadable", Outcome{Rows: two, Counts: ok}, Expectation{Fire: true, SidecarErr: errors.New("ds/splharness.yml: bad")},
			Verdict{Status: Error, Message: "ds/splharness.yml: bad"}, false},
		{"no events", Outcome{Counts: event.Counts{Read: 1, Rejected: 1, Rejects: rejected.Rejects}}, fire,
			Verdict{Status: Fail, Message: "no events: 1 read, 1 rejected (first: d.json:2: not JSON)"}, false},
		{"rejects not expected", Outcome{Rows: two, Counts: rejected}, fire,
			Verdict{Status: Fail, Message: "1 of 4 records rejected (first: d.json:2: not JSON); the sidecar expects 0"}, false},
		{"rejects expected", Outcome{Rows: two, Counts: rejected}, noRowsKey(fire, 1),
			Verdict{Status: Pass, Message: "fired: 2 rows"}, false},
		{"did not fire", Outcome{Counts: ok}, fire,
			Verdict{Status: Fail, Message: "did not fire: 0 rows from 4 events"}, false},
		{"entity missing", Outcome{Rows: []*value.Row{row("user", "alice"), row("src", "x")}, Counts: ok}, fire,
			Verdict{Status: Fail, Message: "fired 2 rows, but row 2 has no value for the entity field user"}, false},
		{"entity null", Outcome{Rows: []*value.Row{row("user", "null")}, Counts: ok}, fire,
			Verdict{Status: Fail, Message: "fired 1 rows, but row 1 has no value for the entity field user"}, false},
		{"fired", Outcome{Rows: two, Counts: ok}, fire, Verdict{Status: Pass, Message: "fired: 2 rows"}, false},
		{"fired as expected", Outcome{Rows: two, Counts: ok}, withRows(fire, 0, map[string]any{"user": "alice"}, map[string]any{"user": "bob"}),
			Verdict{Status: Pass, Message: "fired: 2 rows, as expected"}, false},
		{"fired other rows", Outcome{Rows: two, Counts: ok}, withRows(fire, 0, map[string]any{"user": "alice"}),
			Verdict{Status: Fail, Message: "rows are not those ds/splharness.yml expects: 1 expected, 2 returned"}, true},
		{"silent: run error", Outcome{Counts: ok, Err: errors.New("boom")}, withRows(silent, 0),
			Verdict{Status: Error, Message: "boom"}, false},
		{"silent: no events", Outcome{}, withRows(silent, 0),
			Verdict{Status: Fail, Message: "no events in ds/benign.json"}, false},
		{"silent: rejects differ", Outcome{Counts: rejected}, withRows(silent, 0),
			Verdict{Status: Fail, Message: "1 of 4 records rejected (first: d.json:2: not JSON)"}, false},
		{"silent: rows not compared", Outcome{Rows: two, Counts: rejected}, noRowsKey(silent, 1),
			Verdict{Status: Pass, Message: "2 rows (not compared: the sidecar gives no rows)"}, false},
		{"silent", Outcome{Counts: ok}, withRows(silent, 0),
			Verdict{Status: Pass, Message: "silent on 4 events, as expected"}, false},
		{"silent but fired", Outcome{Rows: two, Counts: ok}, withRows(silent, 0),
			Verdict{Status: Fail, Message: "must not fire, but returned 2 rows"}, true},
		{"other dataset rows", Outcome{Rows: two[:1], Counts: ok}, withRows(silent, 0, map[string]any{"user": "alice"}),
			Verdict{Status: Pass, Message: "1 rows, as expected"}, false},
		{"other dataset rows differ", Outcome{Rows: two, Counts: ok}, withRows(silent, 0, map[string]any{"user": "alice"}),
			Verdict{Status: Fail, Message: "rows differ: 1 expected, 2 returned"}, true},
	}
	for _, c := range cases {
		got := Judge(c.out, c.x)
		if got.Status != c.want.Status || got.Message != c.want.Message {
			t.Errorf("%s: %s %q, want %s %q", c.name, got.Status, got.Message, c.want.Status, c.want.Message)
		}
		if (got.Diff != "") != c.diff {
			t.Errorf("%s: diff %q, want one: %v", c.name, got.Diff, c.diff)
		}
		// Pure: the same outcome and expectation, the same verdict.
		if again := Judge(c.out, c.x); again != got {
			t.Errorf("%s: a second call gives %+v, the first %+v", c.name, again, got)
		}
	}
}
