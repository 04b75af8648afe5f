package attackdata

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// Console sign-ins: the datasets of the ESCU detections that read
// ConsoleLogin records, "AWS Credential Access Failed Login" (a tstats
// search of the Authentication data model) and "AWS Unusual Number of
// Failed Authentications From Ip" (a raw search).
//
// A ConsoleLogin record is written as the AWS CloudTrail User Guide's
// "AWS Management Console sign-in events" page shows: eventSource
// signin.amazonaws.com, eventType AwsConsoleSignIn, no requestID, null
// requestParameters, responseElements {"ConsoleLogin": "Success" or
// "Failure"}, and additionalEventData with LoginTo, MobileVersion and
// MFAUsed. A failed sign-in has no errorCode, only errorMessage ("Failed
// authentication" for a wrong password); the identity of a failed sign-in
// carries no ARN, and a user name that does not exist in the account is
// written HIDDEN_DUE_TO_SECURITY_REASONS with the message "No username
// found in supplied account".

const (
	hiddenUser = "HIDDEN_DUE_TO_SECURITY_REASONS"
	loginTo    = "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_4c8e2a1f9b7d6e30"
)

// signinOutcome is how a console sign-in ends.
type signinOutcome int

const (
	signinOK        signinOutcome = iota // password (and MFA, when mfa) accepted
	signinWrongPass                      // an existing IAM user, a wrong password
	signinNoUser                         // a user name the account does not have
	signinWrongMFA                       // the right password, a wrong MFA code
)

// consoleLogin records a ConsoleLogin of IAM user name from ip with a
// browser; mfa says whether the user has an MFA device.
func (b *builder) consoleLogin(at time.Duration, name, ip string, c client, outcome signinOutcome, mfa bool) *record {
	id := cloudtrail.Obj{{"type", "IAMUser"}, {"principalId", "AIDA" + awsID(name, 17)}, {"arn", "arn:aws:iam::" + account + ":user/" + name},
		{"accountId", account}, {"accessKeyId", ""}, {"userName", name}}
	resp := cloudtrail.Obj{{"ConsoleLogin", "Success"}}
	msg := ""
	switch outcome {
	case signinWrongPass:
		id = slices.Delete(id, 2, 3) // no arn
		resp, msg = cloudtrail.Obj{{"ConsoleLogin", "Failure"}}, "Failed authentication"
	case signinWrongMFA: // the password was right: the identity is known, with its ARN
		resp, msg = cloudtrail.Obj{{"ConsoleLogin", "Failure"}}, "Failed authentication"
	case signinNoUser:
		id = cloudtrail.Obj{{"type", "IAMUser"}, {"accountId", account}, {"accessKeyId", ""}, {"userName", hiddenUser}}
		resp, msg = cloudtrail.Obj{{"ConsoleLogin", "Failure"}}, "No username found in supplied account"
	}
	used := "No"
	if mfa && outcome == signinOK || outcome == signinWrongMFA {
		used = "Yes"
	}
	r := &record{Record: cloudtrail.Record{
		EventVersion: "1.09", UserIdentity: id, EventSource: "signin.amazonaws.com", EventName: "ConsoleLogin", AwsRegion: "us-east-1",
		SourceIPAddress: ip, UserAgent: c.base, ErrorMessage: msg, ResponseElements: resp,
		AdditionalEventData: cloudtrail.Obj{{"LoginTo", loginTo}, {"MobileVersion", "No"}, {"MFAUsed", used}},
		EventType:           "AwsConsoleSignIn", ManagementEvent: true, RecipientAccountID: account, EventCategory: "Management",
		TLSDetails: cloudtrail.TLS(c.tls, c.cipher, "us-east-1.signin.aws.amazon.com"),
	}, at: b.start.Add(at), seq: len(b.recs), actor: &actor{&identity{kind: "IAMUser", name: name}, ip, c}, svc: "signin"}
	r.EventTime = r.at.UTC().Format(timeLayout)
	r.EventID = b.uuid()
	b.recs = append(b.recs, r)
	return r
}

// signinField returns a field of a sign-in record as the AWS add-on
// derives it (docs/knowledge.md), for the fields these detections read.
func signinField(r *record, name string) string {
	s := func(keys ...string) string { v, _ := r.UserIdentity.Path(keys...).(string); return v }
	failed := r.ErrorCode != "" || r.ResponseElements.Get("ConsoleLogin") == "Failure"
	switch name {
	case "src", "src_ip":
		return r.SourceIPAddress
	case "app": // alias of eventType
		return r.EventType
	case "signature":
		return r.EventName
	case "action": // the action-status lookup on eventName and the calculated errorCode
		if r.EventName != "ConsoleLogin" {
			return ""
		}
		if failed {
			return "failure"
		}
		return "success"
	case "dest": // ConsoleLogin: additionalEventData.LoginTo, else eventSource
		if v, ok := r.AdditionalEventData.Get("LoginTo").(string); ok && r.EventName == "ConsoleLogin" {
			return v
		}
		return r.EventSource
	case "user": // an AwsConsoleSignIn event: userName, else the role's
		if r.EventType == "AwsConsoleSignIn" {
			return cmp(s("userName"), s("sessionContext", "sessionIssuer", "userName"))
		}
		return s("userName")
	case "user_name":
		return cmp(s("userName"), s("sessionContext", "sessionIssuer", "userName"))
	case "user_id": // ConsoleLogin by an IAM user: the principal id's first part, else the account
		if r.EventName == "ConsoleLogin" && s("type") == "IAMUser" {
			p, _, _ := strings.Cut(s("principalId"), ":")
			return cmp(p, s("accountId"))
		}
	}
	panic("attackdata: no sign-in derivation for field " + name) // a programming error in this package
}

// cmp returns the first non-empty string (coalesce).
func cmp(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// isAuthentication says whether a record is in the CIM Authentication data
// model: tagged authentication (a ConsoleLogin, by the add-on's event
// types aws_cloudtrail_consolelogin_auth and aws_cloudtrail_auth_privileged;
// 7.0.0 tags an AssumeRole assume_role and cloud, not authentication) and
// not a success by a user whose name ends in $ (the model's root
// constraint).
func isAuthentication(r *record) bool {
	tagged := r.EventName == "ConsoleLogin"
	u := signinField(r, "user")
	return tagged && !(signinField(r, "action") == "success" && u != "" && strings.HasSuffix(u, "$"))
}

// detFailedLogin restates "AWS Credential Access Failed Login":
//
//	| tstats count earliest(_time) as firstTime, latest(_time) as lastTime
//	  from datamodel=Authentication where Authentication.action = failure
//	  Authentication.app=AwsConsoleSignIn Authentication.signature=ConsoleLogin
//	  BY Authentication.app Authentication.signature Authentication.dest
//	  Authentication.user Authentication.action Authentication.user_id
//	  Authentication.src | `drop_dm_object_name(Authentication)` | ctime ...
func detFailedLogin(recs []*record) []Row {
	by := []string{"app", "signature", "dest", "user", "action", "user_id", "src"}
	type group struct {
		key         []string
		count       int
		first, last time.Time
	}
	groups := map[string]*group{}
	for _, r := range recs {
		if r.svc != "signin" || !isAuthentication(r) || signinField(r, "action") != "failure" ||
			signinField(r, "app") != "AwsConsoleSignIn" || signinField(r, "signature") != "ConsoleLogin" {
			continue
		}
		key := make([]string, len(by))
		for i, f := range by {
			key[i] = signinField(r, f)
		}
		if slices.Contains(key, "") { // a null BY field drops the event
			continue
		}
		k := strings.Join(key, "\x00")
		g := groups[k]
		if g == nil {
			g = &group{key: key, first: r.at, last: r.at}
			groups[k] = g
		}
		g.count++
		g.first, g.last = minTime(g.first, r.at), maxTime(g.last, r.at)
	}
	order := make([]*group, 0, len(groups))
	for _, g := range groups {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return slices.Compare(order[i].key, order[j].key) < 0 })
	rows := []Row{}
	for _, g := range order {
		var row Row
		for i, f := range by {
			row = append(row, Field{f, []string{g.key[i]}})
		}
		rows = append(rows, append(row, Field{"count", []string{strconv.Itoa(g.count)}},
			Field{"firstTime", []string{g.first.UTC().Format(ctimeLayout)}}, Field{"lastTime", []string{g.last.UTC().Format(ctimeLayout)}}))
	}
	return rows
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// detUnusualFailedAuth restates "AWS Unusual Number of Failed
// Authentications From Ip":
//
//	`cloudtrail` eventName=ConsoleLogin action=failure | bucket span=10m _time
//	| stats dc(_raw) AS distinct_attempts values(user_name) as tried_accounts by _time, src_ip
//	| eventstats avg(distinct_attempts) as avg_attempts, stdev(distinct_attempts) as ip_std by _time
//	| eval upperBound=(avg_attempts+ip_std*3)
//	| eval isOutlier=if(distinct_attempts > 10 and distinct_attempts >= upperBound, 1, 0)
//	| where isOutlier = 1
//
// stdev is the sample standard deviation (Search Reference, "Statistical
// and charting functions"); with one address in a bucket it is 0.
func detUnusualFailedAuth(recs []*record) []Row {
	type group struct {
		bucket time.Time
		src    string
		raws   map[int]bool // dc(_raw): the generator's records are distinct
		users  map[string]bool
	}
	groups := map[string]*group{}
	for _, r := range recs {
		if r.EventName != "ConsoleLogin" || signinField(r, "action") != "failure" {
			continue
		}
		bucket := r.at.Truncate(10 * time.Minute)
		k := bucket.String() + "\x00" + r.SourceIPAddress
		g := groups[k]
		if g == nil {
			g = &group{bucket: bucket, src: r.SourceIPAddress, raws: map[int]bool{}, users: map[string]bool{}}
			groups[k] = g
		}
		g.raws[r.seq] = true
		if u := signinField(r, "user_name"); u != "" {
			g.users[u] = true
		}
	}
	order := make([]*group, 0, len(groups))
	for _, g := range groups {
		order = append(order, g)
	}
	// stats sorts by _time (a number), then src_ip.
	sort.Slice(order, func(i, j int) bool {
		if !order[i].bucket.Equal(order[j].bucket) {
			return order[i].bucket.Before(order[j].bucket)
		}
		return order[i].src < order[j].src
	})
	rows := []Row{}
	for i := 0; i < len(order); {
		j := i
		var counts []float64
		for j < len(order) && order[j].bucket.Equal(order[i].bucket) {
			counts = append(counts, float64(len(order[j].raws)))
			j++
		}
		avg, std := meanStdev(counts)
		upper := avg + std*3
		for _, g := range order[i:j] {
			c := float64(len(g.raws))
			if !(c > 10 && c >= upper) {
				continue
			}
			users := make([]string, 0, len(g.users))
			for u := range g.users {
				users = append(users, u)
			}
			slices.Sort(users)
			rows = append(rows, Row{
				{"_time", []string{g.bucket.UTC().Format("2006-01-02T15:04:05.000+00:00")}}, {"src_ip", []string{g.src}},
				{"distinct_attempts", []string{number(c)}}, {"tried_accounts", users},
				{"avg_attempts", []string{number(avg)}}, {"ip_std", []string{number(std)}},
				{"upperBound", []string{number(upper)}}, {"isOutlier", []string{"1"}},
			})
		}
		i = j
	}
	return rows
}

// number renders a number as Splunk prints one: an integer without a
// decimal point, else the shortest decimal that reads back exactly.
func number(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// staff are the account's IAM users who sign in to the console, with
// their home addresses (documentation ranges) and browsers.
var staff = []struct {
	name, ip string
	c        client
}{
	{"j.rivera", "198.51.100.14", chromeWin}, {"a.kowalski", "198.51.100.37", firefoxWin}, {"s.tanaka", "192.0.2.23", chromeMac},
	{"l.martin", "192.0.2.58", chromeWin}, {"r.osei", "198.51.100.90", chromeMac}, {"e.novak", "192.0.2.101", firefoxWin},
	{"m.haddad", "198.51.100.122", chromeWin}, {"k.larsen", "192.0.2.140", chromeMac}, {"t.nguyen", "198.51.100.161", chromeWin},
	{"p.silva", "192.0.2.177", firefoxWin}, {"h.weber", "198.51.100.203", chromeMac}, {"f.rossi", "192.0.2.219", chromeWin},
	{"d.cohen", "198.51.100.230", chromeMac}, {"b.ivanova", "192.0.2.244", firefoxWin},
}

// workday: each member of staff signs in once, step apart, with MFA;
// those in typos first mistype their password.
func workday(b *builder, from, step time.Duration, typos []int) {
	for i, s := range staff {
		at := from + time.Duration(i)*step
		if slices.Contains(typos, i) {
			b.consoleLogin(at, s.name, s.ip, s.c, signinWrongPass, true)
			at += 21 * time.Second
		}
		b.consoleLogin(at, s.name, s.ip, s.c, signinOK, true)
	}
}

// everyone is every member of staff, for workday's typos.
func everyone() []int {
	var all []int
	for i := range staff {
		all = append(all, i)
	}
	return all
}

// failedLoginAttack: an attacker at 203.0.113.61 guesses the password of
// j.rivera from the console, tries a user name the account does not have,
// then guesses intern-sandbox's, which has no MFA, gets in and looks
// around.
func failedLoginAttack(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, nil)
	const ip = "203.0.113.61"
	for i := range 6 {
		b.consoleLogin(ms(24, 5+19*i), "j.rivera", ip, firefoxWin, signinWrongPass, true)
	}
	for i := range 3 {
		b.consoleLogin(ms(26, 30+23*i), "admin", ip, firefoxWin, signinNoUser, false)
	}
	for i := range 4 {
		b.consoleLogin(ms(28, 2+17*i), "intern-sandbox", ip, firefoxWin, signinWrongPass, false)
	}
	b.consoleLogin(ms(29, 40), "intern-sandbox", ip, firefoxWin, signinOK, false)
	a := iamUser("intern-sandbox", ip, firefoxWin)
	b.call(ms(30, 12), a, b.region, "sts:GetCallerIdentity", nil, nil)
	b.call(ms(30, 40), a, "us-east-1", "iam:ListUsers", nil, nil).deny("arn:aws:iam::"+account+":user/", "")
}

// failedLoginBenign: every console sign-in succeeds; the near miss is a
// failed call that is no console sign-in: a denied AssumeRoleWithSAML,
// which the Authentication model holds as a failure of app AwsApiCall.
func failedLoginBenign(b *builder) {
	workday(b, ms(0, 30), 97*time.Second, nil)
	saml := &actor{&identity{kind: "SAMLUser", name: "okta"}, "198.51.100.37", client{kind: "plain", base: "aws-internal/3 aws-sdk-java/1.12.780", tls: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256"}}
	r := b.call(ms(31, 3), saml, "us-east-1", "sts:AssumeRoleWithSAML",
		obj{{"sAMLAssertionID", "_" + awsID("saml", 20)}, {"roleSessionName", "a.kowalski@example.com"},
			{"roleArn", "arn:aws:iam::" + account + ":role/OktaAdmin"}, {"principalArn", "arn:aws:iam::" + account + ":saml-provider/Okta"}, {"durationSeconds", 3600}}, nil)
	r.UserIdentity = obj{{"type", "SAMLUser"}, {"principalId", "a.kowalski@example.com"}, {"userName", "a.kowalski@example.com"},
		{"identityProvider", "arn:aws:iam::" + account + ":saml-provider/Okta"}}
	r.fail("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")
}

// sprayAttack: the morning after the password policy expired every
// console password, each member of staff first tries the old one, ten of
// them twice (so the ten minutes' average and spread are the office's: a
// mean of 3 and a sample standard deviation of 5 with the spray); among
// them a password spray from 203.0.113.200 tries 21 user names, guessed
// and real, in under four minutes.
func sprayAttack(b *builder) {
	workday(b, ms(20, 10), 38*time.Second, everyone())
	for i, s := range staff[:10] {
		b.consoleLogin(ms(20, 10)+time.Duration(i)*38*time.Second+10*time.Second, s.name, s.ip, s.c, signinWrongPass, true)
	}
	names := []string{"admin", "administrator", "root", "aws-admin", "j.rivera", "devops", "backup", "s.tanaka", "test", "finance",
		"k.larsen", "support", "deploy", "security", "ops", "dev", "billing", "it-admin", "e.novak", "guest", "jenkins"}
	real := map[string]bool{"j.rivera": true, "s.tanaka": true, "k.larsen": true, "e.novak": true}
	for i, n := range names {
		outcome := signinNoUser
		if real[n] {
			outcome = signinWrongPass
		}
		b.consoleLogin(ms(20, 2+11*i), n, "203.0.113.200", chromeWin, outcome, false)
	}
}

// sprayBenign: another expiry morning; a user locked out after ten tries
// from one address (ten is not more than ten); and two addresses of a
// shared office NAT each failing eleven times in the same ten minutes as
// nine other people, neither an outlier beside the other.
func sprayBenign(b *builder) {
	workday(b, ms(0, 10), 38*time.Second, everyone())
	for i := range 10 {
		b.consoleLogin(ms(12, 2+40*i), "m.haddad", "198.51.100.122", chromeWin, signinWrongPass, true)
	}
	for i := range 11 {
		b.consoleLogin(ms(31, 5+41*i), "t.nguyen", "192.0.2.90", chromeWin, signinWrongPass, true)
		b.consoleLogin(ms(31, 9+43*i), "d.cohen", "192.0.2.91", chromeMac, signinWrongPass, true)
	}
	for i, s := range staff[:9] {
		b.consoleLogin(ms(33, 0)+time.Duration(i)*29*time.Second, s.name, s.ip, s.c, signinWrongPass, true)
	}
}

// detHighFailedFromIP restates "AWS High Number Of Failed Authentications
// From Ip": more than 20 failed console sign-ins from one address in five
// minutes.
var detHighFailedFromIP = statsSearch{
	match: failedSignin, span: 5 * time.Minute,
	by:         []string{"_time", "src_ip", "eventName", "eventSource", "aws_account_id"},
	aggs:       []statsAgg{{"dc_raw", "", "failed_attempts"}, {"values", "user_name", "tried_accounts"}, {"values", "user_agent", "values(user_agent)"}},
	aboveField: "failed_attempts", above: 20,
}

// detUsersFailingFromIP restates "AWS Multiple Users Failing To
// Authenticate From Ip", which has no threshold: a row for every address
// with a failed console sign-in in ten minutes.
var detUsersFailingFromIP = statsSearch{
	match: failedSignin, span: 10 * time.Minute,
	by:   []string{"_time", "src_ip"},
	aggs: []statsAgg{{"dc", "user_name", "unique_accounts"}, {"values", "user_name", "tried_accounts"}},
}

// detHighFailedForUser restates "AWS High Number Of Failed Authentications
// For User": more than 20 failed console sign-ins of one user name in ten
// minutes.
var detHighFailedForUser = statsSearch{
	match: failedSignin, span: 10 * time.Minute,
	by:         []string{"_time", "user_name", "eventName", "eventSource", "aws_account_id"},
	aggs:       []statsAgg{{"dc_raw", "", "failed_attempts"}, {"values", "src_ip", "src_ip"}, {"values", "user_agent", "values(user_agent)"}},
	aboveField: "failed_attempts", above: 20,
}

// detMFAChallengeFailed restates "AWS Console Login Failed During MFA
// Challenge": every console sign-in that failed with MFA used.
var detMFAChallengeFailed = statsSearch{
	match: failedMFA,
	by: []string{"src", "eventName", "eventSource", "aws_account_id", "errorCode", "errorMessage", "userAgent", "eventID", "awsRegion",
		"user_name", "userIdentity.arn"},
	aggs: []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}},
}

// detMFARequests restates "AWS Multiple Failed MFA Requests For User":
// more than ten failed MFA sign-ins of one user in five minutes.
var detMFARequests = statsSearch{
	match: failedMFA, span: 5 * time.Minute,
	by:         []string{"_time", "user_name", "user_arn", "aws_account_id", "eventName", "errorMessage"},
	aggs:       []statsAgg{{"dc_raw", "", "mfa_prompts"}, {"values", "userAgent", "userAgent"}, {"values", "src", "src"}},
	aboveField: "mfa_prompts", above: 10,
}

// detSingleFactor restates "AWS Successful Single-Factor Authentication":
// a console sign-in that succeeded without MFA.
var detSingleFactor = statsSearch{
	match: func(r *record) bool {
		return r.EventName == "ConsoleLogin" && ctField(r, "errorCode")[0] == "success" && slices.Equal(raw(r, "additionalEventData.MFAUsed"), []string{"No"})
	},
	by: []string{"src", "eventName", "eventSource", "aws_account_id", "errorCode", "additionalEventData.MFAUsed", "userAgent", "eventID",
		"awsRegion", "user_name", "userIdentity.arn"},
	aggs: []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}},
}

// detMultipleIPs restates "AWS Successful Console Authentication From
// Multiple IPs": one user ARN signing in to the console from more than one
// address in five minutes (a failed sign-in has no ARN: stats drops it).
var detMultipleIPs = statsSearch{
	match: func(r *record) bool { return r.EventName == "ConsoleLogin" }, span: 5 * time.Minute,
	by: []string{"_time", "user_arn"},
	aggs: []statsAgg{{"values", "userAgent", "userAgent"}, {"values", "eventName", "eventName"}, {"values", "src_ip", "src_ip"},
		{"dc", "src_ip", "distinct_ip_count"}},
	aboveField: "distinct_ip_count", above: 1,
}

func failedSignin(r *record) bool {
	return r.EventName == "ConsoleLogin" && signinField(r, "action") == "failure"
}

func failedMFA(r *record) bool {
	return r.EventName == "ConsoleLogin" && r.ErrorMessage == "Failed authentication" && slices.Equal(raw(r, "additionalEventData.MFAUsed"), []string{"Yes"})
}

// stuffingAttack: credential stuffing against a.kowalski, 24 attempts
// in nine minutes through four proxy addresses, none of which fails more
// than seven times.
func stuffingAttack(b *builder) {
	workday(b, ms(2, 0), 97*time.Second, []int{3, 8})
	proxies := []string{"203.0.113.14", "203.0.113.92", "192.0.2.201", "198.51.100.250"}
	for i := range 24 {
		b.consoleLogin(ms(40, 5+22*i), "a.kowalski", proxies[i%len(proxies)], firefoxWin, signinWrongPass, true)
	}
}

// stuffingBenign: a user whose saved password went stale retries twenty
// times in ten minutes (not more than twenty), and another fails 15 times
// across two ten-minute buckets.
func stuffingBenign(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{0, 5, 12})
	for i := range 20 {
		b.consoleLogin(ms(30, 3+28*i), "p.silva", "192.0.2.177", firefoxWin, signinWrongPass, true)
	}
	for i := range 15 {
		b.consoleLogin(ms(44, 0+50*i), "f.rossi", "192.0.2.219", chromeWin, signinWrongPass, true)
	}
}

// mfaAttack: with j.rivera's phished password, an attacker at
// 203.0.113.150 passes the password step and guesses MFA codes, 12 times
// in four minutes; the account's own users mistype a code now and then.
func mfaAttack(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{4})
	b.consoleLogin(ms(3, 50), "t.nguyen", "198.51.100.161", chromeWin, signinWrongMFA, true)
	for i := range 12 {
		b.consoleLogin(ms(35, 4+19*i), "j.rivera", "203.0.113.150", chromeWin, signinWrongMFA, true)
	}
}

// mfaBenign: every MFA code is right; passwords are mistyped (MFAUsed is
// No on those), and a user without MFA signs in.
func mfaBenign(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{1, 6, 10})
	for i := range 12 {
		b.consoleLogin(ms(35, 4+19*i), "b.ivanova", "192.0.2.244", firefoxWin, signinWrongPass, true)
	}
}

// sfaAttack: a user without MFA, intern-sandbox, has its password
// guessed and is signed in to from 203.0.113.61.
func sfaAttack(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, nil)
	for i := range 3 {
		b.consoleLogin(ms(28, 2+17*i), "intern-sandbox", "203.0.113.61", firefoxWin, signinWrongPass, false)
	}
	b.consoleLogin(ms(29, 40), "intern-sandbox", "203.0.113.61", firefoxWin, signinOK, false)
	b.call(ms(30, 12), iamUser("intern-sandbox", "203.0.113.61", firefoxWin), b.region, "sts:GetCallerIdentity", nil, nil)
}

// sfaBenign: every successful sign-in uses MFA; failed ones (MFAUsed No)
// are not sign-ins.
func sfaBenign(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{2, 9})
	for i := range 3 {
		b.consoleLogin(ms(28, 2+17*i), "intern-sandbox", "10.8.14.60", firefoxWin, signinWrongPass, false)
	}
}

// multipleIPsAttack: j.rivera signs in from home, and two minutes later
// an attacker with the phished password and a relayed MFA code signs in
// as j.rivera from 203.0.113.77.
func multipleIPsAttack(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{7})
	b.consoleLogin(ms(32, 40), "j.rivera", "198.51.100.14", chromeWin, signinOK, true)
	b.consoleLogin(ms(34, 2), "j.rivera", "203.0.113.77", firefoxWin, signinOK, true)
}

// multipleIPsBenign: j.rivera signs in from home and, an hour later, from
// the office; in the same five minutes as the home sign-in, someone fails
// to sign in as j.rivera from another address (a failed sign-in carries
// no ARN).
func multipleIPsBenign(b *builder) {
	workday(b, ms(1, 0), 97*time.Second, []int{7})
	b.consoleLogin(ms(2, 3), "j.rivera", "203.0.113.77", firefoxWin, signinWrongPass, true)
	b.consoleLogin(ms(43, 10), "j.rivera", "10.8.14.22", chromeWin, signinOK, true)
}
