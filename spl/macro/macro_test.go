package macro_test

import (
	"slices"
	"testing"

	"github.com/splharness/splharness/spl/macro"
)

func TestSetOverloadsAndDuplicates(t *testing.T) {
	s := macro.NewSet()
	builtins := s.Len()
	for _, m := range []macro.Macro{
		{Name: "foo", Definition: "A", File: "a.yml", Line: 3},
		{Name: "foo", Args: []string{"x"}, Definition: "B $x$"},
		{Name: "foo", Args: []string{"x", "y"}, Definition: "C"},
	} {
		if err := s.Add(m); err != nil {
			t.Fatalf("Add(%v): %v", m, err)
		}
	}
	if got := s.Len(); got != builtins+3 {
		t.Errorf("Len = %d, want %d", got, builtins+3)
	}
	if got := s.Arities("foo"); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("Arities(foo) = %v", got)
	}
	if m, ok := s.Lookup("foo", 1); !ok || m.Definition != "B $x$" {
		t.Errorf("Lookup(foo, 1) = %v, %v", m, ok)
	}
	if _, ok := s.Lookup("foo", 3); ok {
		t.Errorf("Lookup(foo, 3) found a macro")
	}

	errs := map[string]macro.Macro{
		"macro `foo` with 0 arguments is already defined at a.yml:3": {Name: "foo", Definition: "again"},
		"macro has no name":                      {Definition: "x"},
		"macro `bar` lists argument \"a\" twice": {Name: "bar", Args: []string{"a", "a"}},
		"macro `bar`: argument name \"a b\" may contain only letters, digits, _ and -": {Name: "bar", Args: []string{"a b"}},
		"macro name \"a(1)\" contains a backtick or parenthesis":                       {Name: "a(1)"},
	}
	for want, m := range errs {
		err := s.Add(m)
		if err == nil || err.Error() != want {
			t.Errorf("Add(%+v) = %v, want %q", m, err, want)
		}
	}
}

func TestBuiltinsGiveWayToFiles(t *testing.T) {
	s := macro.NewSet()
	m, ok := s.Lookup("drop_dm_object_name", 1)
	if !ok || m.Definition != "rename $object$.* AS *" || m.File != "" {
		t.Fatalf("built-in drop_dm_object_name(1) = %+v, %v", m, ok)
	}
	own := macro.Macro{Name: "drop_dm_object_name", Args: []string{"o"}, Definition: "rename $o$.* as *", File: "m.yml", Line: 1}
	if err := s.Add(own); err != nil {
		t.Fatalf("a file could not replace the built-in: %v", err)
	}
	if m, _ := s.Lookup("drop_dm_object_name", 1); m.File != "m.yml" {
		t.Errorf("the built-in was kept over the file's macro: %+v", m)
	}
	if err := s.Add(own); err == nil {
		t.Errorf("a second file definition was accepted")
	}
}

func TestFilterMacroName(t *testing.T) {
	for in, want := range map[string]string{
		"AWS Bedrock Delete Guardrails":             "aws_bedrock_delete_guardrails_filter",
		"ASL AWS Defense Evasion Delete Cloudtrail": "asl_aws_defense_evasion_delete_cloudtrail_filter",
		"O365 Add App Role Assignment Grant User":   "o365_add_app_role_assignment_grant_user_filter",
		"Kubernetes Scanner Image Pulling v1.2/x-y": "kubernetes_scanner_image_pulling_v1_2_x_y_filter",
	} {
		if got := macro.FilterMacroName(in); got != want {
			t.Errorf("FilterMacroName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddDetectionFilter(t *testing.T) {
	s := macro.NewSet()
	s.AddDetectionFilter("My Detection")
	m, ok := s.Lookup("my_detection_filter", 0)
	if !ok || m.Definition != "search *" {
		t.Fatalf("generated filter = %+v, %v", m, ok)
	}
	own := macro.Macro{Name: "my_detection_filter", Definition: "search user!=admin", File: "f.yml", Line: 2}
	if err := s.Add(own); err != nil {
		t.Fatalf("a file could not replace the generated filter: %v", err)
	}
	s.AddDetectionFilter("My Detection")
	if m, _ := s.Lookup("my_detection_filter", 0); m.Definition != own.Definition {
		t.Errorf("AddDetectionFilter replaced a defined filter: %+v", m)
	}
}
