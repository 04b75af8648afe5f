package exec

import (
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// TestSearchOrJoins: an OR's neighbouring field=value terms on one field
// read it once (compileOr joins them); every OR, joined or not, passes
// exactly the rows its terms pass one by one: values in any case, CASE(),
// wildcards, subnets, multivalues, no value. Terms that must not join:
// other fields between, !=, tag and eventtype, earliest and latest in a
// base search.
func TestSearchOrJoins(t *testing.T) {
	tests := []struct {
		search   string
		base     bool
		matchers int // what the OR compiles to
	}{
		{`eventName=Describe* OR eventName=List* OR eventName=Get*`, true, 1},
		{`eventName=describe* OR eventName=CASE(ListUsers) OR x=1 OR eventName=get*`, true, 3},
		{`x=1 OR x=10.0.0.0/8 OR y=a OR y=b*`, false, 2},
		{`x=1 OR y=2 OR x=3`, false, 3},
		{`x=1 OR x!=2 OR x=3`, false, 3},
		{`x=* OR x=1`, false, 1},
		{`tag=a OR tag=b`, false, 2},
		{`eventtype=a OR eventtype=b`, false, 2},
		{`earliest=1 OR earliest=3`, true, 2},
		{`latest=3 OR latest=1 OR x=3`, true, 3},
		{`earliest=a OR earliest=b`, false, 1},
		{`X=1 OR x=1`, false, 2},
	}
	vals := []value.Value{
		value.NullValue, value.Str("DescribeTrails"), value.Str("describetrails"), value.Str("ListUsers"),
		value.Str("listusers"), value.Str("GetUser"), value.Str("1"), value.Str("3"), value.Str("10.1.2.3"),
		value.MV([]string{"2", "b2"}), value.MV([]string{"x", "1"}), value.Str("a"), value.Str(""), value.Num(1),
	}
	for _, tt := range tests {
		q, err := spl.ParseString("search " + tt.search)
		if err != nil {
			t.Fatal(err)
		}
		or, ok := q.Commands[0].(*spl.SearchCommand).Expr.(*spl.SearchOr)
		if !ok {
			t.Fatalf("%s: not an OR", tt.search)
		}
		c := &searchCompiler{p: &planner{}, base: tt.base}
		joined, err := c.compileOr(or.Terms)
		if err != nil {
			t.Fatal(err)
		}
		if len(joined) != tt.matchers {
			t.Errorf("%s: %d matchers, want %d", tt.search, len(joined), tt.matchers)
		}
		one, err := c.compileAll(or.Terms)
		if err != nil {
			t.Fatal(err)
		}
		passes := func(ms []matcher, r *value.Row) bool {
			for _, m := range ms {
				if m(r) {
					return true
				}
			}
			return false
		}
		for _, x := range vals {
			for _, y := range vals {
				for _, en := range vals {
					r := value.NewRow(nil)
					r.Set("x", x)
					r.Set("y", y)
					r.Set("eventName", en)
					r.Set("_time", x)
					if got, want := passes(joined, r), passes(one, r); got != want {
						t.Fatalf("%s on x=%v y=%v eventName=%v: %v joined, %v term by term", tt.search, x.Values(), y.Values(), en.Values(), got, want)
					}
				}
			}
		}
	}
}
