package attackdata

import (
	"strconv"
	"strings"
	"time"
)

// ESCU's "AWS Network Access Control List Created with All Open Ports":
//
//	`cloudtrail` eventName=CreateNetworkAclEntry OR eventName=ReplaceNetworkAclEntry
//	  requestParameters.ruleAction=allow requestParameters.egress=false requestParameters.aclProtocol=-1
//	| append [search `cloudtrail` eventName=CreateNetworkAclEntry OR eventName=ReplaceNetworkAclEntry
//	  requestParameters.ruleAction=allow requestParameters.egress=false requestParameters.aclProtocol!=-1
//	  | eval port_range='requestParameters.portRange.to' - 'requestParameters.portRange.from'
//	  | where port_range>1024]
//	| fillnull
//	| stats count min(_time) as firstTime max(_time) as lastTime by userName user_arn userIdentity.principalId eventName
//	  requestParameters.ruleAction requestParameters.egress requestParameters.aclProtocol requestParameters.portRange.to
//	  requestParameters.portRange.from src userAgent requestParameters.cidrBlock | ctime ...
//
// An all-protocols entry has no port range; fillnull writes 0 into the
// port fields when some result has them (an entry of the append), and
// otherwise they stay null and stats drops the entry. The datasets'
// attack files hold both kinds.

// naclBy are the search's BY fields.
var naclBy = []string{"userName", "user_arn", "userIdentity.principalId", "eventName", "requestParameters.ruleAction", "requestParameters.egress",
	"requestParameters.aclProtocol", "requestParameters.portRange.to", "requestParameters.portRange.from", "src", "userAgent", "requestParameters.cidrBlock"}

func detNACLOpenPorts(recs []*record) []Row {
	one := func(r *record, f string) string {
		v := raw(r, f)
		if len(v) != 1 {
			return ""
		}
		return v[0]
	}
	var kept []*record
	for _, r := range recs {
		if r.EventName != "CreateNetworkAclEntry" && r.EventName != "ReplaceNetworkAclEntry" ||
			!strings.EqualFold(one(r, "requestParameters.ruleAction"), "allow") || !strings.EqualFold(one(r, "requestParameters.egress"), "false") {
			continue
		}
		proto := one(r, "requestParameters.aclProtocol")
		if proto == "-1" {
			kept = append(kept, r)
			continue
		}
		from, errF := strconv.Atoi(one(r, "requestParameters.portRange.from"))
		to, errT := strconv.Atoi(one(r, "requestParameters.portRange.to"))
		if proto != "" && errF == nil && errT == nil && to-from > 1024 {
			kept = append(kept, r)
		}
	}
	present := map[string]bool{}
	for _, r := range kept {
		for _, f := range naclBy {
			if len(ctField(r, f)) > 0 {
				present[f] = true
			}
		}
	}
	var rs []result
	for _, r := range kept {
		x := result{r, map[string][]string{}}
		for _, f := range naclBy {
			v := ctField(r, f)
			if len(v) == 0 && present[f] {
				v = []string{"0"}
			}
			x.f[f] = v
		}
		rs = append(rs, x)
	}
	return expandStats(rs, naclBy, countFirstLast)
}

// aclRule records a CreateNetworkAclEntry (or, with replace, a
// ReplaceNetworkAclEntry) of an inbound or outbound rule; protocol "-1"
// is every protocol and has no port range.
func aclRule(b *builder, at time.Duration, a *actor, replace bool, acl string, rule int, egress bool, action, protocol string, from, to int, cidr string) *record {
	ports := obj{}
	if protocol != "-1" {
		ports = obj{{"from", from}, {"to", to}}
	}
	op := "ec2:CreateNetworkAclEntry"
	if replace {
		op = "ec2:ReplaceNetworkAclEntry"
	}
	return b.call(at, a, b.region, op, obj{{"networkAclId", acl}, {"ruleNumber", rule}, {"egress", egress}, {"ruleAction", action}, {"icmpTypeCode", obj{}},
		{"portRange", ports}, {"aclProtocol", protocol}, {"cidrBlock", cidr}}, obj{{"requestId", b.uuid()}, {"_return", true}})
}

// openACLAttack: the intruder lets every protocol in from anywhere on the
// production subnets' network ACL, replaces an SSH rule with all TCP
// ports from its own address, and is denied on the data subnets' ACL
// (the search does not read errorCode: the denied call is a row too).
func openACLAttack(b *builder) {
	a := intruder("198.51.100.61")
	const prod, data = "acl-0b1e7c93f4d2a6e15", "acl-07d3a9e2c5b1f8640"
	b.call(ms(9, 0), a, b.region, "ec2:DescribeNetworkAcls", obj{{"networkAclIdSet", obj{}}, {"filterSet", obj{}}}, nil)
	aclRule(b, ms(9, 40), a, false, prod, 90, false, "allow", "-1", 0, 0, "0.0.0.0/0")
	aclRule(b, ms(10, 15), a, true, prod, 110, false, "allow", "6", 0, 65535, "198.51.100.61/32")
	aclRule(b, ms(10, 50), a, false, data, 90, false, "allow", "-1", 0, 0, "0.0.0.0/0").deny("", "")
}

// openACLBenign: an HTTPS rule, a rule for a 1025-port range (1024 wide),
// all traffic out (egress), a deny of all traffic in from a bad range, and
// a deleted entry.
func openACLBenign(b *builder) {
	e := b.env
	const web = "acl-0c4f8a2b6d9e1f375"
	aclRule(b, ms(6, 0), e.ci, false, web, 100, false, "allow", "6", 443, 443, "0.0.0.0/0")
	aclRule(b, ms(6, 5), e.ci, false, web, 110, false, "allow", "6", 32768, 33792, "10.0.0.0/8")
	aclRule(b, ms(6, 10), e.ci, false, web, 100, true, "allow", "-1", 0, 0, "0.0.0.0/0")
	aclRule(b, ms(18, 0), e.admin, false, web, 50, false, "deny", "-1", 0, 0, "203.0.113.0/24")
	b.call(ms(25, 0), e.ci, b.region, "ec2:DeleteNetworkAclEntry", obj{{"networkAclId", web}, {"ruleNumber", 120}, {"egress", false}},
		obj{{"requestId", b.uuid()}, {"_return", true}})
}

// naclDatasets are the folders of this file's detections.
var naclDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1562.007/aws_create_acl", file: "aws_cloudtrail_events.json",
	checks: []check{{name: "AWS Network Access Control List Created with All Open Ports", expect: detNACLOpenPorts, entities: []string{"src", "user_arn"}}},
	seed:   15620071, region: "us-east-1", start: time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC), noise: 50,
	attack: openACLAttack, benign: openACLBenign,
}}
