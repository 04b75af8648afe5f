package spl

import (
	"reflect"
	"sync"
)

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

// walkPlan is what walkValue needs of a type, worked out once per type:
// reflect's Field and Implements were a third of loading the knowledge
// (its calculated fields are walked for the fields they read).
type walkPlan struct {
	// fields are the exported fields of a struct that can hold a node
	// (a struct, slice, pointer or interface), in order.
	fields []int
	// node tells whether a pointer or interface type is a Node.
	node bool
}

var walkPlans sync.Map // reflect.Type → *walkPlan

func planOf(t reflect.Type) *walkPlan {
	if p, ok := walkPlans.Load(t); ok {
		return p.(*walkPlan)
	}
	p := &walkPlan{}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Struct, reflect.Slice, reflect.Pointer, reflect.Interface:
				p.fields = append(p.fields, i)
			}
		}
	case reflect.Pointer, reflect.Interface:
		p.node = t.Implements(nodeType)
	}
	walkPlans.Store(t, p)
	return p
}

func walkValue(v reflect.Value, fn func(Node) bool) {
	switch v.Kind() {
	case reflect.Struct:
		for _, i := range planOf(v.Type()).fields {
			walkValue(v.Field(i), fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkValue(v.Index(i), fn)
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if planOf(v.Type()).node {
			Walk(v.Interface().(Node), fn)
			return
		}
		if v.Kind() == reflect.Pointer {
			walkValue(v.Elem(), fn)
		}
	}
}
