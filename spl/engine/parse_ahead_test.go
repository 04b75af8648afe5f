package engine_test

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/macro"
)

// parseAheadSearches are searches with macros, syntax errors and undefined
// macros among them, so that parsing ahead has problems to keep in order.
func parseAheadSearches(n int) []*diag.Source {
	var out []*diag.Source
	for i := range n {
		var text string
		switch i % 6 {
		case 0, 1:
			text = fmt.Sprintf("`base` eventName=E%d | stats count by user", i)
		case 2:
			text = fmt.Sprintf("`args(e%d, u)` | table a b", i)
		case 3:
			text = fmt.Sprintf("search a=%d | eval x=(", i)
		case 4:
			text = fmt.Sprintf("`undefined%d` | stats count", i)
		case 5:
			text = fmt.Sprintf("`base` | where x=%d | `my_filter`", i)
		}
		out = append(out, diag.NewSource(fmt.Sprintf("s%d", i), text))
	}
	return out
}

// TestParseAhead: parsing ahead on several goroutines, or in turn, gives
// each search's result of Parse, in search order, and stops when yield
// says so.
func TestParseAhead(t *testing.T) {
	macros := macro.NewSet()
	for _, m := range []macro.Macro{
		{Name: "base", Definition: "sourcetype=aws:cloudtrail"},
		{Name: "args", Args: []string{"e", "u"}, Definition: "eventName=$e$ user=$u$"},
	} {
		if err := macros.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	opts := engine.Options{AutoFilter: true}
	render := func(s *engine.Search, problems diag.List) string {
		if len(problems) > 0 {
			return "problems: " + problems[0].Render()
		}
		return "query: " + s.Query.String()
	}
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	for _, n := range []int{0, 1, 2, 5, 37} {
		srcs := parseAheadSearches(n)
		var want []string
		for _, src := range srcs {
			want = append(want, render(engine.Parse(src, macros, opts)))
		}
		if n >= 4 && !slices.ContainsFunc(want, func(s string) bool { return s[0] == 'p' }) {
			t.Fatalf("%d searches: none has a problem", n)
		}
		for _, stopAt := range []int{-1, 0, 3, n - 1} {
			t.Run(fmt.Sprintf("searches=%d/stop=%d", n, stopAt), func(t *testing.T) {
				var got, inTurn []string
				var order []int
				engine.ParseAhead(srcs, macros, opts).Each(func(i int, s *engine.Search, problems diag.List) bool {
					order = append(order, i)
					got = append(got, render(s, problems))
					return i != stopAt
				})
				engine.ParseInTurn(srcs, macros, opts).Each(func(i int, s *engine.Search, problems diag.List) bool {
					inTurn = append(inTurn, render(s, problems))
					return i != stopAt
				})
				if !slices.Equal(inTurn, got) {
					t.Errorf("ParseInTurn differs from ParseAhead:\n got %q\nwant %q", inTurn, got)
				}
				end := n
				if stopAt >= 0 && stopAt < n {
					end = stopAt + 1
				}
				if !slices.Equal(order, seq(end)) {
					t.Errorf("yield came for %v, want %v", order, seq(end))
				}
				if !slices.Equal(got, want[:min(end, len(want))]) {
					t.Errorf("results differ from Parse one by one:\n got %q\nwant %q", got, want[:end])
				}
			})
		}
	}
}

func seq(n int) []int {
	out := []int{}
	for i := range n {
		out = append(out, i)
	}
	return out
}

// TestParseAheadStop: stopping the parsing ahead, before or after taking
// some results, returns once the parses under way end.
func TestParseAheadStop(t *testing.T) {
	srcs := parseAheadSearches(50)
	macros := macro.NewSet()
	engine.ParseAhead(srcs, macros, engine.Options{}).Stop()
	p := engine.ParseAhead(srcs, macros, engine.Options{})
	n := 0
	p.Each(func(i int, _ *engine.Search, _ diag.List) bool {
		n++
		return i < 2
	})
	p.Stop()
	if n != 3 {
		t.Errorf("yield came %d times, want 3", n)
	}
}
