package eval

import (
	"errors"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// TestFunctionCallErrors pins the compile errors of calls: an unknown name,
// and a wrong argument count, for eager functions and for those that
// compile their own arguments alike, each at the call's position.
func TestFunctionCallErrors(t *testing.T) {
	cases := []struct {
		src, want   string
		at          string // the call the error points at: its first occurrence in src
		unsupported bool
	}{
		{src: `nosuch(1)`, want: "function nosuch() is not supported by the evaluator", at: "nosuch(", unsupported: true},
		{src: `if(true(), nosuch(), 1)`, want: "function nosuch() is not supported by the evaluator", at: "nosuch(", unsupported: true},
		{src: `lower()`, want: "lower() takes 1 arguments, got 0", at: "lower("},
		// Registered but unsupported (docs/semantics-functions.md, "Functions from the full list").
		{src: `lookup("t", "{}")`, want: "lookup(): lookup table t is not defined", at: "lookup("},
		{src: `lookup(t, "{}")`, want: "lookup() needs the table's name as a literal string", at: "lookup("},
		{src: `lookup("t")`, want: "lookup() takes 2 to 3 arguments, got 1", at: "lookup("},
		{src: `sigfig(abs(-1.5) * 2)`, want: "function sigfig() is not supported by the evaluator over abs(): only numbers, fields and + - * /", at: "abs(", unsupported: true},
		{src: `mvmap(a.b, 1)`, want: "function mvmap() is not supported by the evaluator with an expression as its first argument, only a field", at: "mvmap(", unsupported: true},
		{src: `substr("a")`, want: "substr() takes 2 to 3 arguments, got 1", at: "substr("},
		{src: `substr("a", 1, 2, 3)`, want: "substr() takes 2 to 3 arguments, got 4", at: "substr("},
		{src: `mvappend()`, want: "mvappend() takes at least 1 arguments, got 0", at: "mvappend("},
		{src: `if(1==1, 2)`, want: "if() takes 3 arguments, got 2", at: "if("},
		{src: `if(1==1, 2, 3, 4)`, want: "if() takes 3 arguments, got 4", at: "if("},
		{src: `case()`, want: "case() takes an even number of arguments, got 0", at: "case("},
		{src: `case(1==1)`, want: "case() takes an even number of arguments, got 1", at: "case("},
		{src: `case(1==1, 1, 2)`, want: "case() takes an even number of arguments, got 3", at: "case("},
		{src: `coalesce()`, want: "coalesce() takes at least 1 arguments, got 0", at: "coalesce("},
		{src: `ifnull()`, want: "ifnull() takes at least 1 arguments, got 0", at: "ifnull("},
		{src: `mvfilter(a==1, b==1)`, want: "mvfilter() takes 1 arguments, got 2", at: "mvfilter("},
		{src: `mvfilter(a==b)`, want: "mvfilter() needs an expression over exactly one field", at: "mvfilter("},
		{src: `searchmatch()`, want: "searchmatch() takes 1 arguments, got 0", at: "searchmatch("},
		{src: `searchmatch(x)`, want: "searchmatch() needs a literal search string", at: "searchmatch("},
		{src: `coalesce(x, if(1==1, 2))`, want: "if() takes 3 arguments, got 2", at: "if("},
		{src: `lower(case(1==1))`, want: "case() takes an even number of arguments, got 1", at: "case("},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			_, err := fnCompiler().Compile(fnParse(t, c.src, false))
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("compile %s: got %v, want a CompileError", c.src, err)
			}
			if ce.Msg != c.want || ce.Unsupported != c.unsupported {
				t.Errorf("compile %s: got %q (unsupported %v), want %q (unsupported %v)",
					c.src, ce.Msg, ce.Unsupported, c.want, c.unsupported)
			}
			// fnParse parses "| eval x=" + src.
			if want := len("| eval x=") + strings.Index(c.src, c.at); ce.Pos.Offset != want {
				t.Errorf("compile %s: error at offset %d, want %d", c.src, ce.Pos.Offset, want)
			}
		})
	}
}

// TestFunctionEntryCheck: Register refuses an entry with neither or both of
// Call and Compile, a name that is not lowercase, or an impossible arity.
func TestFunctionEntryCheck(t *testing.T) {
	call := func(*Context, []value.Value) (value.Value, error) { return value.NullValue, nil }
	hook := func(*Compiler, *spl.Call) (Evaluator, error) { return nil, nil }
	cases := []struct {
		f    Function
		want string // "" for a valid entry
	}{
		{Function{Name: "f", MinArgs: 1, MaxArgs: 1, Call: call}, ""},
		{Function{Name: "f", MinArgs: 0, MaxArgs: -1, Compile: hook}, ""},
		{Function{Name: "f", MinArgs: 1, MaxArgs: 1}, "eval: function f needs exactly one of Call and Compile"},
		{Function{Name: "f", MinArgs: 1, MaxArgs: 1, Call: call, Compile: hook}, "eval: function f needs exactly one of Call and Compile"},
		{Function{Name: "F", Call: call}, `eval: function name "F" is not lowercase`},
		{Function{Name: "f", MinArgs: 2, MaxArgs: 1, Call: call}, "eval: function f takes 2 to 1 arguments"},
		{Function{Name: "f", MinArgs: -1, MaxArgs: 1, Call: call}, "eval: function f takes -1 to 1 arguments"},
		{Function{Name: "f", MinArgs: 1, MaxArgs: 1, Unsupported: "why"}, ""},
		{Function{Name: "f", MinArgs: 1, MaxArgs: 1, Unsupported: "why", Call: call}, "eval: unsupported function f has Call or Compile"},
	}
	for _, c := range cases {
		got := ""
		if err := c.f.check(); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("check(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
	for _, f := range Functions() {
		if err := f.check(); err != nil {
			t.Errorf("registered: %v", err)
		}
	}
}

// fnWithout runs body with the function name taken out of the registry.
func fnWithout(name string, body func()) {
	registryMu.Lock()
	f := registry[name]
	delete(registry, name)
	registryMu.Unlock()
	defer func() {
		registryMu.Lock()
		registry[name] = f
		registryMu.Unlock()
	}()
	body()
}

// TestCompilerKnowsOnlyTheRegistry: the compiler has no function of its
// own. Taking any entry out of the registry, lazy forms included, makes its
// example an unsupported function; and a new entry with a Compile hook is
// compiled through the hook, after the registry checked its arguments.
func TestCompilerKnowsOnlyTheRegistry(t *testing.T) {
	for _, f := range Functions() {
		where := strings.HasPrefix(f.Want, "Boolean(")
		expr := fnParse(t, f.Example, where)
		fnWithout(f.Name, func() {
			_, err := fnCompiler().Compile(expr)
			var ce *CompileError
			if !errors.As(err, &ce) || !ce.Unsupported || !strings.Contains(ce.Msg, " "+f.Name+"()") {
				t.Errorf("%s out of the registry: compiling %s gave %v, want it unsupported", f.Name, f.Example, err)
			}
		})
	}

	const name = "fntest_hook"
	var hooked int
	Register(&Function{
		Name: name, MinArgs: 2, MaxArgs: 2,
		Compile: func(c *Compiler, e *spl.Call) (Evaluator, error) {
			hooked++
			if len(e.Args) != 2 {
				t.Errorf("hook called with %d arguments", len(e.Args))
			}
			second, err := c.Compile(e.Args[1])
			if err != nil {
				return nil, err
			}
			return second, nil
		},
	})
	defer func() {
		registryMu.Lock()
		delete(registry, name)
		registryMu.Unlock()
	}()
	ev, err := fnCompiler().Compile(fnParse(t, name+`(nosuchfield, "b")`, false))
	if err != nil {
		t.Fatalf("compile through the hook: %v", err)
	}
	if got := ev(value.NewRow(nil)).GoString(); got != `"b"` {
		t.Errorf("hook's evaluator gave %s, want \"b\"", got)
	}
	if _, err := fnCompiler().Compile(fnParse(t, name+`(1)`, false)); err == nil || err.Error() != name+"() takes 2 arguments, got 1" {
		t.Errorf("wrong arity through the hook: %v", err)
	}
	if hooked != 1 {
		t.Errorf("hook ran %d times, want 1 (not for the wrong arity)", hooked)
	}
}

// TestFunctionBooleanFlag: an entry is marked Boolean exactly when its
// example, a call of the function itself, gives a boolean; eval refuses to
// assign a Boolean function's result, and accepts the others.
func TestFunctionBooleanFlag(t *testing.T) {
	for _, f := range Functions() {
		if f.Unsupported != "" {
			continue // no result to type: TestFunctionExamples checks the refusal
		}
		t.Run(f.Name, func(t *testing.T) {
			expr := fnParse(t, f.Example, strings.HasPrefix(f.Want, "Boolean("))
			call, direct := expr.(*spl.Call)
			if !direct || call.Func != f.Name {
				if f.Boolean {
					t.Fatalf("example %s of a Boolean function must be a call of it", f.Example)
				}
				return
			}
			if got := strings.HasPrefix(f.Want, "Boolean("); got != f.Boolean {
				t.Errorf("Boolean is %v, but %s = %s", f.Boolean, f.Example, f.Want)
			}
			_, err := fnCompiler().CompileAssignment(call)
			if f.Boolean {
				if err == nil || err.Error() != "eval cannot assign a boolean; wrap the condition in if(...)" {
					t.Errorf("eval x=%s: got %v, want the boolean assignment error", f.Example, err)
				}
			} else if err != nil {
				t.Errorf("eval x=%s: %v", f.Example, err)
			}
		})
	}
}
