package harness_test

import (
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/harness"
)

// TestLookupMatchTypeFromYAML: an ESCU lookup definition's match_type
// (the transforms.conf setting: WILDCARD, CIDR and EXACT columns) applies
// to its table; an unknown match type is an error naming it.
func TestLookupMatchTypeFromYAML(t *testing.T) {
	fsys := fstest.MapFS{
		"lookups/networks.yml": {Data: []byte("name: networks\ndescription: x\nfilename: networks.csv\nmatch_type: CIDR(cidr), WILDCARD(name)\nmin_matches: 1\ndefault_match: unknown\n")},
		"lookups/networks.csv": {Data: []byte("cidr,name\n10.0.0.0/8,internal\n2001:db8::/32,documentation\n")},
		"lookups/broken.yml":   {Data: []byte("name: broken\ndescription: x\nfilename: networks.csv\nmatch_type: FUZZY(cidr)\n")},
	}
	c, err := harness.Load(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	lookups := env().Options(c).Lookups
	tab, err := lookups.Lookup("networks")
	if err != nil {
		t.Fatal(err)
	}
	if !tab.CIDR["cidr"] || !tab.Wildcard["name"] {
		t.Errorf("CIDR %v, Wildcard %v", tab.CIDR, tab.Wildcard)
	}
	for ip, want := range map[string]int{"10.200.0.1": 1, "2001:db8::5": 1, "11.0.0.1": 0, "x": 0} {
		if got := len(tab.Match([]int{0}, []string{ip})); got != want {
			t.Errorf("%s matches %d rows, want %d", ip, got, want)
		}
	}
	if _, err := lookups.Lookup("broken"); err == nil {
		t.Error("match_type FUZZY(cidr) was accepted")
	}
}
