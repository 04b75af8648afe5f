package attackdata

import (
	"testing"
	"time"
)

// TestPolicyChecks checks the restatements of the spath and mvexpand
// detections on small cases, one record each: which statements, grants
// and calls they keep.
func TestPolicyChecks(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	user := iamUser("u", "192.0.2.1", cliMac)
	role := &actor{&identity{kind: "AssumedRole", name: "r", session: "s", created: start}, "192.0.2.2", cliMac}
	cases := []struct {
		name  string
		check func([]*record) []Row
		plant func(b *builder)
		rows  int
	}{
		{"policy version: Action \"*\"", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, user, "p", policyDoc(allowAll), "v2")
		}, 1},
		{"policy version: two \"*\" statements of one call are one row", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, user, "p", policyDoc(allowAll, adminOverTLS), "v2")
		}, 1},
		{"policy version: Action [\"*\"] is JSON text, not \"*\"", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, user, "p", policyDoc(obj{{"Effect", "Allow"}, {"Action", []any{"*"}}, {"Resource", "*"}}), "v2")
		}, 0},
		{"policy version: \"iam:*\" on every resource", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, user, "p", policyDoc(obj{{"Effect", "Allow"}, {"Action", "iam:*"}, {"Resource", "*"}}), "v2")
		}, 0},
		{"policy version: failed call", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, user, "p", policyDoc(allowAll), "v2").fail("LimitExceededException", "x")
		}, 0},
		{"policy version: an assumed role has no user", detPolicyVersionAllowAll, func(b *builder) {
			createPolicyVersion(b, 0, role, "p", policyDoc(allowAll), "v2")
		}, 0},
		{"kms: kms:Encrypt for an account's ARN (\"*\" is a wildcard in search)", detKMSEncryptPolicy, func(b *builder) {
			createKey(b, 0, user, "k", policyDoc(obj{{"Effect", "Allow"}, {"Principal", obj{{"AWS", "arn:aws:iam::222222222222:root"}}}, {"Action", "kms:Encrypt"}, {"Resource", "*"}}))
		}, 1},
		{"kms: action in an array, any case", detKMSEncryptPolicy, func(b *builder) {
			putKeyPolicy(b, 0, role, "k", policyDoc(obj{{"Effect", "Allow"}, {"Principal", obj{{"AWS", "*"}}}, {"Action", []any{"KMS:ENCRYPT"}}, {"Resource", "*"}}))
		}, 1},
		{"kms: a failed call is kept (errorCode is not read)", detKMSEncryptPolicy, func(b *builder) {
			putKeyPolicy(b, 0, user, "k", policyDoc(keyAnyoneEncrypts)).deny("", "")
		}, 1},
		{"kms: a Service principal has no Principal.AWS", detKMSEncryptPolicy, func(b *builder) {
			createKey(b, 0, user, "k", policyDoc(obj{{"Effect", "Allow"}, {"Principal", obj{{"Service", "logs.amazonaws.com"}}}, {"Action", "kms:Encrypt"}, {"Resource", "*"}}))
		}, 0},
		{"kms: kms:Encrypt* is not kms:Encrypt", detKMSEncryptPolicy, func(b *builder) {
			createKey(b, 0, user, "k", policyDoc(obj{{"Effect", "Allow"}, {"Principal", obj{{"AWS", "*"}}}, {"Action", "kms:Encrypt*"}, {"Resource", "*"}}))
		}, 0},
		{"s3: AllUsers READ and AuthenticatedUsers WRITE are two rows", detOpenS3Bucket, func(b *builder) {
			putBucketACL(b, 0, user, "b", grant(ownerID, "FULL_CONTROL"), grant(allUsersURI, "READ"), grant(authUsersURI, "WRITE"))
		}, 2},
		{"s3: the log delivery group", detOpenS3Bucket, func(b *builder) {
			putBucketACL(b, 0, user, "b", grant(ownerID, "FULL_CONTROL"), grant(logDelivery, "WRITE"))
		}, 0},
		{"s3: one Grant is an object, which Grant{} does not select", detOpenS3Bucket, func(b *builder) {
			putBucketACL(b, 0, user, "b", grant(allUsersURI, "READ"))
		}, 0},
		{"s3 cli: every CLI PutBucketAcl once the five grant headers are among the results", detOpenS3BucketCLI, func(b *builder) {
			putBucketACL(b, 0, user, "a", grant(ownerID, "FULL_CONTROL"))
			putBucketACLHeaders(b, ms(0, 1), user, "b", obj{{"x-amz-grant-full-control", "id=1"}, {"x-amz-grant-read", "uri=" + allUsersURI}, {"x-amz-grant-read-acp", "uri=" + allUsersURI}})
			putBucketACLHeaders(b, ms(0, 2), user, "c", obj{{"x-amz-grant-write", "uri=" + allUsersURI}, {"x-amz-grant-write-acp", "uri=" + allUsersURI}})
		}, 3},
		{"s3 cli: a grant header no result has leaves a null BY field", detOpenS3BucketCLI, func(b *builder) {
			putBucketACLHeaders(b, 0, user, "b", obj{{"x-amz-grant-full-control", "id=1"}, {"x-amz-grant-read", "uri=" + allUsersURI}})
		}, 0},
		{"s3 cli: not the CLI", detOpenS3BucketCLI, func(b *builder) {
			putBucketACLHeaders(b, 0, &actor{user.id, user.ip, boto3Kali}, "b", obj{{"x-amz-grant-full-control", "id=1"}, {"x-amz-grant-read", "uri=" + allUsersURI},
				{"x-amz-grant-read-acp", "uri=" + allUsersURI}, {"x-amz-grant-write", "uri=" + allUsersURI}, {"x-amz-grant-write-acp", "uri=" + allUsersURI}})
		}, 0},
		{"access key: a user's key for itself", detCreateAccessKey.expect, func(b *builder) {
			createAccessKey(b, 0, user, "u")
		}, 1},
		{"access key: from the console", detCreateAccessKey.expect, func(b *builder) {
			createAccessKey(b, 0, &actor{user.id, user.ip, console}, "v")
		}, 0},
		{"login profile: an assumed role has no userIdentity.userName", detUpdateLoginProfile.expect, func(b *builder) {
			updateLoginProfile(b, 0, role, "v", true)
		}, 0},
		{"login profile: a user's own", detUpdateLoginProfile.expect, func(b *builder) {
			updateLoginProfile(b, 0, user, "u", false)
		}, 1},
		{"nacl: a 1025-wide port range", detNACLOpenPorts, func(b *builder) {
			aclRule(b, 0, user, false, "acl-1", 100, false, "allow", "6", 1024, 2049, "0.0.0.0/0")
		}, 1},
		{"nacl: a 1024-wide port range", detNACLOpenPorts, func(b *builder) {
			aclRule(b, 0, user, false, "acl-1", 100, false, "allow", "6", 1024, 2048, "0.0.0.0/0")
		}, 0},
		{"nacl: all protocols alone has null port fields after fillnull", detNACLOpenPorts, func(b *builder) {
			aclRule(b, 0, user, false, "acl-1", 100, false, "allow", "-1", 0, 0, "0.0.0.0/0")
		}, 0},
		{"nacl: all protocols beside a wide range: two rows", detNACLOpenPorts, func(b *builder) {
			aclRule(b, 0, user, false, "acl-1", 100, false, "allow", "-1", 0, 0, "0.0.0.0/0")
			aclRule(b, ms(0, 1), user, false, "acl-1", 110, false, "allow", "17", 0, 65535, "0.0.0.0/0")
		}, 2},
		{"ecr: CRITICAL is read by none", detECRFindingsHigh, func(b *builder) {
			describeScanFindings(b, 0, user, "r", "t", cveXZ)
		}, 0},
		{"ecr: LOW, INFORMATIONAL and UNKNOWN are three findings", detECRFindingsLow, func(b *builder) {
			describeScanFindings(b, 0, user, "r", "t", cvePerl, cveTarInfo, cveUnknown, cveOpenSSH)
		}, 3},
		{"s3 kms: SSE-S3 is not aws:kms", detS3KMSEncrypt.expect, func(b *builder) {
			copyEncrypted(b, 0, user, "b", "k", "AES256", "")
		}, 0},
		{"impair: a failed call is a row of its own", detImpairSecurity, func(b *builder) {
			b.call(0, user, "us-east-1", "guardduty:DeleteDetector", obj{{"detectorId", "d"}}, nil)
			b.call(ms(0, 1), user, "us-east-1", "guardduty:DeleteDetector", obj{{"detectorId", "e"}}, nil).deny("", "")
		}, 2},
	}
	for _, c := range cases {
		b := newBuilder(1, start, "us-east-1")
		c.plant(b)
		if got := c.check(b.sorted()); len(got) != c.rows {
			t.Errorf("%s: %d rows, want %d: %v", c.name, len(got), c.rows, got)
		}
	}
}
