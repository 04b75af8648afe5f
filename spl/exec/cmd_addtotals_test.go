package exec_test

import (
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// Search Reference, "addtotals": row and column totals.
func TestAddtotalsOptions(t *testing.T) {
	const three = `| makeresults count=3 | streamstats count | eval a=count*10, name="n".count | fields - _time`
	runDocCases(t, []docCase{
		{"addtotals: row totals by default",
			three + ` | addtotals`,
			compact(`{"count": "1", "a": "10", "name": "n1", "Total": "11"}`, `{"count": "2", "a": "20", "name": "n2", "Total": "22"}`, `{"count": "3", "a": "30", "name": "n3", "Total": "33"}`)},
		// "addtotals fieldname=sum": the total's name.
		{"addtotals: fieldname and a field list",
			three + ` | addtotals fieldname=sum a | table a sum`,
			compact(`{"a": "10", "sum": "10"}`, `{"a": "20", "sum": "20"}`, `{"a": "30", "sum": "30"}`)},
		// "addtotals row=f col=t labelfield=change_name label=ALL".
		{"addtotals: column totals with a label in an existing field",
			three + ` | addtotals row=f col=t labelfield=name label=ALL`,
			compact(`{"count": "1", "a": "10", "name": "n1"}`, `{"count": "2", "a": "20", "name": "n2"}`, `{"count": "3", "a": "30", "name": "n3"}`, `{"count": "6", "a": "60", "name": "ALL"}`)},
		{"addtotals: column totals include the row totals",
			three + ` | addtotals col=t | table Total`,
			compact(`{"Total": "11"}`, `{"Total": "22"}`, `{"Total": "33"}`, `{"Total": "66"}`)},
		{"addtotals: a new label field is the last column, label defaults to Total",
			three + ` | addtotals row=f col=t labelfield=lbl a`,
			compact(`{"count": "1", "a": "10", "name": "n1"}`, `{"count": "2", "a": "20", "name": "n2"}`, `{"count": "3", "a": "30", "name": "n3"}`, `{"a": "60", "lbl": "Total"}`)},
		{"addtotals: no summary without results",
			`| makeresults | where 1=2 | addtotals col=t`,
			compact()},
	})
}

// addtotals without a field list sums every numeric field of an event,
// named in the search or not: count 12, and the default fields linecount
// 1, date_hour 9, date_mday 1, date_year 2026, timestartpos 14 and
// timeendpos 34 (the others are 0 or not numbers).
func TestAddtotalsReadsEveryField(t *testing.T) {
	got := run(t, cloudtrail, `eventName=GetObject | addtotals | table eventName Total`, exec.Options{})
	if want := compact(`{"eventName": "GetObject", "Total": "2097"}`); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}
