package macro

import (
	"fmt"
	"strings"

	"github.com/splharness/splharness/spl/conf"
)

// AddConf adds the macros of a macros.conf file: stanzas `[name]` or
// `[name(N)]` with `definition` and, for N > 0, `args = a, b`
// ([SPL8212 macros.conf.spec]). A stanza that cannot be used is reported
// with its file and line; the others are added.
func (s *Set) AddConf(f *conf.File) []error {
	var errs []error
	for _, st := range f.Stanzas {
		if st.Name == "default" {
			continue
		}
		def, ok := st.Get("definition")
		if !ok {
			errs = append(errs, &conf.Error{File: st.File, Line: st.Line, Msg: fmt.Sprintf("macro %s has no definition", st.Name)})
			continue
		}
		name, arity := st.Name, 0
		if i := strings.IndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
			if _, err := fmt.Sscanf(name[i+1:len(name)-1], "%d", &arity); err != nil {
				errs = append(errs, &conf.Error{File: st.File, Line: st.Line, Msg: fmt.Sprintf("macro stanza %s: bad argument count", st.Name)})
				continue
			}
			name = name[:i]
		}
		var args []string
		if a, ok := st.Get("args"); ok && strings.TrimSpace(a) != "" {
			for _, arg := range strings.Split(a, ",") {
				args = append(args, strings.TrimSpace(arg))
			}
		}
		if len(args) != arity {
			errs = append(errs, &conf.Error{File: st.File, Line: st.Line, Msg: fmt.Sprintf("macro %s: the stanza says %d arguments, args lists %d", st.Name, arity, len(args))})
			continue
		}
		line := st.Line
		if d := st.Setting("definition"); d != nil {
			line = d.Line
		}
		if err := s.Add(Macro{Name: name, Args: args, Definition: def, File: st.File, Line: line}); err != nil {
			errs = append(errs, &conf.Error{File: st.File, Line: st.Line, Msg: err.Error()})
		}
	}
	return errs
}
