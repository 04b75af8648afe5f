package exec_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/exec"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// geoDB is a small City database the test writes: Munich for
// 203.0.113.0/25 (English and German names), Seattle for 198.51.100.0/24,
// Tokyo for 2001:db8:1::/48, and a network known only by its country.
func geoDB(t *testing.T) func() (*geoip.DB, error) {
	t.Helper()
	b, err := geoipwrite.Write([]geoipwrite.Entry{
		{Network: netip.MustParsePrefix("203.0.113.0/25"), City: map[string]string{"en": "Munich", "de": "München"}, Region: map[string]string{"en": "Bavaria", "de": "Bayern"},
			RegionCode: "BY", Country: map[string]string{"en": "Germany", "de": "Deutschland"}, CountryCode: "DE",
			Continent: map[string]string{"en": "Europe", "de": "Europa"}, ContinentCode: "EU", Lat: 48.1374, Lon: 11.5755, Timezone: "Europe/Berlin"},
		{Network: netip.MustParsePrefix("198.51.100.0/24"), City: map[string]string{"en": "Seattle"}, Region: map[string]string{"en": "Washington"}, RegionCode: "WA",
			Country: map[string]string{"en": "United States"}, CountryCode: "US", Continent: map[string]string{"en": "North America"}, ContinentCode: "NA",
			Lat: 47.6062, Lon: -122.3321, MetroCode: 819, Timezone: "America/Los_Angeles"},
		{Network: netip.MustParsePrefix("2001:db8:1::/48"), City: map[string]string{"en": "Tokyo"}, Country: map[string]string{"en": "Japan"}, CountryCode: "JP", Lat: 35.6895, Lon: 139.6917},
		{Network: netip.MustParsePrefix("192.0.2.128/25"), Country: map[string]string{"en": "Brazil"}, CountryCode: "BR"},
	}, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	db, err := geoip.OpenBytes(b, "test.mmdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func() (*geoip.DB, error) { return db, nil }
}

// addresses are newest first, the order a search returns events in.
var addresses = lines{
	`{"eventTime":"2026-11-01T10:00:07Z","ip":"203.0.113.9"}`,
	`{"eventTime":"2026-11-01T10:00:06Z","ip":"198.51.100.20"}`,
	`{"eventTime":"2026-11-01T10:00:05Z","ip":"2001:db8:1::7"}`,
	`{"eventTime":"2026-11-01T10:00:04Z","ip":"192.0.2.200"}`,
	`{"eventTime":"2026-11-01T10:00:03Z","ip":"10.1.2.3"}`,
	`{"eventTime":"2026-11-01T10:00:02Z","ip":"AWS Internal"}`,
	`{"eventTime":"2026-11-01T10:00:01Z","ip":"203.0.113.77/25"}`,
	`{"eventTime":"2026-11-01T10:00:00Z"}`,
}

// TestIplocation follows the Search Reference's iplocation page: a found
// address gets City, Country, Region, lat and lon (allfields=true adds
// Continent, MetroCode and Timezone); what the database does not know is
// an empty value; an internal address, or no address, gets no fields;
// prefix= prefixes the names; lang= picks the names' language, lang=code
// the ISO codes; a CIDR subnet is looked up by its network address.
func TestIplocation(t *testing.T) {
	opts := exec.Options{IPLocation: geoDB(t)}
	cases := []struct {
		name, search, want string
	}{
		{"default fields", `* | iplocation ip | table ip City Country Region lat lon Continent Timezone`, compact(
			`{"ip": "203.0.113.9", "City": "Munich", "Country": "Germany", "Region": "Bavaria", "lat": "48.1374", "lon": "11.5755"}`,
			`{"ip": "198.51.100.20", "City": "Seattle", "Country": "United States", "Region": "Washington", "lat": "47.6062", "lon": "-122.3321"}`,
			`{"ip": "2001:db8:1::7", "City": "Tokyo", "Country": "Japan", "Region": "", "lat": "35.6895", "lon": "139.6917"}`,
			`{"ip": "192.0.2.200", "City": "", "Country": "Brazil", "Region": "", "lat": "", "lon": ""}`,
			`{"ip": "10.1.2.3"}`,
			`{"ip": "AWS Internal"}`,
			`{"ip": "203.0.113.77/25", "City": "Munich", "Country": "Germany", "Region": "Bavaria", "lat": "48.1374", "lon": "11.5755"}`,
			`{}`)},
		{"allfields", `* | head 2 | iplocation allfields=true ip | table City Continent Country MetroCode Region Timezone lat lon`, compact(
			`{"City": "Munich", "Continent": "Europe", "Country": "Germany", "MetroCode": "", "Region": "Bavaria", "Timezone": "Europe/Berlin", "lat": "48.1374", "lon": "11.5755"}`,
			`{"City": "Seattle", "Continent": "North America", "Country": "United States", "MetroCode": "819", "Region": "Washington", "Timezone": "America/Los_Angeles", "lat": "47.6062", "lon": "-122.3321"}`)},
		{"prefix", `* | head 1 | iplocation prefix=geo_ ip | table geo_*`, compact(
			`{"geo_City": "Munich", "geo_Country": "Germany", "geo_Region": "Bavaria", "geo_lat": "48.1374", "geo_lon": "11.5755"}`)},
		{"lang, with a fallback", `* | head 2 | iplocation lang="de,en" ip | table City Country Region`, compact(
			`{"City": "München", "Country": "Deutschland", "Region": "Bayern"}`,
			`{"City": "Seattle", "Country": "United States", "Region": "Washington"}`)},
		{"lang=code", `* | head 2 | iplocation ip lang=code allfields=1 | table City Continent Country Region`, compact(
			`{"City": "Munich", "Continent": "EU", "Country": "DE", "Region": "BY"}`,
			`{"City": "Seattle", "Continent": "NA", "Country": "US", "Region": "WA"}`)},
		{"a language the database lacks", `* | head 1 | iplocation lang=fr ip | table City Country`, compact(
			`{"City": "", "Country": ""}`)},
		{"an ESCU use: where isnotnull(City)", `* | iplocation ip | where isnotnull(City) | stats count`, compact(`{"count": "5"}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, addresses, c.search, opts); got != c.want {
				t.Errorf("%s:\ngot  %s\nwant %s", c.search, got, c.want)
			}
		})
	}
}

func TestIplocationErrors(t *testing.T) {
	cases := []struct {
		search string
		opts   exec.Options
		want   string
	}{
		{`x | iplocation ip`, exec.Options{}, "iplocation needs an IP location database"},
		{`x | iplocation foo=1 ip`, exec.Options{IPLocation: geoDB(t)}, "option foo of command iplocation is not supported"},
		{`x | iplocation lang="," ip`, exec.Options{IPLocation: geoDB(t)}, "names no language"},
		{`x | iplocation ip`, exec.Options{IPLocation: func() (*geoip.DB, error) { return nil, errors.New("no such file") }}, "iplocation: no such file"},
	}
	for _, c := range cases {
		q, err := spl.ParseString(c.search)
		if err != nil {
			t.Fatal(err)
		}
		c.opts.Now = now
		_, err = exec.Compile(q, c.opts)
		var ee *exec.Error
		if !errors.As(err, &ee) || !strings.Contains(ee.Msg, c.want) || ee.Pos.Offset == 0 {
			t.Errorf("%s: got %v, want a positioned error containing %q", c.search, err, c.want)
		}
	}
}
