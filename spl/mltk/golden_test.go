package mltk

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden fits both distributions by user and HourOfDay to
// testdata/hourly.csv and prints each model's summary and the results of
// apply at a few counts (threshold=0.005, as ESCU's detections apply), in
// testdata/density.golden. go test ./spl/mltk -update rewrites it.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/hourly.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var obs []Observation
	for _, r := range recs[1:] {
		x, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		obs = append(obs, Observation{Key: r[:2], X: x})
	}
	var b strings.Builder
	for _, dist := range []Dist{Normal, Exponential} {
		m, err := Fit("m", "count", recs[0][:2], dist, Threshold{}, true, obs)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "# %s\n", dist.Name())
		for _, g := range m.Groups() {
			var cells []string
			for _, c := range m.Summary(g) {
				cells = append(cells, c[0]+"="+c[1])
			}
			b.WriteString(strings.Join(cells, " | ") + "\n")
			for _, x := range []float64{0, 1, 3, 8, 30} {
				res := m.Apply(g, x, Threshold{Threshold: 0.005})
				var rs []string
				for _, r := range res.Ranges {
					rs = append(rs, r.String())
				}
				fmt.Fprintf(&b, "  count=%s IsOutlier=%v BoundaryRanges=%s ProbabilityDensity=%s\n", FormatFloat(x), res.Outlier, strings.Join(rs, ","), FormatFloat(res.Density))
			}
		}
	}
	const golden = "testdata/density.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Errorf("%s differs (go test ./spl/mltk -update rewrites it):\n%s", golden, b.String())
	}
}
