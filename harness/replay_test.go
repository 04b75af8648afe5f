package harness_test

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/harness"
)

// TestReplayTime: a test whose attack data entry has update_timestamp:
// true runs its search at the time of the file's first record (in file
// order, not the earliest), as Splunk's replay tooling, which moves the
// file's events so that its first record is at the test's start, makes
// every comparison with now() come out (docs/semantics.md, "Test data
// replay time"). A search with `eval n=now()` shows the time. An entry
// without the flag keeps the run's clock; with several entries, the
// first flagged one's file sets the time; a must-not-fire dataset of the
// sidecar replaces the test's data, so its own first record sets it; a
// file whose first record has no time keeps the run's clock and says so.
func TestReplayTime(t *testing.T) {
	const id = "33333333-3333-3333-3333-333333333333"
	search := `sourcetype="aws:cloudtrail" | stats count by sourcetype | eval n=now() | table n`
	at := func(s string) string {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(tm.Unix(), 10)
	}
	ndjson := `{"eventTime":"2026-03-01T10:05:00Z","eventName":"RunInstances"}
{"eventTime":"2026-03-01T10:00:00Z","eventName":"RunInstances"}
`
	records := `{"Records":[{"eventTime":"2026-03-02T08:30:15Z","eventName":"RunInstances"},{"eventTime":"2026-03-02T08:00:00Z","eventName":"RunInstances"}]}`
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"eventTime":"2026-03-03T23:59:59Z","eventName":"RunInstances"}` + "\n"))
	w.Close()
	benign := `{"eventTime":"2025-12-31T00:00:01Z","eventName":"DescribeInstances"}` + "\n"
	noTime := `{"eventName":"RunInstances"}
{"eventTime":"2026-03-01T10:00:00Z","eventName":"RunInstances"}
`
	runClock := strconv.FormatInt(now.Unix(), 10)
	entry := func(file string, flag bool) string {
		s := "  - data: d/" + file + "\n    sourcetype: aws:cloudtrail\n    source: aws_cloudtrail\n"
		if flag {
			s += "    update_timestamp: true\n"
		}
		return s
	}
	cases := []struct {
		name    string
		entries string
		data    string // the data file the sidecar's expectation is for
		side    string // more sidecar expectations
		n       string // now() the search sees
		message string // a part of the result's message
	}{
		{"flagged", entry("data.json", true), "data.json", "", at("2026-03-01T10:05:00Z"), ""},
		{"not flagged", entry("data.json", false), "data.json", "", runClock, ""},
		{"flag false", strings.Replace(entry("data.json", true), "true", "false", 1), "data.json", "", runClock, ""},
		{"flag quoted", strings.Replace(entry("data.json", true), "true", `"true"`, 1), "data.json", "", runClock, ""},
		{"Records array", entry("records.json", true), "records.json", "", at("2026-03-02T08:30:15Z"), ""},
		{"gzip", entry("data.json.gz", true), "data.json.gz", "", at("2026-03-03T23:59:59Z"), ""},
		{"second entry flagged", entry("data.json", false) + entry("records.json", true), "data.json", "", at("2026-03-02T08:30:15Z"), ""},
		{"first flagged entry wins", entry("records.json", true) + entry("data.json.gz", true), "records.json", "", at("2026-03-02T08:30:15Z"), ""},
		{"must-not-fire dataset", entry("data.json", true), "data.json",
			"- detection: D " + id + "\n  data: benign.json\n  rows:\n  - n: \"" + at("2025-12-31T00:00:01Z") + "\"\n", at("2026-03-01T10:05:00Z"), ""},
		{"first record without time", entry("notime.json", true), "notime.json", "", runClock,
			"update_timestamp: the first record of d/notime.json has no readable time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tests := "tests:\n- name: True Positive Test\n  attack_data:\n" + tc.entries
			c, err := harness.Load(fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory+tests))}}, "test")
			if err != nil {
				t.Fatal(err)
			}
			rejected := 0
			if tc.data == "notime.json" {
				rejected = 1
			}
			side := "expectations:\n- detection: D " + id + "\n  data: " + tc.data + "\n  rejected: " + strconv.Itoa(rejected) + "\n  rows:\n  - n: \"" + tc.n + "\"\n" + tc.side
			root := fstest.MapFS{
				"d/data.json":      {Data: []byte(ndjson)},
				"d/records.json":   {Data: []byte(records)},
				"d/data.json.gz":   {Data: gz.Bytes()},
				"d/benign.json":    {Data: []byte(benign)},
				"d/notime.json":    {Data: []byte(noTime)},
				"d/splharness.yml": {Data: []byte(side)},
			}
			var results []harness.Result
			env().RunTests(c, harness.TestOptions{AttackData: root}, func(r harness.Result) { results = append(results, r) })
			if len(results) == 0 {
				t.Fatal("no results")
			}
			for _, r := range results {
				if r.Status != harness.Pass || !strings.Contains(r.Message, tc.message) {
					t.Errorf("%s: %s %q, want a pass with %q\n%s", r.Test, r.Status, r.Message, tc.message, r.Diff)
				}
			}
		})
	}
}
