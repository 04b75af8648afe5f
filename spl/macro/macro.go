// Package macro expands Splunk search macros in SPL text, the way Splunk
// does before it parses a search: textually, with macros identified by name
// plus argument count, `$arg$` substituted everywhere in the definition, and
// the result re-scanned for nested macros.
//
// Expansion keeps a map from every offset of the expanded text back to the
// original text, so errors found later (by the parser) point at the right
// line and column of the file the search came from.
package macro

import (
	"fmt"
	"slices"
	"strings"
)

// Macro is one search macro, as a stanza of macros.conf or an ESCU macro
// YAML file defines it.
type Macro struct {
	// Name is the name used between backticks, without the argument list.
	Name string
	// Args are the argument names, in call order; $name$ in Definition is
	// replaced by the value given at that position.
	Args []string
	// Definition is the SPL text the call is replaced with.
	Definition string
	// File and Line say where the macro was defined (Line is the line of
	// its definition), so problems can point there. File is empty for
	// macros that no file defines: built-ins and generated filters.
	File string
	Line int
}

// key identifies a macro: Splunk treats `foo` and `foo(1)` as two macros.
type key struct {
	name  string
	arity int
}

// Set is a collection of macros keyed by name and argument count, the unit
// Expand looks calls up in.
type Set struct {
	macros map[key]Macro
	// implicit marks macros that no file defined (built-ins, generated
	// filters): a file defining the same name and arity replaces them.
	implicit map[key]bool
	arities  map[string][]int
}

// builtins are macros that detections use without shipping them, because
// an app every ESCU deployment has installed provides them.
var builtins = []Macro{
	// From Splunk_SA_CIM: strips the data model object prefix that tstats
	// puts on field names (All_Changes.user → user).
	{Name: "drop_dm_object_name", Args: []string{"object"}, Definition: "rename $object$.* AS *"},
}

// NewSet returns a set holding only the built-in macros (see builtins).
func NewSet() *Set {
	s := &Set{macros: map[key]Macro{}, implicit: map[key]bool{}, arities: map[string][]int{}}
	for _, m := range builtins {
		s.addImplicit(m)
	}
	return s
}

// Add adds m. A macro with the same name and argument count already added
// from a file is an error; a built-in or generated one is replaced, since
// content may override them.
func (s *Set) Add(m Macro) error {
	if m.Name == "" {
		return fmt.Errorf("macro has no name")
	}
	if strings.ContainsAny(m.Name, "`()") {
		return fmt.Errorf("macro name %q contains a backtick or parenthesis", m.Name)
	}
	for i, a := range m.Args {
		if !validArgName(a) {
			return fmt.Errorf("macro `%s`: argument name %q may contain only letters, digits, _ and -", m.Name, a)
		}
		if slices.Contains(m.Args[:i], a) {
			return fmt.Errorf("macro `%s` lists argument %q twice", m.Name, a)
		}
	}
	k := key{m.Name, len(m.Args)}
	if old, ok := s.macros[k]; ok && !s.implicit[k] {
		return fmt.Errorf("macro `%s` with %s is already defined%s", m.Name, plural(k.arity, "argument"), where(old))
	}
	s.put(k, m)
	delete(s.implicit, k)
	return nil
}

func (s *Set) addImplicit(m Macro) {
	k := key{m.Name, len(m.Args)}
	s.put(k, m)
	s.implicit[k] = true
}

func (s *Set) put(k key, m Macro) {
	if _, ok := s.macros[k]; !ok {
		a := append(s.arities[k.name], k.arity)
		slices.Sort(a)
		s.arities[k.name] = a
	}
	s.macros[k] = m
}

// Lookup returns the macro a call with the given name and number of
// arguments refers to.
func (s *Set) Lookup(name string, arity int) (Macro, bool) {
	m, ok := s.macros[key{name, arity}]
	return m, ok
}

// Arities returns the argument counts name is defined with, in increasing
// order, so an error can say which calls would have worked.
func (s *Set) Arities(name string) []int {
	return slices.Clone(s.arities[name])
}

// Len is the number of macros in the set, built-ins included.
func (s *Set) Len() int { return len(s.macros) }

// Defined counts the macros files defined: Len less the built-in and
// generated ones.
func (s *Set) Defined() int { return len(s.macros) - len(s.implicit) }

// FilterMacroName returns the name of the filter macro contentctl expects
// at the end of a detection's search: the detection name lowercased, with
// space, '-', '.' and '/' turned into '_', followed by "_filter".
func FilterMacroName(detectionName string) string {
	r := strings.NewReplacer(" ", "_", "-", "_", ".", "_", "/", "_")
	return r.Replace(strings.ToLower(detectionName)) + "_filter"
}

// AddDetectionFilter adds the detection's filter macro with definition
// `search *` unless the set already has one, as contentctl does when the
// content ships no YAML for it. A file loaded later still replaces it.
func (s *Set) AddDetectionFilter(detectionName string) {
	k := key{FilterMacroName(detectionName), 0}
	if _, ok := s.macros[k]; ok {
		return
	}
	s.addImplicit(Macro{Name: k.name, Definition: filterDefinition})
}

// filterDefinition is what contentctl generates for a missing filter macro:
// a search that keeps every row.
const filterDefinition = "search *"

// validArgName reports whether a is a legal argument name in macros.conf:
// letters, digits, underscores and hyphens.
func validArgName(a string) bool {
	if a == "" {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func where(m Macro) string {
	switch {
	case m.File == "":
		return ""
	case m.Line == 0:
		return " in " + m.File
	}
	return fmt.Sprintf(" at %s:%d", m.File, m.Line)
}

// plural renders "1 argument", "2 arguments".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
