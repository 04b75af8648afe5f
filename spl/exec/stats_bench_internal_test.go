package exec

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// statsRows are made rows shaped as the CloudTrail records ESCU's "AWS
// Excessive Security Scanning" aggregates: a few dozen callers, each with
// its ARN, a few dozen read-only call names, a source address out of
// thousands, one of four agents, and a time that grows.
func statsRows(n int) []*value.Row {
	rng := rand.New(rand.NewPCG(1, 2))
	agents := []string{
		"Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
		"aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64",
		"console.amazonaws.com",
	}
	rows := make([]*value.Row, n)
	for i := range rows {
		u := rng.IntN(40)
		r := value.NewRow(nil)
		r.Set("user", value.Str("user"+strconv.Itoa(u)))
		r.Set("userIdentity.arn", value.Str("arn:aws:iam::123456789012:user/user"+strconv.Itoa(u)))
		r.Set("eventName", value.Str([]string{"Describe", "List", "Get"}[rng.IntN(3)]+"Thing"+strconv.Itoa(rng.IntN(10))))
		r.Set("src", value.Str("10."+strconv.Itoa(rng.IntN(4))+"."+strconv.Itoa(rng.IntN(256))+"."+strconv.Itoa(rng.IntN(256))))
		r.Set("userAgent", value.Str(agents[rng.IntN(len(agents))]))
		r.Set("_time", value.Num(float64(1790000000+i)))
		rows[i] = r
	}
	return rows
}

// BenchmarkStatsPush is the per-row cost of a worker's partial stats
// (Plan.partialStats) for ESCU's "AWS Excessive Security Scanning": dc and
// values of one field, min and max of _time, two more values, by two
// fields. One op pushes every row through a fresh stage; ns/row is the
// cost of one row.
func BenchmarkStatsPush(b *testing.B) {
	const n = 200_000
	rows := statsRows(n)
	q, err := spl.ParseString(`search * | stats dc(eventName) as dc_events min(_time) as firstTime max(_time) as lastTime values(eventName) as command values(src) as src values(userAgent) as userAgent by user userIdentity.arn`)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := Compile(q, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if plan.partialStats == nil {
		b.Fatal("the stats does not run on the workers")
	}
	b.ReportAllocs()
	for b.Loop() {
		head, _ := plan.partialStats(make([]int, plan.partialAt))
		for _, r := range rows {
			if err := head.Push(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
}
