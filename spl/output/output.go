// Package output writes result rows as JSON (the contract other tools read),
// CSV, or an aligned text table for people.
package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/splharness/splharness/spl/value"
)

// Field is one field of a rendered row.
type Field struct {
	Name   string
	Values []string
}

// Row renders a result row: its fields in order, every value a string, as
// Splunk's REST API returns them. _time is shown as Splunk's REST API
// shows it, ISO 8601 with milliseconds and offset, in UTC.
func Row(r *value.Row) []Field {
	var out []Field
	r.Each(func(name string, v value.Value) {
		vals := v.Values()
		if name == "_time" {
			if t, ok := v.Number(); ok {
				vals = []string{FormatTime(t)}
			}
		}
		out = append(out, Field{Name: name, Values: vals})
	})
	return out
}

// FormatTime renders an epoch time as 2024-03-18T14:36:46.000+00:00.
func FormatTime(t float64) string {
	sec, frac := math.Modf(t)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC().Format("2006-01-02T15:04:05.000-07:00")
}

// JSON writes one JSON array of rows; each row an object of field → string,
// or → array of strings for a field with several values; fields in row
// order. Zero rows is [].
func JSON(w io.Writer, rows []*value.Row) error {
	var b bytes.Buffer
	b.WriteString("[")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, f := range Row(r) {
			if j > 0 {
				b.WriteString(", ")
			}
			writeJSONString(&b, f.Name)
			b.WriteString(": ")
			if len(f.Values) == 1 {
				writeJSONString(&b, f.Values[0])
				continue
			}
			b.WriteString("[")
			for k, v := range f.Values {
				if k > 0 {
					b.WriteString(", ")
				}
				writeJSONString(&b, v)
			}
			b.WriteString("]")
		}
		b.WriteString("}")
	}
	if len(rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// columns is the union of the rows' field names in first-seen order.
func columns(rendered [][]Field) []string {
	seen := map[string]bool{}
	var cols []string
	for _, r := range rendered {
		for _, f := range r {
			if !seen[f.Name] {
				seen[f.Name] = true
				cols = append(cols, f.Name)
			}
		}
	}
	return cols
}

func renderAll(rows []*value.Row) [][]Field {
	out := make([][]Field, len(rows))
	for i, r := range rows {
		out[i] = Row(r)
	}
	return out
}

func cell(fields []Field, name, sep string) string {
	for _, f := range fields {
		if f.Name == name {
			return strings.Join(f.Values, sep)
		}
	}
	return ""
}

// CSV writes a header of every field and a line per row; multiple values
// are joined by newlines, as Splunk's CSV export does.
func CSV(w io.Writer, rows []*value.Row) error {
	rendered := renderAll(rows)
	cols := columns(rendered)
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	for _, r := range rendered {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = cell(r, c, "\n")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Table writes an aligned text table; multiple values are joined by ", ".
func Table(w io.Writer, rows []*value.Row) error {
	rendered := renderAll(rows)
	cols := columns(rendered)
	if len(cols) == 0 {
		// Rows whose fields are all null have no column to show, but they
		// are results: zero rows and such rows must not look alike.
		var err error
		switch len(rows) {
		case 0:
			_, err = fmt.Fprintln(w, "(no results)")
		case 1:
			_, err = fmt.Fprintln(w, "(1 result, with no field that has a value)")
		default:
			_, err = fmt.Fprintf(w, "(%d results, with no field that has a value)\n", len(rows))
		}
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, r := range rendered {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(cell(r, c, ", "))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}
