package exec

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
)

// option is one name=value option a command takes, in its descriptor
// (command.Options). parseOptions checks a command's options against
// them once, at compile time, with one message for each kind of problem.
type option struct {
	// Name is the option's name, in lower case (SPL matches it in any case);
	// "*" takes every name the command's other specs do not list, read
	// with options.Others (rangemap's name=range pairs).
	Name string
	// Kind is how the value is read and checked.
	Kind optionKind
	// Default is the value when the option is absent, as written in SPL.
	Default string
	// Min is the smallest value of an int option.
	Min int
	// Allowed, when set, lists the values a string option may take, in
	// lower case.
	Allowed []string
	// Unsupported, when set, refuses the option whatever its value: it is
	// a Splunk option the evaluator does not run, and this says what to
	// do instead.
	Unsupported string
	// TrueUnsupported refuses a bool option set to true: the evaluator
	// runs only the default, false.
	TrueUnsupported bool
	// Doc, when set, says in a few words what the option does here, for
	// the reference pages (an option accepted but changing nothing says
	// so).
	Doc string
}

// otherNames is the Name of a spec taking every name not listed.
const otherNames = "*"

// anyInt as an option's Min takes any whole number, negative too.
const anyInt = math.MinInt

// optionKind is how an option's value is read.
type optionKind int

const (
	optString optionKind = iota // the value as written, unquoted
	optField                    // a field name (fieldName)
	optBool                     // t, true, 1, yes or f, false, 0, no, in any case
	optInt                      // a whole number, at least Min
)

// options are a command's options as parsed by parseOptions, by name.
type options struct {
	specs  []option
	set    map[string]*spl.Option
	others []*spl.Option
}

// parseOptions checks the options of cmd, in the lists given (before and
// after its arguments), against its descriptor's option specs, and
// returns them for reading. Every problem is reported, each at its option:
// an option the command does not take or that the evaluator refuses
// (diag.UnsupportedCommand), and a value of the wrong kind (spl-syntax,
// as "cmd: name must be ..."). When an option is given twice, the last
// one counts, as Splunk reads them. An option without a value (a search
// in transaction's startswith=(...)) is checked by name only.
func (p *planner) parseOptions(cmd spl.Command, lists ...spl.Options) (options, error) {
	return readOptions(cmd, lists...)
}

// readOptions is parseOptions outside a plan: a descriptor's Order
// function reads an option with it, ignoring the errors its compile
// method reports.
func readOptions(cmd spl.Command, lists ...spl.Options) (options, error) {
	name := cmd.Name()
	var specs []option
	if d := lookupCommand(cmd); d != nil {
		specs = d.Options
	}
	o := options{specs: specs, set: map[string]*spl.Option{}}
	var errs Errors
	for _, list := range lists {
		for _, opt := range list.Items {
			key := strings.ToLower(opt.Name)
			i := slices.IndexFunc(specs, func(s option) bool { return s.Name == key })
			if i < 0 {
				i = slices.IndexFunc(specs, func(s option) bool { return s.Name == otherNames })
			}
			if i < 0 {
				errs = append(errs, unsupported(opt.Pos, "option %s of command %s is not supported by the evaluator", opt.Name, name))
				continue
			}
			if err := specs[i].check(name, opt); err != nil {
				errs = append(errs, err)
				continue
			}
			if specs[i].Name == otherNames {
				o.others = append(o.others, opt)
				continue
			}
			o.set[key] = opt
		}
	}
	if len(errs) > 0 {
		return o, errs
	}
	return o, nil
}

// check checks one option's value against its spec.
func (s option) check(cmd string, opt *spl.Option) *Error {
	if s.Unsupported != "" {
		return unsupported(opt.Pos, "option %s of command %s is not supported by the evaluator (%s)", opt.Name, cmd, s.Unsupported)
	}
	if opt.Value == nil {
		return nil
	}
	v := opt.Value.Text()
	switch {
	case s.Kind == optBool && !isBool(v):
		return errorf(opt.Value.Pos, "%s: %s must be true or false", cmd, s.Name)
	case s.Kind == optBool && s.TrueUnsupported && isTrue(v):
		return unsupported(opt.Pos, "option %s=%s of command %s is not supported by the evaluator", opt.Name, v, cmd)
	case s.Kind == optInt:
		if n, err := strconv.Atoi(v); err != nil || n < s.Min {
			if s.Min == anyInt {
				return errorf(opt.Value.Pos, "%s: %s must be a number", cmd, s.Name)
			}
			return errorf(opt.Value.Pos, "%s: %s must be a number, at least %d", cmd, s.Name, s.Min)
		}
	case len(s.Allowed) > 0 && !slices.Contains(s.Allowed, strings.ToLower(v)):
		return errorf(opt.Value.Pos, "%s: %s must be %s", cmd, s.Name, oneOf(s.Allowed))
	}
	return nil
}

// isBool reports whether s is a boolean as Splunk's argument parser reads
// one: t, true, 1, yes, f, false, 0 or no, in any case.
func isBool(s string) bool {
	switch strings.ToLower(s) {
	case "t", "true", "1", "yes", "f", "false", "0", "no":
		return true
	}
	return false
}

// oneOf lists values as "a, b or c".
func oneOf(vals []string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// spec is the spec of option name; asking for an option the descriptor
// does not list is a programming error.
func (o options) spec(name string) option {
	i := slices.IndexFunc(o.specs, func(s option) bool { return s.Name == name })
	if i < 0 {
		panic(fmt.Sprintf("exec: option %s read but not in the command's descriptor", name))
	}
	return o.specs[i]
}

// Has reports whether the option was given.
func (o options) Has(name string) bool {
	_, ok := o.set[name]
	return ok
}

// Word is the option's value as written, nil when it was not given.
func (o options) Word(name string) *spl.Word {
	o.spec(name)
	if opt, ok := o.set[name]; ok {
		return opt.Value
	}
	return nil
}

// Option is the option as written (the last one given), nil when it was
// not given: for a message at its position.
func (o options) Option(name string) *spl.Option {
	o.spec(name)
	return o.set[name]
}

// Others are the options the "*" spec took, in the order written.
func (o options) Others() []*spl.Option { return o.others }

// String is the option's value, or its default.
func (o options) String(name string) string {
	s := o.spec(name)
	if opt, ok := o.set[name]; ok && opt.Value != nil {
		if s.Kind == optField {
			return fieldName(opt.Value)
		}
		return opt.Value.Text()
	}
	return s.Default
}

// Field is the field an option names (quotes removed), or its default.
func (o options) Field(name string) string { return o.String(name) }

// Bool is the option's value as a boolean, or its default's.
func (o options) Bool(name string) bool { return isTrue(o.String(name)) }

// Int is the option's value as a number, or its default's (0 when it has
// none); parseOptions checked it.
func (o options) Int(name string) int {
	n, _ := strconv.Atoi(o.String(name))
	return n
}
