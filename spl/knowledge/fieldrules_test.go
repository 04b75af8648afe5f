package knowledge

import (
	"strings"
	"testing"
	"time"

	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// TestFieldRules: the table a field read looks in gives, for every name,
// what the map of the rules gives: each field the add-on's rules make,
// and names they do not (raw fields, names a byte off, prefixes, the
// empty name); rules whose names crowd the table's slots use the map,
// and give the same.
func TestFieldRules(t *testing.T) {
	apps := builtinApps()
	never := func(string) (func(*value.Row) bool, error) { return func(*value.Row) bool { return false }, nil }
	k := Load(apps, eval.NewContext(time.Unix(0, 0)), never)
	addOn := k.For("aws:cloudtrail")
	if addOn == nil || len(addOn.made) < 20 {
		t.Fatal("no add-on rules")
	}
	crowded := map[string]*fieldRule{}
	for i := 0; i < 64; i++ {
		// Same length and same first, middle, last bytes: one slot.
		crowded["a"+strings.Repeat("b", 30)+string(rune('0'+i%10))+string(rune('0'+i/10))+strings.Repeat("b", 30)+"z"] = &fieldRule{}
	}
	tests := []struct {
		name    string
		made    map[string]*fieldRule
		useMap  bool
		absents []string
	}{
		{"add-on", addOn.made, false, []string{"eventName", "userIdentity.arn", "userAgent", "_time", "", "u", "srcx", "sr", "user_", "User", "eventtype"}},
		{"crowded", crowded, true, []string{"a" + strings.Repeat("b", 62) + "z", "abz"}},
		{"none", map[string]*fieldRule{}, false, []string{"x", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fr := newFieldRules(tt.made)
			if got := fr.slots == nil && len(tt.made) > 0; got != tt.useMap {
				t.Errorf("uses the map: %v, want %v", got, tt.useMap)
			}
			names := append([]string(nil), tt.absents...)
			for name := range tt.made {
				names = append(names, name, name[:len(name)-1], name+"x", strings.ToUpper(name))
			}
			for _, name := range names {
				want := tt.made[name]
				if got := fr.get(name); got != want {
					t.Errorf("%q: %p, want %p", name, got, want)
				}
				// By ID, numbered before or after the table was made, and
				// by name when the name has no ID.
				if got := fr.getID(value.FieldOf(name)); got != want {
					t.Errorf("%q by ID: %p, want %p", name, got, want)
				}
				if got := fr.getID(value.Field{Name: name, ID: -1}); got != want {
					t.Errorf("%q without an ID: %p, want %p", name, got, want)
				}
			}
		})
	}
}
