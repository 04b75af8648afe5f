package exec_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/splharness/splharness/spl"
)

// FuzzAnchoredPrefilter: for any value a record's JSON can hold and any
// pattern a search can compare with it, field=pattern gives the same rows
// with the raw pre-filter, whose literals take a JSON string's quotes
// where the pattern starts or ends with a literal character, as without
// it. The records hold the value as a string, bare (when it is a JSON
// number, true, false or null), inside a longer string, as a key, in an
// array and a nested object, with its first or last character or its
// slashes escaped, in other cases, and with its closing quote about the
// 5000-byte extraction cutoff; the fields compared are raw ones, an
// alias of one, and a calculated field whose values are a raw field's or
// a constant.
func FuzzAnchoredPrefilter(f *testing.F) {
	for _, s := range []struct {
		value, pattern string
		shape          uint8
	}{
		{"GetObject", "Get*", 0},
		{"ForgetObject", "Get*", 0},
		{"BucketPolicy", "*Policy", 1},
		{"DeleteTrail", "DeleteTrail", 2},
		{"true", "TRUE", 0},
		{"null", "nul*", 3},
		{"-1.5e3", "-1.5E3", 0},
		{"123", "12*", 4},
		{"a/b", "a/b", 5},
		{`a"b`, `a"b`, 6},
		{"AccessDenied", "Access*", 7},
		{"success", "succ*", 8},
		{"Ünïcode", "ünï*", 9},
		{"x", "x", 10},
		{"GetX", "Get*X", 11},
		{"ab cd", "ab cd", 12},
	} {
		f.Add(s.value, s.pattern, s.shape)
	}
	with := anchorOptions(f, false)
	without := with
	without.NoPrefilter = true
	fields := []string{"eventName", "eventName{}", "eventName.inner", "api", "code"}
	f.Fuzz(func(t *testing.T, v, pattern string, shape uint8) {
		if len(v) > 100 || len(pattern) > 60 || !utf8.ValidString(v) || !utf8.ValidString(pattern) || strings.ContainsAny(pattern, "\x00\n\r") {
			return
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		var events lines
		add := func(members string) {
			events = append(events, fmt.Sprintf(`{"eventTime":"2026-11-01T10:%02d:00Z",%s}`, len(events), members))
		}
		for _, w := range []string{v, strings.ToUpper(v), strings.ToLower(v), "x" + v, v + "x", "x" + v + "x"} {
			add(`"eventName":` + str(w) + `,"errorCode":` + str(w))
		}
		if bare := strings.TrimSpace(v); bare != "" && json.Valid([]byte(bare)) && strings.IndexAny(bare[:1], `"{[`) < 0 {
			add(`"eventName":` + bare + `,"errorCode":` + bare)
			add(`"eventName":[` + bare + `],"x":{"inner":` + bare + `}`)
		}
		add(str(v) + `:1,"eventName":"other"`)
		add(`"eventName":[` + str(v) + `,1,true,null,"y"]`)
		add(`"eventName":{"inner":` + str(v) + `}`)
		add(`"eventName" :  ` + str(v) + ` `)
		add(`"eventName":` + strings.ReplaceAll(str(v), "/", `\/`))
		if r, n := utf8.DecodeRuneInString(v); n > 0 && r < 0x10000 {
			add(fmt.Sprintf(`"eventName":"\u%04x%s`, r, str(v[n:])[1:]))
		}
		if r, n := utf8.DecodeLastRuneInString(v); n > 0 && r < 0x10000 {
			s := str(v[:len(v)-n])
			add(fmt.Sprintf(`"eventName":%s\u%04x"`, s[:len(s)-1], r))
		}
		for _, end := range []int{4999, 5000, 5001} {
			head := fmt.Sprintf(`{"eventTime":"2026-11-01T11:%02d:00Z","pad":"`, len(events))
			tail := `","eventName":` + str(v)
			if n := end - len(head) - len(tail); n > 0 {
				events = append(events, head+strings.Repeat("p", n)+tail+"}")
			}
		}
		field := fields[int(shape)%len(fields)]
		p := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(pattern) + `"`
		var search string
		switch shape / uint8(len(fields)) % 5 {
		case 0:
			search = field + "=" + p
		case 1:
			search = field + "=" + p + "*"
		case 2:
			search = field + "=*" + p
		case 3:
			search = field + " IN (" + p + ", zz)"
		case 4:
			search = field + "=CASE(" + p + ")"
		}
		search += " | table _time " + field
		if _, err := spl.ParseString(search); err != nil {
			return
		}
		a := runOrError(t, events, search, with)
		b := runOrError(t, events, search, without)
		if a != b {
			t.Errorf("%s: the pre-filter changes the rows:\nwith:    %s\nwithout: %s\nevents:\n%s", search, a, b, strings.Join(events, "\n"))
		}
	})
}
