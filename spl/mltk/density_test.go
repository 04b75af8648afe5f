package mltk

import (
	"math"
	"sort"
	"strings"
	"testing"
)

// The cases are worked out by hand from the DensityFunction definitions of
// the MLTK User Guide ("Algorithms in the Splunk Machine Learning
// Toolkit", DensityFunction): a normal fit is the mean and the population
// standard deviation, the threshold split between both tails; an
// exponential fit is location = smallest value, scale = mean - location,
// the threshold all in the upper tail; boundaries rounded to 4 decimals.
func TestApply(t *testing.T) {
	obs := func(xs ...float64) []Observation {
		var o []Observation
		for _, x := range xs {
			o = append(o, Observation{X: x})
		}
		return o
	}
	cases := []struct {
		name      string
		dist      Dist
		xs        []float64
		th        Threshold
		x         float64
		loc, sc   float64
		outlier   bool
		ranges    string
		density   float64
		summaryMn string
	}{
		// mean 5, std sqrt(32/8)=2; ppf(0.005) = -2.5758293035489004.
		{"norm above", Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}, Threshold{Threshold: 0.01}, 11, 5, 2, true,
			"-Infinity:-0.1517:0.005 10.1517:Infinity:0.005", math.Exp(-4.5) / (2 * math.Sqrt(2*math.Pi)), "5.0"},
		{"norm inside", Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}, Threshold{Threshold: 0.01}, 10, 5, 2, false,
			"-Infinity:-0.1517:0.005 10.1517:Infinity:0.005", math.Exp(-3.125) / (2 * math.Sqrt(2*math.Pi)), "5.0"},
		{"norm below", Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}, Threshold{Threshold: 0.01}, -1, 5, 2, true,
			"-Infinity:-0.1517:0.005 10.1517:Infinity:0.005", math.Exp(-4.5) / (2 * math.Sqrt(2*math.Pi)), "5.0"},
		// upper_threshold alone: one range; ppf(0.99) = 2.3263478740408408.
		{"norm upper only", Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}, Threshold{Upper: 0.01}, -1, 5, 2, false,
			"9.6527:Infinity:0.01", math.Exp(-4.5) / (2 * math.Sqrt(2*math.Pi)), "5.0"},
		{"norm lower and upper", Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}, Threshold{Lower: 0.01, Upper: 0.005}, 0.4, 5, 2, false,
			"-Infinity:0.3473:0.01 10.1517:Infinity:0.005", math.Exp(-(4.6*4.6)/8) / (2 * math.Sqrt(2*math.Pi)), "5.0"},
		// All equal: std 0 becomes 1e-6, the boundaries round to the value.
		{"norm constant", Normal, []float64{3, 3, 3}, Threshold{Threshold: 0.005}, 4, 3, 0.000001, true,
			"-Infinity:3.0:0.0025 3.0:Infinity:0.0025", 0, "3.0"},
		{"norm constant equal", Normal, []float64{3, 3, 3}, Threshold{Threshold: 0.005}, 3, 3, 0.000001, false,
			"-Infinity:3.0:0.0025 3.0:Infinity:0.0025", 1 / (0.000001 * math.Sqrt(2*math.Pi)), "3.0"},
		// loc 1, scale 3-1=2; upper = 1 + 2 ln 200 = 11.596634733096073.
		{"expon above", Exponential, []float64{1, 2, 3, 6}, Threshold{Threshold: 0.005}, 12, 1, 2, true,
			"11.5966:Infinity:0.005", math.Exp(-5.5) / 2, "1.0"},
		{"expon inside", Exponential, []float64{1, 2, 3, 6}, Threshold{Threshold: 0.005}, 11.5, 1, 2, false,
			"11.5966:Infinity:0.005", math.Exp(-5.25) / 2, "1.0"},
		{"expon below loc", Exponential, []float64{1, 2, 3, 6}, Threshold{Threshold: 0.005}, 0, 1, 2, false,
			"11.5966:Infinity:0.005", 0, "1.0"},
		// lower_threshold has no area on an exponential distribution.
		{"expon lower only", Exponential, []float64{1, 2, 3, 6}, Threshold{Lower: 0.01}, 0, 1, 2, false, "", 0, "1.0"},
		// The default threshold, 0.01.
		{"expon default", Exponential, []float64{1, 2, 3, 6}, Threshold{}, 10.3, 1, 2, true,
			"10.2103:Infinity:0.01", math.Exp(-4.65) / 2, "1.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Fit("m", "x", nil, c.dist, c.th, false, obs(c.xs...))
			if err != nil {
				t.Fatal(err)
			}
			g, ok := m.Lookup(nil)
			if !ok {
				t.Fatal("no group")
			}
			if math.Abs(g.Loc-c.loc) > 1e-12 || math.Abs(g.Scale-c.sc) > 1e-12 {
				t.Errorf("fit = %v, %v; want %v, %v", g.Loc, g.Scale, c.loc, c.sc)
			}
			r := m.Apply(g, c.x, Threshold{})
			var rs []string
			for _, x := range r.Ranges {
				rs = append(rs, x.String())
			}
			if got := strings.Join(rs, " "); got != c.ranges {
				t.Errorf("ranges = %q, want %q", got, c.ranges)
			}
			if r.Outlier != c.outlier {
				t.Errorf("outlier = %v, want %v", r.Outlier, c.outlier)
			}
			if math.Abs(r.Density-c.density) > 1e-12*math.Max(1, c.density) {
				t.Errorf("density = %v, want %v", r.Density, c.density)
			}
			if got := m.Summary(g)[3][1]; got != c.summaryMn {
				t.Errorf("summary mean = %q, want %q", got, c.summaryMn)
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	if _, err := Fit("m", "x", nil, Exponential, Threshold{}, false, []Observation{{X: 2}, {X: 2}}); err == nil || !strings.Contains(err.Error(), "All values in the dataset are the same") {
		t.Errorf("constant exponential: %v", err)
	}
	if _, err := Fit("m", "x", nil, Normal, Threshold{}, false, nil); err == nil || !strings.Contains(err.Error(), "No valid fields") {
		t.Errorf("no data: %v", err)
	}
	for _, d := range []string{"auto", "gaussian_kde", "beta"} {
		if _, err := ParseDist(d); err == nil || !strings.Contains(err.Error(), "dist="+d+" is not supported") {
			t.Errorf("dist=%s: %v", d, err)
		}
	}
	if _, err := ParseDist("gamma"); err == nil || !strings.Contains(err.Error(), `found dist="gamma"`) {
		t.Errorf("dist=gamma: %v", err)
	}
	for _, s := range []string{"0", "1", "x", "-0.1"} {
		if _, err := ParseThreshold("threshold", s); err == nil {
			t.Errorf("threshold=%s accepted", s)
		}
	}
	if _, err := ParseThreshold("threshold", "0.01,0.005"); err == nil || !strings.Contains(err.Error(), "several thresholds") {
		t.Errorf("several thresholds: %v", err)
	}
	if err := (Threshold{Threshold: 0.01, Upper: 0.01}).Check(); err == nil {
		t.Error("threshold with upper_threshold accepted")
	}
}

// TestSummary: one row per group, by-field values first, groups ordered
// by their values (numbers by value).
func TestSummary(t *testing.T) {
	var obs []Observation
	for _, o := range []struct {
		h string
		x float64
	}{{"8", 1}, {"8", 3}, {"12", 2}, {"12", 2}, {"4", 5}, {"4", 7}, {"4", 6}} {
		obs = append(obs, Observation{Key: []string{o.h}, X: o.x})
	}
	m, err := Fit("m", "x", []string{"HourOfDay"}, Normal, Threshold{}, false, obs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range m.Groups() {
		var cells []string
		for _, c := range m.Summary(g) {
			if c[0] != "distance" {
				cells = append(cells, c[0]+"="+c[1])
			}
		}
		got = append(got, strings.Join(cells, " "))
	}
	want := []string{
		"HourOfDay=4 type=Normal min=5.0 max=7.0 mean=6.0 std=0.816496580927726 cardinality=3 other=N/A",
		"HourOfDay=8 type=Normal min=1.0 max=3.0 mean=2.0 std=1.0 cardinality=2 other=N/A",
		"HourOfDay=12 type=Normal min=2.0 max=2.0 mean=2.0 std=1e-06 cardinality=2 other=N/A",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWasserstein compares the exact distance with a numeric integral of
// |F_n - F| on a fine grid.
func TestWasserstein(t *testing.T) {
	for _, c := range []struct {
		dist Dist
		xs   []float64
	}{
		{Normal, []float64{2, 4, 4, 4, 5, 5, 7, 9}},
		{Normal, []float64{10, 11, 30}},
		{Exponential, []float64{1, 2, 3, 6}},
		{Exponential, []float64{0, 0, 5, 1, 2}},
	} {
		m, err := Fit("m", "x", nil, c.dist, Threshold{}, false, func() []Observation {
			var o []Observation
			for _, x := range c.xs {
				o = append(o, Observation{X: x})
			}
			return o
		}())
		if err != nil {
			t.Fatal(err)
		}
		g := m.Groups()[0]
		s := append([]float64(nil), c.xs...)
		sort.Float64s(s)
		cdf := func(x float64) float64 {
			if c.dist == Exponential {
				if x < g.Loc {
					return 0
				}
				return 1 - math.Exp(-(x-g.Loc)/g.Scale)
			}
			return 0.5 * math.Erfc(-(x-g.Loc)/g.Scale/math.Sqrt2)
		}
		lo, hi, step := g.Loc-20*g.Scale-10, g.Loc+40*g.Scale+40, 1e-4
		sum := 0.0
		for x := lo; x < hi; x += step {
			mid := x + step/2
			k := sort.SearchFloat64s(s, math.Nextafter(mid, math.Inf(1)))
			sum += math.Abs(float64(k)/float64(len(s))-cdf(mid)) * step
		}
		if math.Abs(sum-g.Distance) > 1e-5 {
			t.Errorf("%v %v: distance %v, numeric %v", c.dist.Name(), c.xs, g.Distance, sum)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	for x, want := range map[float64]string{
		1: "1.0", 0.0025: "0.0025", 0.0001: "0.0001", 0.00001: "1e-05", 1e16: "1e+16",
		1e15: "1000000000000000.0", -0.1517: "-0.1517", 12.3: "12.3", 0.30000000000000004: "0.30000000000000004",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", 1.5e-7: "1.5e-07",
	} {
		if got := FormatFloat(x); got != want {
			t.Errorf("FormatFloat(%v) = %q, want %q", x, got, want)
		}
	}
}
