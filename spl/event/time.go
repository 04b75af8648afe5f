package event

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// cloudtrail is the sourcetype whose time is always eventTime.
const cloudtrail = "aws:cloudtrail"

// defaultTimeFields are tried in order when no time field is configured.
var defaultTimeFields = []string{"eventTime", "timestamp", "_time", "time"}

// stampFinder finds the first value of each candidate time field in one
// scan of an event; the first candidate present wins.
type stampFinder struct {
	names []string
	m     *matcher
	// quick says every name is a top-level key (no '.' or '{}'), so that
	// quickFind can find them.
	quick bool
}

func newStampFinder(names []string) *stampFinder {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	quick := len(names) <= len(stampScan{}.hits)
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, ".{}") {
			quick = false
		}
	}
	return &stampFinder{names: names, m: Need{Names: set}.Compile().m, quick: quick}
}

var (
	cloudtrailStamps = newStampFinder([]string{"eventTime"})
	defaultStamps    = newStampFinder(defaultTimeFields)
)

// stampFinderFor returns the time fields of a sourcetype
// (docs/semantics-events.md, "The aws:cloudtrail index-time settings" and
// "`_time`").
func stampFinderFor(sourcetype, timeField string) *stampFinder {
	switch {
	case sourcetype == cloudtrail:
		return cloudtrailStamps
	case timeField != "":
		return newStampFinder([]string{timeField})
	}
	return defaultStamps
}

func defaultStampFinder(sourcetype string) *stampFinder {
	return stampFinderFor(sourcetype, "")
}

// hit is the first value of one candidate time field.
type hit struct {
	ok         bool
	k          leafKind
	start, end int
	esc        bool
}

// stampScan collects hits while validating the whole event; a reader
// reuses one for every record.
type stampScan struct {
	f       *stampFinder
	hits    [8]hit
	sc      scanner
	pathBuf [64]byte
	both    stampAndFields // findAndExtract's sink
	stops   []uint64       // quickScan's stopBits of the record
	days    dayCache       // the day of the last CloudTrail timestamp read
}

func (s *stampScan) leaf(sc *scanner, k leafKind, start, end int, esc bool) {
	for i, n := range s.f.names {
		if i < len(s.hits) && !s.hits[i].ok && string(sc.path) == n {
			s.hits[i] = hit{ok: true, k: k, start: start, end: end, esc: esc}
		}
	}
}

// findStamp validates raw as a JSON object and reads its timestamp. The
// error is a reason for rejecting the event: invalid JSON, not an
// object, no timestamp, or an unparsable one.
func findStamp(raw string, f *stampFinder, strict bool) (stamp, error) {
	return new(stampScan).find(raw, f, strict)
}

func (ss *stampScan) find(raw string, f *stampFinder, strict bool) (stamp, error) {
	if st, err, ok := ss.quick(raw, f, strict); ok {
		return st, err
	}
	return ss.findWith(raw, f, strict, f.m, ss)
}

// quick is find by quickFind alone: ok is false when quickFind cannot
// settle the record, or f's time fields are not for it. When ok, raw is
// valid UTF-8 and a JSON object.
func (ss *stampScan) quick(raw string, f *stampFinder, strict bool) (st stamp, err error, ok bool) {
	if !f.quick {
		return stamp{}, nil, false
	}
	for i := range min(len(f.names), len(ss.hits)) { // quickFind writes no other
		ss.hits[i] = hit{}
	}
	if !quickFind(raw, f.names, &ss.hits, &ss.stops) {
		return stamp{}, nil, false
	}
	st, err = ss.stamp(raw, f, strict)
	return st, err, true
}

// quickUTC is quick for the commonest case, a record quickFind settles
// whose first time field is a string in CloudTrail's one form
// (2006-01-02T15:04:05Z, read by the day): its time, and ok. For any
// other record ok is false, and quick then reads it as it reads all
// (twice the validating scan, for a record rare in real data). It hands
// back a number, not a stamp, whose copies were a few percent of what a
// record ruled out costs.
func (ss *stampScan) quickUTC(raw string, f *stampFinder) (float64, bool) {
	if !f.quick {
		return 0, false
	}
	for i := range min(len(f.names), len(ss.hits)) {
		ss.hits[i] = hit{}
	}
	if !quickFind(raw, f.names, &ss.hits, &ss.stops) {
		return 0, false
	}
	h := &ss.hits[0]
	if !h.ok || h.k != leafString || h.esc {
		return 0, false
	}
	return ss.days.utcSeconds(raw[h.start:h.end])
}

// findWith is find with the scan's matcher and sink given: m must report
// at least f's time fields, and sink must pass them to ss.
func (ss *stampScan) findWith(raw string, f *stampFinder, strict bool, m *matcher, s sink) (stamp, error) {
	ss.f, ss.hits = f, [8]hit{}
	ss.sc = scanner{s: raw, lim: len(raw), m: m, sink: s, path: ss.pathBuf[:0]}
	sc := &ss.sc
	if st := sc.parse(true); st == scanInvalid {
		return stamp{}, errors.New("invalid JSON: " + sc.errMsg + " (byte " + strconv.Itoa(sc.errAt) + ")")
	}
	if sc.top != '{' {
		return stamp{}, errors.New("not a JSON object (" + jsonType(sc.top) + ")")
	}
	return ss.stamp(raw, f, strict)
}

// stamp reads the timestamp from the hits of a valid JSON object.
func (ss *stampScan) stamp(raw string, f *stampFinder, strict bool) (stamp, error) {
	for i, n := range f.names {
		if i >= len(ss.hits) || !ss.hits[i].ok {
			continue
		}
		h := ss.hits[i]
		text := raw[h.start:h.end]
		if h.esc {
			text = string(appendUnescaped(nil, text))
		}
		if h.k == leafString {
			// parseStamp's first form, by the day of the record before.
			if t, ok := ss.days.utcSeconds(text); ok {
				return stamp{found: true, start: h.start, end: h.end, t: t}, nil
			}
		}
		t, zone, zoneless, ok := parseStamp(text, h.k, strict)
		if !ok {
			shown := text
			if h.k == leafString {
				shown = strconv.Quote(text)
			}
			return stamp{}, &noStamp{"unparsable timestamp " + n + "=" + shown}
		}
		return stamp{found: true, start: h.start, end: h.end, zone: zone, t: t, zoneless: zoneless}, nil
	}
	return stamp{}, &noStamp{"no timestamp (no " + strings.Join(f.names, ", ") + " field)"}
}

// noStamp is a valid JSON object without a timestamp that can be read:
// not a reason to reject it, but to give it a time by Splunk's fallback
// (reader.fallback).
type noStamp struct{ why string }

func (e *noStamp) Error() string { return e.why }

func jsonType(c byte) string {
	switch {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "a number"
}

// stampLayouts are the timestamp forms read from strings: RFC 3339 with
// or without fractional seconds, with a Z or an offset, with or without
// the colon in the offset, and with a space for the T.
var stampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
}

// zonelessLayouts are the same forms without a zone (`2022-11-21
// 18:06:52`, as data lakes re-export CloudTrail): Splunk reads them in the
// zone props.conf's TZ names, else the indexer's; here, UTC
// (docs/semantics-events.md, "_time").
var zonelessLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// parseStamp reads a timestamp: an RFC 3339 string (zoneless when it has
// no zone, then read in UTC), or (unless strict, as for aws:cloudtrail
// whose TIME_FORMAT is a date) epoch seconds written as a number or a
// numeric string, in milliseconds when above 1e11.
func parseStamp(text string, k leafKind, strict bool) (t float64, zone int, zoneless, ok bool) {
	switch k {
	case leafString:
		if t, ok := utcSeconds(text); ok {
			return t, 0, false, true
		}
		for _, layout := range stampLayouts {
			if tm, err := time.Parse(layout, text); err == nil {
				_, off := tm.Zone()
				return float64(tm.Unix()) + float64(tm.Nanosecond())/1e9, off / 60, false, true
			}
		}
		for _, layout := range zonelessLayouts {
			if tm, err := time.ParseInLocation(layout, text, time.UTC); err == nil {
				return float64(tm.Unix()) + float64(tm.Nanosecond())/1e9, 0, true, true
			}
		}
		if strict || !isEpochText(text) {
			return 0, 0, false, false
		}
	case leafNumber:
		if strict {
			return 0, 0, false, false
		}
	default:
		return 0, 0, false, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, 0, false, false
	}
	if f > 1e11 {
		f /= 1000
	}
	return f, 0, false, true
}

// utcSeconds reads the one form of timestamp CloudTrail writes,
// 2006-01-02T15:04:05Z, as stampLayouts' first layout does, without
// time.Parse and time.Date: a fifth of the cost of validating a record
// was its timestamp. ok is false for anything else, which parseStamp then
// reads with the layouts.
func utcSeconds(s string) (float64, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return 0, false
	}
	num := func(i, n int) int {
		v := 0
		for ; n > 0; i, n = i+1, n-1 {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	return float64(daysFromCivil(year, month, day)*86400 + hour*3600 + minute*60 + sec), true
}

// dayCache is utcSeconds for a run of timestamps of the same day, as
// records of a file mostly are: when a timestamp's date is the one read
// last, only its time of day is read. The date and time of a timestamp
// out of range go to utcSeconds, which turns them down, so the answers
// are utcSeconds' own.
type dayCache struct {
	date  uint64 // the date's first 8 bytes ("2026-10-"), as load64
	day   uint16 // its last 2 (the day of the month)
	start float64
	ok    bool
}

func (c *dayCache) utcSeconds(s string) (float64, bool) {
	if c.ok && len(s) == 20 && load64(s, 0) == c.date && uint16(s[8])|uint16(s[9])<<8 == c.day &&
		s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' {
		h, m, sec := twoDigits(s, 11), twoDigits(s, 14), twoDigits(s, 17)
		if h <= 23 && m <= 59 && sec <= 59 {
			return c.start + float64(h*3600+m*60+sec), true
		}
	}
	t, ok := utcSeconds(s)
	if ok {
		c.date, c.day, c.ok = load64(s, 0), uint16(s[8])|uint16(s[9])<<8, true
		c.start = t - float64(twoDigits(s, 11)*3600+twoDigits(s, 14)*60+twoDigits(s, 17))
	}
	return t, ok
}

// twoDigits is the number s[i:i+2] writes in decimal digits, or a number
// above 99 when it is not two digits.
func twoDigits(s string, i int) uint {
	hi, lo := uint(s[i]-'0'), uint(s[i+1]-'0') // a byte below '0' wraps round
	if hi > 9 || lo > 9 {
		return 100
	}
	return hi*10 + lo
}

// daysIn is the number of days of a month of the proleptic Gregorian
// calendar.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to a date of the
// proleptic Gregorian calendar (year 0 or later), counting in eras of
// 400 years from March, where leap days fall at the end.
func daysFromCivil(year, month, day int) int {
	if month <= 2 {
		year--
	}
	era := (year+400)/400 - 1                 // year is -1 or later; era 0 starts in year 0
	yoe := year - era*400                     // [0, 399]
	doy := (153*((month+9)%12)+2)/5 + day - 1 // [0, 365], from March 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy    // [0, 146096]
	return era*146097 + doe - 719468
}

// isEpochText reports whether a string is a plain decimal number.
func isEpochText(s string) bool {
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

var (
	monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	dayNames = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
)

// dateFields breaks a timestamp down as written in the event
// (docs/semantics-events.md, "Default fields"): date_second, date_minute,
// date_hour, date_mday, date_month, date_year, date_wday, date_zone.
func dateFields(ts stamp) *[8]string {
	sec := math.Floor(ts.t)
	tm := time.Unix(int64(sec), int64((ts.t-sec)*1e9)).UTC()
	if ts.zone != 0 {
		tm = tm.In(time.FixedZone("", ts.zone*60))
	}
	return &[8]string{
		strconv.Itoa(tm.Second()),
		strconv.Itoa(tm.Minute()),
		strconv.Itoa(tm.Hour()),
		strconv.Itoa(tm.Day()),
		monthNames[tm.Month()-1],
		strconv.Itoa(tm.Year()),
		dayNames[tm.Weekday()],
		strconv.Itoa(ts.zone),
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
