package eval

import (
	"math"

	"github.com/splharness/splharness/spl/value"
)

// Bitwise functions. Every argument must be a nonnegative integer below
// 2^53; any other argument (negative, fractional, larger, not a number)
// makes the result null, as the page says for numbers "negative or greater
// than 53 bits".

const srcBit = "Splunk docs: Bitwise functions"

// bitMax is 2^53-1, the largest argument or result.
const bitMax = 1<<53 - 1

func init() {
	Register(
		fnBitFold("bit_and", "Returns the bitwise AND of the arguments, taken in order.", `bit_and(12, 9)`, `Number(8)`,
			func(x, y uint64) uint64 { return x & y }),
		fnBitFold("bit_or", "Returns the bitwise OR of the arguments, taken in order.", `bit_or(4, 2)`, `Number(6)`,
			func(x, y uint64) uint64 { return x | y }),
		fnBitFold("bit_xor", "Returns the bitwise exclusive OR of the arguments, taken in order.", `bit_xor(12, 10)`, `Number(6)`,
			func(x, y uint64) uint64 { return x ^ y }),
		&Function{
			Name: "bit_not", MinArgs: 1, MaxArgs: 2,
			Doc:     "Returns the bitwise NOT of the value within the bitmask (default 2^53-1).",
			Example: `bit_not(9, 15)`, Want: `Number(6)`,
			Source: "docs/semantics-functions.md; " + srcBit,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				x, ok := fnBitArg(a[0])
				mask := uint64(bitMax)
				if len(a) == 2 {
					var okm bool
					if mask, okm = fnBitArg(a[1]); !okm {
						return value.NullValue, nil
					}
				}
				if !ok {
					return value.NullValue, nil
				}
				return value.Num(float64(^x & mask)), nil
			},
		},
		fnBitShift("bit_shift_left", "Shifts the bits of the value left by the offset; null if the result needs more than 53 bits.",
			`bit_shift_left(1, 3)`, `Number(8)`, true),
		fnBitShift("bit_shift_right", "Shifts the bits of the value right by the offset.",
			`bit_shift_right(16, 2)`, `Number(4)`, false),
	)
}

// fnBitArg reads a bitwise argument: an integer from 0 to 2^53-1.
func fnBitArg(v value.Value) (uint64, bool) {
	if v.Kind() == value.Bool || v.Kind() == value.Multi {
		return 0, false
	}
	f, ok := v.Number()
	if !ok || f < 0 || f > bitMax || f != math.Trunc(f) {
		return 0, false
	}
	return uint64(f), true
}

func fnBitFold(name, doc, example, want string, op func(x, y uint64) uint64) *Function {
	return &Function{
		Name: name, MinArgs: 2, MaxArgs: -1,
		Doc: doc, Example: example, Want: want,
		Source: "docs/semantics-functions.md; " + srcBit,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			acc, ok := fnBitArg(a[0])
			if !ok {
				return value.NullValue, nil
			}
			for _, v := range a[1:] {
				x, ok := fnBitArg(v)
				if !ok {
					return value.NullValue, nil
				}
				acc = op(acc, x)
			}
			return value.Num(float64(acc)), nil
		},
	}
}

func fnBitShift(name, doc, example, want string, left bool) *Function {
	return &Function{
		Name: name, MinArgs: 2, MaxArgs: 2,
		Doc: doc, Example: example, Want: want,
		Source: "docs/semantics-functions.md; " + srcBit,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			x, ok1 := fnBitArg(a[0])
			n, ok2 := fnBitArg(a[1])
			if !ok1 || !ok2 {
				return value.NullValue, nil
			}
			if !left {
				if n >= 64 {
					return value.Num(0), nil
				}
				return value.Num(float64(x >> n)), nil
			}
			if x == 0 {
				return value.Num(0), nil
			}
			if n > 53 || x > bitMax>>n {
				return value.NullValue, nil
			}
			return value.Num(float64(x << n)), nil
		},
	}
}
