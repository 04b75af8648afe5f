// Package knowledge applies Splunk's search-time knowledge objects to
// events: the props.conf rules of a sourcetype (EXTRACT-, REPORT-,
// FIELDALIAS-, EVAL-, LOOKUP-) in Splunk's documented order, then event
// types and tags (docs/knowledge.md, "Order").
//
// The rules come from .conf files, never from Go code: the built-in
// aws:cloudtrail rules are .conf files under detections/, and a user's
// Splunk_TA_aws folder works the same way.
package knowledge

import (
	"fmt"
	"github.com/splharness/splharness/spl/datamodel"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/lookup"
	"github.com/splharness/splharness/spl/regex"
	"github.com/splharness/splharness/spl/value"
)

// Knowledge is the compiled knowledge of a set of apps.
type Knowledge struct {
	rules      map[string]*Rules // by sourcetype
	eventtypes []*eventtype
	fieldTags  map[string][]string // "field=value" → tags
	tagIndex   []*tagSource        // each tag and its event types, by tag (tagged.go)
	tables     map[string]*lookup.Table
	broken     map[string]error // lookup tables whose CSV could not be read, and why
	// Problems found while loading; the rules that could load still apply.
	Problems []error
	// DataModels are the data models of the same apps (spl/datamodel),
	// kept here so that whatever carries the knowledge carries them; the
	// caller loads them (engine.LoadKnowledge).
	DataModels *datamodel.Set
	// ctx evaluates the calculated fields (EVAL-): it records what their
	// expressions hit (EvalErr, EvalFunctionErrors).
	ctx *eval.Context
	// deferred: the apps are all built in (conf.App.Embedded), so their
	// calculated fields and event types compile when first used
	// (Load). compileMu serializes those compiles, which share the
	// compiler of the calculated fields.
	deferred  bool
	compileMu sync.Mutex
}

// Rules are the props.conf rules of one sourcetype, compiled.
type Rules struct {
	Sourcetype string
	extracts   []*extract // EXTRACT- and REPORT- in order
	aliases    []alias
	calcs      map[string]calcRule
	calcExprs  map[string]spl.Expr // the expressions of calcs, for Sources
	calcOrder  []string
	calcReads  map[string][]string // the fields each calculated field reads
	// aliasTargets are the fields the aliases write, asked for every
	// field of every event.
	aliasTargets map[string]bool
	// lookupOutputs are the fields the lookups write, each with how many
	// of the lookups, in order, make its final value: one past the last
	// lookup that writes it. The lookups after that one cannot change
	// it, so a search asking for it runs no further.
	lookupOutputs map[string]int
	lookups       []*lookup.Lookup
	// lookupGroups numbers each lookup's group: lookups whose fields
	// meet (one writes a field the other reads or writes) share one, so
	// that a lookup of another group can neither see nor change what
	// they do. A field's value needs only its group's lookups, applied
	// in order (source.lookup).
	lookupGroups []int
	// derived names every field these rules make, for the raw pre-filter
	// and for field needs.
	derived map[string]bool
	// reads names the fields the rules read.
	reads map[string]bool
	// made is what the rules do to each field they make, resolved once
	// when they are compiled: a field read asks one map, not one per
	// step (derived, lookupOutputs, calcs, aliasTargets).
	made map[string]*fieldRule
	// rules is made as a source reads it (fieldRules).
	rules fieldRules
}

// fieldRule is what a sourcetype's rules do to one field they make, in the
// order source applies them (docs/knowledge.md, "Order").
type fieldRule struct {
	lookups int       // lookupOutputs: the lookups to apply, 0 for none
	calc    *calcRule // its calculated field, nil for none
	alias   bool      // an alias writes it
	// aliasOf, when set, is the one field whose event value this field
	// takes after aliasing (Rules.aliasSource): field1 reads it straight
	// from the event.
	aliasOf string
}

// resolve fills r.made from the maps of each step.
func (r *Rules) resolve() {
	r.made = make(map[string]*fieldRule, len(r.derived))
	for f := range r.derived {
		fr := &fieldRule{lookups: r.lookupOutputs[f], alias: r.aliasTargets[f]}
		if fr.alias {
			fr.aliasOf = r.aliasSource(f)
		}
		if c, ok := r.calcs[f]; ok {
			c.direct = r.readsDirect(f)
			fr.calc = &c
		}
		r.made[f] = fr
	}
	r.rules = newFieldRules(r.made)
}

// aliasSource is the field whose event value f has after aliasing, when
// that is what source.aliasValue computes for every event: no extraction
// runs, one alias writes f and it is no ASNEW one (so f's own value is
// written over), and no alias before it writes its source. Otherwise "".
func (r *Rules) aliasSource(f string) string {
	if len(r.extracts) > 0 {
		return ""
	}
	at := -1
	for j, a := range r.aliases {
		if a.to == f {
			if at >= 0 || a.asNew {
				return ""
			}
			at = j
		}
	}
	if at < 0 {
		return ""
	}
	from := r.aliases[at].from
	for _, a := range r.aliases[:at] {
		if a.to == from {
			return ""
		}
	}
	return from
}

// readsDirect reports whether calculated field f sees every field it
// reads as the event has it: the fields after aliasing are the raw ones
// where no extraction runs (field0) and no alias writes the field
// (field1). An expression reads only the fields it names: the compiler
// of calculated fields has no searchmatch(), whose search text could
// name others.
func (r *Rules) readsDirect(f string) bool {
	if len(r.extracts) > 0 {
		return false
	}
	for _, name := range r.calcReads[f] {
		if r.aliasTargets[name] {
			return false
		}
	}
	return true
}

// extract is one regular-expression extraction (EXTRACT- or REPORT-).
type extract struct {
	rule   string // "EXTRACT-c of [sourcetype]", for reports
	re     *regex.Regexp
	source string // field read, _raw by default
	format []formatPair
	mvAdd  bool
}

// formatPair is one $1::$2 of a transform's FORMAT.
type formatPair struct{ name, value string }

// alias is one `a AS b` of FIELDALIAS-, asNew for ASNEW.
type alias struct {
	from, to string
	asNew    bool
}

// eventtype is an eventtypes.conf stanza.
type eventtype struct {
	name     string
	priority int
	match    func(*value.Row) bool
	tags     []string
	search   string // the search text, for the raw pre-filter (TagSearches)
}

// SearchCompiler compiles the search expression of an event type.
type SearchCompiler func(search string) (func(*value.Row) bool, error)

// Load reads the knowledge of apps, in order (later apps win). ctx serves
// the calculated fields' evaluation; compileSearch the event types.
func Load(apps []conf.App, ctx *eval.Context, compileSearch SearchCompiler) *Knowledge {
	k := &Knowledge{rules: map[string]*Rules{}, fieldTags: map[string][]string{}, tables: map[string]*lookup.Table{}, ctx: ctx}
	// The rules of apps built into the binary are fixed when it is built,
	// and the tests compile every one of them without a problem
	// (TestEmbeddedRulesCompile): their calculated fields and event types
	// compile when first used, as their data models are read. A search
	// reads a few of the add-on's fourteen calculated fields and, unless
	// it asks for eventtype or tag, none of its event types; compiling
	// them all was half of loading the knowledge (BenchmarkLoadKnowledge
	// in cmd/splharness). Parsing stays at load: what a field reads is
	// known from its tree.
	k.deferred = len(apps) > 0
	for _, app := range apps {
		k.deferred = k.deferred && app.Embedded
	}
	props, errs := conf.Load(apps, "props.conf")
	k.Problems = append(k.Problems, errs...)
	transforms, errs := conf.Load(apps, "transforms.conf")
	k.Problems = append(k.Problems, errs...)
	k.loadTables(apps, transforms)
	compiler := &eval.Compiler{Ctx: ctx}
	for _, st := range props.Stanzas {
		if st.Name == "default" || strings.Contains(st.Name, "::") {
			continue // source:: and host:: stanzas are not applied (docs/knowledge.md)
		}
		k.rules[st.Name] = k.compileRules(st, transforms, compiler)
	}
	k.loadEventtypes(apps, compileSearch)
	k.indexTags()
	return k
}

// RegexpTimeouts lists the extractions (EXTRACT- and REPORT-) whose
// regular expressions timed out so far, over every search that used them,
// by rule. Each rule has its own regex budget (regex.DefaultBudget)
// for the whole run; once it is spent its matches count as time-outs at
// once. A time-out extracts nothing, so a verdict that depends on the
// field is in doubt: callers report these.
func (k *Knowledge) RegexpTimeouts() []regex.Timeout {
	if k == nil {
		return nil
	}
	var out []regex.Timeout
	for _, st := range slices.Sorted(maps.Keys(k.rules)) {
		for _, x := range k.rules[st].extracts {
			if n := x.re.Timeouts(); n > 0 {
				out = append(out, regex.Timeout{Rule: x.rule, Pattern: x.re.String(), Count: n})
			}
		}
	}
	return out
}

// EvalErr is the first cap on one value (max_value_bytes, max_mv_values)
// that a calculated field (EVAL-) hit, nil if none: the field became null,
// so a search that read it cannot be trusted.
func (k *Knowledge) EvalErr() error {
	if k == nil {
		return nil
	}
	if err := k.ctx.Err(); err != nil {
		return fmt.Errorf("a calculated field (EVAL-): %w", err)
	}
	return nil
}

// EvalFunctionErrors lists the eval functions of calculated fields whose
// calls failed and gave null.
func (k *Knowledge) EvalFunctionErrors() []eval.FunctionError {
	if k == nil || k.ctx == nil {
		return nil
	}
	return k.ctx.FunctionErrors()
}

// SetRegexBudget gives each extraction rule a fresh regex budget of d
// (zero or less: regex.DefaultBudget), for --limit regex_budget_ms.
// Call it before any search uses the rules.
func (k *Knowledge) SetRegexBudget(d time.Duration) {
	if k == nil {
		return
	}
	for _, r := range k.rules {
		for _, x := range r.extracts {
			x.re = x.re.WithBudget(regex.NewBudget(d))
		}
	}
}

// RegexBudgetError is the error of the first extraction, in sourcetype
// order, whose regex budget is spent, nil when none is.
func (k *Knowledge) RegexBudgetError() error {
	if k == nil {
		return nil
	}
	for _, st := range slices.Sorted(maps.Keys(k.rules)) {
		for _, x := range k.rules[st].extracts {
			if b := x.re.Budget(); b.Exhausted() {
				return fmt.Errorf("regular expression of %s took more than its budget of %v in all (limit regex_budget_ms); later matches extracted nothing", x.rule, b.Limit())
			}
		}
	}
	return nil
}

// TimeoutCount is the number of knowledge regex time-outs so far: a run
// that raised it has extractions in doubt.
func (k *Knowledge) TimeoutCount() int64 {
	var n int64
	for _, t := range k.RegexpTimeouts() {
		n += t.Count
	}
	return n
}

// For returns the rules of a sourcetype, nil when there are none.
func (k *Knowledge) For(sourcetype string) *Rules {
	if k == nil {
		return nil
	}
	return k.rules[sourcetype]
}

// Table returns a lookup table defined by the apps (by transforms.conf
// stanza name or by CSV file name).
func (k *Knowledge) Table(name string) (*lookup.Table, error) {
	if t, ok := k.tables[name]; ok {
		return t, nil
	}
	if err, ok := k.broken[name]; ok {
		return nil, fmt.Errorf("lookup table %s cannot be read: %v", name, err)
	}
	return nil, fmt.Errorf("lookup table %s is not defined", name)
}

// brokenTable remembers why a lookup table could not be read, for a search
// that uses it.
func (k *Knowledge) brokenTable(name string, err error) {
	if k.broken == nil {
		k.broken = map[string]error{}
	}
	k.broken[name] = err
}

func (k *Knowledge) problem(file string, line int, format string, args ...any) {
	k.Problems = append(k.Problems, &conf.Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// loadTables reads every lookups/*.csv of the apps, and applies the
// options of the transforms.conf stanzas that name them.
func (k *Knowledge) loadTables(apps []conf.App, transforms *conf.File) {
	files := map[string]*lookup.Table{}
	broken := map[string]bool{}
	for _, app := range apps {
		entries, _ := fs.ReadDir(app.FS, "lookups")
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".csv") {
				continue
			}
			f, err := app.FS.Open(path.Join("lookups", e.Name()))
			if err != nil {
				k.Problems = append(k.Problems, err)
				continue
			}
			t, err := lookup.ReadCSV(path.Join(app.Name, "lookups", e.Name()), f)
			f.Close()
			if err != nil {
				k.Problems = append(k.Problems, err)
				broken[e.Name()] = true
				k.brokenTable(e.Name(), err)
				k.brokenTable(strings.TrimSuffix(e.Name(), ".csv"), err)
				continue
			}
			files[e.Name()] = t
			k.tables[e.Name()] = t
			k.tables[strings.TrimSuffix(e.Name(), ".csv")] = t
		}
	}
	for _, st := range transforms.Stanzas {
		file, ok := st.Get("filename")
		if !ok {
			continue
		}
		base, ok := files[file]
		if !ok {
			if broken[file] {
				k.problem(st.File, st.Line, "lookup %s: file lookups/%s cannot be read (its problem is reported at the file)", st.Name, file)
				k.brokenTable(st.Name, k.broken[file])
			} else {
				k.problem(st.File, st.Line, "lookup %s: file lookups/%s not found", st.Name, file)
			}
			continue
		}
		t := *base
		t.Name = st.Name
		if v, ok := st.Get("match_type"); ok {
			if err := t.SetMatchType(v); err != nil {
				k.problem(st.File, st.Setting("match_type").Line, "lookup %s: %v", st.Name, err)
			}
		}
		if v, ok := st.Get("case_sensitive_match"); ok {
			t.CaseInsensitive = !isTrue(v)
		}
		for key, dst := range map[string]*int{"max_matches": &t.MaxMatches, "min_matches": &t.MinMatches} {
			if v, ok := st.Get(key); ok {
				n, err := strconv.Atoi(v)
				if err != nil {
					k.problem(st.File, st.Setting(key).Line, "lookup %s: %s=%q is not a number", st.Name, key, v)
					continue
				}
				*dst = n
			}
		}
		if v, ok := st.Get("default_match"); ok {
			t.DefaultMatch = v
		}
		k.tables[st.Name] = &t
	}
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "y", "yes":
		return true
	}
	return false
}

// classes returns the settings with a prefix (EXTRACT-, ...) in ASCII
// order of their class names, as props.conf applies same-type classes.
func classes(st *conf.Stanza, prefix string) []conf.Setting {
	var out []conf.Setting
	for _, s := range st.Settings {
		if strings.HasPrefix(s.Key, prefix) {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (k *Knowledge) compileRules(st *conf.Stanza, transforms *conf.File, ec *eval.Compiler) *Rules {
	r := &Rules{Sourcetype: st.Name, calcs: map[string]calcRule{}, calcExprs: map[string]spl.Expr{}, calcReads: map[string][]string{}, derived: map[string]bool{}, reads: map[string]bool{}}
	for _, s := range classes(st, "EXTRACT-") {
		x, err := inlineExtract(s.Value)
		if err != nil {
			k.problem(s.File, s.Line, "[%s] %s: %v", st.Name, s.Key, err)
			continue
		}
		x.rule = fmt.Sprintf("%s of [%s]", s.Key, st.Name)
		x.re = x.re.WithBudget(regex.NewBudget(0))
		r.extracts = append(r.extracts, x)
		for _, n := range x.re.SubexpNames() {
			if n != "" {
				r.derived[n] = true
			}
		}
	}
	for _, s := range classes(st, "REPORT-") {
		for _, name := range strings.Split(s.Value, ",") {
			name = strings.TrimSpace(name)
			t := transforms.Stanza(name)
			if t == nil {
				k.problem(s.File, s.Line, "[%s] %s: transform %s is not defined", st.Name, s.Key, name)
				continue
			}
			x, err := transformExtract(t)
			if err != nil {
				k.problem(t.File, t.Line, "[%s] %v", t.Name, err)
				continue
			}
			x.rule = fmt.Sprintf("%s = %s of [%s]", s.Key, name, st.Name)
			x.re = x.re.WithBudget(regex.NewBudget(0))
			r.extracts = append(r.extracts, x)
			for _, f := range x.format {
				r.derived[f.name] = true
			}
		}
	}
	for _, s := range classes(st, "FIELDALIAS-") {
		as, err := parseAliases(s.Value)
		if err != nil {
			k.problem(s.File, s.Line, "[%s] %s: %v", st.Name, s.Key, err)
			continue
		}
		for _, a := range as {
			r.aliases = append(r.aliases, a)
			if r.aliasTargets == nil {
				r.aliasTargets = map[string]bool{}
			}
			r.aliasTargets[a.to] = true
			r.derived[a.to] = true
			r.reads[a.from] = true
		}
	}
	for _, s := range classes(st, "EVAL-") {
		field := strings.TrimPrefix(s.Key, "EVAL-")
		expr, err := spl.ParseExpr(valueSource(s), spl.Limits{})
		if err != nil {
			k.problem(s.File, s.Line, "[%s] %s: %v", st.Name, s.Key, err)
			continue
		}
		var fn *calcFunc
		if k.deferred {
			fn = k.deferCalc(fmt.Sprintf("[%s] %s", st.Name, s.Key), expr, ec)
		} else {
			compiled, err := compileCalc(expr, ec)
			if err != nil {
				k.problem(s.File, s.Line, "[%s] %s: %v", st.Name, s.Key, err)
				continue
			}
			fn = &calcFunc{}
			fn.ready.Store(&compiled)
		}
		c, ok := r.calcs[field]
		if !ok {
			c.idx = int32(len(r.calcs))
		}
		c.fn = fn
		r.calcs[field] = c
		r.calcExprs[field] = expr
		r.calcOrder = append(r.calcOrder, field)
		r.derived[field] = true
		spl.Walk(expr, func(n spl.Node) bool {
			if f, ok := n.(*spl.FieldRef); ok {
				r.reads[f.Name] = true
				r.calcReads[field] = append(r.calcReads[field], f.Name)
			}
			return true
		})
	}
	for _, s := range classes(st, "LOOKUP-") {
		l, err := k.parseLookup(s.Value)
		if err != nil {
			k.problem(s.File, s.Line, "[%s] %s: %v", st.Name, s.Key, err)
			continue
		}
		r.lookups = append(r.lookups, l)
		if r.lookupOutputs == nil {
			r.lookupOutputs = map[string]int{}
		}
		for _, o := range l.Outputs() {
			r.lookupOutputs[o] = len(r.lookups)
		}
		for _, f := range l.Outputs() {
			r.derived[f] = true
		}
		for _, f := range l.Inputs() {
			r.reads[f] = true
		}
	}
	r.lookupGroups = groupLookups(r.lookups)
	r.resolve()
	return r
}

// compileCalc compiles a calculated field's expression: to its case()
// table when it has one (compileCaseTable).
func compileCalc(expr spl.Expr, ec *eval.Compiler) (calcCompiled, error) {
	ev, err := ec.CompileAssignment(expr)
	if err != nil {
		return calcCompiled{}, err
	}
	if table, err := compileCaseTable(expr, ev, ec); err == nil && table != nil {
		return calcCompiled{table: table}, nil
	}
	return calcCompiled{ev: ev}, nil
}

// deferCalc is compileCalc put off until the field is first evaluated,
// for a built-in rule (Knowledge.deferred), named by rule.
func (k *Knowledge) deferCalc(rule string, expr spl.Expr, ec *eval.Compiler) *calcFunc {
	return &calcFunc{compile: compileOnce(k, rule, func() (calcCompiled, error) { return compileCalc(expr, ec) })}
}

// compileOnce returns compile's result, made on the first call under
// k.compileMu (the compilers are shared), for a built-in rule named what.
// The built-in rules are fixed when the binary is built, and
// TestEmbeddedRulesCompile compiles each of them without a problem, so a
// problem here is a bug of ours, not the user's.
func compileOnce[T any](k *Knowledge, what string, compile func() (T, error)) func() T {
	var compiled atomic.Pointer[T]
	return func() T {
		if c := compiled.Load(); c != nil {
			return *c
		}
		k.compileMu.Lock()
		defer k.compileMu.Unlock()
		if c := compiled.Load(); c != nil {
			return *c
		}
		c, err := compile()
		if err != nil {
			panic(fmt.Sprintf("built-in knowledge: %s: %v (TestEmbeddedRulesCompile)", what, err))
		}
		compiled.Store(&c)
		return c
	}
}

// groupLookups numbers the groups of lookups whose fields meet: lookup
// i and j meet when one writes a field that the other reads or writes,
// and a group holds every lookup joined to another of it by meeting.
// Each group is numbered by its first lookup.
func groupLookups(ls []*lookup.Lookup) []int {
	group := make([]int, len(ls))
	for i := range group {
		group[i] = i
	}
	var find func(i int) int
	find = func(i int) int {
		for group[i] != i {
			i = group[i]
		}
		return i
	}
	touches := func(writer, other *lookup.Lookup) bool {
		for _, w := range writer.Outputs() {
			if slices.Contains(other.Inputs(), w) || slices.Contains(other.Outputs(), w) {
				return true
			}
		}
		return false
	}
	for i := range ls {
		for j := 0; j < i; j++ {
			if touches(ls[i], ls[j]) || touches(ls[j], ls[i]) {
				a, b := find(i), find(j)
				group[max(a, b)] = min(a, b)
			}
		}
	}
	for i := range group {
		group[i] = find(i)
	}
	return group
}

// inlineExtract compiles `EXTRACT-c = regex [in field]`.
func inlineExtract(v string) (*extract, error) {
	x := &extract{source: "_raw"}
	if i := strings.LastIndex(v, " in "); i > 0 && !strings.ContainsAny(v[i+4:], " ()[]") {
		x.source = strings.TrimSpace(v[i+4:])
		v = v[:i]
	}
	re, err := regex.Compile("(?ms)" + v)
	if err != nil {
		return nil, err
	}
	x.re = re
	for _, n := range re.SubexpNames() {
		if n != "" {
			x.format = append(x.format, formatPair{n, ""})
		}
	}
	return x, nil
}

// transformExtract compiles a REPORT- transform: REGEX with FORMAT
// ($1::$2 pairs) or named groups, SOURCE_KEY, MV_ADD. DELIMS/FIELDS
// transforms are reported as unsupported.
func transformExtract(t *conf.Stanza) (*extract, error) {
	if _, ok := t.Get("DELIMS"); ok {
		return nil, fmt.Errorf("DELIMS extractions are not supported")
	}
	reText, ok := t.Get("REGEX")
	if !ok {
		return nil, fmt.Errorf("transform has no REGEX")
	}
	re, err := regex.Compile(reText)
	if err != nil {
		return nil, err
	}
	x := &extract{re: re, source: "_raw"}
	if v, ok := t.Get("SOURCE_KEY"); ok {
		x.source = strings.TrimPrefix(v, "field:")
	}
	if v, ok := t.Get("MV_ADD"); ok {
		x.mvAdd = isTrue(v)
	}
	if f, ok := t.Get("FORMAT"); ok {
		for _, part := range strings.Fields(f) {
			kv := strings.SplitN(part, "::", 2)
			if len(kv) != 2 {
				return nil, fmt.Errorf("FORMAT %q: want name::value pairs", f)
			}
			x.format = append(x.format, formatPair{kv[0], kv[1]})
		}
	} else {
		for _, n := range re.SubexpNames() {
			if n != "" {
				x.format = append(x.format, formatPair{n, ""})
			}
		}
	}
	return x, nil
}

// parseAliases reads `a AS b c AS d` (ASNEW keeps an existing b).
func parseAliases(v string) ([]alias, error) {
	words := splitConfWords(v)
	var out []alias
	for i := 0; i < len(words); i += 3 {
		if i+2 >= len(words) {
			return nil, fmt.Errorf("%q: want source AS destination pairs", v)
		}
		op := strings.ToUpper(words[i+1])
		if op != "AS" && op != "ASNEW" {
			return nil, fmt.Errorf("%q: want AS or ASNEW after %s", v, words[i])
		}
		out = append(out, alias{from: words[i], to: words[i+2], asNew: op == "ASNEW"})
	}
	return out, nil
}

// splitConfWords splits at spaces, keeping double-quoted words whole.
func splitConfWords(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end >= 0 {
				out = append(out, s[1:end+1])
				s = s[end+2:]
				continue
			}
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// parseLookup reads `table in [AS ev] ... OUTPUT|OUTPUTNEW out [AS ev] ...`.
func (k *Knowledge) parseLookup(v string) (*lookup.Lookup, error) {
	words := splitConfWords(strings.ReplaceAll(v, ",", " "))
	if len(words) < 2 {
		return nil, fmt.Errorf("%q: want a table and match fields", v)
	}
	t, err := k.Table(words[0])
	if err != nil {
		return nil, err
	}
	var inputs, outputs []lookup.Field
	outputNew, inOutput := false, false
	for i := 1; i < len(words); i++ {
		w := words[i]
		switch strings.ToUpper(w) {
		case "OUTPUT", "OUTPUTNEW":
			inOutput, outputNew = true, strings.EqualFold(w, "OUTPUTNEW")
			continue
		}
		f := lookup.Field{Column: w, Field: w}
		if i+2 < len(words) && strings.EqualFold(words[i+1], "AS") {
			f.Field = words[i+2]
			i += 2
		}
		if inOutput {
			outputs = append(outputs, f)
		} else {
			inputs = append(inputs, f)
		}
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%q: no match fields", v)
	}
	return t.Prepare(inputs, outputs, outputNew)
}

// loadEventtypes reads eventtypes.conf and tags.conf.
func (k *Knowledge) loadEventtypes(apps []conf.App, compileSearch SearchCompiler) {
	ets, errs := conf.Load(apps, "eventtypes.conf")
	k.Problems = append(k.Problems, errs...)
	tags, errs := conf.Load(apps, "tags.conf")
	k.Problems = append(k.Problems, errs...)
	etTags := map[string][]string{}
	for _, st := range tags.Stanzas {
		var names []string
		for _, s := range st.Settings {
			if strings.EqualFold(s.Value, "enabled") {
				names = append(names, s.Key)
			}
		}
		if name, ok := strings.CutPrefix(st.Name, "eventtype="); ok {
			etTags[name] = append(etTags[name], names...)
		} else if strings.Contains(st.Name, "=") {
			k.fieldTags[st.Name] = append(k.fieldTags[st.Name], names...)
		}
	}
	for _, st := range ets.Stanzas {
		search, ok := st.Get("search")
		if !ok || st.Name == "default" {
			continue
		}
		if disabled, _ := st.Get("disabled"); isTrue(disabled) {
			continue
		}
		if compileSearch == nil {
			continue
		}
		var m func(*value.Row) bool
		if k.deferred {
			m = k.deferSearch("eventtype "+st.Name, search, compileSearch)
		} else {
			var err error
			if m, err = compileSearch(search); err != nil {
				k.problem(st.File, st.Setting("search").Line, "eventtype %s: %v", st.Name, err)
				continue
			}
		}
		et := &eventtype{name: st.Name, match: m, tags: etTags[st.Name], priority: 10, search: search}
		if p, ok := st.Get("priority"); ok {
			if n, err := strconv.Atoi(p); err == nil {
				et.priority = n
			}
		}
		k.eventtypes = append(k.eventtypes, et)
	}
	// Event types by priority (1 first), then name (docs/knowledge.md,
	// "Order", Knowledge Manager Manual "Event types").
	sort.SliceStable(k.eventtypes, func(i, j int) bool {
		a, b := k.eventtypes[i], k.eventtypes[j]
		if a.priority != b.priority {
			return a.priority < b.priority
		}
		return a.name < b.name
	})
}

// deferSearch is compileSearch(search) put off until the test is first
// made, for a built-in event type (Knowledge.deferred), named by what.
func (k *Knowledge) deferSearch(what, search string, compileSearch SearchCompiler) func(*value.Row) bool {
	compiled := compileOnce(k, what, func() (func(*value.Row) bool, error) { return compileSearch(search) })
	return func(row *value.Row) bool { return compiled()(row) }
}

// Derived reports whether a field of events of this sourcetype is made by
// the knowledge layer (so the raw text need not contain its value).
func (k *Knowledge) Derived(sourcetype string) func(string) bool {
	r := k.For(sourcetype)
	return func(field string) bool {
		if field == "eventtype" || field == "tag" || strings.HasPrefix(field, "tag::") {
			return true
		}
		return r != nil && r.derived[field]
	}
}

// Reads lists the fields the rules of a sourcetype read, so that event
// extraction includes them.
func (k *Knowledge) Reads(sourcetype string) []string {
	r := k.For(sourcetype)
	if r == nil {
		return nil
	}
	out := make([]string, 0, len(r.reads))
	for f := range r.reads {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// DerivedFields lists, sorted, every field the knowledge can make for
// events of a sourcetype, event types and tags included.
func (k *Knowledge) DerivedFields(sourcetype string) []string {
	var out []string
	if r := k.For(sourcetype); r != nil {
		for f := range r.derived {
			out = append(out, f)
		}
	}
	out = append(out, "eventtype", "tag")
	sort.Strings(out)
	return out
}

// ReadsFor lists the fields the rules of a sourcetype need to make the
// given fields: the sources of their aliases, the fields their calculated
// expressions read, the inputs of the lookups that write them, and so on
// down the steps. Event types and tags may read anything the rules make.
func (k *Knowledge) ReadsFor(sourcetype string, fields []string) []string {
	r := k.For(sourcetype)
	if r == nil {
		return nil
	}
	for _, f := range fields {
		if f == "eventtype" || f == "tag" || strings.HasPrefix(f, "tag::") {
			return k.Reads(sourcetype)
		}
	}
	seen := map[string]bool{}
	var out []string
	var need func(f string)
	need = func(f string) {
		if seen[f] {
			return
		}
		seen[f] = true
		out = append(out, f)
		for _, a := range r.aliases {
			if a.to == f {
				need(a.from)
			}
		}
		if deps, ok := r.calcReads[f]; ok {
			for _, d := range deps {
				need(d)
			}
		}
		for _, l := range r.lookups {
			for _, o := range l.Outputs() {
				if o == f {
					for _, in := range l.Inputs() {
						need(in)
					}
				}
			}
		}
	}
	for _, f := range fields {
		need(f)
	}
	// Extractions name their outputs in regular expressions (even by
	// _KEY_n captures), so their sources are always read.
	for _, x := range r.extracts {
		need(x.source)
	}
	sort.Strings(out)
	return out
}

// maxKeyPad is the longest key-and-equals a rendered EVAL- error line
// stands in for with blanks: real keys are tens of characters.
const maxKeyPad = 1024

// valueSource is the value of a setting as SPL text whose positions are
// those of the .conf file: an error in an EVAL- expression names the
// file's line and column.
func valueSource(s conf.Setting) *diag.Source {
	return &diag.Source{Name: s.File, Text: s.Value, Locate: func(off int) diag.Position {
		p := diag.TextPosition(s.Value, off)
		if p.Line == 1 && s.ValueColumn > 0 {
			// The key is not kept; blanks stand for it, so a caret still
			// lines up under the column (but no line of a hostile file's
			// megabytes-long key is made up: then no line is shown).
			p.Column += s.ValueColumn - 1
			if s.ValueColumn <= maxKeyPad {
				p.LineText = strings.Repeat(" ", s.ValueColumn-1) + p.LineText
			} else {
				p.LineText = ""
			}
		}
		if s.ValueLine > 0 {
			p.Line += s.ValueLine - 1
		} else {
			p.Line += s.Line - 1 // a setting made in code, not read from a file
		}
		p.File = s.File
		return p
	}}
}
