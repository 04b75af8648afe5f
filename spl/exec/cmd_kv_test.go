package exec_test

import (
	"strings"
	"testing"
)

// psTable is the _raw of a ps-like table event.
const psTable = `| makeresults | eval host="h1", _raw="  PID TTY          TIME CMD
    1 ?        00:00:02 systemd --user
  812 pts/0    00:00:00 splunkd -p 8089"`

// Search Reference, "xmlkv", "extract" and "multikv".
func TestKeyValueCommands(t *testing.T) {
	runDocCases(t, []docCase{
		// "xmlkv": <foo>bar</foo> gives foo=bar.
		{"xmlkv: text elements become fields",
			`| makeresults | eval _raw="<event><name>Bob</name><age>30</age><tag a=\"1\">x</tag><tag>y</tag><empty/><nested><inner>z</inner></nested></event>" | xmlkv maxinputs=10000 | table name age tag inner nested empty`,
			compact(`{"name": "Bob", "age": "30", "tag": ["x", "y"], "inner": "z"}`)},
		{"xmlkv: a named field",
			`| makeresults | eval doc="<a>1</a>" | xmlkv doc | table a`,
			compact(`{"a": "1"}`)},
		// "extract": extract pairdelim="|;", kvdelim="=:".
		{"extract: pairdelim and kvdelim are sets of characters",
			`| makeresults | eval _raw="key1=val1|key2:val2;key3=val3" | extract pairdelim="|;", kvdelim="=:" | table key1 key2 key3`,
			compact(`{"key1": "val1", "key2": "val2", "key3": "val3"}`)},
		{"extract: key=value and quoted values, keys cleaned, existing fields kept",
			`| makeresults | eval a="old", _raw="a=1 b=\"x y\" c-d=3, e=4;f=5" | extract | table a b c_d e f`,
			compact(`{"a": "old", "b": "x y", "c_d": "3", "e": "4", "f": "5"}`)},
		{"kv: mv_add adds values, limit caps pairs",
			`| makeresults | eval _raw="a=1 a=2 b=3" | kv mv_add=t limit=2 | table a b`,
			compact(`{"a": ["1", "2"]}`)},
		{"extract: clean_keys=f",
			`| makeresults | eval _raw="c-d=3" | extract clean_keys=f | table c-d`,
			compact(`{"c-d": "3"}`)},
		// "multikv": one result per table row, the header naming the fields.
		{"multikv: rows of a table, attributes copied",
			psTable + ` | multikv | table host PID TTY TIME CMD`,
			compact(`{"host": "h1", "PID": "1", "TTY": "?", "TIME": "00:00:02", "CMD": "systemd --user"}`, `{"host": "h1", "PID": "812", "TTY": "pts/0", "TIME": "00:00:00", "CMD": "splunkd -p 8089"}`)},
		// "multikv fields COMMAND filter splunkd".
		{"multikv: fields and filter",
			psTable + ` | multikv fields PID CMD filter SPLUNKD | table host PID TTY CMD _raw`,
			compact(`{"host": "h1", "PID": "812", "CMD": "splunkd -p 8089", "_raw": "  812 pts/0    00:00:00 splunkd -p 8089"}`)},
		{"multikv: noheader, copyattrs=f",
			`| makeresults | eval host="h", _raw="a b
c d e" | multikv noheader=t copyattrs=f | table host Column_1 Column_2 Column_3`,
			compact(`{"Column_1": "a", "Column_2": "b"}`, `{"Column_1": "c", "Column_2": "d", "Column_3": "e"}`)},
		{"multikv: forceheader, multitable, rmorig=f",
			`| makeresults | eval _raw="title
x y
1 2

p
7" | multikv forceheader=2 rmorig=f | table x y p`,
			compact(`{}`, `{"x": "1", "y": "2"}`, `{"p": "7"}`)},
	})
}

func TestKeyValueErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | extract access-extractions`, "extractors named from transforms.conf"},
		{`| makeresults | extract segment=t`, "option segment of command extract is not supported by the evaluator"},
		{`| makeresults | xmlkv maxinputs=0`, "xmlkv: maxinputs must be a number, at least 1"},
		{`| makeresults | multikv conf=ps`, "option conf of command multikv is not supported by the evaluator (multikv.conf stanzas are not read)"},
	} {
		err := compileError(t, c.search)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
}
