package attackdata

import (
	"sort"
	"time"
)

// detLoginProfile restates "AWS CreateLoginProfile": a console password
// created for a user, then a console sign-in as that user from the
// address that created it.
//
//	`cloudtrail` eventName = CreateLoginProfile
//	| rename requestParameters.userName as new_login_profile
//	| table src_ip eventName new_login_profile userIdentity.userName
//	| join new_login_profile src_ip [| search `cloudtrail` eventName = ConsoleLogin
//	  | rename userIdentity.userName as new_login_profile
//	  | stats count values(eventName) min(_time) as firstTime max(_time) as lastTime
//	    by eventSource aws_account_id errorCode userAgent eventID awsRegion
//	       userIdentity.principalId user_arn new_login_profile src_ip
//	  | ctime(firstTime) | ctime(lastTime)]
//
// join is inner, takes one subsearch row per key (max=1) and lets the
// subsearch's fields win; a sign-in is its own group (eventID), so the
// datasets hold one sign-in per key.
func detLoginProfile(recs []*record) []Row {
	logins := map[string]*record{}
	for _, r := range recs {
		if r.EventName != "ConsoleLogin" {
			continue
		}
		// stats drops a sign-in without a user_arn (a failed one) or
		// without any other BY field.
		if len(ctField(r, "user_arn")) == 0 || len(ctField(r, "userIdentity.principalId")) == 0 {
			continue
		}
		k := ctField(r, "userIdentity.userName")[0] + "\x00" + r.SourceIPAddress
		if _, dup := logins[k]; dup {
			panic("attackdata: two sign-ins for one join key; max=1 would pick by the subsearch's order") // a programming error in this package
		}
		logins[k] = r
	}
	var created []*record
	for _, r := range recs {
		if r.EventName == "CreateLoginProfile" {
			created = append(created, r)
		}
	}
	sort.SliceStable(created, func(i, j int) bool { return created[i].at.After(created[j].at) }) // events come newest first
	rows := []Row{}
	for _, c := range created {
		user := ctField(c, "requestParameters.userName")
		if len(user) == 0 {
			continue
		}
		l := logins[user[0]+"\x00"+c.SourceIPAddress]
		if l == nil {
			continue
		}
		row := Row{{"src_ip", []string{c.SourceIPAddress}}, {"eventName", []string{c.EventName}}, {"new_login_profile", user}}
		if v := ctField(c, "userIdentity.userName"); len(v) > 0 {
			row = append(row, Field{"userIdentity.userName", v})
		}
		for _, f := range []string{"eventSource", "aws_account_id", "errorCode", "userAgent", "eventID", "awsRegion", "userIdentity.principalId", "user_arn"} {
			row = append(row, Field{f, ctField(l, f)})
		}
		row = append(row, Field{"count", []string{"1"}}, Field{"values(eventName)", []string{"ConsoleLogin"}},
			Field{"firstTime", []string{l.at.UTC().Format(ctimeLayout)}}, Field{"lastTime", []string{l.at.UTC().Format(ctimeLayout)}})
		rows = append(rows, row)
	}
	return rows
}

// loginProfileAttack: the intruder gives the dormant user b.ivanova a
// console password and signs in as her from the same address.
func loginProfileAttack(b *builder) {
	const ip = "203.0.113.45"
	a := intruder(ip)
	b.call(ms(12, 0), a, "", "iam:GetLoginProfile", obj{{"userName", "b.ivanova"}}, nil).
		fail("NoSuchEntityException", "Login Profile for User b.ivanova cannot be found.")
	b.call(ms(12, 30), a, "", "iam:CreateLoginProfile", obj{{"userName", "b.ivanova"}, {"passwordResetRequired", false}},
		obj{{"loginProfile", obj{{"userName", "b.ivanova"}, {"createDate", b.start.Add(ms(12, 30)).UTC().Format("Jan 2, 2006, 3:04:05 PM")}, {"passwordResetRequired", false}}}})
	b.consoleLogin(ms(13, 40), "b.ivanova", ip, firefoxWin, signinOK, false)
}

// loginProfileBenign: an administrator creates a new hire's console
// password from the office; the new hire signs in from home.
func loginProfileBenign(b *builder) {
	admin := iamUser("it-admin", "10.8.9.30", cliLinux)
	b.call(ms(9, 0), admin, "", "iam:CreateLoginProfile", obj{{"userName", "n.okoro"}, {"passwordResetRequired", true}},
		obj{{"loginProfile", obj{{"userName", "n.okoro"}, {"createDate", b.start.Add(ms(9, 0)).UTC().Format("Jan 2, 2006, 3:04:05 PM")}, {"passwordResetRequired", true}}}})
	b.consoleLogin(ms(31, 0), "n.okoro", "198.51.100.77", chromeWin, signinOK, false)
	b.consoleLogin(ms(33, 0), "j.rivera", "10.8.9.30", chromeWin, signinOK, true)
}

var loginProfileDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1078/aws_createloginprofile", file: "aws_cloudtrail_events.json",
	checks: []check{{name: "AWS CreateLoginProfile", expect: detLoginProfile, entities: []string{"new_login_profile"}}},
	seed:   1078004, region: "us-east-1", start: time.Date(2026, 10, 19, 10, 0, 0, 0, time.UTC), noise: 40,
	attack: loginProfileAttack, benign: loginProfileBenign,
}}
