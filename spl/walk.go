package spl

import "reflect"

// Walk calls fn for n and, while fn returns true, for every node below it,
// in source order. Subsearches, subpipelines and the parsed search of map
// are walked too.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	if !fn(n) {
		return
	}
	walkValue(reflect.ValueOf(n).Elem(), fn)
}

var nodeType = reflect.TypeOf((*Node)(nil)).Elem()

func walkValue(v reflect.Value, fn func(Node) bool) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkValue(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkValue(v.Index(i), fn)
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(nodeType) {
			Walk(v.Interface().(Node), fn)
			return
		}
		if v.Kind() == reflect.Pointer {
			walkValue(v.Elem(), fn)
		}
	}
}
