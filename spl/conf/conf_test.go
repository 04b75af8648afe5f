package conf_test

import (
	"errors"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/splharness/splharness/spl/conf"
)

// TestParse: stanzas, key = value, comments, continuation lines, settings
// before any stanza (the default stanza), repeated keys (the later wins).
func TestParse(t *testing.T) {
	f := &conf.File{}
	errs := f.Parse("props.conf", strings.NewReader(`# comment
TZ = UTC
[aws:cloudtrail]
KV_MODE = json
EVAL-a = if(x,\
    1,\
    2)
   # indented comment
FIELDALIAS-b = x AS y
KV_MODE = none
`))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	def := f.Stanza("default")
	if v, _ := def.Get("TZ"); v != "UTC" {
		t.Errorf("default TZ = %q", v)
	}
	st := f.Stanza("aws:cloudtrail")
	got := map[string]string{}
	lines := map[string]int{}
	for _, s := range st.Settings {
		got[s.Key] = s.Value
		lines[s.Key] = s.Line
	}
	want := map[string]string{"KV_MODE": "none", "EVAL-a": "if(x,\n    1,\n    2)", "FIELDALIAS-b": "x AS y"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	if lines["EVAL-a"] != 5 || lines["FIELDALIAS-b"] != 9 {
		t.Errorf("lines: %v", lines)
	}
}

// TestErrors: a bad line names file and line; the rest still loads.
func TestErrors(t *testing.T) {
	f := &conf.File{}
	errs := f.Parse("app/default/props.conf", strings.NewReader("[a]\nno equals here\nk = v\n[b\nx = 1\n[c]\n = nokey\n"))
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`app/default/props.conf:2: line "no equals here" is not key = value`,
		`app/default/props.conf:4: stanza header "[b" has no closing ]`,
		`app/default/props.conf:7: setting with no key`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if v, _ := f.Stanza("a").Get("k"); v != "v" {
		t.Errorf("a/k = %q", v)
	}
}

// TestLoadPrecedence: default/ then local/ in an app, later apps over
// earlier ones.
func TestLoadPrecedence(t *testing.T) {
	app1 := fstest.MapFS{
		"default/props.conf": {Data: []byte("[st]\nA = 1\nB = 1\nC = 1\n")},
		"local/props.conf":   {Data: []byte("[st]\nB = 2\n")},
	}
	app2 := fstest.MapFS{"default/props.conf": {Data: []byte("[st]\nC = 3\n")}}
	f, errs := conf.Load([]conf.App{{FS: app1, Name: "one"}, {FS: app2, Name: "two"}}, "props.conf")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	st := f.Stanza("st")
	for k, want := range map[string]string{"A": "1", "B": "2", "C": "3"} {
		if v, _ := st.Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if s := st.Setting("C"); s.File != "two/default/props.conf" || s.Line != 2 {
		t.Errorf("C from %s:%d", s.File, s.Line)
	}
}

// FuzzParse: no input makes the reader panic, every error names a line of
// the input, and a small file read whole parses as a stream does.
func FuzzParse(f *testing.F) {
	f.Add("[a]\nk = v\\\n w\n# c\n")
	f.Add("[aws:cloudtrail]\nEVAL-x = if(a, \"b\", c)\nLOOKUP-l = t f OUTPUT g\n")
	f.Fuzz(func(t *testing.T, s string) {
		c := &conf.File{}
		n := strings.Count(s, "\n") + 1
		errs := c.Parse("x.conf", strings.NewReader(s))
		for _, err := range errs {
			ce, ok := err.(*conf.Error)
			if !ok {
				continue
			}
			if ce.Line < 0 || ce.Line > n {
				t.Fatalf("error line %d outside 1..%d: %v", ce.Line, n, err)
			}
		}
		if len(s) < 64*1024 {
			whole := &conf.File{}
			wholeErrs := whole.Parse("x.conf", fileReader{strings.NewReader(s), int64(len(s))})
			if !reflect.DeepEqual(c, whole) || !reflect.DeepEqual(errs, wholeErrs) {
				t.Fatalf("read whole:\n%+v %v\nstreamed:\n%+v %v", whole, wholeErrs, c, errs)
			}
		}
	})
}

// fileReader is a reader that says it is a regular file of size bytes,
// as an opened .conf file does.
type fileReader struct {
	io.Reader
	size int64
}

func (r fileReader) Stat() (fs.FileInfo, error) { return fileInfo{r.size}, nil }

type fileInfo struct{ size int64 }

func (i fileInfo) Name() string       { return "x.conf" }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o644 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

// TestReadWhole: a small file is read whole, its lines cut out of one
// string; it parses as the same text streamed does, through the ends of
// lines and of the file, continued values, bad lines, a read error part
// of the way (the lines before it apply, then the error), and a file that
// grew after it was measured.
func TestReadWhole(t *testing.T) {
	texts := []string{
		"", "\n", "[s]", "[s]\nk = v", "[s]\r\nk = v\r\n\r\n", "# c\n\n[s]\nk = a\\\nb\\\n",
		"k = top\n[s\nx\n[t]\n = 1\nk=2\n", "[s]\nk = a\\",
	}
	for _, text := range texts {
		streamed, whole := &conf.File{}, &conf.File{}
		errs := streamed.Parse("x.conf", strings.NewReader(text))
		wholeErrs := whole.Parse("x.conf", fileReader{strings.NewReader(text), int64(len(text))})
		if !reflect.DeepEqual(streamed, whole) || !reflect.DeepEqual(errs, wholeErrs) {
			t.Errorf("%q: read whole %+v %v, streamed %+v %v", text, whole, wholeErrs, streamed, errs)
		}
	}
	// Grown: the size said is less than what there is.
	text := "[s]\nk = v\nl = w\n"
	f := &conf.File{}
	if errs := f.Parse("x.conf", fileReader{strings.NewReader(text), 4}); errs != nil {
		t.Fatal(errs)
	}
	if v, _ := f.Stanza("s").Get("l"); v != "w" {
		t.Errorf("a file that grew: l = %q, want w", v)
	}
	// A read error after the first line.
	f = &conf.File{}
	errs := f.Parse("x.conf", fileReader{io.MultiReader(strings.NewReader("[s]\nk = v\n"), iotest.ErrReader(errors.New("disk gone"))), 100})
	if v, _ := f.Stanza("s").Get("k"); v != "v" || len(errs) != 1 || errs[0].Error() != "x.conf:3: disk gone" {
		t.Errorf("a read error: k = %q, errors %v", v, errs)
	}
}

// TestLongLine: a line longer than bufio.Scanner's 4 MB cap is read, and
// the rules after it still apply (they were all dropped, without an
// error that failed the run).
func TestLongLine(t *testing.T) {
	long := strings.Repeat("x", 5<<20)
	f := &conf.File{}
	errs := f.Parse("props.conf", strings.NewReader("[a]\nEVAL-long = \""+long+"\"\n[b]\nKV_MODE = json\r\nEVAL-z = 1"))
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	a, b := f.Stanza("a"), f.Stanza("b")
	if a == nil || b == nil || len(a.Settings) != 1 || len(a.Settings[0].Value) != len(long)+2 || len(b.Settings) != 2 || b.Settings[0].Value != "json" || b.Settings[1].Line != 5 {
		t.Fatalf("stanzas: %+v %+v", a, b)
	}
}

// TestValuePosition: each setting knows where its value starts, on its
// own line or on a continuation line, so that problems inside the value
// can point at it.
func TestValuePosition(t *testing.T) {
	f := &conf.File{}
	f.Parse("props.conf", strings.NewReader("[s]\nEVAL-a = x\n  EVAL-b=\ty\nEVAL-é = z\nEVAL-c = \\\n   w\n"))
	want := map[string][2]int{"EVAL-a": {2, 10}, "EVAL-b": {3, 11}, "EVAL-é": {4, 10}, "EVAL-c": {6, 4}}
	for _, s := range f.Stanza("s").Settings {
		if got := [2]int{s.ValueLine, s.ValueColumn}; got != want[s.Key] {
			t.Errorf("%s: value at %v, want %v", s.Key, got, want[s.Key])
		}
	}
}

// TestContinuation: a trailing backslash joins the next line to a value
// with a line end between them, however many lines a value spans; one
// left at the end of the file stays in the value.
func TestContinuation(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[s]\nk = a\\\nb\n", "a\nb"},
		{"[s]\nk = a\\\n  b\\\nc\\\nd\nn = 1\n", "a\n  b\nc\nd"},
		{"[s]\nk = a\\\\\nb\n", "a\\\nb"},
		{"[s]\nk = a\\", "a\\"},
		{"[s]\nk = a\\\nb\\", "a\nb\\"},
		{"[s]\nk = a\\\r\nb\r\n", "a\nb"},
	}
	for _, tt := range tests {
		f := &conf.File{}
		if errs := f.Parse("x.conf", strings.NewReader(tt.text)); errs != nil {
			t.Errorf("%q: %v", tt.text, errs)
			continue
		}
		if got, _ := f.Stanza("s").Get("k"); got != tt.want {
			t.Errorf("%q: k = %q, want %q", tt.text, got, tt.want)
		}
	}
}
