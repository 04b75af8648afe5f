package knowledge

import (
	"reflect"
	"testing"
	"time"

	"github.com/splharness/splharness/spl/eval"
	"github.com/splharness/splharness/spl/value"
)

// sourceKept are the fields of source that sourceIn keeps from one event
// to the next on purpose (source.forget); every other one must be as a
// new source has it.
var sourceKept = map[string]bool{"layers": true, "calcMore": true, "forName": true, "forRules": true}

// TestSourceInForgets: a source made again in the memory of a used one
// (sourceIn, as Sourcetype.Reusing does for every event) holds what a new
// source for the event holds, field by field, once the used one has made
// everything it can (extractions, aliases, more calculated fields than
// calcSmall holds, lookups, event types and tags). A field added to
// source and not forgotten fails it. It also checks the layers still
// view the source, and that an event of another sourcetype gets its own
// rules.
func TestSourceInForgets(t *testing.T) {
	always := func(string) (func(*value.Row) bool, error) { return func(*value.Row) bool { return true }, nil }
	k := Load(builtinApps(), eval.NewContext(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), always)
	first := mapSource{"eventName": value.Str("CreateUser"), "sourceIPAddress": value.Str("10.0.0.1"),
		"userIdentity.type": value.Str("IAMUser"), "userIdentity.userName": value.Str("alice"), "errorCode": value.Str("AccessDenied"),
		"responseElements.user.userName": value.Str("bob"), "_raw": value.Str(`{"eventName":"CreateUser"}`)}
	next := mapSource{"eventName": value.Str("DescribeInstances"), "userIdentity.userName": value.Str("carol")}
	s := k.sourceIn(nil, "aws:cloudtrail", first).(*source)
	s.SetEventtypeGate(func(int) bool { return true })
	s.extract()
	s.alias()
	for name := range s.r.made {
		s.Field(name)
	}
	s.Field("tag")
	if s.calcN <= len(s.calcSmall) || s.etypes == nil || s.tags == nil || s.aliased == nil {
		t.Fatalf("the first event made too little to test with: %d calculated, %d event types", s.calcN, len(s.etypes))
	}
	for _, st := range []string{"aws:cloudtrail", "other:sourcetype", "aws:cloudtrail"} {
		got := k.sourceIn(s, st, next).(*source)
		want := k.sourceIn(nil, st, next).(*source)
		if got != s {
			t.Fatal("sourceIn made a new source instead of using the one given")
		}
		compareSources(t, st, got, want)
		// What this event makes must be forgotten by the next one too.
		for name := range got.r.made {
			got.Field(name)
		}
		got.Field("tag")
	}
}

// compareSources fails t when got and want differ in a field that
// sourceIn does not keep, or when got's layers do not view got.
func compareSources(t *testing.T, sourcetype string, got, want *source) {
	t.Helper()
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		if sourceKept[name] {
			continue
		}
		g, w := gv.Field(i), wv.Field(i)
		if g.Kind() == reflect.Func {
			if g.IsNil() != w.IsNil() {
				t.Errorf("%s: %s is nil: %v, in a new source %v", sourcetype, name, g.IsNil(), w.IsNil())
			}
			continue
		}
		if !reflect.DeepEqual(reflect.NewAt(g.Type(), g.Addr().UnsafePointer()).Elem().Interface(),
			reflect.NewAt(w.Type(), w.Addr().UnsafePointer()).Elem().Interface()) {
			t.Errorf("%s: %s is %#v, in a new source %#v", sourcetype, name, g, w)
		}
	}
	if len(got.calcMore) != 0 {
		t.Errorf("%s: calcMore holds %d values of the last event", sourcetype, len(got.calcMore))
	}
	for i := range got.layers {
		if got.layers[i] != (layer{got, i}) {
			t.Errorf("%s: layer %d does not view the source", sourcetype, i)
		}
	}
	if got.forName != sourcetype || got.forRules != got.r {
		t.Errorf("%s: the rules kept are those of %q", sourcetype, got.forName)
	}
}
