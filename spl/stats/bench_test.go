package stats

import (
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
