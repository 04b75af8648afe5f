package spl

import (
	"strings"
)

// printer writes canonical SPL: one space between arguments, " | " between
// commands, lowercase command names and keywords, uppercase logical
// operators, values exactly as written, and only the parentheses that
// precedence needs. Printing a parsed query and parsing the text again
// gives the same tree.
type printer struct {
	b strings.Builder
}

// String returns the canonical SPL text of the query.
func (q *Query) String() string {
	p := &printer{}
	p.query(q)
	return p.b.String()
}

// Format returns the canonical SPL text of any node.
func Format(n interface{ print(*printer) }) string {
	p := &printer{}
	n.print(p)
	return p.b.String()
}

// lhs returns the left side of `name=value` ready to print: a name ending in
// "!" gets a space, or "x! =1" would print as "x!=1", a different operator.
func lhs(name string) string {
	if strings.HasSuffix(name, "!") {
		return name + " "
	}
	return name
}

func (p *printer) s(parts ...string) {
	for _, s := range parts {
		p.b.WriteString(s)
	}
}

func (p *printer) query(q *Query) {
	for i, c := range q.Commands {
		if i > 0 {
			p.s(" | ")
		} else if _, ok := c.(*SearchCommand); !ok {
			p.s("| ")
		}
		c.print(p)
	}
}

func (p *printer) commands(cmds []Command) {
	for i, c := range cmds {
		if i > 0 {
			p.s(" | ")
		}
		c.print(p)
	}
}

// word writes a space then s.
func (p *printer) word(s string) { p.s(" ", s) }

func (p *printer) value(v *Word) {
	if v != nil {
		p.word(v.Raw)
	}
}

func (p *printer) values(list FieldList, sep string) {
	vs := list.Items
	for i, v := range vs {
		if i > 0 {
			p.s(sep, v.Raw)
		} else {
			p.word(v.Raw)
		}
	}
}

// countedFields prints `[N] [options] fields` of top, rare and dedup.
// Without a count or options, a first field that is all digits would read
// back as the count (`dedup ,0` is the field 0, `dedup 0` the count 0), so
// a comma goes before it.
func (p *printer) countedFields(count string, opts Options, fields FieldList) {
	if count != "" {
		p.word(count)
	}
	p.options(opts)
	if count == "" && len(opts.Items) == 0 && len(fields.Items) > 0 && isDigits(fields.Items[0].Raw) {
		p.s(" ,")
		p.values(fields, " ")
		return
	}
	p.values(fields, " ")
}

func (p *printer) options(opts Options) {
	for _, o := range opts.Items {
		p.word(lhs(o.Name) + "=" + o.Value.Raw)
	}
}

func (p *printer) as(v *Word) {
	if v != nil {
		p.word("AS")
		p.value(v)
	}
}

func (p *printer) aggs(aggs Aggregations) {
	for _, a := range aggs.Items {
		p.b.WriteByte(' ')
		a.print(p)
	}
}

func (p *printer) by(b *ByClause) {
	if b != nil {
		p.word("BY")
		// Options inside the clause go after the first field, where they
		// parse back into the clause (`BY _time span=1h user`).
		p.value(b.Fields[0])
		p.options(b.Options)
		p.values(FieldList{Items: b.Fields[1:]}, " ")
	}
}

func (q *Query) position() Pos     { return q.Pos }
func (q *Query) print(p *printer)  { p.query(q) }
func (s *Subsearch) position() Pos { return s.Pos }
func (s *Subsearch) print(p *printer) {
	p.s("[")
	p.query(s.Query)
	p.s("]")
}
func (s *Subpipeline) position() Pos { return s.Pos }
func (s *Subpipeline) print(p *printer) {
	p.s("[")
	p.commands(s.Commands)
	p.s("]")
}

func (v *Word) position() Pos        { return v.Pos }
func (v *Word) print(p *printer)     { p.s(v.Raw) }
func (o *Option) position() Pos      { return o.Pos }
func (o *Option) print(p *printer)   { p.s(lhs(o.Name), "=", o.Value.Raw) }
func (a *Aggregation) position() Pos { return a.Pos }
func (a *Aggregation) print(p *printer) {
	p.s(strings.ToLower(a.Func))
	if a.Arg != nil {
		p.s("(")
		if a.Arg.Eval != nil {
			p.s("eval(")
			a.Arg.Eval.print(p)
			p.s(")")
		} else {
			p.s(a.Arg.Field.Raw)
		}
		p.s(")")
	}
	p.as(a.As)
}

// Command names.

func (*SearchCommand) Name() string           { return "search" }
func (*WhereCommand) Name() string            { return "where" }
func (*EvalCommand) Name() string             { return "eval" }
func (c *StatsCommand) Name() string          { return strings.ToLower(c.Kind) }
func (*TstatsCommand) Name() string           { return "tstats" }
func (*MstatsCommand) Name() string           { return "mstats" }
func (c *TimechartCommand) Name() string      { return strings.ToLower(c.Kind) }
func (c *TopCommand) Name() string            { return strings.ToLower(c.Kind) }
func (*RenameCommand) Name() string           { return "rename" }
func (*TableCommand) Name() string            { return "table" }
func (*FieldsCommand) Name() string           { return "fields" }
func (*ConvertCommand) Name() string          { return "convert" }
func (*FillnullCommand) Name() string         { return "fillnull" }
func (*DedupCommand) Name() string            { return "dedup" }
func (*SortCommand) Name() string             { return "sort" }
func (c *HeadCommand) Name() string           { return strings.ToLower(c.Kind) }
func (*MakeresultsCommand) Name() string      { return "makeresults" }
func (c *BinCommand) Name() string            { return strings.ToLower(c.Kind) }
func (*LookupCommand) Name() string           { return "lookup" }
func (*InputlookupCommand) Name() string      { return "inputlookup" }
func (*OutputlookupCommand) Name() string     { return "outputlookup" }
func (*RexCommand) Name() string              { return "rex" }
func (*RegexCommand) Name() string            { return "regex" }
func (*SpathCommand) Name() string            { return "spath" }
func (*MvexpandCommand) Name() string         { return "mvexpand" }
func (*JoinCommand) Name() string             { return "join" }
func (*AppendCommand) Name() string           { return "append" }
func (*AppendpipeCommand) Name() string       { return "appendpipe" }
func (*ForeachCommand) Name() string          { return "foreach" }
func (*MapCommand) Name() string              { return "map" }
func (*TransactionCommand) Name() string      { return "transaction" }
func (*XmlkvCommand) Name() string            { return "xmlkv" }
func (*ApplyCommand) Name() string            { return "apply" }
func (*SummaryCommand) Name() string          { return "summary" }
func (*FromCommand) Name() string             { return "from" }
func (*DatamodelCommand) Name() string        { return "datamodel" }
func (*AddtotalsCommand) Name() string        { return "addtotals" }
func (*FromjsonCommand) Name() string         { return "fromjson" }
func (*ReplaceCommand) Name() string          { return "replace" }
func (*AnomalydetectionCommand) Name() string { return "anomalydetection" }
func (*CyberchefCommand) Name() string        { return "cyberchef" }
func (c *ExtractCommand) Name() string        { return strings.ToLower(c.Kind) }
func (*MultikvCommand) Name() string          { return "multikv" }
func (*OutlierCommand) Name() string          { return "outlier" }
func (*IplocationCommand) Name() string       { return "iplocation" }
func (c *GenericCommand) Name() string        { return strings.ToLower(c.Command) }

// Positions.

func (c *SearchCommand) position() Pos           { return c.Pos }
func (c *WhereCommand) position() Pos            { return c.Pos }
func (c *EvalCommand) position() Pos             { return c.Pos }
func (c *StatsCommand) position() Pos            { return c.Pos }
func (c *TstatsCommand) position() Pos           { return c.Pos }
func (c *MstatsCommand) position() Pos           { return c.Pos }
func (c *TimechartCommand) position() Pos        { return c.Pos }
func (c *TopCommand) position() Pos              { return c.Pos }
func (c *RenameCommand) position() Pos           { return c.Pos }
func (c *TableCommand) position() Pos            { return c.Pos }
func (c *FieldsCommand) position() Pos           { return c.Pos }
func (c *ConvertCommand) position() Pos          { return c.Pos }
func (c *FillnullCommand) position() Pos         { return c.Pos }
func (c *DedupCommand) position() Pos            { return c.Pos }
func (c *SortCommand) position() Pos             { return c.Pos }
func (c *HeadCommand) position() Pos             { return c.Pos }
func (c *MakeresultsCommand) position() Pos      { return c.Pos }
func (c *BinCommand) position() Pos              { return c.Pos }
func (c *LookupCommand) position() Pos           { return c.Pos }
func (c *InputlookupCommand) position() Pos      { return c.Pos }
func (c *OutputlookupCommand) position() Pos     { return c.Pos }
func (c *RexCommand) position() Pos              { return c.Pos }
func (c *RegexCommand) position() Pos            { return c.Pos }
func (c *SpathCommand) position() Pos            { return c.Pos }
func (c *MvexpandCommand) position() Pos         { return c.Pos }
func (c *JoinCommand) position() Pos             { return c.Pos }
func (c *AppendCommand) position() Pos           { return c.Pos }
func (c *AppendpipeCommand) position() Pos       { return c.Pos }
func (c *ForeachCommand) position() Pos          { return c.Pos }
func (c *MapCommand) position() Pos              { return c.Pos }
func (c *TransactionCommand) position() Pos      { return c.Pos }
func (c *XmlkvCommand) position() Pos            { return c.Pos }
func (c *ApplyCommand) position() Pos            { return c.Pos }
func (c *SummaryCommand) position() Pos          { return c.Pos }
func (c *FromCommand) position() Pos             { return c.Pos }
func (c *DatamodelCommand) position() Pos        { return c.Pos }
func (c *AddtotalsCommand) position() Pos        { return c.Pos }
func (c *FromjsonCommand) position() Pos         { return c.Pos }
func (c *ReplaceCommand) position() Pos          { return c.Pos }
func (c *AnomalydetectionCommand) position() Pos { return c.Pos }
func (c *CyberchefCommand) position() Pos        { return c.Pos }
func (c *ExtractCommand) position() Pos          { return c.Pos }
func (c *MultikvCommand) position() Pos          { return c.Pos }
func (c *OutlierCommand) position() Pos          { return c.Pos }
func (c *IplocationCommand) position() Pos       { return c.Pos }
func (c *GenericCommand) position() Pos          { return c.Pos }

// Command printing.

func (c *SearchCommand) print(p *printer) {
	if !c.Implicit {
		p.s("search ")
	}
	c.Expr.print(p)
}

func (c *WhereCommand) print(p *printer) {
	p.s("where ")
	c.Expr.print(p)
}

func (c *EvalCommand) print(p *printer) {
	p.s("eval")
	for i, a := range c.Assignments {
		if i > 0 {
			p.s(",")
		}
		p.s(" ", lhs(a.Field.Raw), "=")
		a.Expr.print(p)
	}
}

func (c *StatsCommand) print(p *printer) {
	p.s(c.Name())
	p.options(c.Options)
	p.aggs(c.Aggregations)
	p.by(c.By)
	p.options(c.After)
}

func (c *TstatsCommand) print(p *printer) {
	p.s("tstats")
	p.options(c.Options)
	p.aggs(c.Aggregations)
	if c.From != nil {
		p.word("from")
		if c.From.Kind != nil {
			p.word(lhs(c.From.Kind.Raw) + "=" + c.From.Name.Raw)
		} else {
			p.value(c.From.Name)
		}
	}
	p.options(c.Options2)
	p.clause(c.Where)
	p.by(c.By)
	p.options(c.After)
}

func (p *printer) clause(c *SearchClause) {
	if c != nil {
		p.word("where ")
		c.Expr.print(p)
	}
}

func (c *MstatsCommand) print(p *printer) {
	p.s("mstats")
	p.options(c.Options)
	p.aggs(c.Aggregations)
	p.clause(c.Where)
	p.by(c.By)
	p.options(c.After)
}

func (c *TimechartCommand) print(p *printer) {
	p.s(c.Name())
	p.options(c.Options)
	p.aggs(c.Aggregations)
	if c.Over != nil {
		p.word("over")
		p.value(c.Over)
	}
	p.by(c.By)
	p.options(c.After)
}

func (c *TopCommand) print(p *printer) {
	p.s(c.Name())
	p.countedFields(c.Count, c.Options, FieldList(c.Fields))
	p.by(c.By)
	p.options(c.After)
}

func (c *RenameCommand) print(p *printer) {
	p.s("rename")
	for i, r := range c.Renames {
		if i > 0 {
			p.s(",")
		}
		p.s(" ", r.From.Raw, " AS ", r.To.Raw)
	}
}

func (c *TableCommand) print(p *printer) {
	p.s("table")
	p.values(c.Fields, " ")
}

func (c *FieldsCommand) print(p *printer) {
	p.s("fields")
	if c.Mode != "" {
		p.word(c.Mode)
	}
	p.values(c.Fields, ", ")
}

func (c *ConvertCommand) print(p *printer) {
	p.s("convert")
	p.options(c.Options)
	for _, cv := range c.Conversions.Items {
		p.s(" ", strings.ToLower(cv.Func), "(", cv.Field.Raw, ")")
		p.as(cv.As)
	}
}

func (c *FillnullCommand) print(p *printer) {
	p.s("fillnull")
	p.options(c.Options)
	p.values(c.Fields, " ")
}

func (c *DedupCommand) print(p *printer) {
	p.s("dedup")
	p.countedFields(c.Count, c.Options, FieldList(c.Fields))
	p.options(c.After)
	if len(c.SortBy) > 0 {
		p.word("sortby")
		p.sortKeys(c.SortBy)
	}
}

func (p *printer) sortKeys(keys []*SortKey) {
	for _, k := range keys {
		p.b.WriteByte(' ')
		if k.Sign != "" {
			p.s(k.Sign)
		}
		if k.Func != "" {
			p.s(k.Func, "(", k.Key.Raw, ")")
		} else {
			p.s(k.Key.Raw)
		}
	}
}

func (c *SortCommand) print(p *printer) {
	p.s("sort")
	if c.Count != "" {
		p.word(c.Count)
	}
	p.options(c.Options)
	p.sortKeys(c.Keys)
	if c.Desc {
		p.word("desc")
	}
}

func (c *HeadCommand) print(p *printer) {
	p.s(c.Name())
	if c.Expr != nil {
		p.s(" (")
		c.Expr.print(p)
		p.s(")")
	} else if c.Count != "" {
		p.word(c.Count)
	}
	p.options(c.Options)
}

func (c *MakeresultsCommand) print(p *printer) {
	p.s("makeresults")
	p.options(c.Options)
}

func (c *BinCommand) print(p *printer) {
	p.s(c.Name())
	p.options(c.Options)
	p.value(c.Field)
	p.as(c.As)
	p.options(c.After)
}

func (p *printer) fieldsAs(list []*FieldAs) {
	for i, f := range list {
		if i > 0 {
			p.s(",")
		}
		p.value(f.Field)
		p.as(f.As)
	}
}

func (c *LookupCommand) print(p *printer) {
	p.s("lookup")
	p.options(c.Options)
	p.value(c.Table)
	p.fieldsAs(c.Inputs)
	if c.Mode != "" {
		p.word(strings.ToUpper(c.Mode))
		p.fieldsAs(c.Outputs)
	}
}

func (c *InputlookupCommand) print(p *printer) {
	p.s("inputlookup")
	p.options(c.Options)
	p.value(c.Table)
	p.options(c.After)
	p.clause(c.Where)
}

func (c *OutputlookupCommand) print(p *printer) {
	p.s("outputlookup")
	p.options(c.Options)
	p.value(c.Table)
	p.options(c.After)
}

func (c *RexCommand) print(p *printer) {
	p.s("rex")
	p.options(c.Options)
	p.value(c.Regex)
	p.options(c.After)
}

func (c *RegexCommand) print(p *printer) {
	p.s("regex ")
	if c.Field != nil {
		p.s(lhs(c.Field.Raw), c.Op)
	}
	p.s(c.Regex.Raw)
}

func (c *SpathCommand) print(p *printer) {
	p.s("spath")
	p.options(c.Options)
	p.value(c.Path)
	p.options(c.After)
}

func (c *MvexpandCommand) print(p *printer) {
	p.s("mvexpand")
	p.value(c.Field)
	p.options(c.Options)
}

func (c *JoinCommand) print(p *printer) {
	p.s("join")
	for _, a := range c.Args {
		if a.Option != nil {
			p.options(Options{Items: []*Option{a.Option}})
		} else {
			p.value(a.Field)
		}
	}
	p.s(" ")
	c.Subsearch.print(p)
}

func (c *AppendCommand) print(p *printer) {
	p.s("append")
	p.options(c.Options)
	p.s(" ")
	c.Subsearch.print(p)
}

func (c *AppendpipeCommand) print(p *printer) {
	p.s("appendpipe")
	p.options(c.Options)
	p.s(" ")
	c.Pipeline.print(p)
}

func (c *ForeachCommand) print(p *printer) {
	p.s("foreach")
	p.options(c.Options)
	p.values(c.Fields, " ")
	p.options(c.After)
	p.s(" ")
	c.Pipeline.print(p)
}

func (c *MapCommand) print(p *printer) {
	p.s("map")
	p.options(c.Options)
	if c.Subsearch != nil {
		p.s(" ")
		c.Subsearch.print(p)
	}
	p.options(c.After)
}

func (c *TransactionCommand) print(p *printer) {
	p.s("transaction")
	p.values(c.Fields, " ")
	for _, o := range c.Args {
		p.s(" ", lhs(o.Name), "=")
		switch {
		case o.Search != nil:
			p.s("(")
			o.Search.print(p)
			p.s(")")
		case o.Eval != nil:
			p.s("eval(")
			o.Eval.print(p)
			p.s(")")
		default:
			p.s(o.Value.Raw)
		}
	}
}

func (c *XmlkvCommand) print(p *printer) {
	p.s("xmlkv")
	p.options(c.Options)
	p.value(c.Field)
	p.options(c.After)
}

func (c *ApplyCommand) print(p *printer) {
	p.s("apply")
	p.value(c.Model)
	p.as(c.As)
	p.options(c.Options)
}

func (c *SummaryCommand) print(p *printer) {
	p.s("summary")
	p.options(c.Options)
	p.value(c.Model)
}

func (c *FromCommand) print(p *printer) {
	p.s("from")
	p.value(c.Kind)
	p.value(c.Dataset)
}

func (c *DatamodelCommand) print(p *printer) {
	p.s("datamodel")
	p.options(c.Options)
	p.value(c.Model)
	p.value(c.Dataset)
	p.value(c.Mode)
	p.options(c.After)
}

func (c *AddtotalsCommand) print(p *printer) {
	p.s("addtotals")
	p.options(c.Options)
	p.values(c.Fields, " ")
}

func (c *FromjsonCommand) print(p *printer) {
	p.s("fromjson")
	p.value(c.Field)
	p.options(c.Options)
}

func (c *ReplaceCommand) print(p *printer) {
	p.s("replace")
	for i, r := range c.Pairs {
		if i > 0 {
			p.s(",")
		}
		p.s(" ", r.Old.Raw, " WITH ", r.New.Raw)
	}
	if len(c.Fields.Items) > 0 {
		p.word("IN")
		p.values(c.Fields, ", ")
	}
}

func (c *AnomalydetectionCommand) print(p *printer) {
	p.s("anomalydetection")
	p.options(c.Options)
	p.values(c.Fields, " ")
	p.options(c.After)
}

func (c *CyberchefCommand) print(p *printer) {
	p.s("cyberchef")
	p.options(c.Options)
	for _, w := range c.Args {
		p.value(w)
	}
	p.options(c.After)
}

func (c *ExtractCommand) print(p *printer) {
	p.s(c.Name())
	p.options(c.Options)
	p.values(c.Names, " ")
}

func (c *MultikvCommand) print(p *printer) {
	p.s("multikv")
	p.options(c.Options)
	if len(c.Fields.Items) > 0 {
		p.word("fields")
		p.values(FieldList(c.Fields), " ")
	}
	if len(c.Filter.Items) > 0 {
		p.word("filter")
		p.values(c.Filter, " ")
	}
	p.options(c.After)
}

func (c *OutlierCommand) print(p *printer) {
	p.s("outlier")
	p.options(c.Options)
	p.values(c.Fields, " ")
}

func (c *IplocationCommand) print(p *printer) {
	p.s("iplocation")
	p.options(c.Options)
	p.value(c.Field)
	p.options(c.After)
}

func (c *GenericCommand) print(p *printer) {
	p.s(c.Command)
	if c.Args != "" {
		p.word(c.Args)
	}
}

// Search expressions.

func (e *SearchAnd) position() Pos       { return e.Pos }
func (e *SearchOr) position() Pos        { return e.Pos }
func (e *SearchNot) position() Pos       { return e.Pos }
func (e *SearchCompare) position() Pos   { return e.Pos }
func (e *SearchIn) position() Pos        { return e.Pos }
func (e *SearchKeyword) position() Pos   { return e.Pos }
func (e *SearchTermFunc) position() Pos  { return e.Pos }
func (e *SearchSubsearch) position() Pos { return e.Pos }

func (e *SearchAnd) print(p *printer) {
	for i, t := range e.Terms {
		if i > 0 {
			p.s(" ")
		}
		// OR inside AND needs no parentheses in SPL (OR binds tighter), but
		// people read them more easily; AND inside AND only arises from
		// parentheses, so keep those too.
		if k, ok := t.(*SearchKeyword); ok && i > 0 && (k.Value.Raw == "IN" || k.Value.Raw == "in") {
			// "a IN (b)" would read as an IN list: keep the keyword apart.
			p.s("(", k.Value.Raw, ")")
			continue
		}
		switch t.(type) {
		case *SearchAnd, *SearchOr:
			p.s("(")
			t.print(p)
			p.s(")")
		default:
			t.print(p)
		}
	}
}

func (e *SearchOr) print(p *printer) {
	for i, t := range e.Terms {
		if i > 0 {
			p.s(" OR ")
		}
		switch t.(type) {
		case *SearchAnd, *SearchOr:
			p.s("(")
			t.print(p)
			p.s(")")
		default:
			t.print(p)
		}
	}
}

func (e *SearchNot) print(p *printer) {
	p.s("NOT ")
	switch e.Term.(type) {
	case *SearchAnd, *SearchOr:
		p.s("(")
		e.Term.print(p)
		p.s(")")
	default:
		e.Term.print(p)
	}
}

func (e *SearchCompare) print(p *printer) {
	if e.Func != "" {
		p.s(lhs(e.Field.Raw), e.Op, e.Func, "(", e.Value.Raw, ")")
		return
	}
	p.s(lhs(e.Field.Raw), e.Op, e.Value.Raw)
}

func (e *SearchIn) print(p *printer) {
	p.s(e.Field.Raw, " IN (")
	for i, v := range e.Values {
		if i > 0 {
			p.s(", ")
		}
		p.s(v.Raw)
	}
	p.s(")")
}

func (e *SearchKeyword) print(p *printer)   { p.s(e.Value.Raw) }
func (e *SearchTermFunc) print(p *printer)  { p.s(e.Func, "(", e.Value.Raw, ")") }
func (e *SearchSubsearch) print(p *printer) { e.Subsearch.print(p) }

// Eval expressions.

func (e *NumberLit) position() Pos { return e.Pos }
func (e *StringLit) position() Pos { return e.Pos }
func (e *FieldRef) position() Pos  { return e.Pos }
func (e *Call) position() Pos      { return e.Pos }
func (e *Unary) position() Pos     { return e.Pos }
func (e *Binary) position() Pos    { return e.Pos }
func (e *InExpr) position() Pos    { return e.Pos }

func (e *NumberLit) print(p *printer) { p.s(e.Text) }
func (e *StringLit) print(p *printer) { p.s(e.Raw) }

func (e *FieldRef) print(p *printer) {
	if e.Quoted {
		p.s("'", strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(e.Name), "'")
	} else {
		p.s(e.Name)
	}
}

func (e *Call) print(p *printer) {
	p.s(e.Func, "(")
	for i, a := range e.Args {
		if i > 0 {
			p.s(", ")
		}
		a.print(p)
	}
	p.s(")")
}

// power is the binding power of an expression's outermost operator.
func power(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		return binaryPower(e.Op)
	case *InExpr:
		return bpCompare
	case *Unary:
		if e.Op == "NOT" {
			return bpNot
		}
		return bpUnary
	}
	return bpUnary + 1
}

// operand prints e, in parentheses when its operator binds looser than min.
func (p *printer) operand(e Expr, min int) {
	if power(e) < min {
		p.s("(")
		e.print(p)
		p.s(")")
		return
	}
	e.print(p)
}

func (e *Unary) print(p *printer) {
	if e.Op == "NOT" {
		p.s("NOT ")
		p.operand(e.X, bpNot)
		return
	}
	p.s("-")
	// "- -x", not "--x" (one word, less clear) nor "-(-x)" (parentheses
	// are a level of nesting: the canonical text must not nest deeper
	// than the search did).
	if u, ok := e.X.(*Unary); ok && u.Op == "-" {
		p.s(" ")
	}
	p.operand(e.X, bpUnary)
}

func (e *Binary) print(p *printer) {
	pw := binaryPower(e.Op)
	p.operand(e.L, pw)
	p.s(" ", e.Op, " ")
	// Left-associative: an equal-power right operand needs parentheses.
	p.operand(e.R, pw+1)
}

func (e *InExpr) print(p *printer) {
	p.operand(e.X, bpCompare)
	p.s(" IN (")
	for i, a := range e.List {
		if i > 0 {
			p.s(", ")
		}
		a.print(p)
	}
	p.s(")")
}
