package exec_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/splharness/splharness/spl"
)

// FuzzDerivedPrefilter: on records whose raw errorCode and eventName vary
// (any value, other cases, absent, multivalue, JSON-escaped at the first
// or last character, inside a longer string, written bare as a number,
// true, false or null, a failed console login), a search on a field the add-on calculates or aliases,
// on a tag or an event type, or of a data model (whose constraints name
// tags) gives the same rows with the derived pre-filter as without any
// pre-filter.
func FuzzDerivedPrefilter(f *testing.F) {
	for _, s := range []struct {
		code, value string
		shape       uint8
	}{
		{"AccessDenied", "AccessDenied", 0},
		{"AccessDenied", "accessdenied", 1},
		{"", "success", 0},
		{"success", "SUCCESS", 2},
		{"ThrottlingException", "Throttling*", 3},
		{"Failure", "fail*", 4},
		{"AccessDenied", "*Denied", 5},
		{"InvokeModel", "InvokeModel", 6},
		{"null", "null", 7},
		{"Ünïcode", "ünïcode", 8},
		{`a"b\c`, `a"b\c`, 9},
		{"ConsoleLogin", "authentication", 42},
		{"DeleteBucket", "change", 43},
		{"ConsoleLogin", "priv*", 44},
		{"RunInstances", "aws_cloudtrail_ec2_events", 49},
		{"CONSOLELOGIN", "*auth*", 50},
		{"ConsoleLogin", "", 56},
		{"CreateUser", "", 57},
		{"ConsoleLogin", "", 58},
		{"true", "TRUE", 0},
		{"123", "12", 7},
		{"xAccessDeniedx", "AccessDenied", 0},
	} {
		f.Add(s.code, s.value, s.shape)
	}
	with, without := addOn(f, true), addOn(f, true)
	without.NoPrefilter = true
	models := []string{"Authentication", "Change", "Authentication.Privileged_Authentication", "Change.Account_Management", "Authentication.Failed_Authentication", "Change.Instance_Changes", "Authentication.Successful_Authentication"}
	fields := []string{"errorCode", "result_id", "msg", "signature", "command", "src", "user_agent"}
	f.Fuzz(func(t *testing.T, code, value string, shape uint8) {
		if !json.Valid([]byte(fmt.Sprintf("%q", code))) || strings.ContainsAny(value, "\x00\n\r") || len(code) > 200 || len(value) > 200 {
			return
		}
		str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		events := lines{}
		add := func(fields string) {
			events = append(events, fmt.Sprintf(`{"eventTime":"2026-11-01T1%d:00:00Z","eventSource":"bedrock.amazonaws.com",%s,"sourceIPAddress":"192.0.2.9"}`, len(events)%10, fields))
		}
		add(`"eventName":"InvokeModel","errorCode":` + str(code))
		add(`"eventName":` + str(code) + `,"errorCode":` + str(strings.ToUpper(code)))
		add(`"eventName":"InvokeModel","errorCode":` + str(strings.ToLower(code)))
		add(`"eventName":"InvokeModel"`)
		add(`"eventName":"InvokeModel","errorCode":[` + str(code) + `,"x"]`)
		add(`"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"userAgent":` + str(code))
		add(`"eventName":"InvokeModel","errorCode":null,"sourceIPAddress":` + str(code))
		add(`"eventName":"ConsoleLogin","additionalEventData":{"LoginTo":` + str(code) + `},"userIdentity":{"type":"IAMUser","userName":"u"}`)
		add(`"eventName":"ConsoleLogin","userIdentity":{"type":` + str(code) + `}`)
		add(`"eventName":"C\u006fnsoleLogin","additionalEventData":{"LoginTo":"x"}`)
		add(`"eventName":` + str("Remove"+code) + `,"eventSource":"iam.amazonaws.com"`)
		if r := []rune(code); len(r) > 0 && r[0] < 0x10000 {
			add(fmt.Sprintf(`"eventName":"InvokeModel","errorCode":"\u%04x%s`, r[0], str(string(r[1:]))[1:]))
		}
		// The literals of raw values take a JSON string's quotes: the
		// value inside a longer string, its last character escaped, and
		// written bare (a number, true, false or null) must not be missed.
		add(`"eventName":` + str("x"+code+"x") + `,"errorCode":` + str(code+"x") + `,"userAgent":` + str("x"+code))
		if r := []rune(code); len(r) > 0 && r[len(r)-1] < 0x10000 {
			head := str(string(r[:len(r)-1]))
			add(fmt.Sprintf(`"eventName":%s\u%04x","errorCode":%s\u%04x"`, head[:len(head)-1], r[len(r)-1], head[:len(head)-1], r[len(r)-1]))
		}
		if json.Valid([]byte(code)) && code != "" && strings.IndexAny(code[:1], "\"{[ \t\r\n") < 0 {
			add(`"eventName":` + code + `,"errorCode":` + code + `,"userAgent":[` + code + `]`)
		}
		field := fields[int(shape)%len(fields)]
		v := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
		var search string
		tail := " | table _time eventName errorCode " + field
		switch shape / uint8(len(fields)) % 9 {
		case 0:
			search = field + "=" + v
		case 1:
			search = field + "=" + v + "*"
		case 2:
			search = field + "=*" + v
		case 3:
			search = field + " IN (" + v + ", AccessDenied)"
		case 4:
			search = field + "=CASE(" + v + ")"
		case 5:
			search = "eventName=InvokeModel " + field + "=" + v
		case 6:
			search, tail = "tag="+v, " | table _time eventName tag eventtype"
		case 7:
			search, tail = "eventtype="+v, " | table _time eventName tag eventtype"
		case 8:
			// The data models select events by tags (tstats, Search
			// Reference); value is not used.
			search, tail = "| tstats count from datamodel="+models[int(shape)%len(models)]+" by _time span=1s", ""
		}
		search += tail
		if _, err := spl.ParseString(search); err != nil {
			return
		}
		a := runOrError(t, events, search, with)
		b := runOrError(t, events, search, without)
		if a != b {
			t.Errorf("%s: the derived pre-filter changes the rows:\nwith:    %s\nwithout: %s\nevents:\n%s", search, a, b, strings.Join(events, "\n"))
		}
	})
}
