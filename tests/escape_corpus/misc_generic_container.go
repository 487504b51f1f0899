package main

// A generic set and a generic Map function.
type Set[T comparable] struct {
	m map[T]struct{}
}

func NewSet[T comparable](items ...T) *Set[T] {
	s := &Set[T]{m: make(map[T]struct{}, len(items))}
	for _, it := range items {
		s.m[it] = struct{}{}
	}
	return s
}

func (s *Set[T]) Has(v T) bool {
	_, ok := s.m[v]
	return ok
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func main() {
	s := NewSet("a", "b")
	lens := Map([]string{"go", "gopher"}, func(s string) int { return len(s) })
	println(s.Has("a"), lens[1])
}
