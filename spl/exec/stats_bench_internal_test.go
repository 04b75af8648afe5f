package exec

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness/gen"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/knowledge"
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

// BenchmarkStatsRowPath is what a row costs from the worker's offer to
// the stats of ESCU's "AWS Excessive Security Scanning", with the
// add-on's knowledge over the read-only calls of 4 MB of generated
// bedrock-heavy CloudTrail: each event's fields are extracted once
// before, and each op reads every event through a new knowledge source
// (reused memory, as a worker does) into the same stage, whose groups
// then exist, as in a long run. "memo" reads them
// through a field memo, as a pass of several plans does. "embedded" has
// the knowledge loaded as the command line loads it (conf.App.Embedded:
// its calculated fields compiled when first used).
func BenchmarkStatsRowPath(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, gen.Config{Bytes: 4_000_000, Seed: 7, Profile: "bedrock-heavy"}); err != nil {
		b.Fatal(err)
	}
	const scanning = `stats dc(eventName) as dc_events min(_time) as firstTime max(_time) as lastTime values(eventName) as command values(src) as src values(userAgent) as userAgent by user userIdentity.arn`
	for _, c := range []struct {
		name, by string
		embedded bool
	}{
		{"count", `stats count`, false},
		{"by", `stats count by user userIdentity.arn`, false},
		{"scanning", scanning, false},
		{"scanning/embedded", scanning, true},
	} {
		k, problems := benchKnowledge(c.embedded)
		if len(problems) > 0 {
			b.Fatal(problems[0])
		}
		st := k.Sourcetype("aws:cloudtrail")
		opts := Options{
			Fields:      func(ev *event.Event, raw value.Source) value.Source { return k.Source(ev.Sourcetype, raw) },
			ExtraFields: k.Reads("aws:cloudtrail"),
			ReadsFor:    func(fields []string) []string { return k.ReadsFor("aws:cloudtrail", fields) },
		}
		q, err := spl.ParseString(`search eventName=Describe* OR eventName=List* OR eventName=Get* | ` + c.by)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := Compile(q, opts)
		if err != nil {
			b.Fatal(err)
		}
		need := plan.need.Compile()
		var evs []*event.Event
		var fields []*event.Fields
		for i, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			ev := &event.Event{Raw: raw, Sourcetype: "aws:cloudtrail", Line: i + 1}
			f := event.NewFields(ev, need)
			if !plan.base(value.NewRow(k.Source(ev.Sourcetype, f))) {
				continue
			}
			ev.Time = float64(1790000000 + i)
			evs, fields = append(evs, ev), append(fields, f)
		}
		for _, memo := range []bool{false, true} {
			name := c.name
			if memo {
				name += "/memo"
			}
			b.Run(name, func(b *testing.B) {
				src := st.Reusing()
				var row value.Row
				var m fieldMemo
				// One stage for every op: its groups and sets fill on the
				// first, as a run's do on its first rows.
				head, _ := plan.partialStats(make([]int, plan.partialAt))
				b.ReportAllocs()
				for b.Loop() {
					for i, f := range fields {
						s := src(evs[i], f)
						if memo {
							s = m.reset(s)
						}
						row.Recycle(s)
						if !plan.base(&row) {
							b.Fatal("the event no longer matches")
						}
						if err := head.Push(&row); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(fields)), "ns/row")
			})
		}
	}
}

// benchKnowledge is the built-in knowledge (the AWS add-on's rules),
// marked embedded or not (conf.App.Embedded).
func benchKnowledge(embedded bool) (*knowledge.Knowledge, []error) {
	if embedded {
		return benchEmbedded()
	}
	return benchEager()
}

var benchEager, benchEmbedded = sync.OnceValues(func() (*knowledge.Knowledge, []error) { return loadBenchKnowledge(false) }),
	sync.OnceValues(func() (*knowledge.Knowledge, []error) { return loadBenchKnowledge(true) })

func loadBenchKnowledge(embedded bool) (*knowledge.Knowledge, []error) {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin", Embedded: embedded})
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	k := knowledge.Load(apps, eval.NewContext(now), func(s string) (func(*value.Row) bool, error) { return CompileSearch(s, now) })
	return k, k.Problems
}
