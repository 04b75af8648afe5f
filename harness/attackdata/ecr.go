package attackdata

import (
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// ESCU's CloudTrail detections of container images pushed to ECR, of
// SAML federation into the account, and of AMIs shared out of it.

// ecrPush is a PutImage search's stats: `rename requestParameters.* as *`
// (the repository then renamed to col), two constants, and min and max
// of _time by the push's fields.
func ecrPush(match func(r *record) bool, col, severity string) statsSearch {
	return statsSearch{
		match: match,
		by:    []string{"awsRegion", "eventName", "eventSource", "user", "userName", "src_ip", "imageTag", "registryId", col, "phase", "severity"},
		aggs:  []statsAgg{{"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}},
		from: map[string]string{"imageTag": "requestParameters.imageTag", "registryId": "requestParameters.registryId", col: "requestParameters.repositoryName",
			"phase": "=release", "severity": "=" + severity},
	}
}

var (
	// detECROffHours: PutImage with date_hour>=20 OR date_hour<8 OR a
	// weekend day (date_* from the timestamp as written: UTC here).
	detECROffHours = ecrPush(func(r *record) bool {
		h, d := r.at.UTC().Hour(), r.at.UTC().Weekday()
		return isCall("ecr.amazonaws.com", "PutImage")(r) && (h >= 20 || h < 8 || d == time.Saturday || d == time.Sunday)
	}, "repository", "medium")
	// detECRUnknownUser: PutImage NOT `aws_ecr_users`, a macro ESCU ships
	// as `userName IN (user)`, a placeholder for the allowed pushers: every
	// push by anyone else is reported.
	detECRUnknownUser = ecrPush(func(r *record) bool {
		u := ctField(r, "userName")
		return isCall("ecr.amazonaws.com", "PutImage")(r) && !(len(u) == 1 && u[0] == "user")
	}, "image", "high")
	detSAMLAccess = statsSearch{
		match: func(r *record) bool { return r.EventName == "AssumeRoleWithSAML" },
		by: []string{"eventName", "requestParameters.principalArn", "requestParameters.roleArn", "requestParameters.roleSessionName", "recipientAccountId",
			"responseElements.issuer", "sourceIPAddress", "userAgent"},
		aggs: countFirstLast,
	}
)

// putImage records a push of an image to a repository of the account.
func putImage(b *builder, at time.Duration, a *actor, repo, tag string) *record {
	digest := "sha256:" + awsID(repo+tag, 32)
	return b.call(at, a, b.region, "ecr:PutImage", obj{{"repositoryName", repo}, {"imageTag", tag}, {"registryId", account},
		{"imageManifest", `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"` + digest + `"}}`}},
		obj{{"image", obj{{"registryId", account}, {"repositoryName", repo}, {"imageId", obj{{"imageDigest", digest}, {"imageTag", tag}}}}}})
}

// ecrAttack: at night, the intruder pushes a backdoored image over the
// production API's latest tag; CI's pushes that morning are in business
// hours.
func ecrAttack(b *builder) {
	ci := &actor{b.env.ci.id, b.env.ci.ip, cliLinux}
	putImage(b, ms(5, 0), ci, "prod-api", "v2.14.0")
	putImage(b, ms(6, 10), ci, "prod-api", "latest")
	a := intruder("203.0.113.45")
	b.call(ms(12*60+10, 0), a, b.region, "ecr:GetAuthorizationToken", nil, nil)
	putImage(b, ms(12*60+12, 30), a, "prod-api", "latest")
}

// ecrBenign: CI pushes the next afternoon; a push fails on an immutable
// tag.
func ecrBenign(b *builder) {
	ci := &actor{b.env.ci.id, b.env.ci.ip, cliLinux}
	putImage(b, ms(3, 0), ci, "prod-api", "v2.15.0")
	putImage(b, ms(3, 40), ci, "billing-worker", "v1.9.1")
	putImage(b, ms(20, 0), ci, "prod-api", "v2.15.0").fail("ImageTagAlreadyExistsException", "The image tag 'v2.15.0' already exists in the 'prod-api' repository and cannot be overwritten because the repository is immutable.")
}

// samlAssume records an AssumeRoleWithSAML: a SAML user, from ip, gets a
// session of role.
func samlAssume(b *builder, at time.Duration, ip, email, role, issuer string) *record {
	provider := "arn:aws:iam::" + account + ":saml-provider/Okta"
	roleArn := "arn:aws:iam::" + account + ":role/" + role
	a := &actor{&identity{kind: "SAMLUser", name: email}, ip, chromeWin}
	r := b.call(at, a, "us-east-1", "sts:AssumeRoleWithSAML",
		obj{{"sAMLAssertionID", "_" + awsID(email+issuer+role, 20)}, {"roleSessionName", email}, {"roleArn", roleArn}, {"principalArn", provider}, {"durationSeconds", 3600}},
		obj{{"credentials", obj{{"accessKeyId", "ASIA" + awsID("saml/"+email+role, 16)}, {"sessionToken", "HIDDEN_DUE_TO_SECURITY_REASONS"},
			{"expiration", b.start.Add(at + time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")}}},
			{"assumedRoleUser", obj{{"assumedRoleId", "AROA" + awsID(role, 17) + ":" + email}, {"arn", "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + email}}},
			{"subject", email}, {"subjectType", "persistent"}, {"issuer", issuer}, {"audience", "https://signin.aws.amazon.com/saml"},
			{"nameQualifier", awsID(issuer, 28)}})
	r.UserIdentity = cloudtrail.Obj{{"type", "SAMLUser"}, {"principalId", awsID(issuer, 28) + ":" + email}, {"userName", email}, {"identityProvider", provider}}
	return r
}

// samlAccessAttack: with a forged assertion (its issuer is the
// attacker's), a session of the administrator role is taken from
// 203.0.113.77.
func samlAccessAttack(b *builder) {
	samlAssume(b, ms(22, 5), "203.0.113.77", "ops.admin@example.com", "OktaAdmin", "http://www.okta.com/exk4f0attacker")
}

// samlAccessBenign: sessions through the identity provider's other
// flows: a web identity (OIDC) role for CI and a plain AssumeRole.
func samlAccessBenign(b *builder) {
	e := b.env
	b.call(ms(9, 0), &actor{&identity{kind: "WebIdentityUser", name: "repo:corp/app:ref:refs/heads/main"}, "198.51.100.210", client{kind: "plain", base: "aws-sdk-js/3.716.0", tls: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256"}},
		"us-east-1", "sts:AssumeRoleWithWebIdentity", obj{{"roleArn", "arn:aws:iam::" + account + ":role/gh-actions-deploy"}, {"roleSessionName", "gh-4471"}}, nil).
		UserIdentity = cloudtrail.Obj{{"type", "WebIdentityUser"}, {"principalId", "arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:corp/app:ref:refs/heads/main"},
		{"userName", "repo:corp/app:ref:refs/heads/main"}, {"identityProvider", "arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com"}}
	b.call(ms(15, 0), e.dev, "us-east-1", "sts:AssumeRole", obj{{"roleArn", "arn:aws:iam::" + account + ":role/ReadOnly"}, {"roleSessionName", "j.rivera"}}, nil)
}

var ecrDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1204.003/aws_ecr_container_upload", file: "aws_ecr_container_upload.json",
		checks: []check{{name: "AWS ECR Container Upload Outside Business Hours", expect: detECROffHours.expect},
			{name: "AWS ECR Container Upload Unknown User", expect: detECRUnknownUser.expect, noisy: true}},
		// A Monday morning; the attack follows that night, the benign file
		// is the Tuesday afternoon.
		seed: 1204003, region: "us-east-1", start: time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC), noise: 50,
		attack: ecrAttack, benign: ecrBenign,
	},
	{
		dir: "datasets/attack_techniques/T1078/assume_role_with_saml", file: "assume_role_with_saml.json",
		checks: []check{{name: "AWS SAML Access by Provider User and Principal", expect: detSAMLAccess.expect}},
		seed:   1078003, region: "us-east-1", start: time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: samlAccessAttack, benign: samlAccessBenign,
	},
}
