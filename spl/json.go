package spl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// MarshalTree renders a syntax tree as JSON for tools: every node is an
// object with "node" (its Go type, e.g. "StatsCommand", except as
// jsonNodeNames says), "offset" (byte offset in the searched text) and its
// non-empty fields in declaration order. Commands also carry "command",
// their canonical name.
func MarshalTree(n Node) ([]byte, error) {
	var b bytes.Buffer
	writeJSON(&b, reflect.ValueOf(n))
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var posType = reflect.TypeOf(Pos{})

// jsonNodeNames keeps the "node" names of the JSON tree, an interface other
// tools read (parse --format json), when a Go type is renamed: Word was
// called Value before the runtime value model took that name.
var jsonNodeNames = map[string]string{"Word": "Value"}

func writeJSON(b *bytes.Buffer, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			writeStruct(b, v)
			return
		}
		writeJSON(b, v.Elem())
	case reflect.Struct:
		writeStruct(b, v.Addr())
	case reflect.Slice:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.String:
		s, _ := json.Marshal(v.String())
		b.Write(s)
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	default:
		s, _ := json.Marshal(v.Interface())
		b.Write(s)
	}
}

func writeStruct(b *bytes.Buffer, ptr reflect.Value) {
	v := ptr.Elem()
	t := v.Type()
	// List wrappers (Options, FieldList, ...) are plain arrays in JSON.
	if t.NumField() == 1 && t.Field(0).Name == "Items" {
		writeJSON(b, v.Field(0))
		return
	}
	b.WriteString(`{"node":`)
	node := t.Name()
	if old, ok := jsonNodeNames[node]; ok {
		node = old
	}
	name, _ := json.Marshal(node)
	b.Write(name)
	if c, ok := ptr.Interface().(Command); ok {
		b.WriteString(`,"command":`)
		s, _ := json.Marshal(c.Name())
		b.Write(s)
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fv := v.Field(i)
		if !f.IsExported() || fv.IsZero() {
			continue
		}
		if f.Type == posType {
			b.WriteString(`,"offset":`)
			b.WriteString(strconv.Itoa(fv.Interface().(Pos).Offset))
			continue
		}
		b.WriteString(`,"`)
		b.WriteString(jsonName(f.Name))
		b.WriteString(`":`)
		writeJSON(b, fv)
	}
	b.WriteByte('}')
}

// jsonName lowercases the first letter: Aggregations → aggregations.
func jsonName(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
