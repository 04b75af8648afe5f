package output

import (
	"bytes"
	"testing"

	"github.com/splharness/splharness/spl/value"
)

// TestTableNullRows: rows whose fields are all null are results, and the
// table says so; only zero rows is "(no results)".
func TestTableNullRows(t *testing.T) {
	null := func() *value.Row {
		r := value.NewRow(nil)
		r.Set("x", value.NullValue)
		return r
	}
	tests := []struct {
		rows []*value.Row
		want string
	}{
		{nil, "(no results)\n"},
		{[]*value.Row{null()}, "(1 result, with no field that has a value)\n"},
		{[]*value.Row{null(), null()}, "(2 results, with no field that has a value)\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := Table(&b, tt.rows); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("%d rows: %q, want %q", len(tt.rows), b.String(), tt.want)
		}
	}
}
