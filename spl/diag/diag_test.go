package diag_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/diag"
)

// TestRenderLongLine: the source line of an error is shown 80 characters
// either side of the column, with "…" where it is cut, so that an error
// in a search of megabytes does not echo it whole.
func TestRenderLongLine(t *testing.T) {
	text := strings.Repeat("a", 1000) + "é!" + strings.Repeat("b", 1000)
	e := diag.Errorf(diag.NewSource("<search>", text), diag.Syntax, 1002, "bad")
	got := e.Render()
	want := "<search>:1:1002: spl-syntax: bad\n  …" + strings.Repeat("a", 79) + "é!" + strings.Repeat("b", 80) + "…\n  " + strings.Repeat(" ", 81) + "^\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	short := diag.Errorf(diag.NewSource("<search>", "abc"), diag.Syntax, 1, "bad").Render()
	if short != "<search>:1:2: spl-syntax: bad\n  abc\n   ^\n" {
		t.Errorf("short line: %q", short)
	}
}

// TestLongMessage: a message that quotes a huge word is cut at 1000
// bytes, on a character boundary, with "…".
func TestLongMessage(t *testing.T) {
	word := strings.Repeat("é", 800)
	e := diag.Errorf(diag.NewSource("<search>", "x"), diag.UnsupportedCommand, 0, "command %s", word)
	want := "<search>:1:1: unsupported-command: command " + strings.Repeat("é", 496) + "…"
	if got := e.Error(); got != want {
		t.Errorf("got %d bytes %q…, want %d bytes", len(got), got[:60], len(want))
	}
}
