package harness_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/harness"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/knowledge"
	"github.com/splharness/splharness/spl/value"
)

// dmData is CloudTrail of the shapes the data models select: console
// logins (default, privileged, failed), AssumeRole by a user and by a
// service, IAM user changes, EC2 instances and security groups, S3 and
// CloudTrail changes.
var dmData = inputFS{os.DirFS("testdata/datamodel"), []string{"cloudtrail.json"}}

// cimSample has events for every dataset of the built-in models that
// CloudTrail does not reach (Endpoint, Network_Traffic, Web, Email and the
// rest), of a test sourcetype whose event types give them the tags the
// models select by (testdata/datamodel/cimsample, an app in Splunk's
// format): two of each kind, one with action=success and one without, and
// more for the child datasets' constraints (actions, severities,
// statuses, IDS types) and calculated fields (process names, URL and
// recipient domains, DNS reply codes, byte and packet sums).
var cimSample = dmInput{os.DirFS("testdata/datamodel"), []string{"cimsample.json"}, "cim:sample"}

// cimSampleEnv is the knowledge of the built-in apps and the cimsample app.
func cimSampleEnv(t *testing.T) *knowledge.Knowledge {
	t.Helper()
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	k := harness.NewEnv(append(apps, conf.App{FS: os.DirFS("testdata/datamodel/cimsample"), Name: "cimsample"}), now).Knowledge
	if len(k.Problems) > 0 {
		t.Fatalf("loading the cimsample app: %v", k.Problems)
	}
	return k
}

// dmInput is events of one sourcetype read from files.
type dmInput struct {
	fsys       fs.FS
	paths      []string
	sourcetype string
}

func (in dmInput) Events(fn func(*event.Event) error) error {
	_, err := event.ReadFS(in.fsys, in.paths, event.Options{Sourcetype: in.sourcetype, Source: in.paths[0]}, fn)
	return err
}

// runRows runs a search (no macros) over dmData with k's knowledge and
// data models; each row is its fields, a multivalue joined with " | ".
func runRows(t *testing.T, k *knowledge.Knowledge, text string) []map[string]string {
	t.Helper()
	return runRowsOn(t, k, dmData, "aws:cloudtrail", text)
}

// runRowsOn is runRows over the events of in, of sourcetype st.
func runRowsOn(t *testing.T, k *knowledge.Knowledge, in engine.Input, st, text string) []map[string]string {
	t.Helper()
	prog, problems := engine.Compile(diag.NewSource("search", text), nil, k.Sourcetype(st), engine.Options{Now: now, DataModels: k.DataModels})
	if len(problems) > 0 {
		t.Fatalf("%s: %v", text, problems)
	}
	var rows []map[string]string
	if _, err := prog.Run(in, func(r *value.Row) error {
		m := map[string]string{}
		r.Each(func(n string, v value.Value) { m[n] = strings.Join(v.Values(), " | ") })
		rows = append(rows, m)
		return nil
	}); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return rows
}

// dmQuery is one aggregation asked both ways: as tstats over a dataset,
// and as stats after the dataset's constraint search and calculations.
// Fields are the root dataset's, written without the prefix.
type dmQuery struct {
	name  string
	aggs  string // with {f} around each field: count dc({src}) as srcs
	where string // search terms, fields in {}; "" for none
	by    []string
	span  string
	fill  bool // fillnull_value=null
}

var dmQueries = []dmQuery{
	{name: "count by user", aggs: "count", by: []string{"user"}},
	{name: "functions by user and dest", aggs: "dc({src}) as srcs values({action}) as actions min(_time) as first max(_time) as last count({user}) as n", by: []string{"user", "dest"}},
	{name: "by _time span", aggs: "count earliest(_time) as e latest(_time) as l values({src}) as src", by: []string{"_time"}, span: "1h"},
	{name: "fillnull_value on a sometimes-null field", aggs: "count", by: []string{"user_type", "vendor_account"}, fill: true},
	{name: "null BY values drop rows", aggs: "count", by: []string{"user_type"}},
	{name: "where", aggs: "count values({dest}) as dest", where: "{action}=success OR {action}=created OR {user}=alice", by: []string{"src"}},
	{name: "no BY", aggs: "count dc({user}) as users"},
}

// everyField is a query of the values of every field of d's root dataset,
// so that each calculated field is compared.
func everyField(d *datamodel.Dataset) dmQuery {
	root := d
	for root.Parent != nil {
		root = root.Parent
	}
	var aggs []string
	for _, f := range root.OwnFields() {
		aggs = append(aggs, fmt.Sprintf("values({%s}) as %s", f, f))
	}
	return dmQuery{name: "values of every field", aggs: strings.Join(aggs, " ")}
}

// qualify writes a dmQuery's {f} fields as root.f.
func qualify(s, root string) string {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}') + i
		s = s[:i] + root + "." + s[i+1:j] + s[j+1:]
	}
}

// dmQueryFields are the fields a dmQuery names: its {f} fields and its BY
// fields.
func dmQueryFields(q dmQuery) []string {
	var out []string
	for _, s := range []string{q.aggs, q.where} {
		for {
			i := strings.IndexByte(s, '{')
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], '}') + i
			out = append(out, s[i+1:j])
			s = s[j+1:]
		}
	}
	return append(out, q.by...)
}

// plain writes a dmQuery's {f} fields as f.
func plain(s string) string { return strings.NewReplacer("{", "", "}", "").Replace(s) }

// tstatsText is q as tstats over dataset d of model m, reading the
// dataset by name (byName) or through nodename.
func tstatsText(q dmQuery, m *datamodel.Model, d *datamodel.Dataset, byName bool) string {
	root := d
	for root.Parent != nil {
		root = root.Parent
	}
	var b strings.Builder
	b.WriteString("| tstats summariesonly=false allow_old_summaries=true ")
	if q.fill {
		b.WriteString("fillnull_value=null ")
	}
	b.WriteString(qualify(q.aggs, root.Name))
	var where []string
	if byName {
		fmt.Fprintf(&b, " from datamodel=%s.%s", m.Name, d.Name)
	} else {
		fmt.Fprintf(&b, " from datamodel=%s", m.Name)
		where = append(where, "nodename="+d.Lineage)
	}
	if q.where != "" {
		where = append(where, "("+qualify(q.where, root.Name)+")")
	}
	if len(where) > 0 {
		b.WriteString(" where " + strings.Join(where, " "))
	}
	if len(q.by) > 0 {
		b.WriteString(" by")
		for _, f := range q.by {
			if f == "_time" {
				b.WriteString(" _time")
			} else {
				b.WriteString(" " + root.Name + "." + f)
			}
		}
		if q.span != "" {
			b.WriteString(" span=" + q.span)
		}
	}
	// The rows come back without the dataset prefix, as ESCU's
	// drop_dm_object_name leaves them.
	fmt.Fprintf(&b, " | rename %s.* as *", root.Name)
	return b.String()
}

// constraintText is q as Splunk documents an un-accelerated data model
// search: each dataset's constraints from the root down, each followed
// by its calculated fields, then stats. A field of q that the root
// dataset does not define is null, as tstats reads only the model's
// fields (docs/datamodels/README.md).
func constraintText(q dmQuery, m *datamodel.Model, d *datamodel.Dataset) string {
	var chain []*datamodel.Dataset
	for x := d; x != nil; x = x.Parent {
		chain = append([]*datamodel.Dataset{x}, chain...)
	}
	var parts []string
	for _, x := range chain {
		cons := "*"
		if len(x.Constraints) > 0 {
			cons = "(" + strings.Join(x.Constraints, ") (") + ")"
		}
		parts = append(parts, "search "+cons)
		for _, c := range x.Calcs {
			parts = append(parts, "eval "+c.Outputs[0].Name+"="+c.Expression)
		}
	}
	var undefined []string
	for _, f := range dmQueryFields(q) {
		if f != "_time" && !m.HasField(chain[0].Name+"."+f) && !slices.Contains(undefined, f+"=null()") {
			undefined = append(undefined, f+"=null()")
		}
	}
	if len(undefined) > 0 {
		parts = append(parts, "eval "+strings.Join(undefined, ", "))
	}
	if q.where != "" {
		parts = append(parts, "search "+plain(q.where))
	}
	by := strings.Join(q.by, " ")
	if q.span != "" {
		// tstats groups by the span's bucket but aggregates the events'
		// own _time (docs/datamodels/README.md).
		parts = append(parts, "bin _time as _bucket span="+q.span)
		by = strings.ReplaceAll(by, "_time", "_bucket")
	}
	if q.fill {
		var fs []string
		for _, f := range q.by {
			if f != "_time" {
				fs = append(fs, f)
			}
		}
		parts = append(parts, "fillnull value=null "+strings.Join(fs, " "))
	}
	st := "stats " + plain(q.aggs)
	if len(q.by) > 0 {
		st += " by " + by
	}
	parts = append(parts, st)
	if q.span != "" {
		parts = append(parts, "rename _bucket as _time")
	}
	return strings.Join(parts, " | ")
}

// TestDataModelEquivalence: for every dataset of the built-in models, each
// query gives the same rows as tstats (by dataset name and through
// nodename) as the dataset's constraint search followed by stats over the
// same events: what Splunk documents an un-accelerated data model search
// to be ("tstats", Search Reference; "Design data models", Knowledge
// Manager Manual). Each runs over the CloudTrail test data and over the
// cimsample events, and every dataset has events in one of them.
func TestDataModelEquivalence(t *testing.T) {
	t.Parallel()
	type input struct {
		name string
		k    *knowledge.Knowledge
		in   engine.Input
		st   string
	}
	cloudtrail := input{"cloudtrail", env().Knowledge, dmData, "aws:cloudtrail"}
	sample := input{"cimsample", cimSampleEnv(t), cimSample, cimSample.sourcetype}
	var mu sync.Mutex
	nonEmpty := map[string]bool{}
	for _, m := range cloudtrail.k.DataModels.Models() {
		// CloudTrail reaches Change and Authentication only, the
		// samples every other model.
		in := sample
		if m.Name == "Change" || m.Name == "Authentication" {
			in = cloudtrail
		}
		for _, d := range m.Datasets {
			{
				t.Run(m.Name+"/"+d.Name, func(t *testing.T) {
					queries := dmQueries
					if d.Parent == nil {
						// A child's calculated fields are its root's.
						queries = append(queries, everyField(d))
					}
					for _, q := range queries {
						want := runRowsOn(t, in.k, in.in, in.st, constraintText(q, m, d))
						ways := []bool{true, false}
						if in.name == "cimsample" && q.name != "no BY" {
							// nodename is the same path for every model:
							// once a dataset is enough outside Change and
							// Authentication.
							ways = ways[:1]
						}
						for _, byName := range ways {
							got := runRowsOn(t, in.k, in.in, in.st, tstatsText(q, m, d, byName))
							if diff := cmp.Diff(want, got); diff != "" {
								t.Errorf("%s\n%s\n(-stats +tstats):\n%s", tstatsText(q, m, d, byName), constraintText(q, m, d), diff)
							}
						}
						if q.name == "no BY" && len(want) == 1 && want[0]["count"] != "0" {
							mu.Lock()
							nonEmpty[m.Name+"/"+in.name+"/"+d.Lineage] = true
							mu.Unlock()
						}
					}
				})
			}
		}
	}
	// The data must put events in every dataset, or the test proves
	// little; CloudTrail reaches these Change and Authentication ones.
	for _, l := range []string{
		"All_Changes", "All_Changes.Account_Management", "All_Changes.Account_Management.Accounts_Created",
		"All_Changes.Account_Management.Accounts_Deleted", "All_Changes.Instance_Changes", "All_Changes.Network_Changes",
		"All_Changes.Endpoint_Changes", "Authentication", "Authentication.Failed_Authentication",
		"Authentication.Successful_Authentication", "Authentication.Default_Authentication",
		"Authentication.Privileged_Authentication",
	} {
		model := "Change"
		if strings.HasPrefix(l, "Authentication") {
			model = "Authentication"
		}
		if !nonEmpty[model+"/cloudtrail/"+l] {
			t.Errorf("no CloudTrail event of the test data is in %s", l)
		}
	}
	for _, m := range cloudtrail.k.DataModels.Models() {
		if m.Name == "Change" || m.Name == "Authentication" {
			continue
		}
		for _, d := range m.Datasets {
			if !nonEmpty[m.Name+"/cimsample/"+d.Lineage] {
				t.Errorf("no cimsample event is in %s.%s", m.Name, d.Lineage)
			}
		}
	}
}

// TestDataModelDocumentedConstraints checks datasets against the
// constraint searches the CIM documentation prints for them ("Change" and
// "Authentication", Common Information Model Add-on Manual), written out
// by hand rather than from the definitions.
func TestDataModelDocumentedConstraints(t *testing.T) {
	k := env().Knowledge
	for _, c := range []struct{ tstats, search string }{
		{"| tstats count from datamodel=Change by All_Changes.user | rename All_Changes.* as *",
			"search tag=change | eval user=if(isnull(user) OR user=\"\",\"unknown\",user) | stats count by user"},
		{"| tstats count from datamodel=Change where nodename=All_Changes.Account_Management by All_Changes.object_category | rename All_Changes.* as *",
			"search tag=change tag=account | eval object_category=if(isnull(object_category) OR object_category=\"\",\"unknown\",object_category) | stats count by object_category"},
		{"| tstats count from datamodel=Change.Instance_Changes by All_Changes.Instance_Changes.instance_type | rename All_Changes.Instance_Changes.* as *",
			"search tag=change tag=instance | eval instance_type=if(isnull(instance_type) OR instance_type=\"\",\"unknown\",instance_type) | stats count by instance_type"},
		{"| tstats count from datamodel=Authentication.Failed_Authentication by Authentication.user | rename Authentication.* as *",
			"search tag=authentication NOT (action=success user=*$) | eval action=if(isnull(action) OR action=\"\",\"unknown\",action), result=if(isnull(result) OR result=\"\",\"unknown\",result), user=if(isnull(user) OR user=\"\",\"unknown\",user) | search action=failure OR result=failure | stats count by user"},
		{"| tstats count from datamodel=Authentication where nodename=Authentication.Privileged_Authentication by Authentication.src | rename Authentication.* as *",
			"search tag=authentication tag=privileged NOT (action=success user=*$) | eval src=if(isnull(src) OR src=\"\",\"unknown\",src) | stats count by src"},
	} {
		want, got := runRows(t, k, c.search), runRows(t, k, c.tstats)
		if len(want) == 0 {
			t.Errorf("%s: no rows; the test data must reach the dataset", c.search)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.tstats, diff)
		}
	}
}

// TestTstatsSemantics pins documented behaviours of tstats on the test
// data ("tstats", Search Reference): null BY values drop the event unless
// fillnull_value is set, tstats without a data model sees only indexed
// fields, and the datamodel and from commands return the dataset's
// events with their qualified fields.
func TestTstatsSemantics(t *testing.T) {
	k := env().Knowledge
	for _, c := range []struct {
		name, search string
		want         []map[string]string
	}{
		{"indexed fields", "| tstats count where index=* by sourcetype",
			[]map[string]string{{"sourcetype": "aws:cloudtrail", "count": "20"}}},
		{"search-time fields are not indexed", "| tstats count where eventName=ConsoleLogin", []map[string]string{{"count": "0"}}},
		{"null BY drops", "| tstats count from datamodel=Authentication by Authentication.user_role", nil},
		{"fillnull_value", "| tstats fillnull_value=NULL count from datamodel=Authentication by Authentication.user_role",
			[]map[string]string{{"Authentication.user_role": "NULL", "count": "3"}}},
		{"nodename values", "| tstats count from datamodel=Authentication where Authentication.user=bob by nodename",
			[]map[string]string{
				{"nodename": "Authentication", "count": "1"},
				{"nodename": "Authentication.Default_Authentication", "count": "1"},
				{"nodename": "Authentication.Default_Authentication.Failed_Default_Authentication", "count": "1"},
				{"nodename": "Authentication.Failed_Authentication", "count": "1"},
			}},
		// The add-on 7.0.0's action-status rows: a denied GetUser is
		// GetUser,*,read,failure, a CreateAccessKey
		// CreateAccessKey,success,modified,success.
		{"datamodel search", "| datamodel Change Account_Management search | table eventName All_Changes.Account_Management.src_user All_Changes.action",
			[]map[string]string{
				{"eventName": "GetUser", "All_Changes.Account_Management.src_user": "unknown", "All_Changes.action": "read"},
				{"eventName": "DeleteUser", "All_Changes.Account_Management.src_user": "unknown", "All_Changes.action": "deleted"},
				{"eventName": "CreateAccessKey", "All_Changes.Account_Management.src_user": "unknown", "All_Changes.action": "modified"},
				{"eventName": "CreateUser", "All_Changes.Account_Management.src_user": "unknown", "All_Changes.action": "created"},
			}},
		{"from datamodel", "| from datamodel:Authentication.Privileged_Authentication | table eventName Authentication.user",
			[]map[string]string{{"eventName": "ConsoleLogin", "Authentication.user": "unknown"}}},
		{"datamodel flat", "| datamodel Authentication Failed_Authentication flat | table eventName user action",
			[]map[string]string{{"eventName": "ConsoleLogin", "user": "bob", "action": "failure"}}},
		{"prestats then stats", "| tstats prestats=true count from datamodel=Change by All_Changes.object_category | stats count by All_Changes.object_category",
			runRows(t, k, "| tstats count from datamodel=Change by All_Changes.object_category")},
	} {
		if got := runRows(t, k, c.search); !cmp.Equal(c.want, got) {
			t.Errorf("%s: %s (-want +got):\n%s", c.name, c.search, cmp.Diff(c.want, got))
		}
	}
}

// TestCIMAppFolder: a CIM app folder in Splunk's format (data model JSON
// under default/data/models, datamodels.conf, constraints calling the
// cim_<Model>_indexes macros of macros.conf, as Splunk_SA_CIM ships them),
// given as an --app, replaces the built-in models and gives the same rows.
func TestCIMAppFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "Splunk_SA_CIM")
	models := filepath.Join(dir, "default", "data", "models")
	if err := os.MkdirAll(models, 0o755); err != nil {
		t.Fatal(err)
	}
	var builtin fs.FS
	for _, f := range detections.Knowledge() {
		if _, err := fs.Stat(f, "default/datamodels.conf"); err == nil {
			builtin = f
		}
	}
	if builtin == nil {
		t.Fatal("no built-in app has datamodels.conf")
	}
	files, _ := fs.Glob(builtin, "default/data/models/*.json")
	var stanzas, macros strings.Builder
	for _, f := range files {
		b, err := fs.ReadFile(builtin, f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		name := m["modelName"].(string)
		// Reverse the objects: Splunk's files list parents first, but a
		// loader must not depend on it.
		objs := m["objects"].([]any)
		slices.Reverse(objs)
		for _, o := range objs {
			o := o.(map[string]any)
			if o["parentName"] == "BaseEvent" {
				c := o["constraints"].([]any)[0].(map[string]any)
				c["search"] = fmt.Sprintf("(`cim_%s_indexes`) %s", name, c["search"])
			}
		}
		out, _ := json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(filepath.Join(models, name+".json"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&stanzas, "[%s]\nacceleration = false\n\n", name)
		fmt.Fprintf(&macros, "[cim_%s_indexes]\ndefinition = ()\n\n", name)
	}
	for name, text := range map[string]string{"datamodels.conf": stanzas.String(), "macros.conf": macros.String()} {
		if err := os.WriteFile(filepath.Join(dir, "default", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "builtin"})
	}
	cim := conf.App{FS: os.DirFS(dir), Name: "Splunk_SA_CIM"}
	sampleApp := conf.App{FS: os.DirFS("testdata/datamodel/cimsample"), Name: "cimsample"}
	withApp := harness.NewEnv(append(apps, cim), now).Knowledge
	if len(withApp.DataModels.Problems) > 0 {
		t.Fatalf("loading the app: %v", withApp.DataModels.Problems)
	}
	if m := withApp.DataModels.Model("Change"); m == nil || m.App != "Splunk_SA_CIM" || m.Roots()[0].Constraints[0] != "(()) tag=change" {
		t.Fatalf("the app's Change model does not replace the built-in one: %+v", m)
	}
	sampleWithApp := harness.NewEnv(append(append(apps, cim), sampleApp), now).Knowledge
	k, sample := env().Knowledge, cimSampleEnv(t)
	for _, m := range k.DataModels.Models() {
		for _, d := range m.Datasets {
			if m.Name == "Change" || m.Name == "Authentication" {
				for _, q := range dmQueries {
					text := tstatsText(q, m, d, true)
					want, got := runRows(t, k, text), runRows(t, withApp, text)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s (-built-in +app):\n%s", text, diff)
					}
				}
				continue
			}
			// The other models over the cimsample events: every field
			// of the dataset, and its count.
			for _, q := range []dmQuery{dmQueries[len(dmQueries)-1], everyField(d)} {
				text := tstatsText(q, m, d, true)
				want := runRowsOn(t, sample, cimSample, cimSample.sourcetype, text)
				got := runRowsOn(t, sampleWithApp, cimSample, cimSample.sourcetype, text)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-built-in +app):\n%s", text, diff)
				}
			}
		}
	}
}

// TestDataModelFindings: validate points datamodel-field and
// datamodel-undefined at the word of the search in the YAML file.
func TestDataModelFindings(t *testing.T) {
	const id = "22222222-2222-2222-2222-222222222222"
	search := "| tstats count from datamodel=Change where nodename=All_Changes.Nope by All_Changes.user All_Changes.no_such"
	content, err := harness.Load(fstest.MapFS{"detections/cloud/d.yml": {Data: []byte(detectionYAML(id, search, noStory))}}, "mem")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range env().Validate(content) {
		got = append(got, fmt.Sprintf("%d:%d %s %s", f.Line, f.Column, f.Code, f.Message))
	}
	col := func(s string) int { return strings.Index(search, s) + len("search: '") + 1 }
	want := []string{
		fmt.Sprintf("10:%d datamodel-undefined data model Change has no dataset All_Changes.Nope", col("All_Changes.Nope")),
		fmt.Sprintf("10:%d datamodel-field data model Change does not define the field All_Changes.no_such", col("All_Changes.no_such")),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestESCUDataModels: on the shared ESCU tree, validate reports no
// tstats as unsupported and no datamodel-* finding: the one model the
// built-ins lack, Enterprise Security's Risk, is valid Splunk that cannot
// run here, an unsupported-command warning (docs/datamodels/README.md).
func TestESCUDataModels(t *testing.T) {
	c := loadESCU(t)
	tstats := 0
	for _, d := range c.Detections {
		if strings.Contains(d.Search, "tstats") {
			tstats++
		}
	}
	if tstats == 0 {
		t.Fatal("the ESCU tree has no tstats detection")
	}
	e := env()
	ran := 0
	for _, d := range c.Detections {
		if !strings.Contains(d.Search, "tstats") {
			continue
		}
		p, fs := e.Prepare(c, d, "aws:cloudtrail")
		if len(fs) > 0 || p == nil || p.Plan == nil {
			continue // findings; validate below says which
		}
		var rows []*value.Row
		if _, err := p.Plan.Run(dmData, func(r *value.Row) error { rows = append(rows, r); return nil }); err != nil {
			// A baseline's table (KV store) or model (MLTK) is made by a
			// search the content does not ship; a test's sidecar supplies
			// it (attack_data/README.md), this run has none.
			if !strings.Contains(err.Error(), "KV store") && !strings.Contains(err.Error(), "no search of this run fitted it") {
				t.Errorf("%s: %v", d.Name, err)
			}
			continue
		}
		ran++
		// ESCU's macros (security_content_summariesonly,
		// drop_dm_object_name) work on tstats rows: the login failure
		// detection names bob, without the Authentication. prefix.
		if d.Name == "AWS Credential Access Failed Login" && (len(rows) != 1 || rows[0].Get("user").String() != "bob") {
			t.Errorf("%s: rows %v, want one for user bob", d.Name, rows)
		}
	}
	if ran < 5 {
		t.Errorf("only %d ESCU tstats detections compiled and ran", ran)
	}
	risk := 0
	for _, f := range e.Validate(c) {
		switch {
		case f.Code == "unsupported-command" && strings.Contains(f.Message, "tstats"):
			t.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
		case f.Code == "unsupported-command" && strings.HasPrefix(f.Message, "data model "):
			if !strings.HasPrefix(f.Message, "data model Risk (from Enterprise Security)") {
				t.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
			}
			risk++
		case strings.HasPrefix(f.Code, "datamodel-"):
			t.Errorf("%s:%d: %s: %s", f.File, f.Line, f.Code, f.Message)
		}
	}
	if risk != 2 {
		t.Errorf("%d Risk findings, want 2 (AWS S3 Exfiltration Behavior Identified, Risk Rule for Dev Sec Ops by Repository)", risk)
	}
}

// TestCloudTrailEventTypes: each record of the test data has the event
// types and tags the AWS add-on 7.0.0 gives it (default/eventtypes.conf
// and tags.conf, restated in detections/knowledge/aws), worked out by hand
// from the add-on's searches.
func TestCloudTrailEventTypes(t *testing.T) {
	want := map[string][2]string{
		"evt-0001": {"aws_cloudtrail_auth | aws_cloudtrail_consolelogin_auth | aws_cloudtrail_multifactor_auth", "authentication | cloud | default | multifactor"},
		"evt-0002": {"aws_cloudtrail_auth | aws_cloudtrail_consolelogin_auth | aws_cloudtrail_errors", "authentication | cloud | default | error"},
		"evt-0003": {"aws_cloudtrail_auth | aws_cloudtrail_auth_privileged", "authentication | cloud | privileged"},
		// A user's AssumeRole is assume_role, not authentication; a
		// service's is neither.
		"evt-0004": {"aws_cloudtrail_assumeRole_auth | aws_cloudtrail_auth", "assume_role | cloud"},
		"evt-0005": {"aws_cloudtrail_auth", "cloud"},
		"evt-0006": {"aws_cloudtrail_change | aws_cloudtrail_iam_change | aws_cloudtrail_iam_change_acctmgmt", "account | change | cloud | management"},
		"evt-0007": {"aws_cloudtrail_change | aws_cloudtrail_iam_change | aws_cloudtrail_iam_change_acctmgmt", "account | change | cloud | management"},
		"evt-0008": {"aws_cloudtrail_delete_events | aws_cloudtrail_errors | aws_cloudtrail_iam_change | aws_cloudtrail_iam_change_acctmgmt", "account | change | cloud | error | management"},
		// GetUser is no IAM change (*get*), but denied it is account
		// management.
		"evt-0009": {"aws_cloudtrail_acctmgmt | aws_cloudtrail_errors", "account | change | cloud | error | management"},
		"evt-0010": {"aws_cloudtrail_ec2_events | aws_cloudtrail_instance", "change | cloud | instance"},
		"evt-0011": {"aws_cloudtrail_ec2_events | aws_cloudtrail_instance", "change | cloud | instance"},
		"evt-0012": {"aws_cloudtrail_ec2_events | aws_cloudtrail_instance", "change | cloud | instance"},
		// The raw term *Remove* matches "<sensitiveDataRemoved>".
		"evt-0013": {"aws_cloudtrail_delete_events", "change | cloud"},
		"evt-0014": {"aws_cloudtrail_change | aws_cloudtrail_notable_network_events", "change | cloud | network"},
		"evt-0015": {"aws_cloudtrail_notable_network_events", "change | cloud | network"},
		"evt-0016": {"", ""},
		"evt-0017": {"aws_cloudtrail_delete_events | aws_cloudtrail_endpoint_change", "change | cloud | endpoint"},
		"evt-0018": {"aws_cloudtrail_change | aws_cloudtrail_iam_change", "change | cloud"},
		"evt-0019": {"", ""},
		"evt-0020": {"aws_cloudtrail_delete_events", "change | cloud"},
	}
	got := map[string][2]string{}
	for _, r := range runRows(t, env().Knowledge, "* | table eventID eventtype tag") {
		got[r["eventID"]] = [2]string{r["eventtype"], r["tag"]}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
