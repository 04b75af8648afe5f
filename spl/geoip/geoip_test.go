package geoip_test

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// testDB writes a small City database: two documentation networks, one
// IPv6 network, and one network known only by its country.
func testDB(t *testing.T) *geoip.DB {
	t.Helper()
	b, err := geoipwrite.Write(testEntries, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	db, err := geoip.OpenBytes(b, "test.mmdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var testEntries = []geoipwrite.Entry{
	{Network: netip.MustParsePrefix("203.0.113.0/25"), City: map[string]string{"en": "Munich", "de": "München"}, Region: map[string]string{"en": "Bavaria", "de": "Bayern"},
		RegionCode: "BY", Country: map[string]string{"en": "Germany", "de": "Deutschland"}, CountryCode: "DE",
		Continent: map[string]string{"en": "Europe", "de": "Europa"}, ContinentCode: "EU", Lat: 48.1374, Lon: 11.5755, Timezone: "Europe/Berlin"},
	{Network: netip.MustParsePrefix("198.51.100.0/24"), City: map[string]string{"en": "Seattle"}, Region: map[string]string{"en": "Washington"}, RegionCode: "WA",
		Country: map[string]string{"en": "United States"}, CountryCode: "US", Continent: map[string]string{"en": "North America"}, ContinentCode: "NA",
		Lat: 47.6062, Lon: -122.3321, MetroCode: 819, Timezone: "America/Los_Angeles"},
	{Network: netip.MustParsePrefix("2001:db8:1::/48"), City: map[string]string{"en": "Tokyo"}, Country: map[string]string{"en": "Japan"}, CountryCode: "JP", Lat: 35.6895, Lon: 139.6917},
	{Network: netip.MustParsePrefix("192.0.2.128/25"), Country: map[string]string{"en": "Brazil"}, CountryCode: "BR"},
}

func TestLookup(t *testing.T) {
	db := testDB(t)
	cases := []struct {
		addr             string
		found            bool
		city, country    string
		region, timezone string
		lat              float64
	}{
		{"203.0.113.7", true, "Munich", "Germany", "Bavaria", "Europe/Berlin", 48.1374},
		{"203.0.113.200", false, "", "", "", "", 0}, // outside the /25
		{"::ffff:198.51.100.9", true, "Seattle", "United States", "Washington", "America/Los_Angeles", 47.6062},
		{"2001:db8:1:2::5", true, "Tokyo", "Japan", "", "", 35.6895},
		{"192.0.2.200", true, "", "Brazil", "", "", 0},
		{"10.1.2.3", false, "", "", "", "", 0},
	}
	for _, c := range cases {
		loc, found, err := db.Lookup(netip.MustParseAddr(c.addr))
		if err != nil {
			t.Fatal(err)
		}
		en := []string{"en"}
		if found != c.found || loc.City.Name(en) != c.city || loc.Country.Name(en) != c.country || loc.Region.Name(en) != c.region || loc.Timezone != c.timezone {
			t.Errorf("%s: found %v, %+v", c.addr, found, loc)
		}
		if c.lat != 0 && (loc.Lat == nil || *loc.Lat != c.lat) {
			t.Errorf("%s: lat %v, want %v", c.addr, loc.Lat, c.lat)
		}
		if c.lat == 0 && loc.Lat != nil {
			t.Errorf("%s: lat %v, want none", c.addr, *loc.Lat)
		}
	}
}

// TestNames: the first language with a name wins; "code" gives the ISO
// code, or for a city (which has none) its English name.
func TestNames(t *testing.T) {
	loc, _, err := testDB(t).Lookup(netip.MustParseAddr("203.0.113.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		langs                 []string
		city, region, country string
	}{
		{[]string{"de"}, "München", "Bayern", "Deutschland"},
		{[]string{"fr", "de"}, "München", "Bayern", "Deutschland"},
		{[]string{"fr"}, "", "", ""},
		{[]string{"code"}, "Munich", "BY", "DE"},
	} {
		if got := [3]string{loc.City.Name(c.langs), loc.Region.Name(c.langs), loc.Country.Name(c.langs)}; got != [3]string{c.city, c.region, c.country} {
			t.Errorf("%v: %v", c.langs, got)
		}
	}
}

func TestParseAddr(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9": "203.0.113.9", " 203.0.113.9 ": "203.0.113.9", "203.0.113.77/25": "203.0.113.0",
		"2001:db8::1": "2001:db8::1", "fe80::1%eth0": "fe80::1",
	} {
		if a, ok := geoip.ParseAddr(in); !ok || a.String() != want {
			t.Errorf("ParseAddr(%q) = %v, %v; want %s", in, a, ok, want)
		}
	}
	for _, in := range []string{"", "AWS Internal", "ec2.amazonaws.com", "203.0.113", "203.0.113.9/33"} {
		if _, ok := geoip.ParseAddr(in); ok {
			t.Errorf("ParseAddr(%q): ok", in)
		}
	}
}

// TestWriteReproducible: the same entries and build time give the same
// bytes, so generated test data can be committed and checked.
func TestWriteReproducible(t *testing.T) {
	a, err := geoipwrite.Write(testEntries, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, _ := geoipwrite.Write(testEntries, 1767225600)
		if !bytes.Equal(a, b) {
			t.Fatal("two writes differ")
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := geoip.Open("testdata/does-not-exist.mmdb"); err == nil {
		t.Error("a missing file opens")
	}
	if _, err := geoip.OpenBytes([]byte("not a database"), "junk.mmdb"); err == nil {
		t.Error("junk opens")
	}
}

// FuzzLookup: any event value iplocation reads either is no address or
// is looked up without error, and a found record decodes.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "203.0.113.77/25", "2001:db8:1::1", "::ffff:198.51.100.9", "fe80::1%eth0", "AWS Internal", "", "1.2.3.4/99"} {
		f.Add(s)
	}
	b, err := geoipwrite.Write(testEntries, 1767225600)
	if err != nil {
		f.Fatal(err)
	}
	db, err := geoip.OpenBytes(b, "test.mmdb")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, ok := geoip.ParseAddr(s)
		if !ok {
			return
		}
		if _, _, err := db.Lookup(addr); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	})
}
