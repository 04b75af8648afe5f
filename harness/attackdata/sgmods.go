package attackdata

import (
	"slices"
	"sort"
	"strconv"
	"time"
)

// detSGModsByUser restates ESCU's "Cloud Security Groups Modifications by
// User":
//
//	| tstats dc(All_Changes.object) as unique_security_groups values(All_Changes.src) as src
//	  values(All_Changes.user_type) as user_type values(All_Changes.object_category) as object_category
//	  values(All_Changes.object) as objects values(All_Changes.action) as action
//	  values(All_Changes.user_agent) as user_agent values(All_Changes.command) as command
//	  from datamodel=Change WHERE All_Changes.object_category = "security_group"
//	  (All_Changes.action = modified OR All_Changes.action = deleted OR All_Changes.action = created)
//	  by All_Changes.user _time span=30m | `drop_dm_object_name("All_Changes")`
//	| eventstats avg(unique_security_groups) as avg_changes, stdev(unique_security_groups) as std_changes by user
//	| eval upperBound=(avg_changes+std_changes*3)
//	| eval isOutlier=if(unique_security_groups > 2 and unique_security_groups >= upperBound, 1, 0)
//	| where isOutlier=1
//
// The add-on 7.0.0 gives the security group calls object_category
// security_group and object the group's id (docs/knowledge.md); the
// status is not read, so a refused change counts too. stdev is the
// sample standard deviation.
func detSGModsByUser(recs []*record) []Row {
	type group struct {
		user                                                     string
		bucket                                                   time.Time
		objects, src, userType, category, action, agent, command map[string]bool
	}
	groups := map[string]*group{}
	for _, r := range recs {
		if !inChange(r) || changeField(r, "object_category") != "security_group" {
			continue
		}
		a := changeField(r, "action")
		if a != "modified" && a != "deleted" && a != "created" {
			continue
		}
		u := changeField(r, "user")
		bucket := r.at.UTC().Truncate(30 * time.Minute)
		k := u + "\x00" + bucket.Format(time.RFC3339)
		g := groups[k]
		if g == nil {
			g = &group{user: u, bucket: bucket, objects: map[string]bool{}, src: map[string]bool{}, userType: map[string]bool{},
				category: map[string]bool{}, action: map[string]bool{}, agent: map[string]bool{}, command: map[string]bool{}}
			groups[k] = g
		}
		g.objects[changeField(r, "object")] = true
		g.src[changeField(r, "src")] = true
		g.userType[changeField(r, "user_type")] = true
		g.category[changeField(r, "object_category")] = true
		g.action[a] = true
		g.agent[changeField(r, "user_agent")] = true
		g.command[changeField(r, "command")] = true
	}
	order := make([]*group, 0, len(groups))
	for _, g := range groups {
		order = append(order, g)
	}
	// tstats's order: by user, then _time.
	sort.Slice(order, func(i, j int) bool {
		if order[i].user != order[j].user {
			return order[i].user < order[j].user
		}
		return order[i].bucket.Before(order[j].bucket)
	})
	sorted := func(set map[string]bool) []string {
		vs := make([]string, 0, len(set))
		for v := range set {
			vs = append(vs, v)
		}
		slices.Sort(vs)
		return vs
	}
	rows := []Row{}
	for i := 0; i < len(order); {
		j := i
		var counts []float64
		for j < len(order) && order[j].user == order[i].user {
			counts = append(counts, float64(len(order[j].objects)))
			j++
		}
		avg, std := meanStdev(counts)
		upper := avg + std*3
		for _, g := range order[i:j] {
			c := float64(len(g.objects))
			if !(c > 2 && c >= upper) {
				continue
			}
			rows = append(rows, Row{
				{"user", []string{g.user}}, {"_time", []string{g.bucket.Format("2006-01-02T15:04:05.000+00:00")}},
				{"unique_security_groups", []string{number(c)}}, {"src", sorted(g.src)}, {"user_type", sorted(g.userType)},
				{"object_category", sorted(g.category)}, {"objects", sorted(g.objects)}, {"action", sorted(g.action)},
				{"user_agent", sorted(g.agent)}, {"command", sorted(g.command)},
				{"avg_changes", []string{number(avg)}}, {"std_changes", []string{number(std)}},
				{"upperBound", []string{number(upper)}}, {"isOutlier", []string{"1"}},
			})
		}
		i = j
	}
	return rows
}

// ec2ID is an EC2 resource id: the prefix, then 17 hexadecimal digits
// derived from seed.
func ec2ID(prefix, seed string) string { return prefix + "-0" + hexID(prefix + "/" + seed)[:16] }

// sgID is a security group's id.
func sgID(name string) string { return ec2ID("sg", name) }

// sgPermissions is an ingress rule for one TCP port from one CIDR block.
func sgPermissions(port int, cidr string) obj {
	return obj{{"items", []any{obj{{"ipProtocol", "tcp"}, {"fromPort", port}, {"toPort", port}, {"groups", obj{}},
		{"ipRanges", obj{{"items", []any{obj{{"cidrIp", cidr}}}}}}, {"ipv6Ranges", obj{}}, {"prefixListIds", obj{}}}}}}
}

func authorizeIngress(b *builder, at time.Duration, a *actor, group string, port int, cidr string) *record {
	return b.call(at, a, b.region, "ec2:AuthorizeSecurityGroupIngress", obj{{"groupId", group}, {"ipPermissions", sgPermissions(port, cidr)}},
		obj{{"requestId", b.uuid()}, {"_return", true}, {"securityGroupRuleSet", obj{{"items", []any{obj{{"groupId", group},
			{"securityGroupRuleId", ec2ID("sgr", group+"/"+cidr+"/"+strconv.Itoa(port))}, {"isEgress", false},
			{"ipProtocol", "tcp"}, {"fromPort", port}, {"toPort", port}, {"cidrIpv4", cidr}}}}}}})
}

func revokeIngress(b *builder, at time.Duration, a *actor, group string, port int, cidr string) *record {
	return b.call(at, a, b.region, "ec2:RevokeSecurityGroupIngress", obj{{"groupId", group}, {"ipPermissions", sgPermissions(port, cidr)}},
		obj{{"requestId", b.uuid()}, {"_return", true}})
}

// The data: ci-netops, the IAM user of the build runners' pipeline,
// rotates its runners' allow-rule every half hour from 06:00 (it revokes
// the old address and authorizes the new one on sg-runners: one security
// group a half hour). Its key leaks; at 11:30 an intruder with it, from
// 198.51.100.23, creates a security group and opens SSH and RDP to the
// internet on it and on eight of the account's groups: nine groups in one
// half hour, above the pipeline's mean (1.5) plus three standard
// deviations (2): 7.5.
var (
	ciNetops = func() *actor { return iamUser("ci-netops", "10.40.6.21", goApp) }
	sgNames  = []string{"web-tier", "app-tier", "db-tier", "bastion", "batch-workers", "ml-training", "monitoring", "vpn-endpoints"}
)

// runnerRotation makes the pipeline's rotations in the half hours from
// the start that skip does not name.
func runnerRotation(b *builder, halfHours int, skip int) {
	runners := sgID("runners")
	for k := range halfHours {
		if k == skip {
			continue
		}
		at := time.Duration(k)*30*time.Minute + ms(4, 10+k)
		old, next := "10.40.6."+strconv.Itoa(30+k)+"/32", "10.40.6."+strconv.Itoa(31+k)+"/32"
		authorizeIngress(b, at, ciNetops(), runners, 443, next)
		revokeIngress(b, at+3*time.Second, ciNetops(), runners, 443, old)
	}
}

func sgModsAttack(b *builder) {
	runnerRotation(b, 16, 11)
	x := &actor{ciNetops().id, "198.51.100.23", boto3Kali}
	base := 11*30*time.Minute + ms(6, 0)
	created := sgID("maint-access")
	b.call(base, x, b.region, "ec2:CreateSecurityGroup", obj{{"groupName", "maint-access"}, {"groupDescription", "maintenance"},
		{"vpcId", ec2ID("vpc", b.region)}}, obj{{"requestId", b.uuid()}, {"_return", true}, {"groupId", created}})
	groups := []string{created}
	for _, n := range sgNames {
		groups = append(groups, sgID(n))
	}
	for i, g := range groups {
		authorizeIngress(b, base+time.Duration(20+i*40)*time.Second, x, g, 22, "0.0.0.0/0")
		authorizeIngress(b, base+time.Duration(40+i*40)*time.Second, x, g, 3389, "0.0.0.0/0")
	}
}

// sgModsBenign: the pipeline's rotations, one of them retried on the
// runners' group and its cache's (two groups, not more than two); the
// network team's admin changes eight network ACL entries in one half
// hour (object_category ACL, not security_group); an auditor describes
// the account's groups (no object_category).
func sgModsBenign(b *builder) {
	runnerRotation(b, 16, -1)
	cache := sgID("runner-cache")
	for i := range 3 {
		at := 7*30*time.Minute + ms(12, i*20)
		authorizeIngress(b, at, ciNetops(), cache, 6379, "10.40.6.0/24")
		revokeIngress(b, at+5*time.Second, ciNetops(), cache, 6379, "10.40.6.0/24")
	}
	admin := iamUser("net.admin", "10.8.9.30", cliLinux)
	for i := range 8 {
		naclEntryPort(b, 9*30*time.Minute+ms(2+i, 0), admin, b.region, 120+i, "10.60.0.0/16", 5432+i)
	}
	auditor := iamUser("audit.bot", "10.8.40.9", boto3App)
	for i, n := range sgNames {
		b.call(10*30*time.Minute+time.Duration(i)*time.Second, auditor, b.region, "ec2:DescribeSecurityGroups",
			obj{{"securityGroupSet", obj{}}, {"securityGroupIdSet", obj{{"items", []any{obj{{"groupId", sgID(n)}}}}}}, {"filterSet", obj{}}}, nil)
	}
}

var sgModsDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1578.005/aws_authorize_security_group", file: "aws_authorize_security_group.json",
	checks: []check{{name: "Cloud Security Groups Modifications by User", expect: detSGModsByUser, entities: []string{"user"}}},
	seed:   1578005, region: "us-east-1", start: time.Date(2026, 10, 20, 6, 0, 0, 0, time.UTC), noise: 40,
	attack: sgModsAttack, benign: sgModsBenign,
}}
