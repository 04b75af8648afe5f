package attackdata

import "time"

// ESCU's "AWS CreateAccessKey" and "AWS UpdateLoginProfile". Both mean to
// keep only calls where the caller acts on another user:
//
//	| eval match=if(match(userIdentity.userName,requestParameters.userName),1,0) | search match=0
//
// but in eval an unquoted '.' is the concatenation operator and
// userIdentity, userName and requestParameters are no fields (the
// extracted fields are named with the dots), so both arguments of match()
// are null, match() is null, if() takes its else branch and match is 0 on
// every event (docs/semantics.md). The detections therefore return every
// successful call not made from the console, a user's call on itself
// included: the datasets plant such calls, and their expected rows hold
// them.

var (
	// detCreateAccessKey: `cloudtrail` eventName = CreateAccessKey
	// userAgent !=console.amazonaws.com errorCode = success | eval ... |
	// search match=0 | stats count min(_time) as firstTime max(_time) as
	// lastTime by requestParameters.userName src eventName eventSource
	// aws_account_id errorCode userAgent eventID awsRegion
	// userIdentity.principalId user_arn | ctime ...
	detCreateAccessKey = statsSearch{
		match: func(r *record) bool { return r.EventName == "CreateAccessKey" && notConsole(r) && succeeded(r) },
		by: []string{"requestParameters.userName", "src", "eventName", "eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion",
			"userIdentity.principalId", "user_arn"},
		aggs: countFirstLast,
	}
	// detUpdateLoginProfile: the same over UpdateLoginProfile, by
	// requestParameters.userName src eventName eventSource aws_account_id
	// errorCode userAgent eventID awsRegion userIdentity.userName
	// user_arn: a caller without userIdentity.userName (an assumed role)
	// has a null BY field and drops out.
	detUpdateLoginProfile = statsSearch{
		match: func(r *record) bool { return r.EventName == "UpdateLoginProfile" && notConsole(r) && succeeded(r) },
		by: []string{"requestParameters.userName", "src", "eventName", "eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion",
			"userIdentity.userName", "user_arn"},
		aggs: countFirstLast,
	}
)

// createAccessKey records a CreateAccessKey for user (CloudTrail leaves
// the secret out of the response).
func createAccessKey(b *builder, at time.Duration, a *actor, user string) *record {
	return b.call(at, a, "", "iam:CreateAccessKey", obj{{"userName", user}},
		obj{{"accessKey", obj{{"userName", user}, {"accessKeyId", "AKIA" + awsID("newkey/"+user+b.start.Add(at).String(), 16)}, {"status", "Active"},
			{"createDate", b.start.Add(at).UTC().Format("Jan 2, 2006, 3:04:05 PM")}}}})
}

// accessKeyAttack: with the CI user's leaked key, the intruder lists the
// users, gives the dormant administrator b.ivanova a second key and the
// CI user (itself) another, and fails on k.larsen, who has two keys. The
// developer j.rivera rotates her own key with the CLI the same hour: the
// detection returns her call too (see the package comment above).
func accessKeyAttack(b *builder) {
	a := intruder("203.0.113.45")
	b.call(ms(10, 0), a, "", "iam:ListUsers", nil, nil)
	b.call(ms(10, 22), a, "", "iam:ListAccessKeys", obj{{"userName", "b.ivanova"}}, nil)
	createAccessKey(b, ms(10, 45), a, "b.ivanova")
	createAccessKey(b, ms(11, 30), a, "ci-terraform")
	createAccessKey(b, ms(12, 2), a, "k.larsen").fail("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2")
	dev := b.env.dev
	b.call(ms(30, 0), dev, "", "iam:ListAccessKeys", obj{{"userName", "j.rivera"}}, nil)
	createAccessKey(b, ms(30, 20), dev, "j.rivera")
	b.call(ms(31, 5), dev, "", "iam:UpdateAccessKey", obj{{"userName", "j.rivera"}, {"accessKeyId", "AKIA" + awsID("key/j.rivera", 16)}, {"status", "Inactive"}}, nil)
}

// accessKeyBenign: an administrator creates a new hire's key from the
// console; a developer is denied creating a key for a colleague; a
// user at its quota fails; keys are listed, deactivated and deleted.
func accessKeyBenign(b *builder) {
	e := b.env
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(createAccessKey(b, ms(8, 0), admin, "n.okoro"))
	createAccessKey(b, ms(13, 10), e.dev, "p.silva").deny("arn:aws:iam::"+account+":user/p.silva", "")
	createAccessKey(b, ms(19, 0), e.ci, "svc-reporting").fail("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2")
	b.call(ms(19, 30), e.ci, "", "iam:ListAccessKeys", obj{{"userName", "svc-reporting"}}, nil)
	b.call(ms(20, 0), e.ci, "", "iam:UpdateAccessKey", obj{{"userName", "svc-reporting"}, {"accessKeyId", "AKIA" + awsID("key/svc-reporting/old", 16)}, {"status", "Inactive"}}, nil)
	b.call(ms(20, 30), e.ci, "", "iam:DeleteAccessKey", obj{{"userName", "svc-reporting"}, {"accessKeyId", "AKIA" + awsID("key/svc-reporting/old", 16)}}, nil)
}

// updateLoginProfile records an UpdateLoginProfile of user (CloudTrail
// leaves the password out).
func updateLoginProfile(b *builder, at time.Duration, a *actor, user string, reset bool) *record {
	return b.call(at, a, "", "iam:UpdateLoginProfile", obj{{"userName", user}, {"passwordResetRequired", reset}}, nil)
}

// loginProfileUpdateAttack: with the CI user's leaked key, the intruder
// sets new console passwords for b.ivanova and k.larsen (no reset on
// first sign-in), and fails on a user without a console password.
func loginProfileUpdateAttack(b *builder) {
	a := intruder("198.51.100.61")
	b.call(ms(16, 0), a, "", "iam:ListUsers", nil, nil)
	b.call(ms(16, 30), a, "", "iam:GetLoginProfile", obj{{"userName", "b.ivanova"}}, nil)
	updateLoginProfile(b, ms(16, 58), a, "b.ivanova", false)
	updateLoginProfile(b, ms(17, 40), a, "k.larsen", false)
	updateLoginProfile(b, ms(18, 5), a, "ci-terraform", false).fail("NoSuchEntityException", "Login Profile for User ci-terraform cannot be found.")
}

// loginProfileUpdateBenign: the help desk resets a password from the
// console, and from the CLI under its SSO role (no userIdentity.userName,
// so the search's BY drops it); a developer is denied resetting a
// colleague's; users change their own passwords (ChangePassword).
func loginProfileUpdateBenign(b *builder) {
	e := b.env
	admin := &actor{e.admin.id, e.admin.ip, console}
	viaConsole(updateLoginProfile(b, ms(9, 0), admin, "n.okoro", true))
	helpdesk := &actor{e.admin.id, e.admin.ip, cliLinux}
	b.call(ms(11, 0), helpdesk, "", "iam:GetLoginProfile", obj{{"userName", "p.silva"}}, nil)
	updateLoginProfile(b, ms(11, 20), helpdesk, "p.silva", true)
	updateLoginProfile(b, ms(14, 0), e.dev, "k.larsen", true).deny("arn:aws:iam::"+account+":user/k.larsen", "")
	b.call(ms(25, 0), &actor{&identity{kind: "IAMUser", name: "n.okoro"}, "198.51.100.77", console}, "", "iam:ChangePassword", nil, nil)
}

// accessKeyDatasets are the folders of this file's detections.
var accessKeyDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1078/aws_createaccesskey", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS CreateAccessKey", expect: detCreateAccessKey.expect, entities: []string{"src", "user_arn"}}},
		seed:   1078102, region: "us-east-1", start: time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC), noise: 50,
		attack: accessKeyAttack, benign: accessKeyBenign,
	},
	{
		dir: "datasets/attack_techniques/T1078/aws_updateloginprofile", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS UpdateLoginProfile", expect: detUpdateLoginProfile.expect, entities: []string{"src", "user_arn"}}},
		seed:   1078103, region: "us-east-1", start: time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC), noise: 50,
		attack: loginProfileUpdateAttack, benign: loginProfileUpdateBenign,
	},
}
