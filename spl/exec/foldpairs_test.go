package exec

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// slowPairsBlocks is the several-pair block contract by a plain byte
// loop: the first whole block below n where some entry matches, with
// every entry's matches in it, or ^ the first position not tested; and
// whether a backslash is among the positions tested.
func slowPairsBlocks(s string, tab []pairEntry, n int) (int, [maxPairs]uint32, bool) {
	var masks [maxPairs]uint32
	for base := 0; base+32 <= n; base += 32 {
		any := false
		for k, e := range tab {
			for i := range 32 {
				if s[base+i]|0x20 == e.a[0] && s[base+i+e.d]|0x20 == e.b[0] {
					masks[k] |= 1 << i
					any = true
				}
			}
		}
		if any {
			return base, masks, strings.Contains(s[:base+32], `\`)
		}
	}
	end := n &^ 31
	return ^end, masks, strings.Contains(s[:end], `\`)
}

// TestFoldPairsBlocks checks the several-pair block contract
// searchPairs relies on, in the assembly (where the processor has AVX2)
// and in Go, against a plain byte loop.
func TestFoldPairsBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		b := make([]byte, 1+r.IntN(300))
		for i := range b {
			b[i] = "abcABC\\x"[r.IntN(8)]
		}
		s := string(b)
		var tab []pairEntry
		maxd := 0
		for range 1 + r.IntN(maxPairs) {
			d := 1 + r.IntN(40)
			tab = append(tab, newPairEntry("abc"[r.IntN(3)], "abc"[r.IntN(3)], d))
			maxd = max(maxd, d)
		}
		n := len(s) - maxd
		if n < 0 {
			continue
		}
		want, wantMasks, wantEsc := slowPairsBlocks(s, tab, n)
		for name, blocks := range map[string]func(string, []pairEntry, int, *[maxPairs]uint32) (int, bool){
			"foldPairsBlocks": foldPairsBlocks, "foldPairsBlocksGo": foldPairsBlocksGo,
		} {
			var masks [maxPairs]uint32
			got, gotEsc := blocks(s, tab, n, &masks)
			if got != want || gotEsc != wantEsc || got >= 0 && masks != wantMasks {
				t.Fatalf("%s(%q, %d entries, n=%d) = %d %v %x, want %d %v %x", name, s, len(tab), n, got, gotEsc, masks, want, wantEsc, wantMasks)
			}
		}
	}
}

// TestSearchPairs: a batch's answers, asked for in any order, after an
// OR of some of them that stops at the first found, are those of
// lowercasing and searching, and the memo says a text holds no
// pairBatchOf is lits as pair-searched literals (ids in order), each
// anchored where anchor says, searched together as one batch.
func pairBatchOf(lits []string, anchor func(lit string) int) []*foldLiteral {
	var batch []*foldLiteral
	for i, lit := range lits {
		f := newFoldLiteral(lit)
		f.pair, f.id = true, i
		f.setAnchor(anchor(lit))
		batch = append(batch, f)
	}
	pb := newPairBatch(batch)
	for _, f := range batch {
		f.batch = pb
	}
	return batch
}

// backslash only when it does not.
func TestSearchPairs(t *testing.T) {
	bedrock := []string{"deleteguardrail", "deleteknowledgebase", "deletemodelinvocationloggingconfiguration", "listfoundationmodels", "invokemodel", "accessdenied"}
	record := `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventSource":"bedrock.amazonaws.com","eventName":"%s","awsRegion":"us-east-1","errorCode":"%s","requestParameters":{"modelId":"anthropic.claude-v2"}}`
	for _, tc := range []struct {
		name string
		lits []string
		text string
	}{
		{"none", bedrock, strings.Replace(strings.Replace(record, "%s", "Converse", 1), "%s", "ThrottlingException", 1)},
		{"one", bedrock, strings.Replace(strings.Replace(record, "%s", "InvokeModel", 1), "%s", "x", 1)},
		{"two, other case", bedrock, strings.Replace(strings.Replace(record, "%s", "INVOKEMODEL", 1), "%s", "AccessDENIED", 1)},
		{"at the start", bedrock, "DeleteGuardrail" + record},
		{"at the end", bedrock, record + "DELETEMODELINVOCATIONLOGGINGCONFIGURATION"},
		{"cut at the end", bedrock, record + "listfoundationmodel"},
		{"backslash", bedrock, record + `\n`},
		{"escaped", bedrock, record + `invoke\u004dodel`},
		{"shorter than the literals", bedrock, "invokemodel"},
		{"empty", bedrock, ""},
		{"eight", []string{"ab", "bc", "ca", "abc", "cab", "aab", "bba", "cc"}, strings.Repeat("xAxBxCx", 20) + "CaB" + strings.Repeat("y", 40)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for order := range 3 {
				checkSearchPairs(t, tc.lits, tc.text, rand.New(rand.NewPCG(uint64(order), 1)).Perm(len(tc.lits)))
			}
		})
	}
}

func checkSearchPairs(t *testing.T, lits []string, text string, order []int) {
	t.Helper()
	batch := pairBatchOf(lits, func(lit string) int { return len(lit) / 3 })
	var m literalMemo
	m.reset(len(batch))
	// First an OR of some of them (order's first half, or its first),
	// whose walk stops at the first found; then each, the walk going on
	// from there.
	or := &prefilter{op: 'o', pairs: batch[0].batch}
	want := false
	for _, i := range order[:max(len(order)/2, 1)] {
		or.terms = append(or.terms, &prefilter{op: 'l', lit: batch[i].lit, fold: batch[i]})
		want = want || lowerContains(text, batch[i].lit)
	}
	if got := m.anyPairs(text, or); got != want {
		t.Fatalf("any of %s in %q = %v, want %v", or, text, got, want)
	}
	for _, i := range order {
		f := batch[i]
		if got, want := m.contains(text, f), lowerContains(text, f.lit); got != want {
			t.Fatalf("%q in %q = %v, want %v", f.lit, text, got, want)
		}
	}
	if m.noEsc && strings.Contains(text, `\`) {
		t.Fatalf("%q: no backslash noted, yet it holds one", text)
	}
}

// andLiterals is the pre-filter of a base search that requires every one
// of lits.
func andLiterals(lits ...string) *prefilter {
	var terms []*prefilter
	for _, l := range lits {
		terms = append(terms, &prefilter{op: 'l', lit: l})
	}
	return &prefilter{op: 'a', terms: terms}
}

// bedrockFivePrefilters is the raw pre-filter of each of the five Bedrock
// detections (the literals of their base searches, lowercase).
func bedrockFivePrefilters() []*prefilter {
	return []*prefilter{
		andLiterals("bedrock.amazonaws.com", "deleteguardrail"),
		andLiterals("bedrock.amazonaws.com", "deleteknowledgebase"),
		andLiterals("bedrock.amazonaws.com", "deletemodelinvocationloggingconfiguration"),
		andLiterals("bedrock.amazonaws.com", "listfoundationmodels", "accessdenied"),
		andLiterals("bedrock.amazonaws.com", "invokemodel", "accessdenied"),
	}
}

// TestBatchPairs: the five Bedrock detections in one pass search their
// event names and accessdenied in one walk, never the literal all of
// them require; a detection alone searches as before.
func TestBatchPairs(t *testing.T) {
	if !pairSearch {
		t.Skip("no pair search on this processor (AVX2): nothing is batched")
	}
	five := bedrockFivePrefilters()
	for _, tc := range []struct {
		name  string
		plans []*prefilter
		want  int
	}{
		{"the five", five, 6},
		{"one alone", five[4:], 0},
	} {
		pf := &prefilters{lits: map[string]*foldLiteral{}}
		for _, p := range tc.plans {
			pf.plans = append(pf.plans, p.bind(pf.lits))
		}
		for _, f := range pf.plans {
			pf.required = append(pf.required, f.requiredLiteral())
		}
		pf.batchPairs()
		if got := batchLen(pf.lits["accessdenied"].batch); got != tc.want {
			t.Errorf("%s: accessdenied in a batch of %d, want %d", tc.name, got, tc.want)
		}
		if b := pf.lits["bedrock.amazonaws.com"].batch; b != nil {
			t.Errorf("%s: the required literal is batched", tc.name)
		}
	}
}

func FuzzSearchPairs(f *testing.F) {
	f.Add(`{"eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","errorCode":"AccessDenied"}`, "invokemodel", "accessdenied", "deleteguardrail", 3)
	f.Add(strings.Repeat("ab", 40)+`\`, "ba", "abab", "bb", 1)
	f.Fuzz(func(t *testing.T, text, l1, l2, l3 string, at int) {
		var lits []string
		seen := map[string]bool{}
		for _, l := range []string{l1, l2, l3} {
			l = asciiLower(l)
			if len(l) < 2 || len(l) > 64 || seen[l] {
				return
			}
			seen[l] = true
			lits = append(lits, l)
		}
		batch := pairBatchOf(lits, func(lit string) int { return ((at % len(lit)) + len(lit)) % len(lit) })
		var m literalMemo
		m.reset(len(batch))
		if at&4 != 0 {
			// An OR of two of them first: its walk stops at the first
			// found, and the searches after it go on from there.
			or := &prefilter{op: 'o', pairs: batch[0].batch}
			for _, f := range batch[:2] {
				or.terms = append(or.terms, &prefilter{op: 'l', lit: f.lit, fold: f})
			}
			if got, want := m.anyPairs(text, or), lowerContains(text, lits[0]) || lowerContains(text, lits[1]); got != want {
				t.Fatalf("%s in %q = %v, want %v", or, text, got, want)
			}
		}
		for i := range batch {
			f := batch[(i+at&3)%len(batch)]
			if got, want := m.contains(text, f), lowerContains(text, f.lit); got != want {
				t.Fatalf("%q in %q = %v, want %v", f.lit, text, got, want)
			}
		}
		if m.noEsc && strings.Contains(text, `\`) {
			t.Fatalf("%q: no backslash noted, yet it holds one", text)
		}
	})
}

func batchLen(b *pairBatch) int {
	if b == nil {
		return 0
	}
	return len(b.lits)
}

// BenchmarkFiveBedrockSkip: the pre-filter of the five Bedrock
// detections in one pass (prefilters.skip) over CloudTrail-like records,
// a quarter of them Bedrock calls, with the several-pair search and
// without (each literal its own pair search). ns/rec is per record.
func BenchmarkFiveBedrockSkip(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	const record = `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA%d:user%d","arn":"arn:aws:sts::123456789012:assumed-role/Dev/user%d","accountId":"123456789012"},"eventTime":"2026-12-01T10:%02d:00Z","eventSource":"%s.amazonaws.com","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"10.0.%d.%d","userAgent":"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.14.0","requestParameters":{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0","contentType":"application/json","accept":"application/json"},"responseElements":null,"requestID":"%08x-1b2c-4d5e-8f90-123456789abc","eventID":"%08x-aaaa-bbbb-cccc-ddddeeeeffff","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s.us-east-1.amazonaws.com"}%s}`
	var recs [][]byte
	for i := range 4000 {
		source, name, errorCode := "ec2", "DescribeInstances", ""
		switch {
		case i%4 == 0:
			source, name = "bedrock", []string{"InvokeModel", "InvokeModel", "InvokeModel", "Converse", "ListFoundationModels"}[r.IntN(5)]
			if r.IntN(30) == 0 {
				errorCode = `,"errorCode":"AccessDenied"`
			}
		case i%4 == 1:
			source, name = "s3", "GetObject"
		case i%4 == 2:
			source, name = "sts", "AssumeRole"
		}
		recs = append(recs, fmt.Appendf(nil, record, i, i, i, i%60, source, name, i%250, i%199, source, r.Uint32(), r.Uint32(), source, errorCode))
	}
	five := bedrockFivePrefilters()
	for _, batched := range []bool{true, false} {
		b.Run(fmt.Sprintf("batched=%v", batched), func(b *testing.B) {
			pf := &prefilters{lits: map[string]*foldLiteral{}, every: true, some: true, memos: make([]literalMemo, 1)}
			for _, p := range five {
				pf.plans = append(pf.plans, p.bind(pf.lits))
			}
			pf.skipAsked.Store(gateTrial) // past the trial: every record is checked
			pf.skip(0, recs[0])
			if !batched {
				for _, f := range pf.lits {
					f.batch = nil
				}
			}
			passed := 0
			for b.Loop() {
				for _, rec := range recs {
					if !pf.skip(0, rec) {
						passed++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/rec")
		})
	}
}
