// Generic constraints: a Number union with ~ types, Sum / Max / Min,
// comparable keys for a generic Set, a generic binary search, Keys sorted.
package main

import (
	"cmp"
	"fmt"
	"slices"
)

type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~float32 | ~float64
}

type Meters float64
type Score int16

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Max[T cmp.Ordered](a T, rest ...T) T {
	m := a
	for _, x := range rest {
		if x > m {
			m = x
		}
	}
	return m
}

type Set[T comparable] map[T]struct{}

func (s Set[T]) Add(v T)           { s[v] = struct{}{} }
func (s Set[T]) Has(v T) bool      { _, ok := s[v]; return ok }
func SortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func Search[T cmp.Ordered](xs []T, x T) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		mid := (lo + hi) / 2
		if xs[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func main() {
	fmt.Println(Sum(1, 2, 3), Sum(1.5, 2.25), Sum[Meters](1, 2.5), Sum(Score(100), Score(200)))
	var u8 uint8 = 200
	fmt.Println(Sum(u8, 100), Sum[int8](100, 100))
	fmt.Println(Max(3, 9, 2), Max("pear", "apple", "zoo"), Max(2.5), Max[Meters](1, 3, 2))
	s := Set[string]{}
	for _, w := range []string{"a", "b", "a", "c"} {
		s.Add(w)
	}
	fmt.Println(len(s), s.Has("b"), s.Has("z"), SortedKeys(s))
	ints := Set[int]{}
	for i := 0; i < 3000; i++ {
		ints.Add(i % 1000)
	}
	fmt.Println(len(ints))
	xs := make([]int, 0)
	for i := 0; i < 1000; i++ {
		xs = append(xs, i*3)
	}
	fmt.Println(Search(xs, 300), Search(xs, 301), Search([]string{"a", "c", "e"}, "d"))
	m := map[Score]string{3: "c", 1: "a", 2: "b"}
	fmt.Println(SortedKeys(m), slices.Max(xs), slices.Index(xs, 27), slices.Contains(xs, 28))
	fmt.Println(cmp.Compare(1, 2), min(3, 1, 2), max(2.5, 1))
}
