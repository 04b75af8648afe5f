package exec

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestGateDropsUselessPrefilter: an event type's pre-filter that lets
// through more than 15 in 16 records of its trial is no longer checked
// (the event type's search then runs, as it would have); one that rules
// records out keeps ruling them out.
func TestGateDropsUselessPrefilter(t *testing.T) {
	pf := &prefilters{lits: map[string]*foldLiteral{}, memos: make([]literalMemo, 1)}
	common := (&prefilter{op: 'l', lit: ".amazonaws.com"}).bind(pf.lits)
	rare := (&prefilter{op: 'l', lit: "consolelogin"}).bind(pf.lits)
	pf.eventtypes = []*prefilter{common, rare, nil}
	g := &gate{pf: pf}
	offer := func(raw string) {
		pf.ruleOut(raw, false, &pf.memos[0], make([]bool, len(pf.plans)))
	}
	for n := 0; n < gateTrial; n++ {
		offer(`{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`)
		if !g.mayMatch(0) || g.mayMatch(1) || !g.mayMatch(2) {
			t.Fatalf("record %d: wrong answers during the trial", n)
		}
	}
	offer(`{"eventSource":"local","eventName":"GetObject"}`)
	if !g.mayMatch(0) {
		t.Errorf("after its trial, a pre-filter that let every record through still rules records out")
	}
	if g.mayMatch(1) {
		t.Errorf("after its trial, a pre-filter that ruled records out no longer does")
	}
	offer(`{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin"}`)
	if !g.mayMatch(1) {
		t.Errorf("a record holding the literal is ruled out")
	}
}

// TestPlanPrefilterDropsUseless: a plan's pre-filter that lets through
// more than 15 in 16 records of a worker's trial is no longer tested by
// that worker, nor by the reader's check (skip) once its trial shows it
// skips nothing; one that rules records out keeps ruling them out.
func TestPlanPrefilterDropsUseless(t *testing.T) {
	pf := &prefilters{some: true, every: true, lits: map[string]*foldLiteral{}, memos: make([]literalMemo, 1)}
	pf.memos[0].tally = &tally{}
	pf.plans = []*prefilter{
		(&prefilter{op: 'l', lit: ".amazonaws.com"}).bind(pf.lits),
		(&prefilter{op: 'l', lit: "consolelogin"}).bind(pf.lits),
	}
	out := make([]bool, 2)
	offer := func(raw string) {
		pf.ruleOut(raw, false, &pf.memos[0], out)
	}
	common := `{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`
	for n := 0; n < gateTrial; n++ {
		offer(common)
		if out[0] || !out[1] {
			t.Fatalf("record %d: wrong answers during the trial", n)
		}
		if pf.skip(0, []byte(common)) {
			t.Fatalf("record %d: skipped, but a plan's pre-filter lets it through", n)
		}
	}
	offer(`{"eventSource":"local","eventName":"GetObject"}`)
	if out[0] {
		t.Errorf("after its trial, a plan's pre-filter that let every record through still rules records out")
	}
	if !out[1] {
		t.Errorf("after its trial, a plan's pre-filter that ruled records out no longer does")
	}
	if pf.skip(0, []byte(`{"eventSource":"local"}`)) {
		t.Errorf("after a trial that skipped nothing, the reader's check still skips records")
	}
	offer(`{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin"}`)
	if out[1] {
		t.Errorf("a record holding the literal is ruled out")
	}
}

// TestSkipHandsOver: the answers skip found for a record it lets through
// are what the worker's offer of that record reports, with or without the
// gram index answering, whichever plan let it through; a record other than the one
// skip saw, one with the same bytes in the buffer skip read (since
// rewritten), or one on another worker is searched afresh.
func TestSkipHandsOver(t *testing.T) {
	lits := []string{"consolelogin", "getobject", "deleteuser", "s3.amazonaws.com", "iam.amazonaws.com", "failure", "success", "runinstances", "bob"}
	records := []string{
		`{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}`,
		`{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","x":"failure"}`,
		`{"eventSource":"iam.amazonaws.com","eventName":"DeleteUser","user":"bob"}`,
		`{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","errorCode":"success"}`,
		`{"eventSource":"local","eventName":"Nothing"}`,
	}
	for _, c := range []struct {
		n     int
		grams bool
	}{{3, false}, {len(lits), false}, {len(lits), true}} { // below and above manyLiterals
		n := c.n
		mk := func() *prefilters {
			pf := &prefilters{some: true, every: true, lits: map[string]*foldLiteral{}, memos: make([]literalMemo, 2)}
			for w := range pf.memos {
				pf.memos[w].tally = &tally{}
				// The workers' trial decided (useGrams).
				pf.memos[w].decided, pf.memos[w].grams = c.grams, c.grams
			}
			for i := 0; i < n; i++ {
				pf.plans = append(pf.plans, (&prefilter{op: 'l', lit: lits[i]}).bind(pf.lits))
			}
			pf.plans = append(pf.plans, joinPrefilters('a', []*prefilter{{op: 'l', lit: "bob"}, {op: 'l', lit: "deleteuser"}}).bind(pf.lits))
			return pf
		}
		report := func(pf *prefilters, w int, raw string) []bool {
			out := make([]bool, len(pf.plans))
			pf.ruleOut(raw, false, &pf.memos[w], out)
			return out
		}
		want := map[string][]bool{}
		for _, r := range records {
			plain := mk()
			plain.memos[0].decided, plain.memos[0].grams = true, false // searched one by one
			want[r] = report(plain, 0, r)
		}
		pf := mk()
		for round := 0; round < 3; round++ {
			for i, r := range records {
				buf := []byte(r)
				skipped := pf.skip(0, buf)
				if all := !slices.Contains(want[r], false); skipped != all {
					t.Fatalf("%d literals: skip(%s) = %v, want %v", n, r, skipped, all)
				}
				next := records[(i+1)%len(records)]
				switch round {
				case 0: // the record skip saw
					if got := report(pf, 0, r); !slices.Equal(got, want[r]) {
						t.Errorf("%d literals: after skip, %s: %v, want %v", n, r, got, want[r])
					}
				case 1: // skip's buffer rewritten with another record, then offered
					copy(buf, next)
					got := report(pf, 0, string(buf[:min(len(buf), len(next))]))
					if w := report(mk(), 0, string(buf[:min(len(buf), len(next))])); !slices.Equal(got, w) {
						t.Errorf("%d literals: after skip of %s, the rewritten buffer: %v, want %v", n, r, got, w)
					}
				case 2: // another record on the same worker, this one on the other
					if got := report(pf, 0, next); !slices.Equal(got, want[next]) {
						t.Errorf("%d literals: after skip of %s, %s: %v, want %v", n, r, next, got, want[next])
					}
					if got := report(pf, 1, r); !slices.Equal(got, want[r]) {
						t.Errorf("%d literals: %s on the other worker: %v, want %v", n, r, got, want[r])
					}
				}
			}
		}
	}
}

// TestGramTrial: a worker walks its records with the pass's gram index
// once its first gramTrial records took gramSearches searches a record
// or more, and keeps searching one literal at a time otherwise; the
// answers, and skip's (which rules a plan out by its required literal's
// answer alone when the memo has it), are the same before and after, and
// as lowercasing and searching gives them.
func TestGramTrial(t *testing.T) {
	var lits []string
	for i := range 20 {
		lits = append(lits, fmt.Sprintf("literal%02d", i))
	}
	records := []string{`{"a":"LITERAL03","b":"literal17"}`, `{"a":"nothing"}`, `{"a":"Literal1","b":"xliteral19x"}`, `{"a":"lit"}`}
	for _, c := range []struct {
		name  string
		plans func() []*prefilter
		grams bool
	}{
		// One OR of every literal: a record that holds none asks for all.
		{"many asked", func() []*prefilter {
			var any []*prefilter
			for _, l := range lits {
				any = append(any, &prefilter{op: 'l', lit: l})
			}
			return []*prefilter{joinPrefilters('o', any)}
		}, true},
		// Each an AND whose first literal is in no record: one search.
		{"few asked", func() []*prefilter {
			var out []*prefilter
			for _, l := range lits {
				out = append(out, joinPrefilters('a', []*prefilter{{op: 'l', lit: "absent"}, {op: 'l', lit: l}}))
			}
			return out
		}, false},
	} {
		pf := &prefilters{some: true, every: true, lits: map[string]*foldLiteral{}, memos: make([]literalMemo, 1)}
		pf.memos[0].tally = &tally{}
		var want func(raw string) []bool
		plans := c.plans()
		for _, p := range plans {
			pf.plans = append(pf.plans, p.bind(pf.lits))
		}
		want = func(raw string) []bool {
			out := make([]bool, len(plans))
			for i, p := range plans {
				out[i] = !lowerTest(p, raw)
			}
			return out
		}
		for n := range 4 * gramTrial {
			raw := records[n%len(records)]
			got := make([]bool, len(pf.plans))
			pf.ruleOut(raw, false, &pf.memos[0], got)
			w := want(raw)
			if !slices.Equal(got, w) {
				t.Fatalf("%s, record %d (%s): ruled out %v, want %v", c.name, n, raw, got, w)
			}
			if skipped := pf.skip(0, []byte(raw)); skipped != !slices.Contains(w, false) {
				t.Fatalf("%s, record %d (%s): skip %v, want %v", c.name, n, raw, skipped, !skipped)
			}
		}
		if m := &pf.memos[0]; !m.decided || m.grams != c.grams {
			t.Errorf("%s: decided %v, grams %v, want grams %v (%d searches in the trial)", c.name, m.decided, m.grams, c.grams, m.searched)
		}
	}
}

// lowerTest evaluates an unbound pre-filter over raw by lowercasing and
// searching.
func lowerTest(f *prefilter, raw string) bool {
	switch f.op {
	case 'l':
		return lowerContains(raw, f.lit)
	case 'a':
		for _, t := range f.terms {
			if !lowerTest(t, raw) {
				return false
			}
		}
		return true
	}
	for _, t := range f.terms {
		if lowerTest(t, raw) {
			return true
		}
	}
	return false
}

// TestBindLiteralsFirst: a pass tests an AND's literals before its
// groups (the plan's own pre-filter, which Plan.Prefilter shows, keeps
// its order), and a record is ruled out by the first literal it lacks
// without the groups' literals being searched for.
func TestBindLiteralsFirst(t *testing.T) {
	l := func(s string) *prefilter { return &prefilter{op: 'l', lit: s} }
	f := &prefilter{op: 'a', terms: []*prefilter{{op: 'o', terms: []*prefilter{l("aa1"), l("bb1")}}, l("cc1"), {op: 'o', terms: []*prefilter{l("dd1"), l("ee1")}}, l("ff1")}}
	lits := map[string]*foldLiteral{}
	b := f.bind(lits)
	if got, want := b.String(), `"cc1" AND "ff1" AND ("aa1" OR "bb1") AND ("dd1" OR "ee1")`; got != want {
		t.Errorf("bound: %s, want %s", got, want)
	}
	if got, want := f.String(), `("aa1" OR "bb1") AND "cc1" AND ("dd1" OR "ee1") AND "ff1"`; got != want {
		t.Errorf("unbound: %s, want %s", got, want)
	}
	var m literalMemo
	m.reset(len(lits))
	if b.test(`{"x":"AA1 bb1 dd1 ff1"}`, &m) {
		t.Error("a record without cc1 passes")
	}
	if m.searched != 1 {
		t.Errorf("%d literals searched for, want 1 (cc1)", m.searched)
	}
}

// TestRequiredAny: a bound pre-filter lets through only records that hold
// one of the literals requiredAny names, so a plan whose literals the
// memo knows the record lacks is out without a walk (ruledOut): checked
// on random ANDs and ORs of literals over random texts, with the
// literals' answers the memo would hold; and the sets are as small as
// an AND's smallest term's.
func TestRequiredAny(t *testing.T) {
	l := func(s string) *prefilter { return &prefilter{op: 'l', lit: s} }
	for _, c := range []struct {
		f    *prefilter
		want []string
	}{
		{l("abc"), []string{"abc"}},
		{joinPrefilters('o', []*prefilter{l("ab"), l("cd")}), []string{"ab", "cd"}},
		{joinPrefilters('a', []*prefilter{joinPrefilters('o', []*prefilter{l("ab"), l("cd"), l("ef")}), joinPrefilters('o', []*prefilter{l("gh"), l("ij")})}), []string{"gh", "ij"}},
		{joinPrefilters('o', []*prefilter{joinPrefilters('a', []*prefilter{l("ab"), l("cd")}), l("ef")}), []string{"ab", "ef"}},
		{joinPrefilters('o', []*prefilter{l("ab"), &prefilter{op: 'a'}}), nil},
	} {
		lits := map[string]*foldLiteral{}
		f := c.f.bind(lits)
		var got []string
		for _, id := range f.requiredAny() {
			for s, fl := range lits {
				if fl.id == id {
					got = append(got, s)
				}
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: requires one of %q, want %q", c.f, got, c.want)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"ab", "cd", "ef", "abc", "gh"}
	var gen func(depth int) *prefilter
	gen = func(depth int) *prefilter {
		if depth == 0 || r.IntN(3) == 0 {
			return l(words[r.IntN(len(words))])
		}
		op := byte('a')
		if r.IntN(2) == 0 {
			op = 'o'
		}
		g := &prefilter{op: op}
		for range 1 + r.IntN(3) {
			g.terms = append(g.terms, gen(depth-1))
		}
		return g
	}
	for range 2000 {
		lits := map[string]*foldLiteral{}
		f := gen(3).bind(lits)
		var text strings.Builder
		for range r.IntN(4) {
			text.WriteString(words[r.IntN(len(words))] + " ")
		}
		states := make([]uint8, len(lits))
		for s, fl := range lits {
			states[fl.id] = litOut
			if strings.Contains(text.String(), s) {
				states[fl.id] = litIn
			}
		}
		var m literalMemo
		m.reset(len(lits))
		if ruledOut(f.requiredAny(), states) && f.test(text.String(), &m) {
			t.Fatalf("%s: ruled out %q, which it lets through", f, text.String())
		}
	}
}
