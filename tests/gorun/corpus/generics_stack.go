// Generics: a Stack[T] of several element types, a generic linked Queue[T],
// Map / Filter / Reduce over slices, a generic Pair[K, V].
package main

import (
	"fmt"
	"strings"
)

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }
func (s *Stack[T]) Pop() (T, bool) {
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}
func (s *Stack[T]) Len() int { return len(s.items) }

type node[T any] struct {
	v    T
	next *node[T]
}

type Queue[T any] struct {
	head, tail *node[T]
	n          int
}

func (q *Queue[T]) Put(v T) {
	nd := &node[T]{v: v}
	if q.tail == nil {
		q.head = nd
	} else {
		q.tail.next = nd
	}
	q.tail = nd
	q.n++
}

func (q *Queue[T]) Get() T {
	nd := q.head
	q.head = nd.next
	if q.head == nil {
		q.tail = nil
	}
	q.n--
	return nd.v
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func Reduce[T, A any](xs []T, init A, f func(A, T) A) A {
	acc := init
	for _, x := range xs {
		acc = f(acc, x)
	}
	return acc
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func main() {
	var si Stack[int]
	for i := 0; i < 10; i++ {
		si.Push(i * i)
	}
	v, ok := si.Pop()
	fmt.Println(v, ok, si.Len())
	var ss Stack[string]
	ss.Push("a")
	ss.Push("b")
	s1, _ := ss.Pop()
	s2, _ := ss.Pop()
	_, ok = ss.Pop()
	fmt.Println(s1, s2, ok)
	var sp Stack[*Pair[string, int]]
	sp.Push(&Pair[string, int]{"x", 1})
	p, _ := sp.Pop()
	fmt.Printf("%+v\n", *p)

	var q Queue[float64]
	for i := 0; i < 5000; i++ {
		q.Put(float64(i) / 2)
	}
	sum := 0.0
	for q.n > 10 {
		sum += q.Get()
	}
	fmt.Println(sum, q.n)

	nums := make([]int, 100)
	for i := range nums {
		nums[i] = i
	}
	evens := Filter(nums, func(x int) bool { return x%2 == 0 })
	strs := Map(evens[:8], func(x int) string { return fmt.Sprintf("<%d>", x) })
	fmt.Println(len(evens), strings.Join(strs, ""))
	fmt.Println(Reduce(nums, 0, func(a, x int) int { return a + x }),
		Reduce(strs, "", func(a string, s string) string { return a + s[1:2] }))
	pairs := Map(nums[:5], func(x int) Pair[int, string] { return Pair[int, string]{x, strings.Repeat("*", x)} })
	fmt.Println(pairs)
	var big Stack[[4]int]
	for i := 0; i < 3000; i++ {
		big.Push([4]int{i, i, i, i})
	}
	fmt.Println(big.Len(), cap(big.items))
}
