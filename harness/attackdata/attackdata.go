// Package attackdata generates attack data, deterministically (fixed
// seeds, fixed times, no wall clock): CloudTrail records for the five AWS
// Bedrock detections of our content and for ESCU's CloudTrail detections,
// in the layout of the public attack_data repository, benign near misses
// beside them, and for each folder a sidecar (splharness.yml) holding the
// exact rows each detection must return.
//
// The expected rows are computed here, independently of the splharness
// search engine, from what was planted: the matching records are grouped by
// the detection's BY fields and the stats functions are applied by hand,
// with the add-on fields derived as docs/knowledge.md says.
package attackdata

//go:generate go run ./cmd/write -out ../../attack_data

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
	"github.com/splharness/splharness/spl/geoip/geoipwrite"
	"gopkg.in/yaml.v3"
)

const (
	// SidecarName is the name of the expectations file in each folder.
	SidecarName = "splharness.yml"
	// SidecarHeader opens every sidecar.
	SidecarHeader = "# Expectations of splharness for the data in this folder. Not read by Splunk's tooling.\n"
	// AttackFile and BenignFile are the data files of each folder.
	AttackFile = "cloudtrail.json"
	BenignFile = "benign.json"
	// GeoFile is the IP location database of a folder whose detections
	// run iplocation.
	GeoFile = "iplocation.mmdb"

	account      = "111111111111"
	eventVersion = "1.11"
	timeLayout   = "2006-01-02T15:04:05Z"
	ctimeLayout  = "2006-01-02T15:04:05" // %Y-%m-%dT%H:%M:%S
)

// File is one generated file; Path is relative to the attack_data root,
// with forward slashes.
type File struct {
	Path string
	Data []byte
}

// Sidecar is the content of a splharness.yml file.
type Sidecar struct {
	// KVStore names the CSV file of the folder that holds each KV store
	// lookup's contents.
	KVStore map[string]string `yaml:"kvstore,omitempty"`
	// IPLocation names the folder's IP location database.
	IPLocation string `yaml:"iplocation,omitempty"`
	// Baselines are the searches that fit the Machine Learning Toolkit
	// models the folder's detections apply, each over a file of the
	// folder, run before the detections.
	Baselines    []SidecarBaseline `yaml:"baselines,omitempty"`
	Expectations []Expectation     `yaml:"expectations"`
}

// SidecarBaseline is one baseline search of a sidecar: the ESCU
// baseline's name, its search as ESCU writes it, and the data it runs
// over.
type SidecarBaseline struct {
	Name   string `yaml:"name"`
	Search string `yaml:"search"`
	Data   string `yaml:"data"`
}

// Expectation says which rows one detection returns on one data file of
// the folder, in the order Splunk returns them. No rows means the
// detection must stay silent.
type Expectation struct {
	Detection string `yaml:"detection"`
	Data      string `yaml:"data"`
	Rows      []Row  `yaml:"rows"`
}

// Row is one result row: its fields in Splunk's column order.
type Row []Field

// Field is one field of a row; one value is written as a string, several
// (a multivalue field) as a list of strings.
type Field struct {
	Name   string
	Values []string
}

// Get returns the values of the named field, or nil.
func (r Row) Get(name string) []string {
	for _, f := range r {
		if f.Name == name {
			return f.Values
		}
	}
	return nil
}

// MarshalYAML writes the row as a mapping in field order, every value a
// string.
func (r Row) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range r {
		var v *yaml.Node
		if len(f.Values) == 1 {
			v = str(f.Values[0])
		} else {
			v = &yaml.Node{Kind: yaml.SequenceNode}
			for _, s := range f.Values {
				v.Content = append(v.Content, str(s))
			}
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Name}, v)
	}
	return n, nil
}

// looksLikeTime matches values a YAML 1.1 reader would take for a
// timestamp; they are quoted so that every reader sees a string.
var looksLikeTime = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`) })

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if looksLikeTime().MatchString(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// UnmarshalYAML reads a row written by MarshalYAML.
func (r *Row) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a row must be a mapping", n.Line)
	}
	*r = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := Field{Name: k.Value}
		switch v.Kind {
		case yaml.ScalarNode:
			f.Values = []string{v.Value}
		case yaml.SequenceNode:
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return fmt.Errorf("line %d: field %s: values must be strings", e.Line, k.Value)
				}
				f.Values = append(f.Values, e.Value)
			}
		default:
			return fmt.Errorf("line %d: field %s: want a string or a list of strings", v.Line, k.Value)
		}
		*r = append(*r, f)
	}
	return nil
}

// Generate returns every file of the datasets, in a fixed order:
// per folder the attack data, the benign data, then the sidecar.
func Generate() ([]File, error) {
	var files []File
	for _, d := range datasets {
		fs, err := d.files()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.dir, err)
		}
		files = append(files, fs...)
	}
	return files, nil
}

// Dirs returns the dataset folders, relative to the attack_data root.
func Dirs() []string {
	var dirs []string
	for _, d := range datasets {
		dirs = append(dirs, d.dir)
	}
	return dirs
}

// ---------------------------------------------------------------------------
// CloudTrail records

// obj is the shared CloudTrail writer's ordered JSON object; a nil obj is
// written as JSON null.
type obj = cloudtrail.Obj

// record is one CloudTrail record and what the generator knows about it.
type record struct {
	cloudtrail.Record

	at    time.Time
	seq   int
	actor *actor
	svc   string // key in services
	// decoded is the record's JSON decoded, once raw reads it (the
	// record is complete by then).
	decoded map[string]any
}

// fail turns the record into a failed call.
func (r *record) fail(code, msg string) *record {
	r.ErrorCode, r.ErrorMessage, r.ResponseElements = code, msg, nil
	return r
}

// deny turns the record into an AccessDenied call, with AWS's wording;
// resource is the ARN named in the message ("" for list calls) and how the
// reason ("" = no identity-based policy allows it).
func (r *record) deny(resource, how string) *record {
	action := services[r.svc].prefix + ":" + r.EventName
	msg := "User: " + r.actor.id.arn() + " is not authorized to perform: " + action
	if resource != "" {
		msg += " on resource: " + resource
	}
	if how == "" {
		msg += " because no identity-based policy allows the " + action + " action"
	} else {
		msg += " " + how
	}
	return r.fail("AccessDenied", msg)
}

// ---------------------------------------------------------------------------
// Who calls

// identity is a CloudTrail userIdentity.
type identity struct {
	kind      string // IAMUser, AssumedRole or AWSService
	name      string // IAM user or role name
	path      string // role path, e.g. "aws-reserved/sso.amazonaws.com/"
	session   string
	created   time.Time // session start
	invokedBy string    // service acting for the caller
}

func (id *identity) arn() string {
	switch id.kind {
	case "IAMUser":
		return "arn:aws:iam::" + account + ":user/" + id.name
	case "AssumedRole":
		return "arn:aws:sts::" + account + ":assumed-role/" + id.name + "/" + id.session
	}
	return ""
}

func (id *identity) roleARN() string { return "arn:aws:iam::" + account + ":role/" + id.path + id.name }

func (id *identity) json() obj {
	switch id.kind {
	case "IAMUser":
		return obj{{"type", "IAMUser"}, {"principalId", "AIDA" + awsID(id.name, 17)}, {"arn", id.arn()},
			{"accountId", account}, {"accessKeyId", "AKIA" + awsID("key/"+id.name, 16)}, {"userName", id.name}}
	case "AssumedRole":
		ctx := obj{
			{"sessionIssuer", obj{{"type", "Role"}, {"principalId", "AROA" + awsID(id.name, 17)}, {"arn", id.roleARN()}, {"accountId", account}, {"userName", id.name}}},
			{"webIdFederationData", obj{}},
			{"attributes", obj{{"creationDate", id.created.Format(timeLayout)}, {"mfaAuthenticated", "false"}}},
		}
		if strings.HasPrefix(id.session, "i-") {
			ctx = append(ctx, cloudtrail.KV{"ec2RoleDelivery", "2.0"})
		}
		o := obj{{"type", "AssumedRole"}, {"principalId", "AROA" + awsID(id.name, 17) + ":" + id.session}, {"arn", id.arn()},
			{"accountId", account}, {"accessKeyId", "ASIA" + awsID("key/"+id.name+"/"+id.session+"/"+id.created.Format(timeLayout), 16)},
			{"sessionContext", ctx}}
		if id.invokedBy != "" {
			o = append(o, cloudtrail.KV{"invokedBy", id.invokedBy})
		}
		return o
	}
	return obj{{"type", "AWSService"}, {"invokedBy", id.invokedBy}}
}

// awsID derives an AWS-looking unique identifier from a name, so that an
// identity keeps its ids whichever order it is used in.
func awsID(seed string, n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sum := sha256.Sum256([]byte(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[sum[i]%32]
	}
	return string(b)
}

// client is the software making the calls; it sets the user agent and
// the TLS details.
type client struct {
	kind   string // cli, sdk-go, terraform, browser, service, plain
	base   string
	tls    string // "TLSv1.3" or "TLSv1.2"
	cipher string
}

func (c client) userAgent(s service, name string) string {
	switch c.kind {
	case "cli":
		return c.base + " md/command#" + s.cli + "." + kebab(name)
	case "sdk-go", "terraform":
		return c.base + " api/" + s.sdk
	}
	return c.base
}

func kebab(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// actor is an identity calling from one address with one client.
type actor struct {
	id     *identity
	ip     string
	client client
}

// service is an AWS API: its CloudTrail eventSource, CLI name, SDK
// identifier, endpoint prefix and IAM action prefix.
type service struct {
	source, cli, sdk, host, prefix string
	global                         bool // one endpoint, calls recorded in us-east-1
}

var services = map[string]service{
	"bedrock":         {source: "bedrock.amazonaws.com", cli: "bedrock", sdk: "bedrock#1.31.0", host: "bedrock", prefix: "bedrock"},
	"bedrock-agent":   {source: "bedrock.amazonaws.com", cli: "bedrock-agent", sdk: "bedrockagent#1.40.2", host: "bedrock-agent", prefix: "bedrock"},
	"bedrock-runtime": {source: "bedrock.amazonaws.com", cli: "bedrock-runtime", sdk: "bedrockruntime#1.28.0", host: "bedrock-runtime", prefix: "bedrock"},
	"s3":              {source: "s3.amazonaws.com", cli: "s3api", sdk: "s3#1.78.2", host: "s3", prefix: "s3"},
	"ec2":             {source: "ec2.amazonaws.com", cli: "ec2", sdk: "ec2#1.210.1", host: "ec2", prefix: "ec2"},
	"iam":             {source: "iam.amazonaws.com", cli: "iam", sdk: "iam#1.40.1", host: "iam", prefix: "iam", global: true},
	"sts":             {source: "sts.amazonaws.com", cli: "sts", sdk: "sts#1.33.17", host: "sts", prefix: "sts"},
	"kms":             {source: "kms.amazonaws.com", cli: "kms", sdk: "kms#1.38.1", host: "kms", prefix: "kms"},
	"logs":            {source: "logs.amazonaws.com", cli: "logs", sdk: "cloudwatchlogs#1.47.0", host: "logs", prefix: "logs"},
	"cloudtrail":      {source: "cloudtrail.amazonaws.com", cli: "cloudtrail", sdk: "cloudtrail#1.49.0", host: "cloudtrail", prefix: "cloudtrail"},
	"rds":             {source: "rds.amazonaws.com", cli: "rds", sdk: "rds#1.93.0", host: "rds", prefix: "rds"},
	"lambda":          {source: "lambda.amazonaws.com", cli: "lambda", sdk: "lambda#1.69.0", host: "lambda", prefix: "lambda"},
	"datasync":        {source: "datasync.amazonaws.com", cli: "datasync", sdk: "datasync#1.45.0", host: "datasync", prefix: "datasync"},
	"health":          {source: "health.amazonaws.com", cli: "health", sdk: "health#1.29.0", host: "health", prefix: "health", global: true},
	"secretsmanager":  {source: "secretsmanager.amazonaws.com", cli: "secretsmanager", sdk: "secretsmanager#1.35.0", host: "secretsmanager", prefix: "secretsmanager"},
	"dynamodb":        {source: "dynamodb.amazonaws.com", cli: "dynamodb", sdk: "dynamodb#1.41.0", host: "dynamodb", prefix: "dynamodb"},
	"ecr":             {source: "ecr.amazonaws.com", cli: "ecr", sdk: "ecr#1.43.0", host: "api.ecr", prefix: "ecr"},
	"signin":          {source: "signin.amazonaws.com", cli: "signin", sdk: "signin", host: "signin", prefix: "signin", global: true},
	"wisdom":          {source: "wisdom.amazonaws.com", cli: "wisdom", sdk: "wisdom#1.28.5", host: "wisdom", prefix: "wisdom"},
}

// readOnly says whether CloudTrail marks a call read-only.
func readOnly(name string) bool {
	for _, p := range []string{"Get", "List", "Describe", "Head"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "AssumeRole" || name == "Decrypt" || name == "GenerateDataKey"
}

// ---------------------------------------------------------------------------
// The environment: account 111111111111, its people, workloads and clients.

var (
	cliLinux   = client{"cli", "aws-cli/2.24.22 md/awscrt#0.23.8 ua/2.1 os/linux#6.8.0-1024-aws md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	cliMac     = client{"cli", "aws-cli/2.24.22 md/awscrt#0.23.8 ua/2.1 os/macos#24.3.0 md/arch#arm64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	boto3App   = client{"plain", "Boto3/1.37.18 md/Botocore#1.37.18 ua/2.1 os/linux#6.1.128-136.201.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython m/b,Z cfg/retry-mode#legacy Botocore/1.37.18", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	boto3Kali  = client{"plain", "Boto3/1.36.4 md/Botocore#1.36.4 ua/2.0 os/linux#6.12.13-amd64 md/arch#x86_64 lang/python#3.13.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.36.4", "TLSv1.3", "TLS_AES_256_GCM_SHA384"}
	javaApp    = client{"plain", "aws-sdk-java/2.31.6 md/io#sync md/http#Apache ua/2.1 os/Linux#5.10.234-225.895.amzn2.x86_64 lang/java#17.0.14 md/OpenJDK_64-Bit_Server_VM#17.0.14+7-LTS md/vendor#Amazon.com_Inc. md/en_US cfg/retry-mode#legacy cfg/auth-source#imds", "TLSv1.3", "TLS_AES_256_GCM_SHA384"}
	goApp      = client{"sdk-go", "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	terraform  = client{"terraform", "APN/1.0 HashiCorp/1.0 Terraform/1.11.2 (+https://www.terraform.io) terraform-provider-aws/5.92.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	chromeWin  = client{"browser", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	chromeMac  = client{"browser", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
	firefoxWin = client{"browser", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256"}
)

var (
	guardrails = []string{"h8y2k4m6q1wz", "p3n7c5x9r2tb", "v6d1j8s4f0lk", "c2m9w5t7z3qa"}
	kbs        = []string{"Q4ZK7RM2XA", "T9PFUXGAPO", "H2W8NCV5JD", "B7LQ3SX0VE"}
	buckets    = []string{"corp-ml-datasets", "corp-app-artifacts", "corp-cloudtrail-logs-111111111111", "corp-bedrock-invocation-logs"}
	roleNames  = []string{"ml-inference-app", "DataPipelineRole", "BedrockKnowledgeBaseRole", "ci-deploy", "AWSServiceRoleForSupport"}

	haiku   = "anthropic.claude-3-haiku-20240307-v1:0"
	sonnet  = "anthropic.claude-3-5-sonnet-20240620-v1:0"
	opus    = "anthropic.claude-3-opus-20240229-v1:0"
	llama   = "meta.llama3-70b-instruct-v1:0"
	titan   = "amazon.titan-text-premier-v1:0"
	embed   = "amazon.titan-embed-text-v2:0"
	command = "cohere.command-r-plus-v1:0"
	models  = []string{haiku, sonnet, opus, llama, titan, embed, command}
)

func foundationModelARN(region, model string) string {
	return "arn:aws:bedrock:" + region + "::foundation-model/" + model
}

// env is the account's regular population, with sessions started relative
// to the start of a dataset.
type env struct {
	dev, ci, app, pipeline, s3kms, scientist, admin, readonly, ec2svc *actor
}

func newEnv(start time.Time) *env {
	return &env{
		dev:       &actor{&identity{kind: "IAMUser", name: "j.rivera"}, "10.8.14.22", cliLinux},
		ci:        &actor{&identity{kind: "IAMUser", name: "ci-terraform"}, "10.40.2.15", terraform},
		app:       &actor{&identity{kind: "AssumedRole", name: "ml-inference-app", session: "i-0a1b2c3d4e5f60718", created: start.Add(-2*time.Hour - 13*time.Minute)}, "10.20.3.17", boto3App},
		pipeline:  &actor{&identity{kind: "AssumedRole", name: "DataPipelineRole", session: "etl-batch", created: start.Add(-47 * time.Minute)}, "10.30.7.9", javaApp},
		s3kms:     &actor{&identity{kind: "AssumedRole", name: "DataPipelineRole", session: "etl-batch", created: start.Add(-47 * time.Minute), invokedBy: "s3.amazonaws.com"}, "s3.amazonaws.com", client{kind: "service", base: "s3.amazonaws.com"}},
		scientist: &actor{&identity{kind: "AssumedRole", name: "AWSReservedSSO_DataScientist_6c1f0e9b2a7d4e35", path: "aws-reserved/sso.amazonaws.com/", session: "m.chen@example.com", created: start.Add(-31 * time.Minute)}, "10.8.22.51", chromeMac},
		admin:     &actor{&identity{kind: "AssumedRole", name: "AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b", path: "aws-reserved/sso.amazonaws.com/", session: "ops.admin@example.com", created: start.Add(-55 * time.Minute)}, "10.8.9.4", firefoxWin},
		readonly:  &actor{&identity{kind: "AssumedRole", name: "AWSReservedSSO_ReadOnlyAccess_9d8c7b6a5f4e3d2c", path: "aws-reserved/sso.amazonaws.com/", session: "p.novak@example.com", created: start.Add(-12 * time.Minute)}, "10.8.17.203", chromeWin},
		ec2svc:    &actor{&identity{kind: "AWSService", invokedBy: "ec2.amazonaws.com"}, "ec2.amazonaws.com", client{kind: "service", base: "ec2.amazonaws.com"}},
	}
}

// ---------------------------------------------------------------------------
// Building a file

// builder collects the records of one file.
type builder struct {
	rng    *rand.Rand
	start  time.Time
	region string
	env    *env
	recs   []*record
}

func newBuilder(seed uint64, start time.Time, region string) *builder {
	return &builder{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), start: start, region: region, env: newEnv(start)}
}

// ms returns m minutes and s seconds.
func ms(m, s int) time.Duration { return time.Duration(m)*time.Minute + time.Duration(s)*time.Second }

// call records an API call at start+at; op is "service:EventName".
func (b *builder) call(at time.Duration, a *actor, region, op string, params, resp obj) *record {
	key, name, _ := strings.Cut(op, ":")
	s, ok := services[key]
	if !ok {
		panic("attackdata: unknown service " + key) // a programming error in this package
	}
	if s.global {
		region = "us-east-1"
	}
	r := &record{Record: cloudtrail.Record{
		EventVersion: eventVersion, UserIdentity: a.id.json(), EventSource: s.source, EventName: name, AwsRegion: region,
		SourceIPAddress: a.ip, UserAgent: a.client.userAgent(s, name), RequestParameters: params, ResponseElements: resp,
		ReadOnly: readOnly(name), EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: account,
		EventCategory: "Management"}, at: b.start.Add(at), seq: len(b.recs), actor: a, svc: key,
	}
	if a.client.kind != "service" {
		host := s.host + "." + region + ".amazonaws.com"
		if s.global {
			host = s.host + ".amazonaws.com"
		}
		if h, ok := params.Path("Host").(string); ok && key == "s3" {
			host = h
		}
		r.TLSDetails = cloudtrail.TLS(a.client.tls, a.client.cipher, host)
	}
	r.EventTime = r.at.UTC().Format(timeLayout)
	if key == "s3" {
		r.RequestID = b.token(16)
	} else {
		r.RequestID = b.uuid()
	}
	r.EventID = b.uuid()
	b.recs = append(b.recs, r)
	return r
}

func (b *builder) uuid() string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", b.rng.Uint32(), b.rng.Uint32()&0xffff, b.rng.Uint32()&0xfff,
		0x8000|b.rng.Uint32()&0x3fff, b.rng.Uint64()&0xffffffffffff)
}

func (b *builder) token(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	t := make([]byte, n)
	for i := range t {
		t[i] = chars[b.rng.IntN(len(chars))]
	}
	return string(t)
}

func pick[T any](b *builder, list []T) T { return list[b.rng.IntN(len(list))] }

// sorted returns the records in time order (ties in the order written).
func (b *builder) sorted() []*record {
	recs := slices.Clone(b.recs)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].at.Before(recs[j].at) })
	return recs
}

// jsonl renders records one JSON object per line.
func jsonl(recs []*record) ([]byte, error) {
	var buf bytes.Buffer
	w := cloudtrail.NewWriter(&buf)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// noise adds n background calls at random times within span.
func (b *builder) noise(n int, span time.Duration) {
	for range n {
		at := time.Duration(b.rng.Int64N(int64(span/time.Second))) * time.Second
		pick(b, background)(b, at)
	}
}

// background is the account's everyday traffic: s3, ec2, iam, sts, kms
// and Bedrock reads and inference. Entries repeat to weight them.
var background = []func(b *builder, at time.Duration){
	func(b *builder, at time.Duration) { // inference by the application
		b.call(at, b.env.app, b.region, "bedrock-runtime:InvokeModel", obj{{"modelId", haiku}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.app, b.region, "bedrock-runtime:InvokeModel", obj{{"modelId", haiku}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.app, b.region, "bedrock-runtime:InvokeModel", obj{{"modelId", embed}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.scientist, b.region, "bedrock:ListFoundationModels", nil, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.scientist, b.region, "bedrock:GetFoundationModel", obj{{"modelIdentifier", pick(b, models)}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.scientist, b.region, "bedrock-agent:ListKnowledgeBases", obj{{"maxResults", 100}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.ci, b.region, "bedrock:GetGuardrail", obj{{"guardrailIdentifier", pick(b, guardrails)}, {"guardrailVersion", "DRAFT"}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.readonly, b.region, "bedrock:ListGuardrails", nil, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.readonly, b.region, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, pick(b, []*actor{b.env.dev, b.env.ci, b.env.app}), b.region, "sts:GetCallerIdentity", nil, nil)
	},
	func(b *builder, at time.Duration) { // the instance profile's credentials are refreshed
		id := b.env.app.id
		exp := b.start.Add(at + 6*time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")
		b.call(at, b.env.ec2svc, b.region, "sts:AssumeRole",
			obj{{"roleArn", id.roleARN()}, {"roleSessionName", id.session}},
			obj{{"credentials", obj{{"accessKeyId", "ASIA" + awsID(b.uuid(), 16)}, {"expiration", exp}}},
				{"assumedRoleUser", obj{{"assumedRoleId", "AROA" + awsID(id.name, 17) + ":" + id.session}, {"arn", id.arn()}}}})
	},
	func(b *builder, at time.Duration) {
		b.call(at, pick(b, []*actor{b.env.dev, b.env.admin}), "us-east-1", "s3:ListBuckets", obj{{"Host", "s3.us-east-1.amazonaws.com"}}, nil)
	},
	func(b *builder, at time.Duration) {
		bk := pick(b, buckets)
		b.call(at, b.env.ci, b.region, "s3:GetBucketAcl", obj{{"bucketName", bk}, {"Host", bk + ".s3." + b.region + ".amazonaws.com"}, {"acl", ""}}, nil)
	},
	func(b *builder, at time.Duration) {
		bk := pick(b, buckets)
		r := b.call(at, b.env.ci, b.region, "s3:GetBucketPolicy", obj{{"bucketName", bk}, {"Host", bk + ".s3." + b.region + ".amazonaws.com"}, {"policy", ""}}, nil)
		if bk != "corp-cloudtrail-logs-111111111111" {
			r.fail("NoSuchBucketPolicy", "The bucket policy does not exist")
		}
	},
	func(b *builder, at time.Duration) {
		bk := pick(b, buckets)
		b.call(at, b.env.pipeline, b.region, "s3:GetBucketLocation", obj{{"bucketName", bk}, {"Host", bk + ".s3.amazonaws.com"}, {"location", ""}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, pick(b, []*actor{b.env.admin, b.env.ci, b.env.readonly}), b.region, "ec2:DescribeInstances", obj{{"instancesSet", obj{}}, {"filterSet", obj{}}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.ci, b.region, "ec2:DescribeSecurityGroups", obj{{"securityGroupSet", obj{}}, {"securityGroupIdSet", obj{{"items", []any{obj{{"groupId", fmt.Sprintf("sg-0%016x", b.rng.Uint64())}}}}}}, {"filterSet", obj{}}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.ci, b.region, "ec2:DescribeVpcs", obj{{"vpcSet", obj{}}, {"filterSet", obj{}}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, pick(b, []*actor{b.env.admin, b.env.ci}), "", "iam:GetRole", obj{{"roleName", pick(b, roleNames)}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.ci, "", "iam:ListAttachedRolePolicies", obj{{"roleName", pick(b, roleNames)}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.admin, "", "iam:ListRoles", nil, nil)
	},
	func(b *builder, at time.Duration) {
		r := b.call(at, b.env.dev, "", "iam:GetRole", obj{{"roleName", "ml-inference-app-old"}}, nil)
		r.fail("NoSuchEntityException", "The role with name ml-inference-app-old cannot be found.")
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.pipeline, b.region, "kms:GenerateDataKey",
			obj{{"keyId", "arn:aws:kms:" + b.region + ":" + account + ":key/7f0c2a61-3b7e-4d42-9a55-0c8e3f9b1d27"}, {"keySpec", "AES_256"},
				{"encryptionContext", obj{{"aws:s3:arn", "arn:aws:s3:::corp-ml-datasets/curated/"}}}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.s3kms, b.region, "kms:Decrypt",
			obj{{"encryptionAlgorithm", "SYMMETRIC_DEFAULT"}, {"encryptionContext", obj{{"aws:s3:arn", "arn:aws:s3:::corp-ml-datasets/raw/"}}}}, nil)
	},
	func(b *builder, at time.Duration) {
		b.call(at, b.env.ci, b.region, "kms:DescribeKey", obj{{"keyId", "alias/bedrock-kb"}}, nil)
	},
}

// ---------------------------------------------------------------------------
// The detections, restated in Go

// detection is what one detection's search keeps and how it aggregates:
// `cloudtrail` eventSource=bedrock.amazonaws.com eventName=<name>
// [errorCode=<code>] | rename user_name as user | stats count min(_time)
// as firstTime max(_time) as lastTime values(...)... by <by> [| where
// count > N] | ctime(firstTime) | ctime(lastTime).
type detection struct {
	name      string
	eventName string
	errorCode string // "" = any
	by        []string
	values    []agg
	above     int // `where count > above`; 0 = no where
}

type agg struct{ field, as string }

var byCommon = []string{"src", "user", "user_agent", "vendor_account", "vendor_product", "dest", "signature", "vendor_region"}

var (
	detDeleteGuardrails = detection{
		name: "AWS Bedrock Delete GuardRails", eventName: "DeleteGuardrail", by: byCommon,
		values: []agg{{"requestParameters.guardrailIdentifier", "guardrailIds"}},
	}
	detDeleteKnowledgeBase = detection{
		name: "AWS Bedrock Delete Knowledge Base", eventName: "DeleteKnowledgeBase", by: byCommon,
		values: []agg{{"requestParameters.knowledgeBaseId", "knowledgeBaseIds"}},
	}
	detDeleteLogging = detection{
		name: "AWS Bedrock Delete Model Invocation Logging Configuration", eventName: "DeleteModelInvocationLoggingConfiguration", by: byCommon,
	}
	detListFailures = detection{
		name: "AWS Bedrock High Number List Foundation Model Failures", eventName: "ListFoundationModels", errorCode: "AccessDenied", by: byCommon,
		values: []agg{{"errorCode", "errorCodes"}, {"errorMessage", "errorMessages"}}, above: 9,
	}
	detInvokeDenied = detection{
		name: "AWS Bedrock Invoke Model Access Denied", eventName: "InvokeModel", errorCode: "AccessDenied",
		by: append(slices.Clone(byCommon), "result", "result_id"), values: []agg{{"requestParameters.modelId", "modelIds"}},
	}
)

// field returns the values a search-time field has on a record, as the
// AWS add-on derives it (docs/knowledge.md, whose "A worked example" walks
// through one record), or nil when the field is absent. user is the add-on's user_name, renamed.
func field(r *record, name string) []string {
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	switch name {
	case "src":
		return one(r.SourceIPAddress)
	case "user": // user_name: userName ?? sessionIssuer.userName ?? last path segment of the ARN
		if s, ok := r.UserIdentity.Path("userName").(string); ok {
			return one(s)
		}
		if s, ok := r.UserIdentity.Path("sessionContext", "sessionIssuer", "userName").(string); ok {
			return one(s)
		}
		if s, ok := r.UserIdentity.Path("arn").(string); ok {
			parts := strings.Split(s, ":")
			segs := strings.Split(parts[len(parts)-1], "/")
			return one(segs[len(segs)-1])
		}
		return nil
	case "user_agent":
		return one(r.UserAgent)
	case "vendor_account":
		if s, ok := r.UserIdentity.Path("accountId").(string); ok {
			return one(s)
		}
		return one(r.RecipientAccountID)
	case "vendor_product":
		return one("AWS CloudTrail")
	case "dest": // the default arm; none of the Bedrock eventNames has its own
		return one(r.EventSource)
	case "signature":
		return one(r.EventName)
	case "vendor_region":
		return one(r.AwsRegion)
	case "result":
		return one(r.ErrorMessage)
	case "result_id":
		return one(r.ErrorCode)
	case "errorCode": // the calculated errorCode
		if r.ErrorCode == "" {
			return one("success")
		}
		return one(r.ErrorCode)
	case "errorMessage":
		return one(r.ErrorMessage)
	}
	if rest, ok := strings.CutPrefix(name, "requestParameters."); ok {
		switch v := r.RequestParameters.Path(strings.Split(rest, ".")...).(type) {
		case string:
			return []string{v}
		case nil:
			return nil
		default:
			b, _ := json.Marshal(v)
			return []string{string(b)}
		}
	}
	panic("attackdata: no derivation for field " + name) // a programming error in this package
}

// matches is the detection's base search: field=value terms compare the
// whole value, case-insensitively.
func (d detection) matches(r *record) bool {
	if !strings.EqualFold(r.EventSource, "bedrock.amazonaws.com") || !strings.EqualFold(r.EventName, d.eventName) {
		return false
	}
	return d.errorCode == "" || strings.EqualFold(field(r, "errorCode")[0], d.errorCode)
}

// expect computes the detection's rows over records.
func (d detection) expect(recs []*record) []Row {
	type group struct {
		key         []string
		count       int
		first, last time.Time
		values      []map[string]bool
	}
	groups := map[string]*group{}
	var order []*group
	for _, r := range recs {
		if !d.matches(r) {
			continue
		}
		key := make([]string, len(d.by))
		dropped := false
		for i, f := range d.by {
			v := field(r, f)
			if len(v) == 0 { // stats drops events with a null BY field
				dropped = true
				break
			}
			key[i] = v[0]
		}
		if dropped {
			continue
		}
		k := strings.Join(key, "\x00")
		g := groups[k]
		if g == nil {
			g = &group{key: key, first: r.at, last: r.at}
			for range d.values {
				g.values = append(g.values, map[string]bool{})
			}
			groups[k] = g
			order = append(order, g)
		}
		g.count++
		if r.at.Before(g.first) {
			g.first = r.at
		}
		if r.at.After(g.last) {
			g.last = r.at
		}
		for i, a := range d.values {
			for _, v := range field(r, a.field) {
				g.values[i][v] = true
			}
		}
	}
	// stats returns its rows sorted by the BY fields, byte order.
	sort.Slice(order, func(i, j int) bool { return slices.Compare(order[i].key, order[j].key) < 0 })
	rows := []Row{}
	for _, g := range order {
		if d.above > 0 && g.count <= d.above {
			continue
		}
		var row Row
		for i, f := range d.by {
			row = append(row, Field{f, []string{g.key[i]}})
		}
		row = append(row,
			Field{"count", []string{strconv.Itoa(g.count)}},
			Field{"firstTime", []string{g.first.UTC().Format(ctimeLayout)}},
			Field{"lastTime", []string{g.last.UTC().Format(ctimeLayout)}})
		for i, a := range d.values {
			vs := make([]string, 0, len(g.values[i]))
			for v := range g.values[i] {
				vs = append(vs, v)
			}
			if len(vs) == 0 {
				continue // values() of nothing: the field is absent
			}
			slices.Sort(vs) // values() sorts in byte order
			row = append(row, Field{a.as, vs})
		}
		rows = append(rows, row)
	}
	return rows
}

// ---------------------------------------------------------------------------
// The datasets

type dataset struct {
	dir string
	// file is the attack data's file name, the one the ESCU test's URL
	// names (AttackFile when empty).
	file string
	// checks are the detections judged on this folder's files.
	checks []check
	seed   uint64
	region string
	start  time.Time // of the attack file; the benign file starts a day later
	noise  int       // background records per file
	// kvstore are the KV store collections the detections read, each
	// written as a CSV file of the folder.
	kvstore []kvCollection
	// geo, when set, is written as the folder's IP location database
	// (GeoFile) for the detections that run iplocation.
	geo    []geoipwrite.Entry
	attack func(b *builder)
	benign func(b *builder)
	// baselines, when set, are written in the sidecar, and history's
	// records as the file they read (BaselineFile).
	baselines []SidecarBaseline
	history   func() []*record
}

// check is one detection restated in Go: its name, its rows over a file's
// records, and the fields every row must have (its risk entities).
type check struct {
	name     string
	expect   func(recs []*record) []Row
	entities []string
	// noisy is set for a detection without a threshold, which returns a
	// row for every matching event: its rows on the benign file are
	// expected too, not none.
	noisy bool
}

// bedrock is the check of a Bedrock detection.
func bedrock(d detection) []check {
	return []check{{name: d.name, expect: d.expect, entities: []string{"user"}}}
}

const span = 50 * time.Minute // each file covers 50 minutes

func (d dataset) attackFile() string {
	if d.file != "" {
		return d.file
	}
	return AttackFile
}

func (d dataset) files() ([]File, error) {
	ab := newBuilder(d.seed, d.start, d.region)
	ab.noise(d.noise, span)
	d.attack(ab)
	bb := newBuilder(d.seed+1, d.start.Add(24*time.Hour+3*time.Hour), d.region)
	bb.noise(d.noise, span)
	d.benign(bb)

	attack, benign := ab.sorted(), bb.sorted()
	var sc Sidecar
	var csvs []File
	for _, c := range d.kvstore {
		if sc.KVStore == nil {
			sc.KVStore = map[string]string{}
		}
		sc.KVStore[c.lookup] = c.file
		csvs = append(csvs, File{d.dir + "/" + c.file, c.csv()})
	}
	if d.geo != nil {
		db, err := geoipwrite.Write(d.geo, geoBuild)
		if err != nil {
			return nil, err
		}
		sc.IPLocation = GeoFile
		csvs = append(csvs, File{d.dir + "/" + GeoFile, db})
	}
	if d.baselines != nil {
		h, err := jsonl(d.history())
		if err != nil {
			return nil, err
		}
		sc.Baselines = d.baselines
		csvs = append(csvs, File{d.dir + "/" + BaselineFile, h})
	}
	for _, c := range d.checks {
		x := Expectation{Detection: c.name, Data: d.attackFile(), Rows: c.expect(attack)}
		if len(x.Rows) == 0 {
			return nil, fmt.Errorf("%s: the attack data does not fire", c.name)
		}
		for _, r := range x.Rows {
			for _, f := range c.entities {
				if v := r.Get(f); len(v) == 0 || v[0] == "" {
					return nil, fmt.Errorf("%s: a row without %s: %v", c.name, f, r)
				}
			}
		}
		y := Expectation{Detection: c.name, Data: BenignFile, Rows: c.expect(benign)}
		if len(y.Rows) != 0 && !c.noisy {
			return nil, fmt.Errorf("%s: the benign data fires", c.name)
		}
		sc.Expectations = append(sc.Expectations, x, y)
	}
	a, err := jsonl(attack)
	if err != nil {
		return nil, err
	}
	bn, err := jsonl(benign)
	if err != nil {
		return nil, err
	}
	s, err := MarshalSidecar(sc)
	if err != nil {
		return nil, err
	}
	return append([]File{{d.dir + "/" + d.attackFile(), a}, {d.dir + "/" + BenignFile, bn}, {d.dir + "/" + SidecarName, s}}, csvs...), nil
}

// MarshalSidecar renders a sidecar: the header comment, then YAML with
// two-space indentation.
func MarshalSidecar(sc Sidecar) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(SidecarHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(sc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var datasets = append([]dataset{
	{
		dir: "datasets/attack_techniques/T1562.008/aws_bedrock_delete_guardrails", checks: bedrock(detDeleteGuardrails),
		seed: 1562008, region: "us-east-1", start: time.Date(2026, 3, 18, 14, 5, 0, 0, time.UTC), noise: 72,
		attack: guardrailAttack, benign: guardrailBenign,
	},
	{
		dir: "datasets/attack_techniques/T1485/aws_delete_knowledge_base", checks: bedrock(detDeleteKnowledgeBase),
		seed: 1485, region: "us-west-2", start: time.Date(2026, 4, 7, 8, 50, 0, 0, time.UTC), noise: 70,
		attack: knowledgeBaseAttack, benign: knowledgeBaseBenign,
	},
	{
		dir: "datasets/attack_techniques/T1562.008/aws_bedrock_delete_model_invocation_logging", checks: bedrock(detDeleteLogging),
		seed: 15620081, region: "us-east-1", start: time.Date(2026, 5, 12, 22, 20, 0, 0, time.UTC), noise: 72,
		attack: loggingAttack, benign: loggingBenign,
	},
	{
		dir: "datasets/attack_techniques/T1580/aws_bedrock_list_foundation_model_failures", checks: bedrock(detListFailures),
		seed: 1580, region: "us-east-1", start: time.Date(2026, 2, 24, 2, 50, 0, 0, time.UTC), noise: 64,
		attack: listFailuresAttack, benign: listFailuresBenign,
	},
	{
		dir: "datasets/attack_techniques/T1087.004/aws_invoke_model_access_denied", checks: bedrock(detInvokeDenied),
		seed: 1087004, region: "us-east-1", start: time.Date(2026, 1, 29, 17, 30, 0, 0, time.UTC), noise: 70,
		attack: invokeDeniedAttack, benign: invokeDeniedBenign,
	},
	{
		dir: "datasets/attack_techniques/T1110.001/aws_login_failure", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Credential Access Failed Login", expect: detFailedLogin, entities: []string{"user", "src"}}},
		seed:   1110001, region: "us-east-1", start: time.Date(2026, 6, 9, 7, 40, 0, 0, time.UTC), noise: 50,
		attack: failedLoginAttack, benign: failedLoginBenign,
	},
	{
		dir: "datasets/attack_techniques/T1110.003/aws_mulitple_failed_console_login", file: "aws_cloudtrail.json",
		checks: []check{{name: "AWS Unusual Number of Failed Authentications From Ip", expect: detUnusualFailedAuth, entities: []string{"src_ip"}},
			{name: "AWS High Number Of Failed Authentications From Ip", expect: detHighFailedFromIP.expect},
			{name: "AWS Multiple Users Failing To Authenticate From Ip", expect: detUsersFailingFromIP.expect, noisy: true}},
		seed: 1110003, region: "us-east-1", start: time.Date(2026, 6, 16, 6, 0, 0, 0, time.UTC), noise: 40,
		attack: sprayAttack, benign: sprayBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1110.003/aws_multiple_login_fail_per_user",
		checks: []check{{name: "AWS High Number Of Failed Authentications For User", expect: detHighFailedForUser.expect, entities: []string{"user_name"}}},
		seed:   1110004, region: "us-east-1", start: time.Date(2026, 6, 23, 6, 30, 0, 0, time.UTC), noise: 40,
		attack: stuffingAttack, benign: stuffingBenign,
	},
	{
		dir: "datasets/attack_techniques/T1621/aws_failed_mfa",
		checks: []check{{name: "AWS Console Login Failed During MFA Challenge", expect: detMFAChallengeFailed.expect, entities: []string{"user_name"}},
			{name: "AWS Multiple Failed MFA Requests For User", expect: detMFARequests.expect, entities: []string{"user_name"}}},
		seed: 1621, region: "us-east-1", start: time.Date(2026, 7, 2, 8, 0, 0, 0, time.UTC), noise: 40,
		attack: mfaAttack, benign: mfaBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1078.004/aws_login_sfa",
		checks: []check{{name: "AWS Successful Single-Factor Authentication", expect: detSingleFactor.expect, entities: []string{"user_name"}}},
		seed:   1078004, region: "us-east-1", start: time.Date(2026, 7, 7, 7, 15, 0, 0, time.UTC), noise: 40,
		attack: sfaAttack, benign: sfaBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1586.003/aws_console_login_multiple_ips",
		checks: []check{{name: "AWS Successful Console Authentication From Multiple IPs", expect: detMultipleIPs.expect, entities: []string{"user_arn"}}},
		seed:   1586003, region: "us-east-1", start: time.Date(2026, 7, 14, 7, 0, 0, 0, time.UTC), noise: 40,
		attack: multipleIPsAttack, benign: multipleIPsBenign,
	},
}, slices.Concat(iamDatasets, moreDatasets, exfilDatasets, snapshotDatasets, ecrDatasets, s3amiDatasets, scanDatasets, loginProfileDatasets, previouslySeenDatasets,
	policyDatasets, accessKeyDatasets, ecrScanDatasets, naclDatasets, s3KMSDatasets, impairDatasets, sgModsDatasets)...)

// stolenApp is the application's instance-profile session, used from
// outside with stolen credentials.
func stolenApp(b *builder, ip string) *actor {
	return &actor{b.env.app.id, ip, boto3Kali}
}

func iamUser(name, ip string, c client) *actor {
	return &actor{&identity{kind: "IAMUser", name: name}, ip, c}
}

func guardrailARN(region, id string) string {
	return "arn:aws:bedrock:" + region + ":" + account + ":guardrail/" + id
}

// guardrailAttack: stolen instance credentials from 203.0.113.45 delete two
// guardrails (one named by id, one by ARN); a leaked IAM user key from
// 198.51.100.23 deletes a third and is denied on a fourth.
func guardrailAttack(b *builder) {
	r := b.region
	a := stolenApp(b, "203.0.113.45")
	b.call(ms(18, 7), a, r, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(18, 21), a, r, "bedrock:ListGuardrails", nil, nil)
	b.call(ms(18, 33), a, r, "bedrock:GetGuardrail", obj{{"guardrailIdentifier", guardrails[0]}, {"guardrailVersion", "DRAFT"}}, nil)
	b.call(ms(18, 35), a, r, "bedrock:GetGuardrail", obj{{"guardrailIdentifier", guardrails[1]}, {"guardrailVersion", "DRAFT"}}, nil)
	b.call(ms(19, 2), a, r, "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", guardrails[0]}}, nil)
	b.call(ms(19, 46), a, r, "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", guardrailARN(r, guardrails[1])}}, nil)
	b.call(ms(20, 10), a, r, "bedrock:ListGuardrails", nil, nil)

	u := iamUser("svc-bedrock-deployer", "198.51.100.23", cliMac)
	b.call(ms(20, 31), u, r, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(20, 58), u, r, "bedrock:ListGuardrails", nil, nil)
	b.call(ms(21, 40), u, r, "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", guardrails[2]}}, nil)
	b.call(ms(22, 5), u, r, "bedrock:DeleteGuardrail", obj{{"guardrailIdentifier", guardrails[3]}}, nil).
		deny(guardrailARN(r, guardrails[3]), "with an explicit deny in an identity-based policy")
}

// guardrailBenign: guardrails are listed, read, created, updated and
// versioned, never deleted.
func guardrailBenign(b *builder) {
	r, e := b.region, b.env
	b.call(ms(10, 2), e.admin, r, "bedrock:ListGuardrails", nil, nil)
	b.call(ms(10, 40), e.admin, r, "bedrock:CreateGuardrail",
		obj{{"name", "support-bot-guardrail"}, {"description", "Blocks PII and off-topic requests for the support bot"},
			{"contentPolicyConfig", obj{{"filtersConfig", []any{obj{{"type", "PROMPT_ATTACK"}, {"inputStrength", "HIGH"}, {"outputStrength", "NONE"}}}}}},
			{"blockedInputMessaging", "Sorry, I can't help with that."}, {"blockedOutputsMessaging", "Sorry, I can't answer that."}},
		obj{{"guardrailId", "k5r8e2u4y7nd"}, {"guardrailArn", guardrailARN(r, "k5r8e2u4y7nd")}, {"version", "DRAFT"}, {"createdAt", b.start.Add(ms(10, 40)).Format("2006-01-02T15:04:05.000Z")}})
	b.call(ms(11, 15), e.admin, r, "bedrock:GetGuardrail", obj{{"guardrailIdentifier", "k5r8e2u4y7nd"}, {"guardrailVersion", "DRAFT"}}, nil)
	b.call(ms(13, 3), e.admin, r, "bedrock:UpdateGuardrail",
		obj{{"guardrailIdentifier", "k5r8e2u4y7nd"}, {"name", "support-bot-guardrail"},
			{"blockedInputMessaging", "Sorry, I can't help with that."}, {"blockedOutputsMessaging", "Sorry, I can't answer that."}},
		obj{{"guardrailId", "k5r8e2u4y7nd"}, {"guardrailArn", guardrailARN(r, "k5r8e2u4y7nd")}, {"version", "DRAFT"}, {"updatedAt", b.start.Add(ms(13, 3)).Format("2006-01-02T15:04:05.000Z")}})
	b.call(ms(13, 50), e.admin, r, "bedrock:CreateGuardrailVersion", obj{{"guardrailIdentifier", "k5r8e2u4y7nd"}, {"description", "initial release"}},
		obj{{"guardrailId", "k5r8e2u4y7nd"}, {"version", "1"}})
	r2 := b.call(ms(25, 12), e.dev, r, "bedrock:CreateGuardrail", obj{{"name", "support bot"}, {"blockedInputMessaging", "No."}, {"blockedOutputsMessaging", "No."}}, nil)
	r2.fail("ValidationException", "1 validation error detected: Value 'support bot' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_]+$")
	for i, g := range guardrails {
		b.call(ms(31, 4+i), e.ci, r, "bedrock:GetGuardrail", obj{{"guardrailIdentifier", g}, {"guardrailVersion", "DRAFT"}}, nil)
	}
	b.call(ms(31, 9), e.ci, r, "bedrock:ListGuardrails", nil, nil)
}

func kbARN(region, id string) string {
	return "arn:aws:bedrock:" + region + ":" + account + ":knowledge-base/" + id
}

// knowledgeBaseAttack: a phished SSO console session from 192.0.2.77
// deletes two knowledge bases; a leaked IAM user key from 203.0.113.19
// deletes the other two with the CLI.
func knowledgeBaseAttack(b *builder) {
	r := b.region
	deleted := func(id string) obj {
		return obj{{"Access-Control-Expose-Headers", "x-amzn-Apigw-id,x-amzn-ErrorMessage,x-amzn-RequestId,x-amzn-ErrorType,x-amzn-Trace-id,refreshtoken,Date"},
			{"knowledgeBaseId", id}, {"status", "DELETING"}}
	}
	a := &actor{&identity{kind: "AssumedRole", name: "AWSReservedSSO_BedrockPowerUser_4f1e2d3c4b5a6978", path: "aws-reserved/sso.amazonaws.com/" + r + "/",
		session: "d.okafor@example.com", created: b.start.Add(ms(15, 48))}, "192.0.2.77", chromeWin}
	b.call(ms(17, 12), a, r, "bedrock-agent:ListKnowledgeBases", obj{{"maxResults", 100}}, nil)
	b.call(ms(17, 40), a, r, "bedrock-agent:GetKnowledgeBase", obj{{"knowledgeBaseId", kbs[0]}}, nil)
	b.call(ms(17, 41), a, r, "bedrock-agent:ListDataSources", obj{{"knowledgeBaseId", kbs[0]}, {"maxResults", 100}}, nil)
	b.call(ms(18, 25), a, r, "bedrock-agent:DeleteKnowledgeBase", obj{{"knowledgeBaseId", kbs[0]}}, deleted(kbs[0]))
	b.call(ms(19, 3), a, r, "bedrock-agent:GetKnowledgeBase", obj{{"knowledgeBaseId", kbs[1]}}, nil)
	b.call(ms(19, 30), a, r, "bedrock-agent:DeleteKnowledgeBase", obj{{"knowledgeBaseId", kbs[1]}}, deleted(kbs[1]))
	b.call(ms(19, 55), a, r, "bedrock-agent:ListKnowledgeBases", obj{{"maxResults", 100}}, nil)

	u := iamUser("kb-sync-bot", "203.0.113.19", cliMac)
	b.call(ms(20, 40), u, r, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(21, 2), u, r, "bedrock-agent:ListKnowledgeBases", nil, nil)
	b.call(ms(21, 30), u, r, "bedrock-agent:DeleteKnowledgeBase", obj{{"knowledgeBaseId", kbs[2]}}, deleted(kbs[2]))
	b.call(ms(21, 52), u, r, "bedrock-agent:DeleteKnowledgeBase", obj{{"knowledgeBaseId", kbs[3]}}, deleted(kbs[3]))
}

// knowledgeBaseBenign: knowledge bases are created, updated, synced and
// read; a data source is deleted; and Amazon Q in Connect (Wisdom) deletes
// a knowledge base of its own, under the same eventName.
func knowledgeBaseBenign(b *builder) {
	r, e := b.region, b.env
	kbRole := "arn:aws:iam::" + account + ":role/BedrockKnowledgeBaseRole"
	b.call(ms(8, 11), e.ci, r, "bedrock-agent:CreateKnowledgeBase",
		obj{{"name", "hr-policies-kb"}, {"roleArn", kbRole},
			{"knowledgeBaseConfiguration", obj{{"type", "VECTOR"}, {"vectorKnowledgeBaseConfiguration", obj{{"embeddingModelArn", foundationModelARN(r, embed)}}}}},
			{"storageConfiguration", obj{{"type", "OPENSEARCH_SERVERLESS"}, {"opensearchServerlessConfiguration", obj{
				{"collectionArn", "arn:aws:aoss:" + r + ":" + account + ":collection/kq2v8d4c1w7m3x9b5n6z"}, {"vectorIndexName", "hr-policies"},
				{"fieldMapping", obj{{"vectorField", "embedding"}, {"textField", "text"}, {"metadataField", "metadata"}}}}}}}},
		obj{{"knowledgeBase", obj{{"knowledgeBaseId", "N3RC8WQ5LM"}, {"knowledgeBaseArn", kbARN(r, "N3RC8WQ5LM")}, {"name", "hr-policies-kb"}, {"status", "CREATING"}}}})
	b.call(ms(8, 40), e.ci, r, "bedrock-agent:GetKnowledgeBase", obj{{"knowledgeBaseId", "N3RC8WQ5LM"}}, nil)
	b.call(ms(12, 5), e.scientist, r, "bedrock-agent:UpdateKnowledgeBase",
		obj{{"knowledgeBaseId", kbs[1]}, {"name", "product-docs-kb"}, {"description", "Product documentation, refreshed weekly"}, {"roleArn", kbRole}},
		obj{{"knowledgeBase", obj{{"knowledgeBaseId", kbs[1]}, {"status", "UPDATING"}}}})
	b.call(ms(14, 31), e.scientist, r, "bedrock-agent:DeleteDataSource", obj{{"knowledgeBaseId", kbs[1]}, {"dataSourceId", "WJ6YH2PD4K"}},
		obj{{"knowledgeBaseId", kbs[1]}, {"dataSourceId", "WJ6YH2PD4K"}, {"status", "DELETING"}})
	b.call(ms(15, 2), e.scientist, r, "bedrock-agent:StartIngestionJob", obj{{"knowledgeBaseId", kbs[1]}, {"dataSourceId", "FX3MA9TB7R"}},
		obj{{"ingestionJob", obj{{"knowledgeBaseId", kbs[1]}, {"dataSourceId", "FX3MA9TB7R"}, {"ingestionJobId", "V8KD2NQ6XE"}, {"status", "STARTING"}}}})
	for i, kb := range kbs {
		b.call(ms(22, 10+3*i), e.readonly, r, "bedrock-agent:GetKnowledgeBase", obj{{"knowledgeBaseId", kb}}, nil)
	}
	connect := iamUser("connect-admin", "10.8.30.12", cliLinux)
	b.call(ms(33, 47), connect, r, "wisdom:DeleteKnowledgeBase", obj{{"knowledgeBaseId", "8f1d6c2e-4b7a-4e39-9c05-3a2b1d0e7f64"}}, nil)
	r3 := b.call(ms(34, 20), e.dev, r, "bedrock-agent:UpdateKnowledgeBase", obj{{"knowledgeBaseId", kbs[2]}, {"name", "support-kb"}, {"roleArn", kbRole}}, nil)
	r3.deny(kbARN(r, kbs[2]), "")
}

// loggingAttack: a leaked IAM user key from 198.51.100.61 is denied
// twice, assumes an admin role, and from 203.0.113.45 that role deletes
// the logging configuration in two regions.
func loggingAttack(b *builder) {
	r := b.region
	u := iamUser("legacy-automation", "198.51.100.61", cliMac)
	b.call(ms(17, 5), u, r, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(17, 31), u, r, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(17, 58), u, r, "bedrock:DeleteModelInvocationLoggingConfiguration", nil, nil).deny("", "")
	b.call(ms(18, 40), u, r, "bedrock:DeleteModelInvocationLoggingConfiguration", nil, nil).deny("", "")

	assumed := b.start.Add(ms(19, 10))
	role := &identity{kind: "AssumedRole", name: "BedrockPlatformAdmin", session: "botocore-session-" + strconv.FormatInt(assumed.Unix(), 10), created: assumed}
	b.call(ms(19, 10), &actor{u.id, "203.0.113.45", boto3Kali}, r, "sts:AssumeRole",
		obj{{"roleArn", role.roleARN()}, {"roleSessionName", role.session}},
		obj{{"credentials", obj{{"accessKeyId", role.json().Path("accessKeyId")}, {"expiration", assumed.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}},
			{"assumedRoleUser", obj{{"assumedRoleId", "AROA" + awsID(role.name, 17) + ":" + role.session}, {"arn", role.arn()}}}})
	a := &actor{role, "203.0.113.45", boto3Kali}
	b.call(ms(19, 40), a, r, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(20, 2), a, r, "bedrock:DeleteModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(20, 45), a, "us-west-2", "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(21, 6), a, "us-west-2", "bedrock:DeleteModelInvocationLoggingConfiguration", nil, nil)
}

// loggingBenign: the logging configuration is read and (re)written, and a
// log group is deleted in CloudWatch Logs.
func loggingBenign(b *builder) {
	r, e := b.region, b.env
	cfg := obj{{"loggingConfig", obj{
		{"cloudWatchConfig", obj{{"logGroupName", "/aws/bedrock/modelinvocations"}, {"roleArn", "arn:aws:iam::" + account + ":role/BedrockLoggingRole"}}},
		{"s3Config", obj{{"bucketName", "corp-bedrock-invocation-logs"}, {"keyPrefix", "invocations/"}}},
		{"textDataDeliveryEnabled", true}, {"imageDataDeliveryEnabled", false}, {"embeddingDataDeliveryEnabled", false}}}}
	b.call(ms(6, 12), e.admin, r, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(7, 3), e.admin, r, "bedrock:PutModelInvocationLoggingConfiguration", cfg, nil)
	b.call(ms(7, 9), e.admin, r, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(21, 30), e.ci, r, "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(21, 33), e.ci, "us-west-2", "bedrock:GetModelInvocationLoggingConfiguration", nil, nil)
	b.call(ms(21, 41), e.ci, "us-west-2", "bedrock:PutModelInvocationLoggingConfiguration", cfg, nil)
	b.call(ms(29, 50), e.dev, r, "bedrock:PutModelInvocationLoggingConfiguration", cfg, nil).deny("", "")
	b.call(ms(35, 18), e.admin, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/aws/bedrock/modelinvocations-test"}}, nil)
}

// listFailuresAttack: a leaked IAM user key probes ListFoundationModels 11
// times with the CLI from 192.0.2.140, then assumes bedrock-eval-role
// twice from 203.0.113.88 and probes 7 more times per session with boto3.
// A read-only console user is denied 3 times (below the threshold).
func listFailuresAttack(b *builder) {
	r, e := b.region, b.env
	u := iamUser("intern-sandbox", "192.0.2.140", cliMac)
	b.call(ms(15, 0), u, r, "sts:GetCallerIdentity", nil, nil)
	for i := range 11 {
		b.call(ms(15, 20+14*i), u, r, "bedrock:ListFoundationModels", nil, nil).deny("", "")
	}
	for s, at := range []time.Duration{ms(18, 30), ms(20, 30)} {
		created := b.start.Add(at)
		role := &identity{kind: "AssumedRole", name: "bedrock-eval-role", session: "botocore-session-" + strconv.FormatInt(created.Unix(), 10), created: created}
		b.call(at, &actor{u.id, "203.0.113.88", boto3Kali}, r, "sts:AssumeRole",
			obj{{"roleArn", role.roleARN()}, {"roleSessionName", role.session}},
			obj{{"credentials", obj{{"accessKeyId", role.json().Path("accessKeyId")}, {"expiration", created.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}},
				{"assumedRoleUser", obj{{"assumedRoleId", "AROA" + awsID(role.name, 17) + ":" + role.session}, {"arn", role.arn()}}}})
		a := &actor{role, "203.0.113.88", boto3Kali}
		for i := range 7 {
			b.call(at+ms(0, 10+12*i+s), a, r, "bedrock:ListFoundationModels", nil, nil).deny("", "")
		}
	}
	for i := range 3 {
		b.call(ms(33, 5+40*i), e.readonly, r, "bedrock:ListFoundationModels", nil, nil).deny("", "")
	}
}

// listFailuresBenign: at most 9 denied ListFoundationModels per actor,
// throttled and successful listings in bulk, and other denied Bedrock
// listings.
func listFailuresBenign(b *builder) {
	r, e := b.region, b.env
	for i := range 9 {
		b.call(ms(5, 3+20*i), e.readonly, r, "bedrock:ListFoundationModels", nil, nil).deny("", "")
	}
	for i := range 9 {
		b.call(ms(12, 7+9*i), e.dev, r, "bedrock:ListFoundationModels", nil, nil).deny("", "with an explicit deny in a service control policy")
	}
	for i := range 12 {
		b.call(ms(20, 0)+time.Duration(i)*time.Second, e.app, r, "bedrock:ListFoundationModels", nil, nil).
			fail("ThrottlingException", "Rate exceeded")
	}
	for i := range 15 {
		b.call(ms(26, 30+11*i), e.scientist, r, "bedrock:ListFoundationModels", nil, nil)
	}
	for i := range 12 {
		m := models[i%len(models)]
		b.call(ms(30, 5+6*i), e.readonly, r, "bedrock:GetFoundationModel", obj{{"modelIdentifier", m}}, nil).deny(foundationModelARN(r, m), "")
	}
	for i := range 11 {
		b.call(ms(40, 2+5*i), e.readonly, r, "bedrock:ListCustomModels", nil, nil).deny("", "")
	}
}

// invokeDeniedAttack: the application's stolen instance credentials,
// used from 203.0.113.45, invoke the one model the role allows and are
// denied on two others; a leaked IAM user key from 198.51.100.23 is denied
// on two models with the CLI.
func invokeDeniedAttack(b *builder) {
	r := b.region
	a := stolenApp(b, "203.0.113.45")
	invoke := func(at time.Duration, who *actor, model string) *record {
		return b.call(at, who, r, "bedrock-runtime:InvokeModel", obj{{"modelId", model}}, nil)
	}
	b.call(ms(16, 5), a, r, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(16, 20), a, r, "bedrock:ListFoundationModels", nil, nil)
	invoke(ms(16, 40), a, haiku)
	for _, at := range []time.Duration{ms(17, 2), ms(17, 9), ms(17, 15)} {
		invoke(at, a, opus).deny(foundationModelARN(r, opus), "")
	}
	for _, at := range []time.Duration{ms(17, 40), ms(17, 52)} {
		invoke(at, a, sonnet).deny(foundationModelARN(r, sonnet), "")
	}
	invoke(ms(18, 10), a, haiku)

	u := iamUser("svc-reporting", "198.51.100.23", cliMac)
	b.call(ms(19, 0), u, r, "sts:GetCallerIdentity", nil, nil)
	invoke(ms(19, 25), u, llama).deny(foundationModelARN(r, llama), "")
	invoke(ms(19, 48), u, llama).deny(foundationModelARN(r, llama), "")
	invoke(ms(20, 10), u, titan).deny(foundationModelARN(r, titan), "")
}

// invokeDeniedBenign: model access not granted (AccessDeniedException),
// bad requests (ValidationException), throttling, successful calls, and
// AccessDenied on other inference APIs.
func invokeDeniedBenign(b *builder) {
	r, e := b.region, b.env
	invoke := func(at time.Duration, who *actor, model string) *record {
		return b.call(at, who, r, "bedrock-runtime:InvokeModel", obj{{"modelId", model}}, nil)
	}
	for i := range 4 {
		invoke(ms(4, 10+25*i), e.scientist, command).fail("AccessDeniedException", "You don't have access to the model with the specified model ID.")
	}
	for i := range 3 {
		invoke(ms(9, 2+17*i), e.dev, "anthropic.claude-3-7-sonnet-20250219-v1:0").fail("ValidationException",
			"Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.")
	}
	invoke(ms(10, 30), e.dev, "us.anthropic.claude-3-7-sonnet-20250219-v1:0")
	invoke(ms(11, 45), e.dev, "anthropic.claude-v3").fail("ValidationException", "The provided model identifier is invalid.")
	for i := range 6 {
		invoke(ms(18, 0)+time.Duration(2*i)*time.Second, e.app, haiku).fail("ThrottlingException", "Too many requests, please wait before trying again.")
	}
	for i := range 10 {
		invoke(ms(19, 0)+time.Duration(13*i)*time.Second, e.app, haiku)
	}
	b.call(ms(27, 14), e.dev, r, "bedrock-runtime:InvokeModelWithResponseStream", obj{{"modelId", opus}}, nil).deny(foundationModelARN(r, opus), "")
	b.call(ms(27, 50), e.dev, r, "bedrock-runtime:Converse", obj{{"modelId", opus}}, nil).deny(foundationModelARN(r, opus), "")
	b.call(ms(28, 20), &actor{e.app.id, e.app.ip, goApp}, r, "bedrock-runtime:Converse", obj{{"modelId", haiku}}, nil)
}
