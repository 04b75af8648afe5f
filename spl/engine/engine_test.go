package engine_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/engine"
	"github.com/splharness/splharness/spl/event"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/output"
	"github.com/splharness/splharness/spl/value"
)

// now is the fixed search time of the tests.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// record is a CloudTrail record, second sec of 10:00.
func record(name, region string, sec int) string {
	return fmt.Sprintf(`{"eventTime":"2026-11-01T10:00:%02dZ","eventSource":"bedrock.amazonaws.com","eventName":"%s","awsRegion":"%s","eventID":"id-%d"}`, sec, name, region, sec)
}

// broken is a record cut short: the reader rejects it.
const broken = `{"eventTime":"2026-11-01T10:00:59Z","eventName":"ListFoundationModels"`

func compile(t *testing.T, name, text string, k engine.FieldKnowledge, opts engine.Options) *engine.Program {
	t.Helper()
	opts.Now = now
	p, problems := engine.Compile(diag.NewSource(name, text), nil, k, opts)
	if len(problems) > 0 {
		t.Fatalf("%s: %v", text, problems)
	}
	return p
}

// rows runs a program and renders its rows as the JSON output does.
func rows(t *testing.T, p *engine.Program, in engine.Input) string {
	t.Helper()
	var got []*value.Row
	if _, err := p.Run(in, func(r *value.Row) error { got = append(got, r); return nil }); err != nil {
		t.Fatalf("run: %v", err)
	}
	return render(t, got)
}

// render is rows as the JSON output has them, on one line.
func render(t *testing.T, rows []*value.Row) string {
	t.Helper()
	var b, c bytes.Buffer
	if err := output.JSON(&b, rows); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&c, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

// TestCompileProblems: each step's problem (expansion, parsing,
// compilation) comes back as a diagnostic with its code, placed in the
// text the search was read from, through macros and a file's lines.
func TestCompileProblems(t *testing.T) {
	macros := macro.NewSet()
	if err := macros.Add(macro.Macro{Name: "by_nothing", Definition: "stats count by"}); err != nil {
		t.Fatal(err)
	}
	// A search inside a file, from its 11th line, as a YAML search is.
	inFile := func(text string) *diag.Source {
		src := &diag.Source{Name: "d.yml", Text: text}
		src.Locate = func(off int) diag.Position {
			p := diag.TextPosition(text, off)
			p.File, p.Line = "d.yml", p.Line+10
			return p
		}
		return src
	}
	cases := []struct {
		name string
		src  *diag.Source
		want string // the first diagnostic, as Error renders it
	}{
		{"undefined macro", diag.NewSource("s", "* | `nosuch`"), "s:1:5: macro-undefined: "},
		{"syntax", diag.NewSource("s", "* | stats count by"), "s:1:19: spl-syntax: "},
		{"syntax inside a macro", diag.NewSource("s", "*\n| `by_nothing`"), "s:2:15: spl-syntax: "},
		{"unsupported command", diag.NewSource("s", "* | iplocation src"), "s:1:5: unsupported-command: "},
		{"unsupported function", diag.NewSource("s", "* | eval x=nosuch(1)"), "s:1:12: unsupported-function: "},
		{"in a file", inFile("*\n| table a\n| iplocation src"), "d.yml:13:3: unsupported-command: "},
	}
	for _, c := range cases {
		p, problems := engine.Compile(c.src, macros, nil, engine.Options{Now: now})
		if p != nil || len(problems) == 0 {
			t.Errorf("%s: program %v, problems %v: want problems and no program", c.name, p, problems)
			continue
		}
		for _, d := range problems {
			if engine.Unplaced(d) {
				t.Errorf("%s: %v is not placed", c.name, d)
			}
		}
		if got := problems[0].Error(); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %s, want %s...", c.name, got, c.want)
		}
		if r := problems[0].Render(); !strings.Contains(r, "^\n") {
			t.Errorf("%s: rendered without a caret:\n%s", c.name, r)
		}
	}
}

// TestLimitPlacedInItsProgram: of several programs run in one pass, the
// one that hits a limit gets an error placed in its own text, whichever
// place it has in the pass; the others give exactly the rows they give
// alone.
func TestLimitPlacedInItsProgram(t *testing.T) {
	var events []string
	for i := 0; i < 40; i++ {
		events = append(events, record([]string{"DeleteGuardrail", "InvokeModel"}[i%2], "us-east-1", i))
	}
	path := filepath.Join(t.TempDir(), "ct.json")
	if err := os.WriteFile(path, []byte(strings.Join(events, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const small, over = "* | stats count by eventName", "eventSource=bedrock.amazonaws.com | eval n=1 | stats sum(n) by eventID"
	in := func() *engine.Data { return engine.Files([]string{path}, event.Options{Sourcetype: "aws:cloudtrail"}) }
	alone := rows(t, compile(t, "small", small, nil, engine.Options{}), in())
	for _, overFirst := range []bool{false, true} {
		progs := []*engine.Program{
			compile(t, "small", small, nil, engine.Options{}),
			compile(t, "over", over, nil, engine.Options{Limits: engine.Limits{MaxGroups: 5}}),
		}
		if overFirst {
			progs[0], progs[1] = progs[1], progs[0]
		}
		got := make([][]*value.Row, 2)
		outs := []func(*value.Row) error{
			func(r *value.Row) error { got[0] = append(got[0], r); return nil },
			func(r *value.Row) error { got[1] = append(got[1], r); return nil },
		}
		_, errs := engine.RunAll(progs, in(), outs)
		iOver, iSmall := 1, 0
		if overFirst {
			iOver, iSmall = 0, 1
		}
		var le *engine.LimitError
		if !errors.As(errs[iOver], &le) || le.Limit != "max_groups" {
			t.Fatalf("over first %v: error %v, want a LimitError for max_groups", overFirst, errs[iOver])
		}
		const want = "over:1:48: limit: stats: more than 5 groups (limit max_groups)"
		if le.Diag.Error() != want || le.Diag.Source != progs[iOver].Source() {
			t.Errorf("over first %v: %s, want %s, in the text of the search that hit it", overFirst, le.Diag.Error(), want)
		}
		if !strings.Contains(le.Diag.Render(), over) || le.Error() != "stats: more than 5 groups (limit max_groups)" {
			t.Errorf("over first %v: rendered\n%s", overFirst, le.Diag.Render())
		}
		if errs[iSmall] != nil {
			t.Fatalf("over first %v: %v; another search's limit must not stop it", overFirst, errs[iSmall])
		}
		if s := render(t, got[iSmall]); s != alone {
			t.Errorf("over first %v: in the pass\n%s\nalone\n%s", overFirst, s, alone)
		}
	}
}

// foreign is an Input that is not the engine's. It offers a parallel scan
// too, which the engine must not use: only the engine decides how the
// raw pre-filter meets validation.
type foreign struct {
	events  []string
	scanned bool
}

func (f *foreign) Events(fn func(*event.Event) error) error {
	return engine.Stdin(strings.NewReader(strings.Join(f.events, "\n")), event.Options{Sourcetype: "aws:cloudtrail"}).Events(fn)
}

func (f *foreign) ScanEvents(so event.ScanOptions, process func(int, *event.Event) any, deliver func(*event.Event, any) error) (int, error) {
	f.scanned = true
	return 0, errors.New("the engine scanned a foreign input")
}

// TestInputs: files, folders, files of an fs.FS with options of their own,
// standard input (read twice by a subsearch) and another Input give the
// same events, and the counts of what was read. Every record is validated
// before the raw pre-filter may skip it, so the broken record, which the
// pre-filter of eventName=DeleteGuardrail would rule out unread, is
// counted as rejected whatever the search.
func TestInputs(t *testing.T) {
	dir := t.TempDir()
	a := strings.Join([]string{record("DeleteGuardrail", "us-east-1", 1), broken, record("InvokeModel", "us-west-2", 2)}, "\n") + "\n"
	b := strings.Join([]string{record("DeleteGuardrail", "eu-west-1", 3), record("ListFoundationModels", "us-east-1", 4)}, "\n") + "\n"
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", a)
	write("sub/b.json", b)
	write(".hidden.json", a)
	fsys := fstest.MapFS{"x/a.json": {Data: []byte(a)}, "x/b.json": {Data: []byte(b)}}
	ct := event.Options{Sourcetype: "aws:cloudtrail"}
	opts := func(source string) event.Options { return event.Options{Sourcetype: "aws:cloudtrail", Source: source} }
	const deletes = "eventName=DeleteGuardrail | stats count by awsRegion source"
	cases := []struct {
		name   string
		in     func() engine.Input
		search string
		want   string
		// read, rejected, skipped: the Data's counts (not for another Input).
		read, rejected, skipped int
		skips                   string
	}{
		{"file", func() engine.Input { return engine.Files([]string{filepath.Join(dir, "a.json")}, ct) }, deletes,
			`[{"awsRegion":"us-east-1","source":"` + filepath.Join(dir, "a.json") + `","count":"1"}]`, 3, 1, 1, ""},
		{"folder", func() engine.Input { return engine.Files([]string{dir}, opts("s")) }, deletes,
			`[{"awsRegion":"eu-west-1","source":"s","count":"1"},{"awsRegion":"us-east-1","source":"s","count":"1"}]`, 5, 1, 2, ".hidden.json: hidden file (name starts with .)"},
		{"fs files, each with its options", func() engine.Input {
			return engine.FS(fsys, "attack data", engine.File{Path: "x/a.json", Options: opts("first")}, engine.File{Path: "x/b.json", Options: opts("second")})
		}, deletes,
			`[{"awsRegion":"eu-west-1","source":"second","count":"1"},{"awsRegion":"us-east-1","source":"first","count":"1"}]`, 5, 1, 2, ""},
		{"stdin", func() engine.Input { return engine.Stdin(strings.NewReader(b), opts("stdin")) }, deletes,
			`[{"awsRegion":"eu-west-1","source":"stdin","count":"1"}]`, 2, 0, 0, ""},
		{"stdin read twice by a subsearch", func() engine.Input { return engine.Stdin(strings.NewReader(a+b), opts("stdin")) },
			"* [search eventName=DeleteGuardrail | table awsRegion] | stats count by eventName",
			`[{"eventName":"DeleteGuardrail","count":"2"},{"eventName":"ListFoundationModels","count":"1"}]`, 5, 1, 0, ""},
		{"stdin read once for join and append", func() engine.Input { return engine.Stdin(strings.NewReader(a+b), opts("stdin")) },
			"eventName=DeleteGuardrail | stats count by awsRegion | join awsRegion [search eventName=ListFoundationModels | stats count as lists by awsRegion] | append [search eventName=ListFoundationModels | stats count as all]",
			`[{"awsRegion":"us-east-1","count":"1","lists":"1"},{"all":"1"}]`, 5, 1, 0, ""},
		{"another input", func() engine.Input {
			return &foreign{events: []string{record("DeleteGuardrail", "us-east-1", 1), broken}}
		}, deletes,
			`[{"awsRegion":"us-east-1","source":"stdin","count":"1"}]`, 0, 0, 0, ""},
	}
	for _, c := range cases {
		in := c.in()
		if got := rows(t, compile(t, "s", c.search, nil, engine.Options{}), in); got != c.want {
			t.Errorf("%s: rows\n%s\nwant\n%s", c.name, got, c.want)
		}
		switch in := in.(type) {
		case *engine.Data:
			n := in.Counts()
			var skips []string
			for _, s := range n.Skips {
				skips = append(skips, strings.TrimPrefix(s.String(), dir+string(filepath.Separator)))
			}
			if n.Read != c.read || n.Rejected != c.rejected || n.Accepted != c.read-c.rejected || n.Skipped != c.skipped || strings.Join(skips, "; ") != c.skips {
				t.Errorf("%s: counts %+v, want %d read, %d rejected, %d skipped, skips %q", c.name, n, c.read, c.rejected, c.skipped, c.skips)
			}
			if c.rejected > 0 && (len(n.Rejects) != 1 || n.Rejects[0].Line != 2) {
				t.Errorf("%s: rejects %v, want the record of line 2", c.name, n.Rejects)
			}
			if err := in.Close(); err != nil {
				t.Errorf("%s: close: %v", c.name, err)
			}
		case *foreign:
			if in.scanned {
				t.Errorf("%s: the engine used the input's own scan", c.name)
			}
		}
	}
}

// TestInputErrors: data that cannot be read is an error of every program
// that reads it, naming the file; standard input cannot be read twice
// without its copy.
func TestInputErrors(t *testing.T) {
	p := compile(t, "s", "* | stats count", nil, engine.Options{})
	_, err := p.Run(engine.FS(fstest.MapFS{}, "attack data", engine.File{Path: "x/nope.json"}), func(*value.Row) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "attack data x/nope.json: ") {
		t.Errorf("missing fs file: %v", err)
	}
	_, err = p.Run(engine.Files([]string{filepath.Join(t.TempDir(), "nope.json")}, event.Options{}), func(*value.Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("missing file: %v", err)
	}
	in := engine.Stdin(strings.NewReader(record("DeleteGuardrail", "us-east-1", 1)), event.Options{})
	if got := rows(t, p, in); got != `[{"count":"1"}]` {
		t.Errorf("stdin: %s", got)
	}
	if _, err := p.Run(in, func(*value.Row) error { return nil }); err == nil || !strings.Contains(err.Error(), "standard input was read already") {
		t.Errorf("stdin read again: %v", err)
	}
}

// kinds is a FieldKnowledge that makes one field, kind, from eventName:
// "delete" for Delete* calls, else "other". origin says whether it shows
// kind's values come from the raw eventName (they do not, strictly: this
// checks only that the engine passes Origin on).
type kinds struct{ origin bool }

func (kinds) Apply(_ *event.Event, raw value.Source) value.Source { return kindSource{raw} }
func (kinds) Derived(field string) bool                           { return field == "kind" }
func (k kinds) Origin(field string) ([]string, []string, bool) {
	if field == "kind" {
		return []string{"eventName"}, nil, k.origin
	}
	return []string{field}, nil, true
}
func (kinds) TagSearches(string, func(string) bool) ([]string, bool) { return nil, false }
func (kinds) EventtypeSearches() []string                            { return nil }

func (kinds) Reads() []string { return []string{"eventName"} }
func (kinds) ReadsFor(fields []string) []string {
	for _, f := range fields {
		if f == "kind" {
			return []string{"eventName"}
		}
	}
	return nil
}

type kindSource struct{ raw value.Source }

func (s kindSource) Field(name string) (value.Value, bool) {
	if name != "kind" {
		return s.raw.Field(name)
	}
	n, ok := s.raw.Field("eventName")
	if !ok {
		return value.NullValue, false
	}
	if strings.HasPrefix(n.First(), "Delete") {
		return value.Str("delete"), true
	}
	return value.Str("other"), true
}

func (s kindSource) Each(fn func(string, value.Value)) {
	s.raw.Each(fn)
	if v, ok := s.Field("kind"); ok {
		fn("kind", v)
	}
}

// TestFieldKnowledge: the fields a FieldKnowledge makes are searched and
// counted; what they read is extracted though the search does not name
// it (ReadsFor); and the raw pre-filter leaves a derived field alone
// unless its Origin shows raw values, and NoDerivedPrefilter is off.
func TestFieldKnowledge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ct.json")
	data := strings.Join([]string{record("DeleteGuardrail", "us-east-1", 1), record("InvokeModel", "us-east-1", 2), record("DeleteKnowledgeBase", "us-east-1", 3)}, "\n")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	in := func() engine.Input { return engine.Files([]string{path}, event.Options{Sourcetype: "aws:cloudtrail"}) }
	cases := []struct {
		search    string
		k         engine.FieldKnowledge
		opts      engine.Options
		rows      string
		prefilter string
	}{
		{"kind=delete | stats count by kind", kinds{}, engine.Options{}, `[{"kind":"delete","count":"2"}]`, ""},
		{"* | stats count by kind", kinds{}, engine.Options{}, `[{"kind":"delete","count":"2"},{"kind":"other","count":"1"}]`, ""},
		{"kind=DeleteGuardrail | stats count", kinds{origin: true}, engine.Options{}, `[{"count":"0"}]`, `"\"deleteguardrail\""`},
		{"kind=DeleteGuardrail | stats count", kinds{origin: true}, engine.Options{NoDerivedPrefilter: true}, `[{"count":"0"}]`, ""},
		{"kind=delete | stats count", nil, engine.Options{}, `[{"count":"0"}]`, `"\"delete\""`},
	}
	for _, c := range cases {
		p := compile(t, "s", c.search, c.k, c.opts)
		if got := rows(t, p, in()); got != c.rows {
			t.Errorf("%s (%#v): rows %s, want %s", c.search, c.k, got, c.rows)
		}
		if got := p.Prefilter(); got != c.prefilter {
			t.Errorf("%s (%#v): pre-filter %s, want %s", c.search, c.k, got, c.prefilter)
		}
	}
}
