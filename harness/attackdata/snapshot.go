package attackdata

import (
	"slices"
	"sort"
	"time"
)

// ESCU's CloudTrail detections of EC2 snapshots and images shared out of
// the account, and of network ACL rules deleted.

const outsider = "444455556666" // an account that is not ours

// detSnapshotShared restates "AWS EC2 Snapshot Shared Externally":
//
//	`cloudtrail` eventName=ModifySnapshotAttribute
//	| rename requestParameters.createVolumePermission.add.items{}.userId as requested_account_id
//	| search requested_account_id != NULL
//	| eval match=if(requested_account_id==aws_account_id,"Match","No Match")
//	| table _time user_arn src_ip requestParameters.attributeType requested_account_id aws_account_id match vendor_region user_agent userIdentity.principalId
//	| where match = "No Match"
//
// table keeps the events' order, newest first; `!= NULL` compares with
// the string NULL, so it keeps every event that has the field.
func detSnapshotShared(recs []*record) []Row {
	var hits []*record
	for _, r := range recs {
		if r.EventName != "ModifySnapshotAttribute" {
			continue
		}
		ids := raw(r, "requestParameters.createVolumePermission.add.items{}.userId")
		if len(ids) != 1 || ids[0] == "NULL" { // the datasets share with one account at a time
			continue
		}
		if ids[0] == ctField(r, "aws_account_id")[0] {
			continue
		}
		hits = append(hits, r)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at.After(hits[j].at) })
	rows := []Row{}
	for _, r := range hits {
		row := Row{{"_time", []string{r.at.UTC().Format("2006-01-02T15:04:05.000+00:00")}}}
		for _, f := range [][2]string{{"user_arn", "user_arn"}, {"src_ip", "src_ip"}, {"requestParameters.attributeType", "requestParameters.attributeType"},
			{"requested_account_id", "requestParameters.createVolumePermission.add.items{}.userId"}, {"aws_account_id", "aws_account_id"}} {
			if v := ctField(r, f[1]); len(v) > 0 {
				row = append(row, Field{f[0], v})
			}
		}
		row = append(row, Field{"match", []string{"No Match"}})
		for _, f := range []string{"vendor_region", "user_agent", "userIdentity.principalId"} {
			if v := ctField(r, f); len(v) > 0 {
				row = append(row, Field{f, v})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

var (
	detSnapshotExfil = statsSearch{
		match: func(r *record) bool {
			return slices.Contains([]string{"CreateSnapshot", "DescribeSnapshotAttribute", "ModifySnapshotAttribute", "DeleteSnapshot"}, r.EventName) &&
				r.SourceIPAddress != "guardduty.amazonaws.com"
		},
		span: 5 * time.Minute,
		by:   []string{"_time", "userName", "src_ip", "aws_account_id"},
		aggs: []statsAgg{{"count", "", "count"}, {"dc", "eventName", "distinct_api_calls"}, {"values", "eventName", "values(eventName)"},
			{"values", "requestParameters.attributeType", "attributeType"}, {"values", "requestParameters.createVolumePermission.add.items{}.userId", "aws_account_id_added"},
			{"values", "userAgent", "userAgent"}},
		aboveField: "distinct_api_calls", above: 1,
	}
	detNACLDeleted = statsSearch{
		match: func(r *record) bool {
			return r.EventName == "DeleteNetworkAclEntry" && slices.Equal(raw(r, "requestParameters.egress"), []string{"false"})
		},
		by:   []string{"user_arn", "userIdentity.principalId", "eventName", "requestParameters.egress", "src", "userAgent"},
		aggs: countFirstLast,
	}
)

func snapshotID(n int) string { return "snap-0" + awsID("snap"+string(rune('a'+n)), 16) }

// shareSnapshot records a ModifySnapshotAttribute that adds (or, with
// remove, removes) an account's permission to create volumes from a
// snapshot.
func shareSnapshot(b *builder, at time.Duration, a *actor, snap, acct string, remove bool) *record {
	op := "add"
	if remove {
		op = "remove"
	}
	return b.call(at, a, b.region, "ec2:ModifySnapshotAttribute", obj{{"snapshotId", snap}, {"createVolumePermission", obj{{op, obj{{"items", []any{obj{{"userId", acct}}}}}}}},
		{"attributeType", "CREATE_VOLUME_PERMISSION"}}, obj{{"requestId", b.uuid()}, {"_return", true}})
}

// snapshotAttack: the intruder snapshots the database server's volume,
// shares the snapshot with its own account, checks the share, and
// deletes the snapshot once copied.
func snapshotAttack(b *builder) {
	a := intruder("203.0.113.45")
	snap := snapshotID(0)
	b.call(ms(30, 5), a, b.region, "ec2:CreateSnapshot", obj{{"volumeId", "vol-0" + awsID("vol-db", 16)}, {"description", "backup"}},
		obj{{"snapshotId", snap}, {"status", "pending"}})
	shareSnapshot(b, ms(31, 10), a, snap, outsider, false)
	b.call(ms(31, 40), a, b.region, "ec2:DescribeSnapshotAttribute", obj{{"snapshotId", snap}, {"attributeType", "CREATE_VOLUME_PERMISSION"}}, nil)
	b.call(ms(38, 2), a, b.region, "ec2:DeleteSnapshot", obj{{"snapshotId", snap}}, nil)
}

// snapshotBenign: the nightly backup creates snapshots, one per ten
// minutes; a snapshot is shared with the account itself (a copy between
// its regions); a share with another account is removed; GuardDuty's
// malware scan snapshots and shares from guardduty.amazonaws.com.
func snapshotBenign(b *builder) {
	e := b.env
	for i := range 3 {
		b.call(ms(2+10*i, 0), e.pipeline, b.region, "ec2:CreateSnapshot", obj{{"volumeId", "vol-0" + awsID("vol-"+string(rune('a'+i)), 16)}, {"description", "nightly"}},
			obj{{"snapshotId", snapshotID(5 + i)}, {"status", "pending"}})
	}
	shareSnapshot(b, ms(7, 0), e.ci, snapshotID(5), account, false)
	shareSnapshot(b, ms(40, 0), e.admin, snapshotID(6), outsider, true)
	gd := &actor{&identity{kind: "AssumedRole", name: "AWSServiceRoleForAmazonGuardDutyMalwareProtection", session: "GuardDutyMalwareScan", created: b.start, invokedBy: "guardduty.amazonaws.com"},
		"guardduty.amazonaws.com", client{kind: "service", base: "guardduty.amazonaws.com"}}
	b.call(ms(44, 0), gd, b.region, "ec2:CreateSnapshot", obj{{"volumeId", "vol-0" + awsID("vol-gd", 16)}}, obj{{"snapshotId", snapshotID(9)}})
	b.call(ms(44, 30), gd, b.region, "ec2:DeleteSnapshot", obj{{"snapshotId", snapshotID(9)}}, nil)
}

// naclAttack: the intruder deletes the inbound deny rules of the
// production subnet's network ACL.
func naclAttack(b *builder) {
	a := intruder("198.51.100.61")
	acl := "acl-0" + awsID("acl-prod", 16)
	b.call(ms(9, 0), a, b.region, "ec2:DescribeNetworkAcls", obj{{"networkAclIdSet", obj{}}, {"filterSet", obj{}}}, nil)
	for i, n := range []int{90, 95} {
		b.call(ms(9, 30+20*i), a, b.region, "ec2:DeleteNetworkAclEntry", obj{{"networkAclId", acl}, {"ruleNumber", n}, {"egress", false}}, obj{{"requestId", b.uuid()}, {"_return", true}})
	}
}

// naclBenign: CI replaces an inbound rule, deletes an outbound one, and
// adds another.
func naclBenign(b *builder) {
	e := b.env
	acl := "acl-0" + awsID("acl-dev", 16)
	b.call(ms(11, 0), e.ci, b.region, "ec2:ReplaceNetworkAclEntry", obj{{"networkAclId", acl}, {"ruleNumber", 100}, {"egress", false}, {"ruleAction", "allow"},
		{"icmpTypeCode", obj{}}, {"portRange", obj{{"from", 443}, {"to", 443}}}, {"aclProtocol", "6"}, {"cidrBlock", "10.0.0.0/8"}}, nil)
	b.call(ms(11, 20), e.ci, b.region, "ec2:DeleteNetworkAclEntry", obj{{"networkAclId", acl}, {"ruleNumber", 120}, {"egress", true}}, nil)
	b.call(ms(11, 40), e.ci, b.region, "ec2:CreateNetworkAclEntry", obj{{"networkAclId", acl}, {"ruleNumber", 130}, {"egress", false}, {"ruleAction", "deny"},
		{"icmpTypeCode", obj{}}, {"portRange", obj{{"from", 22}, {"to", 22}}}, {"aclProtocol", "6"}, {"cidrBlock", "0.0.0.0/0"}}, nil)
}

var snapshotDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1537/aws_snapshot_exfil", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS EC2 Snapshot Shared Externally", expect: detSnapshotShared, entities: []string{"requested_account_id"}},
			{name: "AWS Exfiltration via EC2 Snapshot", expect: detSnapshotExfil.expect}},
		seed: 1537, region: "us-east-1", start: time.Date(2026, 9, 22, 1, 0, 0, 0, time.UTC), noise: 50,
		attack: snapshotAttack, benign: snapshotBenign,
	},
	{
		dir: "datasets/attack_techniques/T1562.007/aws_delete_acl", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS Network Access Control List Deleted", expect: detNACLDeleted.expect}},
		seed:   15620071, region: "us-east-1", start: time.Date(2026, 9, 24, 1, 0, 0, 0, time.UTC), noise: 50,
		attack: naclAttack, benign: naclBenign,
	},
}
