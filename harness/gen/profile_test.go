package gen_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/harness/gen"
)

// TestDefaultProfileUnchanged: the default profile writes the same bytes
// as the generator did before profiles existed, so that figures measured
// on its output stay comparable. The hashes were taken from that
// generator; a change here changes every published benchmark's input.
func TestDefaultProfileUnchanged(t *testing.T) {
	cases := []struct {
		cfg  gen.Config
		hash string
		size int
	}{
		{gen.Config{Bytes: 300_000, Seed: 7, AttackEvery: 50}, "f96163a6d4ea5b9a8724fdd168b437d1885648bc4401436645a4a3db7457ead8", 316297},
		{gen.Config{Bytes: 64 << 10, Seed: 1}, "a6593a1016b9623d0e63ad28cdd5c82952c76f800e20cfef2890798175c7c1b4", 88452},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if _, err := gen.Write(&buf, c.cfg); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(buf.Bytes())); got != c.hash || buf.Len() != c.size {
			t.Errorf("%+v: sha256 %s, %d bytes; want %s, %d bytes", c.cfg, got, buf.Len(), c.hash, c.size)
		}
	}
}

// mix counts a generated sample's records by eventSource, eventName and
// errorCode, and the distinct callers of its Bedrock calls.
type mix struct {
	records, bedrock                  int
	names, errors                     map[string]int
	arns, ips, agents, regions, types map[string]bool
}

func sampleMix(t *testing.T, cfg gen.Config) mix {
	t.Helper()
	var buf bytes.Buffer
	if _, err := gen.Write(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	m := mix{names: map[string]int{}, errors: map[string]int{}, arns: map[string]bool{}, ips: map[string]bool{}, agents: map[string]bool{}, regions: map[string]bool{}, types: map[string]bool{}}
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var r struct {
			EventSource, EventName, ErrorCode, SourceIPAddress, UserAgent, AwsRegion string
			UserIdentity                                                             struct{ Type, Arn string }
		}
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		m.records++
		if r.EventSource != "bedrock.amazonaws.com" {
			continue
		}
		m.bedrock++
		m.names[r.EventName]++
		if r.ErrorCode != "" {
			m.errors[r.ErrorCode]++
		}
		m.arns[r.UserIdentity.Arn], m.ips[r.SourceIPAddress], m.agents[r.UserAgent], m.regions[r.AwsRegion], m.types[r.UserIdentity.Type] = true, true, true, true, true
	}
	return m
}

// TestProfileMix: bedrock-heavy's Bedrock calls are 20-30% of the
// records, InvokeModel the most common, every call the issue names
// present, with the errors an active account sees, by many callers; the
// default profile keeps Bedrock rare.
func TestProfileMix(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		m := sampleMix(t, gen.Config{Bytes: 4 << 20, Seed: seed, Profile: "bedrock-heavy"})
		share := float64(m.bedrock) / float64(m.records)
		if share < 0.20 || share > 0.30 {
			t.Errorf("seed %d: Bedrock calls are %.1f%% of %d records, want 20-30%%", seed, 100*share, m.records)
		}
		if inv := float64(m.names["InvokeModel"]) / float64(m.bedrock); inv < 0.4 {
			t.Errorf("seed %d: InvokeModel is %.1f%% of the Bedrock calls, want the most", seed, 100*inv)
		}
		for _, name := range []string{"InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "ListFoundationModels", "GetFoundationModel", "ListCustomModels"} {
			if m.names[name] == 0 {
				t.Errorf("seed %d: no %s", seed, name)
			}
		}
		for _, code := range []string{"AccessDenied", "AccessDeniedException", "ThrottlingException", "ValidationException", "ResourceNotFoundException"} {
			if m.errors[code] == 0 {
				t.Errorf("seed %d: no Bedrock call fails with %s (errors: %v)", seed, code, m.errors)
			}
		}
		if len(m.arns) < 150 || len(m.ips) < 150 || len(m.agents) < 8 || len(m.regions) < 5 || !m.types["AssumedRole"] || !m.types["IAMUser"] {
			t.Errorf("seed %d: Bedrock callers: %d identities, %d addresses, %d user agents, %d regions, types %v; want many",
				seed, len(m.arns), len(m.ips), len(m.agents), len(m.regions), m.types)
		}
	}
	m := sampleMix(t, gen.Config{Bytes: 4 << 20, Seed: 1})
	if share := float64(m.bedrock) / float64(m.records); share > 0.15 {
		t.Errorf("default profile: Bedrock calls are %.1f%% of the records, want them rare", 100*share)
	}
}

// TestProfileDeterministic: a profile's output depends on the seed and
// size only; another seed gives other records, the same planted counts.
func TestProfileDeterministic(t *testing.T) {
	cfg := gen.Config{Bytes: 500_000, Seed: 11, AttackEvery: 100, Profile: "bedrock-heavy"}
	var a, b, c bytes.Buffer
	pa, err := gen.Write(&a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := gen.Write(&b, cfg)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || pa != pb {
		t.Fatal("two runs with the same seed differ")
	}
	if int64(a.Len()) != pa.Bytes || pa.Bursts == 0 || pa.ListModelsDenied != 12*pa.Bursts {
		t.Errorf("wrote %d bytes; planted %+v", a.Len(), pa)
	}
	cfg.Seed++
	if _, err := gen.Write(&c, cfg); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes()[:10000], c.Bytes()[:10000]) {
		t.Error("another seed gives the same records")
	}
	var d bytes.Buffer
	if _, err := gen.Write(&d, gen.Config{Bytes: 500_000, Seed: 11, AttackEvery: 100}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes()[:10000], d.Bytes()[:10000]) {
		t.Error("bedrock-heavy writes what default writes")
	}
}

// TestUnknownProfile: a profile gen does not know is an error naming it
// and the known ones, before anything is written.
func TestUnknownProfile(t *testing.T) {
	var buf bytes.Buffer
	_, err := gen.Write(&buf, gen.Config{Bytes: 1000, Profile: "bedrock-light"})
	if err == nil || !strings.Contains(err.Error(), `"bedrock-light"`) || !strings.Contains(err.Error(), "bedrock-heavy") || buf.Len() != 0 {
		t.Errorf("err %v, %d bytes written", err, buf.Len())
	}
}
