package knowledge_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/value"
)

// TestAddonLookupRows checks the rows of the built-in CloudTrail lookup
// tables that ESCU's Change and Authentication detections depend on,
// against the Splunk Add-on for AWS 7.0.0 (its lookups, documented at
// https://splunk.github.io/splunk-add-on-for-amazon-web-services/Lookups/:
// aws_cloudtrail_action_status.csv, first match on eventName and
// errorCode with a wildcard errorCode column;
// aws_cloudtrail_eventname_lookup.csv, default_match unknown;
// aws_cloudtrail_eventName_changeType.csv, then
// aws_cloudtrail_changetype.csv by eventSource). "-" is a field the
// lookups leave null.
func TestAddonLookupRows(t *testing.T) {
	k := load(t, builtin())
	tests := []struct {
		eventSource, eventName, errorCode string
		action, status, objectCategory    string
		changeType                        string
	}{
		// The instance calls: Instance_Changes, and the action the
		// previously-unseen and launched/destroyed detections select.
		{"ec2.amazonaws.com", "RunInstances", "", "created", "success", "instance", "virtual_server"},
		{"ec2.amazonaws.com", "RunInstances", "Client.UnauthorizedOperation", "created", "failure", "instance", "virtual_server"},
		{"ec2.amazonaws.com", "TerminateInstances", "", "deleted", "success", "instance", "virtual_server"},
		{"ec2.amazonaws.com", "StartInstances", "", "started", "success", "instance", "virtual_server"},
		{"ec2.amazonaws.com", "StopInstances", "", "stopped", "success", "instance", "virtual_server"},
		{"ec2.amazonaws.com", "RebootInstances", "", "restarted", "success", "instance", "virtual_server"},
		// Security groups are security_group and network ACLs ACL, both
		// change_type firewall; adding or deleting an ACL entry is
		// modified.
		{"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "", "modified", "success", "security_group", "firewall"},
		{"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "Client.UnauthorizedOperation", "modified", "failure", "security_group", "firewall"},
		{"ec2.amazonaws.com", "RevokeSecurityGroupIngress", "", "deleted", "success", "security_group", "firewall"},
		{"ec2.amazonaws.com", "CreateSecurityGroup", "", "created", "success", "security_group", "firewall"},
		{"ec2.amazonaws.com", "DeleteSecurityGroup", "InvalidGroup.InUse", "deleted", "failure", "security_group", "firewall"},
		{"ec2.amazonaws.com", "CreateNetworkAclEntry", "", "modified", "success", "ACL", "firewall"},
		{"ec2.amazonaws.com", "DeleteNetworkAclEntry", "AccessDenied", "modified", "failure", "ACL", "firewall"},
		{"ec2.amazonaws.com", "ReplaceNetworkAclEntry", "", "modified", "success", "ACL", "firewall"},
		// A call the tables do not list: no action or status, the
		// service's change_type, object_category unknown.
		{"ec2.amazonaws.com", "DeleteSnapshot", "", "-", "-", "unknown", "EC2"},
		// IAM: a failed call whose wildcard row says unknown; CreateRole
		// has no object_category row; CreateAccessKey is modified.
		{"iam.amazonaws.com", "CreateRole", "", "created", "success", "unknown", "AAA"},
		{"iam.amazonaws.com", "CreatePolicy", "AccessDenied", "unknown", "failure", "unknown", "AAA"},
		{"iam.amazonaws.com", "CreateAccessKey", "", "modified", "success", "user", "AAA"},
		{"iam.amazonaws.com", "CreateUser", "AccessDenied", "created", "failure", "user", "AAA"},
		{"iam.amazonaws.com", "GetUser", "AccessDenied", "read", "failure", "user", "AAA"},
		// S3: PutBucketAcl is modified (no acl_modified in 7.0.0).
		{"s3.amazonaws.com", "PutBucketAcl", "", "modified", "success", "bucket", "storage"},
		// Authentication calls: success and failure, and no change_type
		// row for the sign-in service.
		{"sts.amazonaws.com", "AssumeRole", "", "success", "success", "unknown", "STS"},
		{"sts.amazonaws.com", "AssumeRole", "AccessDenied", "failure", "failure", "unknown", "STS"},
		{"signin.amazonaws.com", "ConsoleLogin", "", "success", "success", "unknown", "-"},
	}
	for _, tt := range tests {
		name := tt.eventName
		if tt.errorCode != "" {
			name += "/" + tt.errorCode
		}
		t.Run(name, func(t *testing.T) {
			raw := fmt.Sprintf(`{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","userName":"alice","accountId":"111111111111"},"eventTime":"2026-10-13T02:00:00Z","eventSource":%q,"eventName":%q,"awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.24.22","requestParameters":null,"responseElements":null,"eventType":"AwsApiCall","recipientAccountId":"111111111111"`, tt.eventSource, tt.eventName)
			if tt.errorCode != "" {
				raw += fmt.Sprintf(`,"errorCode":%q,"errorMessage":"denied"`, tt.errorCode)
			}
			raw += "}"
			ev := newEvent(raw)
			row := value.NewRow(k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true})))
			get := func(f string) string {
				if v := row.Get(f); !v.IsNull() {
					return v.String()
				}
				return "-"
			}
			want := []string{tt.action, tt.status, tt.objectCategory, tt.changeType}
			got := []string{get("action"), get("status"), get("object_category"), get("change_type")}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("action, status, object_category, change_type (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAddonDirection checks the built-in direction and rule_action against
// the add-on 7.0.0's calculated fields (its props.conf [aws:cloudtrail],
// described in
// https://splunk.github.io/splunk-add-on-for-amazon-web-services/CloudTrailCIMCompatability):
// Inbound for a network ACL entry that is no egress rule and for security
// group ingress, Outbound for egress; the rule action of the response's
// entry before the request's.
func TestAddonDirection(t *testing.T) {
	k := load(t, builtin())
	tests := []struct {
		eventName, request, response string
		direction, ruleAction        string
	}{
		{"CreateNetworkAclEntry", `{"egress":false,"ruleAction":"allow"}`, `null`, "Inbound", "allow"},
		{"ReplaceNetworkAclEntry", `{"egress":true,"ruleAction":"deny"}`, `null`, "Outbound", "deny"},
		{"CreateNetworkAcl", `{"vpcId":"vpc-1"}`, `{"networkAcl":{"entrySet":{"items":[{"ruleAction":"deny"}]}}}`, "-", "deny"},
		{"AuthorizeSecurityGroupIngress", `{"groupId":"sg-1"}`, `null`, "Inbound", "-"},
		{"RevokeSecurityGroupEgress", `{"groupId":"sg-1"}`, `null`, "Outbound", "-"},
		{"CreateSecurityGroup", `{"groupName":"a"}`, `null`, "-", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.eventName, func(t *testing.T) {
			raw := fmt.Sprintf(`{"eventVersion":"1.11","userIdentity":{"type":"IAMUser","userName":"alice","accountId":"111111111111"},"eventTime":"2026-10-13T02:00:00Z","eventSource":"ec2.amazonaws.com","eventName":%q,"awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","requestParameters":%s,"responseElements":%s,"eventType":"AwsApiCall","recipientAccountId":"111111111111"}`, tt.eventName, tt.request, tt.response)
			ev := newEvent(raw)
			row := value.NewRow(k.Source(ev.Sourcetype, event.NewFields(ev, event.Need{All: true})))
			get := func(f string) string {
				if v := row.Get(f); !v.IsNull() {
					return v.String()
				}
				return "-"
			}
			if diff := cmp.Diff([]string{tt.direction, tt.ruleAction}, []string{get("direction"), get("rule_action")}); diff != "" {
				t.Errorf("direction, rule_action (-want +got):\n%s", diff)
			}
		})
	}
}
