package exec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkGramFilter checks a filter of windows over text: gramBlocks (the
// assembly where the processor has AVX2) gives exactly gramBlocksGo's
// masks, block after block as scanFiltered asks, and every position
// where a window starts (ASCII letters of text folded) is a candidate.
// With 16 distinct windows or fewer each has a bucket of its own, and a
// position is a candidate exactly when its bytes are a window's or, for
// a lowercase byte of the window, the byte 0x20 below it (the nibble
// tables' folding: 'A' for 'a', '@' for '`'), whatever byte follows a
// window of three.
func checkGramFilter(t *testing.T, windows []string, text string) {
	t.Helper()
	f, _ := newGramFilter(windows, text)
	if f == nil {
		t.Fatalf("no filter for %d windows", len(windows))
	}
	checkFilter(t, f, windows, text)
}

// checkFilter is checkGramFilter for the filter f of windows.
func checkFilter(t *testing.T, f *gramFilter, windows []string, text string) {
	t.Helper()
	distinct := map[string]bool{}
	for _, w := range windows {
		distinct[w] = true
	}
	end := (len(text) - 3) &^ 31
	var got, want [gramFilterBlock / 32]uint32
	for from := 0; from < end; from += gramFilterBlock {
		n := min(end-from, gramFilterBlock)
		gramBlocks(text, from, n, f, &got)
		gramBlocksGo(text, from, n, f, &want)
		if got != want {
			t.Fatalf("windows %q over %q from %d: gramBlocks %x, gramBlocksGo %x", windows, text, from, got[:n/32], want[:n/32])
		}
	}
	for p := 0; p+4 <= len(text); p++ {
		may := f.may(text, p)
		exact := false
		for w := range distinct {
			if !may && asciiLower(text[p:p+len(w)]) == w {
				t.Fatalf("windows %q: %q at %d of %q is not a candidate", windows, w, p, text)
			}
			ok := true
			for k := range len(w) {
				c, y := w[k], text[p+k]
				ok = ok && (y == c || c >= 0x60 && c < 0x80 && y == c-0x20)
			}
			exact = exact || ok
		}
		if len(distinct) <= 16 && may != exact {
			t.Fatalf("windows %q: %q at %d of %q a candidate: %v, want %v", windows, text[p:p+4], p, text, may, exact)
		}
	}
}

// windowsOf are the windows at each offset of lits (lowercased) as the
// gram index makes them: three bytes and the one after, or three at a
// literal's end.
func windowsOf(lits []string) []string {
	var windows []string
	for _, lit := range lits {
		lit = asciiLower(lit)
		for k := 0; k+3 <= len(lit); k++ {
			windows = append(windows, lit[k:min(k+4, len(lit))])
		}
	}
	return windows
}

// TestGramFilter: the candidate filter misses no position where a
// window starts, in any case of its letters, at every offset of texts
// around the block sizes, with 1 to about 200 windows of three and four
// bytes (up to 16 one a bucket, then buckets shared), bytes beyond
// ASCII and the bytes the nibble tables fold with letters ('@', '[',
// '`', '{'); and the assembly agrees with the Go reference bit for bit.
func TestGramFilter(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	const alphabet = "abcdelstAELZz.:-_@[`{\x80\xc3\xe9\x000"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 2000 {
		var lits []string
		for range 1 + r.IntN(1+r.IntN(70)) {
			lits = append(lits, word(3+r.IntN(3)))
		}
		// The literals are planted, in either case, among random bytes.
		var text strings.Builder
		for text.Len() < r.IntN(300) {
			if r.IntN(3) == 0 {
				lit := lits[r.IntN(len(lits))]
				if r.IntN(2) == 0 {
					lit = strings.ToUpper(lit)
				}
				text.WriteString(lit)
			} else {
				text.WriteString(word(1 + r.IntN(8)))
			}
		}
		checkGramFilter(t, windowsOf(lits), text.String())
	}
	// A lone window at every position of texts around the block size,
	// and of a text longer than one call of gramBlocks.
	for _, n := range []int{33, 34, 35, 36, 65, 66, 67, 100, gramFilterBlock + 40, 3*gramFilterBlock + 2} {
		for p := 0; p+4 <= n; p += 1 + p/64 {
			b := []byte(strings.Repeat("x", n))
			copy(b[p:], "DeLe")
			checkGramFilter(t, []string{"dele", "get"}, string(b))
			copy(b[p:], "GeT")
			checkGramFilter(t, []string{"dele", "get"}, string(b))
		}
	}
}

// TestPlanGramFilter: a planned filter chooses one of each literal's
// windows, misses no position where a chosen window starts, and its
// assembly agrees with the Go reference, for literals of 3 to 20 bytes
// that share words or not (up to 16 windows the buckets are exact, as
// checkFilter checks). TestGramIndexFiltered checks how few positions
// a planned filter lets through.
func TestPlanGramFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	words := []string{"delete", "create", "policy", "group", "Bucket", "log", ".amazonaws.com", "x@[", "`{z", "\xc3\xa9t"}
	samples := cloudTrailRecords(3)
	for range 300 {
		var lits []string
		for range 1 + r.IntN(1+r.IntN(60)) {
			var b strings.Builder
			for b.Len() < 3+r.IntN(18) {
				b.WriteString(words[r.IntN(len(words))])
			}
			lits = append(lits, asciiLower(b.String()))
		}
		options := make([][]filterOption, len(lits))
		for i, lit := range lits {
			for k := 0; k+3 <= len(lit); k++ {
				options[i] = append(options[i], filterOption{window: foldWindow(lit, k), at: k})
			}
		}
		sample := samples[r.IntN(len(samples))]
		choice, f, _ := planGramFilter(options, sample[:r.IntN(len(sample))])
		if f == nil {
			continue // more than maxFilterWindows
		}
		var windows []string
		for i, o := range choice {
			if o < 0 || o >= len(options[i]) {
				t.Fatalf("%q: option %d of %d", lits[i], o, len(options[i]))
			}
			windows = append(windows, options[i][o].window)
		}
		var text strings.Builder
		for text.Len() < r.IntN(400) {
			if lit := lits[r.IntN(len(lits))]; r.IntN(2) == 0 {
				text.WriteString(strings.ToUpper(lit))
			} else {
				text.WriteString(lit)
			}
			text.WriteString(words[r.IntN(len(words))])
		}
		checkFilter(t, f, windows, text.String())
		checkFilter(t, f, windows, sample)
	}
}

// TestSampleModel: the share of a sample's positions that sampleModel
// sees nibble sets take is the share that a filter bucket of those sets
// takes (gramFilter.may), with the tables' folding of high nibbles 4
// and 5, over samples of random bytes and of CloudTrail records.
func TestSampleModel(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const alphabet = "abeltAELZz.:-_@[`{\x80\xc3\xe9\x000\"\x7f"
	samples := []string{"", "abc", "abcd", cloudTrailRecords(1)[0]}
	for range 20 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		samples = append(samples, string(b))
	}
	for _, sample := range samples {
		m := newSampleModel(sample)
		for range 50 {
			var s nibbleSets
			for range 1 + r.IntN(8) {
				w := make([]byte, 3+r.IntN(2))
				for i := range w {
					w[i] = foldTable[alphabet[r.IntN(len(alphabet))]]
				}
				s = s.union(windowSets(string(w)))
			}
			f := &gramFilter{}
			f.put(r.IntN(16), s)
			f.foldHigh()
			want := 0
			for p := 0; p+4 <= len(sample); p++ {
				if f.may(sample, p) {
					want++
				}
			}
			e := m.rate(s)
			if got := e.seen * float64(max(len(sample)-3, 1)); math.Abs(got-float64(want)) > 1e-6 {
				t.Fatalf("%+v over %q: seen %v positions, want %d", s, sample, got, want)
			}
			if e.indep != m.indep(s) || e.indep <= 0 {
				t.Fatalf("%+v: indep %v, %v", s, e.indep, m.indep(s))
			}
		}
	}
}

// FuzzGramFilter: for any literals (separated by NUL) and any text, the
// candidate filter of the literals' windows misses none of their
// positions in text, and the assembly agrees with the Go reference.
func FuzzGramFilter(f *testing.F) {
	f.Add("deleteguardrail\x00bedrock.amazonaws.com\x00get", `{"eventSource":"Bedrock.AmazonAWS.com","eventName":"DeleteGuardrail","x":"GetObject"}`)
	f.Add("@[x\x00`{x", strings.Repeat("`{X@[x", 10))
	f.Add("\"get\x00policy\"\x00\"deletetrail\"\x00\"describe", strings.Repeat(`{"eventName":"GetBucketPolicy","x":"ForgetPolicyX","y":"DeleteTrail","z":"Describe"}`, 3))
	f.Fuzz(func(t *testing.T, lits, text string) {
		if len(lits) > 2048 || len(text) > 4096 {
			return
		}
		windows := windowsOf(strings.Split(lits, "\x00"))
		if len(windows) == 0 || len(windows) > maxFilterWindows {
			return
		}
		checkGramFilter(t, windows, text)
	})
}

// passLiterals are the literals of three bytes or more that the 59 ESCU
// CloudTrail detections the harness runs ask for in one pass (their
// event names, services, error codes and the words of their event
// types; "failed authentication" with its space as "_").
var passLiterals = strings.Fields(`modifyimageattribute bedrock.amazonaws.com deleteguardrail
	deleteknowledgebase deletemodelinvocationloggingconfiguration listfoundationmodels accessdenied
	invokemodel describeeventaggregates consolelogin failed_authentication yes createpolicyversion
	iam.amazonaws.com createaccesskey createloginprofile failure assumerole getsessiontoken
	getpassworddata ec2.amazonaws.com rds.amazonaws.com modifydbinstance deletetrail
	cloudtrail.amazonaws.com deleteloggroup logs.amazonaws.com deletelogstream deletedetector
	deleteipset deletewebacl deleterule deleterulegroup deleteloggingconfiguration deletealarms
	putbucketlifecycle stoplogging updatetrail createkey putkeypolicy copyobject aws:kms
	putbucketversioning suspended modifysnapshotattribute ecr.amazonaws.com describeimagescanfindings
	putimage describe list get jobcreated putbucketreplication s3.amazonaws.com createtask
	datasync.amazonaws.com createsnapshot describesnapshotattribute deletesnapshot
	malformedpolicydocumentexception deletepolicy deletegroup nosuchentityexception
	deleteconflictexception lambda.amazonaws.com updatefunctioncode deletevirtualmfadevice
	deactivatemfadevice createnetworkaclentry replacenetworkaclentry allow false
	deletenetworkaclentry createvirtualmfadevice updateaccountpasswordpolicy getaccountpasswordpolicy
	deleteaccountpasswordpolicy assumerolewithsaml updatesamlprovider setdefaultpolicyversion
	updateloginprofile listsigningcertificates listaccesskeys listaccountaliases getuser
	getaccountsummary unauthorizedoperation authfailure operationnotpermitted create listroles
	listaliases getbucketencryption delete remove reboot attachvolume detachvolume
	putbucketpublicaccessblock putobject .amazonaws.com instance address gateway acl interface
	security route subnet vpc security_group createsecuritygroup deletesecuritygroup
	authorizesecuritygroupingress authorizesecuritygroupegress revokesecuritygroupingress
	revokesecuritygroupegress modified putuserpolicy client.unauthorizedoperation attachrolepolicy
	attachuserpolicy changepassword deleteloginprofile detachrolepolicy enablemfadevice putrolepolicy
	updateaccesskey updateassumerolepolicy updateuser putbucketacl replacenetworkaclassociation
	deleted deleteuser deleteaccesskey deleterole deletebucket deletevolume terminateinstances
	deletenetworkacl created createuser creategroup createpolicy createrole createsamlprovider
	createbucket createvolume runinstances createnetworkacl createloggroup createlogstream [aws-cli
	aws-cli authenticatedusers allusers assumerolewithwebidentity getfederationtoken startinstances
	stopinstances rebootinstances deleteendpoint createplatformendpoint`)

// cloudTrailRecords are n CloudTrail records of a kilobyte or so, as
// an application's role calls eight services.
func cloudTrailRecords(n int) []string {
	names := []string{"GetFunction20150331v2", "GetSessionToken", "DescribeInstances", "PutObject", "AssumeRole", "ListBuckets", "InvokeModel", "ConsoleLogin"}
	sources := []string{"lambda", "sts", "ec2", "s3", "sts", "s3", "bedrock", "signin"}
	var records []string
	for i := range n {
		records = append(records, fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAAPPXBACKEND:session-%d","arn":"arn:aws:sts::123456789012:assumed-role/app-backend/session-%d","accountId":"123456789012","accessKeyId":"ASIAAPPXBACKEND","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAAPPXBACKEND","arn":"arn:aws:iam::123456789012:role/app-backend","accountId":"123456789012","userName":"app-backend"},"webIdFederationData":{},"attributes":{"creationDate":"2026-10-01T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-10-01T00:%02d:00Z","eventSource":"%s.amazonaws.com","eventName":"%s","awsRegion":"eu-west-1","sourceIPAddress":"10.2.167.%d","userAgent":"Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6","requestParameters":{"maxItems":100},"responseElements":{},"requestID":"bec7562b-b7cc-4e85-8bc3-eef0e6b9%04d","eventID":"f4ab5000-217f-4219-874b-8d82defe%04d","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s.us-east-1.amazonaws.com"}}`,
			i, i, i%60, sources[i%len(sources)], names[i%len(names)], i, i, i, sources[i%len(sources)]))
	}
	return records
}

// TestGramIndexFiltered: the gram index with its candidate filter
// answers for the pass's literals over CloudTrail records as each
// literal's search does; the filter is planned for them, and lets
// through far fewer positions than it tests: 1 in 160 (1 in 42 before
// the plan weighed the sample's own positions, sampleModel).
func TestGramIndexFiltered(t *testing.T) {
	records := cloudTrailRecords(24)
	records = append(records, strings.ReplaceAll(records[0], `"GetFunction20150331v2"`, `"DeleteGuardrail","errorCode":"AccessDenied"`))
	g := buildGramIndex(passLiterals, records[0], 1.0/maxCandidateRate) // as newGramIndex where gramFilterOn
	f := g.filter
	if f == nil {
		t.Fatal("no filter")
	}
	tested, candidates := 0, 0
	for _, r := range records {
		checkGramFilter(t, g.windows(), r)
		state := make([]uint8, len(passLiterals))
		g.scan(r, state)
		for id, lit := range passLiterals {
			if got, want := state[id] == litIn, lowerContains(r, lit); got != want {
				t.Errorf("%q in %.60q...: %v, want %v", lit, r, got, want)
			}
		}
		for p := 0; p+4 <= len(r); p++ {
			tested++
			if f.may(r, p) {
				candidates++
			}
		}
	}
	t.Logf("%d candidates of %d positions", candidates, tested)
	if candidates*80 > tested {
		t.Errorf("%d candidates of %d positions", candidates, tested)
	}
}

// BenchmarkGramScanPass: the gram index of the 59 ESCU CloudTrail
// detections' literals walking CloudTrail records, position by position
// ("walk") and at its filter's candidates ("filter", where the
// processor has AVX2; in Go elsewhere). "candidates" reports the share
// of positions the filter lets through.
func BenchmarkGramScanPass(b *testing.B) {
	records := cloudTrailRecords(64)
	size := 0
	for _, r := range records {
		size += len(r)
	}
	g := buildGramIndex(passLiterals, records[0], 1.0/maxCandidateRate) // as newGramIndex where gramFilterOn
	f := g.filter
	for _, name := range []string{"walk", "filter"} {
		b.Run(name, func(b *testing.B) {
			g.filter = nil
			if name == "filter" {
				g.filter = f
			}
			benchGramScan(b, g, len(passLiterals), records)
			if name == "filter" {
				n := 0
				for _, r := range records {
					for p := 0; p+4 <= len(r); p++ {
						if f.may(r, p) {
							n++
						}
					}
				}
				b.ReportMetric(float64(n)/float64(size), "candidates/byte")
			}
		})
	}
}
