package diag_test

import (
	"errors"
	"testing"

	"github.com/splharness/splharness/spl/diag"
)

// TestList: a list renders its problems one a line, and errors.As finds
// the first of them.
func TestList(t *testing.T) {
	src := diag.NewSource("s", "* | iplocation src | geostats count")
	l := diag.List{
		diag.Errorf(src, diag.UnsupportedCommand, 4, "iplocation is not supported"),
		diag.Errorf(src, diag.UnsupportedCommand, 21, "geostats is not supported"),
	}
	const want = "s:1:5: unsupported-command: iplocation is not supported\ns:1:22: unsupported-command: geostats is not supported"
	if l.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", l.Error(), want)
	}
	var d *diag.Error
	if err := error(l); !errors.As(err, &d) || d != l[0] {
		t.Errorf("errors.As found %v, want the first problem", d)
	}
}
