package attackdata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// root is the committed attack_data folder.
const root = "../../attack_data"

// generated is Generate's output, made once for the tests that read it.
var generated = sync.OnceValues(Generate)

const regenerate = "regenerate with `go run ./harness/attackdata/cmd/write` from the repository root"

// TestCommittedFilesUpToDate regenerates everything in memory and compares
// it byte for byte with the committed files, so that they cannot drift.
func TestCommittedFilesUpToDate(t *testing.T) {
	files, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, f := range files {
		want[f.Path] = true
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%v; %s", err, regenerate)
			continue
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from the generator's output; %s", f.Path, regenerate)
		}
	}
	for _, dir := range Dirs() {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if p := dir + "/" + e.Name(); !want[p] {
				t.Errorf("%s is not generated; remove it or generate it", p)
			}
		}
	}
}

// TestDeterministic: two runs give the same bytes.
func TestDeterministic(t *testing.T) {
	a, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate()
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}

// TestDataFilesAreJSONLines: every data file under attack_data holds one
// JSON object per line, each with an eventTime.
func TestDataFilesAreJSONLines(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "datasets"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		n++
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 8<<20)
		line := 0
		for sc.Scan() {
			line++
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Errorf("%s:%d: %v", path, line, err)
				continue
			}
			s, _ := rec["eventTime"].(string)
			if _, err := time.Parse(timeLayout, s); err != nil {
				t.Errorf("%s:%d: eventTime %q: %v", path, line, s, err)
			}
		}
		if line == 0 {
			t.Errorf("%s: no records", path)
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no data files found")
	}
}

// cloudTrailKeys is the order of a CloudTrail record's top-level keys;
// errorCode and errorMessage appear on failed calls only (a failed console
// sign-in has only errorMessage), additionalEventData on some calls (every
// console sign-in), requestID on API calls only, tlsDetails on calls that
// reached a public endpoint.
var cloudTrailKeys = []string{"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
	"sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
	"requestID", "eventID", "readOnly", "resources", "eventType", "managementEvent", "recipientAccountId", "serviceEventDetails", "eventCategory", "tlsDetails",
	"sessionCredentialFromConsole"}

// optionalKeys: serviceEventDetails is on service events (eventType
// AwsServiceEvent) only.
var optionalKeys = []string{"errorCode", "errorMessage", "additionalEventData", "requestID", "resources", "serviceEventDetails", "tlsDetails", "sessionCredentialFromConsole"}

// topKeys returns the top-level keys of a JSON object in document order.
func topKeys(b []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// TestGeneratedRecords checks the generated records look like CloudTrail's:
// key order, record counts, 2026 UTC times in order, documentation or
// internal addresses.
func TestGeneratedRecords(t *testing.T) {
	files, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	docNets := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("10.0.0.0/8")}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".json") {
			continue
		}
		lines := bytes.Split(bytes.TrimSuffix(f.Data, []byte("\n")), []byte("\n"))
		most := 200
		if path.Base(f.Path) == BaselineFile {
			most = 1000 // four weeks of history for the MLTK baselines
		}
		if len(lines) < 40 || len(lines) > most {
			t.Errorf("%s: %d records, want 40 to %d", f.Path, len(lines), most)
		}
		var prev time.Time
		for i, line := range lines {
			keys, err := topKeys(line)
			if err != nil {
				t.Fatalf("%s:%d: %v", f.Path, i+1, err)
			}
			var want []string
			for _, k := range cloudTrailKeys {
				if slices.Contains(keys, k) || !slices.Contains(optionalKeys, k) {
					want = append(want, k)
				}
			}
			if !slices.Equal(keys, want) {
				t.Errorf("%s:%d: keys %v, want %v", f.Path, i+1, keys, want)
			}
			var rec struct {
				EventTime       string `json:"eventTime"`
				SourceIPAddress string `json:"sourceIPAddress"`
			}
			if err := json.Unmarshal(line, &rec); err != nil {
				t.Fatal(err)
			}
			at, err := time.Parse(timeLayout, rec.EventTime)
			if err != nil || at.Year() != 2026 || at.Before(prev) {
				t.Errorf("%s:%d: eventTime %s (previous %s)", f.Path, i+1, rec.EventTime, prev.Format(timeLayout))
			}
			prev = at
			if addr, err := netip.ParseAddr(rec.SourceIPAddress); err == nil {
				if !slices.ContainsFunc(docNets, func(p netip.Prefix) bool { return p.Contains(addr) }) {
					t.Errorf("%s:%d: address %s outside the documentation and internal ranges", f.Path, i+1, addr)
				}
			} else if !strings.HasSuffix(rec.SourceIPAddress, ".amazonaws.com") && rec.SourceIPAddress != "AWS Internal" {
				t.Errorf("%s:%d: sourceIPAddress %q", f.Path, i+1, rec.SourceIPAddress)
			}
		}
	}
}

// TestSidecars: each sidecar starts with the header, names each detection
// of its folder, expects rows on the attack data (each with the
// detection's entity fields) and none on the benign data, and reads back
// to what was written.
func TestSidecars(t *testing.T) {
	files, err := generated()
	if err != nil {
		t.Fatal(err)
	}
	sidecars := map[string][]byte{}
	for _, f := range files {
		if strings.HasSuffix(f.Path, "/"+SidecarName) {
			sidecars[strings.TrimSuffix(f.Path, "/"+SidecarName)] = f.Data
		}
	}
	if len(sidecars) != len(datasets) {
		t.Fatalf("%d sidecars for %d datasets", len(sidecars), len(datasets))
	}
	for _, d := range datasets {
		data := sidecars[d.dir]
		if !bytes.HasPrefix(data, []byte(SidecarHeader)) {
			t.Errorf("%s: no header comment", d.dir)
		}
		var sc Sidecar
		if err := yaml.Unmarshal(data, &sc); err != nil {
			t.Fatalf("%s: %v", d.dir, err)
		}
		if len(sc.Expectations) != 2*len(d.checks) {
			t.Fatalf("%s: expectations %+v", d.dir, sc.Expectations)
		}
		for i, c := range d.checks {
			x, y := sc.Expectations[2*i], sc.Expectations[2*i+1]
			if x.Detection != c.name || y.Detection != c.name || x.Data != d.attackFile() || y.Data != BenignFile {
				t.Errorf("%s: expectations %d and %d: %+v, %+v", d.dir, 2*i, 2*i+1, x, y)
			}
			if len(x.Rows) == 0 || len(y.Rows) != 0 && !c.noisy {
				t.Errorf("%s: %s: %d rows on the attack data, %d on the benign data", d.dir, c.name, len(x.Rows), len(y.Rows))
			}
			for _, r := range x.Rows {
				for _, f := range c.entities {
					if v := r.Get(f); len(v) != 1 || v[0] == "" {
						t.Errorf("%s: %s: row without %s: %v", d.dir, c.name, f, r)
					}
				}
			}
		}
		again, err := MarshalSidecar(sc)
		if err != nil || !bytes.Equal(again, data) {
			t.Errorf("%s does not read back to itself (%v)", d.dir, err)
		}
	}
}

// TestExpect checks the hand-written stats on small cases: a null BY
// field drops the event, field=value is case-insensitive on whole values,
// values() sorts in byte order, where count > N filters groups.
func TestExpect(t *testing.T) {
	b := newBuilder(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "us-east-1")
	user := iamUser("u", "192.0.2.1", cliMac)
	service := &actor{&identity{kind: "AWSService", invokedBy: "cloudformation.amazonaws.com"}, "cloudformation.amazonaws.com", client{kind: "service", base: "cloudformation.amazonaws.com"}}
	b.call(ms(0, 30), user, "us-east-1", "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", "b"}}, nil)
	b.call(ms(0, 10), user, "us-east-1", "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", "B"}}, nil)
	b.call(ms(0, 20), user, "us-east-1", "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", "a"}}, nil).EventName = "deleteguardrail"
	b.call(ms(0, 40), service, "us-east-1", "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", "c"}}, nil)
	b.call(ms(0, 50), user, "us-east-1", "bedrock:DeleteGuardrails", obj{{"guardrailIdentifier", "d"}}, nil)
	rows := detDeleteGuardrails.expect(b.sorted())
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	for i, want := range []map[string][]string{
		{"src": {"192.0.2.1"}, "user": {"u"}, "signature": {"DeleteGuardrail"}, "count": {"2"}, "firstTime": {"2026-01-01T00:00:10"},
			"lastTime": {"2026-01-01T00:00:30"}, "guardrailIds": {"B", "b"}, "dest": {"bedrock.amazonaws.com"}},
		{"signature": {"deleteguardrail"}, "count": {"1"}, "guardrailIds": {"a"}}, // matched, but a group of its own
	} {
		for name, v := range want {
			if !slices.Equal(rows[i].Get(name), v) {
				t.Errorf("row %d: %s = %v, want %v", i, name, rows[i].Get(name), v)
			}
		}
	}

	b = newBuilder(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "us-east-1")
	for i := range 10 {
		b.call(ms(0, i), user, "us-east-1", "bedrock:ListFoundationModels", nil, nil).deny("", "")
	}
	b.call(ms(1, 0), user, "us-east-1", "bedrock:ListFoundationModels", nil, nil).fail("AccessDeniedException", "x")
	if rows := detListFailures.expect(b.sorted()); len(rows) != 1 || rows[0].Get("count")[0] != "10" {
		t.Errorf("10 denials: %v", rows)
	}
	b.recs = b.recs[1:]
	if rows := detListFailures.expect(b.sorted()); len(rows) != 0 {
		t.Errorf("9 denials: %v", rows)
	}
}

// TestSigninChecks checks the console sign-in restatements on small
// cases: a failed sign-in of a user name the account does not have groups
// under HIDDEN_DUE_TO_SECURITY_REASONS and the account id; a successful
// one is no failure; the spray check needs more than ten attempts and the
// bucket's mean plus three sample standard deviations.
func TestSigninChecks(t *testing.T) {
	b := newBuilder(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "us-east-1")
	b.consoleLogin(ms(0, 5), "a", "192.0.2.1", chromeWin, signinWrongPass, true)
	b.consoleLogin(ms(0, 9), "nobody", "192.0.2.1", chromeWin, signinNoUser, false)
	b.consoleLogin(ms(0, 20), "a", "192.0.2.1", chromeWin, signinOK, true)
	rows := detFailedLogin(b.sorted())
	if len(rows) != 2 || rows[0].Get("user")[0] != hiddenUser || rows[0].Get("user_id")[0] != account ||
		rows[1].Get("user")[0] != "a" || rows[1].Get("count")[0] != "1" || rows[1].Get("user_id")[0] != "AIDA"+awsID("a", 17) {
		t.Errorf("failed sign-ins: %v", rows)
	}

	spray := func(attempts, others int) []Row {
		b := newBuilder(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "us-east-1")
		for i := range attempts {
			b.consoleLogin(ms(1, i), fmt.Sprintf("u%d", i), "203.0.113.5", chromeWin, signinNoUser, false)
		}
		for i := range others {
			b.consoleLogin(ms(2, i), "staff", fmt.Sprintf("198.51.100.%d", i+1), chromeWin, signinWrongPass, true)
		}
		return detUnusualFailedAuth(b.sorted())
	}
	for _, c := range []struct{ attempts, others, rows int }{
		{11, 12, 1}, // z = 12/sqrt(13) > 3
		{10, 12, 0}, // not more than ten
		{30, 8, 0},  // z = 8/3 < 3, whatever the count
	} {
		if got := spray(c.attempts, c.others); len(got) != c.rows {
			t.Errorf("%d attempts beside %d addresses: %v", c.attempts, c.others, got)
		}
	}
	if got := spray(11, 12); len(got) == 1 && (got[0].Get("avg_attempts")[0] != "1.7692307692307692" || got[0].Get("tried_accounts")[0] != hiddenUser) {
		t.Errorf("spray row: %v", got)
	}
}
