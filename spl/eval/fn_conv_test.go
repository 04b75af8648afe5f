package eval

import (
	"testing"

	"github.com/splharness/splharness/spl/value"
)

func TestConversionFunctions(t *testing.T) {
	fnRunCases(t, []fnCase{
		// tonumber: base 2-36, non-numbers null (docs/semantics-functions.md, "Edge cases").
		{`tonumber("42")`, nil, `Number(42)`},
		{`tonumber("-1.5e2")`, nil, `Number(-150)`},
		// Conversion functions, tonumber: strict, surrounding spaces give null.
		{`tonumber(" 42")`, nil, `null`},
		{`tonumber("42 ")`, nil, `null`},
		{`tonumber(" ff", 16)`, nil, `null`},
		{`tonumber("0A4", 16)`, nil, `Number(164)`},
		{`tonumber("abc")`, nil, `null`},
		{`tonumber("")`, nil, `null`},
		{`tonumber("ff", 16)`, nil, `Number(255)`},
		{`tonumber("0xff", 16)`, nil, `Number(255)`},
		{`tonumber("-101", 2)`, nil, `Number(-5)`},
		{`tonumber("z", 36)`, nil, `Number(35)`},
		{`tonumber("12", 2)`, nil, `null`},
		{`tonumber("1.5", 16)`, nil, `null`},
		{`tonumber("10", 37)`, nil, `null`},
		{`tonumber("10", 1)`, nil, `null`},
		{`tonumber(missing)`, nil, `null`},
		{`tonumber(7)`, nil, `Number(7)`},
		// tostring: booleans are True/False (searchbnf example; docs/semantics-functions.md, "Edge cases").
		{`tostring(1==2)`, nil, `"False"`},
		{`tostring(3.50)`, nil, `"3.5"`},
		{`tostring("abc")`, nil, `"abc"`},
		{`tostring(missing)`, nil, `null`},
		// Conversion functions: "hex", "commas", "duration".
		{`tostring(255, "hex")`, nil, `"0xFF"`},
		{`tostring("255", "hex")`, nil, `"0xFF"`},
		{`tostring(0, "hex")`, nil, `"0x0"`},
		// Conversion functions, tostring: "binary", "hex", "commas".
		{`tostring(9, "binary")`, nil, `"1001"`},
		{`tostring(0, "binary")`, nil, `"0"`},
		{`tostring(-5, "binary")`, nil, `"-101"`},
		{`tostring(9.9, "binary")`, nil, `"1001"`},
		{`tostring(1==1) . " " . tostring(15, "hex") . " " . tostring(12345.6789, "commas")`, nil, `"True 0xF 12,345.68"`},
		{`tostring(1234567, "commas")`, nil, `"1,234,567"`},
		{`tostring(-1234.5, "commas")`, nil, `"-1,234.50"`},
		{`tostring(999, "commas")`, nil, `"999"`},
		{`tostring(0.005, "commas")`, nil, `"0.01"`},
		{`tostring(615, "duration")`, nil, `"00:10:15"`},
		{`tostring(86400 + 3723, "duration")`, nil, `"1+01:02:03"`},
		{`tostring(0, "duration")`, nil, `"00:00:00"`},
		{`tostring(1.5, "duration")`, nil, `"00:00:01.500000"`},
		{`tostring(-61, "duration")`, nil, `"-00:01:01"`},
		{`tostring("abc", "hex")`, nil, `"abc"`},
		// Conversion functions: printf, examples of the Splunk page.
		{`printf("%d,%i,%d", -2, +4, 30)`, nil, `"-2,4,30"`},
		{`printf("%c,%c", 65, "Foo")`, nil, `"A,F"`},
		{`printf("%.3A", pi())`, nil, `"0X1.922P+1"`},
		{`printf("%e", 5/3)`, nil, `"1.666667e+00"`},
		{`printf("%o", 8)`, nil, `"10"`},
		{`printf("%s%s", "foo", "bar")`, nil, `"foobar"`},
		// Conversion functions, printf: aliases %z of %s and %p of %X.
		{`printf("%s%z", "foo", "bar")`, nil, `"foobar"`},
		{`printf("%z", 2.5)`, nil, `"2.5"`},
		{`printf("%p,%x,%X", 255, 255, 255)`, nil, `"FF,ff,FF"`},
		{`printf("%5p|%-5z|", 10, "ab")`, nil, `"    A|ab   |"`},
		{`printf("%zd", 7)`, nil, `"7"`},
		{`printf("%x,%X,%#x", 255, 255, 255)`, nil, `"ff,FF,0xff"`},
		{`printf("%'d", 12345)`, nil, `"12,345"`},
		{`printf("%'.2f", 1234567.891)`, nil, `"1,234,567.89"`},
		{`printf("%u", -1)`, nil, `"18446744073709551615"`},
		// C printf rules: flags, width, precision, * arguments.
		{`printf("[%5d|%-5d|%05d|%+d|% d]", 42, 42, 42, 42, 42)`, nil, `"[   42|42   |00042|+42| 42]"`},
		{`printf("[%*d|%.*f]", 4, 7, 2, 3.14159)`, nil, `"[   7|3.14]"`},
		{`printf("%.2s", "abcdef")`, nil, `"ab"`},
		{`printf("%g %g %g", 100000, 1000000, 0.0001)`, nil, `"100000 1e+06 0.0001"`},
		{`printf("%f", 1.5)`, nil, `"1.500000"`},
		{`printf("%d", 3.99)`, nil, `"3"`},
		{`printf("%s", 2.50)`, nil, `"2.5"`},
		{`printf("%d%%", 50)`, nil, `"50%"`},
		{`printf("%d", "abc")`, nil, `"0"`},
		{`printf("%s|%s", "a")`, nil, `"a|"`},
		{`printf("%q %", 1)`, nil, `"%q %"`},
		{`printf("%ld", 5)`, nil, `"5"`},
		{`printf(missing, 1)`, nil, `null`},
		{`printf("%s", missing)`, nil, `""`},
		{`printf("no args")`, nil, `"no args"`},
	})
}

func TestPrintfHugeWidthIsCapped(t *testing.T) {
	got := Printf("%999999999d", []value.Value{value.Num(1)})
	if len(got) != maxPrintfWidth {
		t.Errorf("len = %d, want %d", len(got), maxPrintfWidth)
	}
}

func TestFormatCommas(t *testing.T) {
	for f, want := range map[float64]string{12345.6789: "12,345.68", -999999: "-999,999", 1e6: "1,000,000"} {
		if got := FormatCommas(f); got != want {
			t.Errorf("FormatCommas(%v) = %q, want %q", f, got, want)
		}
	}
}
