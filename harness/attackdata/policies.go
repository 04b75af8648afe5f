package attackdata

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// ESCU's CloudTrail detections that read a JSON document inside a record
// with spath and expand it with mvexpand: an IAM policy version that
// allows every action, a KMS key policy that lets anyone encrypt, and an
// S3 bucket ACL that grants the public. Each expands one record into one
// result per policy statement (or ACL grant), so their rows are computed
// by expandStats over those results rather than by statsSearch.
//
// The documents these datasets plant are written compactly (no spaces),
// as the AWS CLI sends an inline --policy-document and Terraform's
// jsonencode writes one, so that a statement's JSON text is the same
// whether spath gives the text as written or as re-serialised.

// result is one result of a detection that expands a record into several
// (mvexpand): the record and the fields the search made for this result.
type result struct {
	r *record
	f map[string][]string
}

// get returns a field of the result: one the search made, else the
// record's field as ctField derives it.
func (x result) get(name string) []string {
	if v, ok := x.f[name]; ok {
		return v
	}
	return ctField(x.r, name)
}

// expandStats is `stats <aggs> by <by>` over results, with the rules of
// statsSearch: a result whose BY field is null is dropped, rows come
// sorted by the BY fields, the BY fields first, then the aggregations
// (count, min_time, max_time, values) in order.
func expandStats(rs []result, by []string, aggs []statsAgg) []Row {
	groups := newStatGroups(len(aggs))
	for _, x := range rs {
		key := make([]string, len(by))
		dropped := false
		for i, f := range by {
			v := x.get(f)
			if len(v) == 0 {
				dropped = true
				break
			}
			key[i] = v[0] // the BY fields of these detections are single-valued
		}
		if dropped {
			continue
		}
		g := groups.add(key, x.r.at)
		for i, a := range aggs {
			if a.fn == "values" {
				for _, v := range x.get(a.field) {
					g.sets[i][v] = true
				}
			}
		}
	}
	rows := []Row{}
	for _, g := range groups.sorted() {
		var row Row
		for i, f := range by {
			row = append(row, Field{f, []string{g.key[i]}})
		}
		for i, a := range aggs {
			if v := g.value(i, a.fn); len(v) > 0 {
				row = append(row, Field{a.as, v})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// policyDoc writes an IAM or KMS policy document compactly, with its
// statements in order.
func policyDoc(statements ...obj) string {
	b, err := json.Marshal(obj{{"Version", "2012-10-17"}, {"Statement", statements}})
	if err != nil {
		panic(err) // a programming error in this package
	}
	return string(b)
}

// statements returns the JSON text of each statement of a policy
// document (spath's path=Statement{}), or nil when the text is no policy.
func statements(doc string) []json.RawMessage {
	var p struct{ Statement []json.RawMessage }
	if json.Unmarshal([]byte(doc), &p) != nil {
		return nil
	}
	return p.Statement
}

// member reads one key of a statement's JSON text: the string itself,
// or, for an array or object, its JSON text (spath path=<key>); each
// lists an array's string elements (path=<key>{}).
func member(stmt json.RawMessage, keys ...string) (text string, ok bool, each []string) {
	var cur any
	if json.Unmarshal(stmt, &cur) != nil {
		return "", false, nil
	}
	for _, k := range keys {
		m, isObj := cur.(map[string]any)
		if !isObj {
			return "", false, nil
		}
		if cur, ok = m[k]; !ok {
			return "", false, nil
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true, nil
	case []any:
		for _, e := range v {
			if s, isStr := e.(string); isStr {
				each = append(each, s)
			}
		}
	}
	b, _ := json.Marshal(cur)
	return string(b), true, each
}

// ---------------------------------------------------------------------------
// AWS Create Policy Version to allow all resources

// detPolicyVersionAllowAll restates the detection:
//
//	`cloudtrail` eventName=CreatePolicyVersion eventSource = iam.amazonaws.com errorCode = success
//	| spath input=requestParameters.policyDocument output=key_policy_statements path=Statement{}
//	| mvexpand key_policy_statements
//	| spath input=key_policy_statements output=key_policy_action_1 path=Action
//	| where key_policy_action_1 = "*"
//	| stats count min(_time) as firstTime max(_time) as lastTime values(key_policy_statements) as policy_added
//	  by eventName eventSource aws_account_id errorCode userAgent eventID awsRegion user user_arn | ctime ...
//
// where compares the whole string: only a statement whose Action is the
// string "*" stays (an array ["*"] is JSON text, "iam:*" another string);
// the statement's Effect and Resource are not read.
func detPolicyVersionAllowAll(recs []*record) []Row {
	var rs []result
	for _, r := range recs {
		if !isCall("iam.amazonaws.com", "CreatePolicyVersion")(r) || !succeeded(r) {
			continue
		}
		doc, _ := r.RequestParameters.Get("policyDocument").(string)
		for _, s := range statements(doc) {
			if a, ok, _ := member(s, "Action"); ok && a == "*" {
				rs = append(rs, result{r, map[string][]string{"key_policy_statements": {string(s)}}})
			}
		}
	}
	return expandStats(rs, []string{"eventName", "eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion", "user", "user_arn"},
		[]statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}, {"values", "key_policy_statements", "policy_added"}})
}

// createPolicyVersion records a CreatePolicyVersion of policy with doc,
// made the default version; version is the new version's id.
func createPolicyVersion(b *builder, at time.Duration, a *actor, policy, doc, version string) *record {
	return b.call(at, a, "", "iam:CreatePolicyVersion", obj{{"policyArn", policyARN(policy)}, {"policyDocument", doc}, {"setAsDefault", true}},
		obj{{"policyVersion", obj{{"versionId", version}, {"isDefaultVersion", true}, {"createDate", b.start.Add(at).UTC().Format("Jan 2, 2006, 3:04:05 PM")}}}})
}

var (
	allowAll       = obj{{"Effect", "Allow"}, {"Action", "*"}, {"Resource", "*"}}
	internBoundary = obj{{"Sid", "DevSandbox"}, {"Effect", "Allow"}, {"Action", []any{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}}, {"Resource", []any{"arn:aws:s3:::corp-dev-sandbox", "arn:aws:s3:::corp-dev-sandbox/*"}}}
	adminOverTLS   = obj{{"Sid", "Admin"}, {"Effect", "Allow"}, {"Action", "*"}, {"Resource", "*"}, {"Condition", obj{{"Bool", obj{{"aws:SecureTransport", "true"}}}}}}
)

// policyVersionAttack: the intern's user may create versions of its own
// policy (iam:CreatePolicyVersion on it), and uses that to give itself
// every action on every resource; it then writes a second, padded policy
// on the reporting user it also reaches. A third attempt hits the
// five-version limit.
func policyVersionAttack(b *builder) {
	a := iamUser("dev-intern", "198.51.100.44", cliLinux)
	b.call(ms(9, 10), a, "", "iam:ListAttachedUserPolicies", obj{{"userName", "dev-intern"}}, nil)
	b.call(ms(9, 31), a, "", "iam:GetPolicyVersion", obj{{"policyArn", policyARN("dev-intern-boundary")}, {"versionId", "v3"}}, nil)
	createPolicyVersion(b, ms(10, 2), a, "dev-intern-boundary", policyDoc(allowAll), "v4")
	b.call(ms(10, 40), a, "", "iam:ListPolicyVersions", obj{{"policyArn", policyARN("svc-reporting-access")}}, nil)
	createPolicyVersion(b, ms(11, 15), a, "svc-reporting-access", policyDoc(internBoundary, adminOverTLS), "v2")
	b.call(ms(12, 3), a, "", "iam:CreatePolicyVersion", obj{{"policyArn", policyARN("ml-inference-app-access")}, {"policyDocument", policyDoc(allowAll)}, {"setAsDefault", true}}, nil).
		fail("LimitExceededException", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	b.call(ms(12, 40), a, "", "iam:ListUsers", nil, nil)
}

// policyVersionBenign: CI publishes policy versions that allow one
// service's actions on every resource, or every S3 action ("s3:*"); an
// administrator creates a new administrator policy (CreatePolicy, not a
// version); a version with "*" fails on the version limit; a version is
// made the default.
func policyVersionBenign(b *builder) {
	e := b.env
	createPolicyVersion(b, ms(6, 0), e.ci, "ml-inference-app-access",
		policyDoc(obj{{"Effect", "Allow"}, {"Action", "bedrock:InvokeModel"}, {"Resource", "*"}}), "v5")
	createPolicyVersion(b, ms(6, 30), e.ci, "data-pipeline-s3",
		policyDoc(obj{{"Effect", "Allow"}, {"Action", "s3:*"}, {"Resource", []any{"arn:aws:s3:::corp-ml-datasets", "arn:aws:s3:::corp-ml-datasets/*"}}},
			obj{{"Effect", "Allow"}, {"Action", []any{"kms:Decrypt", "kms:GenerateDataKey"}}, {"Resource", "*"}}), "v3")
	b.call(ms(14, 0), e.admin, "", "iam:CreatePolicy", obj{{"policyName", "break-glass-admin"}, {"policyDocument", policyDoc(allowAll)}},
		obj{{"policy", obj{{"policyName", "break-glass-admin"}, {"policyId", "ANPA" + awsID("break-glass-admin", 17)}, {"arn", policyARN("break-glass-admin")},
			{"path", "/"}, {"defaultVersionId", "v1"}, {"attachmentCount", 0}, {"isAttachable", true}}}})
	b.call(ms(22, 10), e.ci, "", "iam:CreatePolicyVersion", obj{{"policyArn", policyARN("ci-deploy-admin")}, {"policyDocument", policyDoc(allowAll)}, {"setAsDefault", true}}, nil).
		fail("LimitExceededException", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	b.call(ms(22, 40), e.ci, "", "iam:SetDefaultPolicyVersion", obj{{"policyArn", policyARN("data-pipeline-s3")}, {"versionId", "v2"}}, nil)
}

// ---------------------------------------------------------------------------
// AWS Detect Users creating keys with encrypt policy without MFA

// detKMSEncryptPolicy restates the detection:
//
//	`cloudtrail` eventName=CreateKey OR eventName=PutKeyPolicy
//	| spath input=requestParameters.policy output=key_policy_statements path=Statement{}
//	| mvexpand key_policy_statements
//	| spath input=key_policy_statements output=key_policy_action_1 path=Action
//	| spath input=key_policy_statements output=key_policy_action_2 path=Action{}
//	| eval key_policy_action=mvappend(key_policy_action_1, key_policy_action_2)
//	| spath input=key_policy_statements output=key_policy_principal path=Principal.AWS
//	| search key_policy_action="kms:Encrypt" AND key_policy_principal="*"
//	| stats count min(_time) as firstTime max(_time) as lastTime
//	  by eventName eventSource eventID awsRegion userIdentity.principalId user | ctime ...
//
// search compares a value case-insensitively and keeps a multivalue when
// any value matches; "*" in search is a wildcard even in quotes, so a
// statement with any Principal.AWS (an ARN as much as "*") stays. A
// statement with a Service principal has no Principal.AWS. The call's
// errorCode is not read.
func detKMSEncryptPolicy(recs []*record) []Row {
	var rs []result
	for _, r := range recs {
		if r.EventName != "CreateKey" && r.EventName != "PutKeyPolicy" {
			continue
		}
		doc, _ := r.RequestParameters.Get("policy").(string)
		for _, s := range statements(doc) {
			a1, ok1, each := member(s, "Action")
			actions := each
			if ok1 {
				actions = append([]string{a1}, each...)
			}
			p, hasPrincipal, _ := member(s, "Principal", "AWS")
			if hasPrincipal && p != "" && slices.ContainsFunc(actions, func(a string) bool { return strings.EqualFold(a, "kms:Encrypt") }) {
				rs = append(rs, result{r, nil})
			}
		}
	}
	return expandStats(rs, []string{"eventName", "eventSource", "eventID", "awsRegion", "userIdentity.principalId", "user"},
		[]statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}})
}

func kmsKeyARN(region, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// createKey records a CreateKey of a symmetric key with policy.
func createKey(b *builder, at time.Duration, a *actor, description, policy string) *record {
	id := b.uuid()
	r := b.call(at, a, b.region, "kms:CreateKey", obj{{"description", description}, {"keyUsage", "ENCRYPT_DECRYPT"}, {"keySpec", "SYMMETRIC_DEFAULT"},
		{"origin", "AWS_KMS"}, {"policy", policy}, {"bypassPolicyLockoutSafetyCheck", false}, {"multiRegion", false}},
		obj{{"keyMetadata", obj{{"aWSAccountId", account}, {"keyId", id}, {"arn", kmsKeyARN(b.region, id)},
			{"creationDate", b.start.Add(at).UTC().Format("Jan 2, 2006, 3:04:05 PM")}, {"enabled", true}, {"description", description},
			{"keyUsage", "ENCRYPT_DECRYPT"}, {"keyState", "Enabled"}, {"origin", "AWS_KMS"}, {"keyManager", "CUSTOMER"},
			{"customerMasterKeySpec", "SYMMETRIC_DEFAULT"}, {"keySpec", "SYMMETRIC_DEFAULT"}, {"encryptionAlgorithms", []any{"SYMMETRIC_DEFAULT"}},
			{"multiRegion", false}}}})
	r.Resources = []cloudtrail.Obj{{{"accountId", account}, {"type", "AWS::KMS::Key"}, {"ARN", kmsKeyARN(b.region, id)}}}
	return r
}

// putKeyPolicy records a PutKeyPolicy of key id.
func putKeyPolicy(b *builder, at time.Duration, a *actor, id, policy string) *record {
	r := b.call(at, a, b.region, "kms:PutKeyPolicy", obj{{"keyId", id}, {"policyName", "default"}, {"policy", policy}, {"bypassPolicyLockoutSafetyCheck", false}}, nil)
	r.Resources = []cloudtrail.Obj{{{"accountId", account}, {"type", "AWS::KMS::Key"}, {"ARN", kmsKeyARN(b.region, id)}}}
	return r
}

var (
	// keyRoot is the default key policy's statement: the account may
	// use IAM policies to allow the key's use.
	keyRoot = obj{{"Sid", "Enable IAM User Permissions"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", "arn:aws:iam::" + account + ":root"}}},
		{"Action", "kms:*"}, {"Resource", "*"}}
	// keyAnyoneEncrypts lets every AWS principal of every account
	// encrypt with the key: data encrypted for ransom.
	keyAnyoneEncrypts = obj{{"Sid", "Allow use of the key"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", "*"}}}, {"Action", "kms:Encrypt"}, {"Resource", "*"}}
	keyAnyoneUses     = obj{{"Sid", "Allow external use"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", "*"}}},
		{"Action", []any{"kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"}}, {"Resource", "*"}}
)

// kmsKeyAttack: with the CI user's leaked key, the intruder creates a key
// that anyone may encrypt with, and opens the data pipeline's key to
// every principal (from an assumed role); it then schedules the first
// key's deletion after encrypting with it.
func kmsKeyAttack(b *builder) {
	a := intruder("203.0.113.45")
	b.call(ms(14, 0), a, b.region, "kms:ListKeys", obj{{"limit", 100}}, nil)
	k := createKey(b, ms(14, 30), a, "backup", policyDoc(keyRoot, keyAnyoneEncrypts))
	keyID := k.ResponseElements.Path("keyMetadata", "keyId").(string)
	assumed := b.start.Add(ms(15, 0))
	role := &actor{&identity{kind: "AssumedRole", name: "DataPipelineRole", session: "botocore-session-" + strconv.FormatInt(assumed.Unix(), 10), created: assumed},
		"203.0.113.45", boto3Kali}
	b.call(ms(15, 0), a, b.region, "sts:AssumeRole", obj{{"roleArn", role.id.roleARN()}, {"roleSessionName", role.id.session}},
		obj{{"credentials", obj{{"accessKeyId", role.id.json().Path("accessKeyId")}, {"expiration", assumed.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}},
			{"assumedRoleUser", obj{{"assumedRoleId", "AROA" + awsID(role.id.name, 17) + ":" + role.id.session}, {"arn", role.id.arn()}}}})
	pipelineKey := "7f0c2a61-3b7e-4d42-9a55-0c8e3f9b1d27"
	b.call(ms(15, 20), role, b.region, "kms:GetKeyPolicy", obj{{"keyId", pipelineKey}, {"policyName", "default"}}, nil)
	putKeyPolicy(b, ms(15, 48), role, pipelineKey, policyDoc(keyRoot, keyAnyoneUses))
	b.call(ms(18, 2), a, b.region, "kms:Encrypt", obj{{"keyId", keyID}, {"encryptionAlgorithm", "SYMMETRIC_DEFAULT"}}, nil)
	b.call(ms(24, 40), a, b.region, "kms:ScheduleKeyDeletion", obj{{"keyId", keyID}, {"pendingWindowInDays", 7}},
		obj{{"keyId", kmsKeyARN(b.region, keyID)}, {"deletionDate", b.start.Add(7*24*time.Hour + ms(24, 40)).UTC().Format("Jan 2, 2006, 3:04:05 PM")},
			{"keyState", "PendingDeletion"}, {"pendingWindowInDays", 7}})
}

// kmsKeyBenign: CI creates a key with the default policy and key
// administrators; CloudWatch Logs may encrypt with another (a Service
// principal, kms:Encrypt*); an application role may only decrypt;
// everyone in the account may decrypt with a third key (Principal "*",
// kms:Decrypt); keys are used and described.
func kmsKeyBenign(b *builder) {
	e := b.env
	admins := obj{{"Sid", "Allow access for Key Administrators"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", "arn:aws:iam::" + account + ":role/ci-deploy"}}},
		{"Action", []any{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*",
			"kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"}}, {"Resource", "*"}}
	createKey(b, ms(5, 0), e.ci, "corp-app-artifacts bucket key", policyDoc(keyRoot, admins))
	logs := obj{{"Sid", "Allow CloudWatch Logs"}, {"Effect", "Allow"}, {"Principal", obj{{"Service", "logs." + b.region + ".amazonaws.com"}}},
		{"Action", []any{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}}, {"Resource", "*"},
		{"Condition", obj{{"ArnLike", obj{{"kms:EncryptionContext:aws:logs:arn", "arn:aws:logs:" + b.region + ":" + account + ":log-group:*"}}}}}}
	createKey(b, ms(6, 30), e.ci, "CloudWatch Logs key", policyDoc(keyRoot, logs))
	decrypt := obj{{"Sid", "Allow the application to decrypt"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", e.app.id.roleARN()}}},
		{"Action", []any{"kms:Decrypt", "kms:DescribeKey"}}, {"Resource", "*"}}
	putKeyPolicy(b, ms(12, 0), e.ci, "4d9e2b7a-1c3f-4e8b-a6d0-5f2c9b8e7a14", policyDoc(keyRoot, decrypt))
	inAccount := obj{{"Sid", "Allow the account to decrypt"}, {"Effect", "Allow"}, {"Principal", obj{{"AWS", "*"}}}, {"Action", "kms:Decrypt"}, {"Resource", "*"},
		{"Condition", obj{{"StringEquals", obj{{"kms:CallerAccount", account}}}}}}
	putKeyPolicy(b, ms(12, 40), e.ci, "9a1b7c3e-5d2f-4b6a-8e0c-2f4d6b8a1c3e", policyDoc(keyRoot, inAccount))
	b.call(ms(20, 0), e.pipeline, b.region, "kms:Encrypt", obj{{"keyId", "alias/bedrock-kb"}, {"encryptionAlgorithm", "SYMMETRIC_DEFAULT"}}, nil)
	b.call(ms(20, 30), e.ci, b.region, "kms:GetKeyPolicy", obj{{"keyId", "4d9e2b7a-1c3f-4e8b-a6d0-5f2c9b8e7a14"}, {"policyName", "default"}}, nil)
}

// ---------------------------------------------------------------------------
// Detect New Open S3 buckets, Detect New Open S3 Buckets over AWS CLI

const (
	allUsersURI  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDelivery  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
	xsi          = "http://www.w3.org/2001/XMLSchema-instance"
)

// ownerID is the account's canonical user id, the owner of its buckets.
var ownerID = fmt.Sprintf("%x", sha256.Sum256([]byte("canonical/"+account)))

// grant is one Grant of an S3 access control list, as CloudTrail writes
// the XML request body: a CanonicalUser by ID or a Group by URI.
func grant(grantee, permission string) obj {
	if strings.HasPrefix(grantee, "http://") {
		return obj{{"Grantee", obj{{"xsi:type", "Group"}, {"xmlns:xsi", xsi}, {"URI", grantee}}}, {"Permission", permission}}
	}
	return obj{{"Grantee", obj{{"xsi:type", "CanonicalUser"}, {"xmlns:xsi", xsi}, {"ID", grantee}}}, {"Permission", permission}}
}

// putBucketACL records a PutBucketAcl whose request body is an access
// control list; CloudTrail writes one Grant as an object and several as
// an array (its XML-to-JSON conversion).
func putBucketACL(b *builder, at time.Duration, a *actor, bucket string, grants ...obj) *record {
	var list any = grants
	if len(grants) == 1 {
		list = grants[0]
	}
	r := b.call(at, a, b.region, "s3:PutBucketAcl", obj{{"bucketName", bucket},
		{"AccessControlPolicy", obj{{"AccessControlList", obj{{"Grant", list}}}, {"xmlns", "http://s3.amazonaws.com/doc/2006-03-01/"}, {"Owner", obj{{"ID", ownerID}}}}},
		{"Host", bucket + ".s3." + b.region + ".amazonaws.com"}, {"acl", ""}}, nil)
	r.Resources = []cloudtrail.Obj{{{"accountId", account}, {"type", "AWS::S3::Bucket"}, {"ARN", "arn:aws:s3:::" + bucket}}}
	return r
}

// putBucketACLHeaders records a PutBucketAcl made with grant headers
// (aws s3api put-bucket-acl --grant-read ... and so on), which CloudTrail
// lists under requestParameters.accessControlList; headers maps a
// header's name to its value.
func putBucketACLHeaders(b *builder, at time.Duration, a *actor, bucket string, headers obj) *record {
	r := b.call(at, a, b.region, "s3:PutBucketAcl", obj{{"bucketName", bucket}, {"Host", bucket + ".s3." + b.region + ".amazonaws.com"}, {"acl", ""},
		{"accessControlList", headers}}, nil)
	r.Resources = []cloudtrail.Obj{{{"accountId", account}, {"type", "AWS::S3::Bucket"}, {"ARN", "arn:aws:s3:::" + bucket}}}
	return r
}

// detOpenS3Bucket restates "Detect New Open S3 buckets":
//
//	`cloudtrail` eventSource=s3.amazonaws.com eventName=PutBucketAcl
//	| rex field=_raw "(?<json_field>{.+})"
//	| spath input=json_field output=grantees path=requestParameters.AccessControlPolicy.AccessControlList.Grant{}
//	| search grantees=* | mvexpand grantees
//	| spath input=grantees output=uri path=Grantee.URI
//	| spath input=grantees output=permission path=Permission
//	| search uri IN ("http://acs.amazonaws.com/groups/global/AllUsers","http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
//	| search permission IN ("READ","READ_ACP","WRITE","WRITE_ACP","FULL_CONTROL")
//	| rename requestParameters.bucketName AS bucketName
//	| stats count min(_time) as firstTime max(_time) as lastTime by user_arn userIdentity.principalId userAgent uri permission bucketName | ctime ...
//
// The rex takes the whole one-line record. Grant{} selects an array's
// elements; a single Grant, an object, selects nothing (docs/semantics.md,
// "spath"), and has no URI anyway in these datasets (the owner's grant).
func detOpenS3Bucket(recs []*record) []Row {
	var rs []result
	for _, r := range recs {
		if r.EventSource != "s3.amazonaws.com" || r.EventName != "PutBucketAcl" {
			continue
		}
		grants, _ := r.RequestParameters.Path("AccessControlPolicy", "AccessControlList", "Grant").([]obj)
		for _, g := range grants {
			uri, _ := g.Path("Grantee", "URI").(string)
			perm, _ := g.Get("Permission").(string)
			if (strings.EqualFold(uri, allUsersURI) || strings.EqualFold(uri, authUsersURI)) &&
				slices.ContainsFunc([]string{"READ", "READ_ACP", "WRITE", "WRITE_ACP", "FULL_CONTROL"}, func(p string) bool { return strings.EqualFold(p, perm) }) {
				rs = append(rs, result{r, map[string][]string{"uri": {uri}, "permission": {perm}, "bucketName": ctField(r, "requestParameters.bucketName")}})
			}
		}
	}
	return expandStats(rs, []string{"user_arn", "userIdentity.principalId", "userAgent", "uri", "permission", "bucketName"},
		[]statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}})
}

// grantHeaders are the grant headers the CLI detection groups by.
var grantHeaders = []string{"x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp", "x-amz-grant-full-control"}

// detOpenS3BucketCLI restates "Detect New Open S3 Buckets over AWS CLI":
//
//	`cloudtrail` eventSource="s3.amazonaws.com" (userAgent="[aws-cli*" OR userAgent=aws-cli* )
//	  eventName=PutBucketAcl OR requestParameters.accessControlList.x-amz-grant-read-acp IN ("*AuthenticatedUsers","*AllUsers")
//	  OR ...x-amz-grant-write IN (...) OR ...x-amz-grant-write-acp IN (...) OR ...x-amz-grant-full-control IN (...)
//	| rename requestParameters.bucketName AS bucketName | fillnull
//	| stats count min(_time) as firstTime max(_time) as lastTime by userIdentity.userName userIdentity.principalId userAgent bucketName
//	  requestParameters.accessControlList.x-amz-grant-read ...x-amz-grant-read-acp ...x-amz-grant-write ...x-amz-grant-write-acp
//	  ...x-amz-grant-full-control | ctime ...
//
// In the search command OR binds tighter than the implied AND
// (docs/semantics.md, "Search command"), so every PutBucketAcl made with the CLI
// passes, whatever it grants.
// fillnull without a field list fills 0 into the fields that some result
// has; a BY field that no result has stays null and drops every row, so
// the search returns rows only on data where the grant headers, all five,
// appear among its results.
func detOpenS3BucketCLI(recs []*record) []Row {
	by := []string{"userIdentity.userName", "userIdentity.principalId", "userAgent", "bucketName"}
	for _, h := range grantHeaders {
		by = append(by, "requestParameters.accessControlList."+h)
	}
	var kept []*record
	for _, r := range recs {
		ua := strings.ToLower(r.UserAgent)
		if r.EventSource != "s3.amazonaws.com" || !strings.HasPrefix(ua, "[aws-cli") && !strings.HasPrefix(ua, "aws-cli") {
			continue
		}
		open := r.EventName == "PutBucketAcl"
		for _, h := range grantHeaders[1:] {
			for _, v := range raw(r, "requestParameters.accessControlList."+h) {
				l := strings.ToLower(v)
				open = open || strings.HasSuffix(l, "authenticatedusers") || strings.HasSuffix(l, "allusers")
			}
		}
		if open {
			kept = append(kept, r)
		}
	}
	get := func(r *record, f string) []string {
		if f == "bucketName" {
			return ctField(r, "requestParameters.bucketName")
		}
		return ctField(r, f)
	}
	present := map[string]bool{}
	for _, r := range kept {
		for _, f := range by {
			if len(get(r, f)) > 0 {
				present[f] = true
			}
		}
	}
	var rs []result
	for _, r := range kept {
		x := result{r, map[string][]string{}}
		for _, f := range by {
			v := get(r, f)
			if len(v) == 0 && present[f] {
				v = []string{"0"}
			}
			x.f[f] = v
		}
		rs = append(rs, x)
	}
	return expandStats(rs, by, []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}})
}

// openBucketAttack: with the CI user's leaked key and the CLI, the
// intruder opens four buckets to the internet: an ACL body that lets
// everyone read the datasets bucket; grant headers that let everyone read
// the artifacts bucket and its ACL, and any AWS account write the logs
// bucket and its ACL; from boto3, an ACL body that gives any AWS account
// full control of the reports bucket and everyone read.
func openBucketAttack(b *builder) {
	a := iamUser("ci-terraform", "198.51.100.61", cliMac)
	owner := "id=" + ownerID
	b.call(ms(11, 0), a, b.region, "s3:ListBuckets", obj{{"Host", "s3." + b.region + ".amazonaws.com"}}, nil)
	b.call(ms(11, 20), a, b.region, "s3:GetBucketAcl", obj{{"bucketName", "corp-ml-datasets"}, {"Host", "corp-ml-datasets.s3." + b.region + ".amazonaws.com"}, {"acl", ""}}, nil)
	putBucketACL(b, ms(11, 52), a, "corp-ml-datasets", grant(ownerID, "FULL_CONTROL"), grant(allUsersURI, "READ"))
	putBucketACLHeaders(b, ms(12, 30), a, "corp-app-artifacts", obj{{"x-amz-grant-full-control", owner}, {"x-amz-grant-read", "uri=" + allUsersURI},
		{"x-amz-grant-read-acp", "uri=" + allUsersURI}})
	putBucketACLHeaders(b, ms(13, 5), a, "corp-bedrock-invocation-logs", obj{{"x-amz-grant-full-control", owner}, {"x-amz-grant-write", "uri=" + authUsersURI},
		{"x-amz-grant-write-acp", "uri=" + authUsersURI}})
	k := intruder(a.ip)
	putBucketACL(b, ms(14, 40), k, "corp-reports-2026", grant(ownerID, "FULL_CONTROL"), grant(authUsersURI, "FULL_CONTROL"), grant(allUsersURI, "READ"))
}

// openBucketBenign: S3 server access logging is given its log-delivery
// group's grants (WRITE, READ_ACP) with the CLI and from the console; a
// bucket's ACL is set back to the owner's grant alone; a bucket policy
// and a public access block are written (other calls).
func openBucketBenign(b *builder) {
	e := b.env
	dev := &actor{e.dev.id, e.dev.ip, cliLinux}
	putBucketACL(b, ms(7, 10), dev, "corp-s3-access-logs", grant(ownerID, "FULL_CONTROL"), grant(logDelivery, "WRITE"), grant(logDelivery, "READ_ACP"))
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(putBucketACL(b, ms(9, 0), admin, "corp-cloudtrail-logs-111111111111", grant(ownerID, "FULL_CONTROL"), grant(logDelivery, "WRITE")))
	putBucketACL(b, ms(15, 30), e.ci, "corp-app-artifacts", grant(ownerID, "FULL_CONTROL"))
	b.call(ms(16, 0), e.ci, b.region, "s3:PutBucketPolicy", obj{{"bucketName", "corp-app-artifacts"}, {"Host", "corp-app-artifacts.s3." + b.region + ".amazonaws.com"},
		{"bucketPolicy", obj{{"Version", "2012-10-17"}, {"Statement", []any{obj{{"Sid", "DenyInsecureTransport"}, {"Effect", "Deny"}, {"Principal", "*"}, {"Action", "s3:*"},
			{"Resource", "arn:aws:s3:::corp-app-artifacts/*"}, {"Condition", obj{{"Bool", obj{{"aws:SecureTransport", "false"}}}}}}}}}}, {"policy", ""}}, nil)
	b.call(ms(16, 20), e.ci, b.region, "s3:PutBucketPublicAccessBlock", obj{{"bucketName", "corp-app-artifacts"}, {"Host", "corp-app-artifacts.s3." + b.region + ".amazonaws.com"},
		{"publicAccessBlock", ""}, {"PublicAccessBlockConfiguration", obj{{"xmlns", "http://s3.amazonaws.com/doc/2006-03-01/"}, {"BlockPublicAcls", true},
			{"IgnorePublicAcls", true}, {"BlockPublicPolicy", true}, {"RestrictPublicBuckets", true}}}}, nil)
}

// policyDatasets are the folders of this file's detections.
var policyDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1078/aws_create_policy_version", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Create Policy Version to allow all resources", expect: detPolicyVersionAllowAll, entities: []string{"user"}}},
		seed:   1078101, region: "us-east-1", start: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: policyVersionAttack, benign: policyVersionBenign,
	},
	{
		dir: "datasets/attack_techniques/T1486/aws_kms_key", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Detect Users creating keys with encrypt policy without MFA", expect: detKMSEncryptPolicy, entities: []string{"user"}}},
		seed:   1486001, region: "us-east-1", start: time.Date(2026, 11, 4, 2, 0, 0, 0, time.UTC), noise: 50,
		attack: kmsKeyAttack, benign: kmsKeyBenign,
	},
	{
		dir: "datasets/attack_techniques/T1530/aws_s3_public_bucket", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "Detect New Open S3 buckets", expect: detOpenS3Bucket, entities: []string{"user_arn"}},
			{name: "Detect New Open S3 Buckets over AWS CLI", expect: detOpenS3BucketCLI, entities: []string{"userIdentity.userName"}}},
		seed: 1530001, region: "us-east-1", start: time.Date(2026, 11, 6, 13, 0, 0, 0, time.UTC), noise: 50,
		attack: openBucketAttack, benign: openBucketBenign,
	},
}
