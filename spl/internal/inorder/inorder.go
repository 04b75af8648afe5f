// Package inorder puts back in order the work that parallel workers finish
// out of order: the event reader's blocks and the evaluator's batches are
// numbered as they are handed out, and results must reach the one
// goroutine that consumes them in that order.
package inorder

// Deliver calls fn with each item received from done in the order of
// seq(item): 0, 1, 2, ... An item that arrives early waits until those
// before it have been delivered. It returns when done is closed.
func Deliver[T any](done <-chan T, seq func(T) int, fn func(T)) {
	next := 0
	pending := map[int]T{}
	for it := range done {
		pending[seq(it)] = it
		for p, ok := pending[next]; ok; p, ok = pending[next] {
			delete(pending, next)
			next++
			fn(p)
		}
	}
}
