// Package lookup holds lookup tables (CSV files and their transforms.conf
// options) and the matching both the lookup command and automatic
// LOOKUP- rules use.
package lookup

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/splharness/splharness/spl/value"
)

// Table is a lookup table: a CSV file with a header row, and the matching
// options of its transforms.conf definition.
type Table struct {
	Name    string
	Columns []string
	Rows    [][]string
	// CaseInsensitive matching (transforms.conf case_sensitive_match=false);
	// the default is case-sensitive ([SPL8212 transforms.conf.spec]).
	CaseInsensitive bool
	// MaxMatches caps the rows one lookup returns, in file order (default
	// 100); MinMatches and DefaultMatch fill outputs when fewer match.
	MaxMatches   int
	MinMatches   int
	DefaultMatch string
	// Wildcard columns match with * in the table's values
	// (match_type=WILDCARD(column)).
	Wildcard map[string]bool
	// CIDR columns hold subnets that match the addresses in them
	// (match_type=CIDR(column)).
	CIDR map[string]bool
	// subnets caches a CIDR column's cells parsed, by column index.
	subnets *subnetCache
}

// exactIndex lists, for each cell of one column, the rows that hold it,
// in file order, so that a lookup on that column alone finds its rows
// without comparing every row. It is made for rows [0, n) with the
// table's case setting then, and made again when either has changed.
// Cells are keyed as they are, or lowercased when matching ignores case
// (then only for a column of ASCII cells).
type exactIndex struct {
	col, n int
	ci     bool
	rows   map[string][]int
}

// indexFor returns the index of column col, nil when exact keys cannot
// stand for cellMatches on it (a CIDR or wildcard column, or a
// case-insensitive column with a non-ASCII cell).
func (t *Table) indexFor(index *atomic.Pointer[exactIndex], col int) *exactIndex {
	name := t.Columns[col]
	if t.CIDR[name] || t.Wildcard[name] {
		return nil
	}
	if x := index.Load(); x != nil && x.col == col && x.n == len(t.Rows) && x.ci == t.CaseInsensitive {
		return x
	}
	x := &exactIndex{col: col, n: len(t.Rows), ci: t.CaseInsensitive, rows: map[string][]int{}}
	for i, row := range t.Rows {
		k := row[col]
		if x.ci {
			if !isASCII(k) {
				return nil
			}
			k = strings.ToLower(k)
		}
		x.rows[k] = append(x.rows[k], i)
	}
	index.Store(x)
	return x
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// subnetCache holds the parsed subnets of CIDR columns; ok is false for a
// cell that is not a subnet (it then matches only its own text).
type subnetCache struct {
	once  sync.Once
	cells map[int][]subnet
}

type subnet struct {
	prefix netip.Prefix
	ok     bool
}

// SetMatchType applies a transforms.conf match_type setting: a comma and
// space separated list of WILDCARD(column), CIDR(column) and EXACT(column)
// ([SPL8212] transforms.conf.spec: "The available match_type values are
// WILDCARD, CIDR, and EXACT"). An unknown type is an error naming it.
func (t *Table) SetMatchType(v string) error {
	t.Wildcard, t.CIDR, t.subnets = map[string]bool{}, map[string]bool{}, &subnetCache{}
	rest := strings.TrimSpace(v)
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		end := strings.IndexByte(rest, ')')
		if open < 0 || end < open {
			return fmt.Errorf("match_type %q: want TYPE(column), ...", v)
		}
		kind := strings.ToUpper(strings.TrimSpace(rest[:open]))
		var set map[string]bool
		switch kind {
		case "WILDCARD":
			set = t.Wildcard
		case "CIDR":
			set = t.CIDR
		case "EXACT":
		default:
			return fmt.Errorf("match_type %q: unknown match type %s (WILDCARD, CIDR or EXACT)", v, kind)
		}
		for _, col := range strings.Split(rest[open+1:end], ",") {
			if col = strings.TrimSpace(col); col != "" && set != nil {
				set[col] = true
			}
		}
		rest = strings.TrimLeft(rest[end+1:], ", \t")
	}
	return nil
}

// subnetAt returns the parsed subnet of a CIDR column's cell.
func (t *Table) subnetAt(col, row int) subnet {
	c := t.subnets
	c.once.Do(func() {
		c.cells = map[int][]subnet{}
		for name := range t.CIDR {
			i := t.Column(name)
			if i < 0 {
				continue
			}
			cells := make([]subnet, len(t.Rows))
			for r, rowCells := range t.Rows {
				s := strings.TrimSpace(rowCells[i])
				if p, err := netip.ParsePrefix(s); err == nil {
					cells[r] = subnet{p.Masked(), true}
				} else if a, err := netip.ParseAddr(s); err == nil {
					cells[r] = subnet{netip.PrefixFrom(a, a.BitLen()), true}
				}
			}
			c.cells[i] = cells
		}
	})
	return c.cells[col][row]
}

// CSVError is a problem at a line of a lookup file.
type CSVError struct {
	File string
	Line int
	Msg  string
}

func (e *CSVError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &CSVError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &CSVError{File: name, Line: 1, Msg: err.Error()}
}

// ReadCSV reads a lookup table. Ragged rows are an error naming the line.
func ReadCSV(name string, r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	// Lookup files written by hand often put a space after the comma
	// ("workflow_name, job_name"); Splunk reads such headers as the names
	// without the space (docs/semantics.md).
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &CSVError{File: name, Line: 1, Msg: "empty lookup table (no header row)"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	t := &Table{Name: name, Columns: header}
	var ragged CSVErrors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			if len(ragged) > 0 {
				return nil, ragged
			}
			return t, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			// The reader goes on after a ragged row: report them all, so
			// that one edit fixes the file.
			ragged = append(ragged, &CSVError{File: name, Line: pe.Line, Msg: pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, errors.Join(append(ragged.errors(), csvError(name, err))...)
		}
		t.Rows = append(t.Rows, rec)
	}
}

// CSVErrors are the ragged rows of a lookup file, in file order.
type CSVErrors []*CSVError

// Error names the first ragged row and the lines of the others, on one
// line: it ends up inside other messages.
func (es CSVErrors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	lines := make([]string, len(es)-1)
	for i, e := range es[1:] {
		lines[i] = strconv.Itoa(e.Line)
	}
	return es[0].Error() + " (also line " + strings.Join(lines, ", ") + ")"
}

// Unwrap gives errors.As the first row and a caller every row.
func (es CSVErrors) Unwrap() []error { return es.errors() }

func (es CSVErrors) errors() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Column returns the index of a column, -1 when absent.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// Match returns the rows whose input columns match the given values, in
// file order, at most MaxMatches.
func (t *Table) Match(cols []int, vals []string) []int {
	return t.match(nil, cols, vals)
}

// match is Match, through the column's index kept in index when there is
// one (Lookup.index).
func (t *Table) match(index *atomic.Pointer[exactIndex], cols []int, vals []string) []int {
	max := t.MaxMatches
	if max <= 0 {
		max = 100
	}
	if index != nil && len(cols) == 1 && len(t.Rows) > 8 {
		// strings.EqualFold matches a non-ASCII value with ASCII cells
		// (the Kelvin sign with k): such a value is compared row by row.
		if x := t.indexFor(index, cols[0]); x != nil && (!x.ci || isASCII(vals[0])) {
			k := vals[0]
			if x.ci {
				k = strings.ToLower(k)
			}
			rows := x.rows[k]
			return rows[:min(len(rows), max):min(len(rows), max)]
		}
	}
	return t.scan(cols, vals, max)
}

// scan is Match comparing every row.
func (t *Table) scan(cols []int, vals []string, max int) []int {
	var out []int
	for i, row := range t.Rows {
		ok := true
		for k, c := range cols {
			if !t.cellMatches(c, i, row[c], vals[k]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
			if len(out) == max {
				break
			}
		}
	}
	return out
}

func (t *Table) cellMatches(col, row int, cell, v string) bool {
	if t.CIDR[t.Columns[col]] && t.subnets != nil {
		if sn := t.subnetAt(col, row); sn.ok {
			a, err := netip.ParseAddr(strings.TrimSpace(v))
			if err != nil {
				return false
			}
			if sn.prefix.Addr().Is4() {
				a = a.Unmap()
			}
			return sn.prefix.Contains(a)
		}
	}
	if t.Wildcard[t.Columns[col]] && strings.Contains(cell, "*") {
		return wildcardMatch(cell, v, t.CaseInsensitive)
	}
	if t.CaseInsensitive {
		return strings.EqualFold(cell, v)
	}
	return cell == v
}

// Field is a table column and the event field it stands for.
type Field struct{ Column, Field string }

// Lookup is a prepared lookup of a table: which columns match which event
// fields, and which columns are written where. OUTPUT overwrites (and
// clears the outputs when nothing matches); OUTPUTNEW only fills absent
// fields; with no outputs named, every other column is output
// (docs/knowledge.md, "Order"; docs/semantics.md, "Commands").
type Lookup struct {
	table     *Table
	inputs    []Field
	inCols    []int
	outputs   []Field
	outCols   []int
	outputNew bool
	// index is the table's index of its input column, for a lookup on
	// one (exactIndex).
	index atomic.Pointer[exactIndex]
}

// Prepare checks the columns and prepares a lookup.
func (t *Table) Prepare(inputs, outputs []Field, outputNew bool) (*Lookup, error) {
	l := &Lookup{table: t, inputs: inputs, outputNew: outputNew}
	isInput := map[string]bool{}
	for _, in := range inputs {
		c := t.Column(in.Column)
		if c < 0 {
			return nil, fmt.Errorf("lookup table %s has no column %s", t.Name, in.Column)
		}
		l.inCols = append(l.inCols, c)
		isInput[in.Column] = true
	}
	if len(outputs) == 0 {
		for _, col := range t.Columns {
			if !isInput[col] {
				outputs = append(outputs, Field{col, col})
			}
		}
	}
	for _, out := range outputs {
		c := t.Column(out.Column)
		if c < 0 {
			return nil, fmt.Errorf("lookup table %s has no column %s", t.Name, out.Column)
		}
		l.outCols = append(l.outCols, c)
	}
	l.outputs = outputs
	return l, nil
}

// Outputs lists the fields a lookup writes.
func (l *Lookup) Outputs() []string {
	out := make([]string, len(l.outputs))
	for i, o := range l.outputs {
		out[i] = o.Field
	}
	return out
}

// Inputs lists the event fields a lookup reads.
func (l *Lookup) Inputs() []string {
	out := make([]string, len(l.inputs))
	for i, in := range l.inputs {
		out[i] = in.Field
	}
	return out
}

// Apply looks a row up; events missing an input field are left alone.
func (l *Lookup) Apply(r *value.Row) {
	l.table.apply(r, &l.index, l.inputs, l.inCols, l.outputs, l.outCols, l.outputNew)
}

// apply looks one row up. A multivalue input looks up each value.
func (t *Table) apply(r *value.Row, index *atomic.Pointer[exactIndex], inputs []Field, inCols []int, outputs []Field, outCols []int, outputNew bool) {
	keys := [][]string{nil}
	for _, in := range inputs {
		vals := r.Get(in.Field).Values()
		if len(vals) == 0 {
			return
		}
		var next [][]string
		for _, k := range keys {
			for _, v := range vals {
				next = append(next, append(append([]string(nil), k...), v))
			}
		}
		keys = next
	}
	var matched []int
	for _, k := range keys {
		matched = append(matched, t.match(index, inCols, k)...)
	}
	for i, out := range outputs {
		if outputNew && !r.Get(out.Field).IsNull() {
			continue
		}
		var vals []string
		for _, m := range matched {
			if v := t.Rows[m][outCols[i]]; v != "" {
				vals = append(vals, v)
			}
		}
		if len(matched) < t.MinMatches && t.DefaultMatch != "" {
			vals = append(vals, t.DefaultMatch)
		}
		r.Set(out.Field, value.MV(vals))
	}
}

// wildcardMatch matches v against a cell with * wildcards.
func wildcardMatch(pattern, v string, fold bool) bool {
	if fold {
		pattern, v = strings.ToLower(pattern), strings.ToLower(v)
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(v, parts[i])
		if j < 0 {
			return false
		}
		v = v[j+len(parts[i]):]
	}
	return strings.HasSuffix(v, parts[len(parts)-1])
}

// Writes lists every value the lookup can give an event's field: the
// non-empty cells of the column it writes there and the table's
// default_match. false when it does not write the field. The raw
// pre-filter uses it to tell which values of the field can only come from
// elsewhere.
func (l *Lookup) Writes(field string) ([]string, bool) {
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	writes := false
	for i, o := range l.outputs {
		if o.Field != field {
			continue
		}
		writes = true
		for _, row := range l.table.Rows {
			add(row[l.outCols[i]])
		}
	}
	if writes {
		add(l.table.DefaultMatch)
	}
	return out, writes
}

// Via is one row of a lookup that can give an event's field a value: the
// lookup writes the row's cell there only when each input field Inputs[i]
// of the event has a value that Cells[i] matches (exactly; as a pattern
// with * where Wildcard[i]; ignoring case, as strings.EqualFold does, when
// CaseInsensitive).
type Via struct {
	Inputs          []string
	Cells           []string
	Wildcard        []bool
	CaseInsensitive bool
}

// Giving lists the rows through which the lookup can give field a value
// that accept reports true for, in file order; ok is false when it cannot
// tell them (the table's default_match is such a value, or an input column
// matches by CIDR) or does not write the field. The raw pre-filter uses
// it: a value that only the lookup can give needs one of these rows'
// inputs in the event.
func (l *Lookup) Giving(field string, accept func(string) bool) (rows []Via, ok bool) {
	var cols []int
	for i, o := range l.outputs {
		if o.Field == field {
			cols = append(cols, l.outCols[i])
		}
	}
	if len(cols) == 0 || (l.table.DefaultMatch != "" && accept(l.table.DefaultMatch)) {
		return nil, false
	}
	wild := make([]bool, len(l.inputs))
	for i, in := range l.inputs {
		if l.table.CIDR[in.Column] {
			return nil, false
		}
		wild[i] = l.table.Wildcard[in.Column]
	}
	for _, row := range l.table.Rows {
		gives := false
		for _, c := range cols {
			gives = gives || (row[c] != "" && accept(row[c]))
		}
		if !gives {
			continue
		}
		v := Via{Inputs: l.Inputs(), Wildcard: wild, CaseInsensitive: l.table.CaseInsensitive}
		for _, c := range l.inCols {
			v.Cells = append(v.Cells, row[c])
		}
		rows = append(rows, v)
	}
	return rows, true
}

// Matches reports whether input i of the row matches an event's value v,
// as the lookup compares them.
func (v Via) Matches(i int, value string) bool {
	cell := v.Cells[i]
	if v.Wildcard[i] && strings.Contains(cell, "*") {
		return wildcardMatch(cell, value, v.CaseInsensitive)
	}
	if v.CaseInsensitive {
		return strings.EqualFold(cell, value)
	}
	return cell == value
}
