package macro_test

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
	"github.com/splharness/splharness/spl/testenv"
)

// ownRoot is the project's own content (the embedded detections/), on
// disk.
const ownRoot = "../../detections"

type escuSearch struct {
	file, name, search string
}

// loadContent loads the macros and the searches of the cloud detections
// of a content root in the ESCU layout.
func loadContent(tb testing.TB, root string) (*macro.Set, []escuSearch) {
	tb.Helper()
	set, errs := macro.LoadDir(os.DirFS(root), "macros")
	for _, err := range errs {
		tb.Errorf("loading macros: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(root, "detections", "cloud", "*.yml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no cloud detections: %v", err)
	}
	var searches []escuSearch
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var d struct{ Name, Search string }
		if err := yaml.Unmarshal(data, &d); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		searches = append(searches, escuSearch{file: f, name: d.Name, search: d.Search})
	}
	return set, searches
}

// TestExpandCloudDetections expands the cloud detection searches of our
// content and, when SPLHARNESS_ESCU is set, of ESCU.
func TestExpandCloudDetections(t *testing.T) {
	t.Run("own", func(t *testing.T) { testExpandCloudDetections(t, ownRoot) })
	t.Run("ESCU", func(t *testing.T) { testExpandCloudDetections(t, testenv.ESCU(t)) })
}

func testExpandCloudDetections(t *testing.T, root string) {
	set, searches := loadContent(t, root)
	t.Logf("%d macros loaded", set.Len())
	auto, depth := 0, 0
	for _, s := range searches {
		e, err := macro.Expand(diag.NewSource(s.file, s.search), set, macro.Options{AutoFilter: true})
		if err != nil {
			t.Errorf("%s: %v", s.file, err)
			continue
		}
		// Nothing is left to expand: a second pass with no macros at all
		// finds no call.
		again, err := macro.Expand(diag.NewSource(s.file, e.Text), nil, macro.Options{})
		if err != nil || again.Text != e.Text || len(again.Uses) != 0 {
			t.Errorf("%s: expanded text still has macro calls: %v\n%s", s.file, err, e.Text)
		}
		for _, u := range e.Uses {
			depth = max(depth, u.Depth+1)
			if u.Auto {
				auto++
				if want := macro.FilterMacroName(s.name); u.Name != want {
					t.Errorf("%s: filter macro %s, but contentctl would name it %s", s.file, u.Name, want)
				}
			}
		}
	}
	t.Logf("expanded %d cloud detection searches (%d filters generated, macros nested up to %d deep)", len(searches), auto, depth)
}

func BenchmarkExpand(b *testing.B) {
	set, searches := loadContent(b, testenv.ESCU(b))
	srcs := make([]*diag.Source, len(searches))
	size := 0
	for i, s := range searches {
		srcs[i] = diag.NewSource(s.file, s.search)
		size += len(s.search)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := macro.Expand(src, set, macro.Options{AutoFilter: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(srcs)), "ns/search")
}

// FuzzExpand checks that no input panics, that errors point inside the
// text, and that every offset of an expansion maps inside the original.
func FuzzExpand(f *testing.F) {
	set := testSet(f)
	for _, s := range []string{
		"`cloudtrail` eventName = DeleteTrail eventSource = cloudtrail.amazonaws.com userAgent !=console.amazonaws.com errorCode = success| stats count min(_time) as firstTime max(_time) as lastTime values(requestParameters.name) as deleted_cloudtrail_name by src user_agent | `security_content_ctime(firstTime)`| `security_content_ctime(lastTime)` | `aws_defense_evasion_delete_cloudtrail_filter`",
		"| tstats count from datamodel=Change where All_Changes.user!=unknown by All_Changes.user _time span=1h | `drop_dm_object_name(\"All_Changes\")` | eval HourOfDay=strftime(_time, \"%H\") ```a comment```",
		"`amazon_security_lake` api.operation=DescribeEventAggregates \"http_request.user_agent\"=\"console.amazonaws.com\" | `ping`",
		"`nest` | `two(\"a,b\", c)` | `dollars(x)` | eval x=\"`foo`\\\"\" ```unterminated",
		"`commented` \\` `foo(",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		src := diag.NewSource("f", in)
		e, err := macro.Expand(src, set, macro.Options{AutoFilter: true, MaxSize: 1 << 16})
		if err != nil {
			de, ok := err.(*diag.Error)
			if !ok || de.Offset < 0 || de.Offset > len(in) || de.Source != src {
				t.Fatalf("bad error %#v", err)
			}
			_ = de.Render()
			return
		}
		for off := -1; off <= len(e.Text)+1; off++ {
			if o := e.OriginalOffset(off); o < 0 || o > len(in) {
				t.Fatalf("OriginalOffset(%d) = %d, outside [0, %d]", off, o, len(in))
			}
		}
		for _, u := range e.Uses {
			if u.Offset < 0 || u.Offset >= len(in) || in[u.Offset] != '`' {
				t.Fatalf("use %+v does not point at a backtick", u)
			}
		}
	})
}
