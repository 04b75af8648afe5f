// Package timefmt implements Splunk's time format variables
// (strftime/strptime, [D-timevars] "Date and time format variables"),
// relative time modifiers ("Specify time modifiers in your search", Search
// Manual) and durations. The eval functions use them, and so do convert
// ctime(), earliest/latest and bin. It is a leaf: it imports no parser.
package timefmt

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tfMaxEpoch bounds the epoch seconds accepted from eval values (about year
// 33658): far beyond any real timestamp, and small enough that conversions
// to time.Time and back never overflow.
const tfMaxEpoch = 1e12

// EpochTime converts epoch seconds (possibly fractional) to a time in loc.
// ok is false for NaN, infinities and values beyond ±1e12 seconds.
func EpochTime(sec float64, loc *time.Location) (time.Time, bool) {
	if math.IsNaN(sec) || math.Abs(sec) > tfMaxEpoch {
		return time.Time{}, false
	}
	whole := math.Floor(sec)
	nsec := int64(math.Round((sec - whole) * 1e9))
	if nsec >= 1e9 {
		whole++
		nsec -= 1e9
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Unix(int64(whole), nsec).In(loc), true
}

// TimeEpoch converts a time to epoch seconds, with the sub-second part as a
// fraction.
func TimeEpoch(t time.Time) float64 {
	sec := float64(t.Unix())
	if ns := t.Nanosecond(); ns != 0 {
		return sec + float64(ns)/1e9
	}
	return sec
}

var (
	tfShortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	tfLongDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	tfShortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	tfLongMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Composite variables, in the POSIX ("C") locale: Splunk renders %c as
// "Thu Jul 18 09:30:00 2019" [D-timevars].
var tfComposite = map[byte]string{
	'c': "%a %b %e %H:%M:%S %Y",
	'+': "%a %b %e %H:%M:%S %Z %Y",
	'D': "%m/%d/%y",
	'F': "%Y-%m-%d",
	'r': "%I:%M:%S %p",
	'R': "%H:%M",
	'T': "%H:%M:%S",
	'x': "%m/%d/%y",
	'X': "%H:%M:%S",
}

// Strftime renders t with Splunk's time format variables [D-timevars]. t is
// rendered in its own location. Supported: %a %A %b %h %B %c %C %d %D %e
// %Ez %f %F %g %G %H %I %j %k %l %m %M %n %N (%3N %6N %9N…) %p %Q (%3Q…) %r
// %R %s %S %t %T %u %U %V %w %x %X %y %Y %z %:z %::z %Z %+ %%. An unknown
// variable is copied as written.
func Strftime(t time.Time, format string) string {
	var arr [64]byte
	return string(tfAppendStrftime(arr[:0], t, format))
}

// tfDirective reads what may stand between a % at format[i-1] and its
// conversion letter: a width digit (%3N, %6Q; -1 when none) and colons
// (%:z, %::z). It returns the index of the letter (len(format) when the
// format ends first).
func tfDirective(format string, i int) (letter, width, colons int) {
	width = -1
	if format[i] >= '1' && format[i] <= '9' && i+1 < len(format) {
		width = int(format[i] - '0')
		i++
	}
	for i < len(format) && format[i] == ':' && colons < 3 {
		colons++
		i++
	}
	return i, width, colons
}

func tfAppendStrftime(b []byte, t time.Time, format string) []byte {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b = append(b, c)
			continue
		}
		start := i
		var width, colons int
		i, width, colons = tfDirective(format, i+1)
		if i == len(format) {
			b = append(b, format[start:]...)
			break
		}
		v := format[i]
		if colons > 0 && v != 'z' || width >= 0 && v != 'N' && v != 'Q' {
			b = append(b, format[start:i+1]...)
			continue
		}
		if exp, ok := tfComposite[v]; ok {
			b = tfAppendStrftime(b, t, exp)
			continue
		}
		switch v {
		case '%':
			b = append(b, '%')
		case 'a':
			b = append(b, tfShortDays[t.Weekday()]...)
		case 'A':
			b = append(b, tfLongDays[t.Weekday()]...)
		case 'b', 'h':
			b = append(b, tfShortMonths[t.Month()-1]...)
		case 'B':
			b = append(b, tfLongMonths[t.Month()-1]...)
		case 'C':
			b = tfAppendPad(b, t.Year()/100, 2, '0')
		case 'd':
			b = tfAppendPad(b, t.Day(), 2, '0')
		case 'e':
			b = tfAppendPad(b, t.Day(), 2, ' ')
		case 'E':
			if i+1 < len(format) && format[i+1] == 'z' {
				i++
				_, off := t.Zone()
				b = strconv.AppendInt(b, int64(off/60), 10)
			} else {
				b = append(b, format[start:i+1]...)
			}
		case 'f':
			b = tfAppendPad(b, t.Nanosecond()/1000, 6, '0')
		case 'g':
			y, _ := t.ISOWeek()
			b = tfAppendPad(b, tfMod(y, 100), 2, '0')
		case 'G':
			y, _ := t.ISOWeek()
			b = tfAppendPad(b, y, 4, '0')
		case 'H':
			b = tfAppendPad(b, t.Hour(), 2, '0')
		case 'I':
			b = tfAppendPad(b, tfHour12(t.Hour()), 2, '0')
		case 'j':
			b = tfAppendPad(b, t.YearDay(), 3, '0')
		case 'k':
			b = tfAppendPad(b, t.Hour(), 2, ' ')
		case 'l':
			b = tfAppendPad(b, tfHour12(t.Hour()), 2, ' ')
		case 'm':
			b = tfAppendPad(b, int(t.Month()), 2, '0')
		case 'M':
			b = tfAppendPad(b, t.Minute(), 2, '0')
		case 'n':
			b = append(b, '\n')
		case 'N':
			if width < 0 {
				width = 9
			}
			b = tfAppendSubsecond(b, t.Nanosecond(), width)
		case 'Q':
			if width < 0 {
				width = 3
			}
			b = tfAppendSubsecond(b, t.Nanosecond(), width)
		case 'p':
			if t.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 's':
			b = strconv.AppendInt(b, t.Unix(), 10)
		case 'S':
			b = tfAppendPad(b, t.Second(), 2, '0')
		case 't':
			b = append(b, '\t')
		case 'u':
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			b = strconv.AppendInt(b, int64(wd), 10)
		case 'U':
			b = tfAppendPad(b, (t.YearDay()+6-int(t.Weekday()))/7, 2, '0')
		case 'V':
			_, w := t.ISOWeek()
			b = tfAppendPad(b, w, 2, '0')
		case 'w':
			b = strconv.AppendInt(b, int64(t.Weekday()), 10)
		case 'y':
			b = tfAppendPad(b, tfMod(t.Year(), 100), 2, '0')
		case 'Y':
			b = tfAppendPad(b, t.Year(), 4, '0')
		case 'z':
			b = tfAppendZone(b, t, colons)
		case 'Z':
			name, _ := t.Zone()
			b = append(b, name...)
		default:
			b = append(b, format[start:i+1]...)
		}
	}
	return b
}

// Duration renders seconds as [D+]HH:MM:SS, with microseconds
// (.ffffff) when the value has a fraction, and a leading minus for negative
// durations (tostring(x, "duration"), Conversion functions).
func Duration(f float64) string {
	b := make([]byte, 0, 24)
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	whole := math.Floor(f)
	micro := int64(math.Round((f - whole) * 1e6))
	if micro >= 1e6 {
		whole++
		micro -= 1e6
	}
	sec := int64(whole)
	if days := sec / 86400; days > 0 {
		b = strconv.AppendInt(b, days, 10)
		b = append(b, '+')
		sec %= 86400
	}
	b = tfAppendPad(b, int(sec/3600), 2, '0')
	b = append(b, ':')
	b = tfAppendPad(b, int(sec/60%60), 2, '0')
	b = append(b, ':')
	b = tfAppendPad(b, int(sec%60), 2, '0')
	if micro > 0 {
		b = append(b, '.')
		b = tfAppendPad(b, int(micro), 6, '0')
	}
	return string(b)
}

func tfMod(a, m int) int {
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}

func tfHour12(h int) int {
	h %= 12
	if h == 0 {
		return 12
	}
	return h
}

// tfAppendPad appends n padded on the left to width with pad; negative
// numbers keep their sign in front.
func tfAppendPad(b []byte, n, width int, pad byte) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
		width--
	}
	digits := 1
	for x := n; x >= 10; x /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		b = append(b, pad)
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// tfAppendSubsecond appends the first width digits of the nanoseconds
// (truncated, not rounded), padding with zeros past nanosecond precision.
func tfAppendSubsecond(b []byte, nsec, width int) []byte {
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = byte('0' + nsec%10)
		nsec /= 10
	}
	if width <= 9 {
		return append(b, digits[:width]...)
	}
	b = append(b, digits[:]...)
	for i := 9; i < width; i++ {
		b = append(b, '0')
	}
	return b
}

// tfAppendZone appends the UTC offset: +hhmm, or with colons +hh:mm,
// +hh:mm:ss, +hh.
func tfAppendZone(b []byte, t time.Time, colons int) []byte {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	b = append(b, sign)
	b = tfAppendPad(b, off/3600, 2, '0')
	switch colons {
	case 0:
		b = tfAppendPad(b, off/60%60, 2, '0')
	case 1:
		b = append(b, ':')
		b = tfAppendPad(b, off/60%60, 2, '0')
	case 2:
		b = append(b, ':')
		b = tfAppendPad(b, off/60%60, 2, '0')
		b = append(b, ':')
		b = tfAppendPad(b, off%60, 2, '0')
	}
	return b
}

// tfParsed collects the fields strptime read.
type tfParsed struct {
	year, month, day    int
	hour, min, sec      int
	nsec                int
	yday                int // 1-based day of year, 0 if not read
	pm, hasPM, tfHour12 bool
	epoch               int64
	hasEpoch, hasMonth  bool
	loc                 *time.Location
}

// Strptime parses s with Splunk's time format variables [D-timevars] and
// returns the time, ok false when s does not match. Rules, as for C
// strptime: numbers take at most their field's width and leading zeros are
// optional; white space in the format matches any run of white space
// (including none); month and day names are case-insensitive, full or
// abbreviated; text after the end of the format is ignored. Fields the
// format does not name default to 1970-01-01 00:00:00. The time is in the
// zone parsed by %z/%Z/%Ez, else in loc (UTC when nil); %s sets the time
// directly.
func Strptime(s, format string, loc *time.Location) (time.Time, bool) {
	p := tfParsed{year: 1970, month: 1, day: 1}
	if _, ok := p.parse(s, format, 0); !ok {
		return time.Time{}, false
	}
	if p.hasEpoch {
		if loc == nil {
			loc = time.UTC
		}
		return time.Unix(p.epoch, int64(p.nsec)).In(loc), true
	}
	if p.tfHour12 && p.hour > 12 || p.hour > 23 || p.min > 59 || p.sec > 61 {
		return time.Time{}, false
	}
	h := p.hour
	if p.tfHour12 {
		h %= 12
		if p.pm {
			h += 12
		}
	} else if p.hasPM && p.pm && h < 12 {
		h += 12
	}
	if p.loc == nil {
		p.loc = loc
		if p.loc == nil {
			p.loc = time.UTC
		}
	}
	if p.yday > 0 && !p.hasMonth {
		return time.Date(p.year, 1, p.yday, h, p.min, p.sec, p.nsec, p.loc), true
	}
	return time.Date(p.year, time.Month(p.month), p.day, h, p.min, p.sec, p.nsec, p.loc), true
}

// parse matches s against format and returns the rest of s. depth bounds
// the expansion of composite variables.
func (p *tfParsed) parse(s, format string, depth int) (string, bool) {
	if depth > 2 {
		return s, false
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if tfIsSpace(c) {
			s = tfSkipSpace(s)
			continue
		}
		if c != '%' || i+1 == len(format) {
			if len(s) == 0 || s[0] != c {
				return s, false
			}
			s = s[1:]
			continue
		}
		var width int
		i, width, _ = tfDirective(format, i+1) // %:z parses as %z
		if i == len(format) {
			return s, false
		}
		v := format[i]
		if exp, ok := tfComposite[v]; ok {
			var ok2 bool
			if s, ok2 = p.parse(s, exp, depth+1); !ok2 {
				return s, false
			}
			continue
		}
		var ok bool
		switch v {
		case '%':
			if len(s) == 0 || s[0] != '%' {
				return s, false
			}
			s = s[1:]
			ok = true
		case 'n', 't':
			s, ok = tfSkipSpace(s), true
		case 'a', 'A':
			_, s, ok = tfMatchName(s, tfShortDays[:], tfLongDays[:])
		case 'b', 'B', 'h':
			var m int
			m, s, ok = tfMatchName(s, tfShortMonths[:], tfLongMonths[:])
			p.month, p.hasMonth = m+1, true
		case 'C':
			var c int
			c, s, ok = tfNumber(s, 2)
			p.year = c*100 + tfMod(p.year, 100)
		case 'd', 'e':
			p.day, s, ok = tfNumber(s, 2)
			ok = ok && p.day >= 1 && p.day <= 31
		case 'E':
			if i+1 < len(format) && format[i+1] == 'z' {
				i++
				var mins int
				neg := false
				if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
					neg = s[0] == '-'
					s = s[1:]
				}
				mins, s, ok = tfNumber(s, 4)
				if neg {
					mins = -mins
				}
				p.loc = tfFixedZone(mins * 60)
			}
		case 'f':
			p.nsec, s, ok = tfFraction(s, 6)
		case 'H', 'k':
			p.hour, s, ok = tfNumber(s, 2)
		case 'I', 'l':
			p.hour, s, ok = tfNumber(s, 2)
			ok = ok && p.hour >= 1 && p.hour <= 12
			p.tfHour12 = true
		case 'j':
			p.yday, s, ok = tfNumber(s, 3)
			ok = ok && p.yday >= 1 && p.yday <= 366
		case 'm':
			p.month, s, ok = tfNumber(s, 2)
			ok = ok && p.month >= 1 && p.month <= 12
			p.hasMonth = true
		case 'M':
			p.min, s, ok = tfNumber(s, 2)
		case 'N':
			if width < 0 {
				width = 9
			}
			p.nsec, s, ok = tfFraction(s, width)
		case 'Q':
			if width < 0 {
				width = 3
			}
			p.nsec, s, ok = tfFraction(s, width)
		case 'p':
			if len(s) >= 2 {
				switch strings.ToUpper(s[:2]) {
				case "AM":
					p.pm, p.hasPM, ok = false, true, true
				case "PM":
					p.pm, p.hasPM, ok = true, true, true
				}
				s = s[2:]
			}
		case 's':
			neg := false
			if len(s) > 0 && s[0] == '-' {
				neg = true
				s = s[1:]
			}
			var n int
			n, s, ok = tfNumber(s, 12)
			p.epoch, p.hasEpoch = int64(n), true
			if neg {
				p.epoch = -p.epoch
			}
		case 'S':
			p.sec, s, ok = tfNumber(s, 2)
		case 'u', 'w':
			_, s, ok = tfNumber(s, 1)
		case 'U', 'V', 'W':
			_, s, ok = tfNumber(s, 2)
		case 'y':
			var y int
			y, s, ok = tfNumber(s, 2)
			if y < 69 {
				p.year = 2000 + y
			} else {
				p.year = 1900 + y
			}
		case 'Y':
			p.year, s, ok = tfNumber(s, 4)
		case 'z', 'Z':
			var loc *time.Location
			loc, s, ok = tfParseZone(s, v == 'Z')
			p.loc = loc
		}
		if !ok {
			return s, false
		}
	}
	return s, true
}

func tfIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func tfSkipSpace(s string) string {
	for len(s) > 0 && tfIsSpace(s[0]) {
		s = s[1:]
	}
	return s
}

// tfNumber reads an unsigned decimal of 1 to max digits, after optional
// spaces (C strptime accepts them before numbers).
func tfNumber(s string, max int) (int, string, bool) {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	n, i := 0, 0
	for i < len(s) && i < max && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:], i > 0
}

// tfFraction reads 1 to max digits as a fraction of a second, in
// nanoseconds.
func tfFraction(s string, max int) (int, string, bool) {
	n, i := 0, 0
	for i < len(s) && i < max && s[i] >= '0' && s[i] <= '9' {
		if i < 9 {
			n = n*10 + int(s[i]-'0')
		}
		i++
	}
	for d := i; d < 9; d++ {
		n *= 10
	}
	return n, s[i:], i > 0
}

// tfMatchName matches a full or abbreviated name, case-insensitively,
// preferring the full name.
func tfMatchName(s string, short, long []string) (int, string, bool) {
	for i, name := range long {
		if len(s) >= len(name) && strings.EqualFold(s[:len(name)], name) {
			return i, s[len(name):], true
		}
	}
	for i, name := range short {
		if len(s) >= len(name) && strings.EqualFold(s[:len(name)], name) {
			return i, s[len(name):], true
		}
	}
	return 0, s, false
}

var (
	tfZoneMu    sync.Mutex
	tfZoneCache = map[string]*time.Location{}
)

// tfFixedZone returns a cached fixed-offset location; offset 0 is UTC.
func tfFixedZone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	key := strconv.Itoa(off)
	tfZoneMu.Lock()
	defer tfZoneMu.Unlock()
	if loc, ok := tfZoneCache[key]; ok {
		return loc
	}
	loc := time.FixedZone("", off)
	tfZoneCache[key] = loc
	return loc
}

// tfZoneAbbrevs are the abbreviations %Z understands besides offsets and
// IANA names; abbreviations are ambiguous in general, so only the common
// North American ones are known.
var tfZoneAbbrevs = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

// tfParseZone reads a zone: Z, +hh, +hhmm, +hh:mm (and with names, for %Z:
// UTC, GMT, common abbreviations, IANA names such as America/New_York).
func tfParseZone(s string, names bool) (*time.Location, string, bool) {
	if len(s) == 0 {
		return nil, s, false
	}
	if s[0] == '+' || s[0] == '-' {
		neg := s[0] == '-'
		rest := s[1:]
		h, r, ok := tfDigitsExact(rest, 2)
		if !ok {
			return nil, s, false
		}
		m := 0
		if len(r) > 0 && r[0] == ':' {
			if m, r, ok = tfDigitsExact(r[1:], 2); !ok {
				return nil, s, false
			}
		} else if mm, r2, ok := tfDigitsExact(r, 2); ok {
			m, r = mm, r2
		}
		if h > 23 || m > 59 {
			return nil, s, false
		}
		off := h*3600 + m*60
		if neg {
			off = -off
		}
		return tfFixedZone(off), r, true
	}
	if s[0] == 'Z' && (len(s) == 1 || !tfIsZoneChar(s[1])) {
		return time.UTC, s[1:], true
	}
	if !names {
		return nil, s, false
	}
	n := 0
	for n < len(s) && tfIsZoneChar(s[n]) {
		n++
	}
	if n == 0 {
		return nil, s, false
	}
	name := s[:n]
	if off, ok := tfZoneAbbrevs[strings.ToUpper(name)]; ok {
		rest := s[n:]
		// GMT+2, UTC-05:00
		if off == 0 && len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
			if loc, r, ok := tfParseZone(rest, false); ok {
				return loc, r, true
			}
		}
		return tfFixedZone(off), rest, true
	}
	if loc := tfLoadZone(name); loc != nil {
		return loc, s[n:], true
	}
	return nil, s, false
}

func tfIsZoneChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '_'
}

func tfDigitsExact(s string, n int) (int, string, bool) {
	if len(s) < n {
		return 0, s, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, s, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, s[n:], true
}

// tfLoadZone loads an IANA zone once; names that do not load are remembered
// as nil so that bad input stays cheap.
func tfLoadZone(name string) *time.Location {
	if !strings.Contains(name, "/") {
		return nil
	}
	tfZoneMu.Lock()
	defer tfZoneMu.Unlock()
	if loc, ok := tfZoneCache[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	if len(tfZoneCache) < 1024 {
		tfZoneCache[name] = loc
	}
	return loc
}

// ErrRelativeTime is wrapped by every RelativeTime error.
var ErrRelativeTime = errors.New("invalid relative time modifier")

func tfRelErr(spec, why string) error {
	return &tfRelativeTimeError{spec: spec, why: why}
}

type tfRelativeTimeError struct{ spec, why string }

func (e *tfRelativeTimeError) Error() string {
	return ErrRelativeTime.Error() + " " + strconv.Quote(e.spec) + ": " + e.why
}

func (e *tfRelativeTimeError) Unwrap() error { return ErrRelativeTime }

// tfMaxOffset bounds the amount of one offset (a billion units): larger
// amounts would overflow time arithmetic and mean nothing.
const tfMaxOffset = 1_000_000_000

// RelativeTime applies a relative time modifier to t, as Splunk's
// relative_time() and earliest/latest do: "now" (or "") is t itself;
// otherwise a sequence of offsets `[+|-]<n><unit>` (n defaults to 1) and
// snaps `@<unit>`, applied left to right (`-1d@d`, `@d+3h`, `-30m@h`).
// Units: s sec secs second seconds, m min mins minute minutes, h hr hrs
// hour hours, d day days, w week weeks, mon month months, q qtr qtrs
// quarter quarters, y yr yrs year years; snaps also take w0…w7 (w0 and w7
// are Sunday; @w is @w0). Snaps round down to the start of the unit in
// loc's wall clock; day, week, month, quarter and year offsets move the
// calendar date in loc, keeping the wall-clock time.
func RelativeTime(t time.Time, spec string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	s := strings.TrimSpace(spec)
	if s == "" || s == "now" {
		return t, nil
	}
	for len(s) > 0 {
		switch s[0] {
		case '@':
			unit, rest := tfCutUnit(s[1:])
			if unit == "" {
				return t, tfRelErr(spec, "missing unit after @")
			}
			var ok bool
			if t, ok = tfSnap(t, unit); !ok {
				return t, tfRelErr(spec, "unknown tfSnap unit "+strconv.Quote(unit))
			}
			s = rest
		case '+', '-':
			neg := s[0] == '-'
			s = s[1:]
			n, i := 0, 0
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				if n > tfMaxOffset {
					return t, tfRelErr(spec, "tfOffset too large")
				}
				n = n*10 + int(s[i]-'0')
				i++
			}
			if i == 0 {
				n = 1
			}
			if n > tfMaxOffset {
				return t, tfRelErr(spec, "tfOffset too large")
			}
			unit, rest := tfCutUnit(s[i:])
			if unit == "" {
				return t, tfRelErr(spec, "missing unit after tfOffset")
			}
			if neg {
				n = -n
			}
			var ok bool
			if t, ok = tfOffset(t, n, unit); !ok {
				return t, tfRelErr(spec, "unknown time unit "+strconv.Quote(unit))
			}
			s = rest
		default:
			return t, tfRelErr(spec, "expected +, - or @")
		}
	}
	return t, nil
}

// tfCutUnit splits a leading unit (letters, then digits for w0…w7) off s.
func tfCutUnit(s string) (string, string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return strings.ToLower(s[:i]), s[i:]
}

// Unit reads a time-unit word of relative times and spans (sec, minutes,
// qtr…) as its short name: s, m, h, d, w, mon, q, y; "" if unknown.
func Unit(u string) string {
	switch u {
	case "s", "sec", "secs", "second", "seconds":
		return "s"
	case "m", "min", "mins", "minute", "minutes":
		return "m"
	case "h", "hr", "hrs", "hour", "hours":
		return "h"
	case "d", "day", "days":
		return "d"
	case "w", "week", "weeks":
		return "w"
	case "mon", "month", "months":
		return "mon"
	case "q", "qtr", "qtrs", "quarter", "quarters":
		return "q"
	case "y", "yr", "yrs", "year", "years":
		return "y"
	}
	return ""
}

func tfOffset(t time.Time, n int, unit string) (time.Time, bool) {
	// Seconds, minutes and hours are absolute amounts; n is at most
	// tfMaxOffset, so n*3600 cannot overflow.
	switch Unit(unit) {
	case "s":
		return tfAddSeconds(t, int64(n)), true
	case "m":
		return tfAddSeconds(t, int64(n)*60), true
	case "h":
		return tfAddSeconds(t, int64(n)*3600), true
	case "d":
		return t.AddDate(0, 0, n), true
	case "w":
		return t.AddDate(0, 0, 7*n), true
	case "mon":
		return t.AddDate(0, n, 0), true
	case "q":
		return t.AddDate(0, 3*n, 0), true
	case "y":
		return t.AddDate(n, 0, 0), true
	}
	return t, false
}

func tfAddSeconds(t time.Time, sec int64) time.Time {
	return time.Unix(t.Unix()+sec, int64(t.Nanosecond())).In(t.Location())
}

func tfSnap(t time.Time, unit string) (time.Time, bool) {
	loc := t.Location()
	y, mo, d := t.Date()
	switch Unit(unit) {
	case "s":
		return t.Truncate(time.Second), true
	case "m":
		return time.Date(y, mo, d, t.Hour(), t.Minute(), 0, 0, loc), true
	case "h":
		return time.Date(y, mo, d, t.Hour(), 0, 0, 0, loc), true
	case "d":
		return time.Date(y, mo, d, 0, 0, 0, 0, loc), true
	case "w":
		return tfSnapWeekday(t, 0), true
	case "mon":
		return time.Date(y, mo, 1, 0, 0, 0, 0, loc), true
	case "q":
		return time.Date(y, (mo-1)/3*3+1, 1, 0, 0, 0, 0, loc), true
	case "y":
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc), true
	}
	if len(unit) == 2 && unit[0] == 'w' && unit[1] >= '0' && unit[1] <= '7' {
		return tfSnapWeekday(t, int(unit[1]-'0')%7), true
	}
	return t, false
}

// tfSnapWeekday returns the start of the latest day not after t that falls on
// weekday wd (0 = Sunday).
func tfSnapWeekday(t time.Time, wd int) time.Time {
	back := (int(t.Weekday()) - wd + 7) % 7
	y, mo, d := t.Date()
	return time.Date(y, mo, d-back, 0, 0, 0, 0, t.Location())
}
