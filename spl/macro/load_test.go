package macro_test

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/splharness/splharness/spl/diag"
	"github.com/splharness/splharness/spl/macro"
)

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"m/ctime.yml":    {Data: []byte("arguments:\n  - field\ndefinition: 'convert ctime($field$)'\ndescription: x\nname: ctime\n")},
		"m/plain.yml":    {Data: []byte("name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\n")},
		"m/nullargs.yml": {Data: []byte("name: noargs\narguments:\ndefinition: a\n")},
		"m/readme.md":    {Data: []byte("not a macro")},
		"m/sub/x.yml":    {Data: []byte("name: nested\ndefinition: a\n")},

		"m/bad_yaml.yml":    {Data: []byte("name: a\ndefinition: [b\n")},
		"m/no_name.yml":     {Data: []byte("definition: a\n")},
		"m/no_def.yml":      {Data: []byte("description: d\nname: nodef\n")},
		"m/bad_yaml2.yml":   {Data: []byte("\tname: x\n")},
		"m/dup_key.yml":     {Data: []byte("name: a\ndefinition: b\nname: c\n")},
		"m/def_list.yml":    {Data: []byte("name: deflist\ndefinition:\n  - a\n")},
		"m/args_map.yml":    {Data: []byte("name: argsmap\ndefinition: a\narguments: {a: 1}\n")},
		"m/args_int.yml":    {Data: []byte("name: argsint\ndefinition: a\narguments: [a, 2]\n")},
		"m/not_map.yml":     {Data: []byte("- a\n")},
		"m/zz_dup.yml":      {Data: []byte("description: again\nname: cloudtrail\ndefinition: x\n")},
		"m/bad_argname.yml": {Data: []byte("name: badarg\ndefinition: a\narguments: [a b]\n")},
	}
	set, errs := macro.LoadDir(fsys, "m")
	var got []string
	for _, err := range errs {
		var de *diag.Error
		if !errors.As(err, &de) {
			t.Errorf("error %v is a %T, not a *diag.Error", err, err)
			continue
		}
		got = append(got, err.Error())
	}
	want := []string{
		"m/args_int.yml:3:16: schema: macro `arguments` must be a list of strings",
		"m/args_map.yml:3:12: schema: macro `arguments` must be a list of strings",
		"m/bad_argname.yml:1:1: schema: macro `badarg`: argument name \"a b\" may contain only letters, digits, _ and -",
		"m/bad_yaml.yml:2:1: yaml: did not find expected ',' or ']'",
		"m/bad_yaml2.yml:1:1: yaml: found character that cannot start any token",
		"m/def_list.yml:3:3: schema: macro `definition` must be a non-empty string",
		"m/dup_key.yml:3:1: schema: key `name` appears twice",
		"m/no_def.yml:1:1: schema: macro `nodef` has no `definition`",
		"m/no_name.yml:1:1: schema: macro has no `name`",
		"m/not_map.yml:1:1: schema: macro file must be a mapping with keys name and definition",
		"m/zz_dup.yml:2:1: schema: macro `cloudtrail` with 0 arguments is already defined at m/plain.yml:2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}

	m, ok := set.Lookup("ctime", 1)
	if !ok || m.Definition != "convert ctime($field$)" || !slices.Equal(m.Args, []string{"field"}) || m.File != "m/ctime.yml" || m.Line != 3 {
		t.Errorf("ctime(1) = %+v, %v", m, ok)
	}
	if m, ok := set.Lookup("cloudtrail", 0); !ok || m.Line != 2 || m.Definition != "sourcetype=aws:cloudtrail" {
		t.Errorf("cloudtrail = %+v, %v", m, ok)
	}
	if _, ok := set.Lookup("noargs", 0); !ok {
		t.Errorf("a null arguments key was not taken as no arguments")
	}
	if _, ok := set.Lookup("nested", 0); ok {
		t.Errorf("a file in a subfolder was loaded")
	}
	if _, ok := set.Lookup("drop_dm_object_name", 1); !ok {
		t.Errorf("the built-in is missing from a loaded set")
	}
	if got := set.Len(); got != 4 {
		t.Errorf("Len = %d, want 4 (3 files and the built-in)", got)
	}
}

func TestLoadDirMissing(t *testing.T) {
	set, errs := macro.LoadDir(fstest.MapFS{}, "nope")
	if len(errs) != 1 || set == nil || set.Len() != 1 {
		t.Errorf("LoadDir of a missing folder = %v set, %v", set, errs)
	}
}
