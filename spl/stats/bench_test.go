package stats

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// addsPerOp is the number of Add calls in one benchmark operation: a group
// fed a million rows, then asked for its result.
const addsPerOp = 1_000_000

// BenchmarkAdd measures the per-row cost of the common aggregations. One op
// is addsPerOp Adds and a Result; ns/add is the cost of one Add, and
// allocs/op counts allocations over all of them (map growth for dc and
// values, nothing per row).
func BenchmarkAdd(b *testing.B) {
	users := make([]value.Value, 1024) // 1024 distinct strings, as a field like user
	for i := range users {
		users[i] = value.Str("user" + strconv.Itoa(i))
	}
	bytes := make([]value.Value, 1024) // numeric strings, as extracted fields are
	for i := range bytes {
		bytes[i] = value.Str(strconv.Itoa(i * 37))
	}
	for _, bc := range []struct {
		fn     string
		inputs []value.Value
	}{
		{"count", users},
		{"dc", users},
		{"values", users},
		{"avg", bytes},
	} {
		b.Run(bc.fn, func(b *testing.B) {
			f, p, ok := Lookup(bc.fn)
			if !ok {
				b.Fatal(bc.fn)
			}
			b.ReportAllocs()
			for b.Loop() {
				a := f.New(p)
				for i := range addsPerOp {
					a.Add(bc.inputs[i&1023], float64(i))
				}
				if a.Result().IsNull() {
					b.Fatal("null result")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/addsPerOp, "ns/add")
		})
	}
}

// BenchmarkValuesScanning is values(src) of ESCU's "AWS Excessive
// Security Scanning" on the 1 GB bedrock-heavy data, scaled down: rows go
// to 126 groups (8 busy callers take a third of them), nearly every row
// with a source address its group has not seen, so that almost every Add
// inserts into a set of thousands; the sets then merge in pairs, as two
// workers' do, and give their sorted results. ns/row is the cost of one
// row's Add, with its share of the merge and the results.
func BenchmarkValuesScanning(b *testing.B) {
	const rows, groups, busy = 240_000, 126, 8
	rng := rand.New(rand.NewPCG(7, 8))
	group := make([]int, rows)
	src := make([]value.Value, rows)
	for i := range group {
		if rng.IntN(3) == 0 {
			group[i] = rng.IntN(busy)
		} else {
			group[i] = busy + rng.IntN(groups-busy)
		}
		src[i] = value.Str("10." + strconv.Itoa(rng.IntN(32)) + "." + strconv.Itoa(rng.IntN(256)) + "." + strconv.Itoa(rng.IntN(256)))
	}
	f, _, _ := Lookup("values")
	b.ReportAllocs()
	for b.Loop() {
		var workers [2][groups]Aggregator
		for w := range workers {
			for g := range workers[w] {
				workers[w][g] = f.New(0)
			}
		}
		for i, g := range group {
			workers[i&1][g].Add(src[i], 0)
		}
		for g := range groups {
			workers[0][g].(Merger).Merge(workers[1][g])
			if workers[0][g].Result().IsNull() {
				b.Fatal("null result")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
}
