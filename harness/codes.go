package harness

import "github.com/splharness/splharness/spl/diag"

// Rule is one kind of finding: its stable code, the severity every
// finding of that code has, and a one-line summary (SARIF's rule
// description and docs/findings.md).
type Rule struct {
	Code     string
	Severity Severity
	Summary  string
}

// Rules lists every finding code, in the order docs/findings.md shows
// them. A finding's severity comes from here and nowhere else, so the
// table in the docs, --select/--ignore and SARIF's rules cannot drift.
//
// Errors are content Splunk or its build would reject, or that cannot do
// what it says; warnings are valid Splunk that splharness cannot check or
// run (unsupported commands and functions, searches over splharness's own
// limits), so a run on real content stays green on them unless asked with
// --fail-on warning.
var Rules = []Rule{
	{string(diag.YAML), SeverityError, "the file is not readable YAML"},
	{string(diag.Schema), SeverityError, "a key is missing, unknown or of the wrong type for the ESCU schema"},
	{"duplicate-id", SeverityError, "two objects share one id"},
	{string(diag.Syntax), SeverityError, "the search does not parse as SPL"},
	{string(diag.MacroUndefined), SeverityError, "the search calls a macro that no macros/ file or app defines"},
	{string(diag.MacroArity), SeverityError, "a macro is called with a number of arguments none of its definitions takes"},
	{string(diag.MacroRecursion), SeverityError, "a macro calls itself"},
	{string(diag.MacroUnexpanded), SeverityError, "a macro call is left in a search that was not expanded"},
	{"lookup-undefined", SeverityError, "the search uses a lookup that lookups/ and the knowledge do not define"},
	{"lookup-field", SeverityError, "the search names a field its lookup table does not have"},
	{"lookup-file", SeverityError, "a lookup definition's file is missing or unreadable"},
	{string(diag.DatamodelUndefined), SeverityError, "tstats, datamodel or from names a data model that neither the loaded models nor Splunk's apps define, or a dataset its model lacks"},
	{string(diag.DatamodelField), SeverityError, "tstats names a Dataset.field its data model does not define (it is null in every row)"},
	{"conf", SeverityError, "a .conf file of the knowledge or an --app folder has a line splharness cannot read"},
	{"data-source-undefined", SeverityError, "the detection names a data source that data_sources/ does not define"},
	{"story-undefined", SeverityError, "the detection names an analytic story that stories/ does not define"},
	{"mitre-unknown", SeverityError, "an ATT&CK id is not in the ATT&CK table ESCU ships"},
	{string(diag.UnsupportedCommand), SeverityWarning, "valid SPL with a command the evaluator does not implement: its tests cannot run"},
	{string(diag.UnsupportedFunction), SeverityWarning, "valid SPL with an eval or stats function the evaluator does not implement: its tests cannot run"},
	{string(diag.Limit), SeverityWarning, "the search is over one of splharness's limits (--limit raises them)"},
}

// Codes of test results, the rule ids of failing and erroring tests in
// SARIF and GitHub annotations. They are not finding codes: --select and
// --ignore do not take them, and a test that fails always fails the run.
const (
	CodeTestFail  = "test-fail"
	CodeTestError = "test-error"
)

// TestRules describe the two test result codes.
var TestRules = []Rule{
	{CodeTestFail, SeverityError, "a detection test ran and did not get what it expects: no rows, missing entity fields, or rows other than the expected ones"},
	{CodeTestError, SeverityError, "a detection test could not run: its search does not compile or its attack data is missing or unreadable"},
}

// SeverityOf is the severity of a finding code; a code missing from Rules
// (which a test forbids) counts as an error, so it is never overlooked.
// The test result codes are errors too.
func SeverityOf(code string) Severity {
	for _, r := range Rules {
		if r.Code == code {
			return r.Severity
		}
	}
	return SeverityError
}

// FindingCodes are the codes of Rules, in their order.
func FindingCodes() []string {
	out := make([]string, len(Rules))
	for i, r := range Rules {
		out[i] = r.Code
	}
	return out
}
