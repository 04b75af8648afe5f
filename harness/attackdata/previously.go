package attackdata

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/splharness/splharness/spl/geoip/geoipwrite"
)

// The "previously seen" detections of ESCU: a `tstats` search of the
// Change or Authentication data model, then a lookup of a KV store
// collection that a baseline search fills in production (ESCU's support
// searches: the first and last time a user, region, address or call was
// seen, and enough_data once the baseline has run long enough). A test
// supplies the collection as a CSV file beside the data (the sidecar's
// kvstore: mapping): here, what the baseline recorded over the weeks
// before the data, all with enough_data=1.
//
// The searches keep a row when the lookup found nothing (never seen) or
// a first sighting after relative_time(now(), "-24h@h"); the baseline's
// sightings here are months before the data, so a row is kept exactly
// when its key is not in the collection, whatever the clock.

// kvCollection is one KV store collection's contents, written as a CSV
// file of the folder; columns are among the lookup's fields_list.
type kvCollection struct {
	lookup string
	file   string
	header []string
	rows   [][]string
}

func (c kvCollection) csv() []byte {
	var b strings.Builder
	for _, r := range append([][]string{c.header}, c.rows...) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return []byte(b.String())
}

// has reports whether the collection has a row whose columns cols hold
// vals (the lookup's match, case-sensitive as KV store lookups are by
// default).
func (c kvCollection) has(cols []string, vals []string) bool {
	for _, r := range c.rows {
		ok := true
		for i, col := range cols {
			if r[slices.Index(c.header, col)] != vals[i] {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// seenImage and seenInstanceType are ci-terraform's launch template's.
const (
	seenImage        = "ami-0e2c8caa4b6378d8c"
	seenInstanceType = "m6i.large"
)

// The baseline: first seen in April 2026, last seen the week before the
// data.
var (
	seenFirst = strconv.FormatInt(time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC).Unix(), 10)
	seenLast  = strconv.FormatInt(time.Date(2026, 10, 5, 17, 30, 0, 0, time.UTC).Unix(), 10)
)

var (
	seenCreators = kvCollection{lookup: "previously_seen_cloud_compute_creations_by_user", file: "previously_seen_cloud_compute_creations_by_user.csv",
		header: []string{"user", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{"ci-terraform", seenFirst, seenLast, "1"}, {"j.rivera", seenFirst, seenLast, "1"}}}
	seenRegions = kvCollection{lookup: "previously_seen_cloud_regions", file: "previously_seen_cloud_regions.csv",
		header: []string{"vendor_region", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{"us-east-1", seenFirst, seenLast, "1"}, {"us-west-2", seenFirst, seenLast, "1"}}}
	seenRoleCalls = kvCollection{lookup: "previously_seen_cloud_api_calls_per_user_role", file: "previously_seen_cloud_api_calls_per_user_role.csv",
		header: []string{"user", "command", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{"DataPipelineRole", "PutRolePolicy", seenFirst, seenLast, "1"}}}
	// The baseline's iplocation found no place for the internal
	// addresses: their City, Country and Region are empty.
	seenSources = kvCollection{lookup: "previously_seen_cloud_provisioning_activity_sources", file: "previously_seen_cloud_provisioning_activity_sources.csv",
		header: []string{"src", "City", "Country", "Region", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{"10.8.14.22", "", "", "", seenFirst, seenLast, "1"}, {officeIP, "Frankfurt am Main", "Germany", "Hesse", seenFirst, seenLast, "1"}}}
	// The images and instance types the account's launches used (all
	// ci-terraform's, from its launch template).
	seenImages = kvCollection{lookup: "previously_seen_cloud_compute_images", file: "previously_seen_cloud_compute_images.csv",
		header: []string{"image_id", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{seenImage, seenFirst, seenLast, "1"}}}
	seenInstanceTypes = kvCollection{lookup: "previously_seen_cloud_compute_instance_types", file: "previously_seen_cloud_compute_instance_types.csv",
		header: []string{"instance_type", "firstTimeSeen", "lastTimeSeen", "enough_data"},
		rows:   [][]string{{seenInstanceType, seenFirst, seenLast, "1"}}}
	seenConsoleUsers = kvCollection{lookup: "previously_seen_users_console_logins", file: "previously_seen_users_console_logins.csv",
		header: []string{"user", "src", "firstTime", "lastTime"},
		rows:   [][]string{{"j.rivera", "10.8.14.22", seenFirst, seenLast}}}
)

// actionRow is one row of the add-on's aws_cloudtrail_action_status.csv:
// the errorCode it matches ("success", "*" for any, or one code), and
// the action and status it gives.
type actionRow struct{ code, action, status string }

// actionRows restates the rows of the add-on 7.0.0's
// aws_cloudtrail_action_status.csv (docs/knowledge.md) for the calls of
// these datasets, per eventName in the table's order (the lookup takes
// the first row that matches). noActionRow are calls of these datasets
// that the table has no row for: the Change model has them as
// action=unknown and status=unknown.
var (
	actionRows = map[string][]actionRow{
		"CreateNetworkAclEntry":         {{"success", "modified", "success"}, {"AccessDenied", "modified", "failure"}, {"*", "modified", "failure"}},
		"DeleteNetworkAclEntry":         {{"success", "modified", "success"}, {"AccessDenied", "modified", "failure"}, {"*", "modified", "failure"}},
		"RunInstances":                  {{"success", "created", "success"}, {"*", "created", "failure"}},
		"StopInstances":                 {{"success", "stopped", "success"}, {"*", "stopped", "failure"}},
		"CreatePolicy":                  {{"success", "created", "success"}, {"*", "unknown", "failure"}},
		"CreatePolicyVersion":           {{"success", "created", "success"}, {"*", "unknown", "failure"}},
		"CreateRole":                    {{"success", "created", "success"}, {"*", "unknown", "failure"}},
		"PutRolePolicy":                 {{"success", "modified", "success"}, {"*", "unknown", "failure"}},
		"ListRoles":                     {{"success", "read", "success"}, {"*", "unknown", "failure"}},
		"CreateSecurityGroup":           {{"Client.UnauthorizedOperation", "created", "failure"}, {"success", "created", "success"}, {"*", "created", "failure"}},
		"AuthorizeSecurityGroupIngress": {{"Client.UnauthorizedOperation", "modified", "failure"}, {"success", "modified", "success"}, {"*", "modified", "failure"}},
		"RevokeSecurityGroupIngress":    {{"Client.UnauthorizedOperation", "deleted", "failure"}, {"success", "deleted", "success"}, {"*", "deleted", "failure"}},
	}
	noActionRow = []string{"CreateSnapshot", "DeleteSnapshot"}
)

// actionStatus is the action-status lookup on a record: the first row
// of its eventName whose errorCode matches the calculated errorCode
// (success for a call without one). Calls the table does not list have
// neither (the data model then says "unknown").
func actionStatus(r *record) (action, status string) {
	rows, ok := actionRows[r.EventName]
	if !ok {
		if inChange(r) && !slices.Contains(noActionRow, r.EventName) {
			panic("attackdata: no action-status rows restated for " + r.EventName) // a programming error in this package
		}
		return "", ""
	}
	code := cmp(r.ErrorCode, "success")
	for _, row := range rows {
		if row.code == "*" || row.code == code {
			return row.action, row.status
		}
	}
	return "", ""
}

// objectCategory is the add-on's aws_cloudtrail_eventname_lookup.csv for
// the calls of these datasets ("" for unknown).
func objectCategory(r *record) string {
	switch r.EventName {
	case "RunInstances", "StartInstances", "StopInstances", "TerminateInstances", "RebootInstances":
		return "instance"
	case "CreateSecurityGroup", "DeleteSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
		"RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress":
		return "security_group"
	case "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
		"ReplaceNetworkAclAssociation":
		return "ACL"
	}
	return ""
}

// changeObject is the add-on's object (id: object_id) for the calls of
// these datasets: an instance's id (RunInstances: the new one; object
// falls back to the service), a security group's or a network ACL's; no
// other call of these datasets is in its case lists.
func changeObject(r *record, id bool) string {
	strs := func(v any) string {
		if s, ok := v.(string); ok {
			return s
		}
		return ""
	}
	items := func(o obj, field string) string {
		set, _ := o.Get("instancesSet").(obj)
		list, _ := set.Get("items").([]any)
		if len(list) != 1 {
			panic("attackdata: one instance per call is restated") // a programming error in this package
		}
		return strs(list[0].(obj).Get(field))
	}
	n := r.EventName
	switch {
	case n == "RunInstances" && id:
		return items(r.ResponseElements, "instanceId")
	case n == "RunInstances":
		return cmp(items(r.ResponseElements, "instanceId"), r.EventSource)
	case strings.HasSuffix(n, "Instances"):
		return cmp(items(r.RequestParameters, "instanceId"), r.EventSource)
	case strings.Contains(n, "SecurityGroup"):
		return cmp(strs(r.ResponseElements.Get("groupId")), strs(r.RequestParameters.Get("groupId")))
	case strings.Contains(n, "NetworkAcl"):
		return strs(r.RequestParameters.Get("networkAclId"))
	case strings.Contains(n, "Bucket") || strings.HasSuffix(n, "Volume") || strings.HasSuffix(n, "User") ||
		strings.HasSuffix(n, "LoginProfile") || n == "CreateAccessKey" || n == "CreateVirtualMFADevice":
		panic("attackdata: no object derivation restated for " + n) // a programming error in this package
	}
	return ""
}

// changeField is a field of the Change data model's root dataset
// (docs/datamodels/Change.md) on a record the dataset holds: the
// add-on's field, "unknown" when it has none.
func changeField(r *record, name string) string {
	v := ""
	switch name {
	case "action":
		v, _ = actionStatus(r)
	case "status":
		_, v = actionStatus(r)
	case "object":
		v = changeObject(r, false)
	case "object_id":
		v = changeObject(r, true)
	case "object_category":
		v = objectCategory(r)
	case "command":
		v = r.EventName
	default:
		if vs := ctField(r, name); len(vs) > 0 {
			v = vs[0]
		}
	}
	if v == "" {
		return "unknown"
	}
	return v
}

// instanceField is a field of the Change model's Instance_Changes dataset
// (tag=instance: the add-on's event type aws_cloudtrail_instance, the
// calls with object_category=instance): image_id and instance_type, the
// add-on's aliases of the request's image and instance type, "unknown"
// when the call has none. ok is false for a record outside the dataset,
// whose fields are null (a tstats BY on one drops it).
func instanceField(r *record, name string) (v string, ok bool) {
	if objectCategory(r) != "instance" || !inChange(r) {
		return "", false
	}
	switch name {
	case "image_id":
		set, _ := r.RequestParameters.Get("instancesSet").(obj)
		list, _ := set.Get("items").([]any)
		for _, it := range list {
			if s, _ := it.(obj).Get("imageId").(string); s != "" {
				v = s
			}
		}
	case "instance_type":
		v, _ = r.RequestParameters.Get("instanceType").(string)
	default:
		panic("attackdata: no Instance_Changes field " + name) // a programming error in this package
	}
	return cmp(v, "unknown"), true
}

// inChange is the Change model's constraint tag=change: the add-on's
// event types that carry the tag (default/eventtypes.conf and tags.conf
// of 7.0.0, docs/knowledge.md), whose searches match field values and
// wildcards case-insensitively:
//
//   - aws_cloudtrail_change: eventName=Create*, or ListRoles, ListAliases,
//     PutBucketAcl, GetBucketEncryption;
//   - aws_cloudtrail_iam_change_acctmgmt: an IAM call whose name has no
//     get, list or describe;
//   - aws_cloudtrail_delete_events: the record's text holds Delete,
//     Remove or Reboot;
//   - aws_cloudtrail_notable_network_events: a call that is no Get, List,
//     Describe or PutBucketAcl, named with address, gateway, acl,
//     interface, security, route, subnet or vpc;
//   - aws_cloudtrail_instance: object_category=instance;
//   - aws_cloudtrail_endpoint_change and aws_cloudtrail_acctmgmt, whose
//     calls (volumes, buckets, failed IAM reads) these datasets do not
//     make (a panic says so if they do).
func inChange(r *record) bool {
	n := strings.ToLower(r.EventName)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(n, s) {
				return true
			}
		}
		return false
	}
	if slices.Contains([]string{"DeleteEndpoint", "CreatePlatformEndpoint", "CreateVolume", "DeleteVolume", "AttachVolume", "DetachVolume",
		"DeleteBucket", "CreateBucket", "PutBucketPublicAccessBlock", "PutObject", "ListSigningCertificates", "ListAccessKeys",
		"ListAccountAliases", "GetUser", "GetAccountSummary"}, r.EventName) {
		panic("attackdata: no event type restated for " + r.EventName) // a programming error in this package
	}
	raw, err := jsonl([]*record{r})
	if err != nil {
		panic("attackdata: " + err.Error()) // a programming error in this package
	}
	text := strings.ToLower(string(raw))
	switch {
	case strings.HasPrefix(n, "create") || slices.Contains([]string{"listroles", "listaliases", "putbucketacl", "getbucketencryption"}, n):
		return true
	case strings.Contains(strings.ToLower(r.EventSource), "iam") && strings.HasSuffix(strings.ToLower(r.EventSource), ".amazonaws.com") &&
		!has("get", "list", "describe"):
		return true
	case strings.Contains(text, "delete") || strings.Contains(text, "remove") || strings.Contains(text, "reboot"):
		return true
	case !strings.HasPrefix(n, "get") && !strings.HasPrefix(n, "list") && !strings.HasPrefix(n, "describe") && n != "putbucketacl" &&
		has("address", "gateway", "acl", "interface", "security", "route", "subnet", "vpc"):
		return true
	}
	return objectCategory(r) == "instance"
}

// previouslySeen restates one "previously seen" Change detection:
//
//	| tstats earliest(_time) as firstTime, count, values(All_Changes.<v>)
//	  from datamodel=Change where <where> by <by>
//	| `drop_dm_object_name("All_Changes")` | lookup <collection> <keys>
//	  OUTPUT[NEW] firstTimeSeen, enough_data | eventstats max(enough_data)
//	  as enough_data | where enough_data=1 | where isnull(firstTimeSeen)
//	  OR <recent> | table <columns> | `security_content_ctime(firstTime)`
//
// The columns are firstTime, count, <values as> and the BY fields, in
// the order of cols.
type previouslySeen struct {
	// geo, when set, is the iplocation field (City, Country or Region)
	// of src the lookup matches on: `| iplocation src | where
	// isnotnull(<geo>)` after tstats.
	geo    string
	where  func(r *record) bool
	by     []string
	keys   []string // BY fields the lookup matches on
	values string   // the field of values(), "" for none
	as     string
	seen   kvCollection
	cols   []string
}

func (p previouslySeen) expect(recs []*record) []Row {
	type group struct {
		key   []string
		count int
		first time.Time
		vals  map[string]bool
	}
	groups := map[string]*group{}
	for _, r := range recs {
		if !inChange(r) || !p.where(r) {
			continue
		}
		key := make([]string, len(p.by))
		null := false
		for i, f := range p.by {
			if f == "image_id" || f == "instance_type" {
				v, ok := instanceField(r, f)
				null = null || !ok || v == "unknown" // a null BY field; where <f> != "unknown"
				key[i] = v
				continue
			}
			key[i] = changeField(r, f)
		}
		if null {
			continue
		}
		k := strings.Join(key, "\x00")
		g := groups[k]
		if g == nil {
			g = &group{key: key, first: r.at, vals: map[string]bool{}}
			groups[k] = g
		}
		g.count++
		g.first = minTime(g.first, r.at)
		if p.values != "" {
			g.vals[changeField(r, p.values)] = true
		}
	}
	order := make([]*group, 0, len(groups))
	for _, g := range groups {
		if p.geo != "" && p.place(g.key) == "" {
			continue // iplocation found no place (where isnotnull)
		}
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return slices.Compare(order[i].key, order[j].key) < 0 })
	// eventstats max(enough_data) | where enough_data=1: some row's key
	// is in the collection (each of its rows has enough_data=1).
	enough := false
	for _, g := range order {
		if p.seen.has(p.keys, p.keyOf(g.key)) {
			enough = true
		}
	}
	rows := []Row{}
	if !enough {
		return rows
	}
	for _, g := range order {
		if p.seen.has(p.keys, p.keyOf(g.key)) {
			continue
		}
		var row Row
		for _, c := range p.cols {
			switch c {
			case "firstTime":
				row = append(row, Field{c, []string{g.first.UTC().Format(ctimeLayout)}})
			case "count":
				row = append(row, Field{c, []string{strconv.Itoa(g.count)}})
			case p.geo:
				row = append(row, Field{c, []string{p.place(g.key)}})
			case p.as:
				vs := make([]string, 0, len(g.vals))
				for v := range g.vals {
					vs = append(vs, v)
				}
				slices.Sort(vs)
				row = append(row, Field{c, vs})
			default:
				row = append(row, Field{c, []string{g.key[slices.Index(p.by, c)]}})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (p previouslySeen) keyOf(key []string) []string {
	if p.geo != "" {
		return []string{p.place(key)}
	}
	out := make([]string, len(p.keys))
	for i, k := range p.keys {
		out[i] = key[slices.Index(p.by, k)]
	}
	return out
}

// place is the iplocation field p.geo of a group's src: the database's
// name for the address's network, "" when it has none.
func (p previouslySeen) place(key []string) string {
	addr := netip.MustParseAddr(key[slices.Index(p.by, "src")])
	for _, e := range geoEntries {
		if e.Network.Contains(addr) {
			return map[string]map[string]string{"City": e.City, "Country": e.Country, "Region": e.Region}[p.geo]["en"]
		}
	}
	return ""
}

// officeIP is the office's egress address, where ci-terraform's runners
// reach AWS from.
const officeIP = "192.0.2.10"

// geoEntries are the IP location database of the dataset
// (iplocation.mmdb): the office in Frankfurt, the intruder's hosting
// network in Amsterdam, and a network in Lisbon that a benign call
// comes from. Internal addresses have no place.
var geoEntries = []geoipwrite.Entry{
	{Network: netip.MustParsePrefix(officeIP + "/32"), City: en("Frankfurt am Main"), Region: en("Hesse"), Country: en("Germany"),
		RegionCode: "HE", CountryCode: "DE", Continent: en("Europe"), ContinentCode: "EU", Lat: 50.1109, Lon: 8.6821, Timezone: "Europe/Berlin"},
	{Network: netip.MustParsePrefix("198.51.100.0/24"), City: en("Amsterdam"), Region: en("North Holland"), Country: en("Netherlands"),
		RegionCode: "NH", CountryCode: "NL", Continent: en("Europe"), ContinentCode: "EU", Lat: 52.3676, Lon: 4.9041, Timezone: "Europe/Amsterdam"},
	{Network: netip.MustParsePrefix("203.0.113.0/24"), City: en("Lisbon"), Region: en("Lisbon"), Country: en("Portugal"),
		RegionCode: "11", CountryCode: "PT", Continent: en("Europe"), ContinentCode: "EU", Lat: 38.7223, Lon: -9.1393, Timezone: "Europe/Lisbon"},
}

func en(name string) map[string]string { return map[string]string{"en": name} }

// geoBuild is the database's fixed build time (2026-01-01).
const geoBuild = 1767225600

var (
	// Cloud Compute Instance Created By Previously Unseen User.
	detUnseenCreator = previouslySeen{
		where: func(r *record) bool { return changeField(r, "action") == "created" },
		by:    []string{"user", "vendor_region"}, keys: []string{"user"}, values: "object", as: "dest", seen: seenCreators,
		cols: []string{"firstTime", "user", "dest", "count", "vendor_region"},
	}
	// Cloud Compute Instance Created In Previously Unused Region.
	detUnusedRegion = previouslySeen{
		where: func(r *record) bool { return changeField(r, "action") == "created" },
		by:    []string{"vendor_region", "user"}, keys: []string{"vendor_region"}, values: "object_id", as: "dest", seen: seenRegions,
		cols: []string{"firstTime", "user", "dest", "count", "vendor_region"},
	}
	// Cloud API Calls From Previously Unseen User Roles.
	detUnseenRoleCall = previouslySeen{
		where: func(r *record) bool {
			return changeField(r, "user_type") == "AssumedRole" && changeField(r, "status") == "success"
		},
		by: []string{"user", "command", "object"}, keys: []string{"user", "command"}, seen: seenRoleCalls,
		cols: []string{"firstTime", "user", "object", "command"},
	}
	// Cloud Provisioning Activity From Previously Unseen IP Address
	// (its window, `previously_unseen_cloud_provisioning_activity_window`,
	// is "-70m@m").
	detUnseenSource = previouslySeen{
		where: func(r *record) bool {
			a := changeField(r, "action")
			return (a == "started" || a == "created") && changeField(r, "status") == "success"
		},
		by: []string{"src", "user", "command"}, keys: []string{"src"}, values: "object_id", as: "object_id", seen: seenSources,
		cols: []string{"firstTime", "src", "user", "object_id", "command"},
	}
)

// Cloud Compute Instance Created With Previously Unseen Image and ...
// Instance Type: the created calls of the Instance_Changes dataset (its
// image_id or instance_type is null on the other created calls, such as
// CreateRole, and `where ... != "unknown"` drops a launch that names
// none), by image or instance type and user.
var (
	detUnseenImage = previouslySeen{
		where: func(r *record) bool { return changeField(r, "action") == "created" },
		by:    []string{"image_id", "user"}, keys: []string{"image_id"}, values: "object_id", as: "dest", seen: seenImages,
		cols: []string{"firstTime", "user", "image_id", "count", "dest"},
	}
	detUnseenInstanceType = previouslySeen{
		where: func(r *record) bool { return changeField(r, "action") == "created" },
		by:    []string{"instance_type", "user"}, keys: []string{"instance_type"}, values: "object_id", as: "dest", seen: seenInstanceTypes,
		cols: []string{"firstTime", "user", "dest", "count", "instance_type"},
	}
)

// Cloud Provisioning Activity From Previously Unseen City, Country and
// Region: the IP address detection's calls, grouped by object too, with
// the place of src looked up in the collection.
func unseenPlace(geo string) previouslySeen {
	return previouslySeen{
		geo: geo,
		where: func(r *record) bool {
			a := changeField(r, "action")
			return (a == "started" || a == "created") && changeField(r, "status") == "success"
		},
		by: []string{"src", "user", "object", "command"}, keys: []string{geo}, seen: seenSources,
		cols: []string{"firstTime", "src", geo, "user", "object", "command"},
	}
}

// detNewConsoleUser restates "Detect AWS Console Login by New User":
//
//	| tstats earliest(_time) as firstTime latest(_time) as lastTime
//	  from datamodel=Authentication where Authentication.signature=ConsoleLogin
//	  by Authentication.user | `drop_dm_object_name(Authentication)`
//	| join user type=outer [| inputlookup previously_seen_users_console_logins
//	  | stats min(firstTime) as earliestseen by user]
//	| eval userStatus=if(earliestseen >= relative_time(now(), "-24h@h") OR
//	  isnull(earliestseen), "First Time Logging into AWS Console", ...)
//	| where userStatus="First Time Logging into AWS Console" | ctime ...
func detNewConsoleUser(recs []*record) []Row {
	first, last := map[string]time.Time{}, map[string]time.Time{}
	for _, r := range recs {
		if r.svc != "signin" || !isAuthentication(r) || signinField(r, "signature") != "ConsoleLogin" {
			continue
		}
		u := signinField(r, "user")
		if u == "" {
			continue
		}
		if _, ok := first[u]; !ok {
			first[u], last[u] = r.at, r.at
		}
		first[u], last[u] = minTime(first[u], r.at), maxTime(last[u], r.at)
	}
	users := make([]string, 0, len(first))
	for u := range first {
		users = append(users, u)
	}
	slices.Sort(users)
	rows := []Row{}
	for _, u := range users {
		if seenConsoleUsers.has([]string{"user"}, []string{u}) {
			continue
		}
		rows = append(rows, Row{{"user", []string{u}}, {"firstTime", []string{first[u].UTC().Format(ctimeLayout)}},
			{"lastTime", []string{last[u].UTC().Format(ctimeLayout)}}, {"userStatus", []string{"First Time Logging into AWS Console"}}})
	}
	return rows
}

// consoleLoginPlace restates "Detect AWS Console Login by User from New
// City" (and Country, Region: geo):
//
//	| tstats earliest(_time) as firstTime latest(_time) as lastTime
//	  from datamodel=Authentication where Authentication.signature=ConsoleLogin
//	  by Authentication.user Authentication.src | iplocation Authentication.src
//	| `drop_dm_object_name(Authentication)` | rename <geo> as justSeen<geo>
//	| table firstTime lastTime user justSeen<geo>
//	| join user type=outer [| inputlookup previously_seen_users_console_logins
//	  | rename <geo> as previouslySeen<geo> | stats min(firstTime) AS earliestseen
//	  by user previouslySeen<geo> | fields ...]
//	| eval user<geo>=if(firstTime >= relative_time(now(), "-24h@h"), "New <geo>", ...)
//	| where user<geo> = "New <geo>" | ctime ... | table firstTime lastTime user
//	  previouslySeen<geo> justSeen<geo> user<geo>
//
// Its ESCU test replays the data (update_timestamp: true), so now() is
// the file's first record's time (docs/semantics.md, "Test data replay
// time"). The search keeps every sign-in whose first time is after the
// hour a day before now(), whatever its place: the lookup only adds the
// place the baseline saw (none here: its one address, internal, has no
// place, and stats drops rows with a null BY field), so the rows are
// every user and address that signed in to the console, with the
// address's place when the database has one.
func consoleLoginPlace(geo string) func(recs []*record) []Row {
	return func(recs []*record) []Row {
		if len(recs) == 0 {
			return []Row{}
		}
		since := recs[0].at.Add(-24 * time.Hour).Truncate(time.Hour)
		type group struct {
			user, src   string
			first, last time.Time
		}
		groups := map[[2]string]*group{}
		for _, r := range recs {
			if r.svc != "signin" || !isAuthentication(r) || signinField(r, "signature") != "ConsoleLogin" {
				continue
			}
			u, src := signinField(r, "user"), signinField(r, "src")
			if u == "" || src == "" {
				continue // a null BY field drops the event
			}
			g := groups[[2]string{u, src}]
			if g == nil {
				g = &group{user: u, src: src, first: r.at, last: r.at}
				groups[[2]string{u, src}] = g
			}
			g.first, g.last = minTime(g.first, r.at), maxTime(g.last, r.at)
		}
		order := make([]*group, 0, len(groups))
		for _, g := range groups {
			order = append(order, g)
		}
		sort.Slice(order, func(i, j int) bool {
			return order[i].user < order[j].user || order[i].user == order[j].user && order[i].src < order[j].src
		})
		rows := []Row{}
		for _, g := range order {
			if g.first.Before(since) {
				continue
			}
			row := Row{{"firstTime", []string{g.first.UTC().Format(ctimeLayout)}}, {"lastTime", []string{g.last.UTC().Format(ctimeLayout)}},
				{"user", []string{g.user}}}
			if p := (previouslySeen{geo: geo, by: []string{"src"}}).place([]string{g.src}); p != "" {
				row = append(row, Field{"justSeen" + geo, []string{p}})
			}
			rows = append(rows, append(row, Field{"user" + geo, []string{"New " + geo}}))
		}
		return rows
	}
}

// The data: an IAM user made by an intruder (svc-backup-sync, never seen
// before) works from 198.51.100.77: it signs in to the console, opens SSH
// in a network ACL of ap-southeast-1 (a region the account never used)
// and launches instances there (from an image, and of an instance type,
// the account never used), and creates a role and a policy to come
// back with. With the application's stolen instance-profile session it
// gives the role an inline policy. Around it, the everyday changes the
// baseline knows: ci-terraform's and j.rivera's, DataPipelineRole's
// inline policy updates.
func unseenIntruder(b *builder) *actor { return iamUser("svc-backup-sync", "198.51.100.77", boto3Kali) }

func runInstances(b *builder, at time.Duration, a *actor, region, image, itype string) *record {
	id := instanceID(b.rng.IntN(4096))
	return b.call(at, a, region, "ec2:RunInstances",
		obj{{"instancesSet", obj{{"items", []any{obj{{"imageId", image}, {"minCount", 1}, {"maxCount", 1}}}}}}, {"instanceType", itype}},
		obj{{"instancesSet", obj{{"items", []any{obj{{"instanceId", id}, {"imageId", image}, {"instanceType", itype}}}}}}})
}

func stopInstance(b *builder, at time.Duration, a *actor, region, id string) *record {
	return b.call(at, a, region, "ec2:StopInstances", obj{{"instancesSet", obj{{"items", []any{obj{{"instanceId", id}}}}}}, {"force", false}},
		obj{{"instancesSet", obj{{"items", []any{obj{{"instanceId", id}, {"currentState", obj{{"code", 64}, {"name", "stopping"}}},
			{"previousState", obj{{"code", 16}, {"name", "running"}}}}}}}}})
}

func naclEntry(b *builder, at time.Duration, a *actor, region string, rule int, cidr string) *record {
	return b.call(at, a, region, "ec2:CreateNetworkAclEntry", obj{{"networkAclId", "acl-0" + awsID("acl/"+region, 16)}, {"ruleNumber", rule},
		{"egress", false}, {"ruleAction", "allow"}, {"icmpTypeCode", obj{}}, {"portRange", obj{{"from", 22}, {"to", 22}}}, {"aclProtocol", "6"}, {"cidrBlock", cidr}}, nil)
}

func putRolePolicy(b *builder, at time.Duration, a *actor, role, name string) *record {
	return b.call(at, a, "", "iam:PutRolePolicy", obj{{"roleName", role}, {"policyName", name},
		{"policyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::corp-ml-datasets/*"}]}`}}, nil)
}

// everyday is what the baseline has seen, in both files.
func everyday(b *builder, at time.Duration) {
	e := b.env
	b.consoleLogin(at, "j.rivera", e.dev.ip, chromeWin, signinOK, true)
	b.call(at+ms(3, 10), e.dev, "", "iam:CreatePolicyVersion", obj{{"policyArn", policyARN("ml-dataset-read")},
		{"policyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::corp-ml-datasets","arn:aws:s3:::corp-ml-datasets/*"]}]}`},
		{"setAsDefault", true}}, obj{{"policyVersion", obj{{"versionId", "v7"}, {"isDefaultVersion", true}}}})
	ci := iamUser("ci-terraform", officeIP, terraform)
	naclEntry(b, at+ms(6, 40), ci, "us-east-1", 140, "10.0.0.0/8")
	runInstances(b, at+ms(7, 15), ci, "us-east-1", seenImage, seenInstanceType)
	putRolePolicy(b, at+ms(9, 5), e.pipeline, "DataPipelineRole", "etl-curated-read")
}

func unseenAttack(b *builder) {
	everyday(b, ms(2, 0))
	x := unseenIntruder(b)
	b.consoleLogin(ms(14, 12), x.id.name, x.ip, chromeWin, signinOK, false)
	naclEntry(b, ms(16, 30), x, "ap-southeast-1", 90, "0.0.0.0/0")
	for i, t := range []time.Duration{ms(18, 2), ms(18, 4)} {
		runInstances(b, t+time.Duration(i)*time.Second, x, "ap-southeast-1", "ami-0c55b159cbfafe1f0", "c5.4xlarge")
	}
	b.call(ms(21, 45), x, "", "iam:CreateRole", obj{{"roleName", "ec2-maintenance"},
		{"assumeRolePolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/svc-backup-sync"},"Action":"sts:AssumeRole"}]}`}}, nil)
	b.call(ms(22, 30), x, "", "iam:CreatePolicy", obj{{"policyName", "ec2-maintenance-admin"},
		{"policyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}, nil)
	putRolePolicy(b, ms(25, 10), stolenApp(b, x.ip), "ml-inference-app", "maintenance")
	// Two more rules open the instances' network to the internet: SSH
	// and RDP. Seven successful changes in one hour, where
	// svc-backup-sync's history has one.
	naclEntryPort(b, ms(17, 5), x, "ap-southeast-1", 91, "0.0.0.0/0", 3389)
	naclEntryPort(b, ms(17, 40), x, "ap-southeast-1", 92, "0.0.0.0/0", 22)
}

// unseenBenign: the everyday changes, and near misses: j.rivera signs in
// from another address (a user the baseline knows), a new hire's first
// day (k.osei, never seen) is reads and stopping an instance in eu-west-1
// (action=stopped: no creation), ci-terraform launches from its template
// (an image, instance type, user, region and address the baseline knows),
// ci-terraform's change from a new address fails (status=failure), and
// the application's role is refused an inline policy (status=failure).
func unseenBenign(b *builder) {
	e := b.env
	everyday(b, ms(1, 0))
	b.consoleLogin(ms(12, 0), "j.rivera", "10.8.31.7", chromeWin, signinOK, true)
	hire := iamUser("k.osei", "10.8.40.12", cliMac)
	b.call(ms(15, 0), hire, "eu-west-1", "ec2:DescribeInstances", obj{{"instancesSet", obj{}}, {"filterSet", obj{}}}, nil)
	stopInstance(b, ms(16, 0), hire, "eu-west-1", instanceID(77))
	naclEntry(b, ms(19, 0), iamUser("ci-terraform", "203.0.113.9", terraform), "us-east-1", 150, "10.0.0.0/8").
		fail("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")
	putRolePolicy(b, ms(23, 0), e.app, "ml-inference-app", "more-access").deny("arn:aws:iam::"+account+":role/ml-inference-app", "")
}

var previouslySeenDatasets = []dataset{
	{
		dir: "datasets/suspicious_behaviour/abnormally_high_cloud_instances_launched", file: "cloudtrail_behavioural_detections.json",
		checks: []check{
			{name: "Cloud Compute Instance Created By Previously Unseen User", expect: detUnseenCreator.expect, entities: []string{"user"}},
			{name: "Cloud Compute Instance Created In Previously Unused Region", expect: detUnusedRegion.expect, entities: []string{"user"}},
			{name: "Cloud API Calls From Previously Unseen User Roles", expect: detUnseenRoleCall.expect, entities: []string{"user"}},
			{name: "Cloud Provisioning Activity From Previously Unseen IP Address", expect: detUnseenSource.expect, entities: []string{"src"}},
			{name: "Cloud Compute Instance Created With Previously Unseen Image", expect: detUnseenImage.expect},
			{name: "Cloud Compute Instance Created With Previously Unseen Instance Type", expect: detUnseenInstanceType.expect},
			{name: "Detect AWS Console Login by New User", expect: detNewConsoleUser, entities: []string{"user"}},
			{name: "Cloud Provisioning Activity From Previously Unseen City", expect: unseenPlace("City").expect, entities: []string{"src"}},
			{name: "Cloud Provisioning Activity From Previously Unseen Country", expect: unseenPlace("Country").expect, entities: []string{"src"}},
			{name: "Cloud Provisioning Activity From Previously Unseen Region", expect: unseenPlace("Region").expect, entities: []string{"src"}},
			// These three flag every console sign-in of the day before the
			// replayed data's start (consoleLoginPlace): on the benign file
			// too, whose sign-ins are everyday ones (noisy).
			{name: "Detect AWS Console Login by User from New City", expect: consoleLoginPlace("City"), entities: []string{"user"}, noisy: true},
			{name: "Detect AWS Console Login by User from New Country", expect: consoleLoginPlace("Country"), entities: []string{"user"}, noisy: true},
			{name: "Detect AWS Console Login by User from New Region", expect: consoleLoginPlace("Region"), entities: []string{"user"}, noisy: true},
			// The models these two apply come from the sidecar's
			// baselines, run over BaselineFile (mltk.go).
			{name: "Abnormally High Number Of Cloud Infrastructure API Calls", expect: detAbnormalAPICalls.expect, entities: []string{"user"}},
		},
		baselines: mltkBaselines, history: baselineHistory,
		geo:     geoEntries,
		kvstore: []kvCollection{seenCreators, seenRegions, seenRoleCalls, seenSources, seenImages, seenInstanceTypes, seenConsoleUsers},
		seed:    1078100, region: "us-east-1", start: time.Date(2026, 10, 13, 2, 0, 0, 0, time.UTC), noise: 50,
		attack: unseenAttack, benign: unseenBenign,
	},
}
