// Package cloudtrail writes AWS CloudTrail records as CloudTrail delivers
// them: one JSON object per record, its keys in CloudTrail's order (the
// "CloudTrail record contents" page of the AWS CloudTrail User Guide). The
// generators of attack data (harness/attackdata) and of benchmark data
// (harness/gen) both write through it, so a record has one shape.
package cloudtrail

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Obj is a JSON object that keeps its keys in the order written, as
// CloudTrail's records do (encoding/json sorts a map's keys). A nil Obj is
// written as JSON null, as CloudTrail writes a call without request
// parameters or response elements; an empty, non-nil Obj is written {}.
type Obj []KV

// KV is one key of an Obj (a string) and its value. It is an array, not
// a struct, so that records can be written as nested literals
// (Obj{{"type", "IAMUser"}}) from other packages.
type KV [2]any

// MarshalJSON writes the keys in order.
func (o Obj) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	b := []byte{'{'}
	for i, f := range o {
		if i > 0 {
			b = append(b, ',')
		}
		key, ok := f[0].(string)
		if !ok {
			return nil, fmt.Errorf("cloudtrail: key %v of an object is not a string", f[0])
		}
		k, err := json.Marshal(key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f[1])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// Get returns the value of key k, or nil.
func (o Obj) Get(k string) any {
	for _, f := range o {
		if f[0] == k {
			return f[1]
		}
	}
	return nil
}

// Path returns the value at a path of nested objects, or nil.
func (o Obj) Path(keys ...string) any {
	var cur any = o
	for _, k := range keys {
		m, ok := cur.(Obj)
		if !ok {
			return nil
		}
		cur = m.Get(k)
	}
	return cur
}

// Record is one CloudTrail record, its fields in CloudTrail's order.
// Optional fields are left out when empty, as CloudTrail leaves them out.
type Record struct {
	EventVersion        string `json:"eventVersion"`
	UserIdentity        Obj    `json:"userIdentity"`
	EventTime           string `json:"eventTime"`
	EventSource         string `json:"eventSource"`
	EventName           string `json:"eventName"`
	AwsRegion           string `json:"awsRegion"`
	SourceIPAddress     string `json:"sourceIPAddress"`
	UserAgent           string `json:"userAgent"`
	ErrorCode           string `json:"errorCode,omitempty"`
	ErrorMessage        string `json:"errorMessage,omitempty"`
	RequestParameters   Obj    `json:"requestParameters"`
	ResponseElements    Obj    `json:"responseElements"`
	AdditionalEventData Obj    `json:"additionalEventData,omitempty"`
	RequestID           string `json:"requestID,omitempty"`
	EventID             string `json:"eventID"`
	ReadOnly            bool   `json:"readOnly"`
	Resources           []Obj  `json:"resources,omitempty"`
	EventType           string `json:"eventType"`
	ManagementEvent     bool   `json:"managementEvent"`
	RecipientAccountID  string `json:"recipientAccountId"`
	ServiceEventDetails Obj    `json:"serviceEventDetails,omitempty"`
	EventCategory       string `json:"eventCategory"`
	TLSDetails          Obj    `json:"tlsDetails,omitempty"`
	// SessionCredentialFromConsole is "true" for a call made from the AWS
	// Management Console.
	SessionCredentialFromConsole string `json:"sessionCredentialFromConsole,omitempty"`
}

// TLS returns a record's tlsDetails.
func TLS(version, cipher, host string) Obj {
	return Obj{{"tlsVersion", version}, {"cipherSuite", cipher}, {"clientProvidedHostHeader", host}}
}

// Writer writes records one JSON object a line (newline-delimited JSON,
// which Splunk's aws:cloudtrail sourcetype reads one event a line).
type Writer struct {
	w *bufio.Writer
	// Bytes counts the bytes written, newlines included.
	Bytes int64
}

// NewWriter returns a Writer on w; call Flush when done.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriterSize(w, 1<<20)} }

// Write writes one record: v is a Record, or a struct that embeds one.
func (w *Writer) Write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Bytes += int64(len(b) + 1)
	if _, err := w.w.Write(b); err != nil {
		return err
	}
	return w.w.WriteByte('\n')
}

// Flush writes out what is buffered.
func (w *Writer) Flush() error { return w.w.Flush() }
