package inorder

import (
	"slices"
	"testing"
)

func TestDeliver(t *testing.T) {
	done := make(chan int, 8)
	for _, n := range []int{2, 0, 1, 5, 3, 4, 7, 6} {
		done <- n
	}
	close(done)
	var got []int
	Deliver(done, func(n int) int { return n }, func(n int) { got = append(got, n) })
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
}
