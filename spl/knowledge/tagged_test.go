package knowledge_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// TestTaggedSameAsValues: asking whether an event has a tag or event type
// (value.Tagger, which evaluates only the event types that can give it)
// answers as the field's values do, for every tag and event type name the
// apps define, wildcard patterns, a tag no event type carries, and a
// field tag of tags.conf; asked before and after the values, so that the
// shared per-event memo serves both orders.
func TestTaggedSameAsValues(t *testing.T) {
	extra := fstest.MapFS{"default/tags.conf": {Data: []byte("[eventSource=iam.amazonaws.com]\niam_source = enabled\nchange = enabled\n")}}
	k := load(t, append(builtin(), conf.App{FS: extra, Name: "extra"}))
	names := map[string][]string{"tag": {"iam_source", "nosuch", "*", "chan*", "*ent*"}, "eventtype": {"nosuch", "*", "aws_cloudtrail_*auth*"}}
	for _, c := range readCases(t) {
		row := value.NewRow(k.Source("aws:cloudtrail", event.NewFields(newEvent(string(c.Event)), event.Need{All: true})))
		for _, v := range row.Get("tag").Values() {
			names["tag"] = append(names["tag"], v)
		}
		for _, v := range row.Get("eventtype").Values() {
			names["eventtype"] = append(names["eventtype"], v)
		}
	}
	for _, c := range readCases(t) {
		for _, valuesFirst := range []bool{false, true} {
			row := value.NewRow(k.Source("aws:cloudtrail", event.NewFields(newEvent(string(c.Event)), event.Need{All: true})))
			if valuesFirst {
				row.Get("tag")
			}
			for _, field := range []string{"tag", "eventtype"} {
				for _, name := range names[field] {
					match := globMatch(name)
					has, ok := row.Tagged(field, match)
					if !ok {
						t.Fatalf("%s: Tagged(%s) cannot answer", c.Case, field)
					}
					want := slices.ContainsFunc(value.NewRow(k.Source("aws:cloudtrail", event.NewFields(newEvent(string(c.Event)), event.Need{All: true}))).Get(field).Values(), match)
					if has != want {
						t.Errorf("%s: %s=%s: Tagged says %v, the values %v", c.Case, field, name, has, want)
					}
				}
			}
		}
	}
	// A row that holds the field itself answers from it, not the source.
	row := value.NewRow(k.Source("aws:cloudtrail", event.NewFields(newEvent(string(readCases(t)[0].Event)), event.Need{All: true})))
	row.Set("tag", value.Str("mine"))
	if _, ok := row.Tagged("tag", globMatch("mine")); ok {
		t.Errorf("a row's own tag field: Tagged answered for the source")
	}
}

// globMatch matches a value against a pattern with * wildcards, ignoring
// ASCII case, as search does.
func globMatch(pat string) func(string) bool {
	parts := strings.Split(strings.ToLower(pat), "*")
	return func(v string) bool {
		v = strings.ToLower(v)
		if len(parts) == 1 {
			return v == parts[0]
		}
		if !strings.HasPrefix(v, parts[0]) {
			return false
		}
		v = v[len(parts[0]):]
		for _, p := range parts[1 : len(parts)-1] {
			i := strings.Index(v, p)
			if i < 0 {
				return false
			}
			v = v[i+len(p):]
		}
		return strings.HasSuffix(v, parts[len(parts)-1])
	}
}

// TestReusingSameAsApply: a reusing Apply (Sourcetype.Reusing) shows
// every event's fields as Apply does, and what an earlier event's
// readers took from the shared source (values, calculated fields, event
// types and tags) stays as it was when the next event is made in its
// place.
func TestReusingSameAsApply(t *testing.T) {
	k := load(t, builtin())
	st := k.Sourcetype("aws:cloudtrail")
	reusing := st.Reusing()
	// More calculated fields than a source holds without more memory
	// (calcSmall), which the reusing source keeps from event to event.
	fields := []string{"eventtype", "tag", "errorCode", "user", "src", "action", "eventName", "vendor_product",
		"user_name", "user_id", "user_type", "dest", "object", "object_id", "msg", "vendor_account", "user_agent", "user_arn", "aws_account_id", "userName"}
	render := func(row *value.Row) string {
		var b strings.Builder
		for _, f := range fields {
			b.WriteString(f + "=" + strings.Join(row.Get(f).Values(), "|") + "\n")
		}
		return b.String()
	}
	cases := readCases(t)
	var kept []string
	var keptVals []value.Value
	for _, c := range cases {
		ev := newEvent(string(c.Event))
		want := render(value.NewRow(st.Apply(ev, event.NewFields(ev, event.Need{All: true}))))
		row := value.NewRow(reusing(ev, event.NewFields(ev, event.Need{All: true})))
		if got := render(row); got != want {
			t.Errorf("%s: reusing gives\n%s\nApply gives\n%s", c.Case, got, want)
		}
		kept = append(kept, want)
		var vals []value.Value
		for _, f := range fields {
			vals = append(vals, row.Get(f))
		}
		keptVals = append(keptVals, vals...)
	}
	for i := range cases {
		var b strings.Builder
		for j, f := range fields {
			b.WriteString(f + "=" + strings.Join(keptVals[i*len(fields)+j].Values(), "|") + "\n")
		}
		if b.String() != kept[i] {
			t.Errorf("%s: values read from the reused source changed:\n%s\nwant\n%s", cases[i].Case, b.String(), kept[i])
		}
	}
}
