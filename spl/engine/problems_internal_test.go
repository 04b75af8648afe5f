package engine

import (
	"errors"
	"fmt"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/exec"
)

// several is an error that holds several, as exec.Compile returns when it
// finds more than one problem.
type several []error

func (s several) Error() string   { return fmt.Sprint([]error(s)) }
func (s several) Unwrap() []error { return s }

// TestCompileProblems: every *exec.Error of a compile error becomes a
// diagnostic placed in the search's text, in order, however it is held;
// an error the compiler did not place keeps its message, unplaced.
func TestCompileProblems(t *testing.T) {
	src := diag.NewSource("d.yml", "* | iplocation src | eval x=nosuch(1) | geostats count")
	unsupported := func(off int, msg string) *exec.Error {
		return &exec.Error{Pos: spl.Pos{Offset: off}, Code: diag.UnsupportedCommand, Msg: msg}
	}
	a := unsupported(4, "iplocation is not supported")
	b := &exec.Error{Pos: spl.Pos{Offset: 28}, Code: diag.UnsupportedFunction, Msg: "nosuch() is not supported"}
	c := unsupported(40, "geostats is not supported")
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"one", a, []string{"d.yml:1:5: unsupported-command: iplocation is not supported"}},
		{"wrapped", fmt.Errorf("compiling: %w", a), []string{"d.yml:1:5: unsupported-command: iplocation is not supported"}},
		{"several", several{a, b, c}, []string{
			"d.yml:1:5: unsupported-command: iplocation is not supported",
			"d.yml:1:29: unsupported-function: nosuch() is not supported",
			"d.yml:1:41: unsupported-command: geostats is not supported",
		}},
		{"joined", errors.Join(a, c), []string{
			"d.yml:1:5: unsupported-command: iplocation is not supported",
			"d.yml:1:41: unsupported-command: geostats is not supported",
		}},
		{"nested", several{a, several{b, c}}, []string{
			"d.yml:1:5: unsupported-command: iplocation is not supported",
			"d.yml:1:29: unsupported-function: nosuch() is not supported",
			"d.yml:1:41: unsupported-command: geostats is not supported",
		}},
		{"unplaced", errors.New("searchmatch() takes search terms only"), []string{"unplaced: spl-syntax: searchmatch() takes search terms only"}},
	}
	for _, c := range cases {
		got := compileProblems(c.err, src)
		var lines []string
		for _, d := range got {
			if Unplaced(d) {
				lines = append(lines, fmt.Sprintf("unplaced: %s: %s", d.Code, d.Message))
				continue
			}
			lines = append(lines, d.Error())
		}
		if fmt.Sprint(lines) != fmt.Sprint(c.want) {
			t.Errorf("%s: got\n%q\nwant\n%q", c.name, lines, c.want)
		}
	}
}
