package eval

import (
	"testing"
	"time"

	"github.com/splharness/splharness/spl/value"
)

func TestTimeFunctions(t *testing.T) {
	ev := map[string]value.Value{"_time": value.Str("1704164645"), "eventTime": value.Str("2024-01-02T03:04:05Z")}
	fnRunCases(t, []fnCase{
		// now() is the search start, the same for every event (docs/semantics.md, "Time").
		{`now()`, nil, `Number(1704164645)`},
		{`relative_time(now(), "-1d@d")`, nil, `Number(1704067200)`},
		{`relative_time(now(), "@w1")`, nil, `Number(1704067200)`},
		// relative_time: fields are strings holding epochs (docs/semantics-functions.md, "Edge cases").
		{`relative_time(_time, "-1h")`, ev, `Number(1704161045)`},
		{`relative_time(1704164645.5, "+1s")`, nil, `Number(1704164646.5)`},
		{`relative_time(now(), "yesterday")`, nil, `null`},
		{`relative_time("abc", "-1d")`, nil, `null`},
		{`relative_time(missing, "-1d")`, nil, `null`},
		// strftime/strptime (docs/semantics-functions.md, "Edge cases"); the ESCU
		// ctime format (docs/semantics.md, "Macros").
		{`strftime(_time, "%Y-%m-%dT%H:%M:%S")`, ev, `"2024-01-02T03:04:05"`},
		{`strftime(_time, "%H:%M")`, ev, `"03:04"`},
		{`strftime(0, "%c")`, nil, `"Thu Jan  1 00:00:00 1970"`},
		{`strftime("abc", "%Y")`, nil, `null`},
		{`strftime(1e20, "%Y")`, nil, `null`},
		{`strftime(missing, "%Y")`, nil, `null`},
		{`strptime(eventTime, "%Y-%m-%dT%H:%M:%S%Z")`, ev, `Number(1704164645.000000)`},
		{`strptime("10:30", "%H:%M")`, nil, `Number(37800.000000)`},
		// Date and time functions, strptime: the result prints with six
		// decimals, and computes as the number.
		{`strptime("2018-08-13 07:00:00", "%Y-%m-%d %H:%M:%S")`, nil, `Number(1534143600.000000)`},
		{`strptime("2018-08-13 07:00:00", "%Y-%m-%d %H:%M:%S") + 1`, nil, `Number(1534143601)`},
		{`strptime("2018-08-13 07:00:00", "%Y-%m-%d %H:%M:%S") = 1534143600`, nil, `Boolean(true)`},
		// strptime failure is null (docs/semantics-functions.md, "Edge cases").
		{`strptime("garbage", "%Y-%m-%d")`, nil, `null`},
		{`strptime(missing, "%Y")`, nil, `null`},
		// comparing _time with relative_time(now(), …) as detections do (docs/semantics.md, "Time").
		{`_time >= relative_time(now(), "-1d@d")`, ev, `Boolean(true)`},
		// Date and Time functions: time() is the wall clock, later than the fixed now().
		{`time() > now()`, nil, `Boolean(true)`},
	})
}

// Rendering and snapping use the search's time zone (Context.Location).
func TestTimeFunctionsUseLocation(t *testing.T) {
	c := NewContext(ExampleTime)
	c.Location = time.FixedZone("EST", -5*3600)
	strftime, _ := Lookup("strftime")
	got, _ := strftime.Call(c, []value.Value{value.Num(1704164645), value.Str("%Y-%m-%d %H:%M %Z")})
	if got.GoString() != `"2024-01-01 22:04 EST"` {
		t.Errorf("strftime = %s", got.GoString())
	}
	rel, _ := Lookup("relative_time")
	got, _ = rel.Call(c, []value.Value{value.Num(1704164645), value.Str("@d")})
	if want := `Number(1704085200)`; got.GoString() != want {
		t.Errorf("relative_time @d = %s, want %s", got.GoString(), want)
	}
	strptime, _ := Lookup("strptime")
	got, _ = strptime.Call(c, []value.Value{value.Str("2024-01-01 22:04:05"), value.Str("%Y-%m-%d %H:%M:%S")})
	if got.GoString() != `Number(1704164645.000000)` {
		t.Errorf("strptime = %s", got.GoString())
	}
}

func BenchmarkStrftime(b *testing.B) {
	c := NewContext(ExampleTime)
	f, _ := Lookup("strftime")
	args := []value.Value{value.Str("1704164645"), value.Str("%Y-%m-%dT%H:%M:%S")}
	b.ReportAllocs()
	for b.Loop() {
		f.Call(c, args)
	}
}

func BenchmarkStrptime(b *testing.B) {
	c := NewContext(ExampleTime)
	f, _ := Lookup("strptime")
	args := []value.Value{value.Str("2024-01-02T03:04:05Z"), value.Str("%Y-%m-%dT%H:%M:%S%Z")}
	b.ReportAllocs()
	for b.Loop() {
		f.Call(c, args)
	}
}
