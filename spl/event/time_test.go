package event

import (
	"fmt"
	"testing"
	"time"
)

// TestUTCSeconds: the fast reading of CloudTrail's timestamp form agrees
// with time.Parse and stampLayouts' first layout wherever it answers, and
// answers for every valid date and time of that form: each day of years
// around leap-year edges, every hour, minute and second, and digits out
// of range.
func TestUTCSeconds(t *testing.T) {
	check := func(s string) { utcSecondsAgrees(t, s) }
	for _, year := range []int{0, 1, 4, 99, 100, 399, 400, 401, 1600, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				check(fmt.Sprintf("%04d-%02d-%02dT12:34:56Z", year, month, day))
			}
		}
	}
	for h := 0; h < 100; h++ {
		check(fmt.Sprintf("2023-10-15T%02d:%02d:%02dZ", h, h%61, (h*7)%61))
		check(fmt.Sprintf("2023-10-15T23:%02d:%02dZ", h, 99-h))
	}
	for _, s := range []string{"2023-10-15T08:49:49z", "2023-10-15t08:49:49Z", "2023-10-15 08:49:49Z", "2023-10-15T08:49:4Z",
		"2023-1a-15T08:49:49Z", "+023-10-15T08:49:49Z", "2023-10-15T08:49:49.5Z", "2023-10-15T08:49:49+00:00", "-023-10-15T08:49:49Z"} {
		check(s)
	}
}

// utcSecondsAgrees checks utcSeconds against time.Parse with
// stampLayouts' first layout, which parseStamp would try first: the same
// time wherever utcSeconds answers, and an answer for every string of
// its form that time.Parse reads.
func utcSecondsAgrees(t *testing.T, s string) {
	t.Helper()
	got, ok := utcSeconds(s)
	tm, err := time.Parse(stampLayouts[0], s)
	if !ok {
		if err == nil && len(s) == 20 && s[10] == 'T' && s[19] == 'Z' {
			t.Fatalf("%q: time.Parse reads it, utcSeconds does not", s)
		}
		return
	}
	if err != nil {
		t.Fatalf("%q: utcSeconds read %v, time.Parse fails: %v", s, got, err)
	}
	if _, off := tm.Zone(); off != 0 {
		t.Fatalf("%q: time.Parse reads zone offset %d", s, off)
	}
	if want := float64(tm.Unix()) + float64(tm.Nanosecond())/1e9; got != want {
		t.Fatalf("%q: utcSeconds %v, time.Parse %v", s, got, want)
	}
}

func FuzzUTCSeconds(f *testing.F) {
	for _, s := range []string{"2023-10-15T08:49:49Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2023-10-15T24:00:00Z", "2023-10-15T08:49:60Z", "2023-10-15T08:49:49.123Z"} {
		f.Add(s)
	}
	f.Fuzz(utcSecondsAgrees)
}

// FuzzDayCache: dayCache gives utcSeconds' answer for a timestamp after
// any other, of the same day or not.
func FuzzDayCache(f *testing.F) {
	f.Add("2023-10-15T08:49:49Z", "2023-10-15T23:59:59Z")
	f.Add("2023-10-15T08:49:49Z", "2023-10-15T24:00:00Z")
	f.Add("2023-10-15T08:49:49Z", "2023-10-15T08:49:4aZ")
	f.Add("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.5Z")
	f.Add("2023-10-15T08:49:49Z", "2023-10-16T00:00:00Z")
	f.Fuzz(dayCacheAgrees)
}

func dayCacheAgrees(t *testing.T, before, s string) {
	t.Helper()
	var c dayCache
	c.utcSeconds(before)
	got, gotOK := c.utcSeconds(s)
	want, wantOK := utcSeconds(s)
	if got != want || gotOK != wantOK {
		t.Fatalf("after %q, %q: dayCache %v %v, utcSeconds %v %v", before, s, got, gotOK, want, wantOK)
	}
}

// TestDayCache: every time of day, in range or not, after a timestamp of
// the same day and of others.
func TestDayCache(t *testing.T) {
	for _, before := range []string{"2024-02-29T12:00:00Z", "2024-02-28T12:00:00Z", "2024-02-29T12:00:00.5Z", "x"} {
		for h := 0; h < 100; h += 3 {
			for m := 0; m < 100; m += 7 {
				dayCacheAgrees(t, before, fmt.Sprintf("2024-02-29T%02d:%02d:%02dZ", h, m, (h+m)%100))
			}
		}
		for _, s := range []string{"2024-02-29T0a:00:00Z", "2024-02-29T00:/0:00Z", "2024-02-29T00:00:00z", "2024-02-29 00:00:00Z", "2024-02-29T00:00:0"} {
			dayCacheAgrees(t, before, s)
		}
	}
}

// BenchmarkDayCache: the hit path, a day's timestamps in turn, as a
// CloudTrail file's records mostly are.
func BenchmarkDayCache(b *testing.B) {
	stamps := make([]string, 4096)
	for i := range stamps {
		stamps[i] = fmt.Sprintf("2026-10-01T%02d:%02d:%02dZ", i/360, i/60%60, i%60)
	}
	var c dayCache
	var sum float64
	for i := 0; b.Loop(); i++ {
		t, _ := c.utcSeconds(stamps[i&4095])
		sum += t
	}
	_ = sum
}
