package harness

import (
	"fmt"
	"path"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/harness/mitre"
	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/lookup"
)

// sourcetypeOf is the sourcetype a detection's tests name, aws:cloudtrail
// when they name none (the harness's first sourcetype).
func sourcetypeOf(d *Detection) string {
	for _, t := range d.Tests {
		for _, a := range t.AttackData {
			if a.Sourcetype != "" {
				return a.Sourcetype
			}
		}
	}
	return "aws:cloudtrail"
}

// Validate checks loaded content: schema and YAML problems found while
// loading, duplicate ids, every detection's search (macros, syntax, what
// the evaluator can run), and references to lookups, data sources,
// stories and ATT&CK techniques. Findings are sorted by position.
func (e *Env) Validate(c *Content) []Finding {
	out := append([]Finding(nil), c.Findings...)
	out = append(out, duplicateIDs(c)...)
	out = append(out, c.lookupFiles()...)
	for _, d := range c.Detections {
		p, fs := e.Prepare(c, d, sourcetypeOf(d))
		out = append(out, fs...)
		if p != nil && p.Query != nil {
			out = append(out, c.lookupRefs(d, p, e)...)
			out = append(out, c.dataModelRefs(p, e)...)
		}
		out = append(out, c.references(d)...)
	}
	SortFindings(out)
	// Prepare repeats the schema finding of a search that is not a string.
	return slices.Compact(out)
}

// duplicateIDs reports ids used by more than one object.
func duplicateIDs(c *Content) []Finding {
	var out []Finding
	first := map[string]Object{}
	check := func(o Object) {
		if o.ID == "" {
			return
		}
		if prev, ok := first[o.ID]; ok {
			n := get(o.node, "id")
			out = append(out, Finding{File: o.File, Line: n.Line, Column: n.Column, Code: "duplicate-id", Severity: SeverityError,
				Message: fmt.Sprintf("id %s is also the id of %s (%s:%d)", o.ID, prev.Name, prev.File, prev.Line)})
			return
		}
		first[o.ID] = o
	}
	for _, d := range c.Detections {
		check(d.Object)
	}
	for _, s := range c.Stories {
		check(s.Object)
	}
	for _, ds := range c.DataSources {
		check(ds.Object)
	}
	return out
}

// lookupRefs reports lookups a search uses that the content and knowledge
// do not define (outputlookup creates its table, so it is not checked).
func (c *Content) lookupRefs(d *Detection, p *Prepared, e *Env) []Finding {
	var out []Finding
	spl.Walk(p.Query, func(n spl.Node) bool {
		var v *spl.Word
		switch cmd := n.(type) {
		case *spl.LookupCommand:
			v = cmd.Table
		case *spl.InputlookupCommand:
			v = cmd.Table
		}
		if v != nil && !c.isDefinedLookup(v.Text(), e.Knowledge) {
			pos := p.Expansion.Source.Position(v.Pos.Offset)
			out = append(out, Finding{File: pos.File, Line: pos.Line, Column: pos.Column, Code: "lookup-undefined", Severity: SeverityError,
				Message: fmt.Sprintf("lookup %s is not defined in lookups/", v.Text())})
		}
		return true
	})
	return out
}

// references reports data sources, stories and ATT&CK ids that do not
// resolve, at the list item that names them.
func (c *Content) references(d *Detection) []Finding {
	var out []Finding
	item := func(key string, tags bool, value string) *yaml.Node {
		n := get(d.node, key)
		if n == nil && tags {
			n = get(get(d.node, "tags"), key)
		}
		for _, it := range seq(n) {
			if it.Value == value {
				return it
			}
		}
		if n != nil {
			return n
		}
		return d.node
	}
	add := func(n *yaml.Node, code, msg string) {
		out = append(out, Finding{File: d.File, Line: n.Line, Column: n.Column, Code: code, Severity: SeverityError, Message: msg})
	}
	for _, name := range d.DataSources {
		if n := get(d.node, "data_source"); n != nil && n.Kind != yaml.SequenceNode {
			break // the schema finding says it must be a list; one finding is enough
		}
		if c.DataSource(name) == nil {
			add(item("data_source", false, name), "data-source-undefined", fmt.Sprintf("data source %q is not defined in data_sources/", name))
		}
	}
	for _, name := range d.Stories {
		if c.Story(name) == nil {
			add(item("analytic_story", true, name), "story-undefined", fmt.Sprintf("story %q is not defined in stories/", name))
		}
	}
	for _, id := range d.MitreIDs {
		if _, ok := mitre.Lookup(id); !ok {
			add(item("mitre_attack_id", true, id), "mitre-unknown", fmt.Sprintf("ATT&CK id %s is not in the ATT&CK table", id))
		}
	}
	return out
}

// lookupFiles reads every lookup's CSV file: a missing file, or rows
// with the wrong number of cells, are findings at the file's line.
func (c *Content) lookupFiles() []Finding {
	var out []Finding
	for _, l := range c.Lookups {
		if l.Filename == "" {
			continue
		}
		p := path.Join("lookups", l.Filename)
		f, err := c.FS.Open(p)
		if err != nil {
			n := get(l.node, "filename")
			out = append(out, Finding{File: l.File, Line: n.Line, Column: n.Column, Code: "lookup-file", Severity: SeverityError, Message: fmt.Sprintf("lookup file %s is missing", p)})
			continue
		}
		_, err = lookup.ReadCSV(p, f)
		f.Close()
		for _, ce := range csvErrors(err) {
			out = append(out, Finding{File: ce.File, Line: ce.Line, Column: 1, Code: "lookup-file", Severity: SeverityError, Message: ce.Msg})
		}
	}
	return out
}

// csvErrors lists the lookup-file problems inside err, every ragged row
// of a file included.
func csvErrors(err error) []*lookup.CSVError {
	var out []*lookup.CSVError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *lookup.CSVError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}
