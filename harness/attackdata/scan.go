package attackdata

import (
	"strings"
	"time"
)

// detSecurityScan restates "AWS Excessive Security Scanning":
//
//	`cloudtrail` eventName=Describe* OR eventName=List* OR eventName=Get*
//	| stats dc(eventName) as dc_events min(_time) as firstTime max(_time) as lastTime
//	  values(eventName) as command values(src) as src values(userAgent) as userAgent
//	  by user userIdentity.arn
//	| where dc_events > 50 | ctime ...
//
// user is the add-on's, so an assumed role's calls have none and drop out.
var detSecurityScan = statsSearch{
	match: func(r *record) bool {
		n := strings.ToLower(r.EventName) // a wildcard term matches in any case
		return strings.HasPrefix(n, "describe") || strings.HasPrefix(n, "list") || strings.HasPrefix(n, "get")
	},
	by: []string{"user", "userIdentity.arn"},
	aggs: []statsAgg{{"dc", "eventName", "dc_events"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}, {"values", "eventName", "command"},
		{"values", "src", "src"}, {"values", "userAgent", "userAgent"}},
	aboveField: "dc_events", above: 50,
}

// scanCalls are the read-only calls a cloud security scanner makes, one
// each, across the account's services.
var scanCalls = []string{
	"ec2:DescribeInstances", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVolumes", "ec2:DescribeSnapshots",
	"ec2:DescribeImages", "ec2:DescribeKeyPairs", "ec2:DescribeAddresses", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables",
	"ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeVpcEndpoints", "ec2:DescribeFlowLogs", "ec2:DescribeRegions",
	"ec2:DescribeAvailabilityZones", "ec2:DescribeLaunchTemplates", "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcPeeringConnections",
	"iam:GetAccountPasswordPolicy", "iam:ListUsers", "iam:ListRoles", "iam:ListGroups", "iam:ListPolicies", "iam:GetAccountAuthorizationDetails",
	"iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ListSAMLProviders", "iam:ListOpenIDConnectProviders", "iam:ListServerCertificates",
	"iam:GetCredentialReport", "iam:ListInstanceProfiles", "iam:ListAttachedRolePolicies", "iam:GetRole",
	"s3:ListBuckets", "s3:GetBucketAcl", "s3:GetBucketPolicy", "s3:GetBucketLogging", "s3:GetBucketVersioning", "s3:GetBucketPublicAccessBlock",
	"s3:GetBucketLocation", "kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:GetKeyPolicy",
	"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:ListTrails",
	"logs:DescribeLogGroups", "logs:DescribeMetricFilters", "lambda:ListFunctions20150331", "lambda:GetPolicy20150331v2",
	"rds:DescribeDBInstances", "rds:DescribeDBSnapshots", "rds:DescribeDBClusters", "dynamodb:ListTables", "secretsmanager:ListSecrets",
	"ecr:DescribeRepositories",
}

// scan makes calls[:n] by a, two seconds apart from at.
func scan(b *builder, at time.Duration, a *actor, n int) {
	for i, op := range scanCalls[:n] {
		var p obj
		if strings.HasPrefix(op, "s3:") {
			p = obj{{"Host", "s3." + b.region + ".amazonaws.com"}}
		}
		b.call(at+time.Duration(2*i)*time.Second, a, b.region, op, p, nil)
	}
}

// scanAttack: a leaked IAM user key runs a cloud security scanner from
// 203.0.113.19: 60 distinct read calls in two minutes.
func scanAttack(b *builder) {
	scan(b, ms(17, 0), iamUser("svc-reporting", "203.0.113.19", boto3Kali), len(scanCalls))
}

// scanBenign: the security team's weekly audit runs the same scanner
// under an assumed role (the add-on gives it no user), and an IAM user's
// inventory script makes 50 distinct calls (not more than 50).
func scanBenign(b *builder) {
	audit := &actor{&identity{kind: "AssumedRole", name: "SecurityAudit", session: "prowler", created: b.start}, "10.8.40.7", boto3App}
	scan(b, ms(5, 0), audit, len(scanCalls))
	scan(b, ms(20, 0), iamUser("inventory-bot", "10.8.40.8", goApp), 50)
}

var scanDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1526/aws_security_scanner", file: "aws_security_scanner.json",
	checks: []check{{name: "AWS Excessive Security Scanning", expect: detSecurityScan.expect, entities: []string{"user"}}},
	seed:   1526, region: "us-east-1", start: time.Date(2026, 10, 14, 11, 0, 0, 0, time.UTC), noise: 40,
	attack: scanAttack, benign: scanBenign,
}}
