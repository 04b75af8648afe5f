package eval

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/splharness/splharness/spl/timefmt"
	"github.com/splharness/splharness/spl/value"
)

// Conversion functions: tonumber, tostring, printf.

func init() {
	Register(
		&Function{
			Name: "tonumber", MinArgs: 1, MaxArgs: 2,
			Doc:     "Converts a string to a number, in base 2 to 36 (default 10); null if it is not a number.",
			Example: `tonumber("0A4", 16)`, Want: `Number(164)`,
			Source: "docs/semantics-functions.md; " + srcConv,
			Call:   tonumberCall,
		},
		&Function{
			Name: "tostring", MinArgs: 1, MaxArgs: 2,
			Doc:     `Converts a value to a string; numbers take an optional format "binary", "hex", "commas" or "duration".`,
			Example: `tostring(1==1) . " " . tostring(15, "hex") . " " . tostring(12345.6789, "commas")`, Want: `"True 0xF 12,345.68"`,
			Source: "docs/semantics-functions.md; " + srcConv,
			Call:   tostringCall,
		},
		&Function{
			Name: "printf", MinArgs: 1, MaxArgs: -1,
			Doc:     "Formats the arguments like C sprintf (%d %i %u %o %x %X %f %F %e %E %g %G %a %A %c %s %%, aliases %z for %s and %p for %X, flags - + space # 0 ', width, precision, *).",
			Example: `printf("%05.2f|%x|%-4s|%'d", 3.14159, 255, "ab", 1234567)`, Want: `"03.14|ff|ab  |1,234,567"`,
			Source: srcConv,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				if a[0].IsNull() {
					return value.NullValue, nil
				}
				// A bound on the output before making it: each conversion
				// pads to at most maxPrintfWidth, or prints an argument.
				format := a[0].First()
				n := len(format) + strings.Count(format, "%")*(maxPrintfWidth+64)
				for _, v := range a[1:] {
					n += len(v.First())
				}
				if n > c.maxValueBytes() {
					return value.NullValue, c.tooLong("printf()", n)
				}
				return value.Str(Printf(format, a[1:])), nil
			},
		},
	)
}

func tonumberCall(_ *Context, a []value.Value) (value.Value, error) {
	if fnAnyNull(a) {
		return value.NullValue, nil
	}
	base := 10
	if len(a) == 2 {
		b, ok := fnInt(a[1])
		if !ok || b < 2 || b > 36 {
			return value.NullValue, errors.New("tonumber: base must be 2 to 36")
		}
		base = b
	}
	if base == 10 {
		if a[0].Kind() == value.Number {
			return a[0], nil
		}
		// Strict: " 42" is not a number for tonumber (Conversion functions,
		// tonumber), although a field value " 42" compares as one.
		if s := a[0].First(); s != strings.TrimSpace(s) {
			return value.NullValue, nil
		}
		if f, ok := value.ParseNumber(a[0].First()); ok {
			return value.Num(f), nil
		}
		return value.NullValue, nil
	}
	s := a[0].First()
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if base == 16 && len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return value.NullValue, nil
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil || n > 1<<53 {
		return value.NullValue, nil
	}
	f := float64(n)
	if neg {
		f = -f
	}
	return value.Num(f), nil
}

func tostringCall(_ *Context, a []value.Value) (value.Value, error) {
	v := a[0]
	if v.IsNull() {
		return value.NullValue, nil
	}
	if b, ok := v.Bool(); ok {
		// tostring(1==1) is "True" [SPL8212 searchbnf eval-function].
		if b {
			return value.Str("True"), nil
		}
		return value.Str("False"), nil
	}
	if len(a) == 1 || a[1].IsNull() {
		if v.Kind() == value.Number {
			return value.Str(v.String()), nil
		}
		return v, nil
	}
	f, ok := v.Number()
	if !ok {
		return v, nil
	}
	switch strings.ToLower(a[1].First()) {
	case "hex":
		return value.Str(fnFormatHex(f)), nil
	case "binary":
		return value.Str(fnFormatBinary(f)), nil
	case "commas":
		return value.Str(FormatCommas(f)), nil
	case "duration":
		return value.Str(timefmt.Duration(f)), nil
	}
	return value.Str(value.FormatNumber(f)), nil
}

// fnFormatHex renders the integer part as 0x followed by uppercase digits
// (tostring(15, "hex") is 0xF).
func fnFormatHex(f float64) string {
	n := int64(f)
	if n < 0 {
		return "-0x" + strings.ToUpper(strconv.FormatInt(-n, 16))
	}
	return "0x" + strings.ToUpper(strconv.FormatInt(n, 16))
}

// fnFormatBinary renders the integer part in base 2 without a prefix
// (Conversion functions, tostring: tostring(9, "binary") is 1001); a
// negative number keeps its sign.
func fnFormatBinary(f float64) string {
	n := printfInt(f)
	if n < 0 {
		return "-" + strconv.FormatUint(uint64(-n), 2)
	}
	return strconv.FormatInt(n, 2)
}

// FormatCommas renders a number with thousands separators; a number with a
// fractional part is rounded to two decimals (12345.6789 → 12,345.68).
func FormatCommas(f float64) string {
	var s string
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		s = strconv.FormatInt(int64(f), 10)
	} else {
		s = strconv.FormatFloat(roundHalfAway(f, 2), 'f', 2, 64)
	}
	return groupThousands(s)
}

// groupThousands inserts commas into the integer digits of a formatted
// number (sign and fraction kept).
func groupThousands(s string) string {
	start := 0
	if start < len(s) && (s[0] == '-' || s[0] == '+' || s[0] == ' ') {
		start = 1
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := end - start
	if digits <= 3 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + digits/3)
	b.WriteString(s[:start])
	for i := start; i < end; i++ {
		if i > start && (end-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	b.WriteString(s[end:])
	return b.String()
}

// Printf formats args like C's sprintf, as Splunk's printf() does
// (Splunk docs: Conversion functions, printf). Numeric conversions of
// values that are not numbers use 0; %s of a number uses its eval
// rendering; missing or null arguments render as empty strings (and 0 for
// numeric conversions). Unknown conversions are copied as written.
func Printf(format string, args []value.Value) string {
	var b strings.Builder
	b.Grow(len(format) + 8*len(args))
	next := 0
	arg := func() (value.Value, bool) {
		if next >= len(args) {
			return value.NullValue, false
		}
		next++
		return args[next-1], true
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		var flags []byte
		grouping := false
		for i < len(format) && strings.IndexByte("-+ #0'", format[i]) >= 0 {
			if format[i] == '\'' {
				grouping = true
			} else {
				flags = append(flags, format[i])
			}
			i++
		}
		width, prec := -1, -1
		if i < len(format) && format[i] == '*' {
			v, _ := arg()
			if n, ok := fnInt(v); ok {
				if n < 0 {
					flags = append(flags, '-')
					n = -n
				}
				width = n
			}
			i++
		} else {
			width, i = printfNumber(format, i)
		}
		if i < len(format) && format[i] == '.' {
			i++
			if i < len(format) && format[i] == '*' {
				v, _ := arg()
				if n, ok := fnInt(v); ok && n >= 0 {
					prec = n
				}
				i++
			} else if prec, i = printfNumber(format, i); prec < 0 {
				prec = 0
			}
		}
		// Length modifiers mean nothing for eval values; z is the %z
		// conversion when nothing follows it that it could modify.
		for i < len(format) && strings.IndexByte("hlLqjzt", format[i]) >= 0 {
			if format[i] == 'z' && (i+1 >= len(format) || strings.IndexByte("diuoxXn", format[i+1]) < 0) {
				break
			}
			i++
		}
		if i >= len(format) {
			b.WriteString(format[start:])
			break
		}
		conv := format[i]
		// Aliases of the Conversion functions page's printf table: %z is
		// %s, %p is %X.
		switch conv {
		case 'z':
			conv = 's'
		case 'p':
			conv = 'X'
		}
		switch conv {
		case '%':
			b.WriteByte('%')
			continue
		case 'd', 'i', 'u', 'o', 'x', 'X', 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A', 'c', 's':
		default:
			b.WriteString(format[start : i+1])
			continue
		}
		v, _ := arg()
		b.WriteString(printfOne(conv, string(flags), grouping, width, prec, v))
	}
	return b.String()
}

// printfNumber reads an optional decimal at i (capped, so a huge width
// cannot exhaust memory); -1 if there is none.
func printfNumber(s string, i int) (int, int) {
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return -1, i
	}
	n := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n < maxPrintfWidth {
			n = n*10 + int(s[i]-'0')
		}
		i++
	}
	if n > maxPrintfWidth {
		n = maxPrintfWidth
	}
	return n, i
}

// maxPrintfWidth caps widths and precisions: Splunk values are at most a
// few kilobytes, and an untrusted "%999999999d" must not allocate a
// gigabyte.
const maxPrintfWidth = 10000

func printfOne(conv byte, flags string, grouping bool, width, prec int, v value.Value) string {
	if width > maxPrintfWidth {
		width = maxPrintfWidth
	}
	if prec > maxPrintfWidth {
		prec = maxPrintfWidth
	}
	spec := make([]byte, 0, 16)
	spec = append(spec, '%')
	spec = append(spec, flags...)
	if width >= 0 && !grouping {
		spec = strconv.AppendInt(spec, int64(width), 10)
	}
	if prec >= 0 {
		spec = append(spec, '.')
		spec = strconv.AppendInt(spec, int64(prec), 10)
	}
	var out string
	switch conv {
	case 's':
		return fmt.Sprintf(string(append(spec, 's')), v.String())
	case 'c':
		r := rune(0)
		if v.Kind() == value.Number {
			n, _ := v.Number()
			r = rune(int32(n))
		} else if s := v.First(); s != "" {
			r, _ = utf8.DecodeRuneInString(s)
		}
		if r == 0 {
			return fmt.Sprintf(string(append(spec, 's')), "")
		}
		return fmt.Sprintf(string(append(spec, 'c')), r)
	case 'd', 'i':
		f, _ := v.Number()
		n := printfInt(f)
		out = fmt.Sprintf(string(append(spec, 'd')), n)
	case 'u', 'o', 'x', 'X':
		f, _ := v.Number()
		n := uint64(printfInt(f))
		verb := conv
		if verb == 'u' {
			verb = 'd'
		}
		out = fmt.Sprintf(string(append(spec, verb)), n)
	case 'f', 'F', 'e', 'E', 'g', 'G':
		f, _ := v.Number()
		verb := conv
		if verb == 'F' {
			verb = 'f'
		}
		if (verb == 'g' || verb == 'G') && prec < 0 {
			// C's default precision is 6; Go's %g default is the shortest.
			spec = append(spec, ".6"...)
		}
		out = fmt.Sprintf(string(append(spec, verb)), f)
	case 'a', 'A':
		f, _ := v.Number()
		return printfPad(hexFloat(f, prec, conv == 'A', strings.Contains(flags, "+")), flags, width)
	}
	if grouping {
		out = groupThousands(out)
		if width >= 0 {
			out = printfPad(out, flags, width)
		}
	}
	return out
}

// printfInt truncates toward zero and saturates at the int64 range.
func printfInt(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 1<<63:
		return math.MaxInt64
	case f < -(1 << 63):
		return math.MinInt64
	}
	return int64(f)
}

// printfPad pads s to width with spaces, on the right for the - flag.
func printfPad(s, flags string, width int) string {
	n := utf8.RuneCountInString(s)
	if width <= n {
		return s
	}
	pad := strings.Repeat(" ", width-n)
	if strings.Contains(flags, "-") {
		return s + pad
	}
	return pad + s
}

// hexFloat renders %a as C does: 0x1.922p+1 (Go writes p+01).
func hexFloat(f float64, prec int, upper, plus bool) string {
	s := strconv.FormatFloat(f, 'x', prec, 64)
	if p := strings.LastIndexByte(s, 'p'); p >= 0 && p+2 < len(s) {
		exp := strings.TrimLeft(s[p+2:], "0")
		if exp == "" {
			exp = "0"
		}
		s = s[:p+2] + exp
	}
	if plus && f >= 0 {
		s = "+" + s
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

func init() {
	Register(
		&Function{
			Name: "toint", MinArgs: 1, MaxArgs: 1,
			Doc:     "Converts a number, or a string that reads as one, to an integer by dropping the fraction (toward zero); null otherwise.",
			Example: `toint("-3.75")`, Want: `Number(-3)`,
			Source: "docs/semantics-functions.md; " + srcConv,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() == value.Bool {
					return value.NullValue, nil
				}
				x, ok := a[0].Number()
				if !ok {
					return value.NullValue, nil
				}
				return fnNumber(math.Trunc(x)), nil
			},
		},
		&Function{
			Name: "tobool", MinArgs: 1, MaxArgs: 1, Boolean: true,
			Doc:     `Converts to a boolean: a boolean as is, a number (or numeric string) is true unless 0, "true" and "false" in any case; null otherwise.`,
			Example: `tobool("TRUE")`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcConv,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				v := a[0]
				switch v.Kind() {
				case value.Bool:
					return v, nil
				case value.Null, value.Multi:
					return value.NullValue, nil
				}
				if x, ok := v.Number(); ok {
					return value.Boolean(x != 0), nil
				}
				switch strings.ToLower(strings.TrimSpace(v.String())) {
				case "true":
					return value.Boolean(true), nil
				case "false":
					return value.Boolean(false), nil
				}
				return value.NullValue, nil
			},
		},
		&Function{
			Name: "ipmask", MinArgs: 2, MaxArgs: 2,
			Doc:     "Masks an IPv4 address with an IPv4 mask by a bitwise AND of each octet; null unless both are IPv4 addresses.",
			Example: `ipmask("255.255.255.0", "10.20.30.120")`, Want: `"10.20.30.0"`,
			Source: "docs/semantics-functions.md; " + srcConv,
			Call: func(_ *Context, a []value.Value) (value.Value, error) {
				if a[0].Kind() != value.String {
					return value.NullValue, nil
				}
				mask, err := netip.ParseAddr(strings.TrimSpace(a[0].String()))
				if err != nil || !mask.Is4() {
					return value.NullValue, nil
				}
				m := mask.As4()
				var one [1]string
				var out []string
				for _, s := range fnStrings(a[1], &one) {
					ip, err := netip.ParseAddr(strings.TrimSpace(s))
					if err != nil || !ip.Is4() {
						continue
					}
					b := ip.As4()
					for i := range b {
						b[i] &= m[i]
					}
					out = append(out, netip.AddrFrom4(b).String())
				}
				return value.MV(out), nil
			},
		},
	)
}
