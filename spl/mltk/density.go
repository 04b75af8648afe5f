// Package mltk is the part of Splunk's Machine Learning Toolkit (MLTK) that
// ESCU detections use: the DensityFunction algorithm of `fit` and `apply`,
// and the `summary` of its models, for the normal and exponential
// distributions, with the results and number formats the toolkit prints.
// The behaviour follows the MLTK User Guide ("Algorithms in the Splunk
// Machine Learning Toolkit", DensityFunction; "Using the DensityFunction
// algorithm"; the fit, apply and summary commands); docs/semantics.md,
// "Machine Learning Toolkit", lists it and the choices where the guide is
// silent.
package mltk

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Dist is a probability distribution that DensityFunction fits.
type Dist int

const (
	// Normal is dist=norm: mean and (population) standard deviation.
	Normal Dist = iota + 1
	// Exponential is dist=expon: location (the smallest value) and scale
	// (the mean's distance from it), the maximum likelihood fit.
	Exponential
)

// Name is the distribution's name in the summary's type column.
func (d Dist) Name() string {
	if d == Exponential {
		return "Exponential"
	}
	return "Normal"
}

// ParseDist reads dist=; auto, gaussian_kde and beta are valid MLTK
// values the package does not fit, and are errors naming the value.
func ParseDist(s string) (Dist, error) {
	switch s {
	case "norm":
		return Normal, nil
	case "expon":
		return Exponential, nil
	case "auto", "gaussian_kde", "beta":
		return 0, fmt.Errorf("dist=%s is not supported by the evaluator (it fits dist=norm and dist=expon only)", s)
	}
	return 0, fmt.Errorf(`dist must be one of "auto", "norm", "expon", "gaussian_kde", "beta", but found dist="%s"`, s)
}

// DefaultThreshold is the outlier area when neither threshold,
// lower_threshold nor upper_threshold is given (mlspl.conf
// default_prob_threshold).
const DefaultThreshold = 0.01

// zeroStd replaces a normal fit's standard deviation of 0, so that a
// group whose values are all equal still has a density.
const zeroStd = 0.000001

// precision is the number of decimals of the boundaries and areas in
// BoundaryRanges.
const precision = 4

// MaxGroups caps the groups of one model (mlspl.conf max_groups).
const MaxGroups = 1024

// Threshold is the outlier area of apply: either Threshold (split evenly
// between both tails of a normal distribution, the upper tail of an
// exponential one) or Lower and/or Upper, each a tail's area. Zero means
// not given.
type Threshold struct {
	Threshold, Lower, Upper float64
}

// IsSet reports whether any threshold is given.
func (t Threshold) IsSet() bool { return t.Threshold != 0 || t.Lower != 0 || t.Upper != 0 }

// ParseThreshold reads one threshold option's value: a number strictly
// between 0 and 1. Several comma-separated thresholds (one set of output
// columns each) are refused as unsupported.
func ParseThreshold(name, s string) (float64, error) {
	if strings.Contains(s, ",") {
		return 0, fmt.Errorf("%s=%q: several thresholds are not supported by the evaluator", name, s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v > 0 && v < 1) {
		return 0, fmt.Errorf("%s must be a number between 0 and 1, exclusive, but found %s=%s", name, name, s)
	}
	return v, nil
}

// Check refuses threshold with lower_threshold or upper_threshold.
func (t Threshold) Check() error {
	if t.Threshold != 0 && (t.Lower != 0 || t.Upper != 0) {
		return errors.New("threshold cannot be used together with lower_threshold or upper_threshold")
	}
	return nil
}

// Group is the distribution fitted to one group of the by fields.
type Group struct {
	// Key holds the group's by-field values, as the training rows had them.
	Key []string
	// Loc and Scale are the fitted parameters: mean and standard
	// deviation (normal), location and scale (exponential). The summary
	// prints them as mean and std, as MLTK does for both.
	Loc, Scale float64
	Min, Max   float64
	// Cardinality is the number of values fitted.
	Cardinality int
	// Distance is the Wasserstein distance between the training values
	// and the fitted distribution.
	Distance float64
}

// Model is a fitted DensityFunction model.
type Model struct {
	Name  string
	Field string
	By    []string
	Dist  Dist
	// Threshold is the fit's, the default of apply.
	Threshold   Threshold
	ShowDensity bool
	groups      map[string]*Group
	order       []*Group
}

// Observation is one training value with its group's by-field values.
type Observation struct {
	Key []string
	X   float64
}

func keyOf(key []string) string { return strings.Join(key, "\x00") }

// Fit fits one distribution per group of observations.
func Fit(name, field string, by []string, dist Dist, th Threshold, showDensity bool, obs []Observation) (*Model, error) {
	if len(obs) == 0 {
		return nil, errors.New("No valid fields to fit or apply model to")
	}
	m := &Model{Name: name, Field: field, By: by, Dist: dist, Threshold: th, ShowDensity: showDensity, groups: map[string]*Group{}}
	values := map[string][]float64{}
	for _, o := range obs {
		k := keyOf(o.Key)
		if _, ok := m.groups[k]; !ok {
			if len(m.groups) == MaxGroups {
				return nil, fmt.Errorf("The number of groups cannot exceed %d", MaxGroups)
			}
			g := &Group{Key: o.Key}
			m.groups[k] = g
			m.order = append(m.order, g)
		}
		values[k] = append(values[k], o.X)
	}
	for k, g := range m.groups {
		if err := g.fit(dist, values[k]); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(m.order, func(i, j int) bool { return lessKey(m.order[i].Key, m.order[j].Key) })
	return m, nil
}

// lessKey orders groups as the summary lists them: by their by-field
// values in turn, numbers by value before other text, text in byte order.
func lessKey(a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		x, xerr := strconv.ParseFloat(a[i], 64)
		y, yerr := strconv.ParseFloat(b[i], 64)
		switch {
		case xerr == nil && yerr == nil:
			if x != y {
				return x < y
			}
		case xerr == nil:
			return true
		case yerr == nil:
			return false
		}
		return a[i] < b[i]
	}
	return false
}

func (g *Group) fit(dist Dist, xs []float64) error {
	n := float64(len(xs))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	mean := npSum(xs) / n
	g.Min, g.Max, g.Cardinality = lo, hi, len(xs)
	switch dist {
	case Exponential:
		if lo == hi {
			return errors.New("Unable to fit an Exponential distribution due to numerical errors. All values in the dataset are the same.")
		}
		g.Loc, g.Scale = lo, mean-lo
	default:
		sq := make([]float64, len(xs))
		for i, x := range xs {
			sq[i] = (x - mean) * (x - mean)
		}
		g.Loc, g.Scale = mean, math.Sqrt(npSum(sq)/n)
		if g.Scale == 0 {
			g.Scale = zeroStd
		}
	}
	g.Distance = wasserstein(dist, g.Loc, g.Scale, xs)
	return nil
}

// Groups are the model's groups in summary order.
func (m *Model) Groups() []*Group { return m.order }

// Lookup is the group of the by-field values key; false when the model
// has none.
func (m *Model) Lookup(key []string) (*Group, bool) {
	g, ok := m.groups[keyOf(key)]
	return g, ok
}

// Range is one outlier area of BoundaryRanges: from Lo to Hi (infinite at
// an open end), of probability Area.
type Range struct {
	Lo, Hi, Area float64
}

// String is the range as MLTK prints it: the rounded boundaries and the
// area, each as Python prints a float, "-Infinity" and "Infinity" for the
// open ends.
func (r Range) String() string {
	return pyFloat(r.Lo) + ":" + pyFloat(r.Hi) + ":" + pyFloat(r.Area)
}

// Result is what apply gives one value.
type Result struct {
	Outlier bool
	// Ranges are the outlier areas, boundaries rounded; none when the
	// thresholds give no area (lower_threshold alone on an exponential).
	Ranges  []Range
	Density float64
}

// Apply tests x against the group's distribution with the thresholds th
// (the model's when th is not set).
func (m *Model) Apply(g *Group, x float64, th Threshold) Result {
	if !th.IsSet() {
		th = m.Threshold
	}
	if !th.IsSet() {
		th = Threshold{Threshold: DefaultThreshold}
	}
	var res Result
	switch m.Dist {
	case Exponential:
		upper := th.Upper
		if th.Threshold != 0 {
			upper = th.Threshold
		}
		if upper != 0 {
			u := g.Loc + g.Scale*-math.Log1p(-(1-upper))
			res.Outlier = x > u
			res.Ranges = []Range{{round(u), math.Inf(1), upper}}
		}
		if x >= g.Loc {
			res.Density = math.Exp(-(x-g.Loc)/g.Scale) / g.Scale
		}
	default:
		lower, upper := th.Lower, th.Upper
		if th.Threshold != 0 {
			lower, upper = th.Threshold/2, th.Threshold/2
		}
		if lower != 0 {
			l := normPPF(g.Loc, g.Scale, lower)
			res.Outlier = res.Outlier || x < l
			res.Ranges = append(res.Ranges, Range{math.Inf(-1), round(l), lower})
		}
		if upper != 0 {
			u := normPPF(g.Loc, g.Scale, 1-upper)
			res.Outlier = res.Outlier || x > u
			res.Ranges = append(res.Ranges, Range{round(u), math.Inf(1), upper})
		}
		z := (x - g.Loc) / g.Scale
		res.Density = math.Exp(-z*z/2) / (g.Scale * math.Sqrt(2*math.Pi))
	}
	for i := range res.Ranges {
		res.Ranges[i].Area = round(res.Ranges[i].Area)
	}
	return res
}

// normPPF is the quantile p of the normal distribution.
func normPPF(mu, sigma, p float64) float64 {
	return mu + sigma*math.Sqrt2*math.Erfinv(2*p-1)
}

// round rounds to precision decimals, as Python's round does: to the
// float nearest the correctly rounded decimal.
func round(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', precision, 64), 64)
	return r
}

// Summary is one row of the summary command: the group's by-field values,
// then type, min, max, mean, std, cardinality, distance and other.
func (m *Model) Summary(g *Group) [][2]string {
	var row [][2]string
	for i, f := range m.By {
		row = append(row, [2]string{f, g.Key[i]})
	}
	return append(row,
		[2]string{"type", m.Dist.Name()},
		[2]string{"min", pyFloat(g.Min)},
		[2]string{"max", pyFloat(g.Max)},
		[2]string{"mean", pyFloat(g.Loc)},
		[2]string{"std", pyFloat(g.Scale)},
		[2]string{"cardinality", strconv.Itoa(g.Cardinality)},
		[2]string{"distance", "metric: wasserstein, distance: " + pyFloat(g.Distance)},
		[2]string{"other", "N/A"},
	)
}

// FormatFloat is a number as Python's repr prints a float (the form MLTK's
// results take): the shortest digits that read back to the same number,
// fixed notation with at least one decimal from 1e-4 up to 1e16,
// scientific ("1e-05", "1.5e+16") outside, "Infinity" and "-Infinity".
func FormatFloat(x float64) string { return pyFloat(x) }

func pyFloat(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	case math.IsNaN(x):
		return "nan"
	}
	e := strconv.FormatFloat(x, 'e', -1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// Store holds the models of one run by name: fit ... into puts them, apply
// and summary in a later search read them. It is safe for concurrent use.
type Store struct {
	mu     sync.Mutex
	models map[string]*Model
}

// NewStore is an empty store.
func NewStore() *Store { return &Store{models: map[string]*Model{}} }

// Put stores m under its name, replacing any model of that name.
func (s *Store) Put(m *Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.models[m.Name] = m
}

// Get is the model name; false when no search of the run fitted it.
func (s *Store) Get(name string) (*Model, bool) {
	if s == nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.models[name]
	return m, ok
}

// Names are the stored models' names, sorted.
func (s *Store) Names() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for n := range s.models {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
