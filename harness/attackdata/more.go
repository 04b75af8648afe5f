package attackdata

import (
	"fmt"
	"time"
)

// More of ESCU's raw-search CloudTrail detections: credential access
// (RDS master password reset, EC2 GetPasswordData), Lambda code changes
// and SAML provider changes.

var (
	detRDSPassword = statsSearch{
		match: func(r *record) bool {
			return isCall("rds.amazonaws.com", "ModifyDBInstance")(r) && r.RequestParameters.Get("masterUserPassword") != nil
		},
		by:   []string{"src", "awsRegion", "eventName", "userAgent", "user_arn"},
		aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.dBInstanceIdentifier", "database_id"}),
	}
	detGetPasswordData = statsSearch{
		match: isCall("ec2.amazonaws.com", "GetPasswordData"), span: 5 * time.Minute,
		by: []string{"aws_account_id", "src_ip", "user_arn", "userAgent", "eventName", "_time"},
		aggs: []statsAgg{{"count", "", "count"}, {"values", "errorCode", "errorCode"}, {"dc", "requestParameters.instanceId", "distinct_instance_ids"},
			{"values", "requestParameters.instanceId", "instance_ids"}},
		aboveField: "distinct_instance_ids", above: 10,
	}
	detLambdaCode = statsSearch{
		match: func(r *record) bool {
			return r.EventSource == "lambda.amazonaws.com" && len(r.EventName) >= len("UpdateFunctionCode") && r.EventName[:len("UpdateFunctionCode")] == "UpdateFunctionCode" &&
				succeeded(r) && r.UserIdentity.Get("type") == "IAMUser"
		},
		by: []string{"src_ip", "user_arn", "user_agent", "user_type", "eventName", "aws_account_id"},
		// No ctime in this search: firstTime and lastTime stay epoch seconds.
		aggs: []statsAgg{{"count", "", "count"}, {"min_epoch", "", "firstTime"}, {"max_epoch", "", "lastTime"}, {"values", "requestParameters.functionName", "function_updated"}},
	}
	detSAMLUpdate = statsSearch{
		match: func(r *record) bool { return r.EventName == "UpdateSAMLProvider" },
		by: []string{"eventType", "eventName", "requestParameters.sAMLProviderArn", "userIdentity.sessionContext.sessionIssuer.arn", "sourceIPAddress",
			"userIdentity.accessKeyId", "userIdentity.principalId"},
		aggs: countFirstLast,
	}
)

// rdsAttack: the intruder lists the databases and resets the master
// password of the payments database (CloudTrail hides the value).
func rdsAttack(b *builder) {
	a := intruder("203.0.113.45")
	r := b.region
	b.call(ms(18, 0), a, r, "rds:DescribeDBInstances", nil, nil)
	b.call(ms(18, 40), a, r, "rds:ModifyDBInstance", obj{{"dBInstanceIdentifier", "prod-payments-db"}, {"masterUserPassword", "HIDDEN_DUE_TO_SECURITY_REASONS"}, {"applyImmediately", true}},
		obj{{"dBInstanceIdentifier", "prod-payments-db"}, {"dBInstanceStatus", "available"}, {"pendingModifiedValues", obj{{"masterUserPassword", "****"}}}})
}

// rdsBenign: an instance class change, a cluster's password rotation
// (ModifyDBCluster) and a new instance created with a password.
func rdsBenign(b *builder) {
	e, r := b.env, b.region
	b.call(ms(10, 0), e.ci, r, "rds:ModifyDBInstance", obj{{"dBInstanceIdentifier", "analytics-db"}, {"dBInstanceClass", "db.r6g.xlarge"}, {"applyImmediately", false}},
		obj{{"dBInstanceIdentifier", "analytics-db"}, {"pendingModifiedValues", obj{{"dBInstanceClass", "db.r6g.xlarge"}}}})
	b.call(ms(22, 15), e.ci, r, "rds:ModifyDBCluster", obj{{"dBClusterIdentifier", "orders-aurora"}, {"masterUserPassword", "HIDDEN_DUE_TO_SECURITY_REASONS"}, {"applyImmediately", true}}, nil)
	b.call(ms(30, 2), e.ci, r, "rds:CreateDBInstance", obj{{"dBInstanceIdentifier", "reporting-db"}, {"engine", "postgres"}, {"masterUsername", "reporting"},
		{"masterUserPassword", "HIDDEN_DUE_TO_SECURITY_REASONS"}, {"dBInstanceClass", "db.t4g.medium"}}, nil)
}

func instanceID(n int) string { return fmt.Sprintf("i-0%016x", 0x3a7c9e10b24d5f60+uint64(n)*0x1f3d) }

// passwordDataAttack: the intruder asks for the Windows administrator
// password of 14 instances in three minutes; three are denied.
func passwordDataAttack(b *builder) {
	a := intruder("198.51.100.61")
	r := b.region
	b.call(ms(20, 5), a, r, "ec2:DescribeInstances", obj{{"instancesSet", obj{}}, {"filterSet", obj{}}}, nil)
	for i := range 14 {
		c := b.call(ms(21, 3+12*i), a, r, "ec2:GetPasswordData", obj{{"instanceId", instanceID(i)}},
			obj{{"instanceId", instanceID(i)}, {"passwordData", ""}})
		if i%5 == 4 {
			c.fail("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: "+a.id.arn()+" is not authorized to perform: ec2:GetPasswordData on resource: arn:aws:ec2:"+r+":"+account+":instance/"+instanceID(i))
		}
	}
}

// passwordDataBenign: an administrator reads the password of three
// instances; an automation of ten (not more than ten) in five minutes;
// another twelve spread over an hour.
func passwordDataBenign(b *builder) {
	e, r := b.env, b.region
	for i := range 3 {
		b.call(ms(5, 10+40*i), e.dev, r, "ec2:GetPasswordData", obj{{"instanceId", instanceID(i)}}, obj{{"instanceId", instanceID(i)}, {"passwordData", ""}})
	}
	for i := range 10 {
		b.call(ms(15, 2+20*i), e.ci, r, "ec2:GetPasswordData", obj{{"instanceId", instanceID(20 + i)}}, obj{{"instanceId", instanceID(20 + i)}, {"passwordData", ""}})
	}
	for i := range 12 {
		b.call(ms(0, 30)+time.Duration(i)*4*time.Minute, e.pipeline, r, "ec2:GetPasswordData", obj{{"instanceId", instanceID(40 + i)}}, obj{{"instanceId", instanceID(40 + i)}, {"passwordData", ""}})
	}
}

// lambdaAttack: a leaked IAM user key replaces the code of two functions
// with a backdoored package.
func lambdaAttack(b *builder) {
	a := iamUser("svc-reporting", "198.51.100.23", cliMac)
	r := b.region
	b.call(ms(12, 0), a, r, "lambda:ListFunctions20150331", nil, nil)
	for i, fn := range []string{"payments-webhook", "user-signup"} {
		b.call(ms(12, 40+35*i), a, r, "lambda:UpdateFunctionCode20150331v2", obj{{"functionName", fn}, {"zipFile", "HIDDEN_DUE_TO_SECURITY_REASONS"}, {"publish", true}},
			obj{{"functionName", fn}, {"functionArn", "arn:aws:lambda:" + r + ":" + account + ":function:" + fn}, {"lastUpdateStatus", "InProgress"}})
	}
}

// lambdaBenign: CI's deploy role updates code (an assumed role, not an
// IAM user), a user changes a function's configuration, and a user's
// update conflicts with one in progress.
func lambdaBenign(b *builder) {
	e, r := b.env, b.region
	deploy := &actor{&identity{kind: "AssumedRole", name: "ci-deploy", session: "gh-actions-4471", created: b.start}, "10.40.2.15", terraform}
	b.call(ms(8, 0), deploy, r, "lambda:UpdateFunctionCode20150331v2", obj{{"functionName", "payments-webhook"}, {"s3Bucket", "corp-app-artifacts"}, {"s3Key", "payments-webhook/1.8.2.zip"}}, nil)
	b.call(ms(19, 30), e.dev, r, "lambda:UpdateFunctionConfiguration20150331v2", obj{{"functionName", "user-signup"}, {"timeout", 30}}, nil)
	b.call(ms(26, 4), e.dev, r, "lambda:UpdateFunctionCode20150331v2", obj{{"functionName", "user-signup"}, {"zipFile", "HIDDEN_DUE_TO_SECURITY_REASONS"}}, nil).
		fail("ResourceConflictException", "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:"+r+":"+account+":function:user-signup")
}

// samlAttack: with an administrator's console session, from 203.0.113.77,
// the intruder replaces the Okta SAML provider's metadata with its own
// signing certificate (a Golden SAML set-up).
func samlAttack(b *builder) {
	admin := &actor{b.env.admin.id, "203.0.113.77", chromeWin}
	p := "arn:aws:iam::" + account + ":saml-provider/Okta"
	b.call(ms(16, 0), admin, "", "iam:GetSAMLProvider", obj{{"sAMLProviderArn", p}}, nil)
	b.call(ms(16, 45), admin, "", "iam:UpdateSAMLProvider", obj{{"sAMLMetadataDocument", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><md:EntityDescriptor entityID=\"http://www.okta.com/exk4f0attacker\">...</md:EntityDescriptor>"}, {"sAMLProviderArn", p}},
		obj{{"sAMLProviderArn", p}})
}

// samlBenign: the providers are listed and read, and a new one created.
func samlBenign(b *builder) {
	e := b.env
	b.call(ms(6, 0), e.admin, "", "iam:ListSAMLProviders", nil, nil)
	b.call(ms(6, 20), e.admin, "", "iam:GetSAMLProvider", obj{{"sAMLProviderArn", "arn:aws:iam::" + account + ":saml-provider/Okta"}}, nil)
	b.call(ms(24, 0), e.admin, "", "iam:CreateSAMLProvider", obj{{"sAMLMetadataDocument", "<?xml version=\"1.0\"?><md:EntityDescriptor entityID=\"https://sts.windows.net/7c1f/\">...</md:EntityDescriptor>"}, {"name", "EntraID"}},
		obj{{"sAMLProviderArn", "arn:aws:iam::" + account + ":saml-provider/EntraID"}})
}

// moreDatasets are the folders of this file's detections.
var moreDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1110.002/aws_rds_password_reset", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Credential Access RDS Password reset", expect: detRDSPassword.expect}},
		seed:   1110002, region: "eu-west-1", start: time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC), noise: 50,
		attack: rdsAttack, benign: rdsBenign,
	},
	{
		dir: "datasets/attack_techniques/T1552/aws_getpassworddata", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Credential Access GetPasswordData", expect: detGetPasswordData.expect}},
		seed:   1552, region: "us-east-1", start: time.Date(2026, 9, 3, 4, 0, 0, 0, time.UTC), noise: 50,
		attack: passwordDataAttack, benign: passwordDataBenign,
	},
	{
		dir: "datasets/attack_techniques/T1204/aws_updatelambdafunctioncode", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Lambda UpdateFunctionCode", expect: detLambdaCode.expect}},
		seed:   1204, region: "us-east-1", start: time.Date(2026, 9, 8, 16, 0, 0, 0, time.UTC), noise: 50,
		attack: lambdaAttack, benign: lambdaBenign,
	},
	{
		dir: "datasets/attack_techniques/T1078/update_saml_provider", file: "update_saml_provider.json",
		checks: []check{{name: "AWS SAML Update identity provider", expect: detSAMLUpdate.expect}},
		seed:   1078002, region: "us-east-1", start: time.Date(2026, 9, 10, 20, 0, 0, 0, time.UTC), noise: 50,
		attack: samlAttack, benign: samlBenign,
	},
}
