package knowledge_test

import (
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// TestLookupGroupsOrder: a field after the lookups has the value that
// applying every LOOKUP- rule in class order gives (docs/knowledge.md,
// "Order"), whichever fields were asked for before it, although each
// field runs only the lookups of its group: here a chain (kind from
// eventName, then tier from kind, and OUTPUTNEW kind again from
// eventSource, and OUTPUTNEW tier again from eventName), and independent
// ones; the built-in add-on's fields are the same in any order as all at
// once.
func TestLookupGroupsOrder(t *testing.T) {
	app := fstest.MapFS{
		"default/props.conf": {Data: []byte(`[aws:cloudtrail]
LOOKUP-a = kinds eventName OUTPUT kind
LOOKUP-b = tiers kind OUTPUT tier
LOOKUP-c = sources eventSource OUTPUTNEW kind
LOOKUP-d = regions awsRegion OUTPUT area
LOOKUP-e = tiers2 eventName OUTPUTNEW tier
LOOKUP-f = agents userAgent OUTPUT agent
`)},
		"default/transforms.conf": {Data: []byte("[kinds]\nfilename = kinds.csv\n[tiers]\nfilename = tiers.csv\n[sources]\nfilename = sources.csv\n[regions]\nfilename = regions.csv\nmin_matches = 1\ndefault_match = elsewhere\n[tiers2]\nfilename = tiers2.csv\n[agents]\nfilename = agents.csv\n")},
		"lookups/kinds.csv":       {Data: []byte("eventName,kind\nGetObject,read\nPutObject,write\n")},
		"lookups/tiers.csv":       {Data: []byte("kind,tier\nread,low\nwrite,high\nnew,mid\n")},
		"lookups/sources.csv":     {Data: []byte("eventSource,kind\ns3.amazonaws.com,storage\niam.amazonaws.com,new\n")},
		"lookups/regions.csv":     {Data: []byte("awsRegion,area\nus-east-1,us\neu-west-1,eu\n")},
		"lookups/tiers2.csv":      {Data: []byte("eventName,tier\nDeleteUser,top\n")},
		"lookups/agents.csv":      {Data: []byte("userAgent,agent\naws-cli,cli\n")},
	}
	apps := map[string][]conf.App{"test": {{FS: app, Name: "app"}}, "builtin": builtin()}
	fields := map[string][]string{
		"test":    {"kind", "tier", "area", "agent", "eventName"},
		"builtin": {"action", "status", "change_type", "object_category", "vendor", "protocol"},
	}
	events := []string{
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"GetObject","eventSource":"s3.amazonaws.com","awsRegion":"eu-west-1","userAgent":"aws-cli"}`,
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"ListUsers","eventSource":"iam.amazonaws.com","awsRegion":"ap-south-1"}`,
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"DeleteUser","eventSource":"iam.amazonaws.com","kind":"own"}`,
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"PutObject","eventSource":"sts.amazonaws.com","errorCode":"AccessDenied"}`,
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"RunInstances","eventSource":"ec2.amazonaws.com","protocol_code":"6"}`,
		`{"eventTime":"2026-11-01T10:00:00Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","responseElements":{"ConsoleLogin":"Failure"}}`,
	}
	// The test app's fields after its lookups in class order, worked out
	// by hand: tier is read from kind before LOOKUP-c fills kind, and an
	// OUTPUT lookup that matches nothing clears its field.
	wantTest := []map[string]string{
		{"kind": "read", "tier": "low", "area": "eu", "agent": "cli", "eventName": "GetObject"},
		{"kind": "new", "tier": "", "area": "elsewhere", "agent": "", "eventName": "ListUsers"},
		{"kind": "new", "tier": "top", "area": "", "agent": "", "eventName": "DeleteUser"},
		{"kind": "write", "tier": "high", "area": "", "agent": "", "eventName": "PutObject"},
		{"kind": "", "tier": "", "area": "", "agent": "", "eventName": "RunInstances"},
		{"kind": "", "tier": "", "area": "", "agent": "", "eventName": "ConsoleLogin"},
	}
	for name, a := range apps {
		k := load(t, a)
		fs := fields[name]
		for e, raw := range events {
			ev := newEvent(raw)
			want := wantTest[e]
			if name == "builtin" {
				// Every field at once, through Each.
				want = map[string]string{}
				k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true})).Each(func(n string, v value.Value) { want[n] = v.String() })
			}
			for _, order := range permutations(len(fs)) {
				src := k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true}))
				for _, i := range order {
					v, _ := src.Field(fs[i])
					if v.String() != want[fs[i]] {
						t.Errorf("%s: %s: %s=%q asked in order %v, want %q", name, raw, fs[i], v.String(), order, want[fs[i]])
					}
				}
			}
		}
	}
}

// permutations lists the orders of n items (n small).
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{nil}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int(nil), p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}
