package spl_test

import (
	"fmt"
	"testing"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/diag"
)

func TestErrDump(t *testing.T) {
	for _, s := range []string{
		`sourcetype=x user="bob | stats count`,
		`x | eval a=(1+2`,
		`x | join user [search y | stats count`,
		`x | stats count by`,
		`x | stats count by | table x`,
		`x | eval x=`,
		`x | | stats count`,
		`x | where (a=1`,
		`x | rename a as`,
		`x | rename a as | table x`,
		`x | stats`,
		`x | eval`,
		`x | table`,
		`x | sort`,
		"x | eval x=1 y=2",
		"x | where a=1 b",
		"x | lookup",
		"x | lookup t",
		"x | rex",
		"x ]",
		"x )",
		"(x",
		"x | stats count(",
		"x | stats count(x",
		"x | eval x=if(a,b",
		"x | foo [ y",
		"x | spath input=",
		"`a` | stats count",
	} {
		_, err := spl.ParseString(s)
		if err == nil {
			fmt.Printf("NO ERROR: %s\n", s)
			continue
		}
		fmt.Print(err.(*diag.Error).Render())
	}
}
