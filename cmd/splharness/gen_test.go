package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/harness/gen"
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

// TestGenProfilesFireExactlyAsPlanted: on each profile, every detection of
// the embedded content returns exactly the planted activity (one row per
// attacker, with the planted count) and nothing else; with the attackers'
// records taken out it returns nothing, although the benign part holds
// near misses of the detections (checked below, so the silence is not
// vacuous). The CLI's output is the library's, byte for byte.
func TestGenProfilesFireExactlyAsPlanted(t *testing.T) {
	clock = fixedClock
	c, err := harness.Load(detections.FS(), "detections")
	if err != nil {
		t.Fatal(err)
	}
	// The attackers gen plants, in burst order (harness/gen's attackers).
	attackers := []struct{ ip, role string }{{"203.0.113.45", "ml-inference"}, {"198.51.100.77", "ci-deployer"}}
	perBurst := map[string]int{"AWS Bedrock High Number List Foundation Model Failures": 12}
	nearMisses := map[string][]string{
		"bedrock-heavy": {
			// Denied ListFoundationModels below the threshold.
			`eventSource=bedrock.amazonaws.com eventName=ListFoundationModels errorCode=AccessDenied`,
			// A run of ten or more throttled ListFoundationModels by one caller.
			`eventSource=bedrock.amazonaws.com eventName=ListFoundationModels errorCode=ThrottlingException | stats count by src user_name | where count > 9`,
			// InvokeModel failing with the service's AccessDeniedException, not IAM's AccessDenied.
			`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=AccessDeniedException`,
			`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=ThrottlingException`,
			`eventSource=bedrock.amazonaws.com eventName=InvokeModel errorCode=ValidationException`,
			`eventSource=bedrock.amazonaws.com eventName=GetModelInvocationLoggingConfiguration`,
			`eventSource=bedrock.amazonaws.com eventName=UpdateGuardrail OR eventName=GetGuardrail`,
		},
		"default": {
			`eventSource=bedrock.amazonaws.com eventName=InvokeModel`,
			`eventSource=bedrock.amazonaws.com eventName=ListFoundationModels`,
			`errorCode=AccessDenied NOT eventSource=bedrock.amazonaws.com`,
		},
	}
	for _, profile := range gen.Profiles() {
		t.Run(profile, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "ct.json")
			var out, errOut bytes.Buffer
			args := []string{"gen", "--size", "8MB", "--seed", "3", "--attack-every", "1500", "--profile", profile, "--out", data}
			if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
				t.Fatalf("gen: exit %d: %s", code, errOut.String())
			}
			var lib bytes.Buffer
			planted, err := gen.Write(&lib, gen.Config{Bytes: 8 << 20, Seed: 3, AttackEvery: 1500, Profile: profile})
			if err != nil {
				t.Fatal(err)
			}
			written, err := os.ReadFile(data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(written, lib.Bytes()) {
				t.Fatal("splharness gen wrote other bytes than gen.Write with the same settings")
			}
			if planted.Bursts < 3 {
				t.Fatalf("only %d bursts: the test would not see both attackers add up", planted.Bursts)
			}
			// The benign part: every line but the attackers'.
			var benign bytes.Buffer
			for _, line := range bytes.SplitAfter(written, []byte("\n")) {
				if !bytes.Contains(line, []byte(attackers[0].ip)) && !bytes.Contains(line, []byte(attackers[1].ip)) {
					benign.Write(line)
				}
			}
			benignPath := filepath.Join(dir, "benign.json")
			if err := os.WriteFile(benignPath, benign.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if len(written)-benign.Len() > 40*1024*planted.Bursts {
				t.Fatalf("%d bytes name an attacker's address, more than %d bursts can", len(written)-benign.Len(), planted.Bursts)
			}
			for _, d := range c.Detections {
				want := map[string]int{}
				for i := 0; i < planted.Bursts; i++ {
					a := attackers[i%len(attackers)]
					want[a.ip+" "+a.role] += max(perBurst[d.Name], 1)
				}
				got := map[string]int{}
				for _, r := range searchRows(t, data, d.Search) {
					n, _ := strconv.Atoi(fmt.Sprint(r["count"]))
					got[fmt.Sprint(r["src"])+" "+fmt.Sprint(r["user"])] += n
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s: found %v, planted %v", d.Name, got, want)
				}
				if rows := searchRows(t, benignPath, d.Search); len(rows) != 0 {
					t.Errorf("%s fires on the benign part: %v", d.Name, rows)
				}
			}
			for _, s := range nearMisses[profile] {
				if rows := searchRows(t, benignPath, s+" | stats count"); len(rows) != 1 || fmt.Sprint(rows[0]["count"]) == "0" {
					t.Errorf("no near miss in the benign part for %s: %v", s, rows)
				}
			}
		})
	}
}

// searchRows runs splharness search --format json.
func searchRows(t *testing.T, data, search string) []map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run([]string{"search", "--data", data, "--format", "json", search}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("%s: exit %d: %s", search, code, errOut.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}
