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
	check := func(s string) {
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
		if want := float64(tm.Unix()); got != want {
			t.Fatalf("%q: utcSeconds %v, time.Parse %v", s, got, want)
		}
	}
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
