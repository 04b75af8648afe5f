package eval

import (
	"strconv"
	"time"

	"github.com/splharness/splharness/spl/timefmt"
	"github.com/splharness/splharness/spl/value"
)

// Date and time functions. Times are epoch seconds (possibly fractional)
// in Values; rendering and snapping use the Context's Location (UTC by
// default, docs/semantics.md, "Time").

// ExampleTime is the search start time (now()) that the registry's
// examples assume: 2024-01-02T03:04:05Z.
var ExampleTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func init() {
	Register(
		&Function{
			Name: "now", MinArgs: 0, MaxArgs: 0,
			Doc:     "Returns the time the search started, in epoch seconds (the same for every event).",
			Example: `now()`, Want: `Number(1704164645)`,
			Source: "docs/semantics.md, Time; " + srcTime,
			Call: func(c *Context, _ []value.Value) (value.Value, error) {
				return value.Num(float64(c.Now.Unix())), nil
			},
		},
		&Function{
			Name: "time", MinArgs: 0, MaxArgs: 0,
			Doc:     "Returns the wall-clock time when the event is evaluated, in epoch seconds with microseconds.",
			Example: `time() > 1704164645`, Want: `Boolean(true)`,
			Source: "docs/semantics-functions.md; " + srcTime,
			Call: func(*Context, []value.Value) (value.Value, error) {
				return value.Num(timefmt.TimeEpoch(time.Now().Truncate(time.Microsecond))), nil
			},
		},
		&Function{
			Name: "relative_time", MinArgs: 2, MaxArgs: 2,
			Doc:     `Applies a relative time modifier such as "-1d@d" to an epoch time.`,
			Example: `relative_time(1704164645, "-1d@d")`, Want: `Number(1704067200)`,
			Source: "docs/semantics-functions.md; " + srcTime,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				if fnAnyNull(a) {
					return value.NullValue, nil
				}
				t, ok := timeArg(c, a[0])
				if !ok {
					return value.NullValue, nil
				}
				r, err := timefmt.RelativeTime(t, a[1].First(), c.Location)
				if err != nil {
					return value.NullValue, err
				}
				return value.Num(timefmt.TimeEpoch(r)), nil
			},
		},
		&Function{
			Name: "strftime", MinArgs: 2, MaxArgs: 2,
			Doc:     "Renders an epoch time as text with time format variables (%Y-%m-%d %H:%M:%S …).",
			Example: `strftime(1704164645.25, "%Y-%m-%dT%H:%M:%S.%3N%z")`, Want: `"2024-01-02T03:04:05.250+0000"`,
			Source: "docs/semantics-functions.md; " + srcTime,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				if fnAnyNull(a) {
					return value.NullValue, nil
				}
				t, ok := timeArg(c, a[0])
				if !ok {
					return value.NullValue, nil
				}
				return value.Str(timefmt.Strftime(t, a[1].First())), nil
			},
		},
		&Function{
			Name: "strptime", MinArgs: 2, MaxArgs: 2,
			Doc:     "Parses text with time format variables into an epoch time; null if it does not match.",
			Example: `strptime("2024-01-02T03:04:05.250Z", "%Y-%m-%dT%H:%M:%S.%3N%Z")`, Want: `Number(1704164645.250000)`,
			Source: "docs/semantics-functions.md; " + srcTime,
			Call: func(c *Context, a []value.Value) (value.Value, error) {
				if fnAnyNull(a) {
					return value.NullValue, nil
				}
				t, ok := timefmt.Strptime(a[0].First(), a[1].First(), c.Location)
				if !ok {
					return value.NullValue, nil
				}
				// Splunk prints strptime's result with six decimals (Date and
				// time functions, strptime: 1534143600.000000).
				f := timefmt.TimeEpoch(t)
				return value.NumText(f, strconv.FormatFloat(f, 'f', 6, 64)), nil
			},
		},
	)
}

// timeArg reads an epoch-seconds argument as a time in the context's
// location.
func timeArg(c *Context, v value.Value) (time.Time, bool) {
	f, ok := v.Number()
	if !ok {
		return time.Time{}, false
	}
	return timefmt.EpochTime(f, c.Location)
}
