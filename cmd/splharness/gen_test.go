package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
)

// TestGenSmallFiresEveryDetection: gen with a size too small for one
// burst every --attack-every records still plants one, and every
// detection of the embedded content fires on it.
func TestGenSmallFiresEveryDetection(t *testing.T) {
	clock = fixedClock
	data := filepath.Join(t.TempDir(), "small.json")
	var out, errOut bytes.Buffer
	if code := run([]string{"gen", "--size", "64KB", "--out", data}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "the one attack burst follows them") {
		t.Errorf("gen does not say where it planted the burst: %s", errOut.String())
	}
	c, err := harness.Load(detections.FS(), "detections")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Detections) != 5 {
		t.Fatalf("%d detections, want 5", len(c.Detections))
	}
	for _, d := range c.Detections {
		t.Run(d.Name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run([]string{"search", "--data", data, "--format", "json", d.Search}, strings.NewReader(""), &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var rows []map[string]any
			if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				t.Errorf("did not fire on 64KB of generated CloudTrail: %s", errOut.String())
			}
		})
	}
}
