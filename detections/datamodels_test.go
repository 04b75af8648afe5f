package detections_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/detections"
	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/datamodel"
)

var update = flag.Bool("update", false, "rewrite the generated docs/datamodels pages")

// builtinModels loads the built-in data models, as every run does (read
// when first asked for, as embedded apps' are), and fails on any problem:
// search and test never report the built-in files' problems, which this
// test keeps at none.
func builtinModels(t *testing.T) *datamodel.Set {
	t.Helper()
	var apps []conf.App
	for _, f := range detections.Knowledge() {
		apps = append(apps, conf.App{FS: f, Name: "(built-in)", Embedded: true})
	}
	s := datamodel.Load(apps)
	if problems := append(s.Problems, s.DeferredProblems()...); len(problems) > 0 {
		t.Fatalf("loading the built-in models: %v", problems)
	}
	return s
}

// TestDataModelDocs: docs/datamodels/<Model>.md is generated from each
// built-in model's definition; a page that differs is stale.
func TestDataModelDocs(t *testing.T) {
	s := builtinModels(t)
	if len(s.Models()) == 0 {
		t.Fatal("no built-in data models")
	}
	for _, m := range s.Models() {
		path := filepath.Join("..", "docs", "datamodels", m.Name+".md")
		want := datamodel.Doc(m)
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./detections -run TestDataModelDocs -update writes it)", err)
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("%s is stale (-generated +file; go test ./detections -run TestDataModelDocs -update rewrites it):\n%s", path, diff)
		}
	}
}

// TestBuiltinModels checks the built-ins against the CIM documentation's
// dataset trees and the fields ESCU's detections name (the model pages of
// the Common Information Model Add-on Manual: "Change", "Authentication",
// "Endpoint", "Network Traffic", "Network Resolution (DNS)", "Web",
// "Email", "Intrusion Detection", "Malware", ...).
func TestBuiltinModels(t *testing.T) {
	s := builtinModels(t)
	for _, c := range []struct {
		model    string
		datasets []string
		fields   []string
	}{
		{"Change",
			[]string{"All_Changes", "All_Changes.Auditing_Changes", "All_Changes.Endpoint_Changes", "All_Changes.Network_Changes",
				"All_Changes.Account_Management", "All_Changes.Account_Management.Accounts_Created", "All_Changes.Instance_Changes"},
			[]string{"All_Changes.action", "All_Changes.status", "All_Changes.user", "All_Changes.src", "All_Changes.command",
				"All_Changes.object_id", "All_Changes.object", "All_Changes.object_category", "All_Changes.change_type",
				"All_Changes.vendor_region", "All_Changes.Instance_Changes.instance_type", "All_Changes.Account_Management.src_user", "_time"}},
		{"Authentication",
			[]string{"Authentication", "Authentication.Default_Authentication", "Authentication.Failed_Authentication",
				"Authentication.Successful_Authentication", "Authentication.Privileged_Authentication", "Authentication.Insecure_Authentication"},
			[]string{"Authentication.action", "Authentication.app", "Authentication.signature", "Authentication.user",
				"Authentication.src", "Authentication.dest", "Authentication.user_id", "Authentication.user_role",
				"Authentication.vendor_account", "Authentication.user_agent"}},
		{"Endpoint",
			[]string{"Processes", "Filesystem", "Registry", "Services", "Ports"},
			[]string{"Processes.process_name", "Processes.process", "Processes.parent_process_name", "Processes.parent_process",
				"Processes.process_id", "Processes.parent_process_id", "Processes.original_file_name", "Processes.process_path",
				"Processes.process_guid", "Processes.process_hash", "Processes.process_integrity_level", "Processes.process_exec",
				"Processes.dest", "Processes.user", "Processes.user_id", "Processes.action", "Processes.vendor_product",
				"Filesystem.file_path", "Filesystem.file_name", "Filesystem.file_create_time", "Filesystem.process_guid",
				"Registry.registry_path", "Registry.registry_key_name", "Registry.registry_value_name", "Registry.registry_value_data",
				"Services.service_name", "Services.start_mode", "Services.service_path", "Ports.dest_port", "Ports.transport_dest_port"}},
		{"Network_Traffic",
			[]string{"All_Traffic", "All_Traffic.Traffic_By_Action", "All_Traffic.Traffic_By_Action.Allowed_Traffic", "Blocked_Traffic"},
			[]string{"All_Traffic.dest_port", "All_Traffic.dest_ip", "All_Traffic.src_ip", "All_Traffic.app", "All_Traffic.transport",
				"All_Traffic.action", "All_Traffic.bytes_out", "All_Traffic.direction"}},
		{"Network_Resolution", []string{"DNS"},
			[]string{"DNS.query", "DNS.answer", "DNS.reply_code", "DNS.reply_code_id", "DNS.record_type", "DNS.src", "DNS.dest"}},
		{"Web", []string{"Web", "Web.Proxy", "Web.Storage"},
			[]string{"Web.url", "Web.url_domain", "Web.url_length", "Web.http_user_agent", "Web.http_method", "Web.status",
				"Web.uri_path", "Web.http_referrer_domain", "Web.dest", "Web.src", "Web.user"}},
		{"Email", []string{"All_Email", "All_Email.Delivery", "All_Email.Content", "All_Email.Filtering"},
			[]string{"All_Email.src_user", "All_Email.recipient", "All_Email.recipient_domain", "All_Email.subject",
				"All_Email.file_name", "All_Email.message_id", "All_Email.Filtering.filter_action"}},
		{"Intrusion_Detection", []string{"IDS_Attacks", "IDS_Attacks.Network_IDS_Attacks"},
			[]string{"IDS_Attacks.signature", "IDS_Attacks.severity", "IDS_Attacks.ids_type", "IDS_Attacks.dest"}},
		{"Malware", []string{"Malware_Attacks", "Malware_Attacks.Blocked_Malware", "Malware_Operations"},
			[]string{"Malware_Attacks.signature", "Malware_Attacks.file_name", "Malware_Attacks.action"}},
		{"Network_Sessions", []string{"All_Sessions", "All_Sessions.VPN", "All_Sessions.DHCP"},
			[]string{"All_Sessions.src_ip", "All_Sessions.user"}},
		{"Certificates", []string{"All_Certificates", "All_Certificates.SSL"},
			[]string{"All_Certificates.SSL.ssl_issuer", "All_Certificates.SSL.ssl_subject_common_name"}},
		{"Updates", []string{"Updates", "Updates.Installed_Updates", "Update_Errors"}, []string{"Updates.status", "Updates.signature"}},
		{"Vulnerabilities", []string{"Vulnerabilities", "Vulnerabilities.High_Critical_Vulnerabilities"},
			[]string{"Vulnerabilities.cve", "Vulnerabilities.severity", "Vulnerabilities.signature"}},
		{"Alerts", []string{"Alerts"}, []string{"Alerts.signature", "Alerts.severity", "Alerts.app"}},
		{"Data_Access", []string{"Data_Access"}, []string{"Data_Access.object", "Data_Access.action", "Data_Access.user"}},
		{"Compute_Inventory", []string{"All_Inventory", "All_Inventory.User.Default_Accounts"}, []string{"All_Inventory.dest"}},
	} {
		m := s.Model(c.model)
		if m == nil {
			t.Errorf("no built-in %s model", c.model)
			continue
		}
		for _, d := range c.datasets {
			if m.Dataset(d) == nil {
				t.Errorf("%s has no dataset %s", c.model, d)
			}
		}
		for _, f := range c.fields {
			if !m.HasField(f) {
				t.Errorf("%s does not define %s", c.model, f)
			}
		}
		if m.HasField(m.Roots()[0].Lineage + ".no_such_field") {
			t.Errorf("%s defines a field it should not", c.model)
		}
	}
}

// TestBuiltinModelsRun: every calculated field of the built-ins is an Eval
// (the only kind the evaluator runs; docs/datamodels/README.md says how the
// CIM's Rex and Lookup calculations are written as Eval), so no built-in
// dataset is unsupported.
func TestBuiltinModelsRun(t *testing.T) {
	for _, m := range builtinModels(t).Models() {
		for _, d := range m.Datasets {
			for _, c := range d.Calcs {
				if c.Type != "Eval" {
					t.Errorf("%s.%s: calculation %s is %s", m.Name, d.Lineage, c.ID, c.Type)
				}
			}
		}
	}
}
