package gen

import (
	"fmt"
	"slices"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// The bedrock-heavy profile: an account whose applications and people use
// Amazon Bedrock a lot. About a quarter of the records are benign Bedrock
// calls, most of them model invocations by application roles, the rest
// console and SDK reads of the model catalog, guardrails and knowledge
// bases, with the errors such an account sees (throttling, validation,
// model access not granted, the odd IAM denial). The rest are the default
// profile's other services.
//
// The shapes follow the repository's attack data and the AWS CloudTrail
// record reference: requestParameters carry modelId (modelIdentifier for
// GetFoundationModel), responseElements is null for runtime calls,
// additionalEventData.inferenceRegion names where a cross-Region inference
// profile ran the request, and errors use the codes CloudTrail records: an
// IAM policy denial is errorCode AccessDenied with the "User: … is not
// authorized to perform" message, while an error the service itself
// returns keeps its exception name (ThrottlingException,
// ValidationException, ResourceNotFoundException, and
// AccessDeniedException for a model whose access was not granted).
//
// Benign activity stays clear of every embedded detection, by design and
// checked by the tests: no benign Delete of a guardrail, knowledge base or
// logging configuration; no InvokeModel denied with AccessDenied; and
// ListFoundationModels denials come in clusters of at most five, each from
// a source address no other cluster uses, so no group reaches the
// detection's threshold of ten. Near misses are deliberate:
// DeleteKnowledgeBaseDocuments and GetModelInvocationLoggingConfiguration
// contain the deletions' names, AccessDeniedException and AccessDenied on
// Converse contain InvokeModel's, and runs of ten or more throttled
// ListFoundationModels calls from one caller pass every condition of the
// threshold detection but errorCode.

// bedrockShare is the percentage of background records that are benign
// Bedrock calls (the held-out account: 22%; the profile aims at
// 20-30%).
const bedrockShare = 25

// heavyCall is a benign Bedrock call and its weight, per thousand.
type heavyCall struct {
	name   string
	weight int
	kind   callKind
}

type callKind int

const (
	runtimeCall callKind = iota // bedrock-runtime: model invocations
	catalogRead                 // bedrock: model catalog, guardrails, logging configuration
	agentRead                   // bedrock-agent: knowledge bases
	adminWrite                  // rare changes by administrators and pipelines
)

var heavyCalls = []heavyCall{
	{"InvokeModel", 560, runtimeCall},
	{"InvokeModelWithResponseStream", 90, runtimeCall},
	{"Converse", 120, runtimeCall},
	{"ConverseStream", 50, runtimeCall},
	{"ApplyGuardrail", 15, runtimeCall},
	{"ListFoundationModels", 50, catalogRead},
	{"GetFoundationModel", 40, catalogRead},
	{"ListCustomModels", 8, catalogRead},
	{"ListInferenceProfiles", 12, catalogRead},
	{"ListGuardrails", 12, catalogRead},
	{"GetGuardrail", 12, catalogRead},
	{"GetModelInvocationLoggingConfiguration", 5, catalogRead},
	{"ListKnowledgeBases", 8, agentRead},
	{"GetKnowledgeBase", 8, agentRead},
	{"UpdateGuardrail", 2, adminWrite},
	{"CreateGuardrailVersion", 1, adminWrite},
	{"StartIngestionJob", 3, agentRead},
	{"DeleteKnowledgeBaseDocuments", 2, agentRead},
	{"DeleteDataSource", 1, adminWrite},
	{"PutModelInvocationLoggingConfiguration", 1, adminWrite},
}

// model is a model identifier; a geo profile ("us.", "eu.", "apac."
// prefix added by region) is a cross-Region inference profile.
type model struct {
	id     string
	geo    bool
	weight int
}

var models = []model{
	{"anthropic.claude-3-5-sonnet-20240620-v1:0", false, 20},
	{"anthropic.claude-3-7-sonnet-20250219-v1:0", true, 18},
	{"anthropic.claude-sonnet-4-20250514-v1:0", true, 12},
	{"anthropic.claude-3-haiku-20240307-v1:0", false, 15},
	{"amazon.titan-embed-text-v2:0", false, 14},
	{"amazon.nova-lite-v1:0", false, 6},
	{"amazon.nova-pro-v1:0", true, 5},
	{"meta.llama3-1-70b-instruct-v1:0", false, 4},
	{"cohere.embed-english-v3", false, 4},
	{"mistral.mistral-large-2407-v1:0", false, 2},
}

// geography is where a region's inference profiles may run a request.
type geography struct {
	prefix  string
	regions []string
}

var geographies = map[string]geography{
	"us-east-1":      {"us", []string{"us-east-1", "us-east-2", "us-west-2"}},
	"us-west-2":      {"us", []string{"us-east-1", "us-east-2", "us-west-2"}},
	"eu-central-1":   {"eu", []string{"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"}},
	"eu-west-1":      {"eu", []string{"eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"}},
	"ap-northeast-1": {"apac", []string{"ap-northeast-1", "ap-northeast-3", "ap-southeast-2"}},
}

// heavyRegions weights the regions Bedrock is used in.
var heavyRegions = []string{"us-east-1", "us-east-1", "us-east-1", "us-east-1", "us-west-2", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1"}

var (
	sdkAgents = []string{
		"Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.226-214.880.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36",
		"Boto3/1.37.18 md/Botocore#1.37.18 ua/2.1 os/linux#6.1.128-136.201.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython m/b,Z cfg/retry-mode#legacy Botocore/1.37.18",
		"aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64 api/bedrockruntime#1.28.0",
		"aws-sdk-java/2.29.6 Linux/5.10.228-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/adaptive",
		"aws-sdk-js/3.716.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.1 api/bedrock-runtime#3.716.0 exec-env/AWS_Lambda_nodejs20.x",
		"langchain-aws/0.2.10 Boto3/1.35.90 md/Botocore#1.35.90 ua/2.0 os/linux#6.8.0-1021-aws md/arch#x86_64 lang/python#3.11.11 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.35.90",
	}
	cliAgents = []string{
		"aws-cli/2.24.22 md/awscrt#0.23.8 ua/2.1 os/macos#24.3.0 md/arch#arm64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#bedrock.list-foundation-models",
		"aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-49-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#bedrock-runtime.converse",
	}
	consoleAgents = []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0",
		"Mozilla/5.0 (X11; Linux x86_64; rv:136.0) Gecko/20100101 Firefox/136.0",
	}
	appNames     = []string{"chatbot", "rag-api", "summarizer", "ticket-classifier", "support-assistant", "semantic-search", "doc-ingest", "code-review", "translation", "contract-analyzer"}
	appEnvs      = []string{"prod", "staging", "dev", "batch"}
	firstNames   = []string{"ana", "ben", "chloe", "diego", "emma", "farid", "gita", "hugo", "ines", "jonas", "kenji", "lena", "marco", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tara", "umar", "vera", "wei", "yusuf"}
	lastNames    = []string{"alvarez", "becker", "chen", "dubois", "eriksen", "fischer", "garcia", "hansen", "ito", "kowalski"}
	permSets     = []string{"DataScientist", "Developer", "ReadOnlyAccess", "PowerUserAccess"}
	publicFirsts = []int{3, 18, 34, 52, 54, 81, 86, 92, 176, 185, 212}
)

// principal is a caller: who, from where, with what client.
type principal struct {
	id      obj
	arn     string
	ip      string
	agent   string
	region  string
	console bool
	app     bool
}

// otherServices are the default profile's services but Bedrock, which
// this profile writes itself.
var otherServices = func() []service {
	var list []service
	for _, s := range services {
		if s.source != "bedrock.amazonaws.com" {
			list = append(list, s)
		}
	}
	return list
}()

// heavy is the bedrock-heavy profile's state.
type heavy struct {
	g                  *writer
	apps, people, svcs []principal
	// clusters numbers the ListFoundationModels denial clusters; each
	// takes its own source address from it.
	clusters int
	callSum  int
	modelSum int
}

func newHeavy(g *writer) *heavy {
	h := &heavy{g: g}
	for _, c := range heavyCalls {
		h.callSum += c.weight
	}
	for _, m := range models {
		h.modelSum += m.weight
	}
	privateIP := func() string {
		return fmt.Sprintf("10.%d.%d.%d", 16+g.rng.IntN(16), g.rng.IntN(256), 1+g.rng.IntN(254))
	}
	publicIP := func() string {
		return fmt.Sprintf("%d.%d.%d.%d", publicFirsts[g.rng.IntN(len(publicFirsts))], g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))
	}
	// Application roles, two sessions each (instances, tasks, functions).
	for _, app := range appNames {
		for _, env := range appEnvs {
			role := app + "-" + env
			for s := 0; s < 2; s++ {
				var session string
				switch g.rng.IntN(3) {
				case 0:
					session = fmt.Sprintf("i-0%016x", g.rng.Uint64())
				case 1:
					session = fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
				default:
					session = role + "-handler"
				}
				id := assumedRole(role, session)
				h.apps = append(h.apps, principal{id: id, arn: fmt.Sprint(id.Get("arn")), ip: privateIP(), agent: g.pick(sdkAgents), region: g.pick(heavyRegions), app: true})
			}
		}
	}
	// People through IAM Identity Center: a permission set's role, the
	// e-mail address as the session.
	for i := 0; i < 120; i++ {
		email := firstNames[i%len(firstNames)] + "." + lastNames[i/len(firstNames)] + "@example.com"
		role := "AWSReservedSSO_" + permSets[i%len(permSets)] + "_" + fmt.Sprintf("%016x", uint64(i+1)*0x9e3779b97f4a7c15)
		id := assumedRole(role, email)
		p := principal{id: id, arn: fmt.Sprint(id.Get("arn")), ip: publicIP(), region: g.pick(heavyRegions)}
		if g.rng.IntN(10) < 6 {
			p.agent, p.console = g.pick(consoleAgents), true
		} else {
			p.agent = g.pick(cliAgents)
		}
		h.people = append(h.people, p)
	}
	// IAM users: service accounts and a few people with long-term keys.
	clients := append(slices.Clone(sdkAgents), cliAgents...)
	for i := 0; i < 30; i++ {
		name := "svc-" + appNames[i%len(appNames)] + fmt.Sprintf("-%d", i/len(appNames)+1)
		if i >= 24 {
			name = firstNames[(i*7)%len(firstNames)] + "." + lastNames[i%len(lastNames)]
		}
		id := iamUser(name)
		ip := privateIP()
		if i%3 == 0 {
			ip = publicIP()
		}
		h.svcs = append(h.svcs, principal{id: id, arn: fmt.Sprint(id.Get("arn")), ip: ip, agent: g.pick(clients), region: g.pick(heavyRegions)})
	}
	return h
}

// record returns the profile's next background record.
func (h *heavy) record() *record {
	g := h.g
	if g.rng.IntN(100) >= bedrockShare {
		return g.background(otherServices)
	}
	x := g.rng.IntN(h.callSum)
	var c heavyCall
	for _, c = range heavyCalls {
		if x < c.weight {
			break
		}
		x -= c.weight
	}
	p := h.caller(c.kind)
	r := h.bedrock(p, c)
	switch c.name {
	case "ListFoundationModels":
		switch y := g.rng.IntN(100); {
		case y < 4:
			return h.deniedCluster(r)
		case y < 14 && p.app:
			return h.throttledRun(r)
		}
	}
	return r
}

// caller picks who makes a call of kind k.
func (h *heavy) caller(k callKind) principal {
	g := h.g
	x := g.rng.IntN(100)
	switch k {
	case runtimeCall:
		switch {
		case x < 85:
			return h.apps[g.rng.IntN(len(h.apps))]
		case x < 93:
			return h.svcs[g.rng.IntN(len(h.svcs))]
		}
		// People call models from the console's playground or the CLI.
		return h.people[g.rng.IntN(len(h.people))]
	case adminWrite:
		if x < 50 {
			return h.svcs[g.rng.IntN(len(h.svcs))]
		}
		return h.people[g.rng.IntN(len(h.people))]
	}
	switch {
	case x < 55:
		return h.people[g.rng.IntN(len(h.people))]
	case x < 80:
		return h.apps[g.rng.IntN(len(h.apps))]
	}
	return h.svcs[g.rng.IntN(len(h.svcs))]
}

// modelID picks a model for a call in region.
func (h *heavy) modelID(region string) (string, obj) {
	g := h.g
	x := g.rng.IntN(h.modelSum)
	var m model
	for _, m = range models {
		if x < m.weight {
			break
		}
		x -= m.weight
	}
	if !m.geo {
		return m.id, nil
	}
	geo := geographies[region]
	return geo.prefix + "." + m.id, obj{{"inferenceRegion", geo.regions[g.rng.IntN(len(geo.regions))]}}
}

// bedrock writes one benign call c by p.
func (h *heavy) bedrock(p principal, c heavyCall) *record {
	g := h.g
	host := "bedrock"
	switch c.kind {
	case runtimeCall:
		host = "bedrock-runtime"
	case agentRead:
		host = "bedrock-agent"
	}
	if c.name == "DeleteDataSource" {
		host = "bedrock-agent"
	}
	r := &record{EventVersion: "1.11", UserIdentity: p.id, EventSource: "bedrock.amazonaws.com", EventName: c.name, AwsRegion: p.region,
		SourceIPAddress: p.ip, UserAgent: p.agent, EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: account, EventCategory: "Management",
		TLSDetails: cloudtrail.TLS("TLSv1.3", "TLS_AES_128_GCM_SHA256", host+"."+p.region+".amazonaws.com")}
	if p.console {
		r.SessionCredentialFromConsole = "true"
	}
	kb := func() string { return fmt.Sprintf("KB%08X", g.rng.Uint32()&0x0fffffff) }
	gr := func() string { return fmt.Sprintf("%012x", g.rng.Uint64()&0xffffffffffff) }
	switch c.name {
	case "InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream":
		id, extra := h.modelID(p.region)
		r.RequestParameters, r.AdditionalEventData = obj{{"modelId", id}}, extra
		h.runtimeError(r, p, id)
	case "ApplyGuardrail":
		r.RequestParameters = obj{{"guardrailIdentifier", gr()}, {"guardrailVersion", "1"}, {"source", "INPUT"}}
	case "ListFoundationModels":
		r.ReadOnly = true
		if g.rng.IntN(3) == 0 {
			r.RequestParameters = obj{{"byOutputModality", "TEXT"}}
		}
		if g.rng.IntN(100) == 0 {
			r.ErrorCode, r.ErrorMessage = "ThrottlingException", "Rate exceeded"
		}
	case "GetFoundationModel":
		r.ReadOnly = true
		id, _ := h.modelID("us-east-1")
		if i := len("us."); len(id) > i && id[:i] == "us." {
			id = id[i:]
		}
		r.RequestParameters = obj{{"modelIdentifier", id}}
		if g.rng.IntN(100) == 0 {
			h.iamDenied(r, p, "arn:aws:bedrock:"+p.region+"::foundation-model/"+id)
		}
	case "ListCustomModels", "ListInferenceProfiles", "ListGuardrails", "ListKnowledgeBases":
		r.ReadOnly = true
		r.RequestParameters = obj{{"maxResults", 100}}
		if c.name == "ListCustomModels" && g.rng.IntN(20) == 0 {
			r.RequestParameters = nil
			h.iamDenied(r, p, "")
		}
	case "GetGuardrail":
		r.ReadOnly = true
		r.RequestParameters = obj{{"guardrailIdentifier", gr()}, {"guardrailVersion", "DRAFT"}}
	case "GetModelInvocationLoggingConfiguration":
		r.ReadOnly = true
	case "GetKnowledgeBase":
		r.ReadOnly = true
		r.RequestParameters = obj{{"knowledgeBaseId", kb()}}
	case "StartIngestionJob":
		k, ds := kb(), fmt.Sprintf("DS%08X", g.rng.Uint32()&0x0fffffff)
		r.RequestParameters = obj{{"knowledgeBaseId", k}, {"dataSourceId", ds}, {"clientToken", g.id("t")}}
		r.ResponseElements = obj{{"ingestionJob", obj{{"knowledgeBaseId", k}, {"dataSourceId", ds}, {"ingestionJobId", fmt.Sprintf("IJ%08X", g.rng.Uint32()&0x0fffffff)}, {"status", "STARTING"}}}}
	case "DeleteKnowledgeBaseDocuments":
		r.RequestParameters = obj{{"knowledgeBaseId", kb()}, {"dataSourceId", fmt.Sprintf("DS%08X", g.rng.Uint32()&0x0fffffff)}, {"documentIdentifiers", []any{obj{{"dataSourceType", "S3"}}}}}
	case "DeleteDataSource":
		k, ds := kb(), fmt.Sprintf("DS%08X", g.rng.Uint32()&0x0fffffff)
		r.RequestParameters = obj{{"knowledgeBaseId", k}, {"dataSourceId", ds}}
		r.ResponseElements = obj{{"knowledgeBaseId", k}, {"dataSourceId", ds}, {"status", "DELETING"}}
	case "UpdateGuardrail", "CreateGuardrailVersion":
		id := gr()
		r.RequestParameters = obj{{"guardrailIdentifier", id}}
		r.ResponseElements = obj{{"guardrailId", id}, {"guardrailArn", "arn:aws:bedrock:" + p.region + ":" + account + ":guardrail/" + id}, {"version", "DRAFT"}}
	case "PutModelInvocationLoggingConfiguration":
		r.RequestParameters = obj{{"loggingConfig", obj{{"s3Config", obj{{"bucketName", "corp-bedrock-invocation-logs"}, {"keyPrefix", "invocations/"}}}, {"textDataDeliveryEnabled", true}, {"imageDataDeliveryEnabled", false}, {"embeddingDataDeliveryEnabled", false}}}}
	}
	return r
}

// runtimeError gives a model invocation the error an active account sees
// now and then. InvokeModel is never denied by IAM here: that is the
// planted attack's signature (errorCode AccessDenied); the other calls
// sometimes are, as near misses.
func (h *heavy) runtimeError(r *record, p principal, modelID string) {
	switch x := h.g.rng.IntN(1000); {
	case x < 36:
		r.ErrorCode, r.ErrorMessage = "ThrottlingException", "Too many requests, please wait before trying again."
	case x < 40:
		r.ErrorCode, r.ErrorMessage = "ThrottlingException", "Too many tokens per day, please wait before trying again."
	case x < 55:
		r.ErrorCode, r.ErrorMessage = "ValidationException", "Invocation of model ID "+modelID+" with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	case x < 63:
		r.ErrorCode, r.ErrorMessage = "AccessDeniedException", "You don't have access to the model with the specified model ID."
	case x < 68:
		r.ErrorCode, r.ErrorMessage = "ResourceNotFoundException", "Model not found: "+modelID
	case x < 71:
		r.ErrorCode, r.ErrorMessage = "ModelTimeoutException", "Model has timed out in processing the request. Try your request again."
	case x < 74 && r.EventName != "InvokeModel":
		h.iamDenied(r, p, "arn:aws:bedrock:"+r.AwsRegion+"::foundation-model/"+modelID)
	}
}

// iamDenied makes r an IAM policy denial, as CloudTrail records one.
func (h *heavy) iamDenied(r *record, p principal, resource string) {
	on := ""
	if resource != "" {
		on = " on resource: " + resource
	}
	r.ErrorCode = "AccessDenied"
	r.ErrorMessage = "User: " + p.arn + " is not authorized to perform: bedrock:" + r.EventName + on + " because no identity-based policy allows the bedrock:" + r.EventName + " action"
	r.ResponseElements = nil
}

// deniedCluster turns r into the first of one to five ListFoundationModels
// denials by a caller without the permission, from a source address that
// no other cluster uses (2^20 of them: one cluster comes about every 2,000
// records, so addresses repeat only after some 2 TB of data): below the
// detection's threshold of ten per group.
func (h *heavy) deniedCluster(r *record) *record {
	g := h.g
	h.clusters++
	r.SourceIPAddress = fmt.Sprintf("172.%d.%d.%d", 16+(h.clusters>>16)&15, (h.clusters>>8)&255, h.clusters&255)
	h.iamDenied(r, principal{arn: fmt.Sprint(r.UserIdentity.Get("arn"))}, "")
	r.RequestParameters = nil
	for n := g.rng.IntN(5); n > 0; n-- {
		c := *r
		g.pending = append(g.pending, &c)
	}
	return r
}

// throttledRun turns r into the first of ten to fourteen throttled
// ListFoundationModels calls by an application that polls the catalog:
// one group above the threshold, which only errorCode keeps silent.
func (h *heavy) throttledRun(r *record) *record {
	g := h.g
	r.ErrorCode, r.ErrorMessage = "ThrottlingException", "Rate exceeded"
	for n := 9 + g.rng.IntN(5); n > 0; n-- {
		c := *r
		g.pending = append(g.pending, &c)
	}
	return r
}
