package exec

import "testing"

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
		pf.ruleOut(raw, &pf.memos[0], func(int, bool) {})
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
		pf.ruleOut(raw, &pf.memos[0], func(i int, o bool) { out[i] = o })
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
