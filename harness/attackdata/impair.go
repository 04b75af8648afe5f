package attackdata

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ESCU's "AWS Defense Evasion Impair Security Services":
//
//	`cloudtrail` eventName IN ("DeleteLogStream","DeleteDetector","DeleteIPSet","DeleteWebACL","DeleteRule",
//	  "DeleteRuleGroup","DeleteLoggingConfiguration","DeleteAlarms")
//	| stats count min(_time) as firstTime max(_time) as lastTime values(eventName) as eventName
//	  values(eventSource) as eventSource values(requestParameters.*) as *
//	  by src region user_arn aws_account_id user_type user_agent errorCode | ctime ...
//
// values(requestParameters.*) as * makes a column of each request
// parameter's name (the part the wildcard matched: detectorId,
// alarmNames{}); errorCode is a BY field, so failed calls are rows of
// their own. The services' calls are those of GuardDuty, WAF (wafv2),
// CloudWatch alarms, EventBridge and CloudWatch Logs.

func init() {
	services["guardduty"] = service{source: "guardduty.amazonaws.com", cli: "guardduty", sdk: "guardduty#1.52.0", host: "guardduty", prefix: "guardduty"}
	services["wafv2"] = service{source: "wafv2.amazonaws.com", cli: "wafv2", sdk: "wafv2#1.57.0", host: "wafv2", prefix: "wafv2"}
	services["cloudwatch"] = service{source: "monitoring.amazonaws.com", cli: "cloudwatch", sdk: "cloudwatch#1.43.0", host: "monitoring", prefix: "cloudwatch"}
	services["events"] = service{source: "events.amazonaws.com", cli: "events", sdk: "eventbridge#1.36.0", host: "events", prefix: "events"}
}

// hexID is a GuardDuty-style id: 32 hexadecimal digits derived from seed.
func hexID(seed string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(seed)))[:32] }

var impairCalls = []string{"DeleteLogStream", "DeleteDetector", "DeleteIPSet", "DeleteWebACL", "DeleteRule", "DeleteRuleGroup", "DeleteLoggingConfiguration", "DeleteAlarms"}

// requestLeaves flattens a record's requestParameters as KV_MODE=json
// names its fields, without the requestParameters. prefix (nested keys
// joined with ".", an array adding "{}"), each with its values.
func requestLeaves(r *record) map[string][]string {
	b, _ := json.Marshal(r.RequestParameters)
	var v any
	_ = json.Unmarshal(b, &v)
	out := map[string][]string{}
	var walk func(name string, v any)
	walk = func(name string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				n := k
				if name != "" {
					n = name + "." + k
				}
				walk(n, e)
			}
		case []any:
			for _, e := range x {
				walk(name+"{}", e)
			}
		case string:
			out[name] = append(out[name], x)
		case bool:
			if x {
				out[name] = append(out[name], "true")
			} else {
				out[name] = append(out[name], "false")
			}
		case float64:
			out[name] = append(out[name], number(x))
		}
	}
	walk("", v)
	return out
}

func detImpairSecurity(recs []*record) []Row {
	by := []string{"src", "region", "user_arn", "aws_account_id", "user_type", "user_agent", "errorCode"}
	var rs []result
	for _, r := range recs {
		if slices.ContainsFunc(impairCalls, func(c string) bool { return strings.EqualFold(c, r.EventName) }) {
			rs = append(rs, result{r, nil})
		}
	}
	rows := expandStats(rs, by, []statsAgg{{"count", "", "count"}, {"min_time", "", "firstTime"}, {"max_time", "", "lastTime"},
		{"values", "eventName", "eventName"}, {"values", "eventSource", "eventSource"}})
	// The wildcard's columns, per row: the values of each parameter over
	// the row's calls (the harness compares rows by field name, so their
	// order here is sorted, not Splunk's).
	for i, row := range rows {
		cols := map[string]map[string]bool{}
		for _, x := range rs {
			same := true
			for j, f := range by {
				if v := x.get(f); len(v) == 0 || v[0] != row[j].Values[0] {
					same = false
					break
				}
			}
			if !same {
				continue
			}
			for name, vs := range requestLeaves(x.r) {
				if cols[name] == nil {
					cols[name] = map[string]bool{}
				}
				for _, v := range vs {
					cols[name][v] = true
				}
			}
		}
		var names []string
		for n := range cols {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			var vs []string
			for v := range cols[n] {
				vs = append(vs, v)
			}
			slices.Sort(vs)
			rows[i] = append(rows[i], Field{n, vs})
		}
	}
	return rows
}

// impairAttack: with the CI user's leaked key, the intruder deletes the
// GuardDuty threat list and detector, the web ACL's logging and (failing:
// it is still associated) the web ACL, the security alarms, and the rule
// that sends GuardDuty's findings to the on-call channel.
func impairAttack(b *builder) {
	a := intruder("198.51.100.61")
	r := b.region
	detector := hexID("detector")
	acl := b.uuid()
	aclARN := "arn:aws:wafv2:" + r + ":" + account + ":regional/webacl/corp-web-acl/" + acl
	b.call(ms(12, 0), a, r, "guardduty:ListDetectors", nil, nil)
	b.call(ms(12, 20), a, r, "guardduty:DeleteIPSet", obj{{"detectorId", detector}, {"ipSetId", hexID("ipset")}}, nil)
	b.call(ms(12, 41), a, r, "guardduty:DeleteDetector", obj{{"detectorId", detector}}, nil)
	b.call(ms(13, 30), a, r, "wafv2:DeleteLoggingConfiguration", obj{{"resourceArn", aclARN}, {"logType", "WAF_LOGS"}, {"logScope", "CUSTOMER"}}, nil)
	b.call(ms(13, 52), a, r, "wafv2:DeleteWebACL", obj{{"name", "corp-web-acl"}, {"scope", "REGIONAL"}, {"id", acl}, {"lockToken", b.uuid()}}, nil).
		fail("WAFAssociatedItemException", "AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s associated with another resource.")
	b.call(ms(14, 30), a, r, "cloudwatch:DeleteAlarms", obj{{"alarmNames", []any{"root-account-usage", "cloudtrail-config-changes", "console-signin-failures"}}}, nil)
	b.call(ms(15, 2), a, r, "events:DeleteRule", obj{{"name", "guardduty-findings-to-oncall"}, {"eventBusName", "default"}}, nil)
}

// impairBenign: findings are archived and a suppression filter deleted
// in GuardDuty, a web ACL is updated, an alarm created and a dashboard
// deleted in CloudWatch, a metric filter and a log group's retention
// removed in CloudWatch Logs: none of the eight calls.
func impairBenign(b *builder) {
	e := b.env
	r := b.region
	detector := hexID("detector")
	b.call(ms(6, 0), e.admin, r, "guardduty:ArchiveFindings", obj{{"detectorId", detector}, {"findingIds", []any{hexID("finding1")}}}, nil)
	b.call(ms(6, 40), e.admin, r, "guardduty:DeleteFilter", obj{{"detectorId", detector}, {"filterName", "suppress-pentest-2026q3"}}, nil)
	b.call(ms(10, 0), e.ci, r, "wafv2:UpdateWebACL", obj{{"name", "corp-web-acl"}, {"scope", "REGIONAL"}, {"id", b.uuid()}, {"lockToken", b.uuid()},
		{"defaultAction", obj{{"allow", obj{}}}}}, obj{{"nextLockToken", b.uuid()}})
	b.call(ms(15, 0), e.ci, r, "cloudwatch:PutMetricAlarm", obj{{"alarmName", "payments-api-5xx"}, {"metricName", "HTTPCode_Target_5XX_Count"},
		{"namespace", "AWS/ApplicationELB"}, {"statistic", "Sum"}, {"period", 60}, {"evaluationPeriods", 5}, {"threshold", 10}, {"comparisonOperator", "GreaterThanThreshold"}}, nil)
	b.call(ms(16, 0), e.dev, r, "cloudwatch:DeleteDashboards", obj{{"dashboardNames", []any{"j-rivera-scratch"}}}, nil)
	b.call(ms(21, 0), e.ci, r, "logs:DeleteMetricFilter", obj{{"logGroupName", "/app/payments"}, {"filterName", "old-error-count"}}, nil)
	b.call(ms(21, 30), e.ci, r, "logs:DeleteRetentionPolicy", obj{{"logGroupName", "/app/payments"}}, nil)
}

// impairDatasets are the folders of this file's detections.
var impairDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1562.008/aws_delete_security_services", file: "aws_cloudtrail_events.json",
	checks: []check{{name: "AWS Defense Evasion Impair Security Services", expect: detImpairSecurity, entities: []string{"src", "user_arn"}}},
	seed:   15620085, region: "us-east-1", start: time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC), noise: 50,
	attack: impairAttack, benign: impairBenign,
}}
