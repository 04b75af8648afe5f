package eval

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/value"
)

// mvindexSplit compiles `mvindex(split(x, "sep"), i)`, a literal
// non-empty separator and a literal index, to a slice of x's text: the
// i-th piece (from the end when i < 0) found by searching for the
// separator, without the multivalue split() builds, which the add-on's
// calculated fields make of every ARN they read
// (`mvindex(split(arn, "/"), -1)`). It returns nil for any other call,
// which compiles as usual.
//
// The result is the general one, byte for byte: a single string value
// x cut into the pieces strings.Split makes (split()), of which
// mvindex() takes one, the same substring, or null past either end.
// Where the general form could hit a cap on a value (max_value_bytes,
// max_mv_values) or x is anything but a single string (a multivalue, a
// number, null), the evaluator runs the general form's steps on the
// value of x, evaluated once, so every effect is the same too.
func (c *Compiler) mvindexSplit(fn *Function, e *spl.Call) (Evaluator, error) {
	if c.general || fn.Name != "mvindex" || len(e.Args) != 2 {
		return nil, nil
	}
	in, ok := e.Args[0].(*spl.Call)
	if !ok {
		return nil, nil
	}
	if sfn, err := checkCall(in); err != nil || sfn.Name != "split" {
		return nil, nil
	}
	sepLit, ok := in.Args[1].(*spl.StringLit)
	if !ok || sepLit.Value() == "" || !constIndex(e.Args[1]) {
		return nil, nil
	}
	idxEv, err := c.Compile(e.Args[1])
	if err != nil {
		return nil, err
	}
	idxV := idxEv(nil) // a literal reads no field
	k, ok := fnInt(idxV)
	if !ok {
		return nil, nil
	}
	x, err := c.Compile(in.Args[0])
	if err != nil {
		return nil, err
	}
	sep := sepLit.Value()
	sepV := value.Str(sep)
	ctx := c.Ctx
	// Without a border (a proper prefix that is also a suffix) no two
	// occurrences of sep overlap, so searching from the end finds the
	// pieces strings.Split finds from the start.
	fromEnd := k < 0 && !bordered(sep)
	general := func(xv value.Value) value.Value {
		sv, err := splitCall(ctx, []value.Value{xv, sepV})
		if err != nil {
			ctx.callFailed("split", err)
			sv = value.NullValue
		} else {
			sv = ctx.checkValue("split()", sv)
		}
		v, err := mvindexCall(ctx, []value.Value{sv, idxV})
		if err != nil {
			ctx.callFailed("mvindex", err)
			return value.NullValue
		}
		return ctx.checkValue("mvindex()", v)
	}
	return func(r *value.Row) value.Value {
		xv := x(r)
		if xv.Kind() != value.String {
			return general(xv)
		}
		s := xv.String()
		// split() then makes at most len(s)/len(sep)+1 pieces of at most
		// len(s) bytes in all: no cap can be hit.
		if len(s) > ctx.maxValueBytes() || len(s)/len(sep)+1 > ctx.maxMVValues() {
			return general(xv)
		}
		if piece, ok := nthPiece(s, sep, k, fromEnd); ok {
			return value.Str(piece)
		}
		return value.NullValue
	}, nil
}

// constIndex reports whether e is a number literal or its negation.
func constIndex(e spl.Expr) bool {
	if u, ok := e.(*spl.Unary); ok && u.Op == "-" {
		e = u.X
	}
	_, ok := e.(*spl.NumberLit)
	return ok
}

// bordered reports whether a proper prefix of sep is also its suffix, so
// that two occurrences of sep can overlap ("aa" in "aaa").
func bordered(sep string) bool {
	for n := 1; n < len(sep); n++ {
		if sep[:n] == sep[len(sep)-n:] {
			return true
		}
	}
	return false
}

// nthPiece is strings.Split(s, sep)[k], counting from the end when k < 0
// (mvindex()'s index), ok false past either end; sep is not empty.
// fromEnd searches from the end, for a negative k and a sep without a
// border; otherwise a negative k counts the pieces first.
func nthPiece(s, sep string, k int, fromEnd bool) (string, bool) {
	if k < 0 && fromEnd {
		end := len(s)
		for ; k < -1; k++ {
			i := strings.LastIndex(s[:end], sep)
			if i < 0 {
				return "", false
			}
			end = i
		}
		if i := strings.LastIndex(s[:end], sep); i >= 0 {
			return s[i+len(sep) : end], true
		}
		return s[:end], true
	}
	if k < 0 {
		k += strings.Count(s, sep) + 1
		if k < 0 {
			return "", false
		}
	}
	for ; k > 0; k-- {
		i := strings.Index(s, sep)
		if i < 0 {
			return "", false
		}
		s = s[i+len(sep):]
	}
	if i := strings.Index(s, sep); i >= 0 {
		return s[:i], true
	}
	return s, true
}
