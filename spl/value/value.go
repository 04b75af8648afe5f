// Package value is the data model of SPL at run time: a Value (null,
// string, number, boolean or multivalue) and a Row of fields read lazily
// from an event. It is a leaf: it imports no parser and no compiler, so the
// packages that only carry values (events, stats, lookups, output) need
// nothing else.
package value

import (
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// Kind is the type of a Value.
type Kind uint8

// Value kinds. Fields read from events are strings (or multivalue strings);
// numbers and booleans arise inside expressions. A boolean cannot be stored
// in a field ([D-eval]: "The result of an eval expression cannot be a
// Boolean").
const (
	Null Kind = iota
	String
	Number
	Bool
	Multi
)

func (k Kind) String() string {
	switch k {
	case String:
		return "String"
	case Number:
		return "Number"
	case Bool:
		return "Boolean"
	case Multi:
		return "Multivalue"
	}
	return "Null"
}

// Value is one SPL value. The zero Value is null.
//
// Values are passed and returned by value on every field read (a row's,
// its source's, each knowledge layer's, an event's), so their size is
// copied and zeroed at each step: a multivalue keeps its strings as a
// pointer to the first and a count, not a slice header (40 bytes a
// Value instead of 64). Its list's capacity is not kept: Values gives
// a slice as long as its capacity, which an append copies.
type Value struct {
	kind Kind
	b    bool
	mvn  uint32 // the number of values of a multivalue
	n    float64
	s    string
	mvp  *string // the first value of a multivalue
}

// Size estimates the bytes a value holds beyond its header, for memory
// budgets.
func (v Value) Size() int { return v.size() }

// size estimates the bytes a value holds beyond its header.
func (v Value) size() int {
	switch v.kind {
	case String:
		return len(v.s)
	case Multi:
		n := 0
		for _, s := range v.mv() {
			n += 16 + len(s)
		}
		return n
	}
	return 0
}

// NullValue is the null value.
var NullValue = Value{}

// Str returns a string value.
func Str(s string) Value { return Value{kind: String, s: s} }

// Num returns a number value.
func Num(f float64) Value { return Value{kind: Number, n: f} }

// NumText returns a number that renders as text, which must read as the
// same number: strptime's result shows six decimals (1534143600.000000)
// as Splunk prints it, yet computes as the number.
func NumText(f float64, text string) Value { return Value{kind: Number, n: f, s: text} }

// Boolean returns a boolean value.
func Boolean(b bool) Value { return Value{kind: Bool, b: b} }

// MV returns a multivalue value; no values is null and one value is a
// plain string, as Splunk does not distinguish a one-value field.
func MV(vals []string) Value {
	switch len(vals) {
	case 0:
		return NullValue
	case 1:
		return Str(vals[0])
	}
	// A multivalue has far fewer than 2^32 values: it comes from an
	// event (at most max_event_bytes) or an expression (max_mv_values).
	return Value{kind: Multi, mvn: uint32(len(vals)), mvp: &vals[0]}
}

// mv is the values of a multivalue, nil for any other kind.
func (v Value) mv() []string {
	if v.mvp == nil {
		return nil
	}
	return unsafe.Slice(v.mvp, v.mvn)
}

// Kind returns the kind of v.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == Null }

// Clone returns v with its strings copied, for a value kept after the
// event it came from: event text shares the memory of a whole block of
// input (spl/event), which one kept substring would hold on to.
func (v Value) Clone() Value {
	v.s = strings.Clone(v.s)
	if v.mvp != nil {
		mv := make([]string, v.mvn)
		for i, s := range v.mv() {
			mv[i] = strings.Clone(s)
		}
		v.mvp = &mv[0]
	}
	return v
}

// Len is the number of values: 0 for null, 1 for a single value.
func (v Value) Len() int {
	switch v.kind {
	case Null:
		return 0
	case Multi:
		return int(v.mvn)
	}
	return 1
}

// Values returns v as a list of strings: none for null, one for a single
// value, all values of a multivalue.
func (v Value) Values() []string {
	switch v.kind {
	case Null:
		return nil
	case Multi:
		return unsafe.Slice(v.mvp, v.mvn)
	}
	return []string{v.String()}
}

// String renders v as Splunk shows it: numbers without a trailing ".0",
// booleans as true/false, multivalues joined by newlines (as a multivalue
// field reads when forced into one string).
func (v Value) String() string {
	switch v.kind {
	case String:
		return v.s
	case Number:
		if v.s != "" {
			return v.s
		}
		return FormatNumber(v.n)
	case Bool:
		if v.b {
			return "true"
		}
		return "false"
	case Multi:
		return strings.Join(v.mv(), "\n")
	}
	return ""
}

// First returns the first value as a string, "" for null.
func (v Value) First() string {
	if v.kind == Multi {
		return *v.mvp
	}
	return v.String()
}

// Bool returns the boolean of a Bool value; ok is false for other kinds.
func (v Value) Bool() (b, ok bool) { return v.b, v.kind == Bool }

// Number returns v as a number: a Number as is, a string that reads as a
// number (SPL's automatic typing of field values), or the first value of a
// multivalue. ok is false otherwise.
func (v Value) Number() (float64, bool) {
	switch v.kind {
	case Number:
		return v.n, true
	case String:
		return ParseNumber(v.s)
	case Multi:
		return ParseNumber(*v.mvp)
	}
	return 0, false
}

// IsNumeric reports whether v is a number or a string that reads as one.
func (v Value) IsNumeric() bool {
	_, ok := v.Number()
	return ok
}

// ParseNumber reads s as an SPL number: decimal, with optional sign,
// fraction and exponent, surrounding spaces allowed. Hex, "inf" and "nan"
// are not numbers (UNCONFIRMED edge cases; see docs/semantics.md).
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// FormatNumber renders a number as Splunk does: integers without a decimal
// point, other values with the shortest decimal that reads back exactly
// (0.1+0.2 is 0.30000000000000004).
func FormatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Equal reports whether two values are the same kind and content.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case String:
		return v.s == w.s
	case Number:
		return v.n == w.n
	case Bool:
		return v.b == w.b
	case Multi:
		a, b := v.mv(), w.mv()
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
	}
	return true
}

// GoString helps test failure messages.
func (v Value) GoString() string {
	switch v.kind {
	case Null:
		return "null"
	case String:
		return strconv.Quote(v.s)
	case Multi:
		return "mv" + strconv.Quote(strings.Join(v.mv(), "|"))
	}
	return v.Kind().String() + "(" + v.String() + ")"
}
