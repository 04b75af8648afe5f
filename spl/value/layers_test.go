package value_test

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/splharness/splharness"

// TestLayers: the packages that only carry values and rows depend on the
// leaf packages, never on the expression compiler, the parser or
// participle; the leaves themselves (value, regex, timefmt) import nothing
// of the module. It reads the real import graph with `go list`, so a new
// import that breaks the layering fails here, naming the package.
func TestLayers(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH, so the import graph cannot be read; run go test with Go installed to check the layering")
	}
	forbidden := func(dep string) bool {
		switch dep {
		case module + "/spl", module + "/spl/eval", module + "/spl/exec", module + "/spl/macro":
			return true
		}
		return strings.HasPrefix(dep, "github.com/alecthomas/participle")
	}
	leaf := func(dep string) bool { return strings.HasPrefix(dep, module+"/") }
	rules := map[string]func(string) bool{
		"spl/value":   leaf,
		"spl/regex":   leaf,
		"spl/timefmt": leaf,
		"spl/event":   forbidden,
		"spl/stats":   forbidden,
		"spl/lookup":  forbidden,
		"spl/output":  forbidden,
	}
	var pkgs []string
	for p := range rules {
		pkgs = append(pkgs, module+"/"+p)
	}
	sort.Strings(pkgs)
	args := append([]string{"list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}"}, pkgs...)
	out, err := exec.Command(goCmd, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module+"/")
		bad, ok := rules[pkg]
		if !ok {
			t.Fatalf("go list printed a package not asked for: %q", fields[0])
		}
		seen++
		for _, dep := range fields[1:] {
			if bad(dep) {
				t.Errorf("%s depends on %s (go list -deps ./%s shows the chain)", pkg, dep, pkg)
			}
		}
	}
	if seen != len(rules) {
		t.Fatalf("go list printed %d packages, want %d:\n%s", seen, len(rules), out)
	}
}
