package exec

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/lookup"
)

// exampleTables resolves the lookup tables the registry's examples name.
type exampleTables struct{}

func (exampleTables) Lookup(name string) (*lookup.Table, error) {
	switch name {
	case "users":
		return lookup.ReadCSV(name, strings.NewReader("uid,name,dept\nalice,Alice,finance\n"))
	case "baseline":
		return lookup.ReadCSV(name, strings.NewReader("user,count\nalice,7\n"))
	}
	return nil, fmt.Errorf("lookup table %s is not defined", name)
}

// TestDescriptorsAreGrammarCommands checks that every command the
// evaluator has a descriptor for is a command of the grammar, whose
// registry entry gives its syntax, doc line and example.
func TestDescriptorsAreGrammarCommands(t *testing.T) {
	known := map[string]bool{}
	for _, c := range spl.Commands {
		known[c.Name] = true
	}
	for name, d := range commands {
		if !known[name] {
			t.Errorf("descriptor %s names no command of spl.Commands", name)
		}
		if d.InForeach && d.Kind != streaming {
			t.Errorf("descriptor %s: allowed inside foreach but not streaming", name)
		}
	}
}

// TestEveryGrammarCommandRunsOrIsRejected fails when the grammar knows a
// command that the evaluator neither runs nor rejects with a clear error:
// each registry example compiles, or fails with unsupported-command naming
// the command at its position. A command with a descriptor may still
// refuse an option of its example (evaluated in part), never the command.
func TestEveryGrammarCommandRunsOrIsRejected(t *testing.T) {
	opts := Options{Now: eval.ExampleTime, Lookups: exampleTables{}}
	for _, info := range spl.Commands {
		t.Run(info.Name, func(t *testing.T) {
			q, err := spl.ParseString(info.Example)
			if err != nil {
				t.Fatalf("example %q: %v", info.Example, err)
			}
			cmd := q.Commands[len(q.Commands)-1]
			if cmd.Name() != info.Name {
				t.Fatalf("example %q ends with command %s, not %s", info.Example, cmd.Name(), info.Name)
			}
			_, err = Compile(q, opts)
			d := commands[info.Name]
			var ee *Error
			switch {
			case d != nil && err == nil:
			case d != nil:
				if !errors.As(err, &ee) || ee.Code != diag.UnsupportedCommand {
					t.Fatalf("example %q: %v, want it to compile or refuse an option as %s", info.Example, err, diag.UnsupportedCommand)
				}
				if strings.Contains(ee.Msg, "command "+info.Name+" is not supported") {
					t.Errorf("example %q: %q, but the command has a descriptor", info.Example, ee.Msg)
				}
			case err == nil:
				t.Fatalf("example %q compiles, but %s has no descriptor", info.Example, info.Name)
			default:
				if !errors.As(err, &ee) || ee.Code != diag.UnsupportedCommand {
					t.Fatalf("example %q: %v, want an %s error", info.Example, err, diag.UnsupportedCommand)
				}
				if ee.Pos != spl.Position(cmd) {
					t.Errorf("example %q: error at %v, want the command's position %v", info.Example, ee.Pos, spl.Position(cmd))
				}
				if !strings.Contains(ee.Msg, "command "+info.Name+" ") {
					t.Errorf("example %q: message %q does not name the command", info.Example, ee.Msg)
				}
			}
		})
	}
}

// TestUnknownCommandIsRejected checks a command the grammar does not know:
// it parses in the generic form and fails to compile at its position.
func TestUnknownCommandIsRejected(t *testing.T) {
	q, err := spl.ParseString("| makeresults | frobnicate x=1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(q, Options{})
	var ee *Error
	if !errors.As(err, &ee) || ee.Code != diag.UnsupportedCommand || ee.Pos.Offset != 16 ||
		ee.Msg != "command frobnicate is not supported by the evaluator" {
		t.Fatalf("got %#v, want unsupported-command for frobnicate at offset 16", err)
	}
}

// TestOptionSpecs checks the option specs of every descriptor: names in
// lower case and not repeated, defaults of the option's kind and among
// its allowed values, refusals on bool options only.
func TestOptionSpecs(t *testing.T) {
	for name, d := range commands {
		seen := map[string]bool{}
		for _, o := range d.Options {
			if o.Name != strings.ToLower(o.Name) || seen[o.Name] {
				t.Errorf("%s: option %q is not lower case or is listed twice", name, o.Name)
			}
			seen[o.Name] = true
			opt := &spl.Option{Name: o.Name, Value: &spl.Word{Raw: o.Default}}
			if o.Default != "" && o.Unsupported == "" {
				if err := o.check(name, opt); err != nil {
					t.Errorf("%s: the default %q of option %s fails its own check: %v", name, o.Default, o.Name, err)
				}
			}
			if o.TrueUnsupported && o.Kind != optBool {
				t.Errorf("%s: option %s refuses true but is not a bool", name, o.Name)
			}
			if o.Name == otherNames && (o.Kind != optString || o.Default != "" || o.Unsupported != "") {
				t.Errorf("%s: the spec taking every other name must be a plain string option", name)
			}
			for _, v := range o.Allowed {
				if v != strings.ToLower(v) {
					t.Errorf("%s: option %s allows %q, not in lower case", name, o.Name, v)
				}
			}
		}
	}
}
