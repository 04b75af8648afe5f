package attackdata

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// The Machine Learning Toolkit detection of ESCU that can fire on the
// add-on 7.0.0's fields: Abnormally High Number Of Cloud Infrastructure
// API Calls. It counts a user's successful Change calls per hour, joins
// the summary of a DensityFunction model by user, HourOfDay (the hour's
// four-hour block) and isWeekend, keeps the groups with at least 16 hours
// of training, and keeps an hour the model finds an outlier
// (threshold=0.005) whose count is above the upper boundary. (... Of
// Cloud Security Group API Calls and its baseline count
// object_category=firewall, which 7.0.0's lookup gives no call:
// attack_data/README.md.)
//
// The model comes from ESCU's baseline search, run here over a month of
// the account's history before the attack (the sidecar's baselines:).
// The baseline replaces each hourly count by the number of distinct
// hourly counts of its group (eventstats dc) before it fits a normal
// distribution, so every group's values are equal: its standard deviation
// 0 becomes 1e-06, and its boundaries, rounded to 4 decimals, are that
// number of distinct counts.

// The baseline search, exactly as ESCU writes it
// (splunk/security_content, baselines/).
const (
	baselineAPICallsName   = "Baseline Of Cloud Infrastructure API Calls Per User"
	baselineAPICallsSearch = "| tstats count as api_calls from datamodel=Change where All_Changes.user!=unknown All_Changes.status=success by All_Changes.user _time span=1h | `drop_dm_object_name(\"All_Changes\")` | eval HourOfDay=strftime(_time, \"%H\") | eval HourOfDay=floor(HourOfDay/4)*4 | eval DayOfWeek=strftime(_time, \"%w\") | eval isWeekend=if(DayOfWeek >= 1 AND DayOfWeek <= 5, 0, 1) | table _time api_calls, user, HourOfDay, isWeekend | eventstats dc(api_calls) as api_calls by user, HourOfDay, isWeekend | where api_calls >= 1 | fit DensityFunction api_calls by \"user,HourOfDay,isWeekend\" into cloud_excessive_api_calls_v1 dist=norm show_density=true"
)

// BaselineFile is the file of the history the baselines run over.
const BaselineFile = "cloudtrail_baseline_history.json"

// baselineStart is the history's start: four weeks (four weekends, so
// that weekend groups could have 16 hours too) before the attack week.
var baselineStart = time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)

// baselineHistory is four weeks of the account's change history:
//
//   - svc-backup-sync's weekday backup window, 00:00-04:00: it opens a
//     network ACL rule to the backup vault (CreateNetworkAclEntry, a
//     successful modified change), takes snapshots (CreateSnapshot), prunes
//     old ones (DeleteSnapshot; the add-on 7.0.0 gives neither snapshot
//     call an action or status, so the Change model has them as
//     status=unknown) and closes the rule (DeleteNetworkAclEntry): one
//     successful change at 00 and one at 03;
//   - ci-terraform's nightly apply at 02:xx on weekdays (one or two ACL
//     entries) and its daytime apply at 05:xx (one entry, and every third
//     day an instance launched from its template);
//   - the usual reads around them.
func baselineHistory() []*record {
	b := newBuilder(1078200, baselineStart, "us-east-1")
	b.noise(150, 28*24*time.Hour)
	backup := iamUser("svc-backup-sync", "10.20.5.14", boto3App)
	ci := iamUser("ci-terraform", officeIP, terraform)
	for day := range 28 {
		d := time.Duration(day) * 24 * time.Hour
		if wd := baselineStart.Add(d).Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		h := func(hour, m, s int) time.Duration { return d + time.Duration(hour)*time.Hour + ms(m, s) }
		naclEntryPort(b, h(0, 2, 11), backup, "us-east-1", 200, "10.50.0.0/16", 443)
		for i := range 2 {
			createSnapshot(b, h(0, 5+i*9, 40), backup, day*4+i)
		}
		for i := range 1 + day%2 {
			deleteSnapshot(b, h(1, 10+i*7, 3), backup, day*4+i)
		}
		for i := range 1 + (day+1)%3 {
			deleteSnapshot(b, h(2, 20+i*5, 30), backup, day*4+2+i)
		}
		for i := range day % 2 {
			deleteSnapshot(b, h(3, 15+i*5, 12), backup, day*4+9+i)
		}
		deleteNaclEntry(b, h(3, 48, 2), backup, "us-east-1", 200)
		for i := range 1 + day%2 {
			naclEntryPort(b, h(2, 31, 17+i*4), ci, "us-east-1", 300+i, "10.0.0.0/8", 443)
		}
		naclEntryPort(b, h(5, 12, 9), ci, "us-east-1", 310, "10.0.0.0/8", 8443)
		if day%3 == 0 {
			runInstances(b, h(5, 14, 40), ci, "us-east-1", seenImage, seenInstanceType)
		}
	}
	return b.sorted()
}

func naclEntryPort(b *builder, at time.Duration, a *actor, region string, rule int, cidr string, port int) *record {
	return b.call(at, a, region, "ec2:CreateNetworkAclEntry", obj{{"networkAclId", "acl-0" + awsID("acl/"+region, 16)}, {"ruleNumber", rule},
		{"egress", false}, {"ruleAction", "allow"}, {"icmpTypeCode", obj{}}, {"portRange", obj{{"from", port}, {"to", port}}}, {"aclProtocol", "6"}, {"cidrBlock", cidr}}, nil)
}

func deleteNaclEntry(b *builder, at time.Duration, a *actor, region string, rule int) *record {
	return b.call(at, a, region, "ec2:DeleteNetworkAclEntry", obj{{"networkAclId", "acl-0" + awsID("acl/"+region, 16)}, {"ruleNumber", rule}, {"egress", false}}, nil)
}

func createSnapshot(b *builder, at time.Duration, a *actor, n int) *record {
	vol := "vol-0" + awsID("vol/"+strconv.Itoa(n%3), 16)
	return b.call(at, a, "us-east-1", "ec2:CreateSnapshot", obj{{"volumeId", vol}, {"description", "nightly backup"}},
		obj{{"snapshotId", "snap-0" + awsID("snap/"+strconv.Itoa(n), 16)}, {"volumeId", vol}, {"status", "pending"}})
}

func deleteSnapshot(b *builder, at time.Duration, a *actor, n int) *record {
	return b.call(at, a, "us-east-1", "ec2:DeleteSnapshot", obj{{"snapshotId", "snap-0" + awsID("snap/old/"+strconv.Itoa(n), 16)}}, nil)
}

// hourCount is one row of the searches' tstats: a user's calls in one
// hour, with the values of their command.
type hourCount struct {
	user     string
	hour     time.Time
	count    int
	commands []string
}

// hourBlock and weekend are the searches' HourOfDay (the hour floored to a
// multiple of 4) and isWeekend (0 Monday to Friday, 1 otherwise).
func hourBlock(t time.Time) string { return strconv.Itoa(t.Hour() / 4 * 4) }
func weekend(t time.Time) string {
	if wd := t.Weekday(); wd >= time.Monday && wd <= time.Friday {
		return "0"
	}
	return "1"
}

// hourly is the tstats of the detection and its baseline: the successful
// Change calls of each user and hour that keep(r) selects, by user then
// hour (tstats's order); a call whose user is unknown is left out for
// the API calls search, whose where clause asks user!=unknown.
func hourly(recs []*record, keep func(r *record) bool) []hourCount {
	groups := map[string]*hourCount{}
	var keys []string
	for _, r := range recs {
		if !inChange(r) || changeField(r, "status") != "success" || !keep(r) {
			continue
		}
		user := changeField(r, "user")
		hour := r.at.UTC().Truncate(time.Hour)
		k := user + "\x00" + hour.Format(time.RFC3339)
		g, ok := groups[k]
		if !ok {
			g = &hourCount{user: user, hour: hour}
			groups[k] = g
			keys = append(keys, k)
		}
		g.count++
		if !slices.Contains(g.commands, r.EventName) {
			g.commands = append(g.commands, r.EventName)
		}
	}
	slices.Sort(keys)
	out := make([]hourCount, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		slices.Sort(g.commands)
		out = append(out, *g)
	}
	return out
}

// densityModel is a baseline's model: for each group of user, HourOfDay
// and isWeekend, the value every training row has (the number of distinct
// hourly counts) and the number of rows.
type densityModel map[string]struct{ value, rows int }

func groupKey(user string, t time.Time) string {
	return user + "\x00" + hourBlock(t) + "\x00" + weekend(t)
}

func fitBaseline(rows []hourCount) densityModel {
	distinct := map[string]map[int]bool{}
	m := densityModel{}
	for _, r := range rows {
		k := groupKey(r.user, r.hour)
		if distinct[k] == nil {
			distinct[k] = map[int]bool{}
		}
		distinct[k][r.count] = true
		g := m[k]
		g.rows++
		m[k] = g
	}
	for k, g := range m {
		g.value = len(distinct[k])
		m[k] = g
	}
	return m
}

// mltkDetection restates one of the two detections.
type mltkDetection struct {
	keep  func(r *record) bool
	count string // the count's name: api_calls, security_group_api_calls
	// fires is the model of the baseline over the history.
	model densityModel
}

func newMLTKDetection(keep func(r *record) bool, count string) mltkDetection {
	return mltkDetection{keep: keep, count: count, model: fitBaseline(hourly(baselineHistory(), keep))}
}

// expect: the join keeps the hours whose group the model has; `where
// cardinality >= 16`; apply threshold=0.005 (a normal distribution of
// mean v and standard deviation 1e-06: lower v - 2.807e-06, upper v +
// 2.807e-06); isOutlier=1 and the count above the upper boundary as the
// BoundaryRanges print it (v, rounded to 4 decimals); distance_from_threshold
// the count less it. Columns: _time, user, command, <count>,
// expected_upper_threshold, distance_from_threshold.
func (d mltkDetection) expect(recs []*record) []Row {
	const tail = 0.000001 * 2.807033768343811 // 1e-06 * ppf(1 - 0.005/2)
	var rows []Row
	for _, h := range hourly(recs, d.keep) {
		g, ok := d.model[groupKey(h.user, h.hour)]
		if !ok || g.rows < 16 {
			continue
		}
		v := float64(g.value)
		c := float64(h.count)
		outlier := c < v-tail || c > v+tail
		if !outlier || c <= v {
			continue
		}
		upper := strconv.FormatFloat(v, 'f', 1, 64) // Python prints the rounded float 3.0 as 3.0
		rows = append(rows, Row{
			{"_time", []string{h.hour.Format("2006-01-02T15:04:05.000-07:00")}},
			{"user", []string{h.user}},
			{"command", h.commands},
			{d.count, []string{strconv.Itoa(h.count)}},
			{"expected_upper_threshold", []string{upper}},
			{"distance_from_threshold", []string{strconv.FormatFloat(c-math.Round(v), 'f', -1, 64)}},
		})
	}
	return rows
}

var (
	detAbnormalAPICalls = newMLTKDetection(func(r *record) bool { return changeField(r, "user") != "unknown" }, "api_calls")
)

// mltkBaselines are the baselines of the folder's sidecar.
var mltkBaselines = []SidecarBaseline{
	{Name: baselineAPICallsName, Search: baselineAPICallsSearch, Data: BaselineFile},
}
