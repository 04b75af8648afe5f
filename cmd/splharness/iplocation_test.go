package main

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// TestIplocationCLI: search finds iplocation's database through --app's
// limits.conf [iplocation] db_path or --iplocation-db, and without one
// refuses the search, saying what to configure.
func TestIplocationCLI(t *testing.T) {
	dir := t.TempDir()
	db, err := geoipwrite.Write([]geoipwrite.Entry{{Network: netip.MustParsePrefix("203.0.113.0/24"), City: map[string]string{"en": "Lisbon"},
		Country: map[string]string{"en": "Portugal"}, CountryCode: "PT", Lat: 38.7223, Lon: -9.1393}}, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dbPath := write("app/geo/city.mmdb", string(db))
	write("app/default/limits.conf", "[iplocation]\ndb_path = geo/city.mmdb\n")
	events := write("events.json", `{"eventTime":"2026-11-01T10:00:00Z","sourceIPAddress":"203.0.113.8"}`+"\n")
	const spl = "* | iplocation src | table src City Country Region lat lon"
	const want = `[
  {"src": "203.0.113.8", "City": "Lisbon", "Country": "Portugal", "Region": "", "lat": "38.7223", "lon": "-9.1393"}
]
`
	for _, args := range [][]string{
		{"search", "--app", filepath.Join(dir, "app"), "--data", events, "--format", "json", spl},
		{"search", "--iplocation-db", dbPath, "--data", events, "--format", "json", spl},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 || out.String() != want {
			t.Errorf("%v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	code := run([]string{"search", "--data", events, spl}, strings.NewReader(""), &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "iplocation needs an IP location database") {
		t.Errorf("no database: exit %d\n%s", code, errOut.String())
	}
}
