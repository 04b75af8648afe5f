package event

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func BenchmarkStructFind(b *testing.B) {
	raw := benchRecord(b)
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(raw)); err != nil {
		b.Fatal(err)
	}
	raw = buf.String()
	var hits [8]hit
	var scratch []uint64
	if !structFind(raw, cloudtrailStamps.names, &hits, &scratch, true) {
		b.Fatal("not settled")
	}
	b.Run("struct", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			structFind(raw, cloudtrailStamps.names, &hits, &scratch, true)
		}
	})
	b.Run("bits", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		scratch = make([]uint64, 200)
		for b.Loop() {
			var st structState
			structBits(raw, scratch, &st, true)
		}
	})
	b.Run("quickScan", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			quickScan(raw, cloudtrailStamps.names, &hits, nil, &scratch)
		}
	})
}

// structBitsAgree checks structBits with assembly, where this processor
// has it, against structBitsGeneric.
func structBitsAgree(t *testing.T, s string) {
	t.Helper()
	words := (len(s) + 63) / 64 * structOut
	asm, generic := make([]uint64, words), make([]uint64, words)
	var asmState, genericState structState
	structBits(s, asm, &asmState, true)
	structBits(s, generic, &genericState, false)
	if !slices.Equal(asm, generic) || asmState != genericState {
		t.Fatalf("%q: structBits with assembly %x %+v, in Go %x %+v", s, asm, asmState, generic, genericState)
	}
}

// structAgrees checks structFind, with and without assembly, against
// quickScan: what it settles, quickScan settles with the same hits, and
// encoding/json says is valid.
func structAgrees(t *testing.T, s string) bool {
	t.Helper()
	structBitsAgree(t, s)
	settled := false
	for _, f := range []*stampFinder{cloudtrailStamps, defaultStamps} {
		for _, asm := range []bool{false, true} {
			var got, want [8]hit
			var scratch []uint64
			ok := structFind(s, f.names, &got, &scratch, asm)
			if !ok {
				continue
			}
			settled = true
			if !json.Valid([]byte(s)) {
				t.Fatalf("%q: structFind accepted invalid JSON", s)
			}
			if !quickScan(s, f.names, &want, nil, &scratch) || got != want {
				t.Fatalf("%q, %v: structFind found %+v, quickScan %+v", s, f.names, got, want)
			}
		}
	}
	return settled
}

func TestStructFind(t *testing.T) {
	for _, c := range []string{
		`{}`, `{"eventTime":"2023-04-11T01:18:47Z"}`, `{"a":[],"b":{},"c":[{}],"eventTime":1}`,
		`{"a":{"eventTime":"x"},"eventTime":{"b":1},"eventTime":"2023-04-11T01:18:47Z","eventTime":"later"}`,
		`{"eventTime":12,"time":1.5e9,"timestamp":"t","_time":"u"}`, `{"a":[1,-2.5e+3,true,false,null,"x"]}`,
		`{"a":"{[:,]}","xeventTime":1,"eventTimex":2,"eventTime":true}`,
		`{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":[1,]}`, `{"a":[01]}`, `{"a":1.}`, `{"a":tru}`, `{"a":1]`,
		`{1:2}`, `{"a":[1}}`, `{"a":1}}`, `{"a":1}{}`, `{"a":"b":"c"}`, `{"a","b"}`, `{"a":["b":1]}`,
		`{"a":1 }`, strings.Repeat(`{"a":`, 64) + "1" + strings.Repeat("}", 64),
		strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65),
		`{"k":"` + strings.Repeat("x", 61) + `","eventTime":"2023-04-11T01:18:47Z","b":[` + strings.Repeat(`"y",`, 40) + `{}]}`, `{"a":"b""c"}`, `{"a":{"b":1}:2}`, `{"a":nullx}`, `{"a":-}`, `{"a":"}`,
	} {
		structAgrees(t, c)
	}
	for _, name := range exampleNames(t) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(readExample(t, name))); err != nil {
			t.Fatal(err)
		}
		if !structAgrees(t, buf.String()) && !bytes.ContainsAny(buf.Bytes(), "\\\x80") {
			t.Errorf("%s: structFind did not settle a compact record", name)
		}
	}
}

func FuzzStructFind(f *testing.F) {
	f.Add(`{"eventTime":"2023-04-11T01:18:47Z","a":[1,"b",{"c":null}],"d":true}`)
	f.Fuzz(func(t *testing.T, s string) { structAgrees(t, s) })
}
