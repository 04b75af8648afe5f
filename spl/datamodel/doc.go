package datamodel

import (
	"fmt"
	"strings"
)

// DocHeader opens every generated data model page; the test that keeps
// the pages current tells how to regenerate them.
const DocHeader = "<!-- Generated from the data model definitions (detections/knowledge/cim); do not edit.\n" +
	"     Regenerate with: go test ./detections -run TestDataModelDocs -update -->\n\n"

// Doc renders a model as a Markdown page: its datasets as a tree with
// their constraints, and each dataset's fields (own, calculated) with
// their qualified names, as tstats and the datamodel command name them.
func Doc(m *Model) string {
	var b strings.Builder
	b.WriteString(DocHeader)
	fmt.Fprintf(&b, "# %s data model\n\n", m.Name)
	if m.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", m.Description)
	}
	b.WriteString("An event is in a dataset when it is in the dataset's parent and passes the dataset's\n" +
		"constraints; the parent's calculated fields are evaluated before the child's constraints.\n" +
		"Every dataset also has the BaseEvent fields `_time`, `host`, `source` and `sourcetype`,\n" +
		"named without a prefix. See [README.md](README.md) for how tstats reads them.\n\n")
	b.WriteString("## Datasets\n\n| Dataset | Constraints | Tags |\n|---|---|---|\n")
	for _, d := range m.Datasets {
		depth := strings.Count(d.Lineage, ".")
		fmt.Fprintf(&b, "| %s`%s` | %s | %s |\n", strings.Repeat("&nbsp;&nbsp;&nbsp;&nbsp;", depth), d.Lineage,
			cell(strings.Join(d.Constraints, " ")), strings.Join(d.Tags, ", "))
	}
	b.WriteString("\n")
	for _, d := range m.Datasets {
		fmt.Fprintf(&b, "## %s\n\n", d.Lineage)
		if d.Parent != nil {
			fmt.Fprintf(&b, "Child of `%s`; inherits its fields.\n\n", d.Parent.Lineage)
		}
		if len(d.Constraints) > 0 {
			fmt.Fprintf(&b, "Constraint: `%s`\n\n", strings.Join(d.Constraints, " "))
		}
		if len(d.Fields) == 0 && len(d.Calcs) == 0 {
			b.WriteString("No fields of its own.\n\n")
			continue
		}
		b.WriteString("| Field | Type | Calculated as | Description |\n|---|---|---|---|\n")
		for _, f := range d.Fields {
			fmt.Fprintf(&b, "| `%s.%s` | %s | | %s |\n", d.Lineage, f.Name, typeOf(f), cell(describe(f)))
		}
		for _, c := range d.Calcs {
			for _, f := range c.Outputs {
				calc := c.Type
				if c.Expression != "" {
					calc = "`" + c.Expression + "`"
				}
				fmt.Fprintf(&b, "| `%s.%s` | %s | %s | %s |\n", d.Lineage, f.Name, typeOf(f), cell(calc), cell(describe(f)))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func typeOf(f Field) string {
	t := f.Type
	if f.Multivalue {
		t += ", multivalue"
	}
	if f.Required {
		t += ", required"
	}
	if f.Recommended {
		t += ", recommended"
	}
	return t
}

func describe(f Field) string {
	s := f.Description
	if len(f.Expected) > 0 {
		s += " Expected values: " + strings.Join(f.Expected, ", ") + "."
	}
	return strings.TrimSpace(s)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
