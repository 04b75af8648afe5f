package exec

import (
	"strconv"
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileMultikv: `multikv [copyattrs=b] [forceheader=N] [multitable=b]
// [noheader=b] [rmorig=b] [fields f...] [filter term...]` (Search
// Reference, "multikv"): an event whose _raw is a table (the output of
// top, ps, netstat) becomes one result per table row. The header line
// (the first line with text, or line forceheader) names the columns;
// with noheader=true they are Column_1, Column_2 ... A row's values are
// its words, the last column taking the rest of the line. With
// multitable=true (the default) a blank line ends a table and the next
// line is a new header. Each result's _raw is its row's line, and with
// copyattrs=true (the default) it has the event's other fields too.
// fields keeps only the columns named; filter keeps only the rows that
// contain one of its terms, in any case. rmorig=false keeps the event
// itself, before its rows. Column names are cleaned as extract's keys are.
// multikv.conf stanzas (conf=) are not supported.
//
// Descriptor: streaming, row by row (one event makes several results).
func (p *planner) compileMultikv(c *spl.MultikvCommand) (stageBuilder, error) {
	opts, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	copyAttrs, multiTable, noHeader, rmOrig := opts.Bool("copyattrs"), opts.Bool("multitable"), opts.Bool("noheader"), opts.Bool("rmorig")
	forceHeader := opts.Int("forceheader")
	var keep map[string]bool
	if len(c.Fields.Items) > 0 {
		keep = map[string]bool{}
		for _, f := range c.Fields.Items {
			keep[strings.ToLower(fieldName(f))] = true
		}
	}
	var filters []string
	for _, f := range c.Filter.Items {
		filters = append(filters, strings.ToLower(f.Text()))
	}
	maxRows := p.opts.MaxResultRows
	return func(next Stage) (Stage, error) {
		s := &streamStage{emitter: emitter{next: next}}
		s.fn = func(r *value.Row) (bool, error) {
			lines := strings.Split(r.Get("_raw").First(), "\n")
			var header []string
			needHeader := !noHeader
			made := 0
			for i, line := range lines {
				line = strings.TrimRight(line, "\r")
				if strings.TrimSpace(line) == "" {
					if multiTable && !noHeader && header != nil {
						header, needHeader = nil, true
					}
					continue
				}
				if needHeader {
					if forceHeader > 0 && i+1 < forceHeader {
						continue
					}
					for _, h := range strings.Fields(line) {
						header = append(header, cleanKey(h))
					}
					needHeader = false
					forceHeader = 0
					continue
				}
				if filters != nil && !containsAny(strings.ToLower(line), filters) {
					continue
				}
				vals := splitColumns(line, len(header))
				out := value.NewRow(nil)
				if copyAttrs {
					r.Each(func(n string, v value.Value) { out.Set(n, v) })
				}
				out.Set("_raw", value.Str(line))
				for j, v := range vals {
					name := "Column_" + strconv.Itoa(j+1)
					if j < len(header) {
						name = header[j]
					}
					if name == "" || keep != nil && !keep[strings.ToLower(name)] {
						continue
					}
					out.Set(name, value.Str(v))
				}
				if made++; made > maxRows {
					return false, &LimitError{Limit: "maxresultrows", Msg: "multikv: more than " + strconv.Itoa(maxRows) + " results from one event (limit maxresultrows)"}
				}
				if made == 1 && !rmOrig {
					if err := s.emit(r); err != nil {
						return false, err
					}
				}
				if err := s.emit(out); err != nil {
					return false, err
				}
			}
			return !rmOrig && made == 0, nil
		}
		return s, nil
	}, nil
}

// splitColumns splits a table row into its words, at most n (none: no
// limit) with the last taking the rest of the line.
func splitColumns(line string, n int) []string {
	if n <= 0 {
		return strings.Fields(line)
	}
	var out []string
	rest := strings.TrimLeft(line, " \t")
	for len(out) < n-1 && rest != "" {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			break
		}
		out = append(out, rest[:i])
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	if rest = strings.TrimRight(rest, " \t"); rest != "" {
		out = append(out, rest)
	}
	return out
}

func containsAny(s string, terms []string) bool {
	for _, t := range terms {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}
