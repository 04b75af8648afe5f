package attackdata

import (
	"time"
)

// Datasets of ESCU's raw-search CloudTrail detections of logging and IAM
// changes: each restated as a statsSearch, each attack built from the API
// calls the technique makes (the AWS CLI, SDK and CloudTrail User Guide
// name the calls and their request parameters), each benign file from the
// calls an administrator makes around the same resources.

// console is the AWS Management Console calling on a signed-in user's
// behalf: CloudTrail records its userAgent as console.amazonaws.com (the
// value these detections exclude).
var console = client{kind: "plain", base: "console.amazonaws.com", tls: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256"}

// viaConsole marks a call as made from the console.
func viaConsole(r *record) *record {
	r.SessionCredentialFromConsole = "true"
	return r
}

// notConsole is `userAgent != console.amazonaws.com`: the field exists and
// differs.
func notConsole(r *record) bool { return r.UserAgent != "" && r.UserAgent != "console.amazonaws.com" }

// notService is `userAgent!=*.amazonaws.com`.
func notService(r *record) bool {
	return r.UserAgent != "" && !(len(r.UserAgent) > len(".amazonaws.com") && r.UserAgent[len(r.UserAgent)-len(".amazonaws.com"):] == ".amazonaws.com")
}

func succeeded(r *record) bool { return r.ErrorCode == "" }

func isCall(source, name string) func(r *record) bool {
	return func(r *record) bool { return r.EventSource == source && r.EventName == name }
}

// loggingEvasion restates ESCU's "AWS Defense Evasion ..." searches of one
// call: `cloudtrail` eventName=<name> eventSource=<source> userAgent
// !=console.amazonaws.com errorCode=success | stats count min(_time) as
// firstTime max(_time) as lastTime values(requestParameters.<param>) as
// <as> by src region eventName userAgent user_arn aws_account_id.
func loggingEvasion(source, name, param, as string) statsSearch {
	is := isCall(source, name)
	return statsSearch{
		match: func(r *record) bool { return is(r) && notConsole(r) && succeeded(r) },
		by:    []string{"src", "region", "eventName", "userAgent", "user_arn", "aws_account_id"},
		aggs:  []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}, {"values", "requestParameters." + param, as}},
	}
}

var (
	detDeleteTrail   = loggingEvasion("cloudtrail.amazonaws.com", "DeleteTrail", "name", "deleted_cloudtrail_name")
	detStopLogging   = loggingEvasion("cloudtrail.amazonaws.com", "StopLogging", "name", "stopped_cloudtrail_name")
	detUpdateTrail   = loggingEvasion("cloudtrail.amazonaws.com", "UpdateTrail", "name", "cloudtrail_name")
	detDeleteLogGrp  = loggingEvasion("logs.amazonaws.com", "DeleteLogGroup", "logGroupName", "log_group_name")
	commonIAMBy      = []string{"eventName", "eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion", "userIdentity.principalId", "user_arn"}
	countFirstLast   = []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}}
	detSetDefaultVer = statsSearch{
		match: isCall("iam.amazonaws.com", "SetDefaultPolicyVersion"),
		by:    append([]string{"src", "requestParameters.versionId"}, commonIAMBy...),
		aggs:  append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.policyArn", "policy_arn"}),
	}
	detDeletePolicy = statsSearch{
		match: func(r *record) bool { return r.EventName == "DeletePolicy" && notService(r) },
		by: []string{"src", "user_arn", "eventName", "eventSource", "aws_account_id", "errorCode", "errorMessage", "userAgent", "eventID", "awsRegion",
			"userIdentity.principalId"},
		aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.policyArn", "policyArn"}),
	}
	detGroupDeleted = statsSearch{
		match: func(r *record) bool {
			return isCall("iam.amazonaws.com", "DeleteGroup")(r) && succeeded(r) && notService(r)
		},
		by:   []string{"src", "eventName", "eventSource", "errorCode", "user_agent", "awsRegion", "userIdentity.principalId", "user_arn"},
		aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.groupName", "group_deleted"}),
	}
	detGroupDeleteFailed = statsSearch{
		match: func(r *record) bool {
			e := r.ErrorCode
			return isCall("iam.amazonaws.com", "DeleteGroup")(r) && notService(r) &&
				(e == "NoSuchEntityException" || e == "DeleteConflictException" || e == "AccessDenied")
		},
		by:   []string{"src", "eventName", "eventSource", "aws_account_id", "errorCode", "errorMessage", "userAgent", "eventID", "awsRegion", "userIdentity.principalId", "user_arn"},
		aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.groupName", "group_name"}),
	}
	detNewMFADevice = statsSearch{
		match: func(r *record) bool { return r.EventName == "CreateVirtualMFADevice" },
		by:    []string{"eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion", "userIdentity.principalId", "user_arn", "src_ip"},
		aggs: []statsAgg{{"count", "", "count"}, {"values", "requestParameters.virtualMFADeviceName", "virtualMFADeviceName"},
			{"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}},
	}
	detMFADisabled = statsSearch{
		match: func(r *record) bool {
			return r.EventName == "DeleteVirtualMFADevice" || r.EventName == "DeactivateMFADevice"
		},
		by:   []string{"src", "eventName", "eventSource", "aws_account_id", "userAgent", "eventID", "awsRegion", "user_name", "userIdentity.arn", "status"},
		aggs: countFirstLast,
	}
	detPasswordPolicy = statsSearch{
		match: func(r *record) bool {
			n := r.EventName
			return (n == "UpdateAccountPasswordPolicy" || n == "GetAccountPasswordPolicy" || n == "DeleteAccountPasswordPolicy") && succeeded(r)
		},
		by: []string{"eventSource", "aws_account_id", "errorCode", "awsRegion", "userIdentity.principalId", "user_arn", "src_ip"},
		aggs: []statsAgg{{"count", "", "count"}, {"values", "eventName", "eventName"}, {"values", "userAgent", "values(userAgent)"},
			{"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}},
	}
)

// trailARN is the ARN of a trail of the account.
func trailARN(name string) string {
	return "arn:aws:cloudtrail:us-east-1:" + account + ":trail/" + name
}

// intruder is a leaked access key of the CI user, used from outside.
func intruder(ip string) *actor { return iamUser("ci-terraform", ip, boto3Kali) }

// cloudtrailAttack: with the CI user's leaked key, an intruder at
// 203.0.113.45 looks at the trails, stops the organisation trail's
// logging, is denied on the security account's trail, and deletes the
// data-events trail.
func cloudtrailAttack(b *builder) {
	a := intruder("203.0.113.45")
	b.call(ms(15, 2), a, "us-east-1", "sts:GetCallerIdentity", nil, nil)
	b.call(ms(15, 30), a, "us-east-1", "cloudtrail:DescribeTrails", obj{{"includeShadowTrails", true}}, nil)
	b.call(ms(15, 41), a, "us-east-1", "cloudtrail:GetTrailStatus", obj{{"name", trailARN("corp-org-trail")}}, nil)
	b.call(ms(16, 5), a, "us-east-1", "cloudtrail:StopLogging", obj{{"name", trailARN("corp-org-trail")}}, nil)
	b.call(ms(16, 40), a, "us-east-1", "cloudtrail:StopLogging", obj{{"name", trailARN("security-audit-trail")}}, nil).
		deny(trailARN("security-audit-trail"), "with an explicit deny in a service control policy")
	b.call(ms(17, 12), a, "us-east-1", "cloudtrail:DeleteTrail", obj{{"name", "corp-data-events"}}, nil)
	b.call(ms(17, 30), a, "us-east-1", "cloudtrail:DescribeTrails", obj{{"includeShadowTrails", true}}, nil)
}

// cloudtrailBenign: an administrator stops and deletes a test trail from
// the console, CI creates a trail and starts its logging, and a scripted
// clean-up deletes a trail that is already gone.
func cloudtrailBenign(b *builder) {
	e := b.env
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(b.call(ms(9, 3), admin, "us-east-1", "cloudtrail:StopLogging", obj{{"name", trailARN("sandbox-trail")}}, nil))
	viaConsole(b.call(ms(9, 40), admin, "us-east-1", "cloudtrail:DeleteTrail", obj{{"name", trailARN("sandbox-trail")}}, nil))
	b.call(ms(20, 11), e.ci, "us-east-1", "cloudtrail:CreateTrail", obj{{"name", "corp-data-events-v2"}, {"s3BucketName", "corp-cloudtrail-logs-111111111111"},
		{"isMultiRegionTrail", true}, {"enableLogFileValidation", true}}, obj{{"name", "corp-data-events-v2"}, {"trailARN", trailARN("corp-data-events-v2")}})
	b.call(ms(20, 20), e.ci, "us-east-1", "cloudtrail:StartLogging", obj{{"name", trailARN("corp-data-events-v2")}}, nil)
	b.call(ms(31, 7), e.dev, "us-east-1", "cloudtrail:DeleteTrail", obj{{"name", "old-trail"}}, nil).
		fail("TrailNotFoundException", "Unknown trail: arn:aws:cloudtrail:us-east-1:"+account+":trail/old-trail for the user: "+account)
	b.call(ms(32, 0), e.dev, "us-east-1", "cloudtrail:GetTrailStatus", obj{{"name", trailARN("corp-org-trail")}}, nil)
}

// updateTrailAttack: the intruder points the organisation trail at a
// bucket outside the account and turns off global service events.
func updateTrailAttack(b *builder) {
	a := intruder("198.51.100.61")
	b.call(ms(12, 30), a, "us-east-1", "cloudtrail:DescribeTrails", obj{{"includeShadowTrails", true}}, nil)
	b.call(ms(13, 5), a, "us-east-1", "cloudtrail:UpdateTrail", obj{{"name", "corp-org-trail"}, {"s3BucketName", "logs-archive-7f3k2"}},
		obj{{"name", "corp-org-trail"}, {"s3BucketName", "logs-archive-7f3k2"}, {"trailARN", trailARN("corp-org-trail")}})
	b.call(ms(13, 48), a, "us-east-1", "cloudtrail:UpdateTrail", obj{{"name", "corp-org-trail"}, {"includeGlobalServiceEvents", false}, {"isMultiRegionTrail", false}},
		obj{{"name", "corp-org-trail"}, {"includeGlobalServiceEvents", false}, {"isMultiRegionTrail", false}, {"trailARN", trailARN("corp-org-trail")}})
}

// updateTrailBenign: an administrator enables log file validation from
// the console, CI's update fails on a bucket policy, and event selectors
// are changed (another call).
func updateTrailBenign(b *builder) {
	e := b.env
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(b.call(ms(7, 20), admin, "us-east-1", "cloudtrail:UpdateTrail", obj{{"name", trailARN("corp-org-trail")}, {"enableLogFileValidation", true}},
		obj{{"name", "corp-org-trail"}, {"logFileValidationEnabled", true}, {"trailARN", trailARN("corp-org-trail")}}))
	b.call(ms(18, 2), e.ci, "us-east-1", "cloudtrail:UpdateTrail", obj{{"name", "corp-data-events"}, {"s3BucketName", "corp-trail-archive"}}, nil).
		fail("InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: corp-trail-archive")
	b.call(ms(25, 40), e.ci, "us-east-1", "cloudtrail:PutEventSelectors", obj{{"trailName", "corp-data-events"},
		{"eventSelectors", []any{obj{{"readWriteType", "All"}, {"includeManagementEvents", true}}}}}, nil)
}

// logGroupAttack: the intruder deletes the log groups that hold the
// trail's and the VPC's logs.
func logGroupAttack(b *builder) {
	a := iamUser("legacy-automation", "203.0.113.19", cliMac)
	r := b.region
	b.call(ms(21, 0), a, r, "logs:DescribeLogGroups", nil, nil)
	b.call(ms(21, 44), a, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/aws/cloudtrail/corp-org-trail"}}, nil)
	b.call(ms(22, 10), a, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/aws/vpc/flow-logs"}}, nil)
	b.call(ms(22, 31), a, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/aws/guardduty/findings"}}, nil).
		fail("ResourceNotFoundException", "The specified log group does not exist.")
}

// logGroupBenign: test log groups deleted from the console, a log stream
// deleted by CI, and a clean-up of a group already gone.
func logGroupBenign(b *builder) {
	e := b.env
	r := b.region
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(b.call(ms(5, 5), admin, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/aws/lambda/test-function"}}, nil))
	b.call(ms(14, 50), e.ci, r, "logs:CreateLogGroup", obj{{"logGroupName", "/app/payments"}}, nil)
	b.call(ms(15, 2), e.ci, r, "logs:DeleteLogStream", obj{{"logGroupName", "/app/payments"}, {"logStreamName", "2026/08/01/[$LATEST]old"}}, nil)
	b.call(ms(30, 30), e.ci, r, "logs:DeleteLogGroup", obj{{"logGroupName", "/app/payments-old"}}, nil).
		fail("ResourceNotFoundException", "The specified log group does not exist.")
}

func policyARN(name string) string { return "arn:aws:iam::" + account + ":policy/" + name }

// setDefaultVersionAttack: a developer allowed to manage policy versions
// makes an old, permissive version of a policy attached to itself the
// default (privilege escalation through SetDefaultPolicyVersion).
func setDefaultVersionAttack(b *builder) {
	a := iamUser("dev-intern", "198.51.100.44", cliLinux)
	p := policyARN("dev-intern-boundary")
	b.call(ms(11, 3), a, "", "iam:ListAttachedUserPolicies", obj{{"userName", "dev-intern"}}, nil)
	b.call(ms(11, 20), a, "", "iam:ListPolicyVersions", obj{{"policyArn", p}}, nil)
	b.call(ms(11, 41), a, "", "iam:GetPolicyVersion", obj{{"policyArn", p}, {"versionId", "v1"}}, nil)
	b.call(ms(12, 5), a, "", "iam:SetDefaultPolicyVersion", obj{{"policyArn", p}, {"versionId", "v1"}}, nil)
	b.call(ms(12, 50), a, "", "iam:ListUsers", nil, nil)
}

// setDefaultVersionBenign: CI publishes a new policy version as the
// default (CreatePolicyVersion setAsDefault) and deletes an old one.
func setDefaultVersionBenign(b *builder) {
	e := b.env
	p := policyARN("ml-inference-app-access")
	b.call(ms(16, 0), e.ci, "", "iam:CreatePolicyVersion", obj{{"policyArn", p}, {"policyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}]}`}, {"setAsDefault", true}},
		obj{{"policyVersion", obj{{"versionId", "v4"}, {"isDefaultVersion", true}}}})
	b.call(ms(16, 9), e.ci, "", "iam:DeletePolicyVersion", obj{{"policyArn", p}, {"versionId", "v1"}}, nil)
	b.call(ms(16, 20), e.ci, "", "iam:ListPolicyVersions", obj{{"policyArn", p}}, nil)
}

// deletePolicyAttack: the intruder deletes the guardrail policies, one of
// them still attached (DeleteConflict).
func deletePolicyAttack(b *builder) {
	a := intruder("203.0.113.88")
	b.call(ms(19, 0), a, "", "iam:ListPolicies", obj{{"scope", "Local"}}, nil)
	b.call(ms(19, 31), a, "", "iam:DeletePolicy", obj{{"policyArn", policyARN("deny-bedrock-delete")}}, nil)
	b.call(ms(19, 52), a, "", "iam:DeletePolicy", obj{{"policyArn", policyARN("org-permission-boundary")}}, nil).
		fail("DeleteConflictException", "Cannot delete a policy attached to entities.")
}

// deletePolicyBenign: CloudFormation deletes a stack's policy (its user
// agent is cloudformation.amazonaws.com), and people delete policy
// versions and inline policies, not managed policies.
func deletePolicyBenign(b *builder) {
	e := b.env
	cfn := &actor{&identity{kind: "AssumedRole", name: "cfn-exec-role", session: "AWSCloudFormation", created: b.start, invokedBy: "cloudformation.amazonaws.com"}, "cloudformation.amazonaws.com", client{kind: "service", base: "cloudformation.amazonaws.com"}}
	b.call(ms(8, 14), cfn, "", "iam:DeletePolicy", obj{{"policyArn", policyARN("stack-web-LambdaPolicy-1X2Y3Z")}}, nil)
	b.call(ms(12, 0), e.ci, "", "iam:DeletePolicyVersion", obj{{"policyArn", policyARN("ml-inference-app-access")}, {"versionId", "v2"}}, nil)
	b.call(ms(12, 30), e.ci, "", "iam:DeleteRolePolicy", obj{{"roleName", "ci-deploy"}, {"policyName", "temp-debug"}}, nil)
	b.call(ms(13, 2), e.ci, "", "iam:DetachRolePolicy", obj{{"roleName", "ci-deploy"}, {"policyArn", policyARN("old-deploy")}}, nil)
}

// groupDeleteAttack: the intruder removes the security auditors' group
// (after taking its members out), and fails on two others.
func groupDeleteAttack(b *builder) {
	a := intruder("192.0.2.201")
	b.call(ms(20, 0), a, "", "iam:ListGroups", nil, nil)
	b.call(ms(20, 22), a, "", "iam:RemoveUserFromGroup", obj{{"groupName", "SecurityAuditors"}, {"userName", "k.larsen"}}, nil)
	b.call(ms(20, 40), a, "", "iam:DeleteGroup", obj{{"groupName", "SecurityAuditors"}}, nil)
	b.call(ms(21, 5), a, "", "iam:DeleteGroup", obj{{"groupName", "IncidentResponders"}}, nil).
		fail("DeleteConflictException", "Cannot delete entity, must remove users from group first.")
	b.call(ms(21, 30), a, "", "iam:DeleteGroup", obj{{"groupName", "BreakGlass"}}, nil).
		deny("arn:aws:iam::"+account+":group/BreakGlass", "with an explicit deny in a service control policy")
	b.call(ms(21, 50), a, "", "iam:DeleteGroup", obj{{"groupName", "Auditors"}}, nil).
		fail("NoSuchEntityException", "The group with name Auditors cannot be found.")
}

// groupDeleteBenign: CloudFormation deletes a stack's group; people
// remove users from groups and delete inline group policies; a delete is
// throttled.
func groupDeleteBenign(b *builder) {
	e := b.env
	cfn := &actor{&identity{kind: "AssumedRole", name: "cfn-exec-role", session: "AWSCloudFormation", created: b.start, invokedBy: "cloudformation.amazonaws.com"}, "cloudformation.amazonaws.com", client{kind: "service", base: "cloudformation.amazonaws.com"}}
	b.call(ms(6, 0), cfn, "", "iam:DeleteGroup", obj{{"groupName", "stack-web-Developers-9Q8W7E"}}, nil)
	b.call(ms(6, 20), cfn, "", "iam:DeleteGroup", obj{{"groupName", "stack-web-Readers-1A2S3D"}}, nil).
		fail("DeleteConflictException", "Cannot delete entity, must delete policies first.")
	b.call(ms(14, 2), e.ci, "", "iam:RemoveUserFromGroup", obj{{"groupName", "Developers"}, {"userName", "p.silva"}}, nil)
	b.call(ms(14, 30), e.ci, "", "iam:DeleteGroupPolicy", obj{{"groupName", "Developers"}, {"policyName", "temp-s3"}}, nil)
	b.call(ms(27, 3), e.dev, "", "iam:DeleteGroup", obj{{"groupName", "Contractors"}}, nil).
		fail("ThrottlingException", "Rate exceeded")
}

// newMFAAttack: the intruder registers its own virtual MFA device for
// j.rivera, to keep a way back in.
func newMFAAttack(b *builder) {
	a := intruder("203.0.113.150")
	b.call(ms(24, 0), a, "", "iam:ListMFADevices", obj{{"userName", "j.rivera"}}, nil)
	b.call(ms(24, 30), a, "", "iam:CreateVirtualMFADevice", obj{{"virtualMFADeviceName", "j.rivera-backup"}, {"path", "/"}},
		obj{{"virtualMFADevice", obj{{"serialNumber", "arn:aws:iam::" + account + ":mfa/j.rivera-backup"}}}})
	b.call(ms(25, 10), a, "", "iam:EnableMFADevice", obj{{"userName", "j.rivera"}, {"serialNumber", "arn:aws:iam::" + account + ":mfa/j.rivera-backup"}}, nil)
}

// newMFABenign: MFA devices are listed, an existing one enabled and
// resynced; no device is created.
func newMFABenign(b *builder) {
	e := b.env
	b.call(ms(10, 0), e.dev, "", "iam:ListMFADevices", obj{{"userName", "j.rivera"}}, nil)
	b.call(ms(10, 30), e.dev, "", "iam:ResyncMFADevice", obj{{"userName", "j.rivera"}, {"serialNumber", "arn:aws:iam::" + account + ":mfa/j.rivera"}}, nil)
	b.call(ms(18, 0), e.ci, "", "iam:ListVirtualMFADevices", obj{{"assignmentStatus", "Unassigned"}}, nil)
}

// mfaDisabledAttack: the intruder deactivates j.rivera's MFA device and
// deletes it, and is denied deleting k.larsen's.
func mfaDisabledAttack(b *builder) {
	a := intruder("203.0.113.150")
	serial := "arn:aws:iam::" + account + ":mfa/j.rivera"
	b.call(ms(26, 0), a, "", "iam:ListMFADevices", obj{{"userName", "j.rivera"}}, nil)
	b.call(ms(26, 21), a, "", "iam:DeactivateMFADevice", obj{{"userName", "j.rivera"}, {"serialNumber", serial}}, nil)
	b.call(ms(26, 40), a, "", "iam:DeleteVirtualMFADevice", obj{{"serialNumber", serial}}, nil)
	b.call(ms(27, 2), a, "", "iam:DeleteVirtualMFADevice", obj{{"serialNumber", "arn:aws:iam::" + account + ":mfa/k.larsen"}}, nil).
		deny("arn:aws:iam::"+account+":mfa/k.larsen", "")
}

// mfaDisabledBenign: a new device is created and enabled, devices are
// listed and resynced.
func mfaDisabledBenign(b *builder) {
	e := b.env
	serial := "arn:aws:iam::" + account + ":mfa/p.silva"
	b.call(ms(9, 0), e.ci, "", "iam:CreateVirtualMFADevice", obj{{"virtualMFADeviceName", "p.silva"}, {"path", "/"}},
		obj{{"virtualMFADevice", obj{{"serialNumber", serial}}}})
	b.call(ms(9, 40), e.ci, "", "iam:EnableMFADevice", obj{{"userName", "p.silva"}, {"serialNumber", serial}}, nil)
	b.call(ms(22, 5), e.dev, "", "iam:ListMFADevices", obj{{"userName", "j.rivera"}}, nil)
	b.call(ms(22, 40), e.dev, "", "iam:ResyncMFADevice", obj{{"userName", "j.rivera"}, {"serialNumber", "arn:aws:iam::" + account + ":mfa/j.rivera"}}, nil)
}

// passwordPolicyAttack: the intruder reads the account's password policy
// and deletes it, before setting console passwords for its own users.
func passwordPolicyAttack(b *builder) {
	a := intruder("198.51.100.61")
	b.call(ms(14, 0), a, "", "iam:GetAccountPasswordPolicy", nil, nil)
	b.call(ms(14, 25), a, "", "iam:DeleteAccountPasswordPolicy", nil, nil)
	b.call(ms(15, 0), a, "", "iam:UpdateAccountPasswordPolicy", obj{{"minimumPasswordLength", 6}, {"requireSymbols", false}, {"requireNumbers", false},
		{"requireUppercaseCharacters", false}, {"requireLowercaseCharacters", false}, {"allowUsersToChangePassword", true}}, nil)
}

// passwordPolicyBenign: the account's summary and authorization details
// are read; a read of the password policy fails (none set); an update is
// denied.
func passwordPolicyBenign(b *builder) {
	e := b.env
	b.call(ms(4, 0), e.readonly, "", "iam:GetAccountSummary", nil, nil)
	b.call(ms(4, 30), e.readonly, "", "iam:GetAccountPasswordPolicy", nil, nil).
		fail("NoSuchEntityException", "The Password Policy with domain name "+account+" cannot be found.")
	b.call(ms(12, 10), e.ci, "", "iam:GetAccountAuthorizationDetails", obj{{"filter", []any{"User", "Role"}}}, nil)
	b.call(ms(30, 3), e.dev, "", "iam:UpdateAccountPasswordPolicy", obj{{"minimumPasswordLength", 14}}, nil).deny("", "")
}

// iamDatasets are the folders of this file's detections.
var iamDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1562.008/stop_delete_cloudtrail", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Defense Evasion Delete Cloudtrail", expect: detDeleteTrail.expect}, {name: "AWS Defense Evasion Stop Logging Cloudtrail", expect: detStopLogging.expect}},
		seed:   15620082, region: "us-east-1", start: time.Date(2026, 8, 3, 1, 10, 0, 0, time.UTC), noise: 50,
		attack: cloudtrailAttack, benign: cloudtrailBenign,
	},
	{
		dir: "datasets/attack_techniques/T1562.008/update_cloudtrail", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Defense Evasion Update Cloudtrail", expect: detUpdateTrail.expect}},
		seed:   15620083, region: "us-east-1", start: time.Date(2026, 8, 5, 2, 0, 0, 0, time.UTC), noise: 50,
		attack: updateTrailAttack, benign: updateTrailBenign,
	},
	{
		dir: "datasets/attack_techniques/T1562.008/delete_cloudwatch_log_group", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Defense Evasion Delete CloudWatch Log Group", expect: detDeleteLogGrp.expect}},
		seed:   15620084, region: "us-west-2", start: time.Date(2026, 8, 7, 23, 0, 0, 0, time.UTC), noise: 50,
		attack: logGroupAttack, benign: logGroupBenign,
	},
	{
		dir: "datasets/attack_techniques/T1078/aws_setdefaultpolicyversion", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS SetDefaultPolicyVersion", expect: detSetDefaultVer.expect}},
		seed:   1078001, region: "us-east-1", start: time.Date(2026, 8, 11, 13, 0, 0, 0, time.UTC), noise: 50,
		attack: setDefaultVersionAttack, benign: setDefaultVersionBenign,
	},
	{
		dir: "datasets/attack_techniques/T1098/aws_iam_delete_policy", file: "aws_iam_delete_policy.json",
		checks: []check{{name: "AWS IAM Delete Policy", expect: detDeletePolicy.expect}},
		seed:   1098001, region: "us-east-1", start: time.Date(2026, 8, 13, 15, 0, 0, 0, time.UTC), noise: 50,
		attack: deletePolicyAttack, benign: deletePolicyBenign,
	},
	{
		dir: "datasets/attack_techniques/T1098/aws_iam_successful_group_deletion", file: "aws_iam_successful_group_deletion.json",
		checks: []check{{name: "AWS IAM Successful Group Deletion", expect: detGroupDeleted.expect}},
		seed:   1098002, region: "us-east-1", start: time.Date(2026, 8, 17, 10, 0, 0, 0, time.UTC), noise: 50,
		attack: groupDeleteAttack, benign: groupDeleteBenign,
	},
	{
		dir: "datasets/attack_techniques/T1098/aws_iam_failure_group_deletion", file: "aws_iam_failure_group_deletion.json",
		checks: []check{{name: "AWS IAM Failure Group Deletion", expect: detGroupDeleteFailed.expect}},
		seed:   1098003, region: "us-east-1", start: time.Date(2026, 8, 19, 10, 0, 0, 0, time.UTC), noise: 50,
		attack: groupDeleteAttack, benign: groupDeleteBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1556.006/aws_new_mfa_method_registered_for_user",
		checks: []check{{name: "AWS New MFA Method Registered For User", expect: detNewMFADevice.expect}},
		seed:   1556006, region: "us-east-1", start: time.Date(2026, 8, 21, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: newMFAAttack, benign: newMFABenign,
	},
	{
		dir:    "datasets/attack_techniques/T1621/aws_mfa_disabled",
		checks: []check{{name: "AWS Multi-Factor Authentication Disabled", expect: detMFADisabled.expect}},
		seed:   16211, region: "us-east-1", start: time.Date(2026, 8, 24, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: mfaDisabledAttack, benign: mfaDisabledBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1201/aws_password_policy",
		checks: []check{{name: "AWS Password Policy Changes", expect: detPasswordPolicy.expect}},
		seed:   1201, region: "us-east-1", start: time.Date(2026, 8, 26, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: passwordPolicyAttack, benign: passwordPolicyBenign,
	},
}
