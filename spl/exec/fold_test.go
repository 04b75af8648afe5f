package exec

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// lowerContains is the obvious definition foldLiteral.in must agree with.
func lowerContains(text, lit string) bool {
	b := []byte(text)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return strings.Contains(string(b), lit)
}

// TestFoldLiteral: the anchored case-insensitive search agrees with
// lowercasing and searching, for every choice of anchor, on texts where
// the literal is whole, cut, at either end, in mixed case or absent.
func TestFoldLiteral(t *testing.T) {
	lits := []string{"bedrock.amazonaws.com", "deleteguardrail", "ab", "a-1", "zz", "10.0.0.1", "éa"[1:]}
	texts := []string{
		"",
		"b",
		`{"eventSource":"bedrock.amazonaws.com"}`,
		`{"eventSource":"BEDROCK.AmazonAWS.com"}`,
		`bedrock.amazonaws.co`,
		`edrock.amazonaws.com`,
		`bedrock.amazonaws.combedrock`,
		`xbedrockbedrock.amazonaws.cox`,
		`DeleteGuardrailDeleteGuardrai`,
		`deleteguardrai deleteguardrail`,
		`AB ab aB Ab`,
		`a-1 A-1 a_1`,
		`zZzZ`,
		`10.0.0.10.0.0.1`,
		"\xc3\xa9A\xc3\xa9a",
		"Z[`{@",
	}
	for _, lit := range lits {
		for at := 0; at < len(lit); at++ {
			for _, pair := range []bool{false, len(lit) >= 2} {
				f := newFoldLiteral(lit)
				f.pair = pair
				f.setAnchor(at)
				for _, text := range texts {
					if got, want := f.in(text), lowerContains(text, lit); got != want {
						t.Errorf("%q anchored at %d (pair search %v) in %q = %v, want %v", lit, at, pair, text, got, want)
					}
				}
			}
		}
	}
}

// TestFoldLiteralRandom compares with lowercasing and searching on random
// texts over a small alphabet, where near misses are common.
func TestFoldLiteralRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abAB.-z@["
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 20000 {
		lit := strings.ToLower(word(1 + r.IntN(4)))
		text := word(r.IntN(24))
		f := newFoldLiteral(lit)
		f.pair = len(lit) >= 2 && r.IntN(2) == 0
		f.setAnchor(r.IntN(len(lit)))
		if got, want := f.in(text), lowerContains(text, lit); got != want {
			t.Fatalf("%q anchored at %d (pair search %v) in %q = %v, want %v", lit, f.at, f.pair, text, got, want)
		}
	}
}

// TestChooseAnchor: the anchor is the literal's byte least frequent in the
// sample, counting both cases of a letter.
func TestChooseAnchor(t *testing.T) {
	sample := `{"eventSource":"s3.amazonaws.com","userAgent":"aws-cli","Key":"K"}`
	var freq [256]int
	for i := 0; i < len(sample); i++ {
		freq[sample[i]]++
	}
	f := newFoldLiteral("bedrock.amazonaws.com")
	f.chooseAnchor(&freq)
	if f.lit[f.at] != 'b' || f.lo != 'b' || f.up != 'B' {
		t.Errorf("anchor %q at %d, want 'b' (absent from the sample)", f.lit[f.at], f.at)
	}
	f = newFoldLiteral("kz")
	f.chooseAnchor(&freq)
	if f.lit[f.at] != 'z' {
		t.Errorf("anchor %q, want 'z': 'k' occurs twice as K", f.lit[f.at])
	}
}

// BenchmarkFoldLiteral searches CloudTrail-like records for a literal they
// do not hold, the common case of a selective search. The anchor byte
// occurs (in "bucket", "Boto3") without the literal, so candidates are
// compared and turned down. "anchor" walks the anchor byte's
// occurrences, "pair" is the pair search (in Go, position by position,
// where the processor has no AVX2).
func BenchmarkFoldLiteral(b *testing.B) {
	raw := string(bytes.Repeat([]byte(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Alice"},"eventSource":"S3.amazonaws.com","userAgent":"Boto3/1.34.2","requestParameters":{"bucketName":"logs"}}`), 8))
	var freq [256]int
	for i := 0; i < len(raw); i++ {
		freq[raw[i]]++
	}
	for _, pair := range []bool{false, true} {
		name := "anchor"
		if pair {
			name = "pair"
		}
		b.Run(name, func(b *testing.B) {
			f := newFoldLiteral("bedrock.amazonaws.com")
			f.pair = pair
			f.chooseAnchor(&freq)
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if f.in(raw) {
					b.Fatal("found")
				}
			}
		})
	}
}

// TestLiteralMemo: remembered answers equal fresh searches, for a pass
// with few literals (the memo's array) and with many (past it).
func TestLiteralMemo(t *testing.T) {
	text := "bedrock.amazonaws.com deleteguardrail lit3 lit17 lit70 "
	for _, n := range []int{20, 100, 300} {
		lits := map[string]*foldLiteral{}
		var all []*prefilter
		for i := 0; i < n; i++ {
			all = append(all, &prefilter{op: 'l', lit: fmt.Sprintf("lit%d ", i)})
		}
		all = append(all, &prefilter{op: 'l', lit: "bedrock.amazonaws.com"}, &prefilter{op: 'l', lit: "listfoundationmodels"})
		bound := joinPrefilters('o', all).bind(lits)
		if len(lits) != n+2 {
			t.Fatalf("%d literals bound, want %d", len(lits), n+2)
		}
		var m literalMemo
		m.reset(len(lits))
		for round := 0; round < 2; round++ {
			for i := 0; i < n; i++ {
				s := fmt.Sprintf("lit%d ", i)
				if got, want := m.contains(text, lits[s]), strings.Contains(text, s); got != want {
					t.Errorf("%d literals, round %d: contains(%q) = %v, want %v", n, round, s, got, want)
				}
			}
			if !m.contains(text, lits["bedrock.amazonaws.com"]) || m.contains(text, lits["listfoundationmodels"]) {
				t.Errorf("%d literals, round %d: wrong answer for a repeated literal", n, round)
			}
			if !bound.test(text, &m) {
				t.Errorf("%d literals, round %d: the OR of them is false", n, round)
			}
		}
	}
}

// scanGrams answers in m, as a pass's gram index does, for the literals
// of three bytes or more in text.
func scanGrams(m *literalMemo, lits map[string]*foldLiteral, text string) {
	byID := make([]string, len(lits))
	for _, f := range lits {
		byID[f.id] = f.lit
	}
	g := newGramIndex(byID, text)
	st := m.states()
	for id := range byID {
		if g.indexed(id) {
			st[id] = litOut
		}
	}
	g.scan(text, st)
}

// checkGrams checks a gram index of lits (lowercased first), its grams
// chosen by sample, over text against lowercasing and searching: a
// literal of three bytes or more is litIn exactly when text holds it,
// any other is left unanswered. The index is checked as newGramIndex
// builds it, filed as its filter plans (planGramFilter) with that
// filter (gramFilter, in Go where the processor has no AVX2), with the
// filter of its windows alone (newGramFilter), and without.
func checkGrams(t *testing.T, lits []string, sample, text string) {
	t.Helper()
	for i := range lits {
		lits[i] = asciiLower(lits[i])
	}
	built := newGramIndex(lits, sample)
	planned := built
	if built.filter == nil {
		planned = buildGramIndex(lits, sample, math.Inf(1)) // its filter kept however many positions it takes
	}
	refiled, _ := newGramFilter(planned.windows(), sample)
	for _, c := range []struct {
		g *gramIndex
		f *gramFilter
	}{{built, built.filter}, {planned, planned.filter}, {planned, refiled}, {planned, nil}} {
		g, f := c.g, c.f
		g.filter = f
		state := make([]uint8, len(lits))
		for id := range lits {
			if g.indexed(id) != (len(lits[id]) >= 3) {
				t.Fatalf("%q: indexed %v", lits[id], g.indexed(id))
			}
			if g.indexed(id) {
				state[id] = litOut
			}
		}
		g.scan(text, state)
		for id, lit := range lits {
			want := litUnknown
			if len(lit) >= 3 {
				want = litOut
				if lowerContains(text, lit) {
					want = litIn
				}
			}
			if state[id] != want {
				t.Errorf("%q (filed at %d by sample %q, filter %v) in %q: state %d, want %d", lit, g.at[id], sample, f != nil, text, state[id], want)
			}
		}
	}
}

// TestGramIndex: the gram index answers for every literal of three
// bytes or more as lowercasing and searching does, in any ASCII case,
// at either end of the text, cut, repeated, beside bytes beyond ASCII
// (never folded), with literals that share their first gram or their
// hash, and filed under whichever of their grams a sample record makes
// the rarest.
func TestGramIndex(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lits []string
		text string
	}{
		{[]string{"deleteguardrail", "delete", "deleteknowledgebase", "bedrock.amazonaws.com", "zz", "eted"},
			`{"eventSource":"Bedrock.AmazonAWS.com","eventName":"DeleteGuardrail"}`},
		{[]string{"abc", "abcd", "bcd"}, "ABCD"},
		{[]string{"abc", "abcd"}, "xxab"},
		{[]string{"abc"}, "ab"},
		{[]string{"abc"}, ""},
		{[]string{"Ã©ab", "Ãab"}, "xÃAB"},
		{[]string{"@[x", "`{x"}, "`{X"},
		{[]string{"aaa", "aaaa"}, "aAa"},
	} {
		for _, sample := range []string{"", c.text, strings.ToUpper(c.text), "accountid " + c.text} {
			checkGrams(t, append([]string(nil), c.lits...), sample, c.text)
		}
	}
	// "acc" is in every CloudTrail record (accountId, accessKeyId): the
	// sample holds accessdenied's first three grams (acc, cce, ces), so
	// a later one files it.
	for _, maxRate := range []float64{0, math.Inf(1)} { // without a filter, and as one plans
		if g := buildGramIndex([]string{"accessdenied"}, `{"accountId":"1","accessKeyId":"x"}`, maxRate); g.at[0] < 3 {
			t.Errorf("accessdenied filed under the gram at %d, one the sample holds (filter %v)", g.at[0], g.filter != nil)
		}
	}
	// Literals whose grams share a hash bucket are all compared there.
	var same []string
	for a := 'a'; a <= 'z' && len(same) < 3; a++ {
		for b := 'a'; b <= 'z' && len(same) < 3; b++ {
			for c := 'a'; c <= 'z'; c++ {
				if gramHash(uint(a), uint(b), uint(c)) == gramHash('d', 'e', 'l') {
					same = append(same, string([]rune{a, b, c})+"x")
				}
			}
		}
	}
	if len(same) < 2 {
		t.Fatalf("no two grams share a bucket: %v", same)
	}
	checkGrams(t, same, "", "--"+strings.ToUpper(same[len(same)-1])+"--"+same[0])
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcAB.:-_Ã"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 3000 {
		var lits []string
		for range 1 + r.IntN(1+r.IntN(60)) {
			lits = append(lits, word(2+r.IntN(5)))
		}
		text := word(r.IntN(150))
		checkGrams(t, lits, word(r.IntN(60)), text)
		checkGrams(t, lits, text, text)
	}
}

// FuzzGramIndex: for any literals (separated by NUL) and any text, the
// gram index agrees with lowercasing and searching, whichever grams a
// sample (none, the text, half of it) makes it file the literals under.
func FuzzGramIndex(f *testing.F) {
	f.Add("deleteguardrail\x00bedrock.amazonaws.com\x00zz", `{"eventSource":"Bedrock.AmazonAWS.com","eventName":"DeleteGuardrail"}`)
	f.Add("abc\x00abcd\x00bcd", "ABCD")
	f.Add("\xc3\xa9ab", "x\xc3\x89AB\xc3\xa9ab")
	// Raw values' literals with a JSON string's quotes.
	f.Add("\"get\x00policy\"\x00\"deletetrail\"\x00\"describe", `{"eventName":"GetBucketPolicy","x":"ForgetPolicyX","y":"DeleteTrail","z":"Describe"}`)
	f.Fuzz(func(t *testing.T, lits, text string) {
		if len(lits) > 1024 || len(text) > 4096 {
			return
		}
		var list []string
		for _, l := range strings.Split(lits, "\x00") {
			if len(l) >= 2 {
				list = append(list, l)
			}
		}
		checkGrams(t, list, "", text)
		checkGrams(t, list, text, text)
		if len(text) > 3 {
			checkGrams(t, list, text[len(text)/2:], text)
		}
	})
}

// checkFoldLiteral checks foldLiteral.in and foldLiteral.index against
// ASCII-lowercasing the text and searching, for lit (ASCII-lowercased
// first: the literals of a pass are lowercase) anchored at every one of
// its positions and at the anchor chooseAnchor picks by the text's own
// byte counts. Bytes beyond ASCII are compared as they are, never folded.
func checkFoldLiteral(t *testing.T, lit, text string) {
	t.Helper()
	if lit == "" {
		return
	}
	lit = asciiLower(lit)
	lower := asciiLower(text)
	wantIn, wantAt := strings.Contains(lower, lit), strings.Index(lower, lit)
	var freq [256]int
	for i := 0; i < len(text); i++ {
		freq[text[i]]++
	}
	check := func(f *foldLiteral) {
		t.Helper()
		if got := f.in(text); got != wantIn {
			t.Errorf("%q anchored at %d (%q/%q), pair search %v at %d and %d: in(%q) = %v, want %v", lit, f.at, f.lo, f.up, f.pair, f.p1, f.p2, text, got, wantIn)
		}
		if got := f.index(text); got != wantAt {
			t.Errorf("%q anchored at %d (%q/%q), pair search %v at %d and %d: index(%q) = %d, want %d", lit, f.at, f.lo, f.up, f.pair, f.p1, f.p2, text, got, wantAt)
		}
	}
	// The anchor walk and the pair search (indexFoldPair, in Go where
	// the processor has no AVX2), anchored where chooseAnchor says and
	// at every byte.
	for _, pair := range []bool{false, len(lit) >= 2} {
		chosen := newFoldLiteral(lit)
		chosen.pair = pair
		chosen.chooseAnchor(&freq)
		check(chosen)
		for at := 0; at < len(lit); at++ {
			f := newFoldLiteral(lit)
			f.pair = pair
			f.setAnchor(at)
			check(f)
		}
	}
	// Every pair of offsets of a short literal.
	for x := 0; x < len(lit) && len(lit) <= 8; x++ {
		for y := x + 1; y < len(lit); y++ {
			f := newFoldLiteral(lit)
			f.pair = true
			f.setPair(x, y)
			check(f)
		}
	}
}

// asciiLower lowercases A-Z and leaves every other byte as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestFoldLiteralAnchors: whichever byte anchors the search (every
// position, and the one chooseAnchor picks from the text), the literal is
// found in either case and in mixed case, at the very start and the very
// end of the text, next to and inside bytes beyond ASCII, and is not
// found when only near misses are there: cut copies, and the literal with
// each letter turned into the byte before its uppercase ('a' into '@');
// "@[" against "`{" is a case fold that must not be made (a bit 0x20
// apart, as letters' cases are).
func TestFoldLiteralAnchors(t *testing.T) {
	lits := []string{"bedrock.amazonaws.com", "accessdenied", "invokemodel", "z", "k9", "a-b", "x\xc3\xa9y", "\xc3\xa9", "@["}
	for _, lit := range lits {
		upper := strings.ToUpper(lit)
		mixed := []byte(lit)
		for i := 0; i < len(mixed); i += 2 {
			if c := mixed[i]; c >= 'a' && c <= 'z' {
				mixed[i] = c - ('a' - 'A')
			}
		}
		texts := []string{
			lit, upper, string(mixed),
			lit + `","x":1}`, `{"x":"` + upper,
			"\xc3\xa9" + string(mixed) + "\xc3\xa9",
			`{"eventSource":"` + lit[:len(lit)-1] + `"}`,
			`{"a":"` + lit[1:] + `"}` + upper[:len(upper)-1],
			strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r - 'a' + '@'
				}
				return r
			}, lit),
			strings.Repeat(lit[:len(lit)/2+1], 3) + lit,
			"`{",
		}
		for _, text := range texts {
			checkFoldLiteral(t, lit, text)
		}
	}
}

// FuzzFoldLiteral checks the case-insensitive literal search on any
// literal and text, for every anchor position and the chosen one.
func FuzzFoldLiteral(f *testing.F) {
	f.Add("bedrock.amazonaws.com", `{"eventSource":"BEDROCK.amazonaws.com"}`)
	f.Add("accessdenied", `"errorCode":"AccessDenied"`)
	f.Add("AccessDenied", `"errorCode":"accessdenie`)
	f.Add("\xc3\xa9a", "\xc3\x89A\xc3\xa9a")
	f.Add("@[", "`{@[")
	f.Fuzz(func(t *testing.T, lit, text string) {
		if len(lit) > 64 || len(text) > 4096 {
			return
		}
		checkFoldLiteral(t, lit, text)
	})
}

// TestLiteralGroups: literals that share an anchor byte are searched for
// in one walk (searchGroup), and every answer equals lowercasing and
// searching, whichever literal of the group is asked first, with and
// without a gram index answering first, and with the literal at either
// end of the text, in either case, or cut.
func TestLiteralGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "kKaAb.-z\xc3"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	grouped := 0
	for round := range 3000 {
		var all []*prefilter
		var texts []string
		for range 2 + r.IntN(5) {
			lit := asciiLower(word(1 + r.IntN(5)))
			if len(lit) < 2 {
				lit += "k"
			}
			all = append(all, &prefilter{op: 'l', lit: lit})
			texts = append(texts, strings.ToUpper(lit), lit[1:])
		}
		lits := map[string]*foldLiteral{}
		joinPrefilters('o', all).bind(lits)
		pf := &prefilters{lits: lits}
		for _, f := range lits {
			// The pair search's literals are not grouped; the others
			// are, on a shared anchor.
			f.pair = r.IntN(2) == 0
			f.setAnchor(r.IntN(len(f.lit)))
			if r.IntN(2) == 0 {
				// Force sharing: anchor on a 'k' where there is one.
				if i := strings.IndexByte(f.lit, 'k'); i >= 0 {
					f.setAnchor(i)
				}
			}
		}
		pf.groupAnchors()
		for _, f := range lits {
			if f.group != nil {
				grouped++
				if f.pair {
					t.Fatalf("%q is found by the pair search, yet grouped", f.lit)
				}
			}
		}
		text := word(r.IntN(30))
		text = texts[r.IntN(len(texts))] + text + texts[r.IntN(len(texts))]
		var m literalMemo
		m.reset(len(lits))
		if round%2 == 1 {
			scanGrams(&m, lits, text)
		}
		// joinPrefilters drops an OR's literal that holds another, so
		// only the bound literals are asked for.
		bound := slices.Sorted(maps.Keys(lits))
		order := r.Perm(len(bound))
		for _, i := range order {
			lit := bound[i]
			if got, want := m.contains(text, lits[lit]), lowerContains(text, lit); got != want {
				t.Fatalf("%q (anchor %d, group of %d) in %q = %v, want %v", lit, lits[lit].at, len(lits[lit].group), text, got, want)
			}
		}
	}
	if grouped == 0 {
		t.Fatal("no literals were grouped: the test checks nothing of searchGroup")
	}
}

// TestLiteralGroupsFew: only a pass with fewer than manyLiterals
// literals groups them; with more, each is searched for on its own.
func TestLiteralGroupsFew(t *testing.T) {
	for _, n := range []int{manyLiterals - 1, manyLiterals} {
		lits := map[string]*foldLiteral{}
		var all []*prefilter
		for i := range n {
			all = append(all, &prefilter{op: 'l', lit: fmt.Sprintf("k%d", i)})
		}
		joinPrefilters('o', all).bind(lits)
		for _, f := range lits {
			f.pair = false // as without AVX2
			f.setAnchor(0)
		}
		(&prefilters{lits: lits}).groupAnchors()
		text := "K3 k5 x" + fmt.Sprint(n)
		var m literalMemo
		m.reset(len(lits))
		for _, p := range all {
			f := lits[p.lit]
			if grouped, want := f.group != nil, n < manyLiterals; grouped != want {
				t.Errorf("%d literals: %q grouped %v, want %v", n, f.lit, grouped, want)
			}
			if got, want := m.contains(text, f), lowerContains(text, f.lit); got != want {
				t.Errorf("%d literals: %q in %q = %v, want %v", n, f.lit, text, got, want)
			}
		}
	}
}

// BenchmarkFoldLiteralGroup is the raw pre-filter of the five Bedrock
// detections in one pass over CloudTrail-like records, one in four from
// Bedrock (as in the bedrock-heavy profile), with the literals that share
// an anchor byte searched for in one walk (grouped), each on its own, and
// each by the pair search (in Go where the processor has no AVX2).
// The records are repeated so that each is long, as CloudTrail's are.
func BenchmarkFoldLiteralGroup(b *testing.B) {
	pad := strings.Repeat(`"tlsDetails":{"tlsVersion":"TLSv1.3","clientProvidedHostHeader":"s3.us-east-1.amazonaws.com"},`, 4)
	recs := []string{
		`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/app-backend/session-grace"},` + pad + `"eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","userAgent":"Boto3/1.34.11 md/Botocore#1.34.11","requestParameters":{"modelId":"anthropic.claude-3-haiku"}}`,
		`{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},` + pad + `"eventSource":"s3.amazonaws.com","eventName":"GetObject","userAgent":"aws-cli/2.15.0","requestParameters":{"bucketName":"logs","key":"k/2026/10/01"}}`,
		`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/data-pipeline/session-bob"},` + pad + `"eventSource":"lambda.amazonaws.com","eventName":"GetFunction20150331v2","userAgent":"Boto3/1.34.11","requestParameters":{"functionName":"ingest"}}`,
		`{"eventVersion":"1.09","userIdentity":{"type":"Root","arn":"arn:aws:iam::123456789012:root"},` + pad + `"eventSource":"kms.amazonaws.com","eventName":"Decrypt","errorCode":"AccessDenied","userAgent":"console.amazonaws.com","requestParameters":{"keyId":"mrk-1f2e3d"}}`,
	}
	l := func(s string) *prefilter { return &prefilter{op: 'l', lit: s} }
	and := func(t ...*prefilter) *prefilter { return &prefilter{op: 'a', terms: t} }
	bedrock := l("bedrock.amazonaws.com")
	plans := []*prefilter{
		and(bedrock, l("deleteguardrail")),
		and(bedrock, l("deleteknowledgebase")),
		and(bedrock, l("deletemodelinvocationloggingconfiguration")),
		and(bedrock, l("listfoundationmodels"), l("accessdenied")),
		and(bedrock, l("invokemodel"), l("accessdenied")),
	}
	for _, name := range []string{"grouped", "each", "pair"} {
		grouped := name == "grouped"
		b.Run(name, func(b *testing.B) {
			pf := &prefilters{every: true, some: true, lits: map[string]*foldLiteral{}}
			for _, p := range plans {
				pf.plans = append(pf.plans, p.bind(pf.lits))
			}
			for _, f := range pf.lits {
				f.pair = name == "pair" // in Go where the processor has no AVX2
			}
			var memo literalMemo
			outs := make([]bool, len(pf.plans))
			pf.ruleOut(recs[0], false, &memo, outs)
			if !grouped {
				for _, f := range pf.lits {
					f.group = nil
				}
			}
			size := 0
			for _, r := range recs {
				size += len(r)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, r := range recs {
					pf.ruleOut(r, false, &memo, outs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
		})
	}
}

// BenchmarkGramScan: the gram index of the literals of a content
// library's CloudTrail detections (event names, services, error codes)
// walking CloudTrail records of a kilobyte or so, at its filter's
// candidates where the processor has AVX2.
func BenchmarkGramScan(b *testing.B) {
	lits := strings.Fields(`accessdenied assumerolewithsaml attachrolepolicy aws:kms bedrock.amazonaws.com
		cloudtrail.amazonaws.com consolelogin copyobject createaccesskey createkey createloginprofile
		createnetworkaclentry createpolicyversion createsnapshot createtask createvirtualmfadevice
		deactivatemfadevice deletealarms deleteconflictexception deletedetector deletegroup
		deleteguardrail deleteipset deleteknowledgebase deleteloggroup deletelogstream deletepolicy
		deletetrail describe describeeventaggregates describeimagescanfindings ec2.amazonaws.com
		ecr.amazonaws.com failed failure get getpassworddata iam.amazonaws.com invokemodel jobcreated
		lambda.amazonaws.com list listfoundationmodels malformedpolicydocumentexception modifydbinstance
		modifyimageattribute modifysnapshotattribute putbucketacl putbucketlifecycle putbucketreplication
		putbucketversioning putimage putkeypolicy s3.amazonaws.com security_group setdefaultpolicyversion
		stoplogging suspended updatefunctioncode updateloginprofile updatesamlprovider updatetrail yes`)
	records := cloudTrailRecords(64)
	benchGramScan(b, newGramIndex(lits, records[0]), len(lits), records)
}

// benchGramScan runs g over every record once a loop, each from a memo of
// n literals all unknown, counting the records' bytes.
func benchGramScan(b *testing.B, g *gramIndex, n int, records []string) {
	size := 0
	for _, r := range records {
		size += len(r)
	}
	state := make([]uint8, n)
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, r := range records {
			clear(state)
			g.scan(r, state)
		}
	}
}
