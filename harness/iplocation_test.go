package harness_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// writeGeoDB writes a one-network City database to path.
func writeGeoDB(t *testing.T, path, city string) {
	t.Helper()
	b, err := geoipwrite.Write([]geoipwrite.Entry{{Network: netip.MustParsePrefix("203.0.113.0/24"), City: map[string]string{"en": city}}}, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeApp writes an app folder whose <sub>/limits.conf holds limits.
func writeApp(t *testing.T, dir, sub, limits string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sub, "limits.conf"), []byte(limits), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIPLocationConfig: the database comes from the flag, else from the
// [iplocation] db_path of the apps' limits.conf (limits.conf.spec), later
// apps and local/ winning, a relative path taken from its app's folder.
func TestIPLocationConfig(t *testing.T) {
	dir := t.TempDir()
	a, b, none := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "none")
	writeGeoDB(t, filepath.Join(a, "geo", "a.mmdb"), "FromA")
	writeGeoDB(t, filepath.Join(dir, "abs.mmdb"), "FromAbsolute")
	writeGeoDB(t, filepath.Join(dir, "flag.mmdb"), "FromFlag")
	writeGeoDB(t, filepath.Join(b, "local.mmdb"), "FromLocal")
	writeApp(t, a, "default", "[iplocation]\ndb_path = geo/a.mmdb\n")
	writeApp(t, b, "default", "[iplocation]\ndb_path = "+filepath.Join(dir, "abs.mmdb")+"\n")
	writeApp(t, none, "default", "[search]\nmax_rawsize_perchunk = 100000000\n")

	city := func(apps []string, flag string) string {
		t.Helper()
		open, err := harness.IPLocation(apps, flag)
		if err != nil {
			t.Fatal(err)
		}
		if open == nil {
			return "(none)"
		}
		db, err := open()
		if err != nil {
			return "error: " + err.Error()
		}
		loc, _, err := db.Lookup(netip.MustParseAddr("203.0.113.5"))
		if err != nil {
			t.Fatal(err)
		}
		return loc.City.Names["en"]
	}
	for _, c := range []struct {
		name string
		apps []string
		flag string
		want string
	}{
		{"no app, no flag", nil, "", "(none)"},
		{"an app without the stanza", []string{none}, "", "(none)"},
		{"relative to its app", []string{a}, "", "FromA"},
		{"the later app wins", []string{a, b}, "", "FromAbsolute"},
		{"the flag wins", []string{a, b}, filepath.Join(dir, "flag.mmdb"), "FromFlag"},
	} {
		if got := city(c.apps, c.flag); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	writeApp(t, b, "local", "[iplocation]\ndb_path = local.mmdb\n")
	if got := city([]string{a, b}, ""); got != "FromLocal" {
		t.Errorf("local/ over default/: %s", got)
	}
	if got := city(nil, filepath.Join(dir, "missing.mmdb")); !strings.Contains(got, "missing.mmdb") || !strings.Contains(got, "--iplocation-db") {
		t.Errorf("a missing database: %s", got)
	}
}
