package exec

import (
	"bytes"
	"testing"

	"github.com/splharness/splharness/harness/gen"
)

// BenchmarkAnchoredSkip: the pre-filter of ESCU's search 30
// (eventName=Describe* OR eventName=List* OR eventName=Get*) and of the
// five Bedrock detections in one pass (prefilters.skip) over 2 MB of
// generated CloudTrail of the bedrock-heavy profile, with the literals as
// they were ("describe", "get") and with the JSON string's quotes that
// raw values' literals take now ("describe, "get). ns/rec is per record,
// out/rec the share of records ruled out.
func BenchmarkAnchoredSkip(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 2_000_000, Seed: 5, Profile: "bedrock-heavy"}); err != nil {
		b.Fatal(err)
	}
	recs := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	quote := func(pre, post string, lits ...string) []string {
		out := make([]string, len(lits))
		for i, l := range lits {
			out[i] = pre + l + post
		}
		return out
	}
	or := func(lits ...string) []*prefilter {
		var terms []*prefilter
		for _, l := range lits {
			terms = append(terms, &prefilter{op: 'l', lit: l})
		}
		return []*prefilter{{op: 'o', terms: terms}}
	}
	five := func(q string) []*prefilter {
		var out []*prefilter
		for _, p := range bedrockFivePrefilters() {
			var lits []string
			for _, t := range p.terms {
				lits = append(lits, q+t.lit+q)
			}
			out = append(out, andLiterals(lits...))
		}
		return out
	}
	for _, c := range []struct {
		name  string
		plans []*prefilter
	}{
		{"search30/plain", or("describe", "list", "get")},
		{"search30/quoted", or(quote(`"`, "", "describe", "list", "get")...)},
		{"five/plain", five("")},
		{"five/quoted", five(`"`)},
	} {
		b.Run(c.name, func(b *testing.B) {
			pf := &prefilters{lits: map[string]*foldLiteral{}, every: true, some: true, memos: make([]literalMemo, 1)}
			for _, p := range c.plans {
				pf.plans = append(pf.plans, p.bind(pf.lits))
			}
			pf.skipAsked.Store(gateTrial) // past the trial: every record is checked
			pf.skip(0, recs[0])
			out := 0
			for b.Loop() {
				out = 0
				for _, rec := range recs {
					if pf.skip(0, rec) {
						out++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/rec")
			b.ReportMetric(float64(out)/float64(len(recs)), "out/rec")
		})
	}
}
