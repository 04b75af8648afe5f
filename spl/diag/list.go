package diag

import "strings"

// List is every problem found in one text, in the order found: a search
// can have several unsupported commands, and a user fixes them all at
// once only when all are shown.
type List []*Error

// Error renders the problems one a line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives the problems to errors.Is and errors.As (the first that
// matches wins).
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
