package event

import (
	"fmt"
	"testing"
)

// The objects objectsAgree reads: keys of the gate whose objects it
// reports (ScanOptions.GateObjects), their children (names at the
// object's top level, GateChildren), and names deeper down, which
// ObjectProbe reads.
var (
	gateObjectKeys = []string{"eventName", "userIdentity", "resources_obj"}
	gateObjects    = []string{"userIdentity", "resources_obj"}
	testChildren   = [][]string{{"userName", "arn", "type", "a", "host"}, {"a"}}
	probeDeep      = [][]string{{"sessionContext.sessionIssuer.userName", "x.y", "list{}", "list{}.a", "a.b"}, {"a.b"}}
)

// objectsAgree checks what quickGate reports of objects against the
// careful scan of the whole record: of an object (GateObject), a child it
// finds no key for has no value in the record, and one whose key has a
// string has one; ObjectProbe reads every name of the object as the
// record's fields have it; and a key that is absent or a string has no
// names under it.
func objectsAgree(t *testing.T, raw string) {
	t.Helper()
	need := Need{Names: map[string]bool{}}
	for i, obj := range gateObjects {
		for _, n := range append(append([]string{}, testChildren[i]...), probeDeep[i]...) {
			need.Names[obj+"."+n] = true
		}
	}
	need = need.Compile()
	var ss stampScan
	var g gateScan
	if _, ok := ss.quickGate(raw, cloudtrailStamps, gateObjectKeys, gateObjects, testChildren, &g); !ok {
		return
	}
	careful, _, err := carefulFields(raw, cloudtrailStamps, need)
	if err != nil {
		t.Fatalf("%q: settled by quickGate, %v for the careful scan", raw, err)
	}
	for i, obj := range gateObjects {
		v := g.values[i+1]
		names := append(append([]string{}, testChildren[i]...), probeDeep[i]...)
		probe := NewObjectProbe(names)
		for j, n := range names {
			f, _ := careful.Field(obj + "." + n)
			has := !f.IsNull()
			switch v.Kind {
			case GateObject:
				if j < len(testChildren[i]) && (v.Found>>j&1 == 0 && has || v.Str>>j&1 != 0 && !has) {
					t.Fatalf("%q: %s.%s found %v, a string %v for quickGate; %v for the careful scan", raw, obj, n, v.Found>>j&1, v.Str>>j&1, f.Values())
				}
				if got, ok := probe.Has(v.Value, n); ok && got != has {
					t.Fatalf("%q: %s.%s has a value: %v for the probe of %q, %v for the careful scan", raw, obj, n, got, v.Value, f.Values())
				}
			case GateAbsent, GateString:
				if has {
					t.Fatalf("%q: %s is %+v for quickGate, but %s.%s is %v for the careful scan", raw, obj, v, obj, n, f.Values())
				}
			}
		}
	}
}

// gateObjectRecords are objects at the gate's keys in every shape it must
// report right or leave alone: children of each kind of value, written
// twice, with a space before the value, with an escape in the key; the
// object written twice, an array, a string, absent; keys that flatten
// into its names from the top level or from inside it; names deeper down.
var gateObjectRecords = []string{
	`"userIdentity":{"type":"IAMUser","arn":"a","userName":"bob"}`,
	`"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"userName":"r"}}}`,
	`"userIdentity":{"userName":""}`,
	`"userIdentity":{"userName":null,"arn":5,"type":true}`,
	`"userIdentity":{"userName":{"x":"y"},"arn":["z"]}`,
	`"userIdentity":{"userName":"x","userName":"y"}`,
	`"userIdentity":{"userName":"","userName":"y"}`,
	`"userIdentity":{"userName" : "spaced", "arn":"\"q"}`,
	`"userIdentity":{"user\u004eame":"escaped"}`,
	`"userIdentity":{"arn":"a"},"userIdentity":{"userName":"twice"}`,
	`"userIdentity":{"arn":"a"},"userIdentity":"s"`,
	`"userIdentity":"bob"`,
	`"userIdentity":[{"userName":"arrayed"}]`,
	`"userIdentity":{}`,
	`"userIdentity":{"arn":"a"},"userIdentity.userName":"dotted"`,
	`"userIdentity.userName":"dotted"`,
	`"userIdentity":"s","userIdentity.arn":"dotted"`,
	`"userIdentityX":{"userName":"other"},"userIdentity":{"arn":"a"}`,
	`"userIdentity":{"a.b":"inner dotted","a":{"b":"nested"}}`,
	`"userIdentity":{"x":{"y":1},"x.y":2,"list":[{"a":1},"b",[2]]}`,
	`"userIdentity":{"host":"h","a":"é"}`,
	`"userIdentity":{"sessionContext":{"sessionIssuer":{"userName":"deep"}},"userName":"top"}`,
	`"resources_obj":{"a":{"b":"c"}},"userIdentity":{"a":"1"}`,
	`"eventName":{"userName":"not an object key"},"userIdentity":{"arn":"a"}`,
}

// TestGateObjects: for records of every shape gateObjectRecords lists,
// quickGate's objects agree with the careful scan (objectsAgree), and it
// reports an object exactly where its key is written once, with an
// object for its value, and no other top-level key flattens into its
// names.
func TestGateObjects(t *testing.T) {
	const ts = `"eventTime":"2023-04-11T01:18:47Z"`
	objects := 0
	for _, members := range gateObjectRecords {
		raw := "{" + ts + "," + members + "}"
		objectsAgree(t, raw)
		var ss stampScan
		var g gateScan
		if _, ok := ss.quickGate(raw, cloudtrailStamps, gateObjectKeys, gateObjects, testChildren, &g); !ok {
			if members != `"userIdentity":{"user\u004eame":"escaped"}` {
				t.Errorf("%s: not settled", raw)
			}
			continue
		}
		if g.values[1].Kind == GateObject {
			objects++
		}
	}
	if objects < 12 {
		t.Errorf("%d records with an object: the test proves too little", objects)
	}
	for _, name := range exampleNames(t) {
		objectsAgree(t, readExample(t, name))
	}
}

// FuzzGateObjects: for any record, quickGate's objects agree with the
// careful scan (objectsAgree).
func FuzzGateObjects(f *testing.F) {
	for _, members := range gateObjectRecords {
		f.Add(fmt.Sprintf(`{"eventTime":"2023-04-11T01:18:47Z",%s}`, members))
	}
	f.Fuzz(func(t *testing.T, s string) {
		objectsAgree(t, s)
	})
}
