package harness_test

import (
	"fmt"
	"io/fs"
	"net/netip"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	attackdata "github.com/splharness/splharness/attack_data"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// TestKVStoreSupply: a dataset's sidecar supplies a KV store lookup's
// contents (kvstore: names a CSV file of the folder), read like a CSV
// lookup with the definition's options and fields_list. A collection
// nobody supplied stays a lookup-undefined error, and a kvstore: entry
// that is not a KV store lookup of the content, or whose file is not
// there, is a sidecar error at its line.
func TestKVStoreSupply(t *testing.T) {
	const id = "11111111-1111-1111-1111-111111111111"
	search := `sourcetype="aws:cloudtrail" | rename userIdentity.userName as user | lookup seen user OUTPUTNEW firstTimeSeen | where isnull(firstTimeSeen) | stats count by user`
	tests := "tests:\n- name: True Positive Test\n  attack_data:\n  - data: d/data.json\n    sourcetype: aws:cloudtrail\n    source: aws_cloudtrail\n"
	content := fstest.MapFS{
		"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory+tests))},
		// A KV store lookup, matched without regard to case.
		"lookups/seen.yml":  {Data: []byte("name: seen\ndescription: x\ncollection: seen\ncase_sensitive_match: false\nfields_list: _key, user, firstTimeSeen, enough_data\n")},
		"lookups/plain.yml": {Data: []byte("name: plain\ndescription: x\nfilename: plain.csv\n")},
		"lookups/plain.csv": {Data: []byte("user\nalice\n")},
	}
	c, err := harness.Load(content, "test")
	if err != nil {
		t.Fatal(err)
	}
	const data = `{"eventTime":"2026-03-01T10:00:00Z","eventName":"RunInstances","userIdentity":{"userName":"alice"}}
{"eventTime":"2026-03-01T10:05:00Z","eventName":"RunInstances","userIdentity":{"userName":"bob"}}
{"eventTime":"2026-03-01T10:06:00Z","eventName":"RunInstances","userIdentity":{"userName":"bob"}}
`
	const want = "expectations:\n- detection: D " + id + "\n  data: data.json\n  rows:\n  - user: bob\n    count: \"2\"\n"
	cases := []struct {
		name    string
		sidecar string // kvstore: lines before the expectations
		files   map[string]string
		status  harness.Status
		message string // a part of the result's message
	}{
		{"supplied", "kvstore:\n  seen: seen.csv\n", map[string]string{"seen.csv": "user,firstTimeSeen,enough_data\nALICE,1700000000,1\n"}, harness.Pass, ""},
		{"not supplied", "", nil, harness.Error, "lookup seen is a KV store collection, which the evaluator cannot read unless the test's data supplies its contents"},
		{"not supplied: empty mapping", "kvstore: {}\n", nil, harness.Error, "lookup-undefined"},
		{"a CSV lookup", "kvstore:\n  seen: seen.csv\n  plain: plain.csv\n", map[string]string{"seen.csv": "user\nalice\n", "plain.csv": "user\n"}, harness.Error, "d/splharness.yml:3:3: kvstore: plain is a CSV lookup (plain.csv), not a KV store collection"},
		{"not a lookup", "kvstore:\n  nosuch: seen.csv\n", map[string]string{"seen.csv": "user\n"}, harness.Error, "d/splharness.yml:2:3: kvstore: nosuch is not a lookup of the content"},
		{"file missing", "kvstore:\n  seen: seen.csv\n", nil, harness.Error, "d/splharness.yml:2:3: kvstore: seen: d/seen.csv is not in the attack data"},
		{"file in another folder", "kvstore:\n  seen: ../seen.csv\n", nil, harness.Error, "d/splharness.yml:2:9: kvstore: seen must name a CSV file of the dataset's folder"},
		{"named twice", "kvstore:\n  seen: seen.csv\n  seen: seen.csv\n", map[string]string{"seen.csv": "user\n"}, harness.Error, "d/splharness.yml:3:3: kvstore: seen is supplied twice (also line 2)"},
		{"not a mapping", "kvstore: [seen.csv]\n", nil, harness.Error, "d/splharness.yml:1:10: kvstore: must map KV store lookup names to CSV files"},
		{"column outside fields_list", "kvstore:\n  seen: seen.csv\n", map[string]string{"seen.csv": "user,lastSeen\nalice,1\n"}, harness.Error, "d/seen.csv has the column lastSeen, which the collection's fields_list (_key, user, firstTimeSeen, enough_data) does not name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runSidecarCase(t, c, data, tc.sidecar+want, tc.files)
			if r.Status != tc.status || !strings.Contains(r.Message, tc.message) {
				t.Errorf("%s %q, want %s with %q", r.Status, r.Message, tc.status, tc.message)
			}
		})
	}
}

// TestESCUAttackData: on the shared ESCU tree, every ESCU detection that
// a sidecar of our attack data names passes its test and stays silent on
// its benign file, the previously-seen ones with the KV store
// collections their sidecar supplies.
func TestESCUAttackData(t *testing.T) {
	c := loadESCU(t)
	names := map[string]bool{}
	err := fs.WalkDir(attackdata.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || path.Base(p) != "splharness.yml" {
			return err
		}
		b, err := fs.ReadFile(attackdata.FS(), p)
		if err != nil {
			return err
		}
		var sc struct {
			Expectations []struct {
				Detection string `yaml:"detection"`
			} `yaml:"expectations"`
		}
		if err := yaml.Unmarshal(b, &sc); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		for _, x := range sc.Expectations {
			if !strings.HasPrefix(x.Detection, "AWS Bedrock ") { // our own content's
				names[x.Detection] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := harness.TestOptions{AttackData: attackdata.FS()}
	for n := range names {
		opts.Detections = append(opts.Detections, n)
	}
	ran := map[string]bool{}
	sum := env().RunTests(c, opts, func(r harness.Result) {
		ran[r.Detection] = true
		if r.Status != harness.Pass {
			t.Errorf("%s / %s: %s %s\n%s", r.Detection, r.Test, r.Status, r.Message, r.Diff)
		}
	})
	for n := range names {
		if !ran[n] {
			t.Errorf("%s: no test ran", n)
		}
	}
	t.Logf("%d ESCU detections, %+v", len(names), sum)
}

// TestIPLocationSupply: a dataset's sidecar names the IP location
// database (iplocation:) that the tests on its data read; a missing or
// misplaced file is a sidecar error at its line, and without one
// iplocation stays unsupported.
func TestIPLocationSupply(t *testing.T) {
	const id = "22222222-2222-2222-2222-222222222222"
	search := `sourcetype="aws:cloudtrail" | iplocation sourceIPAddress | where isnotnull(City) | stats count by City Country`
	tests := "tests:\n- name: True Positive Test\n  attack_data:\n  - data: d/data.json\n    sourcetype: aws:cloudtrail\n    source: aws_cloudtrail\n"
	c, err := harness.Load(fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory+tests))}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	db, err := geoipwrite.Write([]geoipwrite.Entry{{Network: netip.MustParsePrefix("203.0.113.0/24"),
		City: map[string]string{"en": "Lisbon"}, Country: map[string]string{"en": "Portugal"}}}, 1767225600)
	if err != nil {
		t.Fatal(err)
	}
	const data = `{"eventTime":"2026-03-01T10:00:00Z","eventName":"RunInstances","sourceIPAddress":"203.0.113.7"}
{"eventTime":"2026-03-01T10:05:00Z","eventName":"RunInstances","sourceIPAddress":"10.1.2.3"}
`
	const want = "expectations:\n- detection: D " + id + "\n  data: data.json\n  rows:\n  - City: Lisbon\n    Country: Portugal\n    count: \"1\"\n"
	cases := []struct {
		name, sidecar string
		db            bool
		status        harness.Status
		message       string
	}{
		{"supplied", "iplocation: geo.mmdb\n", true, harness.Pass, ""},
		{"not supplied", "", true, harness.Error, "iplocation needs an IP location database"},
		{"file missing", "iplocation: geo.mmdb\n", false, harness.Error, "d/splharness.yml:1:13: iplocation: d/geo.mmdb is not in the attack data"},
		{"not a file name", "iplocation: [geo.mmdb]\n", true, harness.Error, "d/splharness.yml:1:13: iplocation: must name a .mmdb file of the dataset's folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := fstest.MapFS{"d/data.json": {Data: []byte(data)}, "d/splharness.yml": {Data: []byte(tc.sidecar + want)}}
			if tc.db {
				root["d/geo.mmdb"] = &fstest.MapFile{Data: db}
			}
			var results []harness.Result
			env().RunTests(c, harness.TestOptions{AttackData: root}, func(r harness.Result) { results = append(results, r) })
			if len(results) != 1 {
				t.Fatalf("%d results, want 1: %+v", len(results), results)
			}
			if r := results[0]; r.Status != tc.status || !strings.Contains(r.Message, tc.message) {
				t.Errorf("%s %q, want %s with %q\n%s", r.Status, r.Message, tc.status, tc.message, r.Diff)
			}
		})
	}
}

// FuzzSidecar: whatever a dataset's sidecar holds (it is text from the
// attack data), a test gets a status and, unless it passes, a reason; a
// kvstore: or iplocation: problem names the sidecar's file and line.
func FuzzSidecar(f *testing.F) {
	for _, seed := range []string{
		"kvstore:\n  seen: seen.csv\nexpectations:\n- detection: D\n  data: data.json\n  rows: []\n",
		"kvstore: {seen: seen.csv, plain: plain.csv}\n",
		"kvstore:\n  seen: ../seen.csv\n",
		"kvstore: [a]\niplocation: geo.mmdb\n",
		"iplocation: {a: b}\n",
		"kvstore:\n  seen: seen.csv\n  seen: seen.csv\n",
		"expectations: 3\n",
		"",
	} {
		f.Add(seed)
	}
	const id = "33333333-3333-3333-3333-333333333333"
	search := `sourcetype="aws:cloudtrail" | rename userIdentity.userName as user | lookup seen user OUTPUTNEW firstTimeSeen | stats count by user`
	tests := "tests:\n- name: T\n  attack_data:\n  - data: d/data.json\n    sourcetype: aws:cloudtrail\n"
	c, err := harness.Load(fstest.MapFS{
		"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory+tests))},
		"lookups/seen.yml":       {Data: []byte("name: seen\ndescription: x\ncollection: seen\nfields_list: _key, user, firstTimeSeen\n")},
		"lookups/plain.yml":      {Data: []byte("name: plain\ndescription: x\nfilename: plain.csv\n")},
		"lookups/plain.csv":      {Data: []byte("user\nalice\n")},
	}, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	e := env()
	f.Fuzz(func(t *testing.T, sidecar string) {
		root := fstest.MapFS{
			"d/data.json":      {Data: []byte(`{"eventTime":"2026-03-01T10:00:00Z","eventName":"X","userIdentity":{"userName":"bob"}}` + "\n")},
			"d/seen.csv":       {Data: []byte("user,firstTimeSeen\nalice,1\n")},
			"d/splharness.yml": {Data: []byte(sidecar)},
		}
		e.RunTests(c, harness.TestOptions{AttackData: root}, func(r harness.Result) {
			if r.Status == "" || r.Status != harness.Pass && r.Message == "" {
				t.Fatalf("result without a status or reason: %+v", r)
			}
			if (strings.Contains(r.Message, ": kvstore: ") || strings.Contains(r.Message, ": iplocation: ")) && !strings.HasPrefix(r.Message, "d/splharness.yml:") {
				t.Fatalf("a kvstore: problem without the sidecar's place: %s", r.Message)
			}
		})
	})
}

// runSidecarCase runs the one test of c over a dataset folder d holding
// data.json, the sidecar and files, and returns its result.
func runSidecarCase(t *testing.T, c *harness.Content, data, sidecar string, files map[string]string) harness.Result {
	t.Helper()
	root := fstest.MapFS{
		"d/data.json":      {Data: []byte(data)},
		"d/splharness.yml": {Data: []byte(sidecar)},
	}
	for name, text := range files {
		root["d/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	var results []harness.Result
	env().RunTests(c, harness.TestOptions{AttackData: root}, func(r harness.Result) { results = append(results, r) })
	if len(results) != 1 {
		t.Fatalf("%d results, want 1: %+v", len(results), results)
	}
	return results[0]
}
