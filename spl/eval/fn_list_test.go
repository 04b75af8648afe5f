package eval

import (
	"strings"
	"testing"
)

// splunkEvalFunctions is every function of the Search Reference's
// "Evaluation functions" list, by the chapter it is in, written from
// Splunk's pages:
//
//	https://docs.splunk.com/Documentation/Splunk/9.4.0/SearchReference/CommonEvalFunctions
//	(Quick reference for evaluation functions; the chapters below are its
//	"Type of function" column, each with its own page of the same title)
//	https://docs.splunk.com/Documentation/Splunk/9.2.1/SearchReference/BitFunctions
//	https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/json-functions
var splunkEvalFunctions = map[string]string{
	"Bitwise functions": `bit_and bit_or bit_not bit_xor bit_shift_left bit_shift_right`,
	"Comparison and Conditional functions": `case cidrmatch coalesce false if in like lookup match null
		nullif searchmatch true validate`,
	"Conversion functions":    `ipmask printf toint tobool tonumber tostring`,
	"Cryptographic functions": `md5 sha1 sha256 sha512`,
	"Date and Time functions": `now relative_time strftime strptime time`,
	"Informational functions": `isarray isbool isdouble isint ismv isnotnull isnull isnum isobject isstr typeof`,
	"JSON functions": `json_object json json_append json_array json_array_to_mv json_delete json_entries
		json_extend json_extract json_extract_exact json_has_key_exact json_keys json_set json_set_exact json_valid`,
	"Mathematical functions": `abs ceiling ceil exact exp floor ln log pi pow round sigfig sqrt sum`,
	"Multivalue eval functions": `commands mvappend mvcount mvdedup mvfilter mvfind mvindex mvjoin mvmap
		mvrange mvsort mvzip mv_to_json_array split`,
	"Statistical eval functions":            `avg max min random`,
	"Text functions":                        `len lower ltrim replace rtrim spath substr trim upper urldecode`,
	"Trigonometry and Hyperbolic functions": `acos acosh asin asinh atan atan2 atanh cos cosh hypot sin sinh tan tanh`,
}

// TestSplunkFunctionList: no function on Splunk's list is unknown to the
// registry. A function the evaluator cannot run is registered as
// unsupported, so that its calls are refused naming it and saying why.
func TestSplunkFunctionList(t *testing.T) {
	n := 0
	for chapter, names := range splunkEvalFunctions {
		for _, name := range strings.Fields(names) {
			n++
			if _, ok := Lookup(name); !ok {
				t.Errorf("%s: %s() is on Splunk's list but not in the registry", chapter, name)
			}
		}
	}
	if n != 117 {
		t.Errorf("the list has %d names, want 117: a chapter was lost or changed", n)
	}
}
