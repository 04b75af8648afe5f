package knowledge

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// rawFields is an event's own fields for the tests: a map, no extraction.
type rawFields map[string]value.Value

func (m rawFields) Field(name string) (value.Value, bool) {
	v, ok := m[name]
	return v, ok && !v.IsNull()
}

func (m rawFields) Each(fn func(string, value.Value)) {
	for k, v := range m {
		fn(k, v)
	}
}

// TestAliasSource: a field read straight from the one event field it is
// an alias of (fieldRule.aliasOf) only where every alias applied in turn
// gives that field's value, and the value read so is the one applying
// every alias in turn gives, for events with and without the fields.
func TestAliasSource(t *testing.T) {
	props := `[st]
FIELDALIAS-a = sourceIPAddress AS src eventName AS command
FIELDALIAS-b = userName ASNEW user
FIELDALIAS-c = errorCode AS code code AS code2
FIELDALIAS-d = a1 AS twice a2 AS twice
FIELDALIAS-e = x AS fromLater
FIELDALIAS-f = y AS x
[extracting]
EXTRACT-id = id=(?<id>\d+)
FIELDALIAS-a = sourceIPAddress AS src
`
	app := fstest.MapFS{"default/props.conf": {Data: []byte(props)}}
	k := Load([]conf.App{{FS: app, Name: "t"}}, eval.NewContext(time.Time{}), nil)
	for _, p := range k.Problems {
		t.Fatal(p)
	}
	for _, c := range []struct{ st, field, want string }{
		{"st", "src", "sourceIPAddress"},
		{"st", "command", "eventName"},
		{"st", "user", ""},          // ASNEW keeps the event's own user
		{"st", "code", "errorCode"}, // one alias writes it
		{"st", "code2", ""},         // its source is an alias's target
		{"st", "twice", ""},         // two aliases write it
		{"st", "fromLater", "x"},    // x is written only by a later alias
		{"st", "x", "y"},            // the later alias itself
		{"extracting", "src", ""},   // an extraction runs first
	} {
		if got := k.For(c.st).made[c.field].aliasOf; got != c.want {
			t.Errorf("[%s] %s: aliasOf %q, want %q", c.st, c.field, got, c.want)
		}
	}
	str := value.Str
	events := []rawFields{
		{},
		{"sourceIPAddress": str("10.0.0.1"), "eventName": str("GetUser"), "src": str("own"), "command": str("own")},
		{"userName": str("alice"), "user": str("bob"), "errorCode": str("Denied"), "code": str("own")},
		{"a1": str("1"), "a2": str("2"), "x": str("ex"), "y": str("why")},
		{"a1": str("1"), "y": str("why"), "sourceIPAddress": value.MV([]string{"10.0.0.1", "10.0.0.2"})},
		{"sourceIPAddress": value.Num(3), "x": str("ex")},
	}
	fields := []string{"src", "command", "user", "code", "code2", "twice", "fromLater", "x"}
	for i, ev := range events {
		for _, f := range fields {
			// Read alone, then with every alias applied first (field1's
			// other path, through the aliased row).
			alone := k.Source("st", ev).(*source)
			got, gotOK := alone.field1(f, alone.r.rules.get(f))
			all := k.Source("st", ev).(*source)
			all.alias()
			want, wantOK := all.field1(f, all.r.rules.get(f))
			if gotOK != wantOK || !got.Equal(want) {
				t.Errorf("event %d, %s: got %v %v, want %v %v", i, f, got, gotOK, want, wantOK)
			}
		}
	}
}
