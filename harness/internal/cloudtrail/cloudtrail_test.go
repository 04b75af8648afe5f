package cloudtrail

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestObjMarshal(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"keys keep their order", Obj{{"z", 1}, {"a", map[string]any{"c": nil, "b": "x"}}, {"m\"", []any{true}}}, `{"z":1,"a":{"b":"x","c":null},"m\"":[true]}`},
		{"nested", Obj{{"sessionIssuer", Obj{{"type", "Role"}, {"arn", "arn:aws:iam::111111111111:role/r"}}}}, `{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111111111111:role/r"}}`},
		{"nil is null", Obj(nil), `null`},
		{"empty is an empty object", Obj{}, `{}`},
		{"nil inside an object", Obj{{"requestParameters", Obj(nil)}}, `{"requestParameters":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Errorf("got %s, want %s", b, c.want)
			}
		})
	}
	for _, bad := range []Obj{{{"f", func() {}}}, {{1, "x"}}} {
		if _, err := json.Marshal(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestObjPath(t *testing.T) {
	o := Obj{{"userIdentity", Obj{{"sessionContext", Obj{{"sessionIssuer", Obj{{"userName", "ci"}}}}}}}, {"n", 2}}
	if got := o.Path("userIdentity", "sessionContext", "sessionIssuer", "userName"); got != "ci" {
		t.Errorf("Path = %v, want ci", got)
	}
	for _, p := range [][]string{{"userIdentity", "missing"}, {"n", "deeper"}, {"absent"}} {
		if got := o.Path(p...); got != nil {
			t.Errorf("Path(%v) = %v, want nil", p, got)
		}
	}
}

// TestWriter: one record a line, keys in CloudTrail's order, optional
// fields left out, and the byte count includes the newlines.
func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	recs := []Record{
		{EventVersion: "1.11", UserIdentity: Obj{{"type", "AWSService"}, {"invokedBy", "ec2.amazonaws.com"}}, EventTime: "2026-01-01T00:00:00Z",
			EventSource: "sts.amazonaws.com", EventName: "AssumeRole", AwsRegion: "us-east-1", SourceIPAddress: "ec2.amazonaws.com",
			UserAgent: "ec2.amazonaws.com", RequestID: "r", EventID: "e", ReadOnly: true, EventType: "AwsApiCall", ManagementEvent: true,
			RecipientAccountID: "111111111111", EventCategory: "Management"},
		{EventVersion: "1.11", EventName: "ConsoleLogin", ErrorCode: "Failed authentication", ResponseElements: Obj{{"ConsoleLogin", "Failure"}},
			TLSDetails: TLS("TLSv1.3", "TLS_AES_128_GCM_SHA256", "signin.aws.amazon.com"), SessionCredentialFromConsole: "true"},
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"eventVersion":"1.11","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventTime":"2026-01-01T00:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"ec2.amazonaws.com","userAgent":"ec2.amazonaws.com","requestParameters":null,"responseElements":null,"requestID":"r","eventID":"e","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111111111111","eventCategory":"Management"}
{"eventVersion":"1.11","userIdentity":null,"eventTime":"","eventSource":"","eventName":"ConsoleLogin","awsRegion":"","sourceIPAddress":"","userAgent":"","errorCode":"Failed authentication","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"eventID":"","readOnly":false,"eventType":"","managementEvent":false,"recipientAccountId":"","eventCategory":"","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"signin.aws.amazon.com"},"sessionCredentialFromConsole":"true"}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if w.Bytes != int64(len(want)) {
		t.Errorf("Bytes = %d, want %d", w.Bytes, len(want))
	}
}
