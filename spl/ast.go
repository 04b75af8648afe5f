package spl

import (
	"github.com/alecthomas/participle/v2/lexer"
)

// Pos is where a node starts in the (macro-expanded) search text. Offset is a
// byte offset; line and column are computed when an error is shown.
type Pos = lexer.Position

// Query is a whole search: a pipeline of commands. The first command is an
// implicit `search` unless the text starts with `|` or names `search`.
type Query struct {
	Pos      Pos
	Commands []Command
}

// Command is one stage of a pipeline. Every command of the grammar is one
// struct type; commands the grammar does not know parse as *GenericCommand.
type Command interface {
	// Name is the command's canonical (lowercase) name.
	Name() string
	node
}

// node is implemented by every AST node, so that printing and walking are
// uniform.
type node interface {
	position() Pos
	print(p *printer)
}

// Word is a word of the query as written: a bare word or double-quoted
// string, for field names, option values and the like. Adjacent parts with
// no space between them are one word, as Splunk's argument splitter joins
// them: "All_Changes".* is the single word All_Changes.*. (It is syntax; the
// values a search computes are package value's.)
type Word struct {
	Pos Pos
	Raw string // exactly as written, quotes and escapes included
}

// Text is the word with quotes removed and escapes applied.
func (v Word) Text() string { return unquoteValue(v.Raw) }

// IsQuoted reports whether the whole word is one double-quoted string.
func (v Word) IsQuoted() bool { return isWholeString(v.Raw) }

// Option is a `name=value` argument of a command, such as `span=5m`.
type Option struct {
	Pos   Pos
	Name  string
	Value *Word
}

// FieldAs is a field with an optional new name: `f`, `f AS g`.
type FieldAs struct {
	Pos   Pos
	Field *Word `parser:"@@"`
	As    *Word `parser:"( ('as') @@ )?"`
}

// Subsearch is a bracketed search: `[ search ... ]`, `[| inputlookup t]`.
type Subsearch struct {
	Pos   Pos
	Query *Query
}

// SearchCommand is `search <expression>`, explicit or implicit. Expr is nil
// for the empty implicit search before a leading pipe.
type SearchCommand struct {
	Pos      Pos
	Implicit bool
	Expr     SearchExpr
}

// WhereCommand is `where <eval expression>`.
type WhereCommand struct {
	Pos  Pos
	Expr Expr `parser:"'where' @@"`
}

// EvalCommand is `eval f=expr, g=expr ...`.
type EvalCommand struct {
	Pos         Pos
	Assignments []*Assignment `parser:"'eval' @@ ( ',' @@ )*"`
}

// Assignment is one `field = expression` of eval.
type Assignment struct {
	Pos   Pos
	Field *Word `parser:"@@ '='"`
	Expr  Expr  `parser:"@@"`
}

// Aggregation is one statistical function call in stats, eventstats,
// streamstats, tstats, mstats, timechart and chart: `count`, `dc(user)`,
// `values(eval(x))`, `p95(bytes) AS p`.
type Aggregation struct {
	Pos  Pos
	Func string  `parser:"@Word"`
	Arg  *AggArg `parser:"( '(' @@ ')' )?"`
	As   *Word   `parser:"( 'as' @@ )?"`
}

// AggArg is the argument of an aggregation: a field (wildcards allowed) or
// an eval expression.
type AggArg struct {
	Pos   Pos
	Eval  Expr  `parser:"( 'eval' '(' @@ ')'"`
	Field *Word `parser:"| @@ )"`
}

// ByClause is `by f1 f2, f3`. A word followed by = ends the list: it is
// an option such as `span=1h`.
type ByClause struct {
	Pos     Pos
	Fields  []*Word
	Options Options // options between the fields: `by _time span=1h user`
}

// StatsCommand is `stats`, `eventstats`, `streamstats`, `sistats`.
type StatsCommand struct {
	Pos          Pos
	Kind         string       `parser:"@('stats' | 'eventstats' | 'streamstats')"`
	Options      Options      `parser:"@@?"`
	Aggregations Aggregations `parser:"@@"`
	// Late reads options written after aggregations, before BY
	// (`streamstats avg(foo) window=5`, `count reset_on_change=true by g`),
	// as Splunk reads them (Search Reference, "streamstats", Examples);
	// parsing moves them into Options (After without BY) and
	// Aggregations, so it is always empty in a parsed tree.
	Late  []*LateStatsArgs `parser:"@@*"`
	By    *ByClause        `parser:"@@?"`
	After Options          `parser:"@@?"`
}

// LateStatsArgs is options written after a stats aggregation, and the
// aggregations after them.
type LateStatsArgs struct {
	Options      Options      `parser:"@@"`
	Aggregations Aggregations `parser:"@@?"`
}

// TstatsCommand is `tstats [options] aggs [from datamodel=X] [where ...] [by ...]`.
type TstatsCommand struct {
	Pos          Pos
	Options      Options      `parser:"'tstats' @@?"`
	Aggregations Aggregations `parser:"@@?"`
	// LateOptions and LateAggregations read options written between
	// aggregations (`count summariesonly=t values(x) AS x`, as a macro
	// leaves them); parsing moves them into Options and Aggregations, so
	// they are always empty in a parsed tree.
	LateOptions      Options       `parser:"@@?"`
	LateAggregations Aggregations  `parser:"@@?"`
	From             *DatasetRef   `parser:"@@?"`
	Options2         Options       `parser:"@@?"`
	Where            *SearchClause `parser:"@@?"`
	By               *ByClause     `parser:"@@?"`
	After            Options       `parser:"@@?"`
}

// DatasetRef is tstats' `from datamodel=Change` (or `from Change`).
type DatasetRef struct {
	Pos  Pos
	Kind *Word
	Name *Word
}

// SearchClause is a `where` clause in search syntax (tstats, mstats,
// inputlookup), as opposed to the eval syntax of the where command.
type SearchClause struct {
	Pos  Pos
	Expr SearchExpr `parser:"'where' @@"`
}

// MstatsCommand is `mstats aggs where ... by ... span=...`.
type MstatsCommand struct {
	Pos          Pos
	Options      Options       `parser:"'mstats' @@?"`
	Aggregations Aggregations  `parser:"@@"`
	Where        *SearchClause `parser:"@@?"`
	By           *ByClause     `parser:"@@?"`
	After        Options       `parser:"@@?"`
}

// TimechartCommand is `timechart [options] aggs [by field] [options]`.
type TimechartCommand struct {
	Pos          Pos
	Kind         string       `parser:"@('timechart' | 'chart')"`
	Options      Options      `parser:"@@?"`
	Aggregations Aggregations `parser:"@@"`
	Over         *Word        `parser:"( 'over' @@ )?"`
	By           *ByClause    `parser:"@@?"`
	After        Options      `parser:"@@?"`
}

// TopCommand is `top` or `rare`: `top [N] [options] fields [by fields]`.
type TopCommand struct {
	Pos     Pos
	Kind    string         `parser:"@('top' | 'rare')"`
	Count   string         `parser:"@Number?"`
	Options Options        `parser:"@@?"`
	Fields  FieldsBeforeBy `parser:"@@"`
	By      *ByClause      `parser:"@@?"`
	After   Options        `parser:"@@?"`
}

// RenameCommand is `rename a AS b, c AS d`.
type RenameCommand struct {
	Pos     Pos
	Renames []*Rename `parser:"'rename' ( @@ ','? )+"`
}

// Rename is one `from AS to` of rename.
type Rename struct {
	Pos  Pos
	From *Word
	To   *Word
}

// TableCommand is `table f1 f2 w*`.
type TableCommand struct {
	Pos    Pos
	Fields FieldList `parser:"'table' @@"`
}

// FieldsCommand is `fields [+|-] f1 f2`.
type FieldsCommand struct {
	Pos    Pos
	Mode   string    `parser:"'fields' @('+' | '-')?"`
	Fields FieldList `parser:"@@"`
}

// ConvertCommand is `convert [timeformat=...] ctime(f) [AS g] ...`.
type ConvertCommand struct {
	Pos         Pos
	Options     Options     `parser:"'convert' @@?"`
	Conversions Conversions `parser:"@@"`
}

// Conversion is one `func(field) [AS new]` of convert.
type Conversion struct {
	Pos   Pos
	Func  string `parser:"@Word '('"`
	Field *Word  `parser:"@@ ')'"`
	As    *Word  `parser:"( 'as' @@ )?"`
}

// FillnullCommand is `fillnull [value=v] [fields]`.
type FillnullCommand struct {
	Pos     Pos
	Options Options   `parser:"'fillnull' @@?"`
	Fields  FieldList `parser:"@@?"`
}

// DedupCommand is `dedup [N] fields [options] [sortby ...]`.
type DedupCommand struct {
	Pos     Pos
	Count   string             `parser:"'dedup' @Number?"`
	Options Options            `parser:"@@?"`
	Fields  FieldsBeforeSortby `parser:"@@"`
	After   Options            `parser:"@@?"`
	SortBy  []*SortKey         `parser:"( 'sortby' ( @@ ','? )+ )?"`
}

// SortCommand is `sort [N] [+|-]f ... [desc]`.
type SortCommand struct {
	Pos     Pos
	Count   string     `parser:"'sort' @Number?"`
	Options Options    `parser:"@@?"`
	Keys    []*SortKey `parser:"( (?! 'desc' (?! Word | String)) @@ ','? )+"`
	Desc    bool       `parser:"@'desc'?"`
}

// SortKey is one sort field: `-count`, `+ f`, `num(f)`, `ip(src)`. For a
// function key, Func is set and Key is its argument.
type SortKey struct {
	Pos  Pos
	Sign string
	Func string
	Key  *Word
}

// HeadCommand is `head [N | limit=N | (expr)] [options]` (and `tail`).
type HeadCommand struct {
	Pos     Pos
	Kind    string  `parser:"@('head' | 'tail')"`
	Expr    Expr    `parser:"( '(' @@ ')'"`
	Count   string  `parser:"| @Number )?"`
	Options Options `parser:"@@?"`
}

// MakeresultsCommand is `makeresults [count=N] ...`.
type MakeresultsCommand struct {
	Pos     Pos
	Options Options `parser:"'makeresults' @@?"`
}

// BinCommand is `bin|bucket [options] field [AS new] [options]`.
type BinCommand struct {
	Pos     Pos
	Kind    string  `parser:"@('bin' | 'bucket')"`
	Options Options `parser:"@@?"`
	Field   *Word   `parser:"@@"`
	As      *Word   `parser:"( 'as' @@ )?"`
	After   Options `parser:"@@?"`
}

// LookupCommand is `lookup [options] table in [AS f] ... [OUTPUT|OUTPUTNEW out [AS f] ...]`.
type LookupCommand struct {
	Pos     Pos
	Options Options    `parser:"'lookup' @@?"`
	Table   *Word      `parser:"@@"`
	Inputs  []*FieldAs `parser:"( (?! 'output' | 'outputnew') @@ ','? )+"`
	Mode    string     `parser:"( @('output' | 'outputnew')"`
	Outputs []*FieldAs `parser:"  ( @@ ','? )* )?"`
}

// InputlookupCommand is `inputlookup [options] table [where ...]`.
type InputlookupCommand struct {
	Pos     Pos
	Options Options       `parser:"'inputlookup' @@?"`
	Table   *Word         `parser:"@@"`
	After   Options       `parser:"@@?"`
	Where   *SearchClause `parser:"@@?"`
}

// OutputlookupCommand is `outputlookup [options] table [options]`.
type OutputlookupCommand struct {
	Pos     Pos
	Options Options `parser:"'outputlookup' @@?"`
	Table   *Word   `parser:"@@"`
	After   Options `parser:"@@?"`
}

// RexCommand is `rex [field=f] [max_match=N] [mode=sed] "regex"`.
type RexCommand struct {
	Pos     Pos
	Options Options `parser:"'rex' @@?"`
	Regex   *Word   `parser:"@@"`
	After   Options `parser:"@@?"`
}

// RegexCommand is `regex [field=|field!=]"regex"`.
type RegexCommand struct {
	Pos   Pos
	Field *Word
	Op    string
	Regex *Word
}

// SpathCommand is `spath [input=f] [output=f] [path=p | p]`.
type SpathCommand struct {
	Pos     Pos
	Options Options `parser:"'spath' @@?"`
	Path    *Word   `parser:"@@?"`
	After   Options `parser:"@@?"`
}

// MvexpandCommand is `mvexpand field [limit=N]`.
type MvexpandCommand struct {
	Pos     Pos
	Field   *Word   `parser:"'mvexpand' @@"`
	Options Options `parser:"@@?"`
}

// JoinCommand is `join [options] [fields] [subsearch]`.
type JoinCommand struct {
	Pos       Pos
	Args      []*JoinArg `parser:"'join' ( @@ ','? )*"`
	Subsearch *Subsearch `parser:"@@"`
}

// JoinArg is an option or a join field; they may be mixed in any order.
type JoinArg struct {
	Pos    Pos
	Option *Option `parser:"  @@"`
	Field  *Word   `parser:"| @@"`
}

// AppendCommand is `append [options] [subsearch]`.
type AppendCommand struct {
	Pos       Pos
	Options   Options    `parser:"'append' @@?"`
	Subsearch *Subsearch `parser:"@@"`
}

// AppendpipeCommand is `appendpipe [options] [subpipeline]`.
type AppendpipeCommand struct {
	Pos      Pos
	Options  Options      `parser:"'appendpipe' @@?"`
	Pipeline *Subpipeline `parser:"@@"`
}

// Subpipeline is a bracketed pipeline that continues the outer results
// (appendpipe, foreach): its first command has no implicit search.
type Subpipeline struct {
	Pos      Pos
	Commands []Command
}

// ForeachCommand is `foreach [options] fields [ subpipeline ]`.
type ForeachCommand struct {
	Pos      Pos
	Options  Options      `parser:"'foreach' @@?"`
	Fields   FieldList    `parser:"@@"`
	After    Options      `parser:"@@?"`
	Pipeline *Subpipeline `parser:"@@"`
}

// MapCommand is `map search="..." [maxsearches=N]` or `map [subsearch]`.
// The quoted search is parsed too, so its syntax is checked.
type MapCommand struct {
	Pos       Pos
	Options   Options    `parser:"'map' @@?"`
	Subsearch *Subsearch `parser:"@@?"`
	After     Options    `parser:"@@?"`
	// Search is the parsed text of the search= option, when present.
	Search *Query
}

// TransactionCommand is `transaction [fields] [options]`.
type TransactionCommand struct {
	Pos    Pos
	Fields FieldList            `parser:"'transaction' @@?"`
	Args   []*TransactionOption `parser:"@@*"`
}

// TransactionOption is an option of transaction; startswith/endswith take
// a search expression in parentheses, eval(...), or a quoted search.
type TransactionOption struct {
	Pos    Pos
	Name   string     `parser:"(?= Word '=') @Word '='"`
	Search SearchExpr `parser:"( '(' @@ ')'"`
	Eval   Expr       `parser:"| 'eval' '(' @@ ')'"`
	Value  *Word      `parser:"| @@ )"`
}

// XmlkvCommand is `xmlkv [field] [maxinputs=N]`.
type XmlkvCommand struct {
	Pos     Pos
	Options Options `parser:"'xmlkv' @@?"`
	Field   *Word   `parser:"@@?"`
	After   Options `parser:"@@?"`
}

// ApplyCommand is the MLTK `apply model [AS new] [options]`.
type ApplyCommand struct {
	Pos     Pos
	Model   *Word   `parser:"'apply' @@"`
	As      *Word   `parser:"( 'as' @@ )?"`
	Options Options `parser:"@@?"`
}

// SummaryCommand is the MLTK `summary model`.
type SummaryCommand struct {
	Pos     Pos
	Options Options `parser:"'summary' @@?"`
	Model   *Word   `parser:"@@"`
}

// FromCommand is `from datamodel X`, `from datamodel:X`, `from inputlookup:t`.
type FromCommand struct {
	Pos     Pos
	Kind    *Word `parser:"'from' @@"`
	Dataset *Word `parser:"@@?"`
}

// DatamodelCommand is `datamodel [<model> [<dataset> [search|flat]]]`:
// a data model's events, or a description of the model.
type DatamodelCommand struct {
	Pos     Pos
	Options Options `parser:"'datamodel' @@?"`
	Model   *Word   `parser:"@@?"`
	Dataset *Word   `parser:"@@?"`
	Mode    *Word   `parser:"@@?"`
	After   Options `parser:"@@?"`
}

// AddtotalsCommand is `addtotals [options] [fields]`.
type AddtotalsCommand struct {
	Pos     Pos
	Options Options   `parser:"'addtotals' @@?"`
	Fields  FieldList `parser:"@@?"`
}

// FromjsonCommand is `fromjson field [prefix=s]`.
type FromjsonCommand struct {
	Pos     Pos
	Field   *Word   `parser:"'fromjson' @@"`
	Options Options `parser:"@@?"`
}

// ReplaceCommand is `replace a WITH b, c WITH d IN f1, f2`.
type ReplaceCommand struct {
	Pos    Pos
	Pairs  []*ReplacePair `parser:"'replace' ( (?! 'in') @@ ','? )+"`
	Fields FieldList      `parser:"( 'in' @@ )?"`
}

// ReplacePair is one `old WITH new` of replace.
type ReplacePair struct {
	Pos Pos
	Old *Word `parser:"@@ 'with'"`
	New *Word `parser:"@@"`
}

// AnomalydetectionCommand is `anomalydetection [options] [fields] [options]`.
type AnomalydetectionCommand struct {
	Pos     Pos
	Options Options   `parser:"'anomalydetection' @@?"`
	Fields  FieldList `parser:"@@?"`
	After   Options   `parser:"@@?"`
}

// CyberchefCommand is the CyberChef app's `cyberchef infield=f outfield=g operation=op ...`.
type CyberchefCommand struct {
	Pos     Pos
	Options Options `parser:"'cyberchef' @@"`
	// Args are words between or after the options: a JSON recipe written
	// with its inner quotes unescaped (`jsonrecipe="[{"op":"From
	// Punycode"}]"`, as ESCU has it) is split at its spaces, as Splunk's
	// argument splitter does.
	Args  []*Word `parser:"( (?! Word '=') @@ )*"`
	After Options `parser:"@@?"`
}

// ExtractCommand is `extract [options] [extractor names]` (also `kv`).
// Options may be separated by commas, as the Search Reference's example
// `extract pairdelim="|;", kvdelim="=:"` is; parsing moves those after a
// comma (More) into Options.
type ExtractCommand struct {
	Pos     Pos
	Kind    string    `parser:"@('extract' | 'kv')"`
	Options Options   `parser:"@@?"`
	More    []*Option `parser:"( ',' @@ )*"`
	Names   FieldList `parser:"@@?"`
}

// MultikvCommand is `multikv [options] [fields f ...] [filter t ...]`.
type MultikvCommand struct {
	Pos     Pos
	Options Options            `parser:"'multikv' @@?"`
	Fields  FieldsBeforeFilter `parser:"( 'fields' @@ )?"`
	Filter  FieldList          `parser:"( 'filter' @@ )?"`
	After   Options            `parser:"@@?"`
}

// OutlierCommand is `outlier [options] [fields]`.
type OutlierCommand struct {
	Pos     Pos
	Options Options   `parser:"'outlier' @@?"`
	Fields  FieldList `parser:"@@?"`
}

// IplocationCommand is `iplocation [prefix=s] [allfields=b] [lang=s] field`.
type IplocationCommand struct {
	Pos     Pos
	Options Options `parser:"'iplocation' @@?"`
	Field   *Word   `parser:"@@"`
	After   Options `parser:"@@?"`
}

// GenericCommand is a command the grammar does not know (an app's custom
// command, say), kept as its name and raw arguments so that parsing goes
// on; validation reports it as unsupported.
type GenericCommand struct {
	Pos     Pos
	Command string
	Args    string // arguments as written, whitespace normalised
}
