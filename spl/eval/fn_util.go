package eval

import (
	"math"

	"github.com/splharness/splharness/spl/value"
)

// Helpers shared by the fn_*.go function families.

// Source names of the Splunk Search Reference pages the functions follow.
const (
	srcText     = "Splunk docs: Text functions"
	srcMV       = "Splunk docs: Multivalue eval functions"
	srcMath     = "Splunk docs: Mathematical functions"
	srcCond     = "Splunk docs: Comparison and Conditional functions"
	srcConv     = "Splunk docs: Conversion functions"
	srcInfo     = "Splunk docs: Informational functions"
	srcTime     = "Splunk docs: Date and Time functions"
	srcCrypto   = "Splunk docs: Cryptographic functions"
	srcJSON     = "Splunk docs: JSON functions"
	srcStatEval = "Splunk docs: Statistical eval functions"
)

// fnMapStrings applies f to every value: a multivalue gives a multivalue
// of the results, a single value a string, null stays null. String-to-string
// functions (lower, replace, trim…) work value by value this way.
func fnMapStrings(v value.Value, f func(string) string) value.Value {
	switch v.Kind() {
	case value.Null:
		return value.NullValue
	case value.Multi:
		out := make([]string, len(v.Values()))
		for i, s := range v.Values() {
			out[i] = f(s)
		}
		return value.MV(out)
	}
	return value.Str(f(v.String()))
}

// fnAnyNull reports whether any argument is null.
func fnAnyNull(args []value.Value) bool {
	for _, a := range args {
		if a.Kind() == value.Null {
			return true
		}
	}
	return false
}

// fnInt reads a number argument as an integer, truncating toward zero;
// ok is false for non-numbers and values beyond ±2^53.
func fnInt(v value.Value) (int, bool) {
	f, ok := v.Number()
	if !ok || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// fnNumber returns a finite number result, null for NaN and infinities.
func fnNumber(f float64) value.Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return value.NullValue
	}
	return value.Num(f)
}

// fnStrings returns the values of v for functions that treat a single
// value as a one-value list, without allocating for a single value.
func fnStrings(v value.Value, one *[1]string) []string {
	switch v.Kind() {
	case value.Null:
		return nil
	case value.Multi:
		return v.Values()
	}
	one[0] = v.String()
	return one[:]
}
