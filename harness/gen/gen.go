// Package gen writes realistic, deterministic AWS CloudTrail records at
// any size, with AWS Bedrock attack activity planted at known places, so
// that detections can be checked and timed at scale.
package gen

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// Config says what to write.
type Config struct {
	// Bytes is the approximate size to write; writing stops at the first
	// record that reaches it.
	Bytes int64
	// Seed makes the output reproducible: the same seed and size give the
	// same bytes.
	Seed uint64
	// Start is the time of the first record; records are one second apart.
	Start time.Time
	// AttackEvery plants one Bedrock attack burst every AttackEvery
	// records (default 20000).
	AttackEvery int
	// Profile is the mix of background records: "default" (or empty),
	// where Bedrock calls are rare, or "bedrock-heavy", an account that
	// uses Bedrock a lot (see Profiles).
	Profile string
}

// Planted counts the attack records written, by detection.
type Planted struct {
	Records int // all records written
	Bytes   int64
	// DeleteGuardrail, DeleteKnowledgeBase and
	// DeleteModelInvocationLoggingConfiguration calls by attackers.
	DeleteGuardrail, DeleteKnowledgeBase, DeleteLogging int
	// InvokeModelDenied is InvokeModel calls failing with AccessDenied.
	InvokeModelDenied int
	// ListModelsDenied is ListFoundationModels calls failing with
	// AccessDenied, in bursts of 12 by one actor (the detection fires
	// above 9).
	ListModelsDenied int
	// Bursts is the number of attack bursts.
	Bursts int
	// AtEnd is true when the size held fewer records than AttackEvery:
	// the one burst is then planted after the background records (and
	// the output is that much larger than Bytes), so that every
	// detection still has its activity to find.
	AtEnd bool
}

const account = "123456789012"

// service is a background AWS service and its usual calls.
type service struct {
	source string
	calls  []string
	read   []bool
}

var services = []service{
	{"ec2.amazonaws.com", []string{"DescribeInstances", "DescribeVolumes", "DescribeSecurityGroups", "RunInstances", "StopInstances"}, []bool{true, true, true, false, false}},
	{"s3.amazonaws.com", []string{"GetObject", "PutObject", "ListBuckets", "GetBucketAcl", "HeadObject"}, []bool{true, false, true, true, true}},
	{"iam.amazonaws.com", []string{"ListUsers", "GetUser", "ListRoles", "GetRole", "ListAttachedRolePolicies"}, []bool{true, true, true, true, true}},
	{"sts.amazonaws.com", []string{"AssumeRole", "GetCallerIdentity", "GetSessionToken"}, []bool{false, true, false}},
	{"kms.amazonaws.com", []string{"Decrypt", "GenerateDataKey", "DescribeKey"}, []bool{true, true, true}},
	{"lambda.amazonaws.com", []string{"Invoke", "ListFunctions20150331", "GetFunction20150331v2"}, []bool{false, true, true}},
	{"logs.amazonaws.com", []string{"CreateLogStream", "DescribeLogGroups", "FilterLogEvents"}, []bool{false, true, true}},
	{"cloudtrail.amazonaws.com", []string{"LookupEvents", "DescribeTrails", "GetTrailStatus"}, []bool{true, true, true}},
	{"bedrock.amazonaws.com", []string{"InvokeModel", "ListFoundationModels", "GetFoundationModel", "ListGuardrails", "GetGuardrail"}, []bool{false, true, true, true, true}},
}

var (
	users  = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}
	roles  = []string{"app-backend", "data-pipeline", "ci-deployer", "analytics-readonly", "ml-inference"}
	agents = []string{
		"aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.ubuntu.22",
		"Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6",
		"aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64",
		"console.amazonaws.com",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
	}
	regions = []string{"us-east-1", "us-east-1", "us-west-2", "eu-west-1"}
)

// obj and record are the shared CloudTrail writer's types. A nil obj is
// written as JSON null; the default profile writes {} (an empty obj) for
// a call without request parameters or response elements.
type (
	obj    = cloudtrail.Obj
	record = cloudtrail.Record
)

// attacker is who plants the Bedrock activity.
var attackers = []struct {
	ip, role, session string
}{
	{"203.0.113.45", "ml-inference", "compromised-session"},
	{"198.51.100.77", "ci-deployer", "gh-actions-runner"},
}

type writer struct {
	cfg     Config
	rng     *rand.Rand
	w       *cloudtrail.Writer
	n       int
	planted Planted
	// heavy is the bedrock-heavy profile's state, nil for the default.
	heavy *heavy
	// pending holds records of a benign cluster still to be written, one
	// a step, so that bursts keep their places.
	pending []*record
}

// Write writes newline-delimited CloudTrail records until cfg.Bytes, with
// at least one attack burst (see Planted.AtEnd).
func Write(w io.Writer, cfg Config) (Planted, error) {
	if cfg.AttackEvery <= 0 {
		cfg.AttackEvery = 20000
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	}
	g := &writer{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), w: cloudtrail.NewWriter(w)}
	switch cfg.Profile {
	case "", "default":
	case "bedrock-heavy":
		g.heavy = newHeavy(g)
	default:
		return g.planted, fmt.Errorf("unknown profile %q (known: %s)", cfg.Profile, strings.Join(Profiles(), ", "))
	}
	for g.planted.Bytes < cfg.Bytes {
		var err error
		if g.n > 0 && g.n%cfg.AttackEvery == 0 {
			err = g.burst()
		} else {
			err = g.write(g.next())
		}
		if err != nil {
			return g.planted, err
		}
	}
	if g.planted.Bursts == 0 {
		g.planted.AtEnd = true
		if err := g.burst(); err != nil {
			return g.planted, err
		}
	}
	return g.planted, g.w.Flush()
}

// Profiles returns the names Config.Profile accepts.
func Profiles() []string { return []string{"default", "bedrock-heavy"} }

// next returns the next background record: a pending one first, else one
// of the profile's mix.
func (g *writer) next() *record {
	if len(g.pending) > 0 {
		r := g.pending[0]
		g.pending = g.pending[1:]
		return r
	}
	if g.heavy != nil {
		return g.heavy.record()
	}
	return g.background(services)
}

func (g *writer) id(prefix string) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", g.rng.Uint32(), g.rng.Uint32()&0xffff, g.rng.Uint32()&0xfff, g.rng.Uint32()&0xfff, g.rng.Uint64()&0xffffffffffff)
}

func (g *writer) write(r *record) error {
	r.EventTime = g.cfg.Start.Add(time.Duration(g.n) * time.Second).Format("2006-01-02T15:04:05Z")
	r.RequestID = g.id("req")
	r.EventID = g.id("evt")
	if err := g.w.Write(r); err != nil {
		return err
	}
	g.n++
	g.planted.Records++
	g.planted.Bytes = g.w.Bytes
	return nil
}

func (g *writer) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func iamUser(name string) obj {
	return obj{{"type", "IAMUser"}, {"principalId", "AIDA" + upper(name) + "EXAMPLE"}, {"arn", "arn:aws:iam::" + account + ":user/" + name}, {"accountId", account}, {"accessKeyId", "AKIA" + upper(name) + "EXAMPLE"}, {"userName", name}}
}

func assumedRole(role, session string) obj {
	return obj{{"type", "AssumedRole"}, {"principalId", "AROA" + upper(role) + ":" + session},
		{"arn", "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session}, {"accountId", account}, {"accessKeyId", "ASIA" + upper(role)},
		{"sessionContext", obj{{"sessionIssuer", obj{{"type", "Role"}, {"principalId", "AROA" + upper(role)}, {"arn", "arn:aws:iam::" + account + ":role/" + role}, {"accountId", account}, {"userName", role}}}, {"webIdFederationData", obj{}}, {"attributes", obj{{"creationDate", "2026-10-01T00:00:00Z"}, {"mfaAuthenticated", "false"}}}}}}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		} else if c == '-' {
			b[i] = 'X'
		}
	}
	return string(b)
}

func (g *writer) identity() obj {
	switch x := g.rng.IntN(20); {
	case x < 8:
		return iamUser(g.pick(users))
	case x < 18:
		return assumedRole(g.pick(roles), "session-"+g.pick(users))
	case x < 19:
		return obj{{"type", "Root"}, {"principalId", account}, {"arn", "arn:aws:iam::" + account + ":root"}, {"accountId", account}, {"accessKeyId", "ASIAROOTEXAMPLE"}}
	}
	return obj{{"type", "AWSService"}, {"invokedBy", "cloudformation.amazonaws.com"}}
}

// background returns a record of one of list's services, by the default
// profile's identities.
func (g *writer) background(list []service) *record {
	s := list[g.rng.IntN(len(list))]
	i := g.rng.IntN(len(s.calls))
	id := g.identity()
	ip := fmt.Sprintf("10.%d.%d.%d", g.rng.IntN(4), g.rng.IntN(256), 1+g.rng.IntN(254))
	if id.Get("type") == "AWSService" {
		ip = "cloudformation.amazonaws.com"
	}
	r := &record{EventVersion: "1.09", UserIdentity: id, EventSource: s.source, EventName: s.calls[i], AwsRegion: g.pick(regions),
		SourceIPAddress: ip, UserAgent: g.pick(agents), ReadOnly: s.read[i], EventType: "AwsApiCall", ManagementEvent: true,
		RecipientAccountID: account, EventCategory: "Management", ResponseElements: obj{},
		TLSDetails: cloudtrail.TLS("TLSv1.3", "TLS_AES_128_GCM_SHA256", s.source[:len(s.source)-len(".amazonaws.com")]+".us-east-1.amazonaws.com")}
	r.RequestParameters = g.params(s.source, r.EventName)
	if !r.ReadOnly {
		r.ResponseElements = obj{{"requestId", g.id("r")}, {"status", "ok"}}
	}
	// A few calls fail, with the error codes AWS uses; none of them is a
	// Bedrock AccessDenied, which belongs to the planted bursts only.
	if g.rng.IntN(40) == 0 && s.source != "bedrock.amazonaws.com" {
		r.ErrorCode = "AccessDenied"
		r.ErrorMessage = "User: " + fmt.Sprint(id.Get("arn")) + " is not authorized to perform: " + s.source[:len(s.source)-len(".amazonaws.com")] + ":" + r.EventName
		r.ResponseElements = obj{}
	}
	return r
}

func (g *writer) params(source, name string) obj {
	switch source {
	case "s3.amazonaws.com":
		return obj{{"bucketName", "corp-data-" + g.pick(users)}, {"key", fmt.Sprintf("reports/2026/%04d.parquet", g.rng.IntN(10000))}, {"Host", "corp-data.s3.amazonaws.com"}}
	case "ec2.amazonaws.com":
		return obj{{"instancesSet", obj{{"items", []any{obj{{"instanceId", fmt.Sprintf("i-%017x", g.rng.Uint64()&0xffffffffffffffff)}}}}}}, {"filterSet", obj{}}, {"maxResults", 1000}}
	case "bedrock.amazonaws.com":
		return obj{{"modelId", "anthropic.claude-3-sonnet-20240229-v1:0"}}
	case "kms.amazonaws.com":
		return obj{{"keyId", "arn:aws:kms:us-east-1:" + account + ":key/" + g.id("k")}, {"encryptionAlgorithm", "SYMMETRIC_DEFAULT"}}
	}
	return obj{{"maxItems", 100}}
}

// burst plants one round of the Bedrock attack by one attacker.
func (g *writer) burst() error {
	a := attackers[g.planted.Bursts%len(attackers)]
	g.planted.Bursts++
	id := assumedRole(a.role, a.session)
	mk := func(name string, params obj) *record {
		if params == nil {
			params = obj{}
		}
		return &record{EventVersion: "1.09", UserIdentity: id, EventSource: "bedrock.amazonaws.com", EventName: name, AwsRegion: "us-east-1",
			SourceIPAddress: a.ip, UserAgent: agents[1], RequestParameters: params, ResponseElements: obj{}, EventType: "AwsApiCall", ManagementEvent: true,
			RecipientAccountID: account, EventCategory: "Management",
			TLSDetails: cloudtrail.TLS("TLSv1.3", "TLS_AES_128_GCM_SHA256", "bedrock.us-east-1.amazonaws.com")}
	}
	deny := func(r *record) *record {
		r.ErrorCode = "AccessDenied"
		r.ErrorMessage = "User: arn:aws:sts::" + account + ":assumed-role/" + a.role + "/" + a.session + " is not authorized to perform: bedrock:" + r.EventName
		return r
	}
	for i := 0; i < 12; i++ {
		if err := g.write(deny(mk("ListFoundationModels", nil))); err != nil {
			return err
		}
		g.planted.ListModelsDenied++
	}
	if err := g.write(deny(mk("InvokeModel", obj{{"modelId", "anthropic.claude-3-opus-20240229-v1:0"}}))); err != nil {
		return err
	}
	g.planted.InvokeModelDenied++
	steps := []struct {
		name   string
		params obj
		count  *int
	}{
		{"DeleteModelInvocationLoggingConfiguration", nil, &g.planted.DeleteLogging},
		{"DeleteGuardrail", obj{{"guardrailIdentifier", fmt.Sprintf("gr-%08x", g.rng.Uint32())}}, &g.planted.DeleteGuardrail},
		{"DeleteKnowledgeBase", obj{{"knowledgeBaseId", fmt.Sprintf("KB%08X", g.rng.Uint32())}}, &g.planted.DeleteKnowledgeBase},
	}
	for _, s := range steps {
		if err := g.write(mk(s.name, s.params)); err != nil {
			return err
		}
		*s.count++
	}
	return nil
}
