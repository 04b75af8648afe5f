package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// compileXmlkv: `xmlkv [field] [maxinputs=N]` (Search Reference, "xmlkv"):
// every element of the field's XML (default _raw) that holds only text,
// <foo>bar</foo>, sets the field foo to bar; an element repeated makes a
// multivalue, in document order. maxinputs is how many events Splunk
// hands its script at a time: every event is still processed, so it
// changes nothing here.
//
// Descriptor: streaming, row by row.
func (p *planner) compileXmlkv(c *spl.XmlkvCommand) (stageBuilder, error) {
	field := "_raw"
	if c.Field != nil {
		field = fieldName(c.Field)
	}
	if _, err := p.parseOptions(c, c.Options, c.After); err != nil {
		return nil, err
	}
	return mapStage(func(r *value.Row) {
		v := r.Get(field)
		if v.IsNull() {
			return
		}
		var order []string
		vals := map[string][]string{}
		xmlLeaves(v.First(), func(name, text string) {
			if _, ok := vals[name]; !ok {
				order = append(order, name)
			}
			vals[name] = append(vals[name], text)
		})
		for _, n := range order {
			r.Set(n, value.MV(vals[n]))
		}
	}), nil
}

// xmlLeaves calls fn for every element of s that holds only text:
// <name attr="x">text</name>. Entities are left as written.
func xmlLeaves(s string, fn func(name, text string)) {
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			return
		}
		i += lt + 1
		j := i
		for j < len(s) && !strings.ContainsRune(" \t\r\n/>", rune(s[j])) {
			j++
		}
		name := s[i:j]
		if name == "" || strings.ContainsAny(name[:1], "?!") {
			continue
		}
		gt := strings.IndexByte(s[j:], '>')
		if gt < 0 {
			return
		}
		end := j + gt
		if s[end-1] == '/' {
			i = end + 1
			continue // <empty/>
		}
		start := end + 1
		next := strings.IndexByte(s[start:], '<')
		if next < 0 {
			return
		}
		text := s[start : start+next]
		closing := "</" + name + ">"
		if text != "" && strings.HasPrefix(s[start+next:], closing) {
			fn(name, text)
			i = start + next + len(closing)
			continue
		}
		i = start
	}
}
