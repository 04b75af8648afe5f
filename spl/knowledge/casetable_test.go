package knowledge

import (
	"fmt"
	"maps"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// builtinApps is the embedded add-on knowledge as the apps Load reads.
func builtinApps() []conf.App {
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	return apps
}

// TestCaseTableSameValues: a case() compiled to a table on its key field
// gives the value the expression gives, for the add-on's calculated fields
// and for expressions made to probe the edges (numeric literals, ==, IN,
// key conditions under AND and OR, conditions with effects), over rows
// whose fields take the expressions' own literals, other strings, numbers,
// multivalues, empty strings, or no value.
func TestCaseTableSameValues(t *testing.T) {
	apps := builtinApps()
	props, errs := conf.Load(apps, "props.conf")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	exprs := map[string]string{}
	for _, s := range props.Stanza("aws:cloudtrail").Settings {
		if name, ok := strings.CutPrefix(s.Key, "EVAL-"); ok {
			exprs[name] = s.Value
		}
	}
	probes := map[string]string{
		"numeric":  `case(eventName="10", "ten", eventName="x", "x", true(), "other")`,
		"eqeq":     `case(eventName=="a", 1, eventName IN ("b", "c"), 2, in(eventName, "c", "d"), 3)`,
		"gated":    `case(eventName="a" AND t="u", "au", (eventName="b" AND isnull(t)) OR eventName="c", "bc", like(eventName, "%a"), "like", eventName="a", "a")`,
		"impure":   `case(eventName="a" AND len(t)>1, "long", eventName="a", "a", eventName="b" OR replace(t, "(", "x")="y", "b")`,
		"not":      `case(NOT eventName="a", "nota", eventName="a", "a")`,
		"twofield": `case(t="u", "tu", eventName="a", "a", t="v" AND eventName="b", "vb", eventType="e", "e", eventName="b", "b")`,
		"nonlit":   `case(eventName=t, "same", in(eventName, "a", t), "in", eventName="a", "a")`,
		"keyonly":  `case(eventName="a", "a", like(eventName, "%0") OR like(eventName, "b%"), "like", NOT eventName="c" AND like(eventName, "_"), "one", isnull(eventName), "none", eventName>"m", "late", t="u" OR like(eventName, "c%"), "tc", eventName="10", "ten", true(), "rest")`,
		"parts":    `case((t="u" OR like(eventName, "a%")) AND (isnull(t) OR eventName="b"), "p1", eventName!="x" AND t="v", "p2", t="w" AND (like(eventName, "%0") OR t="u"), "p3", like(eventName, "b%") OR t="u" OR eventName="c", "p4", eventName="a" AND t="u", "au")`,
		"keyonly2": `case(in(eventName, "a", "b"), 1, eventName!="x" AND like(eventName, "%a%"), 2, eventName="x", 3, false(), 4, len(eventName)>2, 5)`,
		"coalesce": `case(eventName="a", coalesce(t, u), like(eventName, "b%"), coalesce(u, 'eventName', t), t="u", coalesce(t), true(), coalesce(u, t))`,
		"fieldis":  `case(t="u", t, eventName="a", "a", in(t, "v", "w") OR like(eventName, "b%"), eventName, t IN ("x") AND eventName="c", t, t=="y", 'eventName', t="10", "ten", t!="z", "notz", true(), u)`,
	}
	for name, src := range probes {
		exprs["probe_"+name] = src
	}
	tables := 0
	ctx := eval.NewContext(time.Unix(0, 0))
	ec := &eval.Compiler{Ctx: ctx}
	for _, name := range mapsKeys(exprs) {
		expr, err := spl.ParseExpr(diag.NewSource(name, exprs[name]), spl.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		table, err := compileCaseTable(expr, nil, ec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if table == nil {
			continue
		}
		tables++
		orig, err := ec.Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		fields, lits := refsAndLiterals(expr)
		pool := append(lits, "", "other", "10", "10.0", "Other")
		for _, l := range lits {
			pool = append(pool, strings.ToLower(l), l+" ")
		}
		for _, l := range lits {
			pool = append(pool, l+"0", "b"+l, "c"+l, "x"+l+"y")
		}
		rnd := rand.New(rand.NewSource(1))
		for i := 0; i < 4000; i++ {
			row := value.NewRow(nil)
			for _, f := range fields {
				switch rnd.Intn(6) {
				case 0: // absent
				case 1:
					row.Set(f, value.MV([]string{pool[rnd.Intn(len(pool))], pool[rnd.Intn(len(pool))]}))
				case 2:
					row.Set(f, value.Num(float64(rnd.Intn(20))))
				default:
					row.Set(f, value.Str(pool[rnd.Intn(len(pool))]))
				}
			}
			got, want := table.eval(row), orig(row)
			if got.Kind() != want.Kind() || !slices.Equal(got.Values(), want.Values()) {
				t.Fatalf("%s on %s: table gives %v (%v), the expression %v (%v)", name, showRow(row, fields), got.Values(), got.Kind(), want.Values(), want.Kind())
			}
		}
	}
	// The add-on's five case() fields on eventName and the twelve probes.
	if tables < 17 {
		t.Errorf("only %d expressions became tables", tables)
	}
	for _, name := range []string{"user_name", "user", "user_id", "user_type", "dest"} {
		expr, _ := spl.ParseExpr(diag.NewSource(name, exprs[name]), spl.Limits{})
		if table, _ := compileCaseTable(expr, nil, ec); table == nil {
			t.Errorf("EVAL-%s did not become a table on eventName", name)
		}
	}
}

func mapsKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// refsAndLiterals lists the fields an expression reads and its string
// literals.
func refsAndLiterals(e spl.Expr) (fields, lits []string) {
	seen := map[string]bool{}
	spl.Walk(e, func(n spl.Node) bool {
		switch n := n.(type) {
		case *spl.FieldRef:
			if !seen["f"+n.Name] {
				seen["f"+n.Name] = true
				fields = append(fields, n.Name)
			}
		case *spl.StringLit:
			if !seen["l"+n.Value()] {
				seen["l"+n.Value()] = true
				lits = append(lits, n.Value())
			}
		}
		return true
	})
	return fields, lits
}

func showRow(r *value.Row, fields []string) string {
	var parts []string
	for _, f := range fields {
		v := r.Get(f)
		parts = append(parts, f+"="+strings.Join(v.Values(), "|")+"("+v.Kind().String()+")")
	}
	return strings.Join(parts, " ")
}

// mapSource is a value.Source over a map, for tests.
type mapSource map[string]value.Value

func (m mapSource) Field(name string) (value.Value, bool) {
	v, ok := m[name]
	return v, ok && !v.IsNull()
}

func (m mapSource) Each(fn func(string, value.Value)) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fn(k, m[k])
	}
}

// TestAliasValueSameAsAll: following one alias target's chain (aliasValue)
// gives what applying every alias in order gives (alias), for random
// chains with ASNEW, fields written twice, and sources that are absent,
// including chains too long to follow, which fall back.
func TestAliasValueSameAsAll(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e"}
	rnd := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		r := &Rules{aliasTargets: map[string]bool{}, derived: map[string]bool{}}
		for n := rnd.Intn(40); n >= 0; n-- {
			a := alias{from: names[rnd.Intn(len(names))], to: names[rnd.Intn(len(names))], asNew: rnd.Intn(3) == 0}
			r.aliases = append(r.aliases, a)
			r.aliasTargets[a.to] = true
			r.derived[a.to] = true
		}
		r.resolve()
		raw := mapSource{}
		for _, n := range names {
			if rnd.Intn(2) == 0 {
				raw[n] = value.Str("raw-" + n)
			}
		}
		for _, n := range names {
			lazy := &source{k: &Knowledge{}, r: r, raw: raw}
			full := &source{k: &Knowledge{}, r: r, raw: raw}
			for j := range lazy.layers {
				lazy.layers[j] = layer{lazy, j}
				full.layers[j] = layer{full, j}
			}
			full.alias()
			got, gotOK := lazy.field1(n, r.made[n])
			want, wantOK := full.field1(n, r.made[n])
			if gotOK != wantOK || !slices.Equal(got.Values(), want.Values()) {
				t.Fatalf("aliases %+v, raw %v: %s = %v (%v) one by one, %v (%v) all at once", r.aliases, raw, n, got.Values(), gotOK, want.Values(), wantOK)
			}
		}
	}
}

// TestCaseTableFieldIs: which conditions on a field other than the key
// are tested without eval (fieldIs): a single string value equal to a
// literal that is not a number (=, ==, in(), IN), alone or as a leaf under
// AND and OR; never a numeric literal (compared as numbers), another
// operator, a field against a field, or a function of the field. Which
// branch values are read straight from the row: a field, a coalesce() of
// fields, nothing else.
// TestCaseTableSameValues checks the values.
func TestCaseTableFieldIs(t *testing.T) {
	tests := []struct {
		cond   string
		want   string // the field and literals tested, "" for none
		value  string
		fields string // the fields the branch value reads straight, "" for none
	}{
		{`t="u"`, "t [u]", `t`, "t"},
		{`t=="u"`, "t [u]", `'t.x'`, "t.x"},
		{`in(t, "u", "v")`, "t [u v]", `"lit"`, ""},
		{`t IN ("u", "v")`, "t [u v]", `coalesce(t, u)`, "t u"},
		{`t="u"`, "t [u]", `COALESCE(t, 'u.v', w)`, "t u.v w"},
		{`t="u"`, "t [u]", `coalesce(t)`, "t"},
		{`t="u"`, "t [u]", `coalesce(t, "x")`, ""},
		{`t="u"`, "t [u]", `coalesce(t, lower(u))`, ""},
		{`t="u"`, "t [u]", `lower(t)`, ""},
		{`t="10"`, "", `t`, "t"},
		{`t="1e3"`, "", `t`, "t"},
		{`t!="u"`, "", `t`, "t"},
		{`t=u`, "", `t`, "t"},
		{`lower(t)="u"`, "", `t`, "t"},
		{`t="u" AND like(eventName, "G%")`, "t [u]", `t`, "t"},
		{`like(eventName, "G%") OR t="u"`, "t [u]", `t`, "t"},
	}
	ec := &eval.Compiler{Ctx: eval.NewContext(time.Unix(0, 0))}
	for _, tt := range tests {
		src := `case(eventName="a", "a", ` + tt.cond + `, ` + tt.value + `)`
		expr, err := spl.ParseExpr(diag.NewSource("fieldis", src), spl.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		table, err := compileCaseTable(expr, nil, ec)
		if err != nil || table == nil {
			t.Fatalf("%s: no table: %v", src, err)
		}
		sh := table.shapes[1]
		is := sh.is
		if sh.parts != nil {
			is = nil
			for _, p := range []*condPart{sh.parts.l, sh.parts.r} {
				if p.is != nil {
					is = p.is
				}
			}
		}
		got := ""
		if is != nil {
			lits := []string{is.one}
			if is.keys != nil {
				lits = slices.Sorted(maps.Keys(is.keys))
			}
			got = fmt.Sprintf("%s %v", is.field, lits)
		}
		if got != tt.want {
			t.Errorf("%s: tested as %q, want %q", tt.cond, got, tt.want)
		}
		if f := strings.Join(table.branches[1].fields, " "); f != tt.fields {
			t.Errorf("%s: value %s read as fields %q, want %q", tt.cond, tt.value, f, tt.fields)
		}
	}
}

// TestCaseTableLearns: a value that is no literal of the case() gets its
// plan made once (key-only conditions decided for it) and kept; past
// maxLearned values the table still gives the expression's value, and
// workers that meet new values at the same time all get it.
func TestCaseTableLearns(t *testing.T) {
	src := `case(eventName="a", "a", like(eventName, "%Instances"), "inst", t="u" OR like(eventName, "Get%"), "get", NOT like(eventName, "%s"), t, true(), "rest")`
	expr, err := spl.ParseExpr(diag.NewSource("learn", src), spl.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ec := &eval.Compiler{Ctx: eval.NewContext(time.Unix(0, 0))}
	table, err := compileCaseTable(expr, nil, ec)
	if err != nil || table == nil {
		t.Fatalf("no table: %v", err)
	}
	orig, err := ec.Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name, tv string) {
		row := value.NewRow(nil)
		row.Set("eventName", value.Str(name))
		if tv != "" {
			row.Set("t", value.Str(tv))
		}
		got, want := table.eval(row), orig(row)
		if got.Kind() != want.Kind() || !slices.Equal(got.Values(), want.Values()) {
			t.Fatalf("eventName=%q t=%q: table gives %v, the expression %v", name, tv, got.Values(), want.Values())
		}
	}
	before := len(*table.plans.Load())
	for _, name := range []string{"RunInstances", "GetUser", "ListUsers", "List", "RunInstances", "GetUser"} {
		check(name, "")
		check(name, "u")
	}
	if got := len(*table.plans.Load()) - before; got != 4 {
		t.Errorf("learned %d plans, want 4 (one per new value)", got)
	}
	steps := (*table.plans.Load())["RunInstances"]
	if len(steps) != 1 || !steps[0].certain || steps[0].branch != 1 {
		t.Errorf("plan of RunInstances %+v, want branch 1 certain", steps)
	}
	// Four workers at once, past the limit.
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < maxLearned/2+100; i++ {
				check(fmt.Sprintf("Get%ds", i*4+w), "")
				check(fmt.Sprintf("Op%d", i), "u")
			}
		}()
	}
	wg.Wait()
	if n := table.learned.Load(); n < maxLearned || len(*table.plans.Load()) > before+maxLearned+4 {
		t.Errorf("learned %d plans, the map holds %d, want the limit %d", n, len(*table.plans.Load())-before, maxLearned)
	}
}
