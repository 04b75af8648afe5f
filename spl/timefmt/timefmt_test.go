package timefmt

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// tfBase is Tuesday 2024-01-02 03:04:05.123456789 UTC.
var tfBase = time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC)

func TestStrftime(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	pm := time.Date(2024, 7, 4, 15, 0, 9, 0, time.UTC)
	midnight := time.Date(2024, 7, 4, 0, 30, 0, 0, time.UTC)
	cases := []struct {
		t      time.Time
		format string
		want   string
	}{
		// D-timevars: date and time variables.
		{tfBase, "%Y-%m-%d %H:%M:%S", "2024-01-02 03:04:05"},
		{tfBase, "%y|%e|%k|%l|%I|%p", "24| 2| 3| 3|03|AM"},
		{tfBase, "%a %A %b %B %h", "Tue Tuesday Jan January Jan"},
		{tfBase, "%j %U %V %u %w %G %g %C", "002 00 01 2 2 2024 24 20"},
		{tfBase, "%s", "1704164645"},
		// D-timevars: subseconds are truncated, %N defaults to 9 digits, %Q to 3.
		{tfBase, "%3N %6N %9N %N %Q %6Q %f", "123 123456 123456789 123456789 123 123456 123456"},
		{tfBase, "%z %:z %::z %Z %Ez", "+0000 +00:00 +00:00:00 UTC 0"},
		{tfBase, "%T|%F|%D|%R|%r", "03:04:05|2024-01-02|01/02/24|03:04|03:04:05 AM"},
		// D-timevars: %c and %+ in the POSIX locale.
		{tfBase, "%c", "Tue Jan  2 03:04:05 2024"},
		{tfBase, "%x %X", "01/02/24 03:04:05"},
		{tfBase, "%+", "Tue Jan  2 03:04:05 UTC 2024"},
		// Unknown variables and a lone % are copied as written.
		{tfBase, "100%% %q %5z %", "100% %q %5z %"},
		{tfBase, "%n%t", "\n\t"},
		{tfBase.In(est), "%Y-%m-%d %H %z %:z %Z %Ez", "2024-01-01 22 -0500 -05:00 EST -300"},
		{pm, "%I:%M:%S %p %l", "03:00:09 PM  3"},
		{midnight, "%I %p %H", "12 AM 00"},
		// convert ctime's default format (docs/semantics.md, "Commands").
		{tfBase, "%m/%d/%Y %H:%M:%S", "01/02/2024 03:04:05"},
		{time.Date(5, 3, 1, 0, 0, 0, 0, time.UTC), "%Y", "0005"},
	}
	for _, c := range cases {
		if got := Strftime(c.t, c.format); got != c.want {
			t.Errorf("Strftime(%v, %q) = %q, want %q", c.t, c.format, got, c.want)
		}
	}
}

func TestStrptime(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	cases := []struct {
		s, format string
		loc       *time.Location
		want      float64
		ok        bool
	}{
		// CloudTrail eventTime with the TA's TIME_FORMAT (docs/semantics-events.md, "The aws:cloudtrail index-time settings").
		{"2024-01-02T03:04:05Z", "%Y-%m-%dT%H:%M:%S%Z", nil, 1704164645, true},
		{"2024-01-02 03:04:05.250", "%Y-%m-%d %H:%M:%S.%3N", nil, 1704164645.25, true},
		{"2024-01-02 03:04:05.123456", "%Y-%m-%d %H:%M:%S.%N", nil, 1704164645.123456, true},
		// the absolute earliest/latest format (docs/semantics.md, "Time").
		{"01/02/2024:03:04:05", "%m/%d/%Y:%H:%M:%S", nil, 1704164645, true},
		// D-timevars: leading zeros are accepted but not required.
		{"1/2/2024 3:4:5", "%m/%d/%Y %H:%M:%S", nil, 1704164645, true},
		{"Tue Jan  2 03:04:05 2024", "%c", nil, 1704164645, true},
		{"tuesday, JANUARY 2, 2024", "%A, %B %e, %Y", nil, 1704153600, true},
		{"2024-01-02", "%F", nil, 1704153600, true},
		// Zones: offsets, Z, names.
		{"2024-01-02T03:04:05+05:30", "%Y-%m-%dT%H:%M:%S%z", nil, 1704164645 - 5.5*3600, true},
		{"2024-01-02 03:04:05 -0500", "%Y-%m-%d %H:%M:%S %z", nil, 1704164645 + 5*3600, true},
		{"2024-01-02 03:04:05 EST", "%Y-%m-%d %H:%M:%S %Z", nil, 1704164645 + 5*3600, true},
		{"2024-01-02 03:04:05 GMT+01:00", "%Y-%m-%d %H:%M:%S %Z", nil, 1704164645 - 3600, true},
		{"2024-01-02 03:04:05 UTC", "%Y-%m-%d %H:%M:%S %Z", plus1, 1704164645, true},
		{"2024-01-02 03:04:05 +60", "%Y-%m-%d %H:%M:%S %Ez", nil, 1704164645 - 3600, true},
		// Without a zone the location given applies.
		{"2024-01-02 03:04:05", "%Y-%m-%d %H:%M:%S", plus1, 1704164645 - 3600, true},
		// Missing date fields default to 1970-01-01.
		{"03:04 PM", "%I:%M %p", nil, 15*3600 + 4*60, true},
		{"12:00 am", "%I:%M %p", nil, 0, true},
		{"12:00 PM", "%I:%M %p", nil, 12 * 3600, true},
		{"1704164645", "%s", nil, 1704164645, true},
		{"1704164645.123", "%s.%3N", nil, 1704164645.123, true},
		{"-60", "%s", nil, -60, true},
		{"24-01-02", "%y-%m-%d", nil, 1704153600, true},
		{"70-01-01", "%y-%m-%d", nil, 0, true},
		{"2024 032", "%Y %j", nil, 1706745600, true},
		{"20240102030405", "%Y%m%d%H%M%S", nil, 1704164645, true},
		// White space in the format matches any run of white space.
		{"2024-01-02    03:04", "%Y-%m-%d %H:%M", nil, 1704164640, true},
		{"2024-01-0203:04", "%Y-%m-%d %H:%M", nil, 1704164640, true},
		// Text after the format is ignored (C strptime).
		{"2024-01-02T03:04:05Z trailing", "%Y-%m-%dT%H:%M:%S", nil, 1704164645, true},
		{"100%", "%s%%", nil, 100, true},
		// Failures.
		{"2024-13-01", "%Y-%m-%d", nil, 0, false},
		{"2024-00-01", "%Y-%m-%d", nil, 0, false},
		{"2024-01-32", "%Y-%m-%d", nil, 0, false},
		{"2024-01-02", "%Y/%m/%d", nil, 0, false},
		{"25:00", "%H:%M", nil, 0, false},
		{"13:00 PM", "%I:%M %p", nil, 0, false},
		{"", "%Y", nil, 0, false},
		{"abc", "%Y", nil, 0, false},
		{"2024-01-02 03:04:05 XYZ", "%Y-%m-%d %H:%M:%S %Z", nil, 0, false},
		{"2024-01-02 03:04:05 Mars/Olympus", "%Y-%m-%d %H:%M:%S %Z", nil, 0, false},
		{"2024", "%Y %", nil, 0, false},
		{"x", "%Q", nil, 0, false},
	}
	for _, c := range cases {
		got, ok := Strptime(c.s, c.format, c.loc)
		if ok != c.ok {
			t.Errorf("Strptime(%q, %q) ok = %v, want %v", c.s, c.format, ok, c.ok)
			continue
		}
		if ok && TimeEpoch(got) != c.want {
			t.Errorf("Strptime(%q, %q) = %v (%v), want %v", c.s, c.format, TimeEpoch(got), got, c.want)
		}
	}
}

func TestStrptimeIANAZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	got, ok := Strptime("2024-07-01 12:00:00 America/New_York", "%Y-%m-%d %H:%M:%S %Z", nil)
	want := time.Date(2024, 7, 1, 12, 0, 0, 0, ny)
	if !ok || !got.Equal(want) {
		t.Errorf("got %v %v, want %v", got, ok, want)
	}
}

// Formatting then parsing with the same format gives the time back.
func TestStrftimeStrptimeRoundTrip(t *testing.T) {
	formats := []struct {
		format string
		unit   time.Duration // precision of the format
		utc    bool          // %Z names only UTC reliably
	}{
		{"%Y-%m-%dT%H:%M:%S.%9N%z", time.Nanosecond, false},
		{"%Y-%m-%d %H:%M:%S.%6N %:z", time.Microsecond, false},
		{"%a %b %e %H:%M:%S.%3N %Y %Z", time.Millisecond, true},
		{"%s.%9N", time.Nanosecond, false},
		{"%Y%m%d%H%M%S%9N", time.Nanosecond, false},
		{"%A %d %B %Y %I:%M:%S.%N %p", time.Nanosecond, false},
	}
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -8*3600)}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		sec := r.Int64N(4102444800) // 1970 to 2100
		f := formats[i%len(formats)]
		tm := time.Unix(sec, r.Int64N(1e9)).In(zones[i%len(zones)]).Truncate(f.unit)
		if f.utc {
			tm = tm.In(time.UTC)
		}
		format := f.format
		text := Strftime(tm, format)
		back, ok := Strptime(text, format, tm.Location())
		if !ok || !back.Equal(tm) {
			t.Fatalf("round trip of %v with %q: %q gave %v %v", tm, format, text, back, ok)
		}
	}
}

func TestEpochConversions(t *testing.T) {
	for _, f := range []float64{0, 1704164645, 1704164645.25, -1.5, 1e11} {
		tm, ok := EpochTime(f, nil)
		if !ok || TimeEpoch(tm) != f {
			t.Errorf("EpochTime(%v) round trip = %v %v", f, TimeEpoch(tm), ok)
		}
	}
	for _, f := range []float64{1e13, -1e13} {
		if _, ok := EpochTime(f, nil); ok {
			t.Errorf("EpochTime(%v) accepted", f)
		}
	}
}

func TestRelativeTime(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	base := at("2024-01-02T03:04:05.5Z") // a Tuesday
	est := time.FixedZone("EST", -5*3600)
	cases := []struct {
		base time.Time
		spec string
		loc  *time.Location
		want string
	}{
		// Search Manual "Specify time modifiers": now, offsets, snaps.
		{base, "now", nil, "2024-01-02T03:04:05.5Z"},
		{base, "", nil, "2024-01-02T03:04:05.5Z"},
		{base, "-1d@d", nil, "2024-01-01T00:00:00Z"},
		{base, "+2h", nil, "2024-01-02T05:04:05.5Z"},
		{base, "-30m@h", nil, "2024-01-02T02:00:00Z"},
		{base, "-h", nil, "2024-01-02T02:04:05.5Z"},
		{base, "-60s", nil, "2024-01-02T03:03:05.5Z"},
		{base, "-5min", nil, "2024-01-02T02:59:05.5Z"},
		{base, "-2hours", nil, "2024-01-02T01:04:05.5Z"},
		{base, "-3days", nil, "2023-12-30T03:04:05.5Z"},
		{base, "+1week", nil, "2024-01-09T03:04:05.5Z"},
		{base, "-1mon", nil, "2023-12-02T03:04:05.5Z"},
		{base, "-1qtr", nil, "2023-10-02T03:04:05.5Z"},
		{base, "-1y", nil, "2023-01-02T03:04:05.5Z"},
		{base, "+1yrs", nil, "2025-01-02T03:04:05.5Z"},
		{base, "@s", nil, "2024-01-02T03:04:05Z"},
		{base, "@m", nil, "2024-01-02T03:04:00Z"},
		{base, "@h", nil, "2024-01-02T03:00:00Z"},
		{base, "@d", nil, "2024-01-02T00:00:00Z"},
		// Week snaps: @w0 and @w7 are Sunday; @w is @w0; the current day counts.
		{base, "@w", nil, "2023-12-31T00:00:00Z"},
		{base, "@w0", nil, "2023-12-31T00:00:00Z"},
		{base, "@w7", nil, "2023-12-31T00:00:00Z"},
		{base, "@w1", nil, "2024-01-01T00:00:00Z"},
		{base, "@w2", nil, "2024-01-02T00:00:00Z"},
		{base, "@w3", nil, "2023-12-27T00:00:00Z"},
		{base, "@mon", nil, "2024-01-01T00:00:00Z"},
		{base, "-1mon@mon", nil, "2023-12-01T00:00:00Z"},
		{at("2024-05-20T10:00:00Z"), "@q", nil, "2024-04-01T00:00:00Z"},
		{at("2024-12-31T23:59:59Z"), "@qtr", nil, "2024-10-01T00:00:00Z"},
		{base, "@y", nil, "2024-01-01T00:00:00Z"},
		// Chained modifiers: offsets after a snap.
		{base, "@d+3h", nil, "2024-01-02T03:00:00Z"},
		{base, "-1d@d-1h", nil, "2023-12-31T23:00:00Z"},
		{base, " -1d@d ", nil, "2024-01-01T00:00:00Z"},
		// Snaps follow the wall clock of the location.
		{base, "@d", est, "2024-01-01T00:00:00-05:00"},
		{base, "-1d@d", est, "2023-12-31T00:00:00-05:00"},
		// Month arithmetic normalizes like C mktime: Feb 31 is Mar 2 (2024).
		{at("2024-03-31T12:00:00Z"), "-1mon", nil, "2024-03-02T12:00:00Z"},
	}
	for _, c := range cases {
		got, err := RelativeTime(c.base, c.spec, c.loc)
		if err != nil {
			t.Errorf("RelativeTime(%v, %q): %v", c.base, c.spec, err)
			continue
		}
		if want := at(c.want); !got.Equal(want) {
			t.Errorf("RelativeTime(%v, %q) = %v, want %v", c.base, c.spec, got, want)
		}
	}
	for _, spec := range []string{"1d", "-1x", "@x", "-", "@", "d", "-1d@", "@w8", "-99999999999d", "+-1d", "-1d @d", "now-1d"} {
		if got, err := RelativeTime(base, spec, nil); !errors.Is(err, ErrRelativeTime) {
			t.Errorf("RelativeTime(%q) = %v, %v; want an ErrRelativeTime", spec, got, err)
		}
	}
}

func FuzzStrptime(f *testing.F) {
	seeds := [][2]string{
		{"2024-01-02T03:04:05Z", "%Y-%m-%dT%H:%M:%S%Z"},
		{"01/02/2024:03:04:05", "%m/%d/%Y:%H:%M:%S"},
		{"Tue Jan  2 03:04:05 2024", "%c"},
		{"1704164645.123", "%s.%3N"},
		{"2024-01-02 03:04:05 America/New_York", "%F %T %Z"},
		{"12:00 PM +05:30", "%I:%M %p %:z"},
		{"2024 366", "%Y %j"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, format string) {
		tm, ok := Strptime(s, format, time.UTC)
		if ok {
			_ = Strftime(tm, format)
			_ = TimeEpoch(tm)
		}
	})
}

func FuzzRelativeTime(f *testing.F) {
	for _, s := range []string{"-1d@d", "+2h", "@w0", "-30m@h", "now", "@d+3h-5m", "-999999999y", "@q", "-1mon@mon"} {
		f.Add(s, int64(1704164645))
	}
	f.Fuzz(func(t *testing.T, spec string, sec int64) {
		base := time.Unix(sec%(1<<40), 0)
		got, err := RelativeTime(base, spec, time.UTC)
		if err == nil {
			_ = Strftime(got, "%c %z")
		}
	})
}

func TestDuration(t *testing.T) {
	for f, want := range map[float64]string{59.9999999: "00:01:00", 3 * 86400: "3+00:00:00", 0.000001: "00:00:00.000001"} {
		if got := Duration(f); got != want {
			t.Errorf("Duration(%v) = %q, want %q", f, got, want)
		}
	}
}
