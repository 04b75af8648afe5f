package spl

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Substitute returns a deep copy of cmds, a parsed template such as
// foreach's subpipeline, with replace applied to every text of the tree:
// field names, words, strings, options. The template is parsed once and
// each copy is compiled as it is, never printed and parsed again.
//
// Splunk substitutes foreach's <<FIELD>> and <<MATCHSTR>> in the text of
// the subsearch (Search Reference, "foreach": names with characters other
// than letters, digits and underscores must be written '<<FIELD>>'). So an
// unquoted field name of an expression that the substitution turns into
// something eval would read as more than one field name (`a.b`, `a-b`, a
// keyword) is an error naming the field, never silently one field.
func Substitute(cmds []Command, replace func(string) string) ([]Command, error) {
	out := make([]Command, len(cmds))
	for i, c := range cmds {
		v := reflect.ValueOf(c)
		cp := reflect.New(v.Type()).Elem()
		copyReplacing(cp, v, replace)
		out[i] = cp.Interface().(Command)
	}
	var err *SubstituteError
	for _, c := range out {
		Walk(c, func(n Node) bool {
			if f, ok := n.(*FieldRef); ok && !f.Quoted && !isBareField(f.Name) && err == nil {
				err = &SubstituteError{Pos: f.Pos, Msg: fmt.Sprintf("%q written bare in an expression is not one field name; quote the template ('<<FIELD>>')", f.Name)}
			}
			return err == nil
		})
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubstituteError is a substitution that would change how the template
// reads, at the template's position.
type SubstituteError struct {
	Pos Pos
	Msg string
}

func (e *SubstituteError) Error() string { return e.Msg }

// copyReplacing sets dst to a deep copy of src with replace applied to
// every string.
func copyReplacing(dst, src reflect.Value, replace func(string) string) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(replace(src.String()))
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			copyReplacing(dst.Field(i), src.Field(i), replace)
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyReplacing(s.Index(i), src.Index(i), replace)
		}
		dst.Set(s)
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyReplacing(p.Elem(), src.Elem(), replace)
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := src.Elem()
		c := reflect.New(e.Type()).Elem()
		copyReplacing(c, e, replace)
		dst.Set(c)
	case reflect.Map:
		panic(fmt.Sprintf("spl.Substitute: the tree holds a map (%s)", src.Type()))
	default:
		dst.Set(src)
	}
}

// isBareField reports whether name, written bare in an expression, is read
// as that one field name.
func isBareField(name string) bool {
	ps := cut(&lexer.Token{Type: tokWord, Value: name})
	if len(ps) != 1 || ps[0].kind != pIdent {
		return false
	}
	if isNot(ps[0]) {
		return false
	}
	kw := strings.ToUpper(name)
	return !(isInfixKeyword(kw) && (name == kw || name == strings.ToLower(kw)))
}
