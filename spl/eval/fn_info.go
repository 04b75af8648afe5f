package eval

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl/value"
)

// Informational functions. Field values read from events are strings, and
// eval treats a string that reads as a number as a number ("auto" typing,
// docs/semantics.md, "eval and where"), so these functions classify numeric
// strings as numbers: isnum(bytes) is true for bytes="512". See
// docs/semantics-functions.md.

func init() {
	Register(
		&Function{
			Name: "typeof", MinArgs: 1, MaxArgs: 1,
			Doc:     `Returns the type of the value: "Number", "String", "Bool", or "Invalid" for null.`,
			Example: `typeof(12) . typeof("string") . typeof(1==2) . typeof(null())`, Want: `"NumberStringBoolInvalid"`,
			Source: "docs/semantics-functions.md; " + srcInfo,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				return value.Str(TypeOf(a[0])), nil
			},
		},
		fnInfo("isnum", "Returns true if the value is a number or a string that reads as one; NaN counts as a number.", `isnum("5")`, `Boolean(true)`,
			func(v value.Value) bool { return v.IsNumeric() || isNaNText(v) }),
		fnInfo("isint", "Returns true if the value is an integer (a number without fraction, or a string of digits with optional sign).", `isint(42)`, `Boolean(true)`,
			fnIsInt),
		fnInfo("isstr", "Returns true if the value is a string that does not read as a number.", `isstr("abc")`, `Boolean(true)`,
			func(v value.Value) bool { return TypeOf(v) == "String" }),
		fnInfo("isbool", "Returns true if the value is a boolean (fields never hold booleans).", `isbool(1==2)`, `Boolean(true)`,
			func(v value.Value) bool { return v.Kind() == value.Bool }),
		fnInfo("isnull", "Returns true if the value is null (the field is absent).", `isnull(null())`, `Boolean(true)`,
			func(v value.Value) bool { return v.Kind() == value.Null }),
		fnInfo("isnotnull", "Returns true if the value is not null (the field has a value).", `isnotnull("")`, `Boolean(true)`,
			func(v value.Value) bool { return v.Kind() != value.Null }),
	)
}

// isNaNText reports whether v is the text NaN, which isnum counts as a
// number (Informational functions, isnum): NaN is a value of the number
// type, "not a number" only in name.
func isNaNText(v value.Value) bool {
	return v.Kind() == value.String && strings.EqualFold(strings.TrimSpace(v.First()), "nan")
}

func fnInfo(name, doc, example, want string, test func(value.Value) bool) *Function {
	return &Function{
		Name: name, MinArgs: 1, MaxArgs: 1, Boolean: true,
		Doc: doc, Example: example, Want: want,
		Source: "docs/semantics-functions.md; " + srcInfo,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			return value.Boolean(test(a[0])), nil
		},
	}
}

// TypeOf names the type of v as typeof() does ([SPL8212 searchbnf
// eval-function]: typeof(12)+typeof("string")+typeof(1==2)+typeof(badfield)
// is "NumberStringBoolInvalid"). A multivalue has the type of its first
// value.
func TypeOf(v value.Value) string {
	switch v.Kind() {
	case value.Null:
		return "Invalid"
	case value.Number:
		return "Number"
	case value.Bool:
		return "Bool"
	}
	if _, ok := value.ParseNumber(v.First()); ok {
		return "Number"
	}
	return "String"
}

func fnIsInt(v value.Value) bool {
	switch v.Kind() {
	case value.Number:
		n, _ := v.Number()
		return n == math.Trunc(n) && !math.IsInf(n, 0)
	case value.String, value.Multi:
		s := strings.TrimSpace(v.First())
		if s != "" && s[0] == '+' {
			s = s[1:]
		}
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	}
	return false
}

func init() {
	Register(
		fnInfo("isdouble", "Returns true if the value is a number with a fractional part or exponent, or a string that reads as one (\"1.5\", \"2e3\").", `isdouble(3.14)`, `Boolean(true)`,
			fnIsDouble),
		fnInfo("ismv", "Returns true if the value has more than one value.", `ismv(split("a,b", ","))`, `Boolean(true)`,
			func(v value.Value) bool { return v.Kind() == value.Multi }),
		fnInfo("isarray", "Returns true if the value is the text of a JSON array.", `isarray("[1,2,3]")`, `Boolean(true)`,
			func(v value.Value) bool { return fnJSONKind(v) == '[' }),
		fnInfo("isobject", "Returns true if the value is the text of a JSON object.", `isobject("{\"a\":1}")`, `Boolean(true)`,
			func(v value.Value) bool { return fnJSONKind(v) == '{' }),
	)
}

// fnIsDouble: a number is a double when it is not an integer; a field's
// string is a double when it reads as a number written with a decimal
// point or exponent (docs/semantics-functions.md, isdouble).
func fnIsDouble(v value.Value) bool {
	switch v.Kind() {
	case value.Number:
		n, _ := v.Number()
		return n != math.Trunc(n)
	case value.String:
		s := v.String()
		_, ok := value.ParseNumber(s)
		return ok && strings.ContainsAny(s, ".eE")
	}
	return false
}

// fnJSONKind returns '[' or '{' when a single string value is valid JSON
// of that kind, else 0.
func fnJSONKind(v value.Value) byte {
	if v.Kind() != value.String {
		return 0
	}
	s := strings.TrimSpace(v.String())
	if s == "" || (s[0] != '[' && s[0] != '{') || !json.Valid([]byte(s)) {
		return 0
	}
	return s[0]
}
