package attackdata

import (
	"strconv"
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// ESCU's CloudTrail detections of data leaving by AWS's own copy services
// (S3 Batch Operations, S3 replication, DataSync), of a session used from
// two places, and of discovery by a key that has no rights.

var (
	// detBatchJob: `cloudtrail` eventName = JobCreated | stats count
	// min(_time) as firstTime max(_time) as lastTime values(serviceEventDetails.jobArn)
	// as job_arn values(serviceEventDetails.status) as status by src_ip
	// aws_account_id eventName errorCode userAgent.
	detBatchJob = statsSearch{
		match: func(r *record) bool { return r.EventName == "JobCreated" },
		by:    []string{"src_ip", "aws_account_id", "eventName", "errorCode", "userAgent"},
		aggs:  append(countFirstLast[:3:3], statsAgg{"values", "serviceEventDetails.jobArn", "job_arn"}, statsAgg{"values", "serviceEventDetails.status", "status"}),
	}
	// detReplication: PutBucketReplication, its request parameters renamed
	// to the top level, grouped by the event's own _time.
	detReplication = statsSearch{
		match: isCall("s3.amazonaws.com", "PutBucketReplication"),
		by:    []string{"_time", "user_arn", "userName", "user_type", "src_ip", "aws_account_id", "userIdentity.principalId", "user_agent"},
		aggs: []statsAgg{{"count", "", "count"}, {"values", "bucketName", "source_bucket"}, {"values", "ReplicationConfiguration.Rule.ID", "rule_id"},
			{"values", "ReplicationConfiguration.Rule.Destination.Bucket", "destination_bucket"}},
		from: map[string]string{"bucketName": "requestParameters.bucketName", "ReplicationConfiguration.Rule.ID": "requestParameters.ReplicationConfiguration.Rule.ID",
			"ReplicationConfiguration.Rule.Destination.Bucket": "requestParameters.ReplicationConfiguration.Rule.Destination.Bucket"},
	}
	detDataSync = statsSearch{
		match: isCall("datasync.amazonaws.com", "CreateTask"),
		by: []string{"src_ip", "aws_account_id", "awsRegion", "eventName", "destinationLocationArn", "sourceLocationArn", "userAgent", "user_arn",
			"userIdentity.principalId", "errorCode"},
		aggs: countFirstLast,
		from: map[string]string{"destinationLocationArn": "requestParameters.destinationLocationArn", "sourceLocationArn": "requestParameters.sourceLocationArn"},
	}
	detConcurrentSessions = statsSearch{
		match: func(r *record) bool {
			return r.EventName == "DescribeEventAggregates" && r.SourceIPAddress != "AWS Internal"
		},
		span: 5 * time.Minute,
		by:   []string{"_time", "user_arn"},
		aggs: []statsAgg{{"values", "userAgent", "values(userAgent)"}, {"values", "eventName", "values(eventName)"}, {"values", "src_ip", "src_ip"},
			{"dc", "src_ip", "distinct_ip_count"}},
		aboveField: "distinct_ip_count", above: 1,
	}
	// detDeniedDiscovery: at least five AccessDenied calls by an IAM user
	// from one address in an hour (`where failures >= 5`).
	detDeniedDiscovery = statsSearch{
		match: func(r *record) bool {
			if r.ErrorCode != "AccessDenied" || !notService(r) {
				return false
			}
			t := ctField(r, "user_type")
			return len(t) == 1 && t[0] == "IAMUser"
		},
		span:       time.Hour,
		by:         []string{"src_ip", "userIdentity.arn", "_time"},
		aggs:       []statsAgg{{"count", "", "failures"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}, {"dc", "eventName", "methods"}, {"dc", "eventSource", "sources"}},
		aboveField: "failures", above: 4,
	}
)

// serviceEvent records an event a service writes itself (eventType
// AwsServiceEvent): no caller, no request, its details in
// serviceEventDetails.
func (b *builder) serviceEvent(at time.Duration, svc, name string, details cloudtrail.Obj) *record {
	s := services[svc]
	r := &record{Record: cloudtrail.Record{
		EventVersion: "1.05", UserIdentity: cloudtrail.Obj{{"accountId", account}, {"invokedBy", s.source}}, EventSource: s.source, EventName: name,
		AwsRegion: b.region, SourceIPAddress: s.source, UserAgent: s.source, EventType: "AwsServiceEvent", ManagementEvent: true,
		RecipientAccountID: account, ServiceEventDetails: details, EventCategory: "Management",
	}, at: b.start.Add(at), seq: len(b.recs), svc: svc}
	r.EventTime = r.at.UTC().Format(timeLayout)
	r.EventID = b.uuid()
	b.recs = append(b.recs, r)
	return r
}

// exfilAttack: with the pipeline role's stolen credentials the intruder
// copies the curated data out three ways: an S3 Batch Operations copy job,
// a replication rule to its own bucket, and a DataSync task.
func exfilAttack(b *builder) {
	r := b.region
	a := &actor{b.env.pipeline.id, "203.0.113.45", boto3Kali}
	job := "e1d0b7c2-4f6a-4b1e-9d3c-8a2f5e6b7c90"
	b.call(ms(14, 0), a, r, "s3:ListBuckets", obj{{"Host", "s3." + r + ".amazonaws.com"}}, nil)
	b.serviceEvent(ms(15, 2), "s3", "JobCreated", cloudtrail.Obj{{"jobId", job}, {"jobArn", "arn:aws:s3:" + r + ":" + account + ":job/" + job},
		{"status", "New"}, {"jobEventId", "b3c9f1a2d4e5f6a7b8c9d0e1f2a3b4c5"}, {"failureCodes", []any{}}, {"statusChangeReason", []any{}}})
	b.call(ms(17, 30), a, r, "s3:PutBucketReplication", obj{{"bucketName", "corp-ml-datasets"}, {"Host", "corp-ml-datasets.s3." + r + ".amazonaws.com"}, {"replication", ""},
		{"ReplicationConfiguration", obj{{"xmlns", "http://s3.amazonaws.com/doc/2006-03-01/"}, {"Role", "arn:aws:iam::" + account + ":role/DataPipelineRole"},
			{"Rule", obj{{"ID", "sync-offsite"}, {"Status", "Enabled"}, {"Prefix", ""}, {"Destination", obj{{"Bucket", "arn:aws:s3:::offsite-backup-7f3k2"}}}}}}}}, nil)
	src := "arn:aws:datasync:" + r + ":" + account + ":location/loc-0a1b2c3d4e5f60718"
	dst := "arn:aws:datasync:" + r + ":" + account + ":location/loc-0f9e8d7c6b5a40312"
	b.call(ms(19, 4), a, r, "datasync:CreateLocationS3", obj{{"s3BucketArn", "arn:aws:s3:::offsite-backup-7f3k2"}, {"s3Config", obj{{"bucketAccessRoleArn", "arn:aws:iam::" + account + ":role/DataPipelineRole"}}}},
		obj{{"locationArn", dst}})
	b.call(ms(19, 40), a, r, "datasync:CreateTask", obj{{"sourceLocationArn", src}, {"destinationLocationArn", dst}, {"name", "nightly-sync"}},
		obj{{"taskArn", "arn:aws:datasync:" + r + ":" + account + ":task/task-08a9b7c6d5e4f3a21"}})
	b.call(ms(20, 2), a, r, "datasync:StartTaskExecution", obj{{"taskArn", "arn:aws:datasync:" + r + ":" + account + ":task/task-08a9b7c6d5e4f3a21"}}, nil)
}

// exfilBenign: the replication configuration and the DataSync tasks are
// read, an old replication rule removed, a location created, and a batch
// job fails to be created (no JobCreated event follows).
func exfilBenign(b *builder) {
	e, r := b.env, b.region
	b.call(ms(5, 0), e.ci, r, "s3:GetBucketReplication", obj{{"bucketName", "corp-ml-datasets"}, {"Host", "corp-ml-datasets.s3." + r + ".amazonaws.com"}, {"replication", ""}}, nil)
	b.call(ms(5, 30), e.ci, r, "s3:DeleteBucketReplication", obj{{"bucketName", "corp-app-artifacts"}, {"Host", "corp-app-artifacts.s3." + r + ".amazonaws.com"}, {"replication", ""}}, nil)
	b.call(ms(11, 2), e.pipeline, r, "datasync:ListTasks", nil, nil)
	b.call(ms(11, 9), e.pipeline, r, "datasync:DescribeTask", obj{{"taskArn", "arn:aws:datasync:" + r + ":" + account + ":task/task-0123456789abcdef0"}}, nil)
	b.call(ms(23, 0), e.pipeline, r, "datasync:CreateLocationS3", obj{{"s3BucketArn", "arn:aws:s3:::corp-ml-datasets"}}, obj{{"locationArn", "arn:aws:datasync:" + r + ":" + account + ":location/loc-0aaaabbbbccccdddd"}})
	b.call(ms(30, 0), e.ci, r, "s3:ListJobs", nil, nil)
}

// concurrentAttack: the administrator's console session polls the Health
// dashboard from the office; its stolen session cookie is replayed from
// 203.0.113.77 in the same minutes.
func concurrentAttack(b *builder) {
	admin := &actor{b.env.admin.id, b.env.admin.ip, chromeWin}
	thief := &actor{b.env.admin.id, "203.0.113.77", chromeWin}
	for i := range 6 {
		viaConsole(b.call(ms(10+i, 5), admin, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil))
	}
	for i := range 3 {
		viaConsole(b.call(ms(12+i, 40), thief, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil))
	}
}

// concurrentBenign: two people's consoles poll from their own addresses;
// one of them moves from home to the office half an hour later; the
// service's own calls come from AWS Internal.
func concurrentBenign(b *builder) {
	admin := &actor{b.env.admin.id, b.env.admin.ip, chromeWin}
	home := &actor{b.env.admin.id, "198.51.100.37", chromeWin}
	ro := &actor{b.env.readonly.id, b.env.readonly.ip, chromeWin}
	internal := &actor{b.env.admin.id, "AWS Internal", client{kind: "service", base: "AWS Internal"}}
	for i := range 5 {
		viaConsole(b.call(ms(2+i, 10), home, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil))
		viaConsole(b.call(ms(2+i, 20), ro, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil))
		viaConsole(b.call(ms(40+i, 10), admin, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil))
	}
	b.call(ms(41, 30), internal, "us-east-1", "health:DescribeEventAggregates", obj{{"aggregateField", "eventTypeCategory"}}, nil)
}

// discoveryAttack: a leaked key of svc-reporting, which may only read
// reports, probes what it can reach: denied on eight calls over five
// services within the hour (ListRoles is denied too, but the add-on
// gives ListRoles no user_type for an IAM user).
func discoveryAttack(b *builder) {
	a := iamUser("svc-reporting", "198.51.100.23", boto3Kali)
	r := b.region
	b.call(ms(10, 0), a, r, "sts:GetCallerIdentity", nil, nil)
	for i, op := range []string{"s3:ListBuckets", "iam:ListUsers", "iam:ListRoles", "secretsmanager:ListSecrets", "kms:ListKeys", "lambda:ListFunctions20150331",
		"dynamodb:ListTables", "iam:GetAccountAuthorizationDetails", "secretsmanager:GetSecretValue"} {
		var p obj
		switch op {
		case "s3:ListBuckets":
			p = obj{{"Host", "s3." + r + ".amazonaws.com"}}
		case "secretsmanager:GetSecretValue":
			p = obj{{"secretId", "prod/payments/db"}}
		}
		b.call(ms(11, 3+20*i), a, r, op, p, nil).deny("", "")
	}
}

// discoveryBenign: an IAM user denied four times in the hour, an assumed
// role denied ten times (not an IAM user), and CloudFormation's denials.
func discoveryBenign(b *builder) {
	e, r := b.env, b.region
	for i, op := range []string{"s3:ListBuckets", "kms:ListKeys", "dynamodb:ListTables", "secretsmanager:ListSecrets"} {
		var p obj
		if op == "s3:ListBuckets" {
			p = obj{{"Host", "s3." + r + ".amazonaws.com"}}
		}
		b.call(ms(3+9*i, 0), e.dev, r, op, p, nil).deny("", "")
	}
	for i := range 10 {
		b.call(ms(20, 4+30*i), e.app, r, "secretsmanager:GetSecretValue", obj{{"secretId", "prod/app/" + strconv.Itoa(i)}}, nil).deny("", "")
	}
	cfn := &actor{&identity{kind: "AssumedRole", name: "cfn-exec-role", session: "AWSCloudFormation", created: b.start, invokedBy: "cloudformation.amazonaws.com"}, "cloudformation.amazonaws.com", client{kind: "service", base: "cloudformation.amazonaws.com"}}
	for i := range 6 {
		b.call(ms(33, 10*i), cfn, r, "lambda:ListFunctions20150331", nil, nil).deny("", "")
	}
}

// exfilDatasets are the folders of this file's detections.
var exfilDatasets = []dataset{
	{
		dir: "datasets/attack_techniques/T1119/aws_exfil_datasync",
		checks: []check{{name: "AWS Exfiltration via Batch Service", expect: detBatchJob.expect}, {name: "AWS Exfiltration via Bucket Replication", expect: detReplication.expect},
			{name: "AWS Exfiltration via DataSync Task", expect: detDataSync.expect}},
		seed: 1119, region: "us-east-1", start: time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC), noise: 50,
		attack: exfilAttack, benign: exfilBenign,
	},
	{
		dir:    "datasets/attack_techniques/T1185/aws_concurrent_sessions_from_different_ips",
		checks: []check{{name: "AWS Concurrent Sessions From Different Ips", expect: detConcurrentSessions.expect}},
		seed:   1185, region: "us-east-1", start: time.Date(2026, 9, 16, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: concurrentAttack, benign: concurrentBenign,
	},
	{
		dir: "datasets/attack_techniques/T1580/aws_iam_accessdenied_discovery_events", file: "aws_iam_accessdenied_discovery_events.json",
		checks: []check{{name: "AWS IAM AccessDenied Discovery Events", expect: detDeniedDiscovery.expect}},
		seed:   15801, region: "us-east-1", start: time.Date(2026, 9, 18, 9, 0, 0, 0, time.UTC), noise: 50,
		attack: discoveryAttack, benign: discoveryBenign,
	},
}
