package exec

// This file is the evaluator side of the Machine Learning Toolkit commands
// fit, apply and summary, for the DensityFunction algorithm
// (docs/architecture.md, "Adding a command"; docs/semantics.md, "Machine
// Learning Toolkit"). Their grammar sides are spl/cmd_fit.go and the
// ApplyCommand and SummaryCommand structs of spl/ast.go; the algorithm is
// spl/mltk. A model lives for the run: fit ... into puts it in
// Options.Models, and apply and summary of a later search read it there.

import (
	"fmt"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/mltk"
	"github.com/splharness/splharness/spl/value"
)

// thresholdOptions are the DensityFunction options of fit and apply that
// set the outlier area.
var thresholdOptions = []option{
	{Name: "threshold", Doc: "the outlier area, split between both tails of norm, the upper tail of expon (default 0.01)"},
	{Name: "lower_threshold", Doc: "the area of the lower tail (norm)"},
	{Name: "upper_threshold", Doc: "the area of the upper tail"},
}

func init() {
	register(
		&command{
			Name:    "fit",
			Compile: compileAs((*planner).compileFit),
			// It fits the model on every result before it emits the first.
			Kind: transforming,
			Options: append([]option{
				{Name: "dist", Default: "auto", Doc: "norm or expon; auto, gaussian_kde and beta are refused"},
				{Name: "show_density", Kind: optBool, Doc: "adds ProbabilityDensity(<field>)"},
				{Name: "metric", Default: "wasserstein", Allowed: []string{"wasserstein", "kolmogorov_smirnov"}, Doc: "the summary's distance; kolmogorov_smirnov is refused"},
				{Name: "random_state", Kind: optInt, Min: anyInt, Doc: "changes nothing: it seeds MLTK's sampling, which the evaluator does not do"},
				{Name: "sample", Kind: optBool, TrueUnsupported: true},
				{Name: "full_sample", Kind: optBool, TrueUnsupported: true},
				{Name: "partial_fit", Kind: optBool, TrueUnsupported: true},
				{Name: "supervise_split_by", Kind: optBool, TrueUnsupported: true},
				{Name: "show_options", Unsupported: "drop it: the evaluator does not add the _Options field"},
				{Name: "exclude_dist", Unsupported: "it only goes with dist=auto, which the evaluator does not fit"},
			}, thresholdOptions...),
		},
		&command{
			Name:    "apply",
			Compile: compileAs((*planner).compileApply),
			Kind:    streaming,
			// Each result is tested against its own group's distribution.
			RowByRow: true,
			Options: append([]option{
				{Name: "show_density", Kind: optBool, Doc: "adds ProbabilityDensity(<field>)"},
				{Name: "dist", Doc: "ignored, as MLTK ignores it: the model's distribution is used"},
				{Name: "metric", Doc: "ignored, as MLTK ignores it"},
				{Name: "sample", Kind: optBool, TrueUnsupported: true},
				{Name: "full_sample", Kind: optBool, TrueUnsupported: true},
				{Name: "show_options", Unsupported: "drop it: the evaluator does not add the _Options field"},
			}, thresholdOptions...),
		},
		&command{
			Name:    "summary",
			Compile: compileFirst((*planner).compileSummary),
			Kind:    generating,
		},
	)
}

// maxInputs is mlspl.conf's max_inputs, the results fit reads: beyond it
// the toolkit fits a random sample.
const maxInputs = 100000

// densityAlgorithm is the one fit algorithm the evaluator runs.
const densityAlgorithm = "DensityFunction"

// summaryFields are the summary's own columns, which a by field may not
// be called (MLTK refuses such a model).
var summaryFields = []string{"type", "min", "max", "mean", "std", "cardinality", "distance", "other"}

// readThreshold reads the threshold options of fit or apply.
func readThreshold(o options) (mltk.Threshold, error) {
	var th mltk.Threshold
	for _, t := range []struct {
		name string
		dst  *float64
	}{{"threshold", &th.Threshold}, {"lower_threshold", &th.Lower}, {"upper_threshold", &th.Upper}} {
		w := o.Word(t.name)
		if w == nil {
			continue
		}
		v, err := mltk.ParseThreshold(t.name, w.Text())
		if err != nil {
			if strings.Contains(err.Error(), "not supported") {
				return th, unsupported(w.Pos, "%v", err)
			}
			return th, errorf(w.Pos, "%v", err)
		}
		*t.dst = v
	}
	if err := th.Check(); err != nil {
		return th, errorf(o.Word("threshold").Pos, "%v", err)
	}
	return th, nil
}

// compileFit compiles fit DensityFunction <field> [by "<f1,f2>"] [into
// <model>] [options].
func (p *planner) compileFit(c *spl.FitCommand) (stageBuilder, error) {
	if c.Algorithm.Text() != densityAlgorithm {
		return nil, unsupported(c.Algorithm.Pos, "fit: algorithm %s is not supported by the evaluator (it runs %s)", c.Algorithm.Text(), densityAlgorithm)
	}
	o, err := p.parseOptions(c, c.Options, c.Mid, c.After)
	if err != nil {
		return nil, err
	}
	if len(c.Fields.Items) != 1 || c.From != nil {
		return nil, errorf(c.Fields.Items[0].Pos, "fit: DensityFunction takes one field and no FROM (several by fields go in quotes: by \"HourOfDay,isWeekend\")")
	}
	dist, err := mltk.ParseDist(o.String("dist"))
	if err != nil {
		pos := c.Pos
		if w := o.Word("dist"); w != nil {
			pos = w.Pos
		}
		if strings.Contains(err.Error(), "not supported") {
			return nil, unsupported(pos, "fit: %v", err)
		}
		return nil, errorf(pos, "fit: %v", err)
	}
	if o.String("metric") == "kolmogorov_smirnov" {
		return nil, unsupported(o.Word("metric").Pos, "fit: metric=kolmogorov_smirnov is not supported by the evaluator (it computes the wasserstein distance)")
	}
	th, err := readThreshold(o)
	if err != nil {
		return nil, err
	}
	field := fieldName(c.Fields.Items[0])
	var by []string
	if c.By != nil {
		for _, f := range strings.Split(c.By.Text(), ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				return nil, errorf(c.By.Pos, "fit: empty field name in by %s", c.By.Raw)
			}
			if c.Into != nil && slicesContains(summaryFields, f) {
				return nil, errorf(c.By.Pos, "fit: the by field %q conflicts with summary field names %q; rename it", f, strings.Join(summaryFields, ", "))
			}
			by = append(by, f)
		}
		if len(by) > 5 {
			return nil, errorf(c.By.Pos, "fit: the number of fields in the by clause cannot exceed 5")
		}
	}
	name := ""
	if c.Into != nil {
		name = c.Into.Text()
	}
	showDensity := o.Bool("show_density")
	store, maxRows, pos := p.opts.Models, p.opts.MaxResultRows, c.Pos
	return func(next Stage) (Stage, error) {
		return &fitStage{emitter: emitter{next: next}, fit: func(rows []*value.Row) (*mltk.Model, error) {
			var obs []mltk.Observation
			for _, r := range rows {
				x, key, ok, err := observation(r, field, by)
				if err != nil {
					return nil, &Error{Pos: pos, Msg: "fit: " + err.Error()}
				}
				if ok {
					obs = append(obs, mltk.Observation{Key: key, X: x})
				}
			}
			m, err := mltk.Fit(name, field, by, dist, th, showDensity, obs)
			if err != nil {
				return nil, &Error{Pos: pos, Msg: "fit: " + err.Error()}
			}
			if name != "" && store != nil {
				store.Put(m)
			}
			return m, nil
		}, max: maxRows, pos: pos}, nil
	}, nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// observation reads a row's value of field and its by-field values; ok is
// false when one is null (MLTK leaves such a row out and gives it no
// results). A value that is not a number is an error, as MLTK refuses a
// feature that is not numeric.
func observation(r *value.Row, field string, by []string) (x float64, key []string, ok bool, err error) {
	v := r.Get(field)
	if v.IsNull() {
		return 0, nil, false, nil
	}
	x, num := v.Number()
	if !num {
		return 0, nil, false, fmt.Errorf("Feature %q is not a numeric type (value %q)", field, v.First())
	}
	for _, f := range by {
		b := r.Get(f)
		if b.IsNull() {
			return 0, nil, false, nil
		}
		key = append(key, b.First())
	}
	return x, key, true, nil
}

// fitStage holds every result, fits the model, and emits the results with
// the model applied to them.
type fitStage struct {
	emitter
	rows []*value.Row
	fit  func([]*value.Row) (*mltk.Model, error)
	max  int
	pos  spl.Pos
}

func (s *fitStage) Push(r *value.Row) error {
	if len(s.rows) >= s.max {
		return &Error{Pos: s.pos, Code: diag.Limit, Msg: fmt.Sprintf("fit: more than %d results (limit maxresultrows)", s.max)}
	}
	if len(s.rows) >= maxInputs {
		return &Error{Pos: s.pos, Code: diag.UnsupportedCommand, Msg: fmt.Sprintf(
			"fit: more than %d results (mlspl.conf max_inputs): the toolkit would fit a random sample of them, which the evaluator cannot reproduce", maxInputs)}
	}
	s.rows = append(s.rows, r)
	return nil
}

func (s *fitStage) Flush() error {
	m, err := s.fit(s.rows)
	if err != nil {
		return err
	}
	for _, r := range s.rows {
		if err := applyRow(m, r, mltk.Threshold{}, m.ShowDensity); err != nil {
			return err
		}
		if err := s.emit(r); err != nil {
			return err
		}
	}
	return s.emitter.Flush()
}

// applyRow sets IsOutlier(<field>), BoundaryRanges and, with showDensity,
// ProbabilityDensity(<field>) on r; a row with a null value or by field,
// or of a group the model has no distribution for, gets none of them.
func applyRow(m *mltk.Model, r *value.Row, th mltk.Threshold, showDensity bool) error {
	x, key, ok, err := observation(r, m.Field, m.By)
	if err != nil || !ok {
		return err
	}
	g, ok := m.Lookup(key)
	if !ok {
		return nil
	}
	res := m.Apply(g, x, th)
	if res.Outlier {
		r.Set("IsOutlier("+m.Field+")", value.NumText(1, "1.0"))
	} else {
		r.Set("IsOutlier("+m.Field+")", value.NumText(0, "0.0"))
	}
	switch len(res.Ranges) {
	case 0:
	case 1:
		r.Set("BoundaryRanges", value.Str(res.Ranges[0].String()))
	default:
		var rs []string
		for _, x := range res.Ranges {
			rs = append(rs, x.String())
		}
		r.Set("BoundaryRanges", value.MV(rs))
	}
	if showDensity {
		r.Set("ProbabilityDensity("+m.Field+")", value.NumText(res.Density, mltk.FormatFloat(res.Density)))
	}
	return nil
}

// modelUndefined is the error of apply or summary naming a model no
// search of the run fitted.
func modelUndefined(cmd string, w *spl.Word) *Error {
	name := w.Text()
	return &Error{Pos: w.Pos, Code: "model-undefined", Msg: fmt.Sprintf(
		"%s: model %s is not defined: no search of this run fitted it (fit ... into %s); a test supplies it with a baselines: entry of its data's sidecar", cmd, name, name)}
}

// compileApply compiles apply <model> [options].
func (p *planner) compileApply(c *spl.ApplyCommand) (stageBuilder, error) {
	if c.As != nil {
		return nil, unsupported(c.As.Pos, "apply: AS (renaming the output field) is not supported by the evaluator")
	}
	o, err := p.parseOptions(c, c.Options)
	if err != nil {
		return nil, err
	}
	th, err := readThreshold(o)
	if err != nil {
		return nil, err
	}
	showDensity := o.Bool("show_density")
	store, model := p.opts.Models, c.Model
	return func(next Stage) (Stage, error) {
		m, ok := store.Get(model.Text())
		if !ok {
			return nil, modelUndefined("apply", model)
		}
		return &applyStage{emitter: emitter{next: next}, m: m, th: th, density: showDensity, pos: c.Pos}, nil
	}, nil
}

type applyStage struct {
	emitter
	m       *mltk.Model
	th      mltk.Threshold
	density bool
	pos     spl.Pos
}

func (s *applyStage) Push(r *value.Row) error {
	if err := applyRow(s.m, r, s.th, s.density); err != nil {
		return &Error{Pos: s.pos, Msg: "apply: " + err.Error()}
	}
	return s.emit(r)
}

// compileSummary compiles summary <model>: one result per group of the
// model, its by-field values, then type, min, max, mean, std, cardinality,
// distance and other.
func (p *planner) compileSummary(c *spl.SummaryCommand, first bool) (stageBuilder, error) {
	if !first {
		return nil, errorf(c.Pos, "summary must start the search (or a subsearch)")
	}
	if _, err := p.parseOptions(c, c.Options); err != nil {
		return nil, err
	}
	store, model := p.opts.Models, c.Model
	return func(next Stage) (Stage, error) {
		m, ok := store.Get(model.Text())
		if !ok {
			return nil, modelUndefined("summary", model)
		}
		return &appendStage{emitter: emitter{next: next}, rows: func() ([]*value.Row, error) {
			var out []*value.Row
			for _, g := range m.Groups() {
				row := value.NewRow(nil)
				for _, cell := range m.Summary(g) {
					if n, ok := value.ParseNumber(cell[1]); ok && cell[0] != "distance" && cell[0] != "other" {
						row.Set(cell[0], value.NumText(n, cell[1]))
					} else {
						row.Set(cell[0], value.Str(cell[1]))
					}
				}
				out = append(out, row)
			}
			return out, nil
		}}, nil
	}, nil
}
