package eval

import "math"

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
func fnMapStrings(v Value, f func(string) string) Value {
	switch v.kind {
	case Null:
		return NullValue
	case Multi:
		out := make([]string, len(v.mv))
		for i, s := range v.mv {
			out[i] = f(s)
		}
		return Value{kind: Multi, mv: out}
	}
	return Str(f(v.String()))
}

// fnAnyNull reports whether any argument is null.
func fnAnyNull(args []Value) bool {
	for _, a := range args {
		if a.kind == Null {
			return true
		}
	}
	return false
}

// fnInt reads a number argument as an integer, truncating toward zero;
// ok is false for non-numbers and values beyond ±2^53.
func fnInt(v Value) (int, bool) {
	f, ok := v.Number()
	if !ok || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// fnNumber returns a finite number result, null for NaN and infinities.
func fnNumber(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return NullValue
	}
	return Num(f)
}

// fnStrings returns the values of v for functions that treat a single
// value as a one-value list, without allocating for a single value.
func fnStrings(v Value, one *[1]string) []string {
	switch v.kind {
	case Null:
		return nil
	case Multi:
		return v.mv
	}
	one[0] = v.String()
	return one[:]
}
