package eval

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// fnRequired are the eval functions the registry must have.
var fnRequired = strings.Fields(`match like replace split mvindex mvcount mvjoin mvappend mvfind mvdedup
	mvsort mvzip mvrange lower upper trim ltrim rtrim len substr tonumber tostring round abs pow
	sqrt exp ln log floor ceil ceiling pi min max now time relative_time strftime strptime cidrmatch
	urldecode json_extract spath typeof isnum isstr isint isbool isnull isnotnull null true false
	nullif sha1 sha256 sha512 md5 printf in validate
	if case coalesce ifnull mvfilter searchmatch
	acos acosh asin asinh atan atan2 atanh cos cosh sin sinh tan tanh hypot exact sum avg random
	isdouble ismv isarray isobject toint tobool ipmask mvmap mv_to_json_array
	bit_and bit_or bit_xor bit_not bit_shift_left bit_shift_right
	json_object json_array json json_valid json_keys json_has_key_exact json_extract_exact json_array_to_mv
	json_set json_set_exact json_append json_extend json_delete json_entries sigfig commands`)

// fnCompilerForms evaluate their arguments lazily or read them as syntax:
// their entries have a Compile hook, every other entry a Call.
var fnCompilerForms = map[string]bool{
	"if": true, "case": true, "coalesce": true, "ifnull": true, "mvfilter": true, "searchmatch": true,
	"mvmap": true, "sigfig": true, "lookup": true,
}

// fnStubLookup stands in for a lookup table in examples: dnslookup maps
// clientip 1.2.3.4 to clienthost www.example.com.
type fnStubLookup struct{}

func (fnStubLookup) Match(inputs, vals, outputs []string) ([]string, [][]string, error) {
	if len(inputs) != 1 || inputs[0] != "clientip" {
		return nil, nil, fmt.Errorf("stub table has no input %v", inputs)
	}
	if vals[0] != "1.2.3.4" {
		return nil, nil, nil
	}
	if len(outputs) > 0 && (len(outputs) != 1 || outputs[0] != "clienthost") {
		return nil, nil, fmt.Errorf("stub table has no output %v", outputs)
	}
	return []string{"clienthost"}, [][]string{{"www.example.com"}}, nil
}

func fnStubLookupTable(name string) (LookupTable, error) {
	if name != "dnslookup" {
		return nil, fmt.Errorf("lookup table %s is not defined", name)
	}
	return fnStubLookup{}, nil
}

// fnStubSearchMatcher stands in for the search package in examples:
// searchmatch("*") matches every event.
func fnStubSearchMatcher(text string) (func(*value.Row) bool, error) {
	if strings.TrimSpace(text) != "*" {
		return nil, fmt.Errorf("test matcher only knows *, got %q", text)
	}
	return func(*value.Row) bool { return true }, nil
}

func fnCompiler() *Compiler {
	return &Compiler{Ctx: NewContext(ExampleTime), Opts: Options{SearchMatcher: fnStubSearchMatcher, Lookup: fnStubLookupTable}}
}

// fnParse parses src as the expression of `| eval x=src`, or of
// `| where src` when where is set.
func fnParse(t *testing.T, src string, where bool) spl.Expr {
	t.Helper()
	text := "| eval x=" + src
	if where {
		text = "| where " + src
	}
	q, err := spl.ParseString(text)
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	if len(q.Commands) != 1 {
		t.Fatalf("parse %q: %d commands", text, len(q.Commands))
	}
	switch c := q.Commands[0].(type) {
	case *spl.EvalCommand:
		return c.Assignments[0].Expr
	case *spl.WhereCommand:
		return c.Expr
	}
	t.Fatalf("parse %q: got %T", text, q.Commands[0])
	return nil
}

// fnEval compiles src with the real compiler and evaluates it on a row
// holding fields.
func fnEval(t *testing.T, src string, fields map[string]value.Value) value.Value {
	t.Helper()
	ev, err := fnCompiler().Compile(fnParse(t, src, false))
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	r := value.NewRow(nil)
	for k, v := range fields {
		r.Set(k, v)
	}
	return ev(r)
}

// fnCall calls a registered function directly with evaluated arguments,
// turning an error into null as the compiler does.
func fnCall(t *testing.T, name string, args ...value.Value) value.Value {
	t.Helper()
	f, ok := Lookup(name)
	if !ok || f.Call == nil {
		t.Fatalf("no callable function %s", name)
	}
	v, err := f.Call(NewContext(ExampleTime), args)
	if err != nil {
		return value.NullValue
	}
	return v
}

func fnMV(vals ...string) value.Value { return value.MV(vals) }

// fnCase is one table case: an expression, optional fields, and the
// expected value in GoString form.
type fnCase struct {
	expr   string
	fields map[string]value.Value
	want   string
}

func fnRunCases(t *testing.T, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			if got := fnEval(t, c.expr, c.fields).GoString(); got != c.want {
				t.Errorf("%s = %s, want %s", c.expr, got, c.want)
			}
		})
	}
}

// TestFunctionExamples runs every registered function's example through
// the parser and compiler, and checks that no entry lacks documentation.
func TestFunctionExamples(t *testing.T) {
	for _, name := range fnRequired {
		if _, ok := Lookup(name); !ok {
			t.Errorf("function %s is not registered", name)
		}
	}
	for _, f := range Functions() {
		t.Run(f.Name, func(t *testing.T) {
			if f.Doc == "" || f.Example == "" || (f.Want == "") != (f.Unsupported != "") || f.Source == "" {
				t.Fatalf("%s lacks Doc, Example, Want or Source: %+v", f.Name, f)
			}
			if f.Name != strings.ToLower(f.Name) {
				t.Errorf("name %q is not lowercase", f.Name)
			}
			if f.MaxArgs >= 0 && f.MaxArgs < f.MinArgs {
				t.Errorf("MaxArgs %d < MinArgs %d", f.MaxArgs, f.MinArgs)
			}
			if !strings.Contains(f.Example, f.Name+"(") {
				t.Errorf("example %q does not call %s()", f.Example, f.Name)
			}
			if f.Unsupported != "" {
				fnCheckUnsupported(t, f)
				return
			}
			if (f.Call == nil) == (f.Compile == nil) {
				t.Errorf("has Call: %v, has Compile: %v; want exactly one", f.Call != nil, f.Compile != nil)
			}
			if (f.Compile != nil) != fnCompilerForms[f.Name] {
				t.Errorf("has Compile: %v; only the lazy forms %v compile themselves", f.Compile != nil, fnCompilerForms)
			}
			where := strings.HasPrefix(f.Want, "Boolean(")
			ev, err := fnCompiler().Compile(fnParse(t, f.Example, where))
			if err != nil {
				t.Fatalf("compile %q: %v", f.Example, err)
			}
			if got := ev(value.NewRow(nil)).GoString(); got != f.Want {
				t.Errorf("%s = %s, want %s", f.Example, got, f.Want)
			}
		})
	}
}

// fnCheckUnsupported: a documented function the evaluator cannot run is
// registered without Call or Compile, and its example is refused at
// compile time as unsupported, naming the function and saying why.
func fnCheckUnsupported(t *testing.T, f *Function) {
	t.Helper()
	if f.Call != nil || f.Compile != nil {
		t.Errorf("unsupported %s has Call or Compile", f.Name)
	}
	_, err := fnCompiler().Compile(fnParse(t, f.Example, false))
	var ce *CompileError
	want := "function " + f.Name + "() is not supported by the evaluator: " + f.Unsupported
	if !errors.As(err, &ce) || !ce.Unsupported || ce.Msg != want {
		t.Errorf("compile %s: got %v, want unsupported %q", f.Example, err, want)
	}
}
