package attackdata

import (
	"time"

	"github.com/splharness/splharness/harness/internal/cloudtrail"
)

// ESCU's "AWS Detect Users with KMS keys performing encryption S3":
// objects copied onto themselves with server-side encryption under a KMS
// key (ransomware with a key the victim does not control).
//
//	`cloudtrail` eventName=CopyObject requestParameters.x-amz-server-side-encryption="aws:kms"
//	| rename requestParameters.bucketName AS bucketName, requestParameters.x-amz-copy-source AS src_file,
//	  requestParameters.key AS dest_file
//	| stats count min(_time) as firstTime max(_time) as lastTime values(bucketName) as bucketName
//	  values(src_file) AS src_file values(dest_file) AS dest_file values(userAgent) AS userAgent
//	  values(region) AS region values(src) AS src by user | ctime ...
//
// user is the add-on's: an IAM user's name; an assumed role's call has
// none and drops out.
var detS3KMSEncrypt = statsSearch{
	match: func(r *record) bool {
		v := raw(r, "requestParameters.x-amz-server-side-encryption")
		return r.EventName == "CopyObject" && len(v) == 1 && v[0] == "aws:kms"
	},
	by: []string{"user"},
	aggs: append(countFirstLast[:3:3], statsAgg{"values", "requestParameters.bucketName", "bucketName"}, statsAgg{"values", "requestParameters.x-amz-copy-source", "src_file"},
		statsAgg{"values", "requestParameters.key", "dest_file"}, statsAgg{"values", "userAgent", "userAgent"}, statsAgg{"values", "region", "region"},
		statsAgg{"values", "src", "src"}),
}

// s3DataEvent records an S3 object-level call, a data event, on key of
// bucket.
func s3DataEvent(b *builder, at time.Duration, a *actor, op, bucket, key string, params obj) *record {
	p := append(obj{{"bucketName", bucket}, {"Host", bucket + ".s3." + b.region + ".amazonaws.com"}}, params...)
	p = append(p, cloudtrail.KV{"key", key})
	r := b.call(at, a, b.region, op, p, nil)
	r.ManagementEvent, r.EventCategory = false, "Data"
	r.AdditionalEventData = obj{{"SignatureVersion", "SigV4"}, {"CipherSuite", "TLS_AES_128_GCM_SHA256"}, {"bytesTransferredIn", 0}, {"AuthenticationMethod", "AuthHeader"},
		{"x-amz-id-2", b.token(24)}, {"bytesTransferredOut", 0}}
	r.Resources = []cloudtrail.Obj{{{"type", "AWS::S3::Object"}, {"ARN", "arn:aws:s3:::" + bucket + "/" + key}},
		{{"accountId", account}, {"type", "AWS::S3::Bucket"}, {"ARN", "arn:aws:s3:::" + bucket}}}
	return r
}

// copyEncrypted records a CopyObject of an object onto itself with
// server-side encryption sse ("aws:kms" with key, or "AES256").
func copyEncrypted(b *builder, at time.Duration, a *actor, bucket, key, sse, kmsKey string) *record {
	p := obj{{"x-amz-server-side-encryption", sse}}
	if kmsKey != "" {
		p = append(p, cloudtrail.KV{"x-amz-server-side-encryption-aws-kms-key-id", kmsKey})
	}
	p = append(p, cloudtrail.KV{"x-amz-copy-source", bucket + "/" + key})
	r := s3DataEvent(b, at, a, "s3:CopyObject", bucket, key, p)
	resp := obj{{"x-amz-server-side-encryption", sse}}
	if kmsKey != "" {
		resp = append(resp, cloudtrail.KV{"x-amz-server-side-encryption-aws-kms-key-id", kmsKey})
	}
	r.ResponseElements = resp
	return r
}

// s3KMSAttack: with the CI user's leaked key, the intruder re-encrypts
// the datasets bucket's objects under a KMS key of its own account.
func s3KMSAttack(b *builder) {
	a := intruder("203.0.113.45")
	const key = "arn:aws:kms:us-east-1:222222222222:key/5b7e9c1d-3a2f-4e6b-8d0c-1f2e3d4c5b6a"
	b.call(ms(20, 0), a, b.region, "s3:ListObjects", obj{{"bucketName", "corp-ml-datasets"}, {"Host", "corp-ml-datasets.s3." + b.region + ".amazonaws.com"}, {"list-type", "2"}}, nil)
	for i, k := range []string{"curated/train.parquet", "curated/test.parquet", "raw/2026-10.csv.gz"} {
		copyEncrypted(b, ms(20, 30+10*i), a, "corp-ml-datasets", k, "aws:kms", key)
	}
	copyEncrypted(b, ms(21, 20), a, "corp-app-artifacts", "release/payments-api-3.2.0.tar.gz", "aws:kms", key)
}

// s3KMSBenign: a copy re-encrypted with S3-managed keys (AES256), the
// pipeline's copies under the account's bucket key (an assumed role: no
// user), and an upload encrypted under KMS (PutObject).
func s3KMSBenign(b *builder) {
	e := b.env
	const own = "arn:aws:kms:us-east-1:111111111111:key/7f0c2a61-3b7e-4d42-9a55-0c8e3f9b1d27"
	copyEncrypted(b, ms(7, 0), e.dev, "corp-reports-2026", "q3/summary.pdf", "AES256", "")
	copyEncrypted(b, ms(12, 0), e.pipeline, "corp-ml-datasets", "curated/features.parquet", "aws:kms", own)
	copyEncrypted(b, ms(12, 5), e.pipeline, "corp-ml-datasets", "curated/labels.parquet", "aws:kms", own)
	s3DataEvent(b, ms(15, 0), e.dev, "s3:PutObject", "corp-reports-2026", "q4/draft.pdf",
		obj{{"x-amz-server-side-encryption", "aws:kms"}, {"x-amz-server-side-encryption-aws-kms-key-id", own}})
}

// s3KMSDatasets are the folders of this file's detections.
var s3KMSDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1486/s3_file_encryption", file: "aws_cloudtrail_events.json",
	checks: []check{{name: "AWS Detect Users with KMS keys performing encryption S3", expect: detS3KMSEncrypt.expect, entities: []string{"user"}}},
	seed:   1486002, region: "us-east-1", start: time.Date(2026, 11, 18, 3, 0, 0, 0, time.UTC), noise: 50,
	attack: s3KMSAttack, benign: s3KMSBenign,
}}
