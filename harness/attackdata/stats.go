package attackdata

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// statsSearch restates the common shape of ESCU's raw CloudTrail
// detections in Go:
//
//	`cloudtrail` <match> [| bucket span=<span> _time]
//	| stats <aggs> by <by> [| where <agg> > <above>]
//	[| `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)`]
//
// stats drops an event whose BY field is null, sorts its rows by the BY
// fields (numbers as numbers, strings in byte order), and puts the BY
// fields first, then the aggregations in order (Search Reference, "stats").
type statsSearch struct {
	match func(r *record) bool
	span  time.Duration // the bucket of _time, 0 for none
	by    []string      // "_time" is the bucket
	aggs  []statsAgg
	// above filters `where <aboveField> > above` when aboveField is set.
	aboveField string
	above      int
	// from names, for a BY column renamed before stats (`rename
	// requestParameters.* as *`), the field its values come from; "=x"
	// is a constant (`eval f="x"`).
	from map[string]string
}

// statsAgg is one aggregation: fn is count, min_time (min(_time), as
// security_content_ctime renders it), max_time, min_epoch and max_epoch
// (min(_time) left as epoch seconds), values, dc or dc_raw (dc(_raw)); as
// names the column.
type statsAgg struct{ fn, field, as string }

func (s statsSearch) expect(recs []*record) []Row {
	groups := newStatGroups(len(s.aggs))
	for _, r := range recs {
		if !s.match(r) {
			continue
		}
		bucket := r.at
		if s.span > 0 {
			bucket = r.at.Truncate(s.span)
		}
		key := make([]string, len(s.by))
		dropped := false
		for i, f := range s.by {
			if f == "_time" {
				key[i] = strconv.FormatInt(bucket.Unix(), 10)
				continue
			}
			src := f
			if o, ok := s.from[f]; ok {
				src = o
			}
			var v []string
			if c, ok := strings.CutPrefix(src, "="); ok { // eval f="constant"
				v = []string{c}
			} else {
				v = ctField(r, src)
			}
			if len(v) == 0 {
				dropped = true
				break
			}
			key[i] = v[0] // the BY fields these detections use are single-valued
		}
		if dropped {
			continue
		}
		// bucket replaces _time before stats: min(_time) is the bucket's.
		g := groups.add(key, bucket)
		for i, a := range s.aggs {
			switch a.fn {
			case "values", "dc":
				src := a.field
				if o, ok := s.from[src]; ok {
					src = o
				}
				if c, ok := strings.CutPrefix(src, "="); ok { // a constant
					g.sets[i][c] = true
					continue
				}
				for _, v := range ctField(r, src) {
					g.sets[i][v] = true
				}
			case "dc_raw": // the generator's records are all distinct
				g.sets[i][strconv.Itoa(r.seq)] = true
			}
		}
	}
	rows := []Row{}
	for _, g := range groups.sorted() {
		var row Row
		for i, f := range s.by {
			if f == "_time" {
				row = append(row, Field{f, []string{g.bucket.UTC().Format("2006-01-02T15:04:05.000+00:00")}})
				continue
			}
			row = append(row, Field{f, []string{g.key[i]}})
		}
		keep := true
		for i, a := range s.aggs {
			v := g.value(i, a.fn)
			if a.as == s.aboveField && s.aboveField != "" {
				n, _ := strconv.Atoi(v[0])
				keep = n > s.above
			}
			if len(v) > 0 {
				row = append(row, Field{a.as, v})
			}
		}
		if keep {
			rows = append(rows, row)
		}
	}
	return rows
}

// value is the group's result of aggregation i, whose function is fn, as
// stats writes it; values sorted, nil when there are none.
func (g *statGroup) value(i int, fn string) []string {
	switch fn {
	case "count":
		return []string{strconv.Itoa(g.count)}
	case "min_time":
		return []string{g.first.UTC().Format(ctimeLayout)}
	case "max_time":
		return []string{g.last.UTC().Format(ctimeLayout)}
	case "min_epoch":
		return []string{strconv.FormatInt(g.first.Unix(), 10)}
	case "max_epoch":
		return []string{strconv.FormatInt(g.last.Unix(), 10)}
	case "dc", "dc_raw":
		return []string{strconv.Itoa(len(g.sets[i]))}
	case "values":
		var v []string
		for x := range g.sets[i] {
			v = append(v, x)
		}
		slices.Sort(v)
		return v
	}
	panic("attackdata: unknown aggregation " + fn) // a programming error in this package
}

// statGroups gathers the results of a stats restatement by their BY
// values.
type statGroups struct {
	byKey map[string]*statGroup
	order []*statGroup
	sets  int // distinct-value sets per group, one per aggregation
}

// statGroup is one BY group: its values, the time of its first result
// (the _time bucket when _time is a BY field), its count, its earliest
// and latest times, and a set of values per aggregation.
type statGroup struct {
	key         []string
	bucket      time.Time
	count       int
	first, last time.Time
	sets        []map[string]bool
}

func newStatGroups(sets int) *statGroups {
	return &statGroups{byKey: map[string]*statGroup{}, sets: sets}
}

// add counts a result at time at in key's group, made on first use.
func (gs *statGroups) add(key []string, at time.Time) *statGroup {
	k := strings.Join(key, "\x00")
	g := gs.byKey[k]
	if g == nil {
		g = &statGroup{key: key, bucket: at, first: at, last: at}
		for range gs.sets {
			g.sets = append(g.sets, map[string]bool{})
		}
		gs.byKey[k] = g
		gs.order = append(gs.order, g)
	}
	g.count++
	g.first, g.last = minTime(g.first, at), maxTime(g.last, at)
	return g
}

// sorted returns the groups in the order stats returns its rows
// (compareKeys).
func (gs *statGroups) sorted() []*statGroup {
	sort.Slice(gs.order, func(i, j int) bool { return compareKeys(gs.order[i].key, gs.order[j].key) < 0 })
	return gs.order
}

// compareKeys orders BY values as stats does: numbers numerically, before
// strings, which compare in byte order.
func compareKeys(a, b []string) int {
	for i := range a {
		x, errX := strconv.ParseFloat(a[i], 64)
		y, errY := strconv.ParseFloat(b[i], 64)
		switch {
		case errX == nil && errY == nil:
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
		case errX == nil:
			return -1
		case errY == nil:
			return 1
		default:
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
	}
	return 0
}

// raw returns the record's JSON as Splunk's KV_MODE=json extracts it:
// nested objects joined with dots, arrays as {} (only the paths these
// detections read are looked up).
func raw(r *record, path string) []string {
	if r.decoded == nil {
		b, _ := json.Marshal(r.Record)
		_ = json.Unmarshal(b, &r.decoded)
	}
	cur := []any{r.decoded}
	for _, k := range strings.Split(path, ".") {
		name, each := strings.CutSuffix(k, "{}")
		var next []any
		for _, c := range cur {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			v := m[name]
			if !each {
				next = append(next, v)
				continue
			}
			if list, ok := v.([]any); ok { // {} takes every element
				next = append(next, list...)
			}
		}
		cur = next
	}
	var out []string
	for _, c := range cur {
		switch v := c.(type) {
		case nil:
		case string:
			out = append(out, v)
		case bool:
			out = append(out, strconv.FormatBool(v))
		case float64:
			out = append(out, number(v))
		default:
			b, _ := json.Marshal(v)
			out = append(out, string(b))
		}
	}
	return out
}

// ctField returns a field of a CloudTrail record as a search sees it:
// the add-on's fields (docs/knowledge.md) for the names these detections
// read, else the record's own JSON path.
func ctField(r *record, name string) []string {
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	id := func(keys ...string) string { v, _ := r.UserIdentity.Path(keys...).(string); return v }
	switch name {
	case "src", "src_ip":
		return one(r.SourceIPAddress)
	case "user_agent":
		return one(r.UserAgent)
	case "user_type": // the add-on's case list (docs/knowledge.md), for calls other than sign-ins and AssumeRole*
		n := r.EventName
		switch {
		case strings.HasPrefix(n, "AssumeRole") || n == "ConsoleLogin":
			panic("attackdata: no user_type derivation for " + n) // a programming error in this package
		case slices.Contains([]string{"CreateLoginProfile", "ListSigningCertificates", "CreateAccessKey", "ListAccessKeys", "CreateVirtualMFADevice",
			"GetAccountSummary", "ListAccountAliases"}, n) || strings.HasSuffix(n, "User"):
			return nil
		case r.EventType == "AwsConsoleSignIn":
			return one(id("type"))
		case strings.HasSuffix(n, "Instances") || strings.HasSuffix(n, "Volume") || strings.HasPrefix(n, "Put") || strings.HasSuffix(n, "Bucket"):
			return one(id("type"))
		case n == "ListAliases" || n == "ListRoles" || n == "DeleteNetworkInterface":
			return one(id("sessionContext", "sessionIssuer", "type"))
		}
		return one(id("type"))
	case "userName": // userName ?? requestParameters.sourceIdentity ?? the role's name ?? the ARN's last segment
		src, _ := r.RequestParameters.Get("sourceIdentity").(string)
		return one(cmp(id("userName"), src, id("sessionContext", "sessionIssuer", "userName"), arnName(r)))
	case "region", "vendor_region":
		return one(r.AwsRegion)
	case "status": // the action-status lookup: a success row, then * for every failure
		if r.EventName != "DeactivateMFADevice" && r.EventName != "DeleteVirtualMFADevice" {
			panic("attackdata: no status row for " + r.EventName) // a programming error in this package
		}
		if ctField(r, "errorCode")[0] == "success" {
			return one("success")
		}
		return one("failure")
	case "user_arn":
		if a := id("arn"); a != "" {
			return one(a)
		}
		v, _ := r.RequestParameters.Get("roleArn").(string)
		return one(v)
	case "aws_account_id":
		if t := id("type"); t == "AWSAccount" || t == "AWSService" {
			return one(r.RecipientAccountID)
		}
		return one(id("accountId"))
	case "errorCode": // calculated: raw, else failure for a failed console sign-in, else success
		if r.ErrorCode != "" {
			return one(r.ErrorCode)
		}
		if r.ResponseElements.Get("ConsoleLogin") == "Failure" {
			return one("failure")
		}
		return one("success")
	case "user_name", "action", "app", "signature", "dest", "user", "user_id":
		if r.svc == "signin" {
			return one(signinField(r, name))
		}
		if name == "user" { // the add-on's case list, but for the calls with arms of their own
			n := r.EventName
			if slices.Contains([]string{"PutBucketAcl", "CreateLoadBalancerListeners", "CreateLoadBalancerPolicy", "CreateLogGroup", "CreateLogStream",
				"GetBucketEncryption", "CreateLoginProfile", "CreateUser", "DeleteUser", "DeleteLoginProfile", "UpdateUser", "CreateAccessKey",
				"ListSigningCertificates", "ListAccessKeys", "GetUser", "GetAccountSummary", "ListAccountAliases", "CreateVirtualMFADevice",
				"CreateNetworkInterface", "DeleteNetworkInterface"}, n) || strings.HasPrefix(n, "AssumeRole") {
				panic("attackdata: no user derivation for " + n) // a programming error in this package
			}
			if r.EventType == "AwsConsoleSignIn" || n == "ListAliases" || n == "ListRoles" || strings.HasSuffix(n, "Instances") ||
				strings.HasSuffix(n, "Volume") || strings.HasPrefix(n, "Put") || strings.HasSuffix(n, "Bucket") {
				return one(cmp(id("userName"), id("sessionContext", "sessionIssuer", "userName")))
			}
			return one(id("userName"))
		}
	}
	if name == "user_name" { // the default arm: the caller's name, the role's, or the ARN's last segment
		return one(cmp(id("userName"), id("sessionContext", "sessionIssuer", "userName"), arnName(r)))
	}
	if strings.Contains(name, "_") && !strings.Contains(name, ".") {
		panic("attackdata: no derivation for add-on field " + name) // a programming error in this package
	}
	return raw(r, name)
}

// arnName is the last path segment of the last colon segment of the
// caller's ARN, else of requestParameters.roleArn.
func arnName(r *record) string {
	arn, _ := r.UserIdentity.Get("arn").(string)
	if arn == "" {
		arn, _ = r.RequestParameters.Get("roleArn").(string)
	}
	parts := strings.Split(arn, ":")
	segs := strings.Split(parts[len(parts)-1], "/")
	return segs[len(segs)-1]
}

// meanStdev is the mean and the sample standard deviation (n-1 in the
// divisor, 0 for one value) of counts, as stats avg() and stdev() give
// them: the expected rows of the detections that flag a count three
// deviations above its group's mean.
func meanStdev(counts []float64) (mean, stdev float64) {
	var sum float64
	for _, c := range counts {
		sum += c
	}
	n := float64(len(counts))
	mean = sum / n
	if len(counts) < 2 {
		return mean, 0
	}
	var sq float64
	for _, c := range counts {
		d := c - mean
		sq += d * d
	}
	return mean, math.Sqrt(sq / (n - 1))
}
