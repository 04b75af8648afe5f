package attackdata

import (
	"slices"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// ESCU's CloudTrail detections of S3 bucket versioning suspended and of
// an AMI made public.

var (
	// detVersioningSuspended: `cloudtrail` eventName=PutBucketVersioning
	// "requestParameters.VersioningConfiguration.Status"=Suspended | stats
	// count values(requestParameters.bucketName) as bucket_name
	// values(resources{}.ARN) as resource_arn by src_ip aws_account_id
	// awsRegion eventName userAgent user_arn userIdentity.principalId
	// errorCode (its ctime of firstTime and lastTime finds no such fields).
	detVersioningSuspended = statsSearch{
		match: func(r *record) bool {
			v := raw(r, "requestParameters.VersioningConfiguration.Status")
			return r.EventName == "PutBucketVersioning" && len(v) == 1 && v[0] == "Suspended"
		},
		by:   []string{"src_ip", "aws_account_id", "awsRegion", "eventName", "userAgent", "user_arn", "userIdentity.principalId", "errorCode"},
		aggs: []statsAgg{{"count", "", "count"}, {"values", "requestParameters.bucketName", "bucket_name"}, {"values", "resources{}.ARN", "resource_arn"}},
	}
	// detAMIPublic: ModifyImageAttribute adding launch permission for the
	// group all (the datasets' events add a group, so ami_status's
	// match(group_added, "all") always has a value to read).
	detAMIPublic = statsSearch{
		match: func(r *record) bool {
			return r.EventName == "ModifyImageAttribute" && (len(raw(r, "requestParameters.launchPermission.add.items{}.userId")) > 0 ||
				slices.Contains(raw(r, "requestParameters.launchPermission.add.items{}.group"), "all"))
		},
		by: []string{"src_ip", "region", "eventName", "userAgent", "user_arn", "aws_account_id", "userIdentity.principalId"},
		aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.launchPermission.add.items{}.group", "values(group_added)"},
			statsAgg{"values", "requestParameters.launchPermission.add.items{}.userId", "accounts_added"}, statsAgg{"values", "=Public AMI", "values(ami_status)"}),
	}
)

// putVersioning records a PutBucketVersioning of bucket to status.
func putVersioning(b *builder, at time.Duration, a *actor, bucket, status string) *record {
	r := b.call(at, a, b.region, "s3:PutBucketVersioning", obj{{"bucketName", bucket}, {"Host", bucket + ".s3." + b.region + ".amazonaws.com"}, {"versioning", ""},
		{"VersioningConfiguration", obj{{"xmlns", "http://s3.amazonaws.com/doc/2006-03-01/"}, {"Status", status}}}}, nil)
	r.Resources = []cloudtrail.Obj{{{"accountId", account}, {"type", "AWS::S3::Bucket"}, {"ARN", "arn:aws:s3:::" + bucket}}}
	return r
}

// versioningAttack: before encrypting the data for ransom, the intruder
// suspends versioning on two buckets, so that old versions cannot bring
// it back.
func versioningAttack(b *builder) {
	a := intruder("203.0.113.45")
	b.call(ms(10, 0), a, b.region, "s3:ListBuckets", obj{{"Host", "s3." + b.region + ".amazonaws.com"}}, nil)
	putVersioning(b, ms(10, 30), a, "corp-ml-datasets", "Suspended")
	putVersioning(b, ms(10, 52), a, "corp-app-artifacts", "Suspended")
}

// versioningBenign: versioning is enabled on a new bucket, read, and a
// lifecycle rule expires old versions.
func versioningBenign(b *builder) {
	e := b.env
	putVersioning(b, ms(8, 0), e.ci, "corp-reports-2026", "Enabled")
	b.call(ms(8, 20), e.ci, b.region, "s3:GetBucketVersioning", obj{{"bucketName", "corp-reports-2026"}, {"Host", "corp-reports-2026.s3." + b.region + ".amazonaws.com"}, {"versioning", ""}}, nil)
	b.call(ms(25, 0), e.ci, b.region, "s3:PutBucketLifecycle", obj{{"bucketName", "corp-reports-2026"}, {"Host", "corp-reports-2026.s3." + b.region + ".amazonaws.com"}, {"lifecycle", ""}}, nil)
}

// amiAttack: the intruder makes the golden AMI public, to launch it from
// its own account.
func amiAttack(b *builder) {
	a := intruder("198.51.100.61")
	img := "ami-0" + awsID("ami-golden", 16)
	b.call(ms(14, 0), a, b.region, "ec2:DescribeImages", obj{{"imagesSet", obj{}}, {"ownersSet", obj{{"items", []any{obj{{"owner", "self"}}}}}}}, nil)
	b.call(ms(14, 40), a, b.region, "ec2:ModifyImageAttribute", obj{{"imageId", img}, {"launchPermission", obj{{"add", obj{{"items", []any{obj{{"group", "all"}}}}}}}},
		{"attributeType", "launchPermission"}}, obj{{"requestId", b.uuid()}, {"_return", true}})
}

// amiBenign: an AMI's description is changed, and a public launch
// permission removed.
func amiBenign(b *builder) {
	e := b.env
	img := "ami-0" + awsID("ami-build", 16)
	b.call(ms(6, 0), e.ci, b.region, "ec2:ModifyImageAttribute", obj{{"imageId", img}, {"description", obj{{"value", "golden image 2026-10"}}}, {"attributeType", "description"}}, nil)
	b.call(ms(21, 0), e.admin, b.region, "ec2:ModifyImageAttribute", obj{{"imageId", img}, {"launchPermission", obj{{"remove", obj{{"items", []any{obj{{"group", "all"}}}}}}}},
		{"attributeType", "launchPermission"}}, nil)
}

var s3amiDatasets = []dataset{
	{
		dir:    "datasets/attack_techniques/T1490/aws_bucket_version",
		checks: []check{{name: "AWS Disable Bucket Versioning", expect: detVersioningSuspended.expect}},
		seed:   1490, region: "us-east-1", start: time.Date(2026, 10, 8, 3, 0, 0, 0, time.UTC), noise: 50,
		attack: versioningAttack, benign: versioningBenign,
	},
	{
		dir: "datasets/attack_techniques/T1537/aws_ami_shared_public", file: "aws_cloudtrail_events.json",
		checks: []check{{name: "AWS AMI Attribute Modification for Exfiltration", expect: detAMIPublic.expect}},
		seed:   15371, region: "us-east-1", start: time.Date(2026, 10, 12, 3, 0, 0, 0, time.UTC), noise: 50,
		attack: amiAttack, benign: amiBenign,
	},
}
