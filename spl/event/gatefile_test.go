package event

import (
	"strings"
	"testing"
)

// BenchmarkGateExtractFile is the pass of the 59 ESCU CloudTrail
// detections as the event package sees it, over a block of a file's
// records (SPLHARNESS_BENCH_NDJSON): every record through the gate's
// validating scan, and those whose eventName starts with Describe, List
// or Get (ESCU search 30's, most of what the gate lets through) then
// through the planned extracting scan of search 30's need, from the
// gate's stop bits. "gate" is the gate's scan alone.
func BenchmarkGateExtractFile(b *testing.B) {
	recs, size := fileRecords(b)
	keys := []string{"eventName", "eventSource", "errorCode", "errorMessage", "object_category"}
	need := Need{Names: searchNames()}.Compile()
	r := newReader(Options{}, nil, nil)
	r.stamps = cloudtrailStamps
	r.pre = newPreExtract(need, cloudtrailStamps)
	f := &Fields{need: need}
	lets := func(v GateValue) bool {
		return strings.HasPrefix(v.Value, "Describe") || strings.HasPrefix(v.Value, "List") || strings.HasPrefix(v.Value, "Get")
	}
	for _, extract := range []bool{false, true} {
		name := "gate"
		if extract {
			name = "gate+planned"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, raw := range recs {
					if _, ok := r.scan.quickGate(raw, cloudtrailStamps, keys, nil, nil, &r.gate); !ok {
						b.Fatal("not settled")
					}
					if !extract || !lets(r.gate.values[0]) {
						continue
					}
					r.startFields(f, 0, true)
					if _, _, ok := r.scan.fastFindAndExtract(raw, cloudtrailStamps, false, r.pre, f, true); !ok {
						b.Fatal("not settled")
					}
				}
			}
		})
	}
}
