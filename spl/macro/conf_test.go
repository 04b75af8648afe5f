package macro_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

// TestAddConf: macros.conf stanzas [name] and [name(N)] with args
// ([SPL8212 macros.conf.spec]); bad stanzas are reported, good ones added.
func TestAddConf(t *testing.T) {
	f := &conf.File{}
	errs := f.Parse("app/default/macros.conf", strings.NewReader(`[aws_idx]
definition = index=aws sourcetype=aws:cloudtrail

[ctime(1)]
args = field
definition = convert ctime($field$)

[broken(2)]
args = a
definition = x

[nodef]
iseval = 0
`))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	set := macro.NewSet()
	errs = set.AddConf(f)
	if len(errs) != 2 {
		t.Fatalf("want 2 problems, got %v", errs)
	}
	if !strings.Contains(errs[0].Error(), "app/default/macros.conf:8: macro broken(2): the stanza says 2 arguments, args lists 1") {
		t.Errorf("problem: %v", errs[0])
	}
	exp, err := macro.Expand(diag.NewSource("s", "`aws_idx` | `ctime(firstTime)`"), set, macro.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "index=aws sourcetype=aws:cloudtrail | convert ctime(firstTime)"; exp.Text != want {
		t.Errorf("got %q, want %q", exp.Text, want)
	}
}
